import { z } from 'zod';

/**
 * Scoring items as policy data: a college's own lines of its 量化考核表. Each item names the evidence kinds it
 * scores, a filter on their fields, one rule from a small set, and the limits real tables have (本项最高 N 分;
 * 同一成果按最高级别计一次; at most N records, best first).
 */

const bilingual = z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) });
const nonNegative = z.number().min(0, { message: 'must not be negative' });
const positive = z.number().gt(0, { message: 'must be greater than 0' });
const fieldName = z.string().min(1);
const categoryId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be lower-case letters, digits and _ (at most 64), starting with a letter' });
/** An item's id is its trace rule id, so it may be dotted as built-in rule ids are (`mentoring.mentor_passed`). */
const itemId = z
  .string()
  .max(64, { message: 'must be at most 64 characters' })
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, { message: 'must be lower-case letters, digits and _, in dot-separated parts, starting with a letter' });

/** Points by the value of one or two enum fields: `{ national: 10, provincial: 6 }`, or nested for two keys. */
export const pointsTable: z.ZodType<PointsTable> = z.lazy(() => z.record(z.string().min(1), z.union([nonNegative, pointsTable])));
export type PointsTable = { [value: string]: number | PointsTable };

export const itemRuleSchema = z.discriminatedUnion('type', [
  /** The same points for every record. */
  z.strictObject({ type: z.literal('fixed'), points: nonNegative }),
  /** Points looked up by the record's values of `keys` (enum fields), outermost first. */
  z.strictObject({ type: z.literal('table'), keys: z.array(fieldName).min(1).max(3), points: pointsTable }),
  /** `Π amount fields ÷ per × points` per record (yuan, trainee-hours). */
  z.strictObject({ type: z.literal('per_amount'), amount: z.array(fieldName).min(1).max(2), per: positive, points: nonNegative }),
  /** One line over the year: `min(Σ field ÷ full, 1) × points` (workload). */
  z.strictObject({ type: z.literal('saturating_sum'), field: fieldName, full: positive, points: nonNegative }),
  /** One line over the year: mean of `field` × factor (evaluation scores). */
  z.strictObject({ type: z.literal('mean'), field: fieldName, factor: nonNegative }),
  /** One line over the year: distinct days covered by the records' periods × pointsPerDay. */
  z.strictObject({ type: z.literal('distinct_days'), pointsPerDay: nonNegative }),
  /**
   * One line over the year: the year's counted enterprise-practice days × pointsPerDay, counted as the practice
   * rule counts them (`policy.practice`: overlaps once, form weights, exemptions). Kind `enterprise_practice` only.
   */
  z.strictObject({ type: z.literal('practice_days'), pointsPerDay: nonNegative }),
]);

export const scoringItemSchema = z.strictObject({
  /** Rule id in the trace (`paper`, `paper.core`); unique in the policy. */
  id: itemId,
  label: bilingual,
  /** A category of the policy. */
  category: z.string().min(1),
  kinds: z.array(z.string().min(1)).min(1),
  where: z.array(z.strictObject({ field: fieldName, in: z.array(z.union([z.string(), z.number()])).min(1, { message: 'must list at least one value' }) })).optional(),
  rule: itemRuleSchema,
  /** A factor by bands of a numeric field (client satisfaction): best band first, then below, then absent. */
  factor: z.strictObject({ field: fieldName, bands: z.array(z.strictObject({ min: nonNegative, factor: nonNegative })), below: nonNegative, absent: nonNegative }).optional(),
  /** Multiply by the team share (kinds with rank/share). Default true for team kinds. */
  shareWeighted: z.boolean().optional(),
  /** The date field whose academic year the record scores in; default: the kind's placement. */
  scoredOn: fieldName.optional(),
  /** 本项最高 N 分: the item's points in a year are capped. */
  cap: nonNegative.optional(),
  /** 同一成果按最高级别计一次: records with the same value of this field count once, at their highest points. */
  groupBy: fieldName.optional(),
  /** At most this many records count, best first (per-record rules). */
  maxCount: z.int().min(1).optional(),
});

export type ScoringItem = z.infer<typeof scoringItemSchema>;
export type ItemRule = ScoringItem['rule'];

/** A category of the appraisal: its id (what rules, items and traces name), its labels and its cap. */
export const categorySchema = z.strictObject({ id: categoryId, label: bilingual, cap: nonNegative });
