import { academicYearDays, academicYearLabel, academicYearPeriod, addYears, dayNumber, lastCompletedYears, wholeYearsBetween } from './calendar.js';
import { parseWith, ValidationError, type ValidationIssue } from './errors.js';
import { ceilHundredths, collect, fmt, meanHundredths, parenEn, parenZh, yearRange } from './shared.js';
import { ExactSum, toFraction, toHundredths, type Fraction } from './exact.js';
import { appraise, compiledFor, type Appraisal } from './appraisal.js';
import { labels, type Bilingual } from './labels.js';
import { gradeAtLeast, grades, resolvePolicy, shareOf, type Grade, type Policy, type RecordFilter, type Requirement, type RequirementType } from './policy.js';
import { decidingPracticeFigure, distinctDays, practiceOutlook, practiceStatus, type PracticeOutlook, type PracticeStatus } from './practice.js';
import { certLevels, dateString, parseRecords, parseTeacher, registryOf, stages, type EvidenceRecord, type RecordKind, type Stage, type Teacher } from './records.js';

/**
 * The growth path (成长路径), SPEC §5: what a teacher still needs for the next stage, as of a date. The
 * requirement tree is policy data (`policy.growth.transitions[stage]`); this module evaluates any such tree
 * and turns each unmet leaf into gaps a teacher can act on, in Chinese and English.
 */

/** One evaluated node of the requirement tree. */
export interface RequirementResult {
  id: string;
  type: RequirementType;
  met: boolean;
  /**
   * What the teacher has: a count, a sum (rounded to 0.01), whole years, a mean, the best certificate level
   * held (null when none), the worst grade of the window, or — for all_of / any_of — the number of children met.
   */
  current?: number | string | null;
  /** What the requirement asks for, in the same unit as `current`. */
  required?: number | string;
  children?: RequirementResult[];
  /** The policy's label for this line, or a default description. */
  label?: Bilingual;
  /** The academic years the requirement looks at (oldest first), for windowed requirements. */
  windowYears?: number[];
  /** Per-year detail for practice_compliant, grade_each_year and appraisal_mean. */
  perYear?: YearDetail[];
}

export interface YearDetail {
  year: number;
  met: boolean;
  /** practice_compliant: counted days (of the year, or of the rolling window when that rule binds: `rule`); grade_each_year: grade; appraisal_mean: total. */
  current: number | string;
  /** practice_compliant: required days (0 when exempt); grade_each_year: minimum grade. */
  required?: number | string;
  exempt?: boolean;
  /** practice_compliant: which figure `current` / `required` are, the binding rule's (`decidingPracticeFigure`): the year's days, or the rolling window's. */
  rule?: 'annual' | 'rolling';
}

/** Something a teacher can do: tied to the unmet leaf `requirementId`. */
export interface Gap {
  requirementId: string;
  zh: string;
  en: string;
  /** Set when the leaf is one alternative of an unmet any_of: the id of that group (meeting one alternative suffices). */
  anyOf?: string;
  /**
   * What would close a practice gap: the records that would count once verified (someone else's move), and the
   * days still to declare on top of them before the year ends (the teacher's). Set on practice gaps only.
   */
  practice?: PracticeOutlook;
}

export interface Progress {
  stage: Stage;
  /** null at the top of the ladder. */
  nextStage: Stage | null;
  eligible: boolean;
  requirements: RequirementResult | null;
  gaps: Gap[];
}

export interface AssessProgressInput {
  teacher: Teacher;
  records: readonly EvidenceRecord[];
  /** The as-of date, YYYY-MM-DD. */
  asOf: string;
  policy?: Policy | undefined;
}

/**
 * Evaluate the requirements for `teacher`'s next stage as of `asOf`. Every record is validated, whoever it
 * belongs to; only the teacher's own records are used, and records dated after `asOf` are ignored.
 * @example
 * ```ts
 * const progress = assessProgress({ teacher, records, asOf: '2025-09-01' });
 * progress.nextStage; // 'backbone_teacher'
 * progress.eligible;  // false
 * progress.gaps[0];   // { requirementId: 'mentee_passed', zh: '青蓝工程结对（徒弟，已出师）：还需 1 次', en: 'passed mentoring as mentee: 1 more needed' }
 * ```
 */
