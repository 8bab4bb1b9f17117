import { z } from 'zod';
import { academicYearDays, academicYearOfDate, academicYearPeriod, dayNumber } from './calendar.js';
import { parseWith } from './errors.js';
import { resolvePolicy, type Policy, type PracticeBinding } from './policy.js';
import { dateString, parseRecords, parseTeacher, teacherCategoryOf, type EvidenceRecord, type PracticeForm, type Teacher, type TeacherCategory } from './records.js';

/** Enterprise practice (企业实践) for one teacher and academic year: SPEC §3. */
export interface PracticeStatus {
  year: number;
  /** Distinct days of the year covered by verified practice records. */
  countedDays: number;
  /** Distinct days covered only by pending records: they would count once verified. */
  pendingDays: number;
  /** Days the annual rule asks of the teacher in the year: the category's, prorated in the hire year; 0 when exempt by category. */
  requiredDays: number;
  /** Exempt this year: a verified practice_exemption names it, or the teacher's category owes no practice. */
  exempt: boolean;
  /** Why exempt: `year` (a verified practice_exemption), `category` (the policy exempts the category); null when not. */
  exemptBy: 'year' | 'category' | null;
  /** The requirement that applies to this teacher: the category's days and the binding rule. */
  requirement: PracticeRequirement;
  /** The annual rule alone: exempt or counted ≥ required. */
  annualMet: boolean;
  /** Under the binding rule (`requirement.binding`): exempt, or the annual rule, the rolling one or both met. */
  compliant: boolean;
  /** More days of this year the binding rule asks for (the larger of the two under `both`); 0 when compliant. */
  shortfall: number;
  /**
   * Not compliant, the year still open on `asOf`, and more days short than days left in it (false without
   * asOf). A closed year is never at risk: it is `missed`.
   */
  atRisk: boolean;
  /** Days of the year after `asOf` (the whole year when asOf is before it, 0 once it is over); null without asOf. */
  daysLeft: number | null;
  /**
   * met: compliant or exempt. missed: the year is over on `asOf` (no day left after it) and still short.
   * at_risk: open and short by more days than are left. short: open and short, with days enough left (or no asOf).
   */
  standing: PracticeStanding;
  /** Verified records behind `countedDays`. */
  recordIds: string[];
  pendingRecordIds: string[];
  /**
   * Why days were discounted: the year's verified days whose highest-weighted record is of a form the policy
   * counts at less than 100 percent (`practice.forms`), by percent; empty without such days.
   */
  discounts: PracticeDiscount[];
  /** The national six-months-in-five-years rule: it binds when `requirement.binding` is `rolling` or `both`, else it is reported only. */
  rolling: { years: number[]; countedDays: number; requiredDays: number; met: boolean };
  /**
   * The figures the binding rule decides by, the ones to show as "X of Y days": `annual` the year's days, `rolling`
   * the window's (`both`: the annual one, then the rolling one). `compliant` is exempt, or every one met.
   */
  bindingFigures: PracticeFigure[];
}

/** One figure the binding rule measures: the year's days against the annual rule, or the rolling window's against the rolling rule. */
export interface PracticeFigure {
  rule: 'annual' | 'rolling';
  countedDays: number;
  requiredDays: number;
  met: boolean;
}

/** The practice requirement that applies to one teacher under a policy (SPEC §3): by category, and the binding rule. */
export interface PracticeRequirement {
  category: TeacherCategory;
  /** The category owes no practice (`practice.byCategory[category]` is `exempt`). */
  exempt: boolean;
  /** Days a full academic year asks for (before the hire-year proration); 0 when exempt. */
  annualDays: number;
  /** Days every `rollingYears` years ask for; 0 when exempt. */
  rollingDays: number;
  rollingYears: number;
  binding: PracticeBinding;
  /** `category`: the policy has a line for the category; `policy`: its general days apply. */
  source: 'category' | 'policy';
}

