import { describe, expect, it } from 'vitest';
import { appraiseAll, applyExcellenceQuota, scoreAppraisal, ValidationError, type Appraisal, type EvidenceRecord, type Teacher } from '../src/index.js';
import { practice, rec, teacher } from './fixtures.js';
import { defaultAsItems } from './stored-defaults.js';

const score = (records: EvidenceRecord[], year = 2025, who: Teacher = teacher()) => scoreAppraisal({ teacher: who, records, year });
const points = (appraisal: Appraisal, rule: string) => appraisal.items.filter((item) => item.rule === rule).map((item) => item.points);
const exempt = (teacherId = 't1') => rec('practice_exemption', { year: 2025, reason: '援疆', teacherId });

describe('each rule, by hand', () => {
  it('teaching', () => {
    const result = score([
      exempt(),
      rec('teaching_workload', { year: 2025, hours: 100 }),
      rec('teaching_workload', { year: 2025, hours: 40 }),
      rec('teaching_workload', { year: 2024, hours: 400 }),
      rec('teaching_evaluation', { date: '2025-12-01', score: 90 }),
      rec('teaching_evaluation', { date: '2026-06-01', score: 85 }),
      rec('teaching_evaluation', { date: '2026-06-02', score: 88 }),
      rec('teaching_resource', { date: '2025-11-01', resourceType: 'micro_lecture', title: '工业机器人示教', rank: 2 }),
      rec('teaching_resource', { date: '2025-11-02', resourceType: 'question_bank', title: 'PLC 题库', share: 0.3 }),
      rec('teaching_resource', { date: '2025-11-03', resourceType: 'worksheet', title: '项目工单' }),
      rec('teaching_reform_project', { date: '2026-01-10', level: 'provincial', rank: 3 }),
      rec('mentoring', { start: '2024-09-01', end: '2026-06-30', role: 'mentor', partnerId: 't9', outcome: 'passed' }),
      rec('mentoring', { start: '2024-09-01', end: '2025-06-30', role: 'mentor', partnerId: 't8', outcome: 'passed' }), // ends in 2024-2025
      rec('mentoring', { start: '2025-09-01', role: 'mentor', partnerId: 't7', outcome: 'ongoing' }),
      rec('mentoring', { start: '2024-09-01', end: '2026-06-30', role: 'mentee', partnerId: 't6', outcome: 'passed' }),
    ]);
    expect(points(result, 'teaching_workload')).toEqual([7.5]); // 140 / 280 × 15
    expect(result.items.find((item) => item.rule === 'teaching_workload')!.quantity).toBe(140);
    expect(points(result, 'teaching_evaluation')).toEqual([8.77]); // mean 87.666… × 0.10, rounded once
    expect(result.items.find((item) => item.rule === 'teaching_evaluation')!.quantity).toBe(87.67);
    expect(points(result, 'teaching_resource.micro_lecture')).toEqual([1]); // 2 × 0.5
    expect(points(result, 'teaching_resource.question_bank')).toEqual([0.6]);
    expect(points(result, 'teaching_resource.worksheet')).toEqual([1]);
    expect(points(result, 'teaching_reform_project.provincial')).toEqual([1.8]); // 6 × 0.3
    expect(points(result, 'mentoring.mentor_passed')).toEqual([3]);
    expect(result.categories.teaching).toEqual({ raw: 23.67, capped: 23.67, cap: 35 });
  });

  it('workload is capped at the full load', () => {
    expect(points(score([exempt(), rec('teaching_workload', { year: 2025, hours: 300 })]), 'teaching_workload')).toEqual([15]);
    expect(points(score([exempt(), rec('teaching_workload', { year: 2025, hours: 280 })]), 'teaching_workload')).toEqual([15]);
    expect(points(score([exempt(), rec('teaching_workload', { year: 2025, hours: 279 })]), 'teaching_workload')).toEqual([14.95]); // 14.946…
  });

  it('engineering practice', () => {
    const result = score([
      practice('2025-10-01', '2025-10-30'),
      practice('2025-10-21', '2025-11-09'), // 10 more distinct days
      rec('skill_competition', { date: '2025-12-01', level: 'provincial', award: 'second', role: 'coach' }),
      rec('skill_competition', { date: '2025-12-02', level: 'national', award: 'excellence', role: 'contestant', rank: 2 }),
      rec('certificate', { date: '2026-01-01', certType: 'dual_qualified', level: 'senior' }),
      rec('certificate', { date: '2026-01-02', certType: 'one_plus_x', level: 'intermediate' }),
      rec('international_training', { start: '2026-03-01', end: '2026-03-10', institution: 'TU Berlin', country: '德国' }),
      rec('international_training', { start: '2026-03-05', end: '2026-03-14', institution: 'TU Berlin', country: '德国' }),
    ]);
    expect(points(result, 'practice_days')).toEqual([10]); // 40 days × 0.25, one line
    expect(result.items.find((item) => item.rule === 'practice_days')!.recordIds).toHaveLength(2);
    expect(points(result, 'skill_competition.provincial.second')).toEqual([7]);
    expect(points(result, 'skill_competition.national.excellence')).toEqual([2.5]);
    expect(points(result, 'certificate.dual_qualified.senior')).toEqual([5]);
    expect(points(result, 'certificate.one_plus_x.intermediate')).toEqual([3]);
    expect(points(result, 'international_training_days')).toEqual([2.8]); // 14 distinct days × 0.2
    expect(result.categories.engineering_practice).toEqual({ raw: 30.3, capped: 20, cap: 20 });
    expect(result.practiceDays).toBe(40);
  });

  it('technical innovation, transfer and enterprise service, with exact shares', () => {
    const result = score([
      exempt(),
      rec('horizontal_project', { date: '2025-10-01', amountYuan: 15_000, partner: '某公司', share: 0.3 }),
      rec('patent', { date: '2025-10-02', patentType: 'invention', rank: 2 }),
      rec('patent', { date: '2025-10-03', patentType: 'software_copyright', rank: 9 }),
      rec('tech_transfer', { date: '2025-10-04', amountYuan: 123_456, partner: '某公司', rank: 3 }),
      rec('enterprise_training', { date: '2025-10-05', trainees: 25, hours: 8, satisfaction: 85 }),
      rec('enterprise_training', { date: '2025-10-06', trainees: 10, hours: 4, satisfaction: 95, rank: 2 }),
      rec('technical_service', { date: '2025-10-07', amountYuan: 55_555, partner: '某公司', satisfaction: 70 }),
      rec('technical_service', { date: '2025-10-08', amountYuan: 10_000, partner: '某公司' }),
    ]);
    expect(points(result, 'horizontal_project')).toEqual([0.45]); // not 0.4499…
    expect(points(result, 'patent.invention')).toEqual([3]);
    expect(points(result, 'patent.software_copyright')).toEqual([0.1]);
    expect(points(result, 'tech_transfer')).toEqual([7.41]); // 12.3456 × 2 × 0.3 = 7.40736
    expect(points(result, 'enterprise_training')).toEqual([4.5, 0.5]); // 200/40 × 0.9; 40/40 × 1.0 × 0.5
    expect(points(result, 'technical_service')).toEqual([3.89, 1]); // 5.5555 × 0.7 = 3.88885 → half-up
    expect(result.items.find((item) => item.rule === 'enterprise_training')).toMatchObject({ quantity: 200, factor: 0.9, share: 1 });
    expect(result.categories.enterprise_service!.raw).toBe(9.89);
  });

  it('rounds each record half-up at exactly half a hundredth', () => {
    // 125 yuan × 2 / 10,000 = 0.025 → 0.03; 25 yuan → 0.005 → 0.01
    const result = score([exempt(), rec('tech_transfer', { date: '2025-10-04', amountYuan: 125, partner: 'a' }), rec('tech_transfer', { date: '2025-10-04', amountYuan: 25, partner: 'b' })]);
    expect(points(result, 'tech_transfer')).toEqual([0.03, 0.01]);
    expect(result.total).toBe(0.04);
  });

  it('caps bind and the total is the sum of capped categories', () => {
    const result = score([exempt(), rec('tech_transfer', { date: '2025-10-04', amountYuan: 1_000_000, partner: '某公司' }), rec('teaching_workload', { year: 2025, hours: 280 })]);
    expect(result.categories.tech_transfer).toEqual({ raw: 200, capped: 15, cap: 15 });
    expect(result.total).toBe(30);
  });
});

