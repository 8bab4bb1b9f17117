import { describe, expect, it } from 'vitest';
import { appraiseAll, defaultPolicy, parsePolicy } from '../src/index.js';
import { rateOf, yearFigures } from '../src/reports.js';
import { practice, rec, teacher } from './fixtures.js';

describe('rateOf', () => {
  it('gives integer hundredths of a percent, rounded half up, and null with no one counted', () => {
    expect(rateOf(1, 3).hundredthsOfPercent).toBe(3333);
    expect(rateOf(2, 3).hundredthsOfPercent).toBe(6667);
    expect(rateOf(1, 8).hundredthsOfPercent).toBe(1250);
    expect(rateOf(1, 80000).hundredthsOfPercent).toBe(0);
    expect(rateOf(1, 20000).hundredthsOfPercent).toBe(1);
    expect(rateOf(0, 0).hundredthsOfPercent).toBeNull();
    expect(rateOf(5, 5).hundredthsOfPercent).toBe(10000);
  });
});

describe('yearFigures: practice compliance under the binding rule, exempt teachers out of the rate', () => {
  // t1 specialised: 30 days in 2025 only. t2 specialised: 50 days in each of 2021–2024, 10 in 2025.
  // t3 公共基础课 with no practice. t4 specialised, a verified exemption for 2025.
  const teachers = [teacher({ id: 't1' }), teacher({ id: 't2' }), teacher({ id: 't3', category: 'public_basic' }), teacher({ id: 't4' })];
  const records = [
    practice('2025-10-01', '2025-10-30', { teacherId: 't1' }),
    ...[2021, 2022, 2023, 2024].map((year) => practice(`${year}-10-01`, `${year}-11-19`, { teacherId: 't2' })),
    practice('2025-10-01', '2025-10-10', { teacherId: 't2' }),
    rec('practice_exemption', { teacherId: 't4', year: 2025, reason: '访学' }),
  ];
  const figures = (practiceRule: object) => {
    const policy = parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, ...practiceRule } });
    return yearFigures(
      2025,
      appraiseAll({ teachers, records, year: 2025, policy }).map((appraisal) => ({ unit: '机电工程学院', appraisal })),
    ).practice;
  };

  it('annual (default): t1 compliant; t2 and t3 not; t4 exempt; 1 of 3', () => {
    const practice = figures({});
    expect(practice.compliant.teacherIds).toEqual(['t1']);
    expect(practice.noncompliant.teacherIds).toEqual(['t2', 't3']);
    expect(practice.exempt.teacherIds).toEqual(['t4']);
    expect(practice.rate).toEqual({ numerator: 1, denominator: 3, hundredthsOfPercent: 3333 });
  });

  it('rolling: t2 compliant, t1 not', () => {
    const practice = figures({ binding: 'rolling' });
    expect(practice.compliant.teacherIds).toEqual(['t2']);
    expect(practice.noncompliant.teacherIds).toEqual(['t1', 't3']);
  });

  it('both, with 公共基础课 exempt: nobody compliant, t3 leaves the denominator: 0 of 2', () => {
    const practice = figures({ binding: 'both', byCategory: { public_basic: 'exempt' } });
    expect(practice.compliant.teacherIds).toEqual([]);
    expect(practice.noncompliant.teacherIds).toEqual(['t1', 't2']);
    expect(practice.exempt.teacherIds).toEqual(['t3', 't4']);
    expect(practice.rate).toEqual({ numerator: 0, denominator: 2, hundredthsOfPercent: 0 });
  });

  it('half for 公共基础课 with 15 days: t3 compliant: 2 of 3', () => {
    const withT3 = [...records, practice('2025-10-01', '2025-10-15', { teacherId: 't3' })];
    const policy = parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, byCategory: { public_basic: { requiredDays: 15, rollingRequiredDays: 90 } } } });
    const figure = yearFigures(
      2025,
      appraiseAll({ teachers, records: withT3, year: 2025, policy }).map((appraisal) => ({ unit: 'u', appraisal })),
    ).practice;
    expect(figure.compliant.teacherIds).toEqual(['t1', 't3']);
    expect(figure.rate).toEqual({ numerator: 2, denominator: 3, hundredthsOfPercent: 6667 });
  });
});

