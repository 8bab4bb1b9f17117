import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessDualQualified,
  assessProgress,
  collegeDualQualifiedFigures,
  defaultPolicy,
  dualQualifiedFigures,
  dualQualifiedKinds,
  dualQualifiedOf,
  teacherCategoryOf,
  dualQualifiedPreset,
  parsePolicy,
  ratioTargetOf,
  type DualRatioEntry,
  type EvidenceRecord,
  type Policy,
} from '../src/index.js';
import { practice, rec, teacher } from './fixtures.js';
import { bodyArb, shuffled } from './arbitraries.js';

// asOf 2026-10-01, years start 1 September: the last 5 completed years are 2021-2022 … 2025-2026.
const asOf = '2026-10-01';
// 2022-01-01 … 2022-06-29 = 31 + 28 + 31 + 30 + 31 + 29 = 180 days.
const days180 = () => practice('2022-01-01', '2022-06-29');
const cert = (level: 'junior' | 'intermediate' | 'senior') => rec('certificate', { date: '2020-05-01', certType: 'vocational', level });
const project = (date: string) => rec('horizontal_project', { date, amountYuan: 20000, partner: '某企业' });
const award = () => rec('skill_competition', { date: '2024-05-01', level: 'provincial', award: 'second', role: 'coach' });
const mentor = () => rec('mentoring', { start: '2023-09-01', end: '2024-06-30', role: 'mentor', partnerId: 't9', outcome: 'passed' });
const recognition = (tier: 'junior' | 'intermediate' | 'senior', validUntil: string, status: 'verified' | 'pending' = 'verified') => rec('dual_qualified_recognition', { date: '2022-01-10', tier, issuingLevel: 'school', validUntil, status });

const assess = (records: EvidenceRecord[], policy?: Policy) => assessDualQualified({ teacher: teacher(), records, asOf, policy });

describe('assessDualQualified — tiers (preset)', () => {
  it('none: 179 days of practice is one short of the junior tier, with the gap in zh and en', () => {
    const result = assess([practice('2022-01-01', '2022-06-28'), cert('junior')]);
    expect(result.tierMet).toBe('none');
    const junior = result.tiers[0]!;
    expect(junior.met).toBe(false);
    const days = junior.requirements.children!.find((child) => child.id === 'practice_days')!;
    expect([days.met, days.current, days.required]).toEqual([false, 179, 180]);
    expect(junior.gaps).toHaveLength(1);
    expect(junior.gaps[0]!.zh).toContain('还需 1 天');
    expect(junior.gaps[0]!.en).toContain('1 more day');
  });

  it('junior: 180 days and a junior vocational certificate; intermediate lacks the level and a result', () => {
    const result = assess([days180(), cert('junior')]);
    expect(result.tierMet).toBe('junior');
    const intermediate = result.tiers[1]!;
    expect(intermediate.met).toBe(false);
    expect(intermediate.gaps.map((gap) => gap.requirementId).sort()).toEqual(['one_plus_x_certificate', 'school_enterprise_results', 'vocational_certificate']);
  });

  it('junior without any certificate is unmet; a 1+X certificate is the alternative', () => {
    expect(assess([days180()]).tierMet).toBe('none');
    expect(assess([days180(), rec('certificate', { date: '2020-05-01', certType: 'one_plus_x', level: 'junior' })]).tierMet).toBe('junior');
  });

  it('intermediate: an intermediate certificate and one school–enterprise result in the window', () => {
    expect(assess([days180(), cert('intermediate'), project('2023-05-01')]).tierMet).toBe('intermediate');
    // A result before the window (2021-09-01) does not count.
    expect(assess([days180(), cert('intermediate'), project('2021-08-31')]).tierMet).toBe('junior');
  });

  it('senior: senior certificate, two results, a provincial award and a passed mentee; each missing piece drops it', () => {
    const full = [days180(), cert('senior'), project('2023-05-01'), project('2024-05-01'), award(), mentor()];
    expect(assess(full).tierMet).toBe('senior');
    expect(assess(full.filter((r) => r.kind !== 'mentoring')).tierMet).toBe('intermediate');
    expect(assess(full.filter((r) => r.kind !== 'skill_competition')).tierMet).toBe('intermediate');
    expect(assess(full.slice(0, 3).concat(full.slice(4))).tiers[2]!.gaps.map((gap) => gap.requirementId)).toEqual(['school_enterprise_results']);
  });

  it('a pending or rejected certificate does not count', () => {
    expect(assess([days180(), rec('certificate', { date: '2020-05-01', certType: 'vocational', level: 'junior', status: 'pending' })]).tierMet).toBe('none');
  });
});

