import { z } from '@hono/zod-openapi';
import {
  appraisalSchema,
  categoryScoreSchema,
  gapSchema,
  gradeSchema,
  policySchema,
  pointsTableSchema,
  requirementSchema,
  practiceOutlookSchema,
  practiceRequirementSchema,
  practiceStatusSchema,
  prePostPracticeSchema,
  progressSchema,
  quotaTraceSchema,
  requirementResultSchema,
  yearDetailSchema,
  titleReviewEntrySchema,
  traceItemSchema,
  vetoTraceSchema,
} from '@shizi/core/schemas';
import type { Policy as PolicyDocument } from '@shizi/core';

/**
 * Response schemas of the teacher views, the committee listings and the policies: core's output schemas
 * (`@shizi/core/schemas`, each equal to core's TypeScript type by a type-level test) plus what the worker adds
 * to them (labels in the asked language, ids, next steps). Route handlers are typed against these, and
 * test/responses.test.ts parses real answers with them.
 */

const nullableLabel = z.string().nullable().openapi({ description: 'in the language asked by Accept-Language' });

/** Which language an answer's texts are in (Accept-Language). */
export const AnswerLang = z.enum(['zh', 'en']);
/**
 * The head of a teacher view answered as of a date (progress, 双师型): whose it is, the date, the policy version
 * that judged it and the language of its texts. Spread into each view's schema (the growth file, which names its teacher in full, takes `answerHead`); `viewHead` (views.ts) fills it.
 */
export const answerHead = { asOf: z.string(), policyVersion: z.string(), lang: AnswerLang };
export const teacherViewHead = { teacherId: z.string(), ...answerHead };

export const PracticeStatus = practiceStatusSchema.openapi('PracticeStatus', { description: 'evaluatePractice result (@shizi/core)' });
export const PracticeRequirement = practiceRequirementSchema.openapi('PracticeRequirement', { description: 'the enterprise-practice requirement that applies to a teacher: the category’s days and the binding rule (practiceRequirementOf, @shizi/core)' });
export const PracticeOutlook = practiceOutlookSchema.openapi('PracticeOutlook', { description: 'what would close a practice shortfall: records awaiting review, days still to declare' });

export const NextStep = z
  .object({
    actor: z.enum(['teacher', 'unit', 'hr']).nullable().openapi({ description: 'who acts; null when the year is over' }),
    recordId: z.string().nullable(),
    zh: z.string(),
    en: z.string(),
    text: z.string().openapi({ description: 'zh or en, by Accept-Language' }),
  })
  .openapi('NextStep');

/** Pre-post practice (岗前企业实践, policy.practice.prePost): core's `prePostPracticeOf`, its gaps with `text`. */
export const PrePostPractice = prePostPracticeSchema
  .extend({ gaps: z.array(prePostPracticeSchema.shape.gaps.element.extend({ text: z.string().openapi({ description: 'zh or en, by Accept-Language' }) })) })
  .openapi('PrePostPractice', { description: 'practice owed before taking up the post by a new teacher without enterprise experience (prePostPracticeOf, @shizi/core)' });

export const PracticeView = PracticeStatus.extend({
  teacherId: z.string(),
  policyVersion: z.string(),
  yearLabel: z.string(),
  rollingYearLabels: z.array(z.string()).openapi({ description: 'the labels of `rolling.years`, oldest first' }),
  outlook: PracticeOutlook,
  nextSteps: z.array(NextStep),
  prePostPractice: PrePostPractice,
}).openapi('PracticeView');

/** A requirement line of the progress tree, with `labelText` in the asked language at every level. */
const valueLabel = z.string().nullable().openapi({ description: 'the name of the value in the asked language (a grade, a certificate level); null for a number or none' });
const YearLine = yearDetailSchema.extend({ currentLabel: valueLabel, requiredLabel: valueLabel }).openapi('RequirementYear');
export const RequirementLine = requirementResultSchema
  .extend({
    labelText: nullableLabel,
    currentLabel: valueLabel,
    requiredLabel: valueLabel,
    perYear: z.array(YearLine).optional(),
    get children() {
      return z.array(RequirementLine).optional();
    },
  })
  .openapi('RequirementLine');

/** core's requirement tree, named here so the generator refers to it at each level instead of unrolling it. */
export const RequirementResult = requirementResultSchema
  .extend({
    get children() {
      return z.array(RequirementResult).optional();
    },
  })
  .openapi('RequirementResult');

