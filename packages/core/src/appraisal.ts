import { z } from 'zod';
import { issuesFromZod, parseWith, ValidationError, type ValidationIssue } from './errors.js';
import { hasDuplicate } from './ids.js';
import { gradeAtLeast, grades, resolvePolicy, type Grade, type Policy } from './policy.js';
import { academicYearArg, practiceOfPeriods, type PeriodLike, type PracticeStatus } from './practice.js';
import { isValidTeacherFast, parseRecords, parseRecordsByTeacher, teacherSchema, type EvidenceRecord, type Teacher } from './records.js';
import { compiledFor, yearSpan, type AnyRecord, type CompiledRules, type Run } from './scoring/compile.js';
import { quota, quotaOrder } from './scoring/quota.js';
import { Tally, type TraceItem } from './scoring/tally.js';

export type { TraceItem } from './scoring/tally.js';

export { compiledFor } from './scoring/compile.js';
export { traceLineShapes } from './scoring/tally.js';

/**
 * Annual appraisal (SPEC §4) in stages, each once: the policy compiled into per-kind handlers (scoring/compile.ts,
 * once per policy); one pass over a teacher's records running them; the items that need the whole year, and the
 * item limits (scoring/tally.ts); the category caps and the grade; the vetoes; then the unit quota
 * (scoring/quota.ts).
 */

export interface CategoryScore {
  raw: number;
  capped: number;
  cap: number;
}

/**
 * An appraisal's categories, keyed by category id: one entry per category of the policy's list
 * (`appraisal.categories`), in its order, and no other. Which ids there are is the policy's to say; the labels are
 * in the policy too (`policy.appraisal.categories[i].label`).
 */
export type AppraisalCategories = Record<string, CategoryScore>;

/** A veto's id in the policy: the default policy's are `practice_noncompliant` and `ethics_violation`. */
export type VetoName = 'ethics_violation' | 'practice_noncompliant' | (string & {});

export interface VetoTrace {
  veto: VetoName;
  recordIds: string[];
  gradeBefore: Grade;
  gradeAfter: Grade;
  /** The veto also removes title-review eligibility for the year. */
  blocksTitleReview: boolean;
}

/** Annual appraisal (年度考核量化评分): SPEC §4. */
export interface Appraisal {
  teacherId: string;
  year: number;
  total: number;
  /** Grade after the bands and vetoes, before the excellence quota. */
  grade: Grade;
  /** Grade from the bands alone. */
  bandGrade: Grade;
  vetoes: VetoName[];
  vetoTrace: VetoTrace[];
  titleReviewEligible: boolean;
  /** Counted enterprise-practice days of the year (a quota tie-break). */
  practiceDays: number;
  practice: PracticeStatus;
  /** Every category of the policy, in the order of its list (`appraisal.categories`). */
  categories: AppraisalCategories;
  items: TraceItem[];
  /** Records of the year still pending, and the total they would give once verified. */
  pending: { recordIds: string[]; totalIfVerified: number };
  /** Set by applyExcellenceQuota / appraiseAll (see {@link QuotaAppraisal}, where it is always present). */
  finalGrade?: Grade;
  quota?: QuotaTrace;
}

/** An appraisal after the excellence quota: what appraiseAll and applyExcellenceQuota return. */
export interface QuotaAppraisal extends Appraisal {
  /** Grade after the excellence quota of the teacher's unit. */
  finalGrade: Grade;
}

export interface QuotaTrace {
  unit: string;
  /** Appraised teachers of the unit. */
  unitSize: number;
  /** How many may keep the quota grade. */
  limit: number;
  /** 1-based place among the unit's teachers who reached the quota grade. */
  position: number;
  kept: boolean;
}

function worseOf(a: Grade, b: Grade): Grade {
  return grades.indexOf(a) >= grades.indexOf(b) ? a : b;
}

interface Scored {
  items: TraceItem[];
  categories: Appraisal['categories'];
  totalHundredths: number;
  /** The total if every pending record of the year were verified. */
  totalIfVerifiedHundredths: number;
  practice: PracticeStatus;
  /** Per kind veto (by index among the kind vetoes), the verified records of the year that set it off; undefined: none. */
  vetoRecordIds: Array<string[] | undefined>;
  pendingRecordIds: string[];
}

/**
 * Score the verified records of `year`, and in the same pass what the year would score with its pending
 * records verified too (pending records change no trace line). One pass over the records: each record's kind
 * is looked up once and the handlers of the items that score it run, in item order (per-record lines land in
 * record order); then the items that need the whole year settle, in item order; then the category caps.
 */
