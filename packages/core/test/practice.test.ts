import { describe, expect, it } from 'vitest';
import { assessProgress, decidingPracticeFigure, defaultPolicy, describePolicy, evaluatePractice, parsePolicy, practiceFiguresText, practiceRequirementOf, prePostPracticeOf, scoreAppraisal, ValidationError, type EvidenceRecord, type Teacher } from '../src/index.js';
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

describe('requirement by teacher category (policy.practice.byCategory)', () => {
  const withPractice = (practice: Partial<typeof defaultPolicy.practice>) => parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, ...practice } });
  const half = withPractice({ byCategory: { public_basic: { requiredDays: 15, rollingRequiredDays: 90 } } });
  const none = withPractice({ byCategory: { public_basic: 'exempt' } });
  const of = (category: Teacher['category'], records: EvidenceRecord[], policy = defaultPolicy, hireDate = '2015-09-01') => evaluatePractice({ teacher: teacher({ hireDate, ...(category ? { category } : {}) }), records, year: 2025, policy });
  const fifteen = [practice('2025-10-01', '2025-10-15')];

  it('by default every category owes the same 30 days and 180 in five years', () => {
    for (const category of ['specialised', 'practical_guidance', 'public_basic', undefined] as const) {
      const result = of(category, fifteen);
      expect(result).toMatchObject({ requiredDays: 30, compliant: false, shortfall: 15, exempt: false, exemptBy: null });
      expect(result.requirement).toEqual({ category: category ?? 'specialised', exempt: false, annualDays: 30, rollingDays: 180, rollingYears: 5, binding: 'annual', source: 'policy' });
    }
  });

  it('half for 公共基础课: 15 days a year and ceil(90 × 5 / 5) = 90 over the window; others keep 30', () => {
    const publicBasic = of('public_basic', fifteen, half);
    expect(publicBasic).toMatchObject({ requiredDays: 15, compliant: true, shortfall: 0, annualMet: true });
    expect(publicBasic.rolling).toMatchObject({ years: [2021, 2022, 2023, 2024, 2025], countedDays: 15, requiredDays: 90, met: false });
    expect(publicBasic.requirement).toMatchObject({ category: 'public_basic', annualDays: 15, rollingDays: 90, source: 'category' });
    expect(of('specialised', fifteen, half)).toMatchObject({ requiredDays: 30, compliant: false, shortfall: 15 });
  });

  it('prorates the category days in the hire year: ceil(15 × 184 / 365) = 8', () => {
    // hired 2026-03-01: 184 of the 365 days of 2025-2026 (1 March to 31 August, inclusive)
    expect(of('public_basic', [], half, '2026-03-01').requiredDays).toBe(8);
    expect(of('specialised', [], half, '2026-03-01').requiredDays).toBe(16);
  });

  it('none for 公共基础课: exempt by category, compliant with no practice, nothing required', () => {
    const result = of('public_basic', [], none);
    expect(result).toMatchObject({ exempt: true, exemptBy: 'category', requiredDays: 0, compliant: true, shortfall: 0, standing: 'met' });
    expect(result.rolling).toMatchObject({ requiredDays: 0, met: true });
    expect(result.requirement).toMatchObject({ exempt: true, annualDays: 0, rollingDays: 0 });
    expect(of('practical_guidance', [], none)).toMatchObject({ exempt: false, exemptBy: null, compliant: false, shortfall: 30 });
  });

  it('an exempt year says so in exemptBy', () => {
    expect(of(undefined, [rec('practice_exemption', { year: 2025, reason: '产假' })])).toMatchObject({ exempt: true, exemptBy: 'year', compliant: true });
  });

  it('rejects a malformed category requirement, naming the field', () => {
    expect(() => withPractice({ byCategory: { public_basic: { requiredDays: -1, rollingRequiredDays: 90 } } } as never)).toThrow(/byCategory/);
    expect(() => withPractice({ byCategory: { public_basic: 'half' } } as never)).toThrow(/byCategory\.public_basic|byCategory/);
    expect(() => withPractice({ byCategory: { nobody: 'exempt' } } as never)).toThrow(/byCategory/);
    expect(() => withPractice({ binding: 'monthly' } as never)).toThrow(/binding/);
  });
});

