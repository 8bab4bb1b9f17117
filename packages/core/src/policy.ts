import { z } from 'zod';
import { defaultYearStart, yearStartLimits } from './calendar.js';
import { formatPath, issueMessage, issuesFromZod, parseWith, ValidationError, type ValidationIssue } from './errors.js';
import { categoryIds, grades, type Grade } from './grades.js';
import { builtinKinds } from './evidence/builtin.js';
import type { KindDeclaration } from './evidence/declaration.js';
import { kindDeclarationSchema, kindIdSchema } from './evidence/schema.js';
import { itemsOfRules, legacyRuleOfItem } from './scoring/legacy-rules.js';
import { categorySchema, scoringItemSchema, type ItemRule, type ScoringItem } from './scoring/schema.js';
import { awards, certLevels, certTypes, levels, patentTypes, practiceForms, registryOf, resourceTypes, stages, teacherCategories, titles, type RecordKind, type TeacherCategory } from './records.js';

/**
 * Policy is data: every number, table and requirement of the rules lives here, validated by this schema.
 * Logic reads it and never embeds a number of its own, so an institution can replace any of it.
 */

// The category and grade names, `gradeAtLeast` and `shareOf` live in grades.ts, which imports no zod, so a
// bundle that needs only them stays small; they are re-exported here for the modules that import them from here.
export { categoryIds, gradeAtLeast, grades, rankShareIndex, shareOf, type CategoryId, type Grade } from './grades.js';

const nonNegative = z.number().min(0, { message: 'must not be negative' });
const positive = z.number().gt(0, { message: 'must be greater than 0' });
const shareValue = z.number().gt(0, { message: 'share must be greater than 0' }).lte(1, { message: 'share must be at most 1' });
const count = z.int().min(0, { message: 'must not be negative' });
// A category of the policy's own list (`appraisal.categories`): checked against the list once the whole policy is read.
const category = kindIdSchema;
const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });

function tableOf<const K extends readonly string[]>(keys: K) {
  return z.strictObject(Object.fromEntries(keys.map((key) => [key, nonNegative])) as { [P in K[number]]: typeof nonNegative });
}

/** A rule paying `points` for every `per` units of something (yuan, trainee-hours). */
const rateRule = z.strictObject({ category, points: nonNegative, per: positive });

/** Which practice rule binds compliance and the practice veto (SPEC §3): the annual days, the rolling window, or both. */
export const practiceBindings = ['annual', 'rolling', 'both'] as const;
export type PracticeBinding = (typeof practiceBindings)[number];

/** How much a day of a form of practice counts: integer percent, 0 (not counted) to 100. */
const practiceFormRule = z.strictObject({ percent: z.int().min(0, { message: 'must be 0 to 100' }).max(100, { message: 'must be 0 to 100' }) });

/** A teacher category's own practice requirement: its annual and rolling-window days, or none at all. */
const categoryPracticeRequirement = z.union([z.literal('exempt'), z.strictObject({ requiredDays: count, rollingRequiredDays: count })], {
  error: 'must be "exempt" or { requiredDays, rollingRequiredDays } (non-negative integers)',
});

// ---------------------------------------------------------------------------------------------------------
// Growth requirements: all_of / any_of over typed leaves.

/** Filter on a record's own fields: `{ field: 'role', in: ['mentor'] }`. */
export interface RecordFilter {
  field: string;
  in: Array<string | number>;
}

interface RequirementBase {
  /** Stable id: gaps and API answers refer to it. */
  id: string;
  /** What a person reads for this line; leaves have sensible defaults. */
  label?: { zh: string; en: string } | undefined;
}
export type Requirement =
  | (RequirementBase & { type: 'all_of' | 'any_of'; children: Requirement[] })
  | (RequirementBase & { type: 'years_in_stage'; min: number })
  | (RequirementBase & { type: 'practice_compliant'; years: number })
  | (RequirementBase & { type: 'grade_each_year'; years: number; minGrade: Grade })
  | (RequirementBase & { type: 'appraisal_mean'; years: number; min: number })
  | (RequirementBase & { type: 'certificate'; certType: (typeof certTypes)[number]; minLevel: (typeof certLevels)[number] })
  /** A valid (verified, not expired) dual_qualified_recognition at `minTier` or above. */
  | (RequirementBase & { type: 'dual_qualified_tier'; minTier: (typeof certLevels)[number] })
  | (RequirementBase & {
      type: 'record_count';
      kinds: RecordKind[];
      where?: RecordFilter[] | undefined;
      /** Highest rank that counts (1 = lead only). Rank defaults to 1. */
      maxRank?: number | undefined;
      /** Window of last completed years; absent means all records up to the as-of date. */
      years?: number | undefined;
      min: number;
    })
  | (RequirementBase & {
      type: 'record_sum';
      kinds: RecordKind[];
      measure: 'amountYuan' | 'traineeHours' | 'days';
      shareWeighted: boolean;
      where?: RecordFilter[] | undefined;
      maxRank?: number | undefined;
      years?: number | undefined;
      min: number;
    });
export type RequirementType = Requirement['type'];

const requirementBase = { id: z.string().min(1).max(100), label: bilingual.optional() };
const windowYears = z.int().min(1, { message: 'must be at least 1' }).max(50);
const filter = z.strictObject({ field: z.string().min(1), in: z.array(z.union([z.string(), z.number()])).min(1, { message: 'must list at least one value' }) });
const recordSelection = {
  // Built-in or the policy's own kinds: checked against both once the whole policy is read (checkRequirement).
  kinds: z.array(z.string().min(1) as unknown as z.ZodType<RecordKind, string>).min(1),
  where: z.array(filter).optional(),
  maxRank: z.int().min(1).optional(),
  years: windowYears.optional(),
};

export const requirementSchema: z.ZodType<Requirement> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ ...requirementBase, type: z.enum(['all_of', 'any_of']), children: z.array(requirementSchema).min(1, { message: 'must have at least one requirement' }) }),
    z.strictObject({ ...requirementBase, type: z.literal('years_in_stage'), min: nonNegative }),
    z.strictObject({ ...requirementBase, type: z.literal('practice_compliant'), years: windowYears }),
    z.strictObject({ ...requirementBase, type: z.literal('grade_each_year'), years: windowYears, minGrade: z.enum(grades) }),
    z.strictObject({ ...requirementBase, type: z.literal('appraisal_mean'), years: windowYears, min: nonNegative }),
    z.strictObject({ ...requirementBase, type: z.literal('certificate'), certType: z.enum(certTypes), minLevel: z.enum(certLevels) }),
    z.strictObject({ ...requirementBase, type: z.literal('dual_qualified_tier'), minTier: z.enum(certLevels) }),
    z.strictObject({ ...requirementBase, type: z.literal('record_count'), ...recordSelection, min: count }),
    z.strictObject({
      ...requirementBase,
      type: z.literal('record_sum'),
      ...recordSelection,
      measure: z.enum(['amountYuan', 'traineeHours', 'days']),
      shareWeighted: z.boolean(),
      min: nonNegative,
    }),
  ]),
);

// ---------------------------------------------------------------------------------------------------------