export function assessProgress(input: AssessProgressInput): Progress {
  const args = (input ?? {}) as Partial<AssessProgressInput>;
  const issues: ValidationIssue[] = [];
  const policy = collect(issues, () => resolvePolicy(args.policy));
  const teacher = collect(issues, () => parseTeacher(args.teacher));
  const records = collect(issues, () => parseRecords(args.records, policy));
  const asOf = collect(issues, () => parseWith(dateString, args.asOf, ['asOf']));
  if (issues.length > 0 || !policy || !teacher || !records || asOf === undefined) throw new ValidationError(issues);
  const own = records.filter((record) => record.teacherId === teacher.id);
  return progressOf(teacher, own, asOf, policy);
}

/**
 * The internal entry point: `ownRecords` are the teacher's already validated records (any date: those after
 * `asOf` are dropped here), `asOf` a valid date and `policy` a validated policy.
 * @example
 * ```ts
 * // trusted: the teacher's own validated records, a valid date, a parsed policy
 * progressOf(teacher, ownRecords, '2025-09-01', defaultPolicy).nextStage; // 'backbone_teacher'
 * ```
 */
export function progressOf(teacher: Teacher, ownRecords: readonly EvidenceRecord[], asOf: string, policy: Policy): Progress {
  const stage = teacher.stage;
  const index = stages.indexOf(stage);
  const nextStage = index >= 0 && index < stages.length - 1 ? stages[index + 1]! : null;
  const transitions = policy.growth.transitions as Partial<Record<Stage, Requirement>>;
  const tree = nextStage === null ? undefined : transitions[stage];
  if (nextStage === null || tree === undefined) return { stage, nextStage, eligible: false, requirements: null, gaps: [] };
  const context = new Context(teacher, recordsAsOf(ownRecords, asOf, policy), asOf, policy, needsAppraisal(tree));
  const gaps: Gap[] = [];
  const requirements = evaluate(tree, context, gaps, undefined);
  return { stage, nextStage, eligible: requirements.met, requirements, gaps };
}

/**
 * Evaluate any requirement tree for a teacher as of `asOf` (validated inputs; `ownRecords` any date, those
 * after `asOf` are dropped): the tree with met/current/required and the gaps of its unmet leaves.
 * @example
 * ```ts
 * evaluateRequirements({ id: 'mentor', type: 'record_count', kinds: ['mentoring'], min: 1 }, teacher, [], '2025-09-01', defaultPolicy);
 * // { requirements: { id: 'mentor', met: false, current: 0, required: 1, … },
 * //   gaps: [{ requirementId: 'mentor', zh: '还需 1 次青蓝工程结对', en: '1 more mentoring pairing' }] }
 * ```
 */
export function evaluateRequirements(tree: Requirement, teacher: Teacher, ownRecords: readonly EvidenceRecord[], asOf: string, policy: Policy): { requirements: RequirementResult; gaps: Gap[] } {
  const context = new Context(teacher, recordsAsOf(ownRecords, asOf, policy), asOf, policy, needsAppraisal(tree));
  const gaps: Gap[] = [];
  const requirements = evaluate(tree, context, gaps, undefined);
  return { requirements, gaps };
}

/**
 * The best tier among verified dual_qualified_recognition records valid on `asOf` (-1 when none).
 * @example
 * ```ts
 * recognisedTierIndex(ownRecords, '2025-09-01'); // { best: -1, pending: 0, expired: 0 } without a recognition
 * ```
 */
export function recognisedTierIndex(records: readonly EvidenceRecord[], asOf: string): { best: number; pending: number; expired: number } {
  let best = -1;
  let pending = 0;
  let expired = 0;
  for (const record of records) {
    if (record.kind !== 'dual_qualified_recognition' || record.date > asOf) continue;
    const level = certLevels.indexOf(record.tier);
    if (record.validUntil < asOf) {
      if (record.status === 'verified') expired++;
      continue;
    }
    if (record.status === 'verified') best = Math.max(best, level);
    else if (record.status === 'pending') pending++;
  }
  return { best, pending, expired };
}