export const Gap = gapSchema.extend({ practice: PracticeOutlook.optional(), text: z.string().openapi({ description: 'zh or en, by Accept-Language' }) }).openapi('Gap');
export const ProgressGap = Gap.extend({ nextSteps: z.array(NextStep).optional().openapi({ description: 'on practice gaps: who must do what to close it' }) }).openapi('ProgressGap');

export const Progress = progressSchema.extend({ requirements: z.union([RequirementResult, z.null()]), gaps: z.array(Gap) }).openapi('Progress', { description: 'assessProgress result (@shizi/core), gaps with text' });

export const ProgressView = progressSchema
  .extend({
    ...teacherViewHead,
    stageLabel: nullableLabel,
    nextStageLabel: nullableLabel,
    requirements: z.union([RequirementLine, z.null()]),
    gaps: z.array(ProgressGap),
    nextSteps: z.array(NextStep).openapi({ description: 'what the teacher should do that is no gap of the next stage (a 双师型 recognition within the policy’s warning days of expiry)' }),
    practiceRequirement: PracticeRequirement,
    prePostPractice: PrePostPractice,
  })
  .openapi('ProgressView', { description: 'assessProgress result with labels, gap texts and next steps' });

/** A grade with its zh/en label, best first in lists. */
export const GradeLabel = z.object({ grade: gradeSchema, label: z.object({ zh: z.string(), en: z.string() }) }).openapi('GradeLabel');

/** A tie-break category of the excellence quota (and of title review), with the policy's zh/en label. */
export const TieBreakCategory = z
  .object({ id: z.string(), label: z.object({ zh: z.string(), en: z.string() }).openapi({ description: 'the category’s label in the policy' }) })
  .openapi('TieBreakCategory', { description: 'a category of `appraisal.excellenceQuota.tieBreak`: after the total, ties are broken by these categories’ capped points summed' });

const Reason = z.object({ code: z.string().openapi({ description: 'a veto, `below_competent` or `excellence_quota`' }), label: z.string() }).openapi('AppraisalReason');

/** An appraisal as the API answers it (`appraisalOut`): core's appraisal plus labels and reasons. */
export const AppraisalOut = appraisalSchema.extend({
  yearLabel: z.string(),
  finalGradeRank: z.int().openapi({ description: 'position of the final grade, best first (0 = excellent)' }),
  reasons: z.array(Reason),
  gradeLabel: nullableLabel,
  finalGradeLabel: nullableLabel,
  vetoLabels: z.array(z.string()),
  vetoTrace: z.array(
    vetoTraceSchema.extend({
      label: z.string().openapi({ description: 'the veto’s label: the policy’s own, or the built-in one' }),
      gradeBeforeLabel: z.string(),
      gradeAfterLabel: z.string().openapi({ description: 'the grade the veto left (the appraisal’s grade when the trace names none)' }),
    }),
  ),
  categories: z.record(z.string(), categoryScoreSchema.extend({ label: nullableLabel })).openapi({ description: 'every category of the policy, with its label' }),
  totalCap: z.number().openapi({ description: 'the most the total can be: the sum of the categories’ caps (what a total is shown out of)' }),
  items: z.array(traceItemSchema.extend({ categoryLabel: nullableLabel, ruleLabel: z.string() })),
});

export const AppraisalView = AppraisalOut.extend({ policyVersion: z.string() }).openapi('AppraisalView', { description: 'scoreAppraisal result (@shizi/core) with labels' });

export const RankedAppraisal = AppraisalOut.extend({
  rank: z.int(),
  name: z.string(),
  unit: z.string(),
  finalGrade: gradeSchema.openapi({ description: 'after the excellence quota of the unit' }),
  quota: quotaTraceSchema.optional(),
}).openapi('RankedAppraisal', { description: 'rank, teacher name and unit, and the appraisal after the quota with its trace' });

export const TitleReviewEntry = titleReviewEntrySchema
  .extend({ name: z.string(), unit: z.string(), targetTitleLabel: nullableLabel, reasonTexts: z.array(z.string()) })
  .openapi('TitleReviewEntry', { description: 'rankTitleReview entry (@shizi/core) with name, unit and reasons in the asked language' });

// Named, so the generator refers to them instead of unrolling their recursion (`.openapi` on a z.lazy names the
// instance the policy schema holds).
requirementSchema.openapi('Requirement', { description: 'a growth-path requirement: a leaf, or all_of / any_of of children' });
pointsTableSchema.openapi('PointsTable', { description: 'points by the value of one enum field, or nested for two' });

// Annotated: its inferred type names core types by their dist paths, which declaration emit may not use.
export const Policy: z.ZodType<PolicyDocument> = policySchema.openapi('Policy', { description: 'a whole policy document, as @shizi/core parsePolicy reads it' });