/** Days of the year counted at `percent` (the highest among the records covering them), of the forms named. */
export interface PracticeDiscount {
  percent: number;
  forms: PracticeForm[];
  /** Distinct days at this percent. */
  days: number;
  /** What they count: `percent × days / 100` (before the year's total is rounded down). */
  countedHundredths: number;
  recordIds: string[];
}

export type PracticeStanding = 'met' | 'short' | 'at_risk' | 'missed';

export interface PeriodLike {
  id: string;
  start: string;
  end: string;
  /** The form of practice (enterprise_practice records): weighted by `policy.practice.forms`. */
  form?: PracticeForm;
}

/**
 * Distinct calendar days inside [firstDay, lastDay] covered by at least one period: overlapping or duplicate
 * periods never count a day twice. Also returns the ids of the periods that touch the range.
 */
export function distinctDays(periods: readonly PeriodLike[], firstDay: number, lastDay: number): { days: number; recordIds: string[] } {
  const spans = spansOf(periods);
  const recordIds = idsWithin(spans, firstDay, lastDay);
  sortByFirst(spans);
  return { days: sortedUnionLength(spans, firstDay, lastDay), recordIds };
}

interface Span {
  id: string;
  first: number;
  last: number;
  /** Percent a day of this period counts (100 unless the policy weights its form). */
  percent: number;
  form?: PracticeForm;
}

function spansOf(periods: readonly PeriodLike[], forms?: Policy['practice']['forms']): Span[] {
  const spans: Span[] = new Array(periods.length);
  for (let index = 0; index < periods.length; index++) {
    const period = periods[index]!;
    const percent = forms === undefined || period.form === undefined ? 100 : (forms[period.form]?.percent ?? 100);
    spans[index] = { id: period.id, first: dayNumber(period.start), last: dayNumber(period.end), percent, ...(period.form === undefined ? {} : { form: period.form }) };
  }
  return spans;
}

/**
 * Weighted days of [firstDay, lastDay] over spans sorted by first day: each day counts the highest percent among
 * the spans covering it; the sum in percent-days, with the lines of days counted below 100 percent. Integers.
 */
function weightedDays(spans: readonly Span[], firstDay: number, lastDay: number): { percentDays: number; discounts: PracticeDiscount[] } {
  const levels = [...new Set(spans.map((span) => span.percent))].filter((percent) => percent > 0).sort((a, b) => b - a);
  let percentDays = 0;
  let below = 0; // days covered by spans of a higher percent
  const discounts: PracticeDiscount[] = [];
  for (const percent of levels) {
    const atLeast = spans.filter((span) => span.percent >= percent);
    const union = sortedUnionLength(atLeast, firstDay, lastDay);
    const days = union - below;
    below = union;
    percentDays += percent * days;
    if (percent < 100 && days > 0) {
      const at = spans.filter((span) => span.percent === percent);
      discounts.push({ percent, forms: [...new Set(at.flatMap((span) => (span.form === undefined ? [] : [span.form])))].sort(), days, countedHundredths: percent * days, recordIds: idsWithin(at, firstDay, lastDay) });
    }
  }
  // Days covered only by forms counted at 0 percent: listed, counting nothing.
  const zero = spans.filter((span) => span.percent === 0);
  if (zero.length > 0) {
    const covered = sortedUnionLength(spans, firstDay, lastDay) - below;
    if (covered > 0) discounts.push({ percent: 0, forms: [...new Set(zero.flatMap((span) => (span.form === undefined ? [] : [span.form])))].sort(), days: covered, countedHundredths: 0, recordIds: idsWithin(zero, firstDay, lastDay) });
  }
  return { percentDays, discounts };
}

/** Ids of the spans that touch [firstDay, lastDay], in their order. */
function idsWithin(spans: readonly Span[], firstDay: number, lastDay: number): string[] {
  const ids: string[] = [];
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index]!;
    if (span.first <= lastDay && span.last >= firstDay) ids.push(span.id);
  }
  return ids;
}