/**
 * The records as they stood on `asOf`: dated records after it are dropped, periods are cut at it, a mentoring
 * pairing counts from its `end` (an open one from its `start`), a year-valued record from its year's first day.
 * @example
 * ```ts
 * recordsAsOf(records, '2025-01-01', defaultPolicy).map((record) => record.id); // ['r1', 'r3']: r2 is dated 2025-03-01
 * ```
 */
export function recordsAsOf(records: readonly EvidenceRecord[], asOf: string, policy: Policy): EvidenceRecord[] {
  const registry = registryOf(policy);
  const yearStart = policy.calendar.yearStart;
  const kept: EvidenceRecord[] = [];
  for (const record of records) {
    const cut = registry.kind(record.kind)?.asOf(record, asOf, yearStart);
    if (cut !== undefined) kept.push(cut);
  }
  return kept;
}

function needsAppraisal(requirement: Requirement): boolean {
  if (requirement.type === 'all_of' || requirement.type === 'any_of') return requirement.children.some(needsAppraisal);
  return requirement.type === 'grade_each_year' || requirement.type === 'appraisal_mean';
}

/** Per-call state: each year's appraisal and practice status is computed at most once. */
class Context {
  readonly yearStart: Policy['calendar']['yearStart'];
  readonly asOfDay: number;
  private readonly appraisals = new Map<number, Appraisal>();
  private readonly practices = new Map<number, PracticeStatus>();
  private readonly windows = new Map<number, number[]>();
  private readonly compiled: ReturnType<typeof compiledFor>;

  constructor(
    readonly teacher: Teacher,
    readonly records: readonly EvidenceRecord[],
    readonly asOf: string,
    readonly policy: Policy,
    private readonly practiceFromAppraisal: boolean,
  ) {
    this.yearStart = policy.calendar.yearStart;
    this.asOfDay = dayNumber(asOf);
    this.compiled = compiledFor(policy);
  }

  window(count: number): number[] {
    let years = this.windows.get(count);
    if (!years) {
      years = lastCompletedYears(this.asOf, count, this.yearStart);
      this.windows.set(count, years);
    }
    return years;
  }

  appraisal(year: number): Appraisal {
    let result = this.appraisals.get(year);
    if (!result) {
      result = appraise(this.teacher, this.records, year, this.policy, this.compiled);
      this.appraisals.set(year, result);
    }
    return result;
  }

  practice(year: number): PracticeStatus {
    let result = this.practices.get(year);
    if (!result) {
      // The appraisal computes the same status (no asOf: the window years are completed); reuse it when the
      // tree needs the appraisal anyway.
      result = this.practiceFromAppraisal ? this.appraisal(year).practice : practiceStatus(this.teacher, this.records, year, this.policy);
      this.practices.set(year, result);
    }
    return result;
  }
}

function evaluate(requirement: Requirement, context: Context, gaps: Gap[], anyOf: string | undefined): RequirementResult {
  switch (requirement.type) {
    case 'all_of':
    case 'any_of': {
      const childGaps: Gap[] = [];
      const group = requirement.type === 'any_of' ? requirement.id : anyOf;
      const children = requirement.children.map((child) => evaluate(child, context, childGaps, group));
      const metCount = children.filter((child) => child.met).length;
      const met = requirement.type === 'all_of' ? metCount === children.length : metCount > 0;
      if (!met) gaps.push(...childGaps);
      return {
        id: requirement.id,
        type: requirement.type,
        met,
        current: metCount,
        required: requirement.type === 'all_of' ? children.length : 1,
        children,
        label: requirement.label ?? (requirement.type === 'all_of' ? { zh: '全部满足', en: 'all of' } : { zh: '满足其一', en: 'any of' }),
      };
    }
    case 'years_in_stage':
      return yearsInStage(requirement, context, gaps, anyOf);
    case 'practice_compliant':
      return practiceCompliant(requirement, context, gaps, anyOf);
    case 'grade_each_year':
      return gradeEachYear(requirement, context, gaps, anyOf);
    case 'appraisal_mean':
      return appraisalMean(requirement, context, gaps, anyOf);
    case 'certificate':
      return certificate(requirement, context, gaps, anyOf);
    case 'dual_qualified_tier':
      return dualQualifiedTier(requirement, context, gaps, anyOf);
    case 'record_count':
    case 'record_sum':
      return recordMeasure(requirement, context, gaps, anyOf);
  }
}

