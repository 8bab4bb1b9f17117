import { describe, expect, it } from 'vitest';
import { evaluatePractice, ValidationError, type EvidenceRecord } from '../src/index.js';
import { practice, rec, teacher } from './fixtures.js';

const status = (records: EvidenceRecord[], year = 2025, asOf?: string, hireDate = '2015-09-01') => evaluatePractice({ teacher: teacher({ hireDate }), records, year, ...(asOf ? { asOf } : {}) });

describe('counted days', () => {
  it('counts distinct days, inclusive of both ends', () => {
    expect(status([practice('2025-10-01', '2025-10-30')]).countedDays).toBe(30);
    expect(status([practice('2025-10-01', '2025-10-30')]).compliant).toBe(true);
    expect(status([practice('2025-10-01', '2025-10-29')]).shortfall).toBe(1);
  });

  it('splits a period across 31 August between the two academic years', () => {
    const records = [practice('2025-08-20', '2025-09-10')];
    expect(status(records, 2024).countedDays).toBe(12); // 20–31 August
    expect(status(records, 2025).countedDays).toBe(10); // 1–10 September
  });

  it('never counts overlapping or duplicate periods twice', () => {
    const records = [practice('2025-10-01', '2025-10-20'), practice('2025-10-10', '2025-10-30'), practice('2025-10-01', '2025-10-20'), practice('2025-11-01', '2025-11-05')];
    expect(status(records).countedDays).toBe(35);
    expect(status(records).recordIds).toHaveLength(4);
  });

  it('counts many periods, in any order, as the days they cover (the long-list sort path)', () => {
    // 40 one-week periods starting every 5 days, listed backwards: overlaps and more periods than the
    // in-place sort handles. They cover 2025-09-01 … 2026-03-01 (5 × 39 + 7 days), clipped to the year.
    const first = Date.UTC(2025, 8, 1) / 86_400_000;
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    const records = Array.from({ length: 40 }, (_, index) => practice(iso(first + 5 * (39 - index)), iso(first + 5 * (39 - index) + 6)));
    expect(status(records).countedDays).toBe(5 * 39 + 7);
    expect(status(records).recordIds).toEqual(records.map((record) => record.id));
    expect(status([...records, practice('2025-08-01', '2025-09-03')]).countedDays).toBe(5 * 39 + 7); // clipped at 1 September
  });

  it('merges adjacent periods without a gap and keeps gaps', () => {
    expect(status([practice('2025-10-01', '2025-10-10'), practice('2025-10-11', '2025-10-20')]).countedDays).toBe(20);
    expect(status([practice('2025-10-01', '2025-10-10'), practice('2025-10-12', '2025-10-20')]).countedDays).toBe(19);
  });

  it('counts 29 February in a leap academic year', () => {
    expect(status([practice('2024-02-01', '2024-03-01')], 2023).countedDays).toBe(30);
    expect(status([practice('2025-02-01', '2025-03-01')], 2024).countedDays).toBe(29);
  });

  it('only verified records count; pending are reported apart, rejected never', () => {
    const records = [practice('2025-10-01', '2025-10-20'), practice('2025-10-15', '2025-10-31', { status: 'pending' }), practice('2025-12-01', '2025-12-31', { status: 'rejected' })];
    const result = status(records);
    expect(result.countedDays).toBe(20);
    expect(result.pendingDays).toBe(11); // 21–31 October: days already counted are not pending
    expect(result.compliant).toBe(false);
    expect(result.shortfall).toBe(10);
  });

  it('ignores other teachers’ records', () => {
    expect(status([practice('2025-10-01', '2025-10-30', { teacherId: 't2' })]).countedDays).toBe(0);
  });
});

describe('required days', () => {
  it('prorates the hire year: hired 2026-03-01 → 16 days in 2025-2026', () => {
    const result = status([], 2025, undefined, '2026-03-01');
    expect(result.requiredDays).toBe(16); // ceil(30 × 184 / 365)
    expect(status([practice('2026-03-10', '2026-03-25')], 2025, undefined, '2026-03-01').compliant).toBe(true);
  });

  it('prorates over 366 days in a leap academic year', () => {
    expect(status([], 2023, undefined, '2024-03-01').requiredDays).toBe(16); // ceil(30 × 184 / 366) = ceil(15.08)
    expect(status([], 2023, undefined, '2023-09-01').requiredDays).toBe(30);
    expect(status([], 2023, undefined, '2024-08-31').requiredDays).toBe(1);
  });

  it('requires nothing before the hire year', () => {
    const result = status([], 2024, undefined, '2026-03-01');
    expect(result).toMatchObject({ requiredDays: 0, compliant: true, shortfall: 0 });
  });

  it('an approved exemption makes the year compliant with no shortfall', () => {
    const exemption = rec('practice_exemption', { year: 2025, reason: '产假' });
    expect(status([exemption])).toMatchObject({ exempt: true, compliant: true, shortfall: 0 });
    expect(status([{ ...exemption, status: 'pending' } as EvidenceRecord])).toMatchObject({ exempt: false, compliant: false, shortfall: 30 });
    expect(status([exemption], 2024).exempt).toBe(false);
  });
});