function score(teacher: Teacher, ownRecords: readonly EvidenceRecord[], year: number, compiled: CompiledRules): Scored {
  const span = yearSpan(compiled, year);
  const vetoRecordIds: Array<string[] | undefined> = compiled.kindVetoCount === 0 ? [] : new Array(compiled.kindVetoCount).fill(undefined);
  const run: Run = { compiled, year, span, tally: new Tally(compiled.categories), state: [], vetoRecordIds };
  const practiceVerified: PeriodLike[] = [];
  const practicePending: PeriodLike[] = [];
  const exemptYears: number[] = [];
  const pendingRecordIds: string[] = [];
  for (const record of ownRecords as unknown as readonly AnyRecord[]) {
    const { status, kind } = record;
    if (status === 'rejected') continue;
    const verified = status === 'verified';
    // Practice records of every year feed the rolling window; everything else counts in `year` only.
    if (kind === 'enterprise_practice') (verified ? practiceVerified : practicePending).push(record as unknown as PeriodLike);
    else if (kind === 'practice_exemption' && verified) exemptYears.push(record.year as number);
    if (!verified) {
      if (!compiled.kinds.get(kind)!.inYear(record, run)) continue;
      pendingRecordIds.push(record.id);
    }
    compiled.dispatch(record, kind, verified, run);
  }
  const practice = practiceOfPeriods(teacher, practiceVerified, practicePending, exemptYears, year, compiled.policy);
  run.practice = practice;
  for (const item of compiled.post) item.settle(run, run.state[item.slot]);
  // A copy of the policy's category template: every key already in place, in order (no dictionary growth).
  // The kept lists are copied at their length: grown push by push they hold up to half again as many empty slots,
  // kept (and copied by the collector) with the output.
  const scored: Scored = { items: run.tally.items.slice(), categories: { ...compiled.categoryTemplate }, totalHundredths: 0, totalIfVerifiedHundredths: 0, practice, vetoRecordIds, pendingRecordIds: pendingRecordIds.slice() };
  capCategories(compiled, run.tally, scored);
  return scored;
}

/** Each category's raw points capped, and the totals of the capped categories (verified, and if verified). */
function capCategories(compiled: CompiledRules, tally: Tally, scored: Scored): void {
  const categories = scored.categories;
  for (let index = 0; index < compiled.categories.length; index++) {
    const cap = compiled.caps[index]!;
    const raw = tally.raw[index]!;
    const kept = Math.min(raw, cap);
    scored.totalHundredths += kept;
    scored.totalIfVerifiedHundredths += Math.min(tally.rawIfVerified[index]!, cap);
    categories[compiled.categories[index]!] = { raw: raw / 100, capped: kept / 100, cap: cap / 100 };
  }
}

function gradeOfTotal(compiled: CompiledRules, totalHundredths: number): Grade {
  for (const band of compiled.bands) if (totalHundredths >= band.min) return band.grade;
  return compiled.policy.appraisal.grades.otherwise;
}

/**
 * Appraise a teacher's own, already validated records for `year`. The internal entry point shared by
 * scoreAppraisal, appraiseAll, growth and title review.
 * @example
 * ```ts
 * // trusted: the teacher's own validated records and a parsed policy
 * appraise(teacher, ownRecords, 2024, defaultPolicy).total; // 8.9
 * ```
 */
export function appraise(teacher: Teacher, ownRecords: readonly EvidenceRecord[], year: number, policy: Policy, compiled: CompiledRules = compiledFor(policy)): Appraisal {
  const scored = score(teacher, ownRecords, year, compiled);
  const bandGrade = gradeOfTotal(compiled, scored.totalHundredths);
  let grade = bandGrade;
  const vetoes: VetoName[] = [];
  const vetoTrace: VetoTrace[] = [];
  for (const veto of compiled.vetoes) {
    const recordIds = veto.practice ? (scored.practice.compliant ? undefined : scored.practice.recordIds) : scored.vetoRecordIds[veto.index];
    if (recordIds === undefined) continue;
    const after = worseOf(grade, veto.grade);
    vetoes.push(veto.id);
    vetoTrace.push({ veto: veto.id, recordIds, gradeBefore: grade, gradeAfter: after, blocksTitleReview: true });
    grade = after;
  }
  return {
    teacherId: teacher.id,
    year,
    total: scored.totalHundredths / 100,
    grade,
    bandGrade,
    vetoes,
    vetoTrace,
    titleReviewEligible: vetoes.length === 0 && gradeAtLeast(grade, policy.appraisal.titleReviewMinGrade),
    practiceDays: scored.practice.countedDays,
    practice: scored.practice,
    categories: scored.categories,
    items: scored.items,
    pending: { recordIds: scored.pendingRecordIds, totalIfVerified: scored.totalIfVerifiedHundredths / 100 },
  };
}

/**
 * A teacher's appraisal for academic year `year`, with its full trace.
 * @example
 * ```ts
 * scoreAppraisal({ teacher, records, year: 2024 });
 * // { total: 8.9, grade: 'incompetent', vetoes: [], items: [
 * //   { category: 'tech_transfer', rule: 'tech_transfer', recordIds: ['r2'], quantity: 15000, share: 0.3, points: 0.9 },
 * //   { category: 'engineering_practice', rule: 'practice_days', recordIds: ['r1'], quantity: 32, share: 1, points: 8 }], … }
 * ```
 */
export function scoreAppraisal(args: { teacher: Teacher; records: readonly EvidenceRecord[]; year: number; policy?: Policy }): Appraisal {
  const policy = resolvePolicy(args.policy);
  const teacher = parseWith(teacherSchema, args.teacher, ['teacher']);
  const records = parseRecords(args.records, policy);
  const year = parseWith(academicYearArg, args.year, ['year']);
  return appraise(
    teacher,
    records.filter((record) => record.teacherId === teacher.id),
    year,
    policy,
  );
}