const gradeBand = z.strictObject({ grade: z.enum(grades), min: nonNegative });

const vetoId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be lower-case letters, digits and _ (at most 64), starting with a letter' });
/** A veto: its id is what `vetoes` and the trace name (`ethics_violation`); `label` names a veto of the policy's own. */
export const vetoSchema = z.union([
  z.strictObject({
    id: vetoId,
    label: bilingual.optional(),
    /** A verified record of this kind in the year, matching `where`, sets the grade to at most `grade`. */
    when: z.strictObject({ kind: z.string().min(1), where: z.array(filter).optional() }),
    grade: z.enum(grades),
  }),
  z.strictObject({
    id: vetoId,
    label: bilingual.optional(),
    /** Enterprise practice of the year not compliant: the grade is at most `maxGrade`. */
    when: z.literal('practice_noncompliant'),
    maxGrade: z.enum(grades),
  }),
]);
export type Veto = z.infer<typeof vetoSchema>;
export type KindVeto = Extract<Veto, { grade: Grade }>;
const satisfactionBand = z.strictObject({ min: nonNegative, factor: nonNegative });

/**
 * The fifteen named rules policies were once stored with (`appraisal.rules`): validated on their own when a stored
 * policy has them, then read as scoring items (itemsOfRules). Not part of policySchema: a policy has items.
 */
const legacyRulesSchema = z.strictObject({
  teachingWorkload: z.strictObject({ category, fullHours: positive, points: nonNegative }),
  teachingEvaluation: z.strictObject({ category, factor: nonNegative }),
  teachingResource: z.strictObject({ category, points: tableOf(resourceTypes) }),
  teachingReform: z.strictObject({ category, points: tableOf(levels) }),
  mentoring: z.strictObject({ category, mentorPassed: nonNegative }),
  practiceDays: z.strictObject({ category, pointsPerDay: nonNegative }),
  skillCompetition: z.strictObject({ category, points: z.strictObject(Object.fromEntries(levels.map((level) => [level, tableOf(awards)])) as { [L in (typeof levels)[number]]: ReturnType<typeof tableOf<typeof awards>> }) }),
  certificate: z.strictObject({ category, points: tableOf(certLevels) }),
  internationalTraining: z.strictObject({ category, pointsPerDay: nonNegative }),
  horizontalProject: rateRule,
  patent: z.strictObject({ category, points: tableOf(patentTypes) }),
  techTransfer: rateRule,
  enterpriseTraining: z.strictObject({ category, points: nonNegative, perTraineeHours: positive }),
  technicalService: rateRule,
  /** Factor on enterprise-service results by client satisfaction: bands best first, then below, then absent. */
  satisfaction: z.strictObject({ bands: z.array(satisfactionBand), below: nonNegative, absent: nonNegative }).superRefine((table, ctx) => {
    for (let index = 1; index < table.bands.length; index++) {
      if (table.bands[index]!.min >= table.bands[index - 1]!.min) {
        ctx.addIssue({ code: 'custom', path: ['bands', index, 'min'], message: 'satisfaction bands must be in descending order of min' });
      }
    }
  }),
});

