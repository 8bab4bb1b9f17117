import { describe, expect, it } from 'vitest';
import { academicYearLabel, academicYearOf, academicYearPeriod, addYears, isValidDate, lastCompletedYears, wholeYearsBetween, defaultPolicy, parsePolicy, ValidationError } from '../src/index.js';

describe('academic years', () => {
  it('runs from 1 September to 31 August and is labelled by both calendar years', () => {
    expect(academicYearOf('2025-09-01')).toBe(2025);
    expect(academicYearOf('2025-08-31')).toBe(2024);
    expect(academicYearOf('2026-08-31')).toBe(2025);
    expect(academicYearLabel(2025)).toBe('2025-2026');
    expect(academicYearPeriod(2025, defaultPolicy.calendar.yearStart)).toEqual({ start: '2025-09-01', end: '2026-08-31' });
  });

  it('follows the policy when a college starts its year elsewhere', () => {
    const policy = { ...defaultPolicy, calendar: { yearStart: { month: 3, day: 1 } } };
    expect(academicYearOf('2026-02-28', policy)).toBe(2025);
    expect(academicYearOf('2026-03-01', policy)).toBe(2026);
  });

  it('rejects impossible dates with a ValidationError naming the field', () => {
    expect(isValidDate('2025-02-30')).toBe(false);
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2025-02-29')).toBe(false);
    expect(() => academicYearOf('2025-13-01')).toThrow(ValidationError);
    try {
      academicYearOf('2025-02-30');
    } catch (error) {
      expect((error as ValidationError).issues[0]!.path).toBe('date');
    }
  });

  it("checks the policy's year start without zod, naming each bad field, and agrees with parsePolicy", () => {
    const bad = { ...defaultPolicy, calendar: { yearStart: { month: 13, day: 29 } } } as never;
    let issues: { path: string }[] = [];
    try {
      academicYearOf('not a date', bad);
    } catch (error) {
      issues = (error as ValidationError).issues;
    }
    expect(issues.map((issue) => issue.path)).toEqual(['date', 'policy.calendar.yearStart.month', 'policy.calendar.yearStart.day']);
    expect(() => parsePolicy(bad)).toThrow(/policy\.calendar\.yearStart\.day: must be 1–28/);
    expect(() => academicYearOf('2025-09-01', { calendar: {} } as never)).toThrow(ValidationError);
    expect(academicYearOf('2025-08-28', parsePolicy({ ...structuredClone(defaultPolicy), calendar: { yearStart: { month: 8, day: 28 } } }))).toBe(2025);
    expect(defaultPolicy.calendar.yearStart).toEqual({ month: 9, day: 1 });
  });

  it('a year is completed only after its last day', () => {
    const start = defaultPolicy.calendar.yearStart;
    expect(lastCompletedYears('2026-08-31', 3, start)).toEqual([2022, 2023, 2024]);
    expect(lastCompletedYears('2026-09-01', 3, start)).toEqual([2023, 2024, 2025]);
  });
});

describe('whole years between', () => {
  it('counts anniversaries reached', () => {
    expect(wholeYearsBetween('2020-09-01', '2023-08-31')).toBe(2);
    expect(wholeYearsBetween('2020-09-01', '2023-09-01')).toBe(3);
    expect(wholeYearsBetween('2023-09-01', '2020-09-01')).toBe(0);
  });

  it('reads 29 February plus n years in a common year as 28 February', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(wholeYearsBetween('2024-02-29', '2025-02-27')).toBe(0);
    expect(wholeYearsBetween('2024-02-29', '2025-02-28')).toBe(1);
    expect(wholeYearsBetween('2024-02-29', '2027-02-28')).toBe(3);
    expect(wholeYearsBetween('2024-02-29', '2028-02-28')).toBe(3);
    expect(wholeYearsBetween('2024-02-29', '2028-02-29')).toBe(4);
  });
});
