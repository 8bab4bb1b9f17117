import { createRoute, z } from '@hono/zod-openapi';
import { certLevels, dualQualifiedOf, expiryWarningDaysOf, labels, type DualQualifiedAssessment, type RequirementResult } from '@shizi/core';
import { loadVisibleBundle, requireRole } from '../auth.js';
import { langOf, type Lang } from '../i18n.js';
import { errors, json, newApp, security } from '../openapi.js';
import { DateParam, TeacherId } from './schemas.js';
import { teacherViewHead } from './responses.js';
import { requirementsOut, viewHead } from '../views.js';

const dualTiers = ['none', ...certLevels] as const;
const Bilingual = z.object({ zh: z.string(), en: z.string() });

/** One line of a tier's requirement tree, as `assessProgress` answers it (children for all_of / any_of). */
export interface RequirementNodeOut {
  id: string;
  type: string;
  met: boolean;
  current?: number | string | null | undefined;
  required?: number | string | undefined;
  label?: { zh: string; en: string } | undefined;
  labelText: string | null;
  currentLabel: string | null;
  requiredLabel: string | null;
  windowYears?: number[] | undefined;
  perYear?: Array<{ year: number; met: boolean; current: number | string; required?: number | string | undefined; exempt?: boolean | undefined; currentLabel: string | null; requiredLabel: string | null }> | undefined;
  children?: RequirementNodeOut[] | undefined;
}
const valueLabel = z.string().nullable().openapi({ description: 'the name of the value in the asked language (a grade, a certificate level); null for a number or none' });
const RequirementNode: z.ZodType<RequirementNodeOut> = z
  .lazy(() =>
    z.object({
      id: z.string(),
      type: z.string().openapi({ description: 'the leaf type (record_sum, certificate, …) or all_of / any_of' }),
      met: z.boolean(),
      current: z.union([z.number(), z.string(), z.null()]).optional().openapi({ description: 'what the teacher has, in the unit of `required`' }),
      required: z.union([z.number(), z.string()]).optional(),
      label: Bilingual.optional(),
      labelText: z.string().nullable().openapi({ description: 'the label in the asked language' }),
      currentLabel: valueLabel,
      requiredLabel: valueLabel,
      windowYears: z.array(z.int()).optional(),
      perYear: z.array(z.object({ year: z.int(), met: z.boolean(), current: z.union([z.number(), z.string()]), required: z.union([z.number(), z.string()]).optional(), exempt: z.boolean().optional(), currentLabel: valueLabel, requiredLabel: valueLabel })).optional(),
      children: z.array(RequirementNode).optional(),
    }),
  )
  .openapi('DualRequirementNode');

const GapOut = z
  .object({
    requirementId: z.string(),
    zh: z.string(),
    en: z.string(),
    text: z.string().openapi({ description: 'the gap in the asked language' }),
    anyOf: z.string().optional().openapi({ description: 'set when the leaf is one alternative of an any_of group: meeting one alternative suffices' }),
  })
  .openapi('DualGap');

const WarningOut = z.object({ recordId: z.string(), zh: z.string(), en: z.string(), text: z.string() }).openapi('DualRecognitionWarning', { description: 'a held recognition within the policy’s warning days of its validUntil' });

export const DualQualifiedView = z
  .object({
    ...teacherViewHead,
    tierMet: z.enum(dualTiers).openapi({ description: 'the highest tier whose criteria (policy.dualQualified.tiers) the verified records meet on asOf' }),
    tierMetLabel: z.string(),
    recognisedTier: z.enum(dualTiers).openapi({ description: 'the highest tier of a verified recognition valid on asOf (what reports count)' }),
    recognisedTierLabel: z.string(),
    expiryWarningDays: z.int().openapi({ description: 'the policy’s days of warning before a recognition expires' }),
    tiers: z.array(
      z.object({
        tier: z.enum(certLevels),
        tierLabel: z.string(),
        met: z.boolean(),
        requirements: RequirementNode,
        gaps: z.array(GapOut).openapi({ description: 'what the teacher can do to meet this tier (empty when met)' }),
      }),
    ),
    recognitions: z.array(
      z.object({
        recordId: z.string(),
        tier: z.enum(certLevels),
        tierLabel: z.string(),
        issuingLevel: z.string(),
        issuingLevelLabel: z.string(),
        date: z.string(),
        validUntil: z.string(),
        standing: z.enum(['valid', 'expiring', 'expired']).openapi({ description: 'valid and expiring count; expired (past validUntil) does not' }),
        standingLabel: z.string(),
        daysLeft: z.int().openapi({ description: 'days from asOf to validUntil; 0 on the last valid day, negative once expired' }),
      }),
    ),
    warnings: z.array(WarningOut),
  })
  .openapi('DualQualifiedView');

const dualRoute = createRoute({
  method: 'get',
  path: '/teachers/{id}/dual-qualified',
  tags: ['Teacher views'],
  summary: '双师型 tier the teacher meets, each tier’s requirement tree with gaps, and the recognitions held (teacher: own; unit reviewer: its units; HR, committee, admin: all)',
  security,
  middleware: [requireRole('admin', 'hr', 'committee', 'teacher', 'unit_reviewer')] as const,
  request: { params: TeacherId, query: z.object({ asOf: DateParam }) },
  responses: { 200: json(DualQualifiedView, '双师型 standing'), ...errors() },
});

function nodeOut(node: RequirementResult, lang: Lang): RequirementNodeOut {
  return requirementsOut(node, lang)! as RequirementNodeOut;
}

const levelLabel = (level: string, lang: Lang) => (labels.issuingLevels as Record<string, { zh: string; en: string }>)[level]?.[lang] ?? level;

/** The assessment as the API answers it: labels in the asked language next to core's values. */
export function dualQualifiedOut(assessment: DualQualifiedAssessment, lang: Lang) {
  return {
    tierMet: assessment.tierMet,
    tierMetLabel: labels.dualTiers[assessment.tierMet][lang],
    recognisedTier: assessment.recognisedTier,
    recognisedTierLabel: labels.dualTiers[assessment.recognisedTier][lang],
    tiers: assessment.tiers.map((tier) => ({
      tier: tier.tier,
      tierLabel: labels.dualTiers[tier.tier][lang],
      met: tier.met,
      requirements: nodeOut(tier.requirements, lang),
      gaps: tier.gaps.map((gap) => ({ requirementId: gap.requirementId, zh: gap.zh, en: gap.en, text: gap[lang], ...(gap.anyOf !== undefined ? { anyOf: gap.anyOf } : {}) })),
    })),
    recognitions: assessment.recognitions.map((held) => ({
      ...held,
      tierLabel: labels.certLevels[held.tier][lang],
      issuingLevelLabel: levelLabel(held.issuingLevel, lang),
      standingLabel: labels.recognitionStandings[held.standing][lang],
    })),
    warnings: assessment.warnings.map((warning) => ({ ...warning, text: warning[lang] })),
  };
}

export const dualApp = newApp().openapi(dualRoute, async (c) => {
  const { id } = c.req.valid('param');
  const { asOf } = c.req.valid('query');
  const bundle = await loadVisibleBundle(c, id);
  // Stored teachers and records were validated on write and the policy when parsed: core's trusted entry.
  const assessment = dualQualifiedOf(bundle.row.teacher, bundle.records, asOf, bundle.policy);
  const lang = langOf(c);
  return c.json(
    {
      ...viewHead(id, asOf, bundle.policy, lang),
      expiryWarningDays: expiryWarningDaysOf(bundle.policy),
      ...dualQualifiedOut(assessment, lang),
    },
    200,
  );
});
