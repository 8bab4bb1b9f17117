import { z } from 'zod';
import { academicYearLabel, addYears, lastCompletedYears, wholeYearsBetween } from './calendar.js';
import { parseWith, ValidationError, type ValidationIssue } from './errors.js';
import { toFraction, toHundredths } from './exact.js';
import { appraise, compiledFor } from './appraisal.js';
import { collect, meanHundredths } from './shared.js';
import { labels } from './labels.js';
import { gradeAtLeast, resolvePolicy, type Grade, type Policy } from './policy.js';
import { practiceFiguresText } from './practice.js';
import { dateString, groupByTeacher, parseRecords, parseTeacher, registryOf, titles, type EvidenceRecord, type Teacher, type Title } from './records.js';

/**
 * Title review (职称评审), SPEC §6: eligibility, review score and the committee's ranked list. The window is
 * the last `policy.titleReview.windowYears` completed academic years as of `asOf`.
 */

export interface TitleReviewCandidate {
  teacher: Teacher;
  /** The whole college's records or just this teacher's: all are validated, only the teacher's are used. */
  records: readonly EvidenceRecord[];
  targetTitle: Title;
}

export interface RankTitleReviewInput {
  candidates: readonly TitleReviewCandidate[];
  asOf: string;
  policy?: Policy | undefined;
}

/** Why a candidate is not eligible, as a stable code and readable text. */
export interface ReasonDetail {
  /** `not_next_title`, `years_at_title`, `practice_noncompliant:2024-2025`, `grade_below_minimum:2023-2024`, `ethics_violation:2024-2025`. */
  code: string;
  zh: string;
  en: string;
}

export interface TitleReviewEntry {
  teacherId: string;
  targetTitle: Title;
  eligible: boolean;
  /** Reason codes, in a stable order: title, years, then practice, grade and ethics by year. */
  reasons: string[];
  reasonDetails: ReasonDetail[];
  /** Mean of the window's annual totals, rounded half-up to 0.01. Every candidate gets one. */
  score: number;
  /** Minimum score for the target title (null when the policy has no such target). */
  minScore: number | null;
  /** Eligible and score ≥ the target's minimum. */
  passed: boolean;
  /** 1-based place among the eligible candidates for the same title; null when ineligible. */
  rank: number | null;
  /** The academic years of the window, oldest first. */
  windowYears: number[];
  /**
   * The tie-breaks after the score: the window's capped points of the policy's tie-break categories
   * (`appraisal.excellenceQuota.tieBreak`; the default: tech_transfer + enterprise_service), and its counted
   * practice days.
   */
  tieBreak: { transferAndServicePoints: number; practiceDays: number };
  annualTotals: Array<{ year: number; total: number; grade: Grade }>;
}

const candidateListSchema = z.array(z.unknown());
const candidateShape = z.looseObject({ teacher: z.unknown(), records: z.unknown(), targetTitle: z.enum(titles) });

/**
 * The committee's list: per target title (in ladder order) the eligible candidates ranked by score, then window
 * transfer + service points, then window practice days, then id; the ineligible ones follow by id with reasons.
 * @example
 * ```ts
 * const [entry] = rankTitleReview({ candidates: [{ teacher, records, targetTitle: 'lecturer' }], asOf: '2025-09-01' });
 * entry?.eligible;   // false
 * entry?.reasons[0]; // 'practice_noncompliant:2022-2023'
 * ```
 */