type Leaf<T extends RequirementType> = Extract<Requirement, { type: T }>;

function pushGap(gaps: Gap[], requirement: Requirement, text: Bilingual, anyOf: string | undefined, practice?: Gap['practice']): void {
  const gap: Gap = { requirementId: requirement.id, zh: text.zh, en: text.en };
  if (anyOf !== undefined) gap.anyOf = anyOf;
  if (practice !== undefined) gap.practice = practice;
  gaps.push(gap);
}

/** A label's prefix for leaves whose gap is a sentence of its own. */
function prefixed(requirement: Requirement, text: Bilingual): Bilingual {
  if (!requirement.label) return text;
  return { en: `${requirement.label.en}: ${text.en}`, zh: `${requirement.label.zh}：${text.zh}` };
}

function yearsInStage(requirement: Leaf<'years_in_stage'>, context: Context, gaps: Gap[], anyOf: string | undefined): RequirementResult {
  const current = wholeYearsBetween(context.teacher.stageSince, context.asOf);
  const needed = Math.ceil(requirement.min);
  const met = current >= needed;
  if (!met) {
    const missing = needed - current;
    const from = addYears(context.teacher.stageSince, needed);
    pushGap(
      gaps,
      requirement,
      prefixed(requirement, {
        en: `${missing} more ${plural(missing, 'year', 'years')} in stage (from ${from})`,
        zh: `还需在当前阶段任职 ${missing} 年（${from} 起满足）`,
      }),
      anyOf,
    );
  }
  return {
    id: requirement.id,
    type: requirement.type,
    met,
    current,
    required: requirement.min,
    label: requirement.label ?? { en: `at least ${fmt(requirement.min)} years in stage`, zh: `当前阶段任职满 ${fmt(requirement.min)} 年` },
  };
}

function practiceCompliant(requirement: Leaf<'practice_compliant'>, context: Context, gaps: Gap[], anyOf: string | undefined): RequirementResult {
  const years = context.window(requirement.years);
  const perYear: YearDetail[] = [];
  let compliantYears = 0;
  for (const year of years) {
    const status = context.practice(year);
    // the binding rule's figure (the window's days when the rolling rule binds), as compliance was decided
    const figure = decidingPracticeFigure(status);
    const detail: YearDetail = { year, met: status.compliant, current: figure.countedDays, required: status.exempt ? 0 : figure.requiredDays, rule: figure.rule };
    if (status.exempt) detail.exempt = true;
    perYear.push(detail);
    if (status.compliant) {
      compliantYears++;
      continue;
    }
    const label = academicYearLabel(year);
    const pendingEn = status.pendingDays > 0 ? ` (${status.pendingDays} pending)` : '';
    const pendingZh = status.pendingDays > 0 ? `；${status.pendingDays} 天待审核` : '';
    pushGap(
      gaps,
      requirement,
      prefixed(requirement, {
        en: `${status.shortfall} more practice ${plural(status.shortfall, 'day', 'days')} in ${label}${pendingEn}`,
        zh: `还需 ${status.shortfall} 天企业实践（${label} 学年${pendingZh}）`,
      }),
      anyOf,
      practiceOutlook(status, context.asOf, context.policy),
    );
  }
  return {
    id: requirement.id,
    type: requirement.type,
    met: compliantYears === years.length,
    current: compliantYears,
    required: years.length,
    label: requirement.label ?? {
      en: `enterprise practice compliant in each of the last ${requirement.years} completed years`,
      zh: `近 ${requirement.years} 个已完成学年企业实践均达标`,
    },
    windowYears: years,
    perYear,
  };
}