/** Days of [firstDay, lastDay] covered by spans already sorted by first day, without copying them. */
function sortedUnionLength(spans: readonly Span[], firstDay: number, lastDay: number): number {
  let total = 0;
  let runFirst = 0;
  let runLast = -1; // no run yet: runLast < runFirst
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index]!;
    // Clipping keeps the order: max(first, firstDay) grows with first.
    const first = Math.max(span.first, firstDay);
    const last = Math.min(span.last, lastDay);
    if (first > last) continue;
    if (runLast < runFirst) {
      runFirst = first;
      runLast = last;
    } else if (first > runLast + 1) {
      total += runLast - runFirst + 1;
      runFirst = first;
      runLast = last;
    } else if (last > runLast) {
      runLast = last;
    }
  }
  return runLast < runFirst ? total : total + runLast - runFirst + 1;
}

/**
 * Sort spans by first day. A teacher has a handful of periods a year: insertion sort in place, where
 * Array#sort would allocate a work copy for every call; long lists still go to Array#sort.
 */
function sortByFirst(spans: Span[]): void {
  if (spans.length > 32) {
    spans.sort((a, b) => a.first - b.first);
    return;
  }
  for (let index = 1; index < spans.length; index++) {
    const span = spans[index]!;
    let place = index;
    while (place > 0 && spans[place - 1]!.first > span.first) {
      spans[place] = spans[place - 1]!;
      place--;
    }
    spans[place] = span;
  }
}

/**
 * The practice requirement that applies to `teacher`: the days of their category (`practice.byCategory`), or
 * the policy's general days, and the rule that binds compliance (`practice.binding`, `annual` when absent).
 * @example
 * ```ts
 * practiceRequirementOf(teacher, defaultPolicy);
 * // { category: 'specialised', exempt: false, annualDays: 30, rollingDays: 180, rollingYears: 5, binding: 'annual', source: 'policy' }
 * const half = { ...defaultPolicy, practice: { ...defaultPolicy.practice, byCategory: { public_basic: { requiredDays: 15, rollingRequiredDays: 90 } } } };
 * practiceRequirementOf({ ...teacher, category: 'public_basic' }, half); // { annualDays: 15, rollingDays: 90, source: 'category', … }
 * ```
 */
export function practiceRequirementOf(teacher: Pick<Teacher, 'category'>, policy: Policy): PracticeRequirement {
  const rule = policy.practice;
  const category = teacherCategoryOf(teacher);
  const own = rule.byCategory?.[category];
  const binding = rule.binding ?? 'annual';
  const base = { category, rollingYears: rule.rolling.years, binding };
  if (own === undefined) return { ...base, exempt: false, annualDays: rule.requiredDays, rollingDays: rule.rolling.requiredDays, source: 'policy' };
  if (own === 'exempt') return { ...base, exempt: true, annualDays: 0, rollingDays: 0, source: 'category' };
  return { ...base, exempt: false, annualDays: own.requiredDays, rollingDays: own.rollingRequiredDays, source: 'category' };
}

/**
 * Days of practice required of `teacher` in `year`: none before the hire year, prorated in it; the category's
 * days when the policy gives the category its own (0 when it exempts it).
 * @example
 * ```ts
 * requiredPracticeDays(teacher, 2024, defaultPolicy); // 30 (hired before 2024-2025)
 * requiredPracticeDays({ ...teacher, hireDate: '2025-03-01' }, 2024, defaultPolicy); // 16, prorated in the hire year
 * ```
 */
export function requiredPracticeDays(teacher: Teacher, year: number, policy: Policy): number {
  return requiredOf(teacher, year, policy, practiceRequirementOf(teacher, policy).annualDays);
}

function requiredOf(teacher: Teacher, year: number, policy: Policy, required: number): number {
  const yearStart = policy.calendar.yearStart;
  const hireYear = academicYearOfDate(teacher.hireDate, yearStart);
  if (year < hireYear) return 0;
  if (year > hireYear || !policy.practice.prorateHireYear) return required;
  const { first, last } = academicYearDays(year, yearStart);
  const daysInYear = last - first + 1;
  const daysFromHire = last - dayNumber(teacher.hireDate) + 1;
  return Math.ceil((required * daysFromHire) / daysInYear); // integers: exact
}

