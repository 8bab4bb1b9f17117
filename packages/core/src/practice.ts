import { z } from 'zod';
import { academicYearDays, academicYearOfDate, dayNumber } from './calendar.js';
import { parseWith } from './errors.js';
import { resolvePolicy, type Policy } from './policy.js';
import { dateString, parseRecords, parseTeacher, type EvidenceRecord, type Teacher } from './records.js';

/** Enterprise practice (企业实践) for one teacher and academic year: SPEC §3. */
export interface PracticeStatus {
  year: number;
  /** Distinct days of the year covered by verified practice records. */
  countedDays: number;
  /** Distinct days covered only by pending records: they would count once verified. */
  pendingDays: number;
  requiredDays: number;
  exempt: boolean;
  compliant: boolean;
  shortfall: number;
  /** Not compliant, and more days short than days left in the year after `asOf` (false without asOf). */
  atRisk: boolean;
  /** Verified records behind `countedDays`. */
  recordIds: string[];
  pendingRecordIds: string[];
  /** Reported only: the national six-months-in-five-years rule. */
  rolling: { years: number[]; countedDays: number; requiredDays: number; met: boolean };
}

interface PeriodLike {
  id: string;
  start: string;
  end: string;
}

/**
 * Distinct calendar days inside [firstDay, lastDay] covered by at least one period: overlapping or duplicate
 * periods never count a day twice. Also returns the ids of the periods that touch the range.
 */
export function distinctDays(periods: readonly PeriodLike[], firstDay: number, lastDay: number): { days: number; recordIds: string[] } {
  const spans = clippedSpans(periods, firstDay, lastDay);
  return { days: unionLength(spans), recordIds: spans.map((span) => span.id) };
}

interface Span {
  id: string;
  first: number;
  last: number;
}

function clippedSpans(periods: readonly PeriodLike[], firstDay: number, lastDay: number): Span[] {
  const spans: Span[] = [];
  for (const period of periods) {
    const first = Math.max(dayNumber(period.start), firstDay);
    const last = Math.min(dayNumber(period.end), lastDay);
    if (first <= last) spans.push({ id: period.id, first, last });
  }
  return spans;
}

/** Length of the union of inclusive day spans. Sorts its argument. */
function unionLength(spans: Span[]): number {
  if (spans.length === 0) return 0;
  spans.sort((a, b) => a.first - b.first);
  let total = 0;
  let runFirst = spans[0]!.first;
  let runLast = spans[0]!.last;
  for (let index = 1; index < spans.length; index++) {
    const span = spans[index]!;
    if (span.first > runLast + 1) {
      total += runLast - runFirst + 1;
      runFirst = span.first;
      runLast = span.last;
    } else if (span.last > runLast) {
      runLast = span.last;
    }
  }
  return total + runLast - runFirst + 1;
}

/** Days of practice required of `teacher` in `year`: none before the hire year, prorated in it. */
export function requiredPracticeDays(teacher: Teacher, year: number, policy: Policy): number {
  const yearStart = policy.calendar.yearStart;
  const hireYear = academicYearOfDate(teacher.hireDate, yearStart);
  const required = policy.practice.requiredDays;
  if (year < hireYear) return 0;
  if (year > hireYear || !policy.practice.prorateHireYear) return required;
  const { first, last } = academicYearDays(year, yearStart);
  const daysInYear = last - first + 1;
  const daysFromHire = last - dayNumber(teacher.hireDate) + 1;
  return Math.ceil((required * daysFromHire) / daysInYear); // integers: exact
}

/**
 * Practice status from a teacher's own, already validated records. The internal entry point: appraisal,
 * growth and title review all call this one function, so "compliant" means one thing everywhere.
 */
export function practiceStatus(teacher: Teacher, ownRecords: readonly EvidenceRecord[], year: number, policy: Policy, asOf?: string): PracticeStatus {
  const verified: PeriodLike[] = [];
  const pending: PeriodLike[] = [];
  const exemptYears = new Set<number>();
  for (const record of ownRecords) {
    if (record.kind === 'enterprise_practice') {
      if (record.status === 'verified') verified.push(record);
      else if (record.status === 'pending') pending.push(record);
    } else if (record.kind === 'practice_exemption' && record.status === 'verified') {
      exemptYears.add(record.year);
    }
  }
  const yearStart = policy.calendar.yearStart;
  const { first, last } = academicYearDays(year, yearStart);
  const countedSpans = clippedSpans(verified, first, last);
  const recordIds = countedSpans.map((span) => span.id);
  const countedDays = unionLength(countedSpans);
  const pendingSpans = clippedSpans(pending, first, last);
  const pendingRecordIds = pendingSpans.map((span) => span.id);
  const pendingDays = pendingSpans.length === 0 ? 0 : unionLength([...countedSpans, ...pendingSpans]) - countedDays;

  const requiredDays = requiredPracticeDays(teacher, year, policy);
  const exempt = exemptYears.has(year);
  const compliant = exempt || countedDays >= requiredDays;
  const shortfall = exempt ? 0 : Math.max(0, requiredDays - countedDays);
  let atRisk = false;
  if (asOf !== undefined && !compliant) {
    const daysLeft = Math.min(Math.max(last - dayNumber(asOf), 0), last - first + 1);
    atRisk = shortfall > daysLeft;
  }

  const rollingRule = policy.practice.rolling;
  const hireYear = academicYearOfDate(teacher.hireDate, yearStart);
  const rollingYears: number[] = [];
  let rollingCounted = 0;
  for (let rollingYear = year - rollingRule.years + 1; rollingYear <= year; rollingYear++) {
    if (rollingYear < hireYear || exemptYears.has(rollingYear)) continue;
    rollingYears.push(rollingYear);
    if (rollingYear === year) rollingCounted += countedDays;
    else {
      const days = academicYearDays(rollingYear, yearStart);
      rollingCounted += unionLength(clippedSpans(verified, days.first, days.last));
    }
  }
  const rollingRequired = Math.ceil((rollingRule.requiredDays * rollingYears.length) / rollingRule.years);

  return {
    year,
    countedDays,
    pendingDays,
    requiredDays,
    exempt,
    compliant,
    shortfall,
    atRisk,
    recordIds,
    pendingRecordIds,
    rolling: { years: rollingYears, countedDays: rollingCounted, requiredDays: rollingRequired, met: rollingCounted >= rollingRequired },
  };
}

export const academicYearArg = z.int({ message: 'must be an integer academic year such as 2025 (for 2025-2026)' }).min(1900).max(2999);

/**
 * The enterprise-practice status of `teacher` in academic year `year`. All of the year's records count
 * whatever `asOf` is; `asOf` only decides `atRisk`.
 */
export function evaluatePractice(args: { teacher: Teacher; records: readonly EvidenceRecord[]; year: number; asOf?: string; policy?: Policy }): PracticeStatus {
  const policy = resolvePolicy(args.policy);
  const teacher = parseTeacher(args.teacher);
  const records = parseRecords(args.records);
  const year = parseWith(academicYearArg, args.year, ['year']);
  const asOf = args.asOf === undefined ? undefined : parseWith(dateString, args.asOf, ['asOf']);
  return practiceStatus(teacher, records.filter((record) => record.teacherId === teacher.id), year, policy, asOf);
}