/** Build a total exactly: tech transfer 5,000 yuan a point (cap 15), technical service and horizontal projects 10,000 a point, workload, then international-training days. */
function recordsForTotal(hundredths: number, teacherId = 't1'): EvidenceRecord[] {
  const records: EvidenceRecord[] = [exempt(teacherId)];
  let left = hundredths;
  const take = (cap: number) => {
    const part = Math.min(left, cap);
    left -= part;
    return part;
  };
  const transfer = take(1500);
  if (transfer) records.push(rec('tech_transfer', { teacherId, date: '2025-10-01', amountYuan: transfer * 50, partner: 'p' }));
  const service = take(1500);
  if (service) records.push(rec('technical_service', { teacherId, date: '2025-10-01', amountYuan: service * 100, partner: 'p' }));
  const horizontal = take(1500);
  if (horizontal) records.push(rec('horizontal_project', { teacherId, date: '2025-10-01', amountYuan: horizontal * 100, partner: 'p' }));
  const workload = take(1500);
  if (workload) records.push(rec('teaching_workload', { teacherId, year: 2025, hours: (workload * 280) / 1500 }));
  const engineering = take(2000); // international training at 0.2 a day
  if (engineering) {
    if (engineering % 20) throw new Error('engineering part must be a multiple of 0.2');
    const days = engineering / 20;
    records.push(rec('international_training', { teacherId, start: '2025-10-01', end: `2025-${days > 31 ? '11' : '10'}-${String(days > 31 ? days - 31 : days).padStart(2, '0')}`, institution: 'i', country: 'c' }));
  }
  if (left) throw new Error('total too large for this helper');
  return records;
}

