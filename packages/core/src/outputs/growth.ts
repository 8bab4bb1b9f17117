import { z } from 'zod';
import { bilingualSchema, stageSchema } from './common.js';
import { practiceOutlookSchema } from './practice.js';

/** Every requirement type a policy's growth path may use (test/outputs.test.ts checks it against `RequirementType`). */
export const requirementTypes = ['all_of', 'any_of', 'years_in_stage', 'practice_compliant', 'grade_each_year', 'appraisal_mean', 'certificate', 'dual_qualified_tier', 'record_count', 'record_sum'] as const;

export const yearDetailSchema = z.object({
  year: z.int(),
  met: z.boolean(),
  current: z.union([z.number(), z.string()]),
  required: z.union([z.number(), z.string()]).optional(),
  exempt: z.boolean().optional(),
  rule: z.enum(['annual', 'rolling']).optional().describe('practice_compliant: current/required are the year’s days (annual) or the rolling window’s, as the binding rule decides'),
});

/** One evaluated node of the requirement tree (recursive through `children`). */
export const requirementResultSchema = z.object({
  id: z.string(),
  type: z.enum(requirementTypes),
  met: z.boolean(),
  current: z.union([z.number(), z.string(), z.null()]).optional(),
  required: z.union([z.number(), z.string()]).optional(),
  get children() {
    return z.array(requirementResultSchema).optional();
  },
  label: bilingualSchema.optional(),
  windowYears: z.array(z.int()).optional(),
  perYear: z.array(yearDetailSchema).optional(),
});

export const gapSchema = z.object({
  requirementId: z.string(),
  zh: z.string(),
  en: z.string(),
  anyOf: z.string().optional(),
  practice: practiceOutlookSchema.optional(),
});

/** `assessProgress` / `progressOf`: what a teacher still needs for the next stage. */
export const progressSchema = z.object({
  stage: stageSchema,
  nextStage: stageSchema.nullable(),
  eligible: z.boolean(),
  requirements: requirementResultSchema.nullable(),
  gaps: z.array(gapSchema),
});