function gradeEachYear(requirement: Leaf<'grade_each_year'>, context: Context, gaps: Gap[], anyOf: string | undefined): RequirementResult {
  const years = context.window(requirement.years);
  const floor = requirement.minGrade;
  const perYear: YearDetail[] = [];
  let worst: Grade | null = null;
  let metYears = 0;
  for (const year of years) {
    const grade = context.appraisal(year).grade;
    const ok = gradeAtLeast(grade, floor);
    perYear.push({ year, met: ok, current: grade, required: floor });
    if (worst === null || grades.indexOf(grade) > grades.indexOf(worst)) worst = grade;
    if (ok) {
      metYears++;
      continue;
    }
    const label = academicYearLabel(year);
    pushGap(
      gaps,
      requirement,
      prefixed(requirement, {
        en: `appraisal grade ${labels.grades[floor].en} or better needed in ${label} (was ${labels.grades[grade].en})`,
        zh: `${label} 学年考核等次需达到${labels.grades[floor].zh}及以上（实际：${labels.grades[grade].zh}）`,
      }),
      anyOf,
    );
  }
  return {
    id: requirement.id,
    type: requirement.type,
    met: metYears === years.length,
    current: worst,
    required: floor,
    label: requirement.label ?? {
      en: `appraisal grade ${labels.grades[floor].en} or better in each of the last ${requirement.years} completed years`,
      zh: `近 ${requirement.years} 个已完成学年考核等次均为${labels.grades[floor].zh}及以上`,
    },
    windowYears: years,
    perYear,
  };
}

function appraisalMean(requirement: Leaf<'appraisal_mean'>, context: Context, gaps: Gap[], anyOf: string | undefined): RequirementResult {
  const years = context.window(requirement.years);
  const perYear: YearDetail[] = [];
  const totals: number[] = [];
  for (const year of years) {
    const total = context.appraisal(year).total;
    totals.push(toHundredths(total));
    perYear.push({ year, met: true, current: total });
  }
  const mean = meanHundredths(totals);
  const needed = ceilHundredths(requirement.min);
  const met = mean >= needed;
  for (const detail of perYear) detail.met = met;
  const range = yearRange(years);
  if (!met) {
    const missing = fmt((needed - mean) / 100);
    pushGap(
      gaps,
      requirement,
      prefixed(requirement, {
        en: `mean appraisal total ${fmt(mean / 100)} over ${range.en}; ${missing} more ${plural(needed - mean, 'point', 'points', 100)} needed`,
        zh: `${range.zh} 学年考核平均分 ${fmt(mean / 100)}，还需提高 ${missing} 分`,
      }),
      anyOf,
    );
  }
  return {
    id: requirement.id,
    type: requirement.type,
    met,
    current: mean / 100,
    required: requirement.min,
    label: requirement.label ?? {
      en: `mean appraisal total at least ${fmt(requirement.min)} over the last ${requirement.years} completed years`,
      zh: `近 ${requirement.years} 个已完成学年考核平均分不低于 ${fmt(requirement.min)}`,
    },
    windowYears: years,
    perYear,
  };
}

function certificate(requirement: Leaf<'certificate'>, context: Context, gaps: Gap[], anyOf: string | undefined): RequirementResult {
  const floor = certLevels.indexOf(requirement.minLevel);
  let best = -1;
  let pendingQualifying = 0;
  for (const record of context.records) {
    if (record.kind !== 'certificate' || record.certType !== requirement.certType) continue;
    const level = certLevels.indexOf(record.level);
    if (record.status === 'verified') best = Math.max(best, level);
    else if (record.status === 'pending' && level >= floor) pendingQualifying++;
  }
  const met = best >= floor;
  const type = labels.certTypes[requirement.certType];
  const minLevel = labels.certLevels[requirement.minLevel];
  const held = best >= 0 ? certLevels[best]! : null;
  if (!met) {
    const heldEn = held ? `held: ${labels.certLevels[held].en}` : '';
    const heldZh = held ? `现有：${labels.certLevels[held].zh}` : '';
    const pendingEn = pendingQualifying > 0 ? `${pendingQualifying} pending` : '';
    const pendingZh = pendingQualifying > 0 ? `${pendingQualifying} 项待审核` : '';
    pushGap(
      gaps,
      requirement,
      prefixed(requirement, {
        en: `a ${type.en} certificate at ${minLevel.en} level or above${parenEn([heldEn, pendingEn])}`,
        zh: `需取得${minLevel.zh}及以上${type.zh}证书${parenZh([heldZh, pendingZh])}`,
      }),
      anyOf,
    );
  }
  return {
    id: requirement.id,
    type: requirement.type,
    met,
    current: held,
    required: requirement.minLevel,
    label: requirement.label ?? { en: `a ${type.en} certificate at ${minLevel.en} level or above`, zh: `${minLevel.zh}及以上${type.zh}证书` },
  };
}