/**
 * Practice status from a teacher's own, already validated records. The internal entry point: appraisal,
 * growth and title review all call this one function (or practiceOfPeriods, with the records already
 * sorted out), so "compliant" means one thing everywhere.
 * @example
 * ```ts
 * // trusted: `ownRecords` are this teacher's records, already validated; `policy` parsed
 * practiceStatus(teacher, ownRecords, 2024, defaultPolicy, '2025-05-01');
 * // { countedDays: 32, requiredDays: 30, compliant: true, daysLeft: 122, standing: 'met', … }
 * ```
 */
export function practiceStatus(teacher: Teacher, ownRecords: readonly EvidenceRecord[], year: number, policy: Policy, asOf?: string): PracticeStatus {
  const verified: PeriodLike[] = [];
  const pending: PeriodLike[] = [];
  const exemptYears: number[] = [];
  for (const record of ownRecords) {
    if (record.kind === 'enterprise_practice') {
      if (record.status === 'verified') verified.push(record);
      else if (record.status === 'pending') pending.push(record);
    } else if (record.kind === 'practice_exemption' && record.status === 'verified') {
      exemptYears.push(record.year);
    }
  }
  return practiceOfPeriods(teacher, verified, pending, exemptYears, year, policy, asOf);
}

/**
 * practiceStatus from a teacher's verified and pending enterprise-practice records and the years of their
 * verified exemptions. Appraisal sorts these out in its own pass over the records instead of a second one.
 */
export function practiceOfPeriods(teacher: Teacher, verified: readonly PeriodLike[], pending: readonly PeriodLike[], exemptYears: readonly number[], year: number, policy: Policy, asOf?: string): PracticeStatus {
  const yearStart = policy.calendar.yearStart;
  const { first, last } = academicYearDays(year, yearStart);
  // Day numbers once per record, then sorted once: the rolling window measures the same periods in several
  // years without copying them. Record ids are listed in input order.
  // With `practice.forms`, a day counts the highest percent of the records covering it; the year's sum of
  // percent-days is divided by 100 and rounded down (so are each rolling year's).
  const forms = policy.practice.forms;
  const verifiedSpans = spansOf(verified, forms);
  const recordIds = idsWithin(verifiedSpans, first, last);
  sortByFirst(verifiedSpans);
  const weighted = forms !== undefined && verifiedSpans.some((span) => span.percent !== 100);
  const countIn = (spans: readonly Span[], from: number, to: number): number => (forms === undefined || !spans.some((span) => span.percent !== 100) ? sortedUnionLength(spans, from, to) : Math.floor(weightedDays(spans, from, to).percentDays / 100));
  const discounts = weighted ? weightedDays(verifiedSpans, first, last).discounts : [];
  const countedDays = countIn(verifiedSpans, first, last);
  const pendingSpans = spansOf(pending, forms);
  const pendingRecordIds = idsWithin(pendingSpans, first, last);
  let pendingDays = 0;
  if (pendingRecordIds.length > 0) {
    const both = verifiedSpans.concat(pendingSpans);
    sortByFirst(both);
    pendingDays = countIn(both, first, last) - countedDays;
  }

  const requirement = practiceRequirementOf(teacher, policy);
  const requiredDays = requiredOf(teacher, year, policy, requirement.annualDays);
  const exemptBy = exemptYears.includes(year) ? 'year' : requirement.exempt ? 'category' : null;
  const exempt = exemptBy !== null;
  const annualMet = exempt || countedDays >= requiredDays;

  const hireYear = academicYearOfDate(teacher.hireDate, yearStart);
  const rollingYears: number[] = [];
  let rollingCounted = 0;
  for (let rollingYear = year - requirement.rollingYears + 1; rollingYear <= year; rollingYear++) {
    if (rollingYear < hireYear || exemptYears.includes(rollingYear)) continue;
    rollingYears.push(rollingYear);
    if (rollingYear === year) rollingCounted += countedDays;
    else if (verifiedSpans.length > 0) {
      const days = academicYearDays(rollingYear, yearStart);
      rollingCounted += countIn(verifiedSpans, days.first, days.last);
    }
  }
  const rollingRequired = Math.ceil((requirement.rollingDays * rollingYears.length) / requirement.rollingYears);
  const rollingMet = rollingCounted >= rollingRequired;

  // The binding rule decides compliance; what it still asks of this year is the larger of its rules'
  // shortfalls (days of this year count toward both, as this year is in its own rolling window).
  const binding = requirement.binding;
  const bindingFigures: PracticeFigure[] = [];
  if (binding !== 'rolling') bindingFigures.push({ rule: 'annual', countedDays, requiredDays, met: countedDays >= requiredDays });
  if (binding !== 'annual') bindingFigures.push({ rule: 'rolling', countedDays: rollingCounted, requiredDays: rollingRequired, met: rollingMet });
  let shortfall = 0;
  if (!exempt) for (const figure of bindingFigures) shortfall = Math.max(shortfall, figure.requiredDays - figure.countedDays);
  const compliant = shortfall === 0;
  const daysLeft = asOf === undefined ? null : Math.min(Math.max(last - dayNumber(asOf), 0), last - first + 1);
  // Closed once no day is left after asOf: what is short then is missed, not at risk.
  const standing: PracticeStanding = compliant ? 'met' : daysLeft === 0 ? 'missed' : daysLeft !== null && shortfall > daysLeft ? 'at_risk' : 'short';
  const atRisk = standing === 'at_risk';

  return {
    year,
    countedDays,
    pendingDays,
    requiredDays,
    exempt,
    exemptBy,
    requirement,
    annualMet,
    compliant,
    shortfall,
    atRisk,
    daysLeft,
    standing,
    recordIds,
    pendingRecordIds,
    discounts,
    rolling: { years: rollingYears, countedDays: rollingCounted, requiredDays: rollingRequired, met: rollingMet },
    bindingFigures,
  };
}