describe('grade bands', () => {
  it.each([
    [6000, 'excellent'],
    [5999, 'competent'],
    [3500, 'competent'],
    [3499, 'basic'],
    [2500, 'basic'],
    [2499, 'incompetent'],
    [0, 'incompetent'],
  ] as const)('a total of %i hundredths is %s', (hundredths, grade) => {
    const result = score(recordsForTotal(hundredths));
    expect(result.total).toBe(hundredths / 100);
    expect(result.grade).toBe(grade);
  });
});

describe('vetoes', () => {
  it('an ethics violation makes the year incompetent, whatever the total', () => {
    const result = score([...recordsForTotal(7000), rec('ethics_violation', { date: '2026-03-01', description: '有偿补课' })]);
    expect(result).toMatchObject({ total: 70, bandGrade: 'excellent', grade: 'incompetent', vetoes: ['ethics_violation'], titleReviewEligible: false });
    expect(result.vetoTrace[0]).toMatchObject({ veto: 'ethics_violation', gradeBefore: 'excellent', gradeAfter: 'incompetent' });
  });

  it('a violation in another year or still pending does not veto', () => {
    expect(score([...recordsForTotal(7000), rec('ethics_violation', { date: '2025-08-31', description: 'x' })]).vetoes).toEqual([]);
    expect(score([...recordsForTotal(7000), rec('ethics_violation', { date: '2026-03-01', description: 'x', status: 'pending' })]).grade).toBe('excellent');
  });

  it('practice not compliant caps the grade at competent and blocks title review', () => {
    const records = recordsForTotal(7000).filter((record) => record.kind !== 'practice_exemption');
    const result = score(records);
    expect(result).toMatchObject({ total: 70, grade: 'competent', vetoes: ['practice_noncompliant'], titleReviewEligible: false });
    expect(score(recordsForTotal(3000).filter((record) => record.kind !== 'practice_exemption')).grade).toBe('basic'); // never raises
  });

  it('both vetoes are named', () => {
    const records = [...recordsForTotal(7000).filter((record) => record.kind !== 'practice_exemption'), rec('ethics_violation', { date: '2026-03-01', description: 'x' })];
    expect(score(records)).toMatchObject({ grade: 'incompetent', vetoes: ['practice_noncompliant', 'ethics_violation'] });
  });

  it('title review needs at least competent', () => {
    expect(score(recordsForTotal(3500)).titleReviewEligible).toBe(true);
    expect(score(recordsForTotal(3499)).titleReviewEligible).toBe(false);
  });
});