describe('recognitions: validity and the warning', () => {
  it('valid, expiring within 90 days (warned), expired (not counted)', () => {
    const result = assess([recognition('senior', '2026-09-30'), recognition('intermediate', '2026-12-30'), recognition('junior', '2027-01-01')]);
    // 2026-10-01 → 2026-12-30 is 90 days: warned; → 2027-01-01 is 92 days: not yet.
    expect(result.recognitions.map((r) => [r.tier, r.standing, r.daysLeft])).toEqual([
      ['senior', 'expired', -1],
      ['intermediate', 'expiring', 90],
      ['junior', 'valid', 92],
    ]);
    expect(result.recognisedTier).toBe('intermediate');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]!.zh).toContain('剩余 90 天');
  });

  it('boundary days: counted through validUntil (daysLeft 0), not from the day after; warned from exactly 90 days before, not 91', () => {
    const at = (date: string, records: EvidenceRecord[]) => assessDualQualified({ teacher: teacher(), records, asOf: date, policy: undefined });
    const held = [recognition('intermediate', '2026-12-30')];
    // 2026-10-01 → 2026-12-30: 30 (rest of October) + 30 (November) + 30 (December to the 30th) = 90 days.
    expect(at('2026-10-01', held)).toMatchObject({ recognisedTier: 'intermediate', recognitions: [{ standing: 'expiring', daysLeft: 90 }] });
    expect(at('2026-10-01', held).warnings).toHaveLength(1);
    // one day earlier: 91 days left, valid and not warned
    expect(at('2026-09-30', held)).toMatchObject({ recognisedTier: 'intermediate', recognitions: [{ standing: 'valid', daysLeft: 91 }], warnings: [] });
    // the last valid day still counts, warned with 0 days left
    const lastDay = at('2026-12-30', held);
    expect(lastDay).toMatchObject({ recognisedTier: 'intermediate', recognitions: [{ standing: 'expiring', daysLeft: 0 }] });
    expect(lastDay.warnings[0]!.en).toContain('(0 days left)');
    // the day after: expired, no longer counts, no warning
    expect(at('2026-12-31', held)).toMatchObject({ recognisedTier: 'none', recognitions: [{ standing: 'expired', daysLeft: -1 }], warnings: [] });
    // 1 day left is singular
    expect(at('2026-12-29', held).warnings[0]!.en).toContain('(1 day left)');
    // a recognition dated after asOf is not held yet
    expect(at('2022-01-09', held)).toMatchObject({ recognisedTier: 'none', recognitions: [] });
    expect(at('2022-01-10', held).recognisedTier).toBe('intermediate');
  });

  it('the dual_qualified_tier growth leaf follows the same days: met on validUntil, unmet the day after', () => {
    const policy = structuredClone(defaultPolicy) as Policy;
    const tree = policy.growth.transitions.new_teacher as { children: Policy['growth']['transitions']['new_teacher'][] };
    tree.children = [{ id: 'tier', type: 'dual_qualified_tier', minTier: 'junior' }];
    const parsed = parsePolicy({ ...policy, version: 'tier-boundary' });
    const leaf = (date: string) => assessProgress({ teacher: teacher(), records: [recognition('junior', '2026-12-30')], asOf: date, policy: parsed }).requirements!.children![0]!;
    expect(leaf('2026-12-30')).toMatchObject({ met: true, current: 'junior' });
    expect(leaf('2026-12-31')).toMatchObject({ met: false, current: null });
  });

  it('the warning days are policy data', () => {
    const policy = parsePolicy({ ...structuredClone(defaultPolicy), version: 'w', dualQualified: { ...structuredClone(dualQualifiedPreset), expiryWarningDays: 100 } });
    expect(assess([recognition('junior', '2027-01-01')], policy).warnings).toHaveLength(1);
    expect(assess([recognition('junior', '2027-01-01')]).warnings).toHaveLength(0);
  });

  it('a growth requirement can ask for a recognised tier instead of a certificate', () => {
    const policy = structuredClone(defaultPolicy) as Policy;
    const tree = policy.growth.transitions.new_teacher as { children: Policy['growth']['transitions']['new_teacher'][] };
    const index = tree.children.findIndex((child) => child.id === 'dual_qualified');
    tree.children[index] = { id: 'dual_qualified', type: 'dual_qualified_tier', minTier: 'junior' };
    const parsed = parsePolicy({ ...policy, version: 'tier-leaf' });
    const leaf = (records: EvidenceRecord[]) => assessProgress({ teacher: teacher(), records, asOf, policy: parsed }).requirements!.children!.find((child) => child.id === 'dual_qualified')!;
    expect(leaf([recognition('junior', '2027-06-30')])).toMatchObject({ met: true, current: 'junior', required: 'junior' });
    expect(leaf([recognition('senior', '2026-09-30')])).toMatchObject({ met: false, current: null });
    expect(leaf([recognition('junior', '2027-06-30', 'pending')]).met).toBe(false);
    const gaps = assessProgress({ teacher: teacher(), records: [recognition('senior', '2026-09-30')], asOf, policy: parsed }).gaps.filter((gap) => gap.requirementId === 'dual_qualified');
    expect(gaps[0]!.zh).toContain('1 项已过期');
  });

  it('a policy without dualQualified still validates and is assessed against the preset', () => {
    const { dualQualified: _omitted, ...older } = structuredClone(defaultPolicy);
    const policy = parsePolicy({ ...older, version: 'older' });
    expect(policy.dualQualified).toBeUndefined();
    expect(assess([days180(), cert('junior')], policy).tierMet).toBe('junior');
  });
});