/**
 * The figure of a practice status to show as one "X of Y days": the binding rule's, and under `both` the one
 * furthest short (the first, the annual one, when they are short by as much or both met). `bindingFigures` has them all.
 * @example
 * ```ts
 * const status = practiceStatus(teacher, ownRecords, 2024, rollingPolicy); // practice.binding: 'rolling'
 * decidingPracticeFigure(status); // { rule: 'rolling', countedDays: 120, requiredDays: 180, met: false }
 * ```
 */
export function decidingPracticeFigure(status: Pick<PracticeStatus, 'bindingFigures'>): PracticeFigure {
  let deciding = status.bindingFigures[0]!;
  const short = (figure: PracticeFigure): number => Math.max(0, figure.requiredDays - figure.countedDays);
  for (const figure of status.bindingFigures) if (short(figure) > short(deciding)) deciding = figure;
  return deciding;
}

/**
 * The binding rule's figures as text, zh and en: "12 of 30 days" (annual), "120 of 180 days over 5 years"
 * (rolling), both joined under `both`. Title review's practice reason reads it.
 * @example
 * ```ts
 * practiceFiguresText(practiceStatus(teacher, ownRecords, 2024, defaultPolicy));
 * // { zh: '12/30 天', en: '12 of 30 days' }
 * ```
 */
export function practiceFiguresText(status: Pick<PracticeStatus, 'bindingFigures' | 'requirement'>): { zh: string; en: string } {
  const years = status.requirement.rollingYears;
  const zh = status.bindingFigures.map((f) => (f.rule === 'annual' ? `${f.countedDays}/${f.requiredDays} 天` : `近 ${years} 学年 ${f.countedDays}/${f.requiredDays} 天`));
  const en = status.bindingFigures.map((f) => (f.rule === 'annual' ? `${f.countedDays} of ${f.requiredDays} days` : `${f.countedDays} of ${f.requiredDays} days over ${years} years`));
  return { zh: zh.join('；'), en: en.join('; ') };
}

export const academicYearArg = z.int({ message: 'must be an integer academic year such as 2025 (for 2025-2026)' }).min(1900).max(2999);

