import type { Appraisal } from './appraisal.js';
import type { DualTier, RatioTarget } from './dual.js';
import type { PracticeFigure } from './practice.js';
import { certLevels } from './records.js';
import { grades, type Grade } from './policy.js';

/** A count with the teachers behind it, so every figure of a report can link to them. */
export interface Figure {
  count: number;
  teacherIds: string[];
}

/** A share as an exact fraction and as integer hundredths of a percent (rounded half up); null with no one counted. */
export interface Rate {
  numerator: number;
  denominator: number;
  hundredthsOfPercent: number | null;
}

/** One practice rule a teacher is short on: its figures (from the practice status) and the days it still asks. */
export interface PracticeShort {
  rule: 'annual' | 'rolling';
  countedDays: number;
  requiredDays: number;
  /** requiredDays − countedDays (> 0). */
  daysNeeded: number;
}

/** A teacher short of practice days under one rule or more, with the days each still asks. */
export interface AtRiskTeacher {
  teacherId: string;
  unit: string;
  /** The most days any rule of the list still asks (under the binding rule: the practice status's `shortfall`). */
  daysNeeded: number;
  /** The rules the teacher is short on, annual first: in `atRisk`, the binding rule's figures not met (`bindingFigures`). */
  short: PracticeShort[];
}

export interface YearFigures {
  year: number;
  teachers: Figure;
  practice: { compliant: Figure; noncompliant: Figure; exempt: Figure; rate: Rate };
  /** Final grade (after the quota) of each teacher. */
  grades: Record<Grade, Figure>;
  /**
   * The teachers not compliant under the binding rule (the same teachers as `practice.noncompliant`), each with
   * the binding rule's figures they are short on: under `annual` the year's days, under `rolling` the window's,
   * under `both` either or both. Most days needed first.
   */
  atRisk: AtRiskTeacher[];
  /**
   * For reference only: teachers compliant under the binding rule (not exempt) but short on the rule that does not
   * bind — the rolling window under `annual`, the year's days under `rolling`; none under `both`. Each with that one
   * rule's figures. They are not in `atRisk` and are counted compliant.
   */
  referenceShort: AtRiskTeacher[];
}

export interface ReportEntry {
  unit: string;
  appraisal: Appraisal;
}

/**
 * A share as an exact fraction and in hundredths of a percent, rounded half up (null when the denominator is 0).
 * @example
 * ```ts
 * rateOf(2, 3); // { numerator: 2, denominator: 3, hundredthsOfPercent: 6667 } (66.67 %)
 * rateOf(0, 0); // { numerator: 0, denominator: 0, hundredthsOfPercent: null }
 * ```
 */
export function rateOf(numerator: number, denominator: number): Rate {
  return { numerator, denominator, hundredthsOfPercent: denominator === 0 ? null : Math.floor((numerator * 20000 + denominator) / (2 * denominator)) };
}

function figure(ids: string[]): Figure {
  const teacherIds = [...ids].sort();
  return { count: teacherIds.length, teacherIds };
}

/**
 * The figures a college reports for one year, from its teachers' appraisals (quota applied): practice
 * compliance under the rule the appraisal binds (exempt teachers are left out of the rate), the teachers not
 * compliant under it with the rules they are short on (`atRisk`), apart from them the compliant teachers short on
 * the rule that does not bind (`referenceShort`, for reference), and the final-grade distribution. Pure counting: the rules were applied by `appraise`.
 * @example
 * ```ts
 * const figures = yearFigures(2024, appraiseAll({ teachers, records, year: 2024 }).map((appraisal) => ({ unit: '机电工程学院', appraisal })));
 * figures.practice.rate; // { numerator: 1, denominator: 2, hundredthsOfPercent: 5000 }
 * figures.atRisk;        // [{ teacherId: 't2', unit: '机电工程学院', daysNeeded: 20, short: [{ rule: 'annual', countedDays: 10, requiredDays: 30, daysNeeded: 20 }] }]
 * figures.referenceShort; // [{ teacherId: 't1', …, short: [{ rule: 'rolling', countedDays: 30, requiredDays: 180, daysNeeded: 150 }] }] (annual met, for reference)
 * ```
 */