describe('the binding rule (policy.practice.binding)', () => {
  const bound = (binding: 'annual' | 'rolling' | 'both') => parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, binding } });
  const at = (records: EvidenceRecord[], binding: 'annual' | 'rolling' | 'both') => evaluatePractice({ teacher: teacher(), records, year: 2025, asOf: '2026-08-01', policy: bound(binding) });
  // 30 days in 2025-2026 only: the annual rule is met, the window (2021–2025) has 30 of 180
  const thisYearOnly = [practice('2025-10-01', '2025-10-30')];
  // 50 days (1 October – 19 November) in each of 2021–2024 and 10 in 2025: window 210 of 180, annual 10 of 30
  const earlier = [2021, 2022, 2023, 2024].map((year) => practice(`${year}-10-01`, `${year}-11-19`)).concat(practice('2025-10-01', '2025-10-10'));
  // 30 days in each of 2021–2024 and 10 in 2025: window 130 of 180 (50 short), annual 10 of 30 (20 short)
  const bothShort = [2021, 2022, 2023, 2024].map((year) => practice(`${year}-10-01`, `${year}-10-30`)).concat(practice('2025-10-01', '2025-10-10'));

  it('annual (the default): the window is reported only', () => {
    expect(evaluatePractice({ teacher: teacher(), records: thisYearOnly, year: 2025 }).requirement.binding).toBe('annual');
    expect(at(thisYearOnly, 'annual')).toMatchObject({ compliant: true, annualMet: true, shortfall: 0, rolling: { countedDays: 30, requiredDays: 180, met: false } });
    expect(at(earlier, 'annual')).toMatchObject({ compliant: false, annualMet: false, shortfall: 20, rolling: { countedDays: 210, met: true } });
  });

  it('rolling: the window decides, and the shortfall is what the window still asks of this year', () => {
    // 150 short with 30 days left after 2026-08-01: at risk
    expect(at(thisYearOnly, 'rolling')).toMatchObject({ compliant: false, annualMet: true, shortfall: 150, standing: 'at_risk', requirement: { binding: 'rolling' } });
    expect(at(earlier, 'rolling')).toMatchObject({ compliant: true, annualMet: false, shortfall: 0, standing: 'met' });
  });

  it('both: each rule must be met; the shortfall is the larger', () => {
    expect(at(thisYearOnly, 'both')).toMatchObject({ compliant: false, shortfall: 150 });
    expect(at(earlier, 'both')).toMatchObject({ compliant: false, shortfall: 20, standing: 'short' });
    expect(at(bothShort, 'both')).toMatchObject({ compliant: false, shortfall: 50 });
    const enough = [2021, 2022, 2023, 2024].map((year) => practice(`${year}-10-01`, `${year}-11-19`)).concat(practice('2025-10-01', '2025-10-30'));
    expect(at(enough, 'both')).toMatchObject({ compliant: true, shortfall: 0 }); // 30 ≥ 30 and 230 ≥ 180
  });

  it('an exempt year stays compliant under every binding', () => {
    const records = [rec('practice_exemption', { year: 2025, reason: '访学' })];
    for (const binding of ['annual', 'rolling', 'both'] as const) expect(at(records, binding)).toMatchObject({ compliant: true, shortfall: 0 });
  });

  it('bindingFigures are the figures the binding rule decides by; the text shows them', () => {
    // earlier: annual 10 of 30, window 210 of 180 (2021–2025)
    expect(at(earlier, 'annual').bindingFigures).toEqual([{ rule: 'annual', countedDays: 10, requiredDays: 30, met: false }]);
    expect(at(earlier, 'rolling').bindingFigures).toEqual([{ rule: 'rolling', countedDays: 210, requiredDays: 180, met: true }]);
    expect(at(earlier, 'both').bindingFigures).toEqual([
      { rule: 'annual', countedDays: 10, requiredDays: 30, met: false },
      { rule: 'rolling', countedDays: 210, requiredDays: 180, met: true },
    ]);
    expect(practiceFiguresText(at(earlier, 'annual'))).toEqual({ zh: '10/30 天', en: '10 of 30 days' });
    expect(practiceFiguresText(at(earlier, 'rolling'))).toEqual({ zh: '近 5 学年 210/180 天', en: '210 of 180 days over 5 years' });
    expect(practiceFiguresText(at(bothShort, 'both'))).toEqual({ zh: '10/30 天；近 5 学年 130/180 天', en: '10 of 30 days; 130 of 180 days over 5 years' });
    // the deciding figure: the binding rule's; under both the one furthest short (window 50 short against annual 20), the annual one when both are met
    expect(decidingPracticeFigure(at(bothShort, 'both'))).toEqual({ rule: 'rolling', countedDays: 130, requiredDays: 180, met: false });
    expect(decidingPracticeFigure(at(earlier, 'both'))).toEqual({ rule: 'annual', countedDays: 10, requiredDays: 30, met: false });
    const enough = [2021, 2022, 2023, 2024].map((year) => practice(`${year}-10-01`, `${year}-11-19`)).concat(practice('2025-10-01', '2025-10-30'));
    expect(decidingPracticeFigure(at(enough, 'both'))).toEqual({ rule: 'annual', countedDays: 30, requiredDays: 30, met: true });
  });

  it("the growth path's per-year practice figures follow the binding rule", () => {
    // asOf 2026-10-01: the last three completed years are 2023, 2024, 2025. Days: 50 in each of 2021–2024, 10 in 2025.
    // Windows: 2019–2023 150, 2020–2024 200, 2021–2025 210 (of 180). Annual: 50, 50, 10 (of 30).
    const perYear = (binding: 'annual' | 'rolling' | 'both') => {
      const progress = assessProgress({ teacher: teacher(), records: earlier, asOf: '2026-10-01', policy: bound(binding) });
      return progress.requirements!.children!.find((line) => line.id === 'practice_compliant')!.perYear;
    };
    expect(perYear('annual')).toEqual([
      { year: 2023, met: true, current: 50, required: 30, rule: 'annual' },
      { year: 2024, met: true, current: 50, required: 30, rule: 'annual' },
      { year: 2025, met: false, current: 10, required: 30, rule: 'annual' },
    ]);
    expect(perYear('rolling')).toEqual([
      { year: 2023, met: false, current: 150, required: 180, rule: 'rolling' },
      { year: 2024, met: true, current: 200, required: 180, rule: 'rolling' },
      { year: 2025, met: true, current: 210, required: 180, rule: 'rolling' },
    ]);
    expect(perYear('both')).toEqual([
      { year: 2023, met: false, current: 150, required: 180, rule: 'rolling' },
      { year: 2024, met: true, current: 50, required: 30, rule: 'annual' },
      { year: 2025, met: false, current: 10, required: 30, rule: 'annual' },
    ]);
  });

  it('the practice veto of the appraisal follows the binding rule', () => {
    const score = (records: EvidenceRecord[], binding: 'annual' | 'rolling' | 'both') => scoreAppraisal({ teacher: teacher(), records, year: 2025, policy: bound(binding) }).vetoes;
    expect(score(thisYearOnly, 'annual')).toEqual([]);
    expect(score(thisYearOnly, 'rolling')).toEqual(['practice_noncompliant']);
    expect(score(thisYearOnly, 'both')).toEqual(['practice_noncompliant']);
    expect(score(earlier, 'annual')).toEqual(['practice_noncompliant']);
    expect(score(earlier, 'rolling')).toEqual([]);
    expect(score(earlier, 'both')).toEqual(['practice_noncompliant']);
  });
});