/**
 * The enterprise-practice status of `teacher` in academic year `year`. All of the year's records count
 * whatever `asOf` is; `asOf` only decides `daysLeft`, `standing` and `atRisk`.
 * @example
 * ```ts
 * const records = [{ id: 'r1', teacherId: 't1', status: 'verified', kind: 'enterprise_practice',
 *   start: '2024-10-08', end: '2024-11-08', enterprise: '某智能制造企业' }];
 * evaluatePractice({ teacher, records, year: 2024 });
 * // { year: 2024, countedDays: 32, requiredDays: 30, compliant: true, shortfall: 0, standing: 'met',
 * //   rolling: { years: [2020, …, 2024], countedDays: 32, requiredDays: 180, met: false }, recordIds: ['r1'], … }
 * ```
 */
export function evaluatePractice(args: { teacher: Teacher; records: readonly EvidenceRecord[]; year: number; asOf?: string; policy?: Policy }): PracticeStatus {
  const policy = resolvePolicy(args.policy);
  const teacher = parseTeacher(args.teacher);
  const records = parseRecords(args.records, policy);
  const year = parseWith(academicYearArg, args.year, ['year']);
  const asOf = args.asOf === undefined ? undefined : parseWith(dateString, args.asOf, ['asOf']);
  return practiceStatus(
    teacher,
    records.filter((record) => record.teacherId === teacher.id),
    year,
    policy,
    asOf,
  );
}

/** What would close a practice shortfall (see `Gap.practice`): records awaiting review, and days still to declare. */
export interface PracticeOutlook {
  year: number;
  yearEnd: string;
  pendingRecordIds: string[];
  /** Days short even if every pending record is verified: the teacher's to declare. */
  undeclaredDays: number;
  /** No day of the year is left after `asOf` (as `daysLeft` 0 in `practiceStatus`): nothing more can be done in it. */
  yearClosed: boolean;
}

/**
 * What would close a practice shortfall: the year's pending records, and the days still to declare.
 * @example
 * ```ts
 * const status = evaluatePractice({ teacher, records, year: 2025, asOf: '2026-05-01' });
 * practiceOutlook(status, '2026-05-01', defaultPolicy);
 * // { year: 2025, yearEnd: '2026-08-31', undeclaredDays: 30, yearClosed: false, pendingRecordIds: [] }
 * ```
 */
export function practiceOutlook(status: PracticeStatus, asOf: string | undefined, policy: Policy): PracticeOutlook {
  const yearEnd = academicYearPeriod(status.year, policy.calendar.yearStart).end;
  return {
    year: status.year,
    yearEnd,
    pendingRecordIds: status.pendingRecordIds,
    undeclaredDays: status.compliant ? 0 : Math.max(0, status.shortfall - status.pendingDays),
    yearClosed: asOf !== undefined && asOf >= yearEnd,
  };
}

/** Pre-post practice (岗前企业实践, `policy.practice.prePost`) of one teacher: owed or not, and how much is done. */
export interface PrePostPractice {
  /** The policy asks it of this teacher: `practice.prePost` is set, names the teacher's category and stage, and the teacher has no enterprise experience. */
  required: boolean;
  /** Why not required: the policy has no `prePost`, the teacher has enterprise experience, or the category or stage is not named; null when required. */
  notRequiredBecause: 'no_policy' | 'experience' | 'category' | 'stage' | null;
  /** The day the post starts (the hire date): practice counts when it falls before it. */
  postStart: string;
  /** Days owed before `postStart`; 0 when not required. */
  requiredDays: number;
  /** Distinct days before `postStart` covered by verified practice (weighted by form as the year's days are). */
  countedDays: number;
  /** Days before `postStart` that pending records would add once verified. */
  pendingDays: number;
  /** Not required, or `countedDays` ≥ `requiredDays`. */
  met: boolean;
  shortfall: number;
  recordIds: string[];
  pendingRecordIds: string[];
  /** What is still to do, zh and en, as the growth path's gaps say it (`requirementId: 'pre_post_practice'`); empty when met. */
  gaps: { requirementId: 'pre_post_practice'; zh: string; en: string }[];
}