export const policySchema = z
  .strictObject({
    /** An editor's pointer to policy.schema.json; ignored by the rules. */
    $schema: z.string().optional(),
    version: z.string().min(1).max(100),
    name: bilingual,
    /** Evidence kinds of the institution's own, besides the built-in ones, in the same vocabulary. */
    evidenceKinds: z
      .record(
        kindIdSchema.refine((kind) => !Object.hasOwn(builtinKinds, kind), { message: 'is a built-in kind' }),
        kindDeclarationSchema as z.ZodType<KindDeclaration, unknown>,
      )
      .optional(),
    calendar: z.strictObject({
      yearStart: z
        .strictObject({
          month: z.int().min(1).max(12),
          day: z.int().min(1).max(yearStartLimits.maxDay, { message: yearStartLimits.dayMessage }),
        })
        .describe('first day of an academic year'),
    }),
    /** Share of a team result by 1-based rank; ranks beyond the table take its last entry. */
    shareByRank: z.array(shareValue).min(1, { message: 'must have at least one share' }),
    practice: z.strictObject({
      requiredDays: count,
      prorateHireYear: z.boolean(),
      rolling: z.strictObject({ years: windowYears, requiredDays: count }),
      /**
       * The rule that decides `compliant`, and so the practice veto, growth and title review: the annual days
       * (`annual`, when absent), the rolling window (`rolling`) or both at once (`both`).
       */
      binding: z.enum(practiceBindings).optional().describe('which rule decides compliance and the practice veto: annual (the default), rolling or both'),
      /**
       * A teacher category's own requirement (教师类别: 公共基础课 teachers may owe half, or none): its annual and
       * rolling days, or `exempt`. A category not named owes `requiredDays` and `rolling.requiredDays`.
       */
      byCategory: z
        .strictObject(Object.fromEntries(teacherCategories.map((teacherCategory) => [teacherCategory, categoryPracticeRequirement.optional()])) as Record<TeacherCategory, z.ZodOptional<typeof categoryPracticeRequirement>>)
        .optional()
        .describe('per teacher category: { requiredDays, rollingRequiredDays } or "exempt"'),
      /**
       * How much a day of each form of practice (the record's `form`) counts, in percent: 50 counts a 考察观摩 day
       * as half a day, 0 leaves the form out. A form not named, and a record without a form, count in full.
       * Counted days are the sum over the year's days of the highest percent among the records covering each,
       * divided by 100 and rounded down.
       */
      forms: z
        .strictObject(Object.fromEntries(practiceForms.map((form) => [form, practiceFormRule.optional()])) as Record<(typeof practiceForms)[number], z.ZodOptional<typeof practiceFormRule>>)
        .optional()
        .describe('per form of practice: { percent } a day counts (0 to 100; 0: not counted)'),
      /**
       * Pre-post practice (岗前企业实践): a teacher without enterprise experience (`enterpriseExperience` not
       * true) owes `requiredDays` of verified practice ending before the post starts (the hire date). Only the
       * teacher categories in `categories` and the (current) stages in `stages`; each, when absent, every one.
       */
      prePost: z
        .strictObject({
          requiredDays: z.int().min(1).max(3660),
          categories: z.array(z.enum(teacherCategories)).min(1).optional(),
          stages: z.array(z.enum(stages)).min(1).optional(),
        })
        .optional()
        .describe('pre-post practice of new teachers without enterprise experience: { requiredDays, categories?, stages? }'),
    }),
    appraisal: z.strictObject({
      /**
       * The categories, in the order they are shown: each with its id (what rules, items and traces name), its
       * zh/en label and its cap. Policies stored in the older shape (an object keyed by the five built-in ids,
       * plus `extraCategories`) are read as this list.
       */
      categories: z.array(categorySchema).min(1, { message: 'must have at least one category' }),
      /**
       * The scoring items, the lines of the 量化考核表: each names its kinds, a filter, one rule and its limits
       * (scoring/schema.ts). Policies stored in the older shape, with fifteen named `rules`, are read as the
       * equivalent items followed by their own (scoring/legacy-rules.ts).
       */
      items: z.array(scoringItemSchema),
      /** Bands best first: the first whose `min` the total reaches; below all of them, `otherwise`. */
      grades: z.strictObject({ bands: z.array(gradeBand).min(1), otherwise: z.enum(grades) }).superRefine((table, ctx) => {
        const bands = table.bands;
        for (let index = 1; index < bands.length; index++) {
          if (bands[index]!.min >= bands[index - 1]!.min) {
            ctx.addIssue({ code: 'custom', path: ['bands', index, 'min'], message: 'grade bands must be in descending order of min' });
          }
          if (grades.indexOf(bands[index]!.grade) <= grades.indexOf(bands[index - 1]!.grade)) {
            ctx.addIssue({ code: 'custom', path: ['bands', index, 'grade'], message: 'grade bands must go from best to worst grade' });
          }
        }
      }),
      /**
       * Vetoes (一票否决), applied in order after the bands: a verified record of a kind in the year (optionally
       * filtered) lowers the grade to at most `grade`; enterprise practice not compliant, to at most `maxGrade`.
       * Any veto also removes title-review eligibility for the year.
       */
      vetoes: z.array(vetoSchema),
      /** Lowest grade that keeps a teacher eligible for title review that year. */
      titleReviewMinGrade: z.enum(grades),
      excellenceQuota: z.strictObject({
        grade: z.enum(grades),
        lowerTo: z.enum(grades),
        maxShare: shareValue,
        atLeastOne: z.boolean(),
        /**
         * After the total, ties are broken by the capped points of these categories summed (then practice
         * days, then id); title review breaks ties the same way. Policies stored without it get
         * `tech_transfer` and `enterprise_service`, the ones the default policy names.
         */
        tieBreak: z.array(category),
      }),
    }),
    growth: z.strictObject({
      /** The ladder, lowest first; `transitions[stage]` is what it takes to leave `stage` for the next one. */
      transitions: z.strictObject(Object.fromEntries(stages.slice(0, -1).map((stage) => [stage, requirementSchema])) as Record<Exclude<(typeof stages)[number], 'cluster_lead'>, typeof requirementSchema>),
    }),
    /**
     * 双师型 recognition (认定): what each tier takes, lowest first. Optional so older policies stay valid;
     * the default policy carries `dualQualifiedPreset`.
     */
    dualQualified: z
      .strictObject({
        /** Days before a recognition's validUntil from which the teacher is warned. */
        expiryWarningDays: z.int().min(0).max(3650),
        /**
         * The college's 双师型 ratio target among 专业课 teachers, in hundredths of a percent (5000 = 50.00 %):
         * `above` it (the national "over 50 %") or `at_least` it. Optional: a policy without one is held to the
         * preset's.
         */
        ratioTarget: z.strictObject({ hundredthsOfPercent: z.int().min(0).max(10000), comparison: z.enum(['above', 'at_least']) }).optional(),
        /**
         * Targets that change over the years (a plan raising the ratio): from the academic year `fromYear` on,
         * that target; each year takes the latest entry starting on or before it, a year before every entry
         * `ratioTarget`. Strictly increasing `fromYear`.
         */
        ratioTargetsByYear: z
          .array(z.strictObject({ fromYear: z.int().min(1900).max(2999), hundredthsOfPercent: z.int().min(0).max(10000), comparison: z.enum(['above', 'at_least']) }))
          .min(1)
          .refine((entries) => entries.every((entry, index) => index === 0 || entry.fromYear > entries[index - 1]!.fromYear), { message: 'fromYear must increase strictly' })
          .optional()
          .describe('targets from an academic year on: [{ fromYear, hundredthsOfPercent, comparison }], fromYear increasing'),
        tiers: z.strictObject({ junior: requirementSchema, intermediate: requirementSchema, senior: requirementSchema }),
      })
      .optional(),
    /**
     * Review of declared evidence: one level (the personnel office verifies) or two (the teacher's unit
     * approves first, then the personnel office), and how many days a record may wait before a digest names it.
     * Optional so older policies stay valid; `reviewSettings` gives the default policy's.
     */
    review: z
      .strictObject({
        levels: z.union([z.literal(1), z.literal(2)]),
        maxWaitDays: z.int().min(1).max(365),
      })
      .optional(),
    titleReview: z.strictObject({
      windowYears,
      minGrade: z.enum(grades),
      targets: z.strictObject(
        Object.fromEntries(titles.slice(1).map((title) => [title, z.strictObject({ minYearsAtTitle: nonNegative, minScore: nonNegative })])) as Record<
          Exclude<(typeof titles)[number], 'assistant'>,
          z.ZodObject<{ minYearsAtTitle: typeof nonNegative; minScore: typeof nonNegative }, z.core.$strict>
        >,
      ),
    }),
  })
  // Requirements name kinds and fields of the whole policy (its own kinds too), so they are checked at the top;
  // `when` runs this even when other parts of the policy are invalid, so every problem is reported at once.
  .check(
    z.superRefine(
      (input, ctx) => {
        const policy = input as Partial<Policy>;
        const own = policy.evidenceKinds;
        const registry = registryOf(own && typeof own === 'object' && kindDeclarationsValid(own) ? { evidenceKinds: own } : undefined);
        checkCategories(policy, ctx);
        checkItems(policy, registry, ctx);
        checkVetoes(policy, registry, ctx);
        const transitions = policy.growth?.transitions;
        if (!transitions || typeof transitions !== 'object') return;
        for (const [stage, requirement] of Object.entries(transitions)) {
          if (requirement && typeof requirement === 'object') checkRequirement(requirement, ['growth', 'transitions', stage], new Set(), registry, ctx);
        }
        const tiers = policy.dualQualified?.tiers;
        if (!tiers || typeof tiers !== 'object') return;
        for (const [tier, requirement] of Object.entries(tiers)) {
          if (requirement && typeof requirement === 'object') checkRequirement(requirement, ['dualQualified', 'tiers', tier], new Set(), registry, ctx);
        }
      },
      // Not on a non-object (e.g. `undefined`, which OpenAPI generators parse to test optionality): there is nothing to cross-check.
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    ),
  );

/** The category ids a (possibly malformed) policy lists. */
function categoriesOf(policy: Partial<Policy>): Set<string> {
  const list = policy.appraisal?.categories;
  return new Set(Array.isArray(list) ? list.flatMap((entry) => (entry && typeof entry === 'object' && typeof entry.id === 'string' ? [entry.id] : [])) : []);
}

/** Category ids are unique; the quota's tie-break names categories of the list (items are checked in checkItems). */
function checkCategories(policy: Partial<Policy>, ctx: z.core.$RefinementCtx): void {
  const list = policy.appraisal?.categories;
  if (!Array.isArray(list)) return;
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    if (!entry || typeof entry !== 'object' || typeof entry.id !== 'string') return;
    if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', path: ['appraisal', 'categories', index, 'id'], message: `duplicate category id "${entry.id}"` });
    seen.add(entry.id);
  });
  const unknown = (path: PropertyKey[]) => ctx.addIssue({ code: 'custom', path, message: `unknown category; expected one of ${[...seen].join(', ')}` });
  const tieBreak = policy.appraisal?.excellenceQuota?.tieBreak;
  if (Array.isArray(tieBreak)) tieBreak.forEach((id, index) => typeof id === 'string' && !seen.has(id) && unknown(['appraisal', 'excellenceQuota', 'tieBreak', index]));
}