describe('statuses', () => {
  it('pending records are reported with the total they would give; rejected never count', () => {
    const records = [...recordsForTotal(2000), rec('patent', { date: '2025-10-02', patentType: 'invention', status: 'pending' }), rec('patent', { date: '2025-10-02', patentType: 'invention', status: 'rejected' })];
    const result = score(records);
    expect(result.total).toBe(20);
    expect(result.pending.recordIds).toHaveLength(1);
    expect(result.pending.totalIfVerified).toBe(26);
  });
});

describe('excellence quota', () => {
  const teachers = (unit: string, count: number, prefix: string) => Array.from({ length: count }, (_, index) => teacher({ id: `${prefix}${String(index + 1).padStart(2, '0')}`, unit }));

  it('a unit of 3 keeps exactly one excellent (at least one where anyone qualifies)', () => {
    const staff = teachers('A', 3, 'a');
    const records = [...recordsForTotal(7000, 'a01'), ...recordsForTotal(6500, 'a02'), ...recordsForTotal(6100, 'a03')];
    const result = appraiseAll({ teachers: staff, records, year: 2025 });
    expect(result.map((appraisal) => appraisal.finalGrade)).toEqual(['excellent', 'competent', 'competent']);
    expect(result.map((appraisal) => appraisal.grade)).toEqual(['excellent', 'excellent', 'excellent']);
    expect(result[1]!.quota).toEqual({ unit: 'A', unitSize: 3, limit: 1, position: 2, kept: false });
  });

  it('a unit of 11 keeps two, breaking ties by transfer + service points, then practice days, then id', () => {
    const staff = teachers('B', 11, 'b');
    const tieByService = (teacherId: string) => [
      exempt(teacherId),
      rec('horizontal_project', { teacherId, date: '2025-10-01', amountYuan: 150_000, partner: 'p' }),
      rec('teaching_workload', { teacherId, year: 2025, hours: 280 }),
      rec('international_training', { teacherId, start: '2025-10-01', end: '2025-12-14', institution: 'i', country: 'c' }), // 75 days: 15 points
      rec('tech_transfer', { teacherId, date: '2025-10-01', amountYuan: 75_000, partner: 'p' }),
    ];
    // b01..b04 all total 60. b02 and b04 have 15 transfer+service points, b01 and b03 have 30; b03 has more practice days.
    const records = [
      ...recordsForTotal(6000, 'b01'),
      ...tieByService('b02'),
      ...recordsForTotal(6000, 'b03').filter((record) => record.kind !== 'practice_exemption'),
      practice('2025-10-01', '2025-10-30', { teacherId: 'b03' } as Partial<EvidenceRecord>),
      ...tieByService('b04'),
      ...recordsForTotal(3000, 'b05'),
    ];
    // b03's practice days add 7.5 engineering points: lower its horizontal project to keep the total at 60.
    const b03Horizontal = records.find((record) => record.teacherId === 'b03' && record.kind === 'horizontal_project') as Extract<EvidenceRecord, { kind: 'horizontal_project' }>;
    b03Horizontal.amountYuan -= 75_000;
    const result = appraiseAll({ teachers: staff, records, year: 2025 });
    const byId = new Map(result.map((appraisal) => [appraisal.teacherId, appraisal]));
    expect(['b01', 'b02', 'b03', 'b04'].map((id) => byId.get(id)!.total)).toEqual([60, 60, 60, 60]);
    expect(byId.get('b03')!.practiceDays).toBe(30);
    expect(['b03', 'b01', 'b02', 'b04'].map((id) => byId.get(id)!.quota!.position)).toEqual([1, 2, 3, 4]);
    expect(['b01', 'b02', 'b03', 'b04', 'b05'].map((id) => byId.get(id)!.finalGrade)).toEqual(['excellent', 'competent', 'excellent', 'competent', 'basic']);
    expect(result.map((appraisal) => appraisal.teacherId)).toEqual(staff.map((member) => member.id));
  });

  it('applies per unit and keeps the given order', () => {
    const a = score(recordsForTotal(7000, 't1'), 2025, teacher({ id: 't1' }));
    const b = score(recordsForTotal(6500, 't2'), 2025, teacher({ id: 't2' }));
    const result = applyExcellenceQuota([
      { appraisal: b, unit: 'X' },
      { appraisal: a, unit: 'Y' },
    ]);
    expect(result.map((appraisal) => [appraisal.teacherId, appraisal.finalGrade])).toEqual([
      ['t2', 'excellent'],
      ['t1', 'excellent'],
    ]);
    expect(applyExcellenceQuota([])).toEqual([]);
  });
});