describe('practiceRequirementOf', () => {
  it('names the category line when the policy has one', () => {
    const policy = parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, binding: 'both', byCategory: { practical_guidance: { requiredDays: 40, rollingRequiredDays: 200 } } } });
    expect(practiceRequirementOf({ category: 'practical_guidance' }, policy)).toEqual({ category: 'practical_guidance', exempt: false, annualDays: 40, rollingDays: 200, rollingYears: 5, binding: 'both', source: 'category' });
    expect(practiceRequirementOf({}, policy)).toEqual({ category: 'specialised', exempt: false, annualDays: 30, rollingDays: 180, rollingYears: 5, binding: 'both', source: 'policy' });
  });
});

describe('forms of practice (record form, policy.practice.forms)', () => {
  const weighted = parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, forms: { observation: { percent: 50 }, skill_training: { percent: 0 } } } });
  const of = (records: EvidenceRecord[], policy = weighted) => evaluatePractice({ teacher: teacher(), records, year: 2025, policy });
  const form = (start: string, end: string, value: string) => practice(start, end, { form: value } as never);

  it('a 考察观摩 day counts half: 20 days → 10, plus 10 days without a form → 20', () => {
    const observation = form('2025-10-01', '2025-10-20', 'observation');
    const result = of([observation, practice('2025-11-01', '2025-11-10')]);
    expect(result).toMatchObject({ countedDays: 20, shortfall: 10 });
    expect(result.discounts).toEqual([{ percent: 50, forms: ['observation'], days: 20, countedHundredths: 1000, recordIds: [observation.id] }]);
  });

  it('a day covered by a full and a half form counts in full: 20 full + 10 half = 25', () => {
    const result = of([form('2025-10-01', '2025-10-20', 'observation'), form('2025-10-11', '2025-10-30', 'placement')]);
    expect(result.countedDays).toBe(25);
    expect(result.discounts).toMatchObject([{ percent: 50, days: 10, countedHundredths: 500 }]);
  });

  it('rounds the year’s sum down: 21 half days → 10', () => {
    expect(of([form('2025-10-01', '2025-10-21', 'observation')]).countedDays).toBe(10);
  });

  it('a form at 0 percent is not counted, and the trace says so', () => {
    const training = form('2025-10-01', '2025-10-30', 'skill_training');
    const result = of([training]);
    expect(result).toMatchObject({ countedDays: 0, compliant: false, shortfall: 30 });
    expect(result.discounts).toEqual([{ percent: 0, forms: ['skill_training'], days: 30, countedHundredths: 0, recordIds: [training.id] }]);
  });

  it('without practice.forms every form counts in full', () => {
    const result = of([form('2025-10-01', '2025-10-20', 'observation'), form('2025-10-21', '2025-10-30', 'skill_training')], defaultPolicy);
    expect(result).toMatchObject({ countedDays: 30, compliant: true, discounts: [] });
  });

  it('weights pending days and rolling years the same way, and the appraisal’s practice points', () => {
    const pendingObservation = form('2025-11-01', '2025-11-20', 'observation');
    (pendingObservation as { status: string }).status = 'pending';
    const records = [form('2025-10-01', '2025-10-20', 'placement'), pendingObservation, form('2024-10-01', '2024-10-20', 'observation')];
    const result = of(records);
    expect(result).toMatchObject({ countedDays: 20, pendingDays: 10 });
    expect(result.rolling.countedDays).toBe(30); // 2024: 20 half days → 10; 2025: 20
    const appraisal = scoreAppraisal({ teacher: teacher(), records, year: 2025, policy: weighted });
    expect(appraisal.practiceDays).toBe(20);
  });

  it('refuses an unknown form and a percent above 100, naming the field', () => {
    expect(() => of([form('2025-10-01', '2025-10-20', 'sightseeing')])).toThrow(/form/);
    expect(() => parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, forms: { observation: { percent: 150 } } } })).toThrow(/forms\.observation\.percent|forms/);
  });
});