export function yearFigures(year: number, entries: readonly ReportEntry[]): YearFigures {
  const all: string[] = [];
  const compliant: string[] = [];
  const noncompliant: string[] = [];
  const exempt: string[] = [];
  const byGrade = Object.fromEntries(grades.map((grade) => [grade, [] as string[]])) as Record<Grade, string[]>;
  const atRisk: AtRiskTeacher[] = [];
  const referenceShort: AtRiskTeacher[] = [];
  for (const { unit, appraisal } of entries) {
    const id = appraisal.teacherId;
    all.push(id);
    byGrade[appraisal.finalGrade ?? appraisal.grade].push(id);
    const practice = appraisal.practice;
    if (practice.exempt) exempt.push(id);
    else if (practice.compliant) compliant.push(id);
    else noncompliant.push(id);
    if (practice.exempt) continue;
    if (!practice.compliant) {
      const short = practice.bindingFigures.filter((f) => !f.met).map(shortOf);
      atRisk.push({ teacherId: id, unit, daysNeeded: practice.shortfall, short });
      continue;
    }
    // the rule that does not bind (none under `both`), measured from the same status
    const binding = practice.requirement.binding;
    const other: PracticeFigure | null =
      binding === 'annual'
        ? { rule: 'rolling', countedDays: practice.rolling.countedDays, requiredDays: practice.rolling.requiredDays, met: practice.rolling.met }
        : binding === 'rolling'
          ? { rule: 'annual', countedDays: practice.countedDays, requiredDays: practice.requiredDays, met: practice.countedDays >= practice.requiredDays }
          : null;
    if (other && !other.met) {
      const short = shortOf(other);
      referenceShort.push({ teacherId: id, unit, daysNeeded: short.daysNeeded, short: [short] });
    }
  }
  atRisk.sort(byNeed);
  referenceShort.sort(byNeed);
  return {
    year,
    teachers: figure(all),
    practice: { compliant: figure(compliant), noncompliant: figure(noncompliant), exempt: figure(exempt), rate: rateOf(compliant.length, compliant.length + noncompliant.length) },
    grades: Object.fromEntries(grades.map((grade) => [grade, figure(byGrade[grade])])) as Record<Grade, Figure>,
    atRisk,
    referenceShort,
  };
}

function shortOf(figure: PracticeFigure): PracticeShort {
  return { rule: figure.rule, countedDays: figure.countedDays, requiredDays: figure.requiredDays, daysNeeded: figure.requiredDays - figure.countedDays };
}

function byNeed(x: AtRiskTeacher, y: AtRiskTeacher): number {
  return y.daysNeeded - x.daysNeeded || (x.teacherId < y.teacherId ? -1 : x.teacherId > y.teacherId ? 1 : 0);
}

/**
 * The college's figures and each unit's (units in name order).
 * @example
 * ```ts
 * const { college, units } = collegeFigures(2024, entries); // entries as for yearFigures
 * units.map((unit) => unit.unit); // ['机电工程学院']
 * ```
 */
export function collegeFigures(year: number, entries: readonly ReportEntry[]): { college: YearFigures; units: { unit: string; figures: YearFigures }[] } {
  const byUnit = new Map<string, ReportEntry[]>();
  for (const entry of entries) {
    const list = byUnit.get(entry.unit);
    if (list) list.push(entry);
    else byUnit.set(entry.unit, [entry]);
  }
  const units = [...byUnit.keys()].sort().map((unit) => ({ unit, figures: yearFigures(year, byUnit.get(unit)!) }));
  return { college: yearFigures(year, entries), units };
}

// ---------------------------------------------------------------------------------------------------------
// 双师型 ratio

type Tier = (typeof certLevels)[number];

/** One teacher as the ratio counts them: category, the tier recognised (valid on asOf) and the tier met. */
export interface DualRatioEntry {
  teacherId: string;
  /** The teacher's category (教师类别); only `countedCategory` teachers are in the ratio. */
  category: string;
  recognisedTier: DualTier;
  tierMet: DualTier;
}

export interface DualQualifiedFigures {
  /** The teachers the ratio is over (the 专业课 teachers): its denominator. */
  teachers: Figure;
  /** Teachers of other categories, left out of the ratio. */
  leftOut: Figure;
  /** By the highest tier of a valid recognition (each teacher in one tier at most), and all of them (`any`). */
  recognised: Record<Tier | 'any', Figure>;
  /** recognised.any over teachers: the 双师型 ratio. */
  rate: Rate;
  /** Each tier's share of the teachers (exact tier, so the three add up to `rate`'s numerator). */
  rateByTier: Record<Tier, Rate>;
  target: RatioTarget;
  /** Whether `rate` meets the target exactly (fractions compared, no rounding); null with no teacher counted. */
  meetsTarget: boolean | null;
  /** Recognised teachers still needed to meet the target (0 when met); null with no teacher counted or a target no count can meet (over 100 %). */
  shortOfTarget: number | null;
  /** By the highest tier whose criteria the records meet, recognised or not. */
  criteriaMet: Record<Tier | 'any', Figure>;
  /** Teachers who meet a tier above the one recognised (or meet one and hold none): the recognitions due. */
  metAboveRecognised: Figure;
}

