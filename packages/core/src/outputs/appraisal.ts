import { z } from 'zod';
import { categoryIdSchema, gradeSchema, ids } from './common.js';
import { practiceStatusSchema } from './practice.js';

/** One line of an appraisal's trace: which records, which rule, how much, at what share, for how many points. */
export const traceItemSchema = z.object({
  category: categoryIdSchema,
  rule: z.string().describe('rule id, e.g. `teaching_resource.micro_lecture`'),
  recordIds: ids,
  quantity: z.number(),
  share: z.number(),
  factor: z.number().optional(),
  points: z.number(),
  leftOut: z.object({ reason: z.enum(['same_group', 'max_count']), keptRecordId: z.string().optional() }).optional(),
});

export const categoryScoreSchema = z.object({ raw: z.number(), capped: z.number(), cap: z.number() });

/** A veto's id in the policy (the default policy's: `practice_noncompliant`, `ethics_violation`). */
// Written out, not `VetoName`: a declaration emitted from it would name a type the exports map does not reach.
export const vetoNameSchema = z.string() as unknown as z.ZodType<'ethics_violation' | 'practice_noncompliant' | (string & {}), string>;

export const vetoTraceSchema = z.object({
  veto: vetoNameSchema,
  recordIds: ids,
  gradeBefore: gradeSchema,
  gradeAfter: gradeSchema,
  blocksTitleReview: z.boolean(),
});

export const quotaTraceSchema = z.object({
  unit: z.string(),
  unitSize: z.int(),
  limit: z.int(),
  position: z.int(),
  kept: z.boolean(),
});

/**
 * Every category of the policy, one per entry of its list (`appraisal.categories`), keyed by id, in its order, and
 * no other: which ids there are is the policy's to say.
 */
export const appraisalCategoriesSchema = z.record(z.string(), categoryScoreSchema);

const appraisalShape = {
  teacherId: z.string(),
  year: z.int(),
  total: z.number(),
  grade: gradeSchema.describe('after the bands and vetoes, before the excellence quota'),
  bandGrade: gradeSchema,
  vetoes: z.array(vetoNameSchema),
  vetoTrace: z.array(vetoTraceSchema),
  titleReviewEligible: z.boolean(),
  practiceDays: z.int(),
  practice: practiceStatusSchema,
  categories: appraisalCategoriesSchema,
  items: z.array(traceItemSchema),
  pending: z.object({ recordIds: ids, totalIfVerified: z.number() }),
};

/** `scoreAppraisal` / `appraise`: one teacher's annual appraisal, before the unit quota. */
export const appraisalSchema = z.object({ ...appraisalShape, finalGrade: gradeSchema.optional(), quota: quotaTraceSchema.optional() });

/** `appraiseAll` / `applyExcellenceQuota`: an appraisal after the excellence quota. */
export const quotaAppraisalSchema = z.object({ ...appraisalShape, finalGrade: gradeSchema, quota: quotaTraceSchema.optional() });