/** Items must name a category of the policy, known kinds, and fields those kinds have, of the right type. */
function checkItems(policy: Partial<Policy>, registry: ReturnType<typeof registryOf>, ctx: z.core.$RefinementCtx): void {
  const items = policy.appraisal?.items;
  if (!Array.isArray(items)) return;
  const categories = categoriesOf(policy);
  const ids = new Set<string>();
  items.forEach((item: ScoringItem, index) => {
    if (!item || typeof item !== 'object') return;
    const path = ['appraisal', 'items', index];
    const issue = (where: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path: [...path, ...where], message });
    if (typeof item.id === 'string') {
      if (ids.has(item.id)) issue(['id'], `duplicate item id "${item.id}"`);
      ids.add(item.id);
    }
    if (typeof item.category === 'string' && !categories.has(item.category)) issue(['category'], `unknown category; expected one of ${[...categories].join(', ')}`);
    if (!Array.isArray(item.kinds)) return;
    const kinds = item.kinds.flatMap((kind, at) => {
      const compiled = typeof kind === 'string' ? registry.kind(kind) : undefined;
      if (compiled === undefined) {
        if (typeof kind === 'string' && kind !== '') issue(['kinds', at], `unknown record kind; expected one of ${registry.kindIds.join(', ')}`);
        return [];
      }
      return [compiled];
    });
    /** `present`: a quantity the rule computes with, so every record must carry it (an optional one cannot be scored). */
    const field = (where: PropertyKey[], name: unknown, types: readonly string[], present = false) => {
      if (typeof name !== 'string') return;
      for (const compiled of kinds) {
        const spec = compiled.fields.find(([fieldName]) => fieldName === name)?.[1];
        if (spec === undefined) issue(where, `record kind ${compiled.kind} has no field "${name}"`);
        else if (!types.includes(spec.type)) issue(where, `field "${name}" of ${compiled.kind} is a ${spec.type}; expected ${types.join(' or ')}`);
        else if (present && spec.optional === true) issue(where, `field "${name}" of ${compiled.kind} is optional; a rule computes with a field every record has`);
      }
    };
    const any = ['date', 'year', 'text', 'text_list', 'teacher_ref', 'enum', 'integer', 'yuan', 'decimal', 'team_rank', 'team_share'];
    const numeric = ['integer', 'yuan', 'decimal'];
    if (Array.isArray(item.where)) item.where.forEach((condition, at) => condition && field(['where', at, 'field'], condition.field, any));
    if (item.groupBy !== undefined) field(['groupBy'], item.groupBy, any);
    if (item.scoredOn !== undefined) field(['scoredOn'], item.scoredOn, ['date']);
    if (item.factor) field(['factor', 'field'], item.factor.field, numeric);
    const rule = item.rule;
    if (!rule || typeof rule !== 'object') return;
    if (rule.type === 'table' && Array.isArray(rule.keys)) rule.keys.forEach((key, at) => field(['rule', 'keys', at], key, ['enum']));
    if (rule.type === 'per_amount' && Array.isArray(rule.amount)) rule.amount.forEach((name, at) => field(['rule', 'amount', at], name, numeric, true));
    if (rule.type === 'saturating_sum' || rule.type === 'mean') field(['rule', 'field'], rule.field, numeric, true);
    if (rule.type === 'distinct_days') {
      for (const compiled of kinds) if (compiled.declaration.placement.by !== 'period') issue(['rule', 'type'], `record kind ${compiled.kind} has no period to count days of`);
    }
    if (rule.type === 'practice_days') {
      item.kinds.forEach((kind, at) => kind !== 'enterprise_practice' && typeof kind === 'string' && kind !== '' && issue(['kinds', at], 'a practice_days item counts enterprise_practice records only'));
      // The days are the practice rule's (policy.practice): a filter or another date would be silently ignored.
      for (const key of ['where', 'scoredOn'] as const) if (item[key] !== undefined) issue([key], 'a practice_days item counts the days policy.practice counts; it takes no where or scoredOn');
    }
    const perRecord = rule.type === 'fixed' || rule.type === 'table' || rule.type === 'per_amount';
    // A line rule scores one line over the year: a per-record limit, factor or share has nothing to apply to.
    if (!perRecord) for (const key of ['groupBy', 'maxCount', 'factor', 'shareWeighted'] as const) if (item[key] !== undefined) issue([key], 'applies to per-record rules (fixed, table, per_amount) only');
  });
  checkTraceIds(items, ctx);
}

/**
 * Two items may not write the same trace rule id: a table item `certificate` writes `certificate.<certType>.<level>`,
 * which a dotted item `certificate.vocational.senior` (or an item's `<id>.cap` line) would write too, and the trace
 * could not tell them apart. Each clash is reported at the later item's id, naming the other item.
 */
function checkTraceIds(items: readonly ScoringItem[], ctx: z.core.$RefinementCtx): void {
  const owners = new Map<string, { index: number; id: string }>();
  const seenIds = new Set<string>();
  items.forEach((item, index) => {
    if (!item || typeof item !== 'object' || typeof item.id !== 'string') return;
    if (seenIds.has(item.id)) return; // reported as a duplicate id
    seenIds.add(item.id);
    const clashes = new Map<number, { id: string; traces: string[] }>();
    const own = new Set<string>();
    for (const trace of traceIdsOf(item)) {
      const owner = owners.get(trace);
      if (owner === undefined) owners.set(trace, { index, id: item.id });
      else if (owner.index === index) own.add(trace);
      else {
        const entry = clashes.get(owner.index) ?? { id: owner.id, traces: [] };
        entry.traces.push(trace);
        clashes.set(owner.index, entry);
      }
    }
    const path = ['appraisal', 'items', index, 'id'];
    for (const [other, { id, traces }] of clashes) {
      ctx.addIssue({ code: 'custom', path, message: `trace id ${traces.map((trace) => `"${trace}"`).join(', ')} is also written by item "${id}" (appraisal.items[${other}]); trace ids must be unique` });
    }
    if (own.size > 0) ctx.addIssue({ code: 'custom', path, message: `trace id ${[...own].map((trace) => `"${trace}"`).join(', ')} is written twice by this item (a points table path and its cap line)` });
  });
}

/** The trace rule ids an item can write: its id, or for a table item its id and each path of its points table; `<id>.cap` with a cap. */
function traceIdsOf(item: ScoringItem): string[] {
  const rule = item.rule as Partial<ItemRule> | undefined;
  const ids: string[] = [];
  if (rule && typeof rule === 'object' && rule.type === 'table') {
    const depth = Array.isArray(rule.keys) ? rule.keys.length : undefined;
    const walk = (table: unknown, path: string[]) => {
      if (typeof table === 'number') {
        // The engine reads exactly one level per key: a number at another depth never scores, so writes no line.
        if (depth === undefined || path.length === depth) ids.push([item.id, ...path].join('.'));
        return;
      }
      if (table && typeof table === 'object' && !Array.isArray(table)) for (const [key, entry] of Object.entries(table)) walk(entry, [...path, key]);
    };
    walk(rule.points, []);
  } else ids.push(item.id);
  if (typeof item.cap === 'number') ids.push(`${item.id}.cap`);
  return ids;
}