function dualQualifiedTier(requirement: Leaf<'dual_qualified_tier'>, context: Context, gaps: Gap[], anyOf: string | undefined): RequirementResult {
  const floor = certLevels.indexOf(requirement.minTier);
  const { best, pending, expired } = recognisedTierIndex(context.records, context.asOf);
  const met = best >= floor;
  const minTier = labels.certLevels[requirement.minTier];
  const held = best >= 0 ? certLevels[best]! : null;
  if (!met) {
    const heldEn = held ? `held: ${labels.certLevels[held].en}` : '';
    const heldZh = held ? `现有：${labels.certLevels[held].zh}` : '';
    const pendingEn = pending > 0 ? `${pending} pending` : '';
    const pendingZh = pending > 0 ? `${pending} 项待审核` : '';
    const expiredEn = expired > 0 ? `${expired} expired` : '';
    const expiredZh = expired > 0 ? `${expired} 项已过期` : '';
    pushGap(
      gaps,
      requirement,
      prefixed(requirement, {
        en: `a valid dual-qualified recognition at ${minTier.en} tier or above${parenEn([heldEn, pendingEn, expiredEn])}`,
        zh: `需取得有效的${minTier.zh}及以上双师型认定${parenZh([heldZh, pendingZh, expiredZh])}`,
      }),
      anyOf,
    );
  }
  return {
    id: requirement.id,
    type: requirement.type,
    met,
    current: held,
    required: requirement.minTier,
    label: requirement.label ?? { en: `a valid dual-qualified recognition at ${minTier.en} tier or above`, zh: `有效的${minTier.zh}及以上双师型认定` },
  };
}

// ---------------------------------------------------------------------------------------------------------
// record_count / record_sum

function fieldValue(record: EvidenceRecord, field: string): unknown {
  const value = (record as unknown as Record<string, unknown>)[field];
  if (value === undefined && field === 'rank') return 1;
  return value;
}

function matchesFilters(record: EvidenceRecord, where: readonly RecordFilter[] | undefined): boolean {
  if (!where) return true;
  for (const condition of where) {
    const value = fieldValue(record, condition.field);
    if (!condition.in.some((allowed) => allowed === value)) return false;
  }
  return true;
}

const ONE: Fraction = { num: 1, den: 1 };

function shareFraction(record: EvidenceRecord, policy: Policy): Fraction {
  if (registryOf(policy).kind(record.kind)?.declaration.team !== true) return ONE;
  return toFraction(shareOf(record as { rank?: number; share?: number }, policy));
}