describe('properties', () => {
  const tierIndex = ['none', 'junior', 'intermediate', 'senior'];
  const records = fc.array(bodyArb(), { maxLength: 30 }).map((bodies) => bodies.map((body, index) => ({ ...body, id: `p${index}`, teacherId: 't1', status: 'verified' }) as EvidenceRecord));

  it('shuffling the records changes nothing', () => {
    fc.assert(
      fc.property(
        records.chain((list) => fc.tuple(fc.constant(list), shuffled(list))),
        ([list, reordered]) => {
          expect(assess(reordered)).toEqual(assess(list));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('adding a verified record never lowers the tier met', () => {
    fc.assert(
      fc.property(records, bodyArb(), (list, body) => {
        const before = assess(list);
        const after = assess([...list, { ...body, id: 'extra', teacherId: 't1', status: 'verified' } as EvidenceRecord]);
        expect(tierIndex.indexOf(after.tierMet)).toBeGreaterThanOrEqual(tierIndex.indexOf(before.tierMet));
        // nor the recognised tier, nor any tier's verdict
        expect(tierIndex.indexOf(after.recognisedTier)).toBeGreaterThanOrEqual(tierIndex.indexOf(before.recognisedTier));
        before.tiers.forEach((tier, index) => {
          if (tier.met) expect(after.tiers[index]!.met).toBe(true);
        });
      }),
      { numRuns: 80 },
    );
  });
});

describe('the 双师型 ratio (dualQualifiedFigures)', () => {
  const entry = (teacherId: string, category: string, recognisedTier: DualRatioEntry['recognisedTier'], tierMet: DualRatioEntry['tierMet']): DualRatioEntry => ({ teacherId, category, recognisedTier, tierMet });
  // Six 专业课 teachers, one of each other category.
  const entries = [
    entry('s1', 'specialised', 'senior', 'senior'),
    entry('s2', 'specialised', 'intermediate', 'senior'),
    entry('s3', 'specialised', 'junior', 'junior'),
    entry('s4', 'specialised', 'none', 'intermediate'),
    entry('s5', 'specialised', 'none', 'none'),
    entry('s6', 'specialised', 'none', 'none'),
    entry('p1', 'public_basic', 'senior', 'senior'),
    entry('g1', 'practical_guidance', 'junior', 'junior'),
  ];
  const over50 = ratioTargetOf(defaultPolicy);

  it('counts only 专业课 teachers, by recognised tier, against "over 50 %": 3 of 6 is 50.00 %, not over, one short', () => {
    expect(over50).toEqual({ hundredthsOfPercent: 5000, comparison: 'above' });
    const figures = dualQualifiedFigures(entries, over50);
    expect(figures.teachers).toEqual({ count: 6, teacherIds: ['s1', 's2', 's3', 's4', 's5', 's6'] });
    expect(figures.leftOut).toEqual({ count: 2, teacherIds: ['g1', 'p1'] });
    expect(figures.recognised).toEqual({
      junior: { count: 1, teacherIds: ['s3'] },
      intermediate: { count: 1, teacherIds: ['s2'] },
      senior: { count: 1, teacherIds: ['s1'] },
      any: { count: 3, teacherIds: ['s1', 's2', 's3'] },
    });
    expect(figures.rate).toEqual({ numerator: 3, denominator: 6, hundredthsOfPercent: 5000 });
    // 1 / 6 = 16.666… % → 1667 hundredths (half up)
    expect(figures.rateByTier.senior).toEqual({ numerator: 1, denominator: 6, hundredthsOfPercent: 1667 });
    expect(figures.meetsTarget).toBe(false);
    // over 50 % of 6 is 4 (⌊5000 × 6 / 10000⌋ + 1): one more recognised teacher
    expect(figures.shortOfTarget).toBe(1);
    expect(figures.criteriaMet).toEqual({
      junior: { count: 1, teacherIds: ['s3'] },
      intermediate: { count: 1, teacherIds: ['s4'] },
      senior: { count: 2, teacherIds: ['s1', 's2'] },
      any: { count: 4, teacherIds: ['s1', 's2', 's3', 's4'] },
    });
    // s2 meets senior but holds intermediate; s4 meets intermediate and holds none
    expect(figures.metAboveRecognised).toEqual({ count: 2, teacherIds: ['s2', 's4'] });
  });

  it('"at least 50 %" is met by the same 3 of 6; a fourth recognition meets "over"', () => {
    expect(dualQualifiedFigures(entries, { hundredthsOfPercent: 5000, comparison: 'at_least' })).toMatchObject({ meetsTarget: true, shortOfTarget: 0 });
    const more = entries.map((e) => (e.teacherId === 's4' ? { ...e, recognisedTier: 'intermediate' as const } : e));
    expect(dualQualifiedFigures(more, over50)).toMatchObject({ rate: { numerator: 4, denominator: 6, hundredthsOfPercent: 6667 }, meetsTarget: true, shortOfTarget: 0, metAboveRecognised: { teacherIds: ['s2'] } });
  });

  it('no 专业课 teacher: no rate, no verdict; a target over 100 % cannot be met by any count', () => {
    expect(
      dualQualifiedFigures(
        entries.filter((e) => e.category !== 'specialised'),
        over50,
      ),
    ).toMatchObject({ teachers: { count: 0 }, rate: { hundredthsOfPercent: null }, meetsTarget: null, shortOfTarget: null });
    expect(dualQualifiedFigures(entries, { hundredthsOfPercent: 10000, comparison: 'above' })).toMatchObject({ meetsTarget: false, shortOfTarget: null });
    expect(dualQualifiedFigures(entries, { hundredthsOfPercent: 10000, comparison: 'at_least' })).toMatchObject({ meetsTarget: false, shortOfTarget: 3 });
  });

  it('the target is policy data; a policy without one is held to the preset’s', () => {
    const own = parsePolicy({ ...structuredClone(defaultPolicy), version: 'target', dualQualified: { ...structuredClone(dualQualifiedPreset), ratioTarget: { hundredthsOfPercent: 6000, comparison: 'at_least' } } });
    expect(ratioTargetOf(own)).toEqual({ hundredthsOfPercent: 6000, comparison: 'at_least' });
    const { ratioTarget: _none, ...withoutTarget } = structuredClone(dualQualifiedPreset);
    expect(ratioTargetOf(parsePolicy({ ...structuredClone(defaultPolicy), version: 'no-target', dualQualified: withoutTarget }))).toEqual(over50);
    expect(() => parsePolicy({ ...structuredClone(defaultPolicy), version: 'bad', dualQualified: { ...structuredClone(dualQualifiedPreset), ratioTarget: { hundredthsOfPercent: 12000, comparison: 'above' } } })).toThrow(/dualQualified\.ratioTarget\.hundredthsOfPercent/);
  });

  it('a target schedule gives each academic year its own target (ratioTargetsByYear)', () => {
    const schedule = [
      { fromYear: 2024, hundredthsOfPercent: 5500, comparison: 'above' as const },
      { fromYear: 2026, hundredthsOfPercent: 6000, comparison: 'at_least' as const },
    ];
    const planned = parsePolicy({ ...structuredClone(defaultPolicy), version: 'plan', dualQualified: { ...structuredClone(dualQualifiedPreset), ratioTargetsByYear: schedule } });
    expect(ratioTargetOf(planned, 2023)).toEqual({ hundredthsOfPercent: 5000, comparison: 'above' }); // before the plan: ratioTarget
    expect(ratioTargetOf(planned, 2024)).toEqual({ hundredthsOfPercent: 5500, comparison: 'above' });
    expect(ratioTargetOf(planned, 2025)).toEqual({ hundredthsOfPercent: 5500, comparison: 'above' });
    expect(ratioTargetOf(planned, 2030)).toEqual({ hundredthsOfPercent: 6000, comparison: 'at_least' });
    expect(ratioTargetOf(planned)).toEqual({ hundredthsOfPercent: 5000, comparison: 'above' }); // no year: ratioTarget
    expect(() => parsePolicy({ ...structuredClone(defaultPolicy), version: 'bad', dualQualified: { ...structuredClone(dualQualifiedPreset), ratioTargetsByYear: [...schedule].reverse() } })).toThrow(/ratioTargetsByYear/);
  });

  it('the teachers’ order changes no figure', () => {
    fc.assert(
      fc.property(shuffled(entries), (reordered) => {
        expect(dualQualifiedFigures(reordered, over50)).toEqual(dualQualifiedFigures(entries, over50));
      }),
      { numRuns: 40 },
    );
  });
});

describe('dualQualifiedKinds: what a loader must fetch', () => {
  it('the preset reads practice, certificates, results, awards, mentoring and the recognitions', () => {
    expect(dualQualifiedKinds(defaultPolicy)).toEqual(['certificate', 'dual_qualified_recognition', 'enterprise_practice', 'enterprise_training', 'horizontal_project', 'mentoring', 'patent', 'skill_competition', 'tech_transfer', 'technical_service']);
  });

  it('a tier that reads appraisals needs every kind (null)', () => {
    const preset = structuredClone(dualQualifiedPreset) as unknown as { tiers: { senior: { children: unknown[] } } };
    preset.tiers.senior.children.push({ id: 'grades', type: 'grade_each_year', years: 3, minGrade: 'competent' });
    expect(dualQualifiedKinds(parsePolicy({ ...structuredClone(defaultPolicy), version: 'grades', dualQualified: preset }))).toBeNull();
  });

  it('assessing only those kinds gives the same answer as assessing every record', () => {
    const kinds = new Set(dualQualifiedKinds(defaultPolicy));
    const records = fc.array(bodyArb(), { maxLength: 30 }).map((bodies) => bodies.map((body, index) => ({ ...body, id: `k${index}`, teacherId: 't1', status: 'verified' }) as EvidenceRecord));
    fc.assert(
      fc.property(records, (list) => {
        expect(assess(list.filter((record) => kinds.has(record.kind)))).toEqual(assess(list));
      }),
      { numRuns: 60 },
    );
  });
});

describe('the ratio from assessed teachers: each tier, each category (end to end in core)', () => {
  // asOf 2026-10-01 (see the top of this file). Records are built per teacher, then assessed and counted.
  const of = (id: string, records: EvidenceRecord[]) => records.map((record) => ({ ...record, teacherId: id }) as EvidenceRecord);
  const seniorRecords = [days180(), cert('senior'), project('2023-05-01'), project('2024-05-01'), award(), mentor()];
  const cases: Array<{ id: string; unit: string; category?: 'specialised' | 'practical_guidance' | 'public_basic'; records: EvidenceRecord[]; met: string; recognised: string }> = [
    // no tier: 179 days
    { id: 'n1', unit: '甲', records: [practice('2022-01-01', '2022-06-28'), cert('junior')], met: 'none', recognised: 'none' },
    // junior met, recognised junior
    { id: 'j1', unit: '甲', records: [days180(), cert('junior'), recognition('junior', '2027-06-30')], met: 'junior', recognised: 'junior' },
    // intermediate met, recognition expired the day before asOf
    { id: 'i1', unit: '甲', records: [days180(), cert('intermediate'), project('2023-05-01'), recognition('intermediate', '2026-09-30')], met: 'intermediate', recognised: 'none' },
    // senior met and recognised
    { id: 's1', unit: '乙', records: [...seniorRecords, recognition('senior', '2028-01-01')], met: 'senior', recognised: 'senior' },
    // recognised intermediate but meets nothing now (the criteria moved on): still counted
    { id: 'r1', unit: '乙', records: [recognition('intermediate', '2027-01-01')], met: 'none', recognised: 'intermediate' },
    // other categories: recognised senior, left out
    { id: 'p1', unit: '乙', category: 'public_basic', records: [...seniorRecords, recognition('senior', '2028-01-01')], met: 'senior', recognised: 'senior' },
    { id: 'g1', unit: '甲', category: 'practical_guidance', records: [days180(), cert('junior'), recognition('junior', '2027-06-30')], met: 'junior', recognised: 'junior' },
  ];
  const entries = cases.map((c) => {
    const t = teacher({ id: c.id, unit: c.unit, ...(c.category ? { category: c.category } : {}) });
    const assessment = dualQualifiedOf(t, of(c.id, c.records), asOf, defaultPolicy);
    return { teacherId: c.id, unit: c.unit, category: teacherCategoryOf(t), recognisedTier: assessment.recognisedTier, tierMet: assessment.tierMet };
  });

  it('each teacher is at the tier computed by hand', () => {
    expect(entries.map((e) => [e.teacherId, e.tierMet, e.recognisedTier])).toEqual(cases.map((c) => [c.id, c.met, c.recognised]));
  });

  it('college: 3 of 5 专业课 teachers recognised = 60.00 %, over 50 %; units 甲 1 of 3, 乙 2 of 2', () => {
    const { college, units } = collegeDualQualifiedFigures(entries, ratioTargetOf(defaultPolicy));
    expect(college.teachers.teacherIds).toEqual(['i1', 'j1', 'n1', 'r1', 's1']);
    expect(college.leftOut.teacherIds).toEqual(['g1', 'p1']);
    expect(college.recognised.any.teacherIds).toEqual(['j1', 'r1', 's1']);
    expect([college.recognised.junior.count, college.recognised.intermediate.count, college.recognised.senior.count]).toEqual([1, 1, 1]);
    expect(college.rate).toEqual({ numerator: 3, denominator: 5, hundredthsOfPercent: 6000 });
    expect([college.meetsTarget, college.shortOfTarget]).toEqual([true, 0]);
    expect(college.metAboveRecognised.teacherIds).toEqual(['i1']);
    expect(units.map(({ unit, figures }) => [unit, figures.rate.hundredthsOfPercent, figures.meetsTarget, figures.shortOfTarget])).toEqual([
      ['乙', 10000, true, 0],
      // 1 of 3 = 33.33 %; over 50 % of 3 is 2: one short
      ['甲', 3333, false, 1],
    ]);
  });

  it('raising a teacher’s recognised tier never lowers the ratio nor turns a met target unmet', () => {
    const tiers = ['none', 'junior', 'intermediate', 'senior'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: entries.length - 1 }), fc.constantFrom(...tiers), (index, tier) => {
        const before = dualQualifiedFigures(entries, ratioTargetOf(defaultPolicy));
        const current = entries[index]!.recognisedTier;
        if (tiers.indexOf(tier) < tiers.indexOf(current)) return;
        const raised = entries.map((e, at) => (at === index ? { ...e, recognisedTier: tier } : e));
        const after = dualQualifiedFigures(raised, ratioTargetOf(defaultPolicy));
        expect(after.rate.numerator).toBeGreaterThanOrEqual(before.rate.numerator);
        if (before.meetsTarget) expect(after.meetsTarget).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