/** Veto ids are unique; a kind veto names a known kind and fields it has. */
function checkVetoes(policy: Partial<Policy>, registry: ReturnType<typeof registryOf>, ctx: z.core.$RefinementCtx): void {
  const vetoes = policy.appraisal?.vetoes;
  if (!Array.isArray(vetoes)) return;
  const ids = new Set<string>();
  vetoes.forEach((veto: Veto, index) => {
    if (!veto || typeof veto !== 'object') return;
    const path = ['appraisal', 'vetoes', index];
    if (typeof veto.id === 'string') {
      if (ids.has(veto.id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate veto id "${veto.id}"` });
      ids.add(veto.id);
    }
    const when = veto.when;
    if (!when || typeof when !== 'object' || typeof when.kind !== 'string' || when.kind === '') return;
    const compiled = registry.kind(when.kind);
    if (compiled === undefined) {
      ctx.addIssue({ code: 'custom', path: [...path, 'when', 'kind'], message: `unknown record kind; expected one of ${registry.kindIds.join(', ')}` });
      return;
    }
    const names = new Set(compiled.fields.map(([name]) => name));
    if (Array.isArray(when.where)) {
      when.where.forEach((condition, at) => {
        if (condition && typeof condition.field === 'string' && !names.has(condition.field)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'when', 'where', at, 'field'], message: `record kind ${when.kind} has no field "${condition.field}"` });
        }
      });
    }
  });
}

/** A stored policy read in today's shape, with what the reading found and how to name a problem as it was stored. */
interface Upgraded {
  value: unknown;
  /** Problems of the older shape itself (its named rules), with their stored paths. */
  issues: ValidationIssue[];
  /** The items read from the named rules, first in `appraisal.items`; none when the policy had no rules. */
  fromRules: ScoringItem[];
  /** Indexes (in the stored `appraisal.items`) of items whose id clashes with one read from the rules. */
  clashes: ReadonlySet<number>;
}

/**
 * Policies stored in older shapes read as today's: vetoes before they were a list, categories before they were a
 * list (upgradeLegacyCategories), and the fifteen named rules before they were scoring items
 * (upgradeLegacyRules). The input is not changed.
 */
function upgradeLegacy(input: unknown): Upgraded {
  const none: Upgraded = { value: input, issues: [], fromRules: [], clashes: new Set() };
  if (!isPlainObject(input) || !isPlainObject(input.appraisal)) return none;
  return upgradeLegacyRules(upgradeLegacyVetoes(upgradeLegacyCategories(input as Record<string, unknown> & { appraisal: Record<string, unknown> })));
}

/**
 * The fifteen named rules of the older shape (`appraisal.rules`) become the equivalent scoring items, first, then
 * the policy's own items: the same results, trace lines and labels. The rules are validated on their own, their
 * problems named at `appraisal.rules…`; an own item whose id is that of an item the rules are read as is refused
 * at its id.
 */
function upgradeLegacyRules(input: Record<string, unknown> & { appraisal: Record<string, unknown> }): Upgraded {
  const { rules, ...appraisal } = input.appraisal;
  if (rules === undefined) return { value: input, issues: [], fromRules: [], clashes: new Set() };
  const own = appraisal.items;
  const parsed = legacyRulesSchema.safeParse(rules);
  if (!parsed.success || (own !== undefined && !Array.isArray(own))) {
    // The rest of the policy is still checked, so every problem is named at once.
    const issues = parsed.success ? [] : issuesFromZod(parsed.error, ['policy', 'appraisal', 'rules']);
    return { value: { ...input, appraisal: { ...appraisal, items: own ?? [] } }, issues, fromRules: [], clashes: new Set() };
  }
  const fromRules = itemsOfRules(parsed.data);
  const ids = new Set(fromRules.map((item) => item.id));
  const issues: ValidationIssue[] = [];
  const clashes = new Set<number>();
  (own ?? []).forEach((item: unknown, index: number) => {
    if (!isPlainObject(item) || typeof item.id !== 'string' || !ids.has(item.id)) return;
    clashes.add(index);
    issues.push({ path: formatPath(['policy', 'appraisal', 'items', index, 'id']), message: `duplicate item id "${item.id}": appraisal.rules.${legacyRuleOfItem[item.id]} is read as an item of that id` });
  });
  return { value: { ...input, appraisal: { ...appraisal, items: [...fromRules, ...(own ?? [])] } }, issues, fromRules, clashes };
}

/**
 * A problem's path in the policy as it was stored: an item read from the named rules is named by its rule
 * (`appraisal.rules.patent.category`), an own item by its stored index; undefined for a problem the upgrade
 * already named.
 */
function storedPath(upgraded: Upgraded, path: readonly PropertyKey[]): PropertyKey[] | undefined {
  const count = upgraded.fromRules.length;
  if (count === 0 || path[0] !== 'appraisal' || path[1] !== 'items' || typeof path[2] !== 'number') return [...path];
  const [, , index, ...rest] = path as [string, string, number, ...PropertyKey[]];
  if (index < count) return ['appraisal', 'rules', legacyRuleOfItem[upgraded.fromRules[index]!.id]!, ...(rest[0] === 'category' ? ['category'] : [])];
  if (upgraded.clashes.has(index - count) && rest[0] === 'id') return undefined;
  return ['appraisal', 'items', index - count, ...rest];
}

/**
 * Policies stored before vetoes were a list (`{ ethicsViolation: { grade }, practiceNoncompliant: { maxGrade } }`)
 * read as the same two vetoes in the same order.
 */
/**
 * Categories stored in the older shape, an object keyed by the five built-in ids plus `extraCategories`, become
 * the list: the built-in ones in their fixed order, then any other key, then the extra ones. A quota without
 * `tieBreak` gets the two categories the older engine read by name, where the policy has them.
 */
function upgradeLegacyCategories(input: Record<string, unknown> & { appraisal: Record<string, unknown> }): Record<string, unknown> & { appraisal: Record<string, unknown> } {
  const { categories, extraCategories, ...appraisal } = input.appraisal;
  let list = categories;
  if (isPlainObject(categories)) {
    const ids = [...categoryIds.filter((id) => id in categories), ...Object.keys(categories).filter((id) => !(categoryIds as readonly string[]).includes(id))];
    list = ids.map((id) => (isPlainObject(categories[id]) ? { id, ...categories[id] } : categories[id]));
  }
  if (extraCategories !== undefined) {
    if (!isPlainObject(extraCategories) || !Array.isArray(list)) return input;
    list = [...list, ...Object.entries(extraCategories).map(([id, category]) => (isPlainObject(category) ? { id, ...category } : category))];
  }
  const quota = appraisal.excellenceQuota;
  if (isPlainObject(quota) && !('tieBreak' in quota)) {
    const present = Array.isArray(list) ? list.map((entry) => (isPlainObject(entry) ? entry.id : undefined)) : [];
    appraisal.excellenceQuota = { ...quota, tieBreak: ['tech_transfer', 'enterprise_service'].filter((id) => present.includes(id)) };
  }
  return { ...input, appraisal: { ...appraisal, ...(list === undefined ? {} : { categories: list }) } };
}

function upgradeLegacyVetoes(input: Record<string, unknown> & { appraisal: Record<string, unknown> }): Record<string, unknown> & { appraisal: Record<string, unknown> } {
  const vetoes = input.appraisal.vetoes;
  if (!isPlainObject(vetoes) || !('ethicsViolation' in vetoes || 'practiceNoncompliant' in vetoes)) return input;
  const { ethicsViolation, practiceNoncompliant, ...rest } = vetoes as Record<string, unknown>;
  // Anything else than the old shape stays as it is, for zod to name what is wrong.
  if (Object.keys(rest).length > 0 || !isPlainObject(ethicsViolation) || !isPlainObject(practiceNoncompliant)) return input;
  const list = [
    { ...practiceNoncompliant, id: 'practice_noncompliant', when: 'practice_noncompliant' },
    { ...ethicsViolation, id: 'ethics_violation', when: { kind: 'ethics_violation' } },
  ];
  return { ...input, appraisal: { ...input.appraisal, vetoes: list } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kindDeclarationsValid(own: object): own is Record<string, KindDeclaration> {
  return Object.entries(own).every(([kind, declaration]) => kindIdSchema.safeParse(kind).success && !Object.hasOwn(builtinKinds, kind) && kindDeclarationSchema.safeParse(declaration).success);
}

/** Filters must name a field that every listed kind has, and ids must be unique within one tree. */
function checkRequirement(requirement: Requirement, path: PropertyKey[], ids: Set<string>, registry: ReturnType<typeof registryOf>, ctx: z.core.$RefinementCtx): void {
  // The requirement may itself be malformed (zod reports that): check only what is there.
  if (typeof requirement.id === 'string') {
    if (ids.has(requirement.id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate requirement id "${requirement.id}"` });
    ids.add(requirement.id);
  }
  if (requirement.type === 'all_of' || requirement.type === 'any_of') {
    if (Array.isArray(requirement.children)) requirement.children.forEach((child, index) => child && typeof child === 'object' && checkRequirement(child, [...path, 'children', index], ids, registry, ctx));
    return;
  }
  if (requirement.type !== 'record_count' && requirement.type !== 'record_sum') return;
  if (!Array.isArray(requirement.kinds)) return;
  const known = registry.kindIds;
  const fieldsOf = requirement.kinds.flatMap((kind, index) => {
    if (typeof kind !== 'string' || (kind as string) === '') return []; // zod names it
    const compiled = registry.kind(kind);
    if (compiled === undefined) {
      ctx.addIssue({ code: 'custom', path: [...path, 'kinds', index], message: `unknown record kind; expected one of ${known.join(', ')}` });
      return [];
    }
    return [{ kind, names: new Set(compiled.fields.map(([name]) => name)) }];
  });
  if (Array.isArray(requirement.where)) {
    requirement.where.forEach((condition, index) => {
      for (const shape of fieldsOf) {
        if (condition && !shape.names.has(condition.field)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'where', index, 'field'], message: `record kind ${shape.kind} has no field "${condition.field}"` });
        }
      }
    });
  }
  if (requirement.type === 'record_sum') {
    const needs: Record<typeof requirement.measure, string[]> = { amountYuan: ['amountYuan'], traineeHours: ['trainees', 'hours'], days: ['start', 'end'] };
    for (const shape of fieldsOf) {
      for (const field of needs[requirement.measure] ?? []) {
        if (!shape.names.has(field)) ctx.addIssue({ code: 'custom', path: [...path, 'measure'], message: `record kind ${shape.kind} has no ${requirement.measure}` });
      }
    }
  }
}