export function rankTitleReview(input: RankTitleReviewInput): TitleReviewEntry[] {
  const args = (input ?? {}) as Partial<RankTitleReviewInput>;
  const issues: ValidationIssue[] = [];
  const policy = collect(issues, () => resolvePolicy(args.policy));
  const asOf = collect(issues, () => parseWith(dateString, args.asOf, ['asOf']));
  const list = collect(issues, () => parseWith(candidateListSchema, args.candidates, ['candidates'])) ?? [];
  const parsed: Array<{ teacher: Teacher; ownRecords: readonly EvidenceRecord[]; targetTitle: Title } | undefined> = [];
  // A college-wide list shared by every candidate is validated and grouped once.
  const grouped = new Map<unknown, Map<string, EvidenceRecord[]> | null>();
  const seenTeachers = new Map<string, number>();
  list.forEach((raw, index) => {
    const shape = collect(issues, () => parseWith(candidateShape, raw, ['candidates', index]));
    const teacher = collect(issues, () => parseTeacher((raw as { teacher?: unknown } | null)?.teacher, `candidates[${index}].teacher`));
    const recordsInput = (raw as { records?: unknown } | null)?.records;
    const cacheable = typeof recordsInput === 'object' && recordsInput !== null;
    let byTeacher: Map<string, EvidenceRecord[]> | null;
    if (cacheable && grouped.has(recordsInput)) byTeacher = grouped.get(recordsInput)!;
    else {
      const records = collect(issues, () => parseRecords(recordsInput, policy, `candidates[${index}].records`));
      byTeacher = records ? groupByTeacher(records) : null;
      if (cacheable) grouped.set(recordsInput, byTeacher);
    }
    if (teacher) {
      const earlier = seenTeachers.get(teacher.id);
      if (earlier !== undefined) issues.push({ path: `candidates[${index}].teacher.id`, message: `duplicate candidate "${teacher.id}" (also candidates[${earlier}])` });
      else seenTeachers.set(teacher.id, index);
    }
    parsed.push(shape && teacher && byTeacher ? { teacher, ownRecords: byTeacher.get(teacher.id) ?? [], targetTitle: shape.targetTitle } : undefined);
  });
  if (issues.length > 0 || !policy || asOf === undefined) throw new ValidationError(issues);
  return rankReview(
    parsed.map((candidate) => candidate!),
    asOf,
    policy,
  );
}

/**
 * The internal entry point: candidates already validated, each with only their own records.
 * @example
 * ```ts
 * // trusted: candidates validated, each with only their own records
 * rankReview([{ teacher, ownRecords, targetTitle: 'lecturer' }], '2025-09-01', defaultPolicy);
 * ```
 */
export function rankReview(candidates: ReadonlyArray<{ teacher: Teacher; ownRecords: readonly EvidenceRecord[]; targetTitle: Title }>, asOf: string, policy: Policy): TitleReviewEntry[] {
  const window = lastCompletedYears(asOf, policy.titleReview.windowYears, policy.calendar.yearStart);
  const compiled = compiledFor(policy);
  const scored = candidates.map((candidate) => reviewCandidate(candidate.teacher, candidate.ownRecords, candidate.targetTitle, window, asOf, policy, compiled));

  const entries: TitleReviewEntry[] = [];
  for (const title of titles) {
    const group = scored.filter((item) => item.entry.targetTitle === title);
    const eligible = group.filter((item) => item.entry.eligible).sort(compareEligible);
    const ineligible = group.filter((item) => !item.entry.eligible).sort((a, b) => compareIds(a.entry.teacherId, b.entry.teacherId));
    eligible.forEach((item, index) => {
      item.entry.rank = index + 1;
      entries.push(item.entry);
    });
    for (const item of ineligible) entries.push(item.entry);
  }
  return entries;
}