describe('yearFigures: the teachers short of days follow the binding rule; the rule that does not bind is a separate list', () => {
  // 2025-2026, the window 2021–2025 (hired 2015), 30 days a year and 180 over five years:
  // t1 30 days in 2025 only: annual 30/30 met, window 30/180 (150 short).
  // t2 50 days in each of 2021–2024, 10 in 2025: annual 10/30 (20 short), window 210/180 met.
  // t3 公共基础课, no practice: annual 0/30 (30 short), window 0/180 (180 short). t4 exempt for 2025: in no list.
  const teachers = [teacher({ id: 't1' }), teacher({ id: 't2' }), teacher({ id: 't3', category: 'public_basic' }), teacher({ id: 't4' })];
  const records = [
    practice('2025-10-01', '2025-10-30', { teacherId: 't1' }),
    ...[2021, 2022, 2023, 2024].map((year) => practice(`${year}-10-01`, `${year}-11-19`, { teacherId: 't2' })),
    practice('2025-10-01', '2025-10-10', { teacherId: 't2' }),
    rec('practice_exemption', { teacherId: 't4', year: 2025, reason: '访学' }),
  ];
  const lists = (binding?: 'annual' | 'rolling' | 'both') => {
    const policy = parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, ...(binding ? { binding } : {}) } });
    const figures = yearFigures(
      2025,
      appraiseAll({ teachers, records, year: 2025, policy }).map((appraisal) => ({ unit: 'u', appraisal })),
    );
    expect(figures.atRisk.map((entry) => entry.teacherId).sort()).toEqual(figures.practice.noncompliant.teacherIds);
    return { atRisk: figures.atRisk, referenceShort: figures.referenceShort };
  };
  const annual = (countedDays: number) => ({ rule: 'annual', countedDays, requiredDays: 30, daysNeeded: 30 - countedDays });
  const rolling = (countedDays: number) => ({ rule: 'rolling', countedDays, requiredDays: 180, daysNeeded: 180 - countedDays });

  it('annual: t3 and t2 short of the year’s days; t1 (met the year, short on the window) only in the reference list', () => {
    expect(lists('annual')).toEqual({
      atRisk: [
        { teacherId: 't3', unit: 'u', daysNeeded: 30, short: [annual(0)] },
        { teacherId: 't2', unit: 'u', daysNeeded: 20, short: [annual(10)] },
      ],
      referenceShort: [{ teacherId: 't1', unit: 'u', daysNeeded: 150, short: [rolling(30)] }],
    });
    // the default policy binds the annual rule
    expect(lists()).toEqual(lists('annual'));
  });

  it('rolling: t3 and t1 short on the window; t2 (met the window, short of the year’s days) only in the reference list', () => {
    expect(lists('rolling')).toEqual({
      atRisk: [
        { teacherId: 't3', unit: 'u', daysNeeded: 180, short: [rolling(0)] },
        { teacherId: 't1', unit: 'u', daysNeeded: 150, short: [rolling(30)] },
      ],
      referenceShort: [{ teacherId: 't2', unit: 'u', daysNeeded: 20, short: [annual(10)] }],
    });
  });

  it('both: every teacher short on either rule, with each rule short; no reference list', () => {
    expect(lists('both')).toEqual({
      atRisk: [
        { teacherId: 't3', unit: 'u', daysNeeded: 180, short: [annual(0), rolling(0)] },
        { teacherId: 't1', unit: 'u', daysNeeded: 150, short: [rolling(30)] },
        { teacherId: 't2', unit: 'u', daysNeeded: 20, short: [annual(10)] },
      ],
      referenceShort: [],
    });
  });
});