function recordMeasure(requirement: Leaf<'record_count'> | Leaf<'record_sum'>, context: Context, gaps: Gap[], anyOf: string | undefined): RequirementResult {
  const years = requirement.years === undefined ? undefined : context.window(requirement.years);
  let first = Number.NEGATIVE_INFINITY;
  let last = context.asOfDay;
  if (years) {
    first = academicYearDays(years[0]!, context.yearStart).first;
    last = Math.min(last, academicYearDays(years[years.length - 1]!, context.yearStart).last);
  }
  const window = years ? { firstYear: years[0]!, lastYear: years[years.length - 1]!, firstDate: academicYearPeriod(years[0]!, context.yearStart).start, lastDate: academicYearPeriod(years[years.length - 1]!, context.yearStart).end } : undefined;
  const registry = registryOf(context.policy);
  const kinds = requirement.kinds as readonly RecordKind[];
  const maxRank = requirement.maxRank;
  const selected: EvidenceRecord[] = [];
  let pending = 0;
  for (const record of context.records) {
    if (record.status === 'rejected') continue;
    if (!kinds.includes(record.kind)) continue;
    if (maxRank !== undefined && ((record as { rank?: number }).rank ?? 1) > maxRank) continue;
    if (!matchesFilters(record, requirement.where)) continue;
    if (window && !registry.kind(record.kind)!.within(record, window.firstYear, window.lastYear, window.firstDate, window.lastDate)) continue;
    if (record.status === 'verified') selected.push(record);
    else pending++;
  }

  const range = years ? yearRange(years) : undefined;
  const windowEn = range ? ` in ${range.en}` : '';
  const windowZh = range ? `${range.zh} 学年` : '';
  const noun = nounsOf(kinds, context.policy);
  const filterText = requirement.label ? undefined : describeFilters(requirement.where, maxRank);
  const windowYears = years ? { windowYears: years } : {};

  if (requirement.type === 'record_count') {
    const current = selected.length;
    const met = current >= requirement.min;
    if (!met) {
      const missing = requirement.min - current;
      const pendingEn = pending > 0 ? ` (${pending} pending)` : '';
      const pendingZh = pending > 0 ? `${pending} ${noun.zhUnit}待审核` : '';
      const text = requirement.label
        ? {
            en: `${requirement.label.en}: ${missing} more needed${windowEn}${pendingEn}`,
            zh: `${requirement.label.zh}：还需 ${missing} ${noun.zhUnit}${parenZh([windowZh, pendingZh])}`,
          }
        : {
            en: `${missing} more ${missing === 1 ? noun.en : noun.enPlural}${filterText ? ` (${filterText.en})` : ''}${windowEn}${pendingEn}`,
            zh: `还需 ${missing} ${noun.zhUnit}${noun.zh}${parenZh([filterText?.zh ?? '', windowZh, pendingZh])}`,
          };
      pushGap(gaps, requirement, text, anyOf);
    }
    return {
      id: requirement.id,
      type: requirement.type,
      met,
      current,
      required: requirement.min,
      label: requirement.label ?? {
        en: `at least ${requirement.min} ${requirement.min === 1 ? noun.en : noun.enPlural}${filterText ? ` (${filterText.en})` : ''}${years ? ` in the last ${years.length} completed years` : ''}`,
        zh: `${years ? `近 ${years.length} 个已完成学年` : ''}${noun.zh}不少于 ${requirement.min} ${noun.zhUnit}${parenZh([filterText?.zh ?? ''])}`,
      },
      ...windowYears,
    };
  }

  // record_sum
  let current: number;
  let met: boolean;
  let missing: number;
  if (requirement.measure === 'days') {
    // Distinct days of the periods within the window (periods already cut at asOf); a day counts once.
    const periods: Array<{ id: string; start: string; end: string }> = [];
    let earliest = Number.POSITIVE_INFINITY;
    for (const record of selected) {
      if (!('start' in record)) continue;
      const end = record.end ?? context.asOf;
      periods.push({ id: record.id, start: record.start, end });
      earliest = Math.min(earliest, dayNumber(record.start));
    }
    current = periods.length === 0 ? 0 : distinctDays(periods, Math.max(first, earliest), last).days;
    met = current >= requirement.min;
    missing = Math.max(0, Math.ceil(requirement.min) - current);
  } else {
    const sum = new ExactSum();
    for (const record of selected) {
      const share = requirement.shareWeighted ? shareFraction(record, context.policy) : ONE;
      if (requirement.measure === 'amountYuan') {
        if ('amountYuan' in record) sum.add(record.amountYuan, share);
      } else if ('trainees' in record) {
        // trainees × hours × share; hours may carry decimals, so fold them into the fraction.
        const hours = toFraction(record.hours);
        sum.add(record.trainees, { num: BigInt(hours.num) * BigInt(share.num), den: BigInt(hours.den) * BigInt(share.den) });
      }
    }
    current = sum.toNumber();
    met = sum.atLeast(requirement.min);
    missing = sum.shortOf(requirement.min);
  }

  if (!met) {
    const weighted = requirement.shareWeighted && requirement.measure !== 'days';
    const pendingEn = pending > 0 ? ` (${pending} pending)` : '';
    const pendingZh = pending > 0 ? `${pending} ${noun.zhUnit}待审核` : '';
    const unit = measureUnit(requirement.measure, missing);
    const amount = fmt(missing);
    const text = requirement.label
      ? {
          en: `${requirement.label.en}: ${amount} more ${unit.en} needed${weighted ? ' (share-weighted)' : ''}${windowEn}${pendingEn}`,
          zh: `${requirement.label.zh}：还需 ${amount} ${unit.zh}${parenZh([weighted ? '按份额计' : '', windowZh, pendingZh])}`,
        }
      : {
          en: `${amount} more ${unit.en} of ${noun.mass}${filterText ? ` (${filterText.en})` : ''}${weighted ? ' (share-weighted)' : ''}${windowEn}${pendingEn}`,
          zh: `还需 ${amount} ${unit.zh}${noun.zh}${parenZh([filterText?.zh ?? '', weighted ? '按份额计' : '', windowZh, pendingZh])}`,
        };
    pushGap(gaps, requirement, text, anyOf);
  }
  const unit = measureUnit(requirement.measure, requirement.min);
  const weighted = requirement.shareWeighted && requirement.measure !== 'days';
  return {
    id: requirement.id,
    type: requirement.type,
    met,
    current,
    required: requirement.min,
    label: requirement.label ?? {
      en: `at least ${fmt(requirement.min)} ${unit.en} of ${noun.mass}${filterText ? ` (${filterText.en})` : ''}${weighted ? ' (share-weighted)' : ''}${years ? ` in the last ${years.length} completed years` : ''}`,
      zh: `${years ? `近 ${years.length} 个已完成学年` : ''}${noun.zh}不少于 ${fmt(requirement.min)} ${unit.zh}${parenZh([filterText?.zh ?? '', weighted ? '按份额计' : ''])}`,
    },
    ...windowYears,
  };
}