interface Scored {
  entry: TitleReviewEntry;
  scoreHundredths: number;
  transferAndServiceHundredths: number;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEligible(a: Scored, b: Scored): number {
  return b.scoreHundredths - a.scoreHundredths || b.transferAndServiceHundredths - a.transferAndServiceHundredths || b.entry.tieBreak.practiceDays - a.entry.tieBreak.practiceDays || compareIds(a.entry.teacherId, b.entry.teacherId);
}

/** `score ≥ min` exactly, with the score in hundredths and `min` any policy number. */
function reaches(scoreHundredths: number, min: number): boolean {
  const { num, den } = toFraction(min);
  return BigInt(scoreHundredths) * BigInt(den) >= BigInt(num) * 100n;
}

function reviewCandidate(teacher: Teacher, ownRecords: readonly EvidenceRecord[], targetTitle: Title, window: number[], asOf: string, policy: Policy, compiled: ReturnType<typeof compiledFor>): Scored {
  const reasons: ReasonDetail[] = [];
  const target = (policy.titleReview.targets as Partial<Record<Title, { minYearsAtTitle: number; minScore: number }>>)[targetTitle];
  const targetName = labels.titles[targetTitle];

  const currentIndex = titles.indexOf(teacher.title);
  if (titles.indexOf(targetTitle) !== currentIndex + 1 || target === undefined) {
    const next = titles[currentIndex + 1];
    const current = labels.titles[teacher.title];
    reasons.push({
      code: 'not_next_title',
      en: `${targetName.en} is not the next title after ${current.en}${next ? ` (next: ${labels.titles[next].en})` : ''}`,
      zh: `申报职称${targetName.zh}不是${current.zh}的下一级${next ? `（应申报${labels.titles[next].zh}）` : ''}`,
    });
  }
  if (target !== undefined) {
    const years = wholeYearsBetween(teacher.titleSince, asOf);
    const needed = Math.ceil(target.minYearsAtTitle);
    if (years < needed) {
      const from = addYears(teacher.titleSince, needed);
      reasons.push({
        code: 'years_at_title',
        en: `${needed} whole years at the current title needed for ${targetName.en}; has ${years} (met from ${from})`,
        zh: `申报${targetName.zh}需任现职满 ${needed} 年，现为 ${years} 年（${from} 起满足）`,
      });
    }
  }

  const practiceReasons: ReasonDetail[] = [];
  const gradeReasons: ReasonDetail[] = [];
  const vetoReasons: ReasonDetail[] = [];
  const annualTotals: TitleReviewEntry['annualTotals'] = [];
  let transferAndService = 0;
  let practiceDays = 0;
  const minGrade = policy.titleReview.minGrade;
  const vetoes = new Map(policy.appraisal.vetoes.map((veto) => [veto.id, veto]));
  const registry = registryOf(policy);
  const totals: number[] = [];
  for (const year of window) {
    const appraisal = appraise(teacher, ownRecords, year, policy, compiled);
    const label = academicYearLabel(year);
    const hundredths = toHundredths(appraisal.total);
    totals.push(hundredths);
    for (const id of policy.appraisal.excellenceQuota.tieBreak) transferAndService += toHundredths(appraisal.categories[id]?.capped ?? 0);
    practiceDays += appraisal.practice.countedDays;
    annualTotals.push({ year, total: appraisal.total, grade: appraisal.grade });
    const practiceVeto = appraisal.vetoTrace.some((trace) => vetoes.get(trace.veto)?.when === 'practice_noncompliant');
    if (practiceVeto) {
      // the binding rule's figures (the annual days, the rolling window's, or both), as compliance was decided
      const figures = practiceFiguresText(appraisal.practice);
      practiceReasons.push({
        code: `practice_noncompliant:${label}`,
        en: `enterprise practice not compliant in ${label} (${figures.en})`,
        zh: `${label} 学年企业实践未达标（${figures.zh}）`,
      });
    }
    if (!gradeAtLeast(appraisal.grade, minGrade)) {
      gradeReasons.push({
        code: `grade_below_minimum:${label}`,
        en: `appraisal grade ${labels.grades[appraisal.grade].en} in ${label}; ${labels.grades[minGrade].en} or better needed`,
        zh: `${label} 学年考核等次为${labels.grades[appraisal.grade].zh}，需${labels.grades[minGrade].zh}及以上`,
      });
    }
    // A veto on a kind present (the default: ethics violation): named by the veto's label, else its kind's.
    for (const trace of appraisal.vetoTrace) {
      const veto = vetoes.get(trace.veto);
      if (veto === undefined || veto.when === 'practice_noncompliant') continue;
      const what = veto.label ?? registry.kind(veto.when.kind)!.declaration.label;
      vetoReasons.push({ code: `${veto.id}:${label}`, en: `${what.en} recorded in ${label}`, zh: `${label} 学年有${what.zh}记录` });
    }
  }
  reasons.push(...practiceReasons, ...gradeReasons, ...vetoReasons);

  const scoreHundredths = meanHundredths(totals);
  const eligible = reasons.length === 0;
  const entry: TitleReviewEntry = {
    teacherId: teacher.id,
    targetTitle,
    eligible,
    reasons: reasons.map((reason) => reason.code),
    reasonDetails: reasons,
    score: scoreHundredths / 100,
    minScore: target ? target.minScore : null,
    passed: eligible && target !== undefined && reaches(scoreHundredths, target.minScore),
    rank: null,
    windowYears: [...window],
    tieBreak: { transferAndServicePoints: transferAndService / 100, practiceDays },
    annualTotals,
  };
  return { entry, scoreHundredths, transferAndServiceHundredths: transferAndService };
}