describe('appraiseAll', () => {
  it('validates every teacher and record, naming paths', () => {
    expect(() => appraiseAll({ teachers: [teacher(), teacher()], records: [], year: 2025 })).toThrow(/teachers\[1\]\.id: duplicate teacher id/);
    expect(() => appraiseAll({ teachers: [teacher({ hireDate: '2015-02-30' })], records: [], year: 2025 })).toThrow(ValidationError);
    expect(appraiseAll({ teachers: [], records: [], year: 2025 })).toEqual([]);
  });
});

describe('rule labels', () => {
  it('every rule id the appraisal can produce has a zh and en name, with no raw id words left', async () => {
    const { ruleLabel, defaultPolicy: policy } = await import('../src/index.js');
    // Each item writes its id, or for a table its id and the table's keys (`skill_competition.national.first`).
    const paths = (id: string, table: unknown): string[] => (typeof table === 'number' ? [id] : Object.entries(table as object).flatMap(([key, entry]) => paths(`${id}.${key}`, entry)));
    const idsOf = (items: typeof policy.appraisal.items) => items.flatMap((item) => (item.rule.type === 'table' ? paths(item.id, item.rule.points) : [item.id]));
    const ids = idsOf(policy.appraisal.items);
    expect(ids).toEqual(expect.arrayContaining(['teaching_workload', 'mentoring.mentor_passed', 'practice_days', 'international_training_days', 'tech_transfer', 'certificate.one_plus_x.senior', 'skill_competition.school.excellence', 'patent.software_copyright']));
    // the default of 2026 writes these 45 (today's default may have gained items since), all still written
    const of2026 = idsOf(defaultAsItems.appraisal.items);
    expect(of2026).toHaveLength(9 + 4 + 4 + 16 + 9 + 3);
    expect(ids).toEqual(expect.arrayContaining(of2026));
    for (const id of ids) {
      const label = ruleLabel(id);
      expect(label.zh, id).not.toMatch(/[a-z_]/);
      expect(label.en, id).not.toMatch(/_/);
    }
    expect(ruleLabel('skill_competition.national.first')).toEqual({ zh: '技能竞赛 · 国家级 · 一等奖', en: 'skill competition · national · first prize' });
  });
});