export type Policy = z.infer<typeof policySchema>;

/**
 * Validate a policy; a ValidationError names each bad path (`policy.appraisal.categories[0].cap`).
 * @example
 * ```ts
 * const mine = parsePolicy({ ...structuredClone(defaultPolicy), version: 'college-2027' });
 * try { parsePolicy({}); } catch (error) { if (error instanceof ValidationError) console.log(error.issues); }
 * // [{ path: 'policy.version', message: … }, …] every problem at once
 * ```
 */
export function parsePolicy(input: unknown): Policy {
  if (isParsedPolicy(input)) return input;
  const upgraded = upgradeLegacy(input);
  const result = policySchema.safeParse(upgraded.value);
  const issues = [...upgraded.issues];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = storedPath(upgraded, issue.path);
      if (path !== undefined) issues.push({ path: formatPath(['policy', ...path]), message: issueMessage(issue) });
    }
  }
  if (!result.success || issues.length > 0) throw new ValidationError(issues);
  const policy = deepFreeze(result.data);
  parsedPolicies.add(policy);
  return policy;
}

/**
 * Policies parsePolicy returned (and the default): deeply frozen, so they need no second validation and what is
 * compiled from one (appraisal rules, the evidence registry) stays true to it.
 */
const parsedPolicies = new WeakSet<object>();
export function isParsedPolicy(input: unknown): input is Policy {
  return typeof input === 'object' && input !== null && parsedPolicies.has(input);
}

/**
 * The review settings of a policy: its own, or the default policy's when it names none.
 * @example
 * ```ts
 * reviewSettings(defaultPolicy); // { levels: 2, maxWaitDays: 30 }
 * ```
 */
export function reviewSettings(policy: Policy): NonNullable<Policy['review']> {
  return policy.review ?? defaultPolicy.review!;
}

/** Validates an optional policy argument; undefined means the default. */
export function resolvePolicy(policy: unknown): Policy {
  if (policy === undefined) return defaultPolicy;
  return parsePolicy(policy);
}

const mentorPassed = [
  { field: 'role', in: ['mentor'] },
  { field: 'outcome', in: ['passed'] },
];

/**
 * 双师型 tiers after the structure of 《职业教育"双师型"教师基本标准（试行）》(教育部, 2022): 初级 / 中级 / 高级,
 * each building on the one below with practice, an industry qualification, school–enterprise results, awards
 * and mentoring. Every number here is the institution's (or its province's) to set; these are placeholders in
 * the standard's shape, not the standard's numbers.
 */