/**
 * Pre-post practice (岗前企业实践): `policy.practice.prePost` may ask a new teacher without enterprise experience
 * (`teacher.enterpriseExperience` not true) for `requiredDays` of practice before taking up the post (the hire
 * date), for the categories and stages it names. Counts the verified `enterprise_practice` days before the hire
 * date (overlaps once, forms weighted as in a year), and says what is still to do in zh and en.
 * @example
 * ```ts
 * const policy = { ...defaultPolicy, practice: { ...defaultPolicy.practice, prePost: { requiredDays: 30, stages: ['new_teacher'] } } };
 * prePostPracticeOf({ ...teacher, hireDate: '2025-09-01' }, [practiceJuly20Days], policy);
 * // { required: true, countedDays: 20, requiredDays: 30, met: false, shortfall: 10,
 * //   gaps: [{ requirementId: 'pre_post_practice', zh: '还需 10 天岗前企业实践（2025-09-01 入职前）', en: '10 more days of pre-post enterprise practice (before taking up the post on 2025-09-01)' }], … }
 * ```
 */
export function prePostPracticeOf(teacher: Teacher, ownRecords: readonly EvidenceRecord[], policy: Policy): PrePostPractice {
  const rule = policy.practice.prePost;
  const postStart = teacher.hireDate;
  const notRequiredBecause =
    rule === undefined ? 'no_policy' : teacher.enterpriseExperience === true ? 'experience' : rule.categories !== undefined && !rule.categories.includes(teacherCategoryOf(teacher)) ? 'category' : rule.stages !== undefined && !rule.stages.includes(teacher.stage) ? 'stage' : null;
  const verified: PeriodLike[] = [];
  const pending: PeriodLike[] = [];
  for (const record of ownRecords) {
    if (record.kind !== 'enterprise_practice') continue;
    if (record.status === 'verified') verified.push(record);
    else if (record.status === 'pending') pending.push(record);
  }
  // every day before the post starts: from the first record's first day to the day before the hire date
  const last = dayNumber(postStart) - 1;
  const forms = policy.practice.forms;
  const count = (spans: Span[]): number => {
    if (spans.length === 0) return 0;
    const first = Math.min(...spans.map((span) => span.first));
    sortByFirst(spans);
    return forms === undefined || !spans.some((span) => span.percent !== 100) ? sortedUnionLength(spans, first, last) : Math.floor(weightedDays(spans, first, last).percentDays / 100);
  };
  const verifiedSpans = spansOf(verified, forms);
  const pendingSpans = spansOf(pending, forms);
  const before = (spans: readonly Span[]) => spans.filter((span) => span.first <= last).map((span) => span.id);
  const recordIds = before(verifiedSpans);
  const pendingRecordIds = before(pendingSpans);
  const countedDays = count(verifiedSpans);
  const pendingDays = pendingRecordIds.length === 0 ? 0 : count(verifiedSpans.concat(pendingSpans)) - countedDays;
  const required = notRequiredBecause === null;
  const requiredDays = required ? rule!.requiredDays : 0;
  const shortfall = Math.max(0, requiredDays - countedDays);
  const gaps: PrePostPractice['gaps'] = [];
  if (shortfall > 0) {
    const pendingEn = pendingDays > 0 ? `; ${pendingDays} pending` : '';
    const pendingZh = pendingDays > 0 ? `；${pendingDays} 天待审核` : '';
    gaps.push({
      requirementId: 'pre_post_practice',
      en: `${shortfall} more ${shortfall === 1 ? 'day' : 'days'} of pre-post enterprise practice (before taking up the post on ${postStart}${pendingEn})`,
      zh: `还需 ${shortfall} 天岗前企业实践（${postStart} 入职前${pendingZh}）`,
    });
  }
  return { required, notRequiredBecause, postStart, requiredDays, countedDays, pendingDays, met: shortfall === 0, shortfall, recordIds, pendingRecordIds, gaps };
}