describe('at risk', () => {
  const records = [practice('2026-06-01', '2026-06-10')]; // 10 days, 20 short
  it('is false without asOf', () => {
    expect(status(records).atRisk).toBe(false);
  });
  it('compares the shortfall with days left strictly after asOf', () => {
    expect(status(records, 2025, '2026-08-11').atRisk).toBe(false); // 20 days left (12–31 Aug)
    expect(status(records, 2025, '2026-08-12').atRisk).toBe(true); // 19 days left
  });
  it('a year that is over is missed, never at risk with 0 days left', () => {
    // 2025-2026 ends 2026-08-31; 10 verified days of 30 required
    expect(status(records, 2025, '2026-08-30')).toMatchObject({ daysLeft: 1, standing: 'at_risk', atRisk: true, shortfall: 20 });
    expect(status(records, 2025, '2026-08-31')).toMatchObject({ daysLeft: 0, standing: 'missed', atRisk: false, shortfall: 20 });
    expect(status(records, 2025, '2027-01-01')).toMatchObject({ daysLeft: 0, standing: 'missed', atRisk: false, shortfall: 20, compliant: false });
    // a closed year that was met stays met
    const met = [practice('2026-06-01', '2026-06-30')];
    expect(status(met, 2025, '2027-01-01')).toMatchObject({ daysLeft: 0, standing: 'met', atRisk: false, shortfall: 0 });
  });
  it('standing is short while enough days are left, and without asOf', () => {
    expect(status(records)).toMatchObject({ daysLeft: null, standing: 'short' });
    expect(status(records, 2025, '2026-08-11')).toMatchObject({ daysLeft: 20, standing: 'short' }); // 20 short, 20 left
    expect(status(records, 2025, '2025-03-01')).toMatchObject({ daysLeft: 365, standing: 'short' }); // before the year: all of it left
  });
  it('pending days do not reduce the shortfall', () => {
    const withPending = [...records, practice('2026-08-15', '2026-08-31', { status: 'pending' })];
    expect(status(withPending, 2025, '2026-08-12').atRisk).toBe(true);
  });
  it('counts every record of the year whatever asOf is', () => {
    expect(status([practice('2026-05-01', '2026-05-30')], 2025, '2025-10-01').countedDays).toBe(30);
  });
});

describe('rolling five-year rule', () => {
  it('needs ceil(180 × n / 5) days over the non-exempt years since hire, and is reported only', () => {
    const records = [
      practice('2021-10-01', '2021-11-29'), // 60 days in 2021
      practice('2022-10-01', '2022-10-30'),
      practice('2023-10-01', '2023-10-30'),
      rec('practice_exemption', { year: 2024, reason: '出国访学' }),
      practice('2024-10-01', '2024-12-31'), // inside an exempt year: left out
      practice('2025-10-01', '2025-10-30'),
    ];
    const result = status(records, 2025);
    expect(result.rolling.years).toEqual([2021, 2022, 2023, 2025]);
    expect(result.rolling.requiredDays).toBe(144);
    expect(result.rolling.countedDays).toBe(150);
    expect(result.rolling.met).toBe(true);
    expect(result.compliant).toBe(true);
  });

  it('counts only years on or after the hire year', () => {
    const result = status([practice('2025-10-01', '2025-10-30')], 2025, undefined, '2024-03-01');
    expect(result.rolling.years).toEqual([2023, 2024, 2025]);
    expect(result.rolling.requiredDays).toBe(108);
    expect(result.rolling.met).toBe(false);
  });
});

describe('bad input', () => {
  it('names the bad path', () => {
    const bad = { ...practice('2025-10-10', '2025-10-01') };
    try {
      status([practice('2025-10-01', '2025-10-02'), bad]);
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([{ path: 'records[1].end', message: 'before start' }]);
    }
  });
  it('rejects duplicate record ids and a non-integer year', () => {
    const one = practice('2025-10-01', '2025-10-02');
    expect(() => status([one, one])).toThrow(/records\[1\]\.id: duplicate record id/);
    expect(() => evaluatePractice({ teacher: teacher(), records: [], year: 2025.5 })).toThrow(/year/);
    expect(() => evaluatePractice({ teacher: teacher(), records: [], year: 2025, asOf: '2025-02-30' })).toThrow(/asOf/);
  });
  it('gives well-defined results for empty input', () => {
    expect(status([])).toMatchObject({ countedDays: 0, pendingDays: 0, requiredDays: 30, compliant: false, shortfall: 30, atRisk: false });
  });
});