export const dualQualifiedPreset = {
  expiryWarningDays: 90,
  // 《职业教育"双师型"教师基本标准（试行）》: over half of the 专业课 teachers.
  ratioTarget: { hundredthsOfPercent: 5000, comparison: 'above' },
  tiers: {
    junior: {
      id: 'dual_junior',
      type: 'all_of',
      children: [
        { id: 'practice_days', type: 'record_sum', kinds: ['enterprise_practice'], measure: 'days', shareWeighted: false, years: 5, min: 180, label: { zh: '近 5 个已完成学年企业实践累计不少于 180 天', en: 'at least 180 enterprise practice days in the last 5 completed years' } },
        {
          id: 'industry_qualification',
          type: 'any_of',
          children: [
            { id: 'vocational_certificate', type: 'certificate', certType: 'vocational', minLevel: 'junior' },
            { id: 'one_plus_x_certificate', type: 'certificate', certType: 'one_plus_x', minLevel: 'junior' },
          ],
        },
      ],
    },
    intermediate: {
      id: 'dual_intermediate',
      type: 'all_of',
      children: [
        { id: 'practice_days', type: 'record_sum', kinds: ['enterprise_practice'], measure: 'days', shareWeighted: false, years: 5, min: 180, label: { zh: '近 5 个已完成学年企业实践累计不少于 180 天', en: 'at least 180 enterprise practice days in the last 5 completed years' } },
        {
          id: 'industry_qualification',
          type: 'any_of',
          children: [
            { id: 'vocational_certificate', type: 'certificate', certType: 'vocational', minLevel: 'intermediate' },
            { id: 'one_plus_x_certificate', type: 'certificate', certType: 'one_plus_x', minLevel: 'intermediate' },
          ],
        },
        {
          id: 'school_enterprise_results',
          type: 'record_count',
          kinds: ['horizontal_project', 'technical_service', 'tech_transfer', 'enterprise_training', 'patent'],
          years: 5,
          min: 1,
          label: { zh: '近 5 个已完成学年校企合作成果', en: 'school–enterprise results in the last 5 completed years' },
        },
      ],
    },
    senior: {
      id: 'dual_senior',
      type: 'all_of',
      children: [
        { id: 'practice_days', type: 'record_sum', kinds: ['enterprise_practice'], measure: 'days', shareWeighted: false, years: 5, min: 180, label: { zh: '近 5 个已完成学年企业实践累计不少于 180 天', en: 'at least 180 enterprise practice days in the last 5 completed years' } },
        {
          id: 'industry_qualification',
          type: 'any_of',
          children: [
            { id: 'vocational_certificate', type: 'certificate', certType: 'vocational', minLevel: 'senior' },
            { id: 'one_plus_x_certificate', type: 'certificate', certType: 'one_plus_x', minLevel: 'senior' },
          ],
        },
        {
          id: 'school_enterprise_results',
          type: 'record_count',
          kinds: ['horizontal_project', 'technical_service', 'tech_transfer', 'enterprise_training', 'patent'],
          years: 5,
          min: 2,
          label: { zh: '近 5 个已完成学年校企合作成果', en: 'school–enterprise results in the last 5 completed years' },
        },
        {
          id: 'awards',
          type: 'record_count',
          kinds: ['skill_competition'],
          where: [{ field: 'level', in: ['national', 'provincial'] }],
          years: 5,
          min: 1,
          label: { zh: '近 5 个已完成学年省级及以上技能竞赛获奖', en: 'provincial-or-higher competition award in the last 5 completed years' },
        },
        { id: 'mentoring_teachers', type: 'record_count', kinds: ['mentoring'], where: mentorPassed, min: 1, label: { zh: '指导青年教师（师傅，徒弟已出师）', en: 'mentored another teacher (mentee passed)' } },
      ],
    },
  },
} as const satisfies NonNullable<z.input<typeof policySchema>['dualQualified']>;

/** The default policy's client-satisfaction factor on enterprise-service results: bands best first, then below, then absent. */
const satisfaction = {
  field: 'satisfaction',
  bands: [
    { min: 90, factor: 1 },
    { min: 80, factor: 0.9 },
  ],
  below: 0.7,
  absent: 1,
};
/** The default policy pays a certificate by its level, the same for every certificate type. */
const certificateLevels = { junior: 1, intermediate: 3, senior: 5 };

