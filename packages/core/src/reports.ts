import type { Appraisal } from './appraisal.js';
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

export interface AtRiskTeacher {
  teacherId: string;
  unit: string;
  /** Days the binding rule still asks for in the year. */
  daysNeeded: number;
  countedDays: number;
  requiredDays: number;
  /** Days the rolling window still asks for (0 when met). */
  rollingDaysNeeded: number;
}

export interface YearFigures {
  year: number;
  teachers: Figure;
  practice: { compliant: Figure; noncompliant: Figure; exempt: Figure; rate: Rate };
  /** Final grade (after the quota) of each teacher. */
  grades: Record<Grade, Figure>;
  atRisk: AtRiskTeacher[];
}

export interface ReportEntry {
  unit: string;
  appraisal: Appraisal;
}

export function rateOf(numerator: number, denominator: number): Rate {
  return { numerator, denominator, hundredthsOfPercent: denominator === 0 ? null : Math.floor((numerator * 20000 + denominator) / (2 * denominator)) };
}

function figure(ids: string[]): Figure {
  const teacherIds = [...ids].sort();
  return { count: teacherIds.length, teacherIds };
}

/**
 * The figures a college reports for one year, from its teachers' appraisals (quota applied): practice
 * compliance under the rule the appraisal binds (exempt teachers are left out of the rate), teachers short of
 * days, and the final-grade distribution. Pure counting: the rules were applied by `appraise`.
 */
export function yearFigures(year: number, entries: readonly ReportEntry[]): YearFigures {
  const all: string[] = [];
  const compliant: string[] = [];
  const noncompliant: string[] = [];
  const exempt: string[] = [];
  const byGrade = Object.fromEntries(grades.map((grade) => [grade, [] as string[]])) as Record<Grade, string[]>;
  const atRisk: AtRiskTeacher[] = [];
  for (const { unit, appraisal } of entries) {
    const id = appraisal.teacherId;
    all.push(id);
    byGrade[appraisal.finalGrade ?? appraisal.grade].push(id);
    const practice = appraisal.practice;
    if (practice.exempt) exempt.push(id);
    else if (practice.compliant) compliant.push(id);
    else noncompliant.push(id);
    const rollingDaysNeeded = Math.max(0, practice.rolling.requiredDays - practice.rolling.countedDays);
    if (!practice.exempt && (!practice.compliant || rollingDaysNeeded > 0)) {
      atRisk.push({ teacherId: id, unit, daysNeeded: practice.compliant ? 0 : practice.shortfall, countedDays: practice.countedDays, requiredDays: practice.requiredDays, rollingDaysNeeded });
    }
  }
  atRisk.sort((x, y) => y.daysNeeded - x.daysNeeded || y.rollingDaysNeeded - x.rollingDaysNeeded || (x.teacherId < y.teacherId ? -1 : x.teacherId > y.teacherId ? 1 : 0));
  return {
    year,
    teachers: figure(all),
    practice: { compliant: figure(compliant), noncompliant: figure(noncompliant), exempt: figure(exempt), rate: rateOf(compliant.length, compliant.length + noncompliant.length) },
    grades: Object.fromEntries(grades.map((grade) => [grade, figure(byGrade[grade])])) as Record<Grade, Figure>,
    atRisk,
  };
}

/** The college's figures and each unit's (units in name order). */
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