function measureUnit(measure: 'amountYuan' | 'traineeHours' | 'days', amount: number): Bilingual {
  switch (measure) {
    case 'amountYuan':
      return { en: 'yuan', zh: '元' };
    case 'traineeHours':
      return { en: amount === 1 ? 'trainee-hour' : 'trainee-hours', zh: '人时' };
    case 'days':
      return { en: amount === 1 ? 'day' : 'days', zh: '天' };
  }
}

/** The nouns of the kinds a leaf counts, joined with "or". */
function nounsOf(kinds: readonly RecordKind[], policy: Policy): { en: string; enPlural: string; mass: string; zh: string; zhUnit: string } {
  // From the kinds' declarations, so a policy's own kinds are named as it names them.
  const registry = registryOf(policy);
  const declarations = kinds.map((kind) => registry.kind(kind)!.declaration);
  const nouns = declarations.map((declaration) => declaration.noun);
  return {
    en: nouns.map((noun) => noun.en).join(' or '),
    enPlural: nouns.map((noun) => noun.enPlural).join(' or '),
    mass: declarations.map((declaration) => declaration.label.en).join(' or '),
    zh: declarations.map((declaration) => declaration.label.zh).join('或'),
    zhUnit: nouns[0]?.zhUnit ?? '项',
  };
}

/** `role: mentee; outcome: passed; rank ≤ 1` — only used when the policy gives no label. */
function describeFilters(where: readonly RecordFilter[] | undefined, maxRank: number | undefined): Bilingual | undefined {
  const parts: Bilingual[] = (where ?? []).map((condition) => {
    const values = condition.in.map(String);
    return { en: `${condition.field}: ${values.join(' or ')}`, zh: `${condition.field}：${values.join('或')}` };
  });
  if (maxRank !== undefined) parts.push({ en: `rank ${maxRank === 1 ? '1' : `1–${maxRank}`}`, zh: maxRank === 1 ? '排名第一' : `排名前 ${maxRank}` });
  if (parts.length === 0) return undefined;
  return { en: parts.map((part) => part.en).join(', '), zh: parts.map((part) => part.zh).join('，') };
}

function plural(count: number, one: string, many: string, unit = 1): string {
  return count === unit ? one : many;
}