/** The default policy: the numbers of the specification (SPEC.md §1–6). */
export const defaultPolicy: Policy = deepFreeze(
  parseWith(policySchema, {
    version: 'default-2026',
    name: { zh: '默认政策（2026）', en: 'Default policy (2026)' },
    calendar: { yearStart: { ...defaultYearStart } },
    shareByRank: [1, 0.5, 0.3, 0.2, 0.1],
    practice: { requiredDays: 30, prorateHireYear: true, rolling: { years: 5, requiredDays: 180 } },
    appraisal: {
      categories: [
        { id: 'teaching', cap: 35, label: { zh: '教学', en: 'Teaching' } },
        { id: 'engineering_practice', cap: 20, label: { zh: '工程实践', en: 'Engineering practice' } },
        { id: 'technical_innovation', cap: 15, label: { zh: '技术创新', en: 'Technical innovation' } },
        { id: 'tech_transfer', cap: 15, label: { zh: '技术成果转化', en: 'Technology transfer' } },
        { id: 'enterprise_service', cap: 15, label: { zh: '企业服务成效', en: 'Enterprise service' } },
      ],
      // The lines of the table (SPEC §4), each a scoring item: the line items (workload, evaluation, practice
      // days, training days) write their trace lines in this order after the per-record lines.
      items: [
        { id: 'teaching_workload', label: { zh: '教学工作量', en: 'teaching workload' }, category: 'teaching', kinds: ['teaching_workload'], rule: { type: 'saturating_sum', field: 'hours', full: 280, points: 15 } },
        { id: 'teaching_evaluation', label: { zh: '教学评价', en: 'teaching evaluation' }, category: 'teaching', kinds: ['teaching_evaluation'], rule: { type: 'mean', field: 'score', factor: 0.1 } },
        { id: 'teaching_resource', label: { zh: '教学资源', en: 'teaching resource' }, category: 'teaching', kinds: ['teaching_resource'], rule: { type: 'table', keys: ['resourceType'], points: { worksheet: 1, slides: 1, micro_lecture: 2, question_bank: 2 } } },
        { id: 'teaching_reform_project', label: { zh: '教改课题', en: 'teaching-reform project' }, category: 'teaching', kinds: ['teaching_reform_project'], rule: { type: 'table', keys: ['level'], points: { national: 10, provincial: 6, municipal: 3, school: 1 } } },
        {
          id: 'mentoring.mentor_passed',
          label: { zh: '青蓝工程结对 · 师傅（徒弟已出师）', en: 'mentoring pairing · mentor, mentee passed' },
          category: 'teaching',
          kinds: ['mentoring'],
          where: [
            { field: 'role', in: ['mentor'] },
            { field: 'outcome', in: ['passed'] },
          ],
          scoredOn: 'end',
          rule: { type: 'fixed', points: 3 },
        },
        { id: 'practice_days', label: { zh: '企业实践天数', en: 'enterprise practice days' }, category: 'engineering_practice', kinds: ['enterprise_practice'], rule: { type: 'practice_days', pointsPerDay: 0.25 } },
        {
          id: 'skill_competition',
          label: { zh: '技能竞赛', en: 'skill competition' },
          category: 'engineering_practice',
          kinds: ['skill_competition'],
          rule: {
            type: 'table',
            keys: ['level', 'award'],
            points: { national: { first: 15, second: 12, third: 9, excellence: 5 }, provincial: { first: 10, second: 7, third: 5, excellence: 2 }, municipal: { first: 5, second: 3, third: 2, excellence: 1 }, school: { first: 2, second: 1, third: 1, excellence: 0 } },
          },
        },
        {
          id: 'certificate',
          label: { zh: '证书', en: 'certificate' },
          category: 'engineering_practice',
          kinds: ['certificate'],
          shareWeighted: false,
          rule: { type: 'table', keys: ['certType', 'level'], points: { dual_qualified: certificateLevels, vocational: certificateLevels, one_plus_x: certificateLevels } },
        },
        { id: 'international_training_days', label: { zh: '国际研修天数', en: 'international training days' }, category: 'engineering_practice', kinds: ['international_training'], rule: { type: 'distinct_days', pointsPerDay: 0.2 } },
        { id: 'horizontal_project', label: { zh: '横向课题', en: 'horizontal project' }, category: 'technical_innovation', kinds: ['horizontal_project'], rule: { type: 'per_amount', amount: ['amountYuan'], per: 10000, points: 1 } },
        { id: 'patent', label: { zh: '专利', en: 'patent' }, category: 'technical_innovation', kinds: ['patent'], rule: { type: 'table', keys: ['patentType'], points: { invention: 6, utility_model: 2, software_copyright: 1 } } },
        { id: 'tech_transfer', label: { zh: '技术成果转化', en: 'technology transfer' }, category: 'tech_transfer', kinds: ['tech_transfer'], rule: { type: 'per_amount', amount: ['amountYuan'], per: 10000, points: 2 } },
        { id: 'enterprise_training', label: { zh: '企业培训', en: 'enterprise training' }, category: 'enterprise_service', kinds: ['enterprise_training'], factor: satisfaction, rule: { type: 'per_amount', amount: ['trainees', 'hours'], per: 40, points: 1 } },
        { id: 'technical_service', label: { zh: '技术服务', en: 'technical service' }, category: 'enterprise_service', kinds: ['technical_service'], factor: satisfaction, rule: { type: 'per_amount', amount: ['amountYuan'], per: 10000, points: 1 } },
      ],
      grades: {
        bands: [
          { grade: 'excellent', min: 60 },
          { grade: 'competent', min: 35 },
          { grade: 'basic', min: 25 },
        ],
        otherwise: 'incompetent',
      },
      vetoes: [
        { id: 'practice_noncompliant', when: 'practice_noncompliant', maxGrade: 'competent' },
        { id: 'ethics_violation', when: { kind: 'ethics_violation' }, grade: 'incompetent' },
      ],
      titleReviewMinGrade: 'competent',
      excellenceQuota: { grade: 'excellent', lowerTo: 'competent', maxShare: 0.2, atLeastOne: true, tieBreak: ['tech_transfer', 'enterprise_service'] },
    },
    growth: {
      transitions: {
        new_teacher: {
          id: 'to_backbone_teacher',
          type: 'all_of',
          children: [
            { id: 'years_in_stage', type: 'years_in_stage', min: 3 },
            {
              id: 'mentee_passed',
              type: 'record_count',
              kinds: ['mentoring'],
              where: [
                { field: 'role', in: ['mentee'] },
                { field: 'outcome', in: ['passed'] },
              ],
              min: 1,
              label: { zh: '青蓝工程结对（徒弟，已出师）', en: 'passed mentoring as mentee' },
            },
            { id: 'practice_compliant', type: 'practice_compliant', years: 3 },
            { id: 'grade_each_year', type: 'grade_each_year', years: 3, minGrade: 'competent' },
            { id: 'dual_qualified', type: 'certificate', certType: 'dual_qualified', minLevel: 'junior' },
            { id: 'teaching_resources', type: 'record_count', kinds: ['teaching_resource'], years: 3, min: 2 },
          ],
        },
        backbone_teacher: {
          id: 'to_program_leader',
          type: 'all_of',
          children: [
            { id: 'years_in_stage', type: 'years_in_stage', min: 4 },
            { id: 'mentor_passed', type: 'record_count', kinds: ['mentoring'], where: mentorPassed, min: 1, label: { zh: '青蓝工程结对（师傅，徒弟已出师）', en: 'passed mentoring as mentor' } },
            { id: 'practice_compliant', type: 'practice_compliant', years: 3 },
            { id: 'appraisal_mean', type: 'appraisal_mean', years: 3, min: 50 },
            {
              id: 'competition_or_international',
              type: 'any_of',
              children: [
                {
                  id: 'competition_award',
                  type: 'record_count',
                  kinds: ['skill_competition'],
                  where: [
                    { field: 'level', in: ['national', 'provincial'] },
                    { field: 'award', in: ['first', 'second', 'third'] },
                  ],
                  years: 3,
                  min: 1,
                  label: { zh: '省级及以上技能竞赛三等奖及以上', en: 'provincial-or-higher competition award (first to third)' },
                },
                { id: 'international_training_days', type: 'record_sum', kinds: ['international_training'], measure: 'days', shareWeighted: false, years: 3, min: 30 },
              ],
            },
            {
              id: 'lead_project',
              type: 'any_of',
              children: [
                { id: 'lead_horizontal_project', type: 'record_count', kinds: ['horizontal_project'], maxRank: 1, years: 3, min: 1, label: { zh: '主持横向课题', en: 'horizontal project led (rank 1)' } },
                { id: 'lead_tech_transfer', type: 'record_count', kinds: ['tech_transfer'], maxRank: 1, years: 3, min: 1, label: { zh: '主持技术成果转化', en: 'technology transfer led (rank 1)' } },
              ],
            },
            { id: 'dual_qualified', type: 'certificate', certType: 'dual_qualified', minLevel: 'intermediate' },
          ],
        },
        program_leader: {
          id: 'to_cluster_lead',
          type: 'all_of',
          children: [
            { id: 'years_in_stage', type: 'years_in_stage', min: 3 },
            { id: 'dual_qualified', type: 'certificate', certType: 'dual_qualified', minLevel: 'senior' },
            { id: 'practice_compliant', type: 'practice_compliant', years: 3 },
            { id: 'appraisal_mean', type: 'appraisal_mean', years: 3, min: 60 },
            {
              id: 'enterprise_service',
              type: 'any_of',
              children: [
                { id: 'training_trainee_hours', type: 'record_sum', kinds: ['enterprise_training'], measure: 'traineeHours', shareWeighted: true, years: 3, min: 200 },
                { id: 'technical_service_yuan', type: 'record_sum', kinds: ['technical_service'], measure: 'amountYuan', shareWeighted: true, years: 3, min: 100000 },
              ],
            },
            { id: 'tech_transfer_yuan', type: 'record_sum', kinds: ['tech_transfer'], measure: 'amountYuan', shareWeighted: true, years: 3, min: 50000 },
            { id: 'mentor_passed', type: 'record_count', kinds: ['mentoring'], where: mentorPassed, min: 2, label: { zh: '青蓝工程结对（师傅，徒弟已出师）', en: 'passed mentoring as mentor' } },
          ],
        },
      },
    },
    dualQualified: dualQualifiedPreset,
    review: { levels: 2, maxWaitDays: 30 },
    titleReview: {
      windowYears: 3,
      minGrade: 'competent',
      targets: {
        lecturer: { minYearsAtTitle: 2, minScore: 35 },
        associate_professor: { minYearsAtTitle: 5, minScore: 45 },
        professor: { minYearsAtTitle: 5, minScore: 55 },
      },
    },
  }),
);

parsedPolicies.add(defaultPolicy);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export { ValidationError };