/**
 * The order the excellence quota ranks a unit in: best first (a comparator for `Array.prototype.sort`): total,
 * then the capped points of the policy's tie-break categories (`excellenceQuota.tieBreak`), then practice days,
 * then id. Without a policy, the default policy's.
 * @example
 * ```ts
 * // the quota's order: total, then transfer + service points (the default policy's tie-break), then practice days, then id
 * appraisals.sort(compareForQuota)[0]; // the unit's first for the excellence quota
 * appraisals.sort((a, b) => compareForQuota(a, b, myPolicy)); // with a policy's own tie-break categories
 * ```
 */
export function compareForQuota(a: Appraisal, b: Appraisal, policy?: Policy): number {
  return quotaOrder(a, b, resolvePolicy(policy).appraisal.excellenceQuota.tieBreak);
}

const quotaEntrySchema = z.array(
  z.object({
    unit: z.string().min(1),
    appraisal: z.looseObject({
      teacherId: z.string(),
      total: z.number().min(0),
      grade: z.enum(grades),
      practiceDays: z.int().min(0),
      categories: z.record(z.string(), z.looseObject({ capped: z.number() })),
    }),
  }),
);

/**
 * Within each unit at most `maxShare` of its appraised teachers (rounded down, at least one where anyone
 * qualifies) keep the quota grade; the rest are lowered. Returns the appraisals in the given order, each with
 * `finalGrade` (and `quota` for those who reached the quota grade).
 * @example
 * ```ts
 * const a = scoreAppraisal({ teacher, records, year: 2024 });
 * const b = scoreAppraisal({ teacher: colleague, records, year: 2024 });
 * applyExcellenceQuota([{ appraisal: a, unit: teacher.unit }, { appraisal: b, unit: colleague.unit }])
 *   .map((result) => result.finalGrade); // one grade each, after the unit's ≤ 20 % excellent quota
 * ```
 */
export function applyExcellenceQuota(entries: ReadonlyArray<{ appraisal: Appraisal; unit: string }>, policy?: Policy): QuotaAppraisal[] {
  const resolved = resolvePolicy(policy);
  parseWith(quotaEntrySchema, entries, ['entries']);
  return quota(entries, resolved);
}

/**
 * Appraise every teacher for `year` and apply the quota per unit. Records are validated and grouped once,
 * so the cost grows linearly with teachers + records. One result per teacher, in the teachers' order.
 * @example
 * ```ts
 * for (const result of appraiseAll({ teachers, records, year: 2024 })) {
 *   console.log(result.teacherId, result.total, result.grade, result.finalGrade); // 't1' 8.9 'incompetent' 'incompetent'
 * }
 * ```
 */
export function appraiseAll(args: { teachers: readonly Teacher[]; records: readonly EvidenceRecord[]; year: number; policy?: Policy }): QuotaAppraisal[] {
  const policy = resolvePolicy(args.policy);
  const teachers = parseTeachers(args.teachers);
  const byTeacher = parseRecordsByTeacher(args.records, policy);
  const year = parseWith(academicYearArg, args.year, ['year']);
  return appraiseGrouped(teachers, byTeacher, year, policy);
}

/**
 * appraiseAll's scoring and quota on input already validated and grouped (against `policy`'s kinds): what a
 * comparison of two policies with the same kinds shares, so it validates and groups once.
 */
export function appraiseGrouped(teachers: readonly Teacher[], byTeacher: ReadonlyMap<string, readonly EvidenceRecord[]>, year: number, policy: Policy): QuotaAppraisal[] {
  const compiled = compiledFor(policy);
  const entries = teachers.map((teacher) => ({ unit: teacher.unit, appraisal: appraise(teacher, byTeacher.get(teacher.id) ?? [], year, policy, compiled) }));
  return quota(entries, policy, false);
}

/**
 * Validate a teacher list: every teacher checked, duplicate ids named. Valid teachers are returned as given.
 * @example
 * ```ts
 * parseTeachers([teacher]);          // [teacher]
 * parseTeachers([teacher, teacher]); // throws ValidationError: teachers[1].id: duplicate teacher id "t1"
 * ```
 */
export function parseTeachers(input: unknown, pathName = 'teachers'): Teacher[] {
  if (Array.isArray(input) && input.every(isValidTeacherFast) && !hasDuplicate(input.map((teacher: Teacher) => teacher.id))) return input as Teacher[];
  const list = parseWith(z.array(z.unknown()), input, [pathName]);
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  const teachers: Teacher[] = [];
  list.forEach((item, index) => {
    const result = teacherSchema.safeParse(item);
    if (!result.success) {
      issues.push(...issuesFromZod(result.error, [pathName, index]));
      return;
    }
    if (seen.has(result.data.id)) issues.push({ path: `${pathName}[${index}].id`, message: `duplicate teacher id "${result.data.id}"` });
    seen.add(result.data.id);
    teachers.push(result.data);
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return teachers;
}