/**
 * The 双师型 ratio among `countedCategory` teachers (专业课), by tier, against the policy's target. Pure
 * counting: each teacher's tiers were assessed by `dualQualifiedOf` / `recognitionsOf`.
 * @example
 * ```ts
 * const figures = dualQualifiedFigures([
 *   { teacherId: 't1', category: 'specialised', recognisedTier: 'junior', tierMet: 'intermediate' },
 *   { teacherId: 't2', category: 'specialised', recognisedTier: 'none', tierMet: 'none' },
 *   { teacherId: 't3', category: 'public_course', recognisedTier: 'none', tierMet: 'none' },
 * ], ratioTargetOf(defaultPolicy));
 * figures.rate;        // { numerator: 1, denominator: 2, hundredthsOfPercent: 5000 } (t3 is left out)
 * figures.meetsTarget; // false: the target is above 50 %
 * ```
 */
export function dualQualifiedFigures(entries: readonly DualRatioEntry[], target: RatioTarget, countedCategory = 'specialised'): DualQualifiedFigures {
  const counted: string[] = [];
  const leftOut: string[] = [];
  const recognised = { junior: [] as string[], intermediate: [] as string[], senior: [] as string[], any: [] as string[] };
  const met = { junior: [] as string[], intermediate: [] as string[], senior: [] as string[], any: [] as string[] };
  const due: string[] = [];
  for (const entry of entries) {
    if (entry.category !== countedCategory) {
      leftOut.push(entry.teacherId);
      continue;
    }
    counted.push(entry.teacherId);
    if (entry.recognisedTier !== 'none') {
      recognised[entry.recognisedTier].push(entry.teacherId);
      recognised.any.push(entry.teacherId);
    }
    if (entry.tierMet !== 'none') {
      met[entry.tierMet].push(entry.teacherId);
      met.any.push(entry.teacherId);
    }
    if (certLevels.indexOf(entry.tierMet as Tier) > certLevels.indexOf(entry.recognisedTier as Tier)) due.push(entry.teacherId);
  }
  const n = counted.length;
  const r = recognised.any.length;
  // above: r / n > t / 10000 ⇔ 10000 r > t n; at_least: ≥. Integers, exact.
  const meets = (k: number) => (target.comparison === 'above' ? 10000 * k > target.hundredthsOfPercent * n : 10000 * k >= target.hundredthsOfPercent * n);
  // The fewest recognised teachers that meet it: above, ⌊t n / 10000⌋ + 1; at least, ⌈t n / 10000⌉.
  const fewest = target.comparison === 'above' ? Math.floor((target.hundredthsOfPercent * n) / 10000) + 1 : Math.ceil((target.hundredthsOfPercent * n) / 10000);
  const byTier = (ids: Record<Tier | 'any', string[]>) => Object.fromEntries((['junior', 'intermediate', 'senior', 'any'] as const).map((tier) => [tier, figure(ids[tier])])) as Record<Tier | 'any', Figure>;
  return {
    teachers: figure(counted),
    leftOut: figure(leftOut),
    recognised: byTier(recognised),
    rate: rateOf(r, n),
    rateByTier: Object.fromEntries(certLevels.map((tier) => [tier, rateOf(recognised[tier].length, n)])) as Record<Tier, Rate>,
    target: { ...target },
    meetsTarget: n === 0 ? null : meets(r),
    shortOfTarget: n === 0 || fewest > n ? null : Math.max(0, fewest - r),
    criteriaMet: byTier(met),
    metAboveRecognised: figure(due),
  };
}

/**
 * The 双师型 figures of the college and of each unit (units in name order).
 * @example
 * ```ts
 * const { college, units } = collegeDualQualifiedFigures(entries.map((entry) => ({ ...entry, unit: '机电工程学院' })), ratioTargetOf(defaultPolicy));
 * units.map((unit) => unit.unit); // ['机电工程学院']
 * ```
 */
export function collegeDualQualifiedFigures(entries: readonly (DualRatioEntry & { unit: string })[], target: RatioTarget, countedCategory = 'specialised'): { college: DualQualifiedFigures; units: { unit: string; figures: DualQualifiedFigures }[] } {
  const byUnit = new Map<string, DualRatioEntry[]>();
  for (const entry of entries) {
    const list = byUnit.get(entry.unit);
    if (list) list.push(entry);
    else byUnit.set(entry.unit, [entry]);
  }
  const units = [...byUnit.keys()].sort().map((unit) => ({ unit, figures: dualQualifiedFigures(byUnit.get(unit)!, target, countedCategory) }));
  return { college: dualQualifiedFigures(entries, target, countedCategory), units };
}