describe('pre-post practice (policy.practice.prePost, teacher.enterpriseExperience)', () => {
  const policy = parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, prePost: { requiredDays: 30, categories: ['specialised', 'practical_guidance'], stages: ['new_teacher'] } } });
  const hired = (overrides: Partial<Teacher> = {}) => teacher({ hireDate: '2025-09-01', stage: 'new_teacher', stageSince: '2025-09-01', ...overrides });
  // 1–20 July (20 days) and 25 August – 5 September (7 of its days, 25–31 August, before the post): 27 of 30
  const before = [practice('2025-07-01', '2025-07-20'), practice('2025-08-25', '2025-09-05')];

  it('counts verified days before the hire date and says what is still to do, zh and en', () => {
    const pending = { ...practice('2025-06-01', '2025-06-05'), status: 'pending' } as EvidenceRecord;
    const result = prePostPracticeOf(hired(), [...before, pending], policy);
    expect(result).toMatchObject({ required: true, notRequiredBecause: null, postStart: '2025-09-01', requiredDays: 30, countedDays: 27, pendingDays: 5, met: false, shortfall: 3 });
    expect(result.recordIds).toEqual(before.map((record) => record.id));
    expect(result.pendingRecordIds).toEqual([pending.id]);
    expect(result.gaps).toEqual([{ requirementId: 'pre_post_practice', zh: '还需 3 天岗前企业实践（2025-09-01 入职前；5 天待审核）', en: '3 more days of pre-post enterprise practice (before taking up the post on 2025-09-01; 5 pending)' }]);
  });

  it('overlaps count once; enough days meet it; days after the post starts do not count', () => {
    // 1–25 July (the second period overlaps the first) + 25–31 August = 32
    const result = prePostPracticeOf(hired(), [...before, practice('2025-07-10', '2025-07-25'), practice('2025-10-01', '2025-10-30')], policy);
    expect(result).toMatchObject({ countedDays: 32, met: true, shortfall: 0, gaps: [] });
    expect(prePostPracticeOf(hired(), [practice('2025-09-01', '2025-10-30')], policy)).toMatchObject({ countedDays: 0, shortfall: 30, recordIds: [] });
    expect(prePostPracticeOf(hired(), [practice('2025-08-31', '2025-08-31')], policy).gaps[0]!.en).toBe('29 more days of pre-post enterprise practice (before taking up the post on 2025-09-01)');
  });

  it('is not asked of a teacher with enterprise experience, of a category or stage the policy does not name, or without prePost', () => {
    const none = { required: false, requiredDays: 0, met: true, shortfall: 0, gaps: [] };
    expect(prePostPracticeOf(hired({ enterpriseExperience: true }), [], policy)).toMatchObject({ ...none, notRequiredBecause: 'experience' });
    expect(prePostPracticeOf(hired({ category: 'public_basic' }), [], policy)).toMatchObject({ ...none, notRequiredBecause: 'category' });
    expect(prePostPracticeOf(hired({ stage: 'backbone_teacher' }), [], policy)).toMatchObject({ ...none, notRequiredBecause: 'stage' });
    expect(prePostPracticeOf(hired(), before, defaultPolicy)).toMatchObject({ ...none, notRequiredBecause: 'no_policy', countedDays: 27 });
    // enterpriseExperience false is the same as not stated; a policy without categories or stages asks every one
    expect(prePostPracticeOf(hired({ enterpriseExperience: false }), [], policy).required).toBe(true);
    const everyone = parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, prePost: { requiredDays: 10 } } });
    expect(prePostPracticeOf(hired({ category: 'public_basic', stage: 'program_leader' }), [], everyone)).toMatchObject({ required: true, shortfall: 10 });
  });

  it('weights forms as a year does: 20 考察观摩 days at 50 % count 10', () => {
    const weighted = parsePolicy({ ...policy, practice: { ...policy.practice, forms: { observation: { percent: 50 } } } });
    const records = [practice('2025-07-01', '2025-07-20', { form: 'observation' } as never), practice('2025-08-25', '2025-08-31')];
    expect(prePostPracticeOf(hired(), records, weighted)).toMatchObject({ countedDays: 17, shortfall: 13 });
  });

  it('the policy table says it, zh and en', () => {
    expect(describePolicy(policy, 'zh').practice).toContain('；无企业工作经历的新教师阶段专业课教师、实习指导教师入职前须企业实践 30 天');
    expect(describePolicy(policy, 'en').practice).toContain('; 30 days of practice before taking up the post for each specialised-course teacher, practical-guidance teacher (stage: new teacher) without enterprise experience');
    expect(describePolicy(defaultPolicy, 'en').practice).not.toContain('before taking up the post');
  });

  it('rejects a malformed prePost, naming the field', () => {
    expect(() => withPrePost({ requiredDays: 0 })).toThrow(/prePost/);
    expect(() => withPrePost({ requiredDays: 30, stages: ['intern'] })).toThrow(/prePost/);
    expect(() => withPrePost({ requiredDays: 30, categories: [] })).toThrow(/prePost/);
  });
  const withPrePost = (prePost: unknown) => parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, prePost } as never });
});
