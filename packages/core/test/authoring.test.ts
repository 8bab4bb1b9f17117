import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appraiseAll, comparePolicies, defaultPolicy, describePolicy, diffPolicies, parsePolicy, type EvidenceRecord, type Policy } from '../src/index.js';
import { practice, rec, teacher } from './fixtures.js';
import { defaultAsItems } from './stored-defaults.js';

const example: Policy = parsePolicy(JSON.parse(readFileSync(join(__dirname, '../../../docs/policies/example-vocational-college.json'), 'utf8')));

describe('describePolicy', () => {
  it('prints the default policy as its appraisal table, every number from the policy', () => {
    const table = describePolicy(defaultPolicy, 'zh');
    expect(table.categories.map((category) => [category.label, category.cap])).toEqual([
      ['教学', 35],
      ['工程实践', 20],
      ['技术创新', 15],
      ['技术成果转化', 15],
      ['企业服务成效', 15],
    ]);
    const competition = table.categories[1]!.lines.find((line) => line.id === 'skill_competition')!;
    expect(competition.points).toContainEqual({ when: '国家级 · 一等奖', points: 15 });
    expect(competition.points).toHaveLength(16);
    expect(table.grades.map((grade) => [grade.label, grade.min])).toEqual([
      ['优秀', 60],
      ['合格', 35],
      ['基本合格', 25],
      ['不合格', null],
    ]);
    expect(table.vetoes).toEqual(['企业实践未达标 → 最高 合格，当年不得参加职称评审', '学年内有经核实的师德失范 → 不合格']);
    expect(describePolicy(defaultPolicy, 'en').vetoes).toEqual(['enterprise practice not compliant → at most competent, no title review that year', 'a verified ethics violation in the year → incompetent']);
  });

  it('prints every line of the default policy through its scoring items, with the field and value labels of its kinds', () => {
    const zh = describePolicy(defaultPolicy, 'zh');
    const en = describePolicy(defaultPolicy, 'en');
    const line = (table: typeof zh, id: string) => table.categories.flatMap((category) => category.lines).find((entry) => entry.id === id)!;
    // every item, under its category, in the policy's order; the default's fourteen of 2026 as they always were
    const printed = zh.categories.map((category) => category.lines.map((entry) => entry.id));
    expect(printed).toEqual(defaultPolicy.appraisal.categories.map((category) => defaultPolicy.appraisal.items.filter((item) => item.category === category.id).map((item) => item.id)));
    const of2026 = new Set(defaultAsItems.appraisal.items.map((item) => item.id));
    expect(printed.map((ids) => ids.filter((id) => of2026.has(id)))).toEqual([
      ['teaching_workload', 'teaching_evaluation', 'teaching_resource', 'teaching_reform_project', 'mentoring.mentor_passed'],
      ['practice_days', 'skill_competition', 'certificate', 'international_training_days'],
      ['horizontal_project', 'patent'],
      ['tech_transfer'],
      ['enterprise_training', 'technical_service'],
    ]);
    expect(line(zh, 'teaching_workload')).toEqual({ id: 'teaching_workload', item: '教学工作量', basis: 'min(课时 ÷ 280, 1) × 15', points: [], limits: [] });
    expect(line(en, 'teaching_workload').basis).toBe('min(class hours ÷ 280, 1) × 15');
    expect(line(zh, 'teaching_evaluation').basis).toBe('学年平均评价得分 × 0.1');
    expect(line(en, 'teaching_evaluation').basis).toBe('mean score of the year × 0.1');
    expect(line(zh, 'teaching_resource')).toMatchObject({ basis: '每项', limits: ['团队成果按排名或份额计'] });
    expect(line(zh, 'teaching_resource').points).toEqual([
      { when: '项目工作页', points: 1 },
      { when: '课件', points: 1 },
      { when: '微课', points: 2 },
      { when: '题库', points: 2 },
    ]);
    expect(line(zh, 'mentoring.mentor_passed')).toEqual({ id: 'mentoring.mentor_passed', item: '青蓝工程结对 · 师傅（徒弟已出师）', basis: '每项 3 分', points: [], limits: ['角色：仅限师傅', '结果：仅限已出师', '按结对结束学年计'] });
    expect(line(en, 'mentoring.mentor_passed').limits).toEqual(['role: mentor only', 'outcome: passed only', 'in the academic year of its end date']);
    // One table for every certificate type is printed once, by level.
    expect(line(zh, 'certificate')).toEqual({
      id: 'certificate',
      item: '证书',
      basis: '每项（各证书类型同）',
      points: [
        { when: '初级', points: 1 },
        { when: '中级', points: 3 },
        { when: '高级', points: 5 },
      ],
      limits: [],
    });
    expect(line(en, 'certificate').basis).toBe('each (every certificate type alike)');
    expect(line(zh, 'practice_days')).toMatchObject({ item: '企业实践天数', basis: '每天 0.25 分（重叠天数只计一次）' });
    expect(line(en, 'international_training_days')).toMatchObject({ item: 'international training days', basis: '0.2 per distinct day' });
    expect(line(zh, 'horizontal_project').basis).toBe('每 10000 元 1 分');
    expect(line(en, 'tech_transfer').basis).toBe('2 per 10000 yuan');
    expect(line(zh, 'enterprise_training')).toMatchObject({ basis: '培训人数 × 培训学时 ÷ 40 × 1 × 客户满意度系数', limits: ['团队成果按排名或份额计', '客户满意度系数：≥ 90 → 1；≥ 80 → 0.9；低于 → 0.7；未评 → 1'] });
    expect(line(en, 'technical_service')).toMatchObject({ basis: '1 per 10000 yuan × client satisfaction factor', limits: ['team results by rank or share', 'client satisfaction factor: ≥ 90 → 1; ≥ 80 → 0.9; below → 0.7; absent → 1'] });
  });

  it('prints the practice binding rule and the categories’ own days, and nothing more under the default', () => {
    expect(describePolicy(defaultPolicy, 'en').practice).toBe('at least 30 days of enterprise practice each academic year (prorated in the hire year); at least 180 days in every 5 years');
    const policy = parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, binding: 'both', byCategory: { public_basic: { requiredDays: 15, rollingRequiredDays: 90 }, practical_guidance: 'exempt' } } });
    expect(describePolicy(policy, 'en').practice).toBe(
      'at least 30 days of enterprise practice each academic year (prorated in the hire year); at least 180 days in every 5 years; compliance needs both the annual and the rolling rule; practical-guidance teachers: no practice required; public-course teachers: 15 days a year, 90 in every 5 years',
    );
    expect(describePolicy(policy, 'zh').practice).toMatch(/；每学年与累计规则均须达到；.+免于企业实践；公共基础课教师每学年 15 天、每 5 年 90 天$/);
  });

  it('prints a college’s own items with their limits, in English too', () => {
    const table = describePolicy(example, 'en');
    const research = table.categories.find((category) => category.id === 'research')!;
    expect(research).toMatchObject({ label: 'Research', cap: 12 });
    expect(research.lines[0]).toMatchObject({
      id: 'paper',
      points: [
        { when: 'core journal', points: 4 },
        { when: 'provincial journal', points: 2 },
        { when: 'general journal', points: 1 },
      ],
    });
    // A paper is a team result (its kind says so), so the share is one of its limits.
    expect(research.lines[0]!.limits).toEqual(['team results by rank or share', 'the same achievement counts once, at its highest level', 'at most 6 points']);
    expect(table.categories[0]!.lines.find((line) => line.id === 'textbook')!.limits).toEqual(['role: chief editor, deputy editor only', 'at most 2 records, best first']);
    expect(table.categories[0]!.label).toBe('Education and teaching');
    expect(describePolicy(example, 'zh').categories[0]!.lines.at(-1)!.limits).toContain('最多计 2 项');
    expect(describePolicy(example, 'zh').vetoes).toEqual(['企业实践未达标 → 最高 合格，当年不得参加职称评审', '学年内有经核实的师德失范 → 不合格', '学年内有经核实的重大教学事故（重大教学事故） → 基本合格']);
    expect(table.vetoes.at(-1)).toBe('a verified major teaching accident (major) in the year → basic');
  });
});

describe('diffPolicies', () => {
  it('lists every changed number and every added item by id', () => {
    const candidate = structuredClone(example) as any;
    candidate.appraisal.items.find((item: { id: string }) => item.id === 'paper').cap = 8;
    candidate.appraisal.items.reverse();
    candidate.appraisal.items.find((item: { id: string }) => item.id === 'tech_transfer').rule.points = 3;
    const changes = diffPolicies(example, candidate);
    expect(changes).toEqual([
      { path: 'policy.appraisal.items[id=tech_transfer].rule.points', before: 2, after: 3 },
      { path: 'policy.appraisal.items[id=paper].cap', before: 6, after: 8 },
    ]);
    expect(diffPolicies(defaultPolicy, defaultPolicy)).toEqual([]);
    const added = diffPolicies(defaultPolicy, example).map((change) => change.path);
    expect(added).toEqual(expect.arrayContaining(['policy.version', 'policy.evidenceKinds', 'policy.appraisal.items[id=paper]', 'policy.appraisal.items[id=textbook]', 'policy.appraisal.categories[id=teaching].label.zh']));
  });
});

describe('comparePolicies', () => {
  it('shows who changes total, grade and quota outcome, and the trace lines that differ', () => {
    const teachers = [teacher({ id: 't1' }), teacher({ id: 't2' })];
    const records: EvidenceRecord[] = [practice('2026-07-01', '2026-07-30', { id: 'E1' }), practice('2026-07-01', '2026-07-30', { id: 'E2', teacherId: 't2' }), rec('tech_transfer', { id: 'T1', date: '2025-10-01', amountYuan: 50_000, partner: '某公司' })];
    const candidate = structuredClone(defaultPolicy) as any;
    candidate.version = 'draft';
    candidate.appraisal.items.find((item: { id: string }) => item.id === 'tech_transfer').rule.points = 3; // 50,000 yuan: 10 → 15 points
    const comparison = comparePolicies({ teachers, records, year: 2025, baseline: defaultPolicy, candidate });
    expect(comparison.summary).toMatchObject({ teachers: 2, totalChanged: 1, gradeChanged: 0 });
    const [first, second] = comparison.teachers;
    expect(first).toMatchObject({ teacherId: 't1', baseline: { total: 17.5 }, candidate: { total: 22.5 } });
    expect(first!.linesOnlyInBaseline).toEqual([{ category: 'tech_transfer', rule: 'tech_transfer', recordIds: ['T1'], quantity: 50000, share: 1, points: 10 }]);
    expect(first!.linesOnlyInCandidate).toEqual([{ category: 'tech_transfer', rule: 'tech_transfer', recordIds: ['T1'], quantity: 50000, share: 1, points: 15 }]);
    expect(second!.linesOnlyInBaseline).toEqual([]);
    // The same as two appraisals by hand.
    const direct = appraiseAll({ teachers, records, year: 2025, policy: candidate });
    expect(comparison.teachers.map((entry) => entry.candidate.total)).toEqual(direct.map((appraisal) => appraisal.total));
  });

  it('names who enters or leaves excellent in each unit', () => {
    const teachers = [teacher({ id: 't1' })];
    const records: EvidenceRecord[] = [practice('2026-07-01', '2026-07-30', { id: 'E1' })];
    const lower = structuredClone(defaultPolicy) as any;
    lower.appraisal.grades.bands = [
      { grade: 'excellent', min: 5 },
      { grade: 'competent', min: 3 },
      { grade: 'basic', min: 1 },
    ];
    const comparison = comparePolicies({ teachers, records, year: 2025, baseline: defaultPolicy, candidate: lower });
    expect(comparison.summary.units).toEqual({ 机电工程学院: { enters: ['t1'], leaves: [] } });
    expect(comparison.summary.gradeChanged).toBe(1);
  });

  it('validates once when both policies have the same kinds, and still refuses bad input naming it', () => {
    const teachers = [teacher({ id: 't1' }), teacher({ id: 't2' })];
    const records: EvidenceRecord[] = [
      practice('2026-07-01', '2026-07-30', { id: 'E1' }),
      rec('tech_transfer', { id: 'T1', date: '2025-10-01', amountYuan: 50_000, partner: '某公司' }),
      rec('tech_transfer', { id: 'T2', teacherId: 't2', date: '2025-11-01', amountYuan: 20_000, partner: '某公司' }),
    ];
    const candidate = structuredClone(defaultPolicy) as any;
    candidate.appraisal.items.find((item: { id: string }) => item.id === 'tech_transfer').rule.points = 3;
    const comparison = comparePolicies({ teachers, records, year: 2025, baseline: defaultPolicy, candidate });
    const before = appraiseAll({ teachers, records, year: 2025, policy: defaultPolicy });
    const after = appraiseAll({ teachers, records, year: 2025, policy: candidate });
    expect(comparison.teachers.map((entry) => [entry.baseline, entry.candidate])).toEqual(
      before.map((a, index) => [
        { total: a.total, grade: a.grade, finalGrade: a.finalGrade },
        { total: after[index]!.total, grade: after[index]!.grade, finalGrade: after[index]!.finalGrade },
      ]),
    );
    const bad = [...records, { ...records[1]!, id: 'T3', amountYuan: -5 }];
    expect(() => comparePolicies({ teachers, records: bad, year: 2025, baseline: defaultPolicy, candidate })).toThrow(/records\[3\]\.amountYuan/);
    expect(() => comparePolicies({ teachers, records, year: 1800, baseline: defaultPolicy, candidate })).toThrow(/year/);
  });

  it('validates once when one policy adds kinds to the other, with the results of two appraisals', () => {
    const teachers = [teacher({ id: 't1' }), teacher({ id: 't2' })];
    const records: EvidenceRecord[] = [practice('2026-07-01', '2026-07-30', { id: 'E1' }), rec('tech_transfer', { id: 'T1', date: '2025-10-01', amountYuan: 50_000, partner: '某公司' }), rec('teaching_workload', { id: 'W1', teacherId: 't2', year: 2025, hours: 200 })];
    for (const [baseline, candidate] of [
      [defaultPolicy, example],
      [example, defaultPolicy],
    ] as const) {
      const comparison = comparePolicies({ teachers, records, year: 2025, baseline, candidate });
      const before = appraiseAll({ teachers, records, year: 2025, policy: baseline });
      const after = appraiseAll({ teachers, records, year: 2025, policy: candidate });
      expect(comparison.teachers.map((entry) => [entry.baseline.total, entry.candidate.total])).toEqual(before.map((a, index) => [a.total, after[index]!.total]));
    }
    // A record of a kind only the example has: refused, named as the default policy sees it.
    const paper = { id: 'P1', teacherId: 't1', kind: 'paper', status: 'verified', date: '2025-11-20', title: '论文', journal: '职业技术教育', journalLevel: 'core', achievement: 'A' } as unknown as EvidenceRecord;
    expect(() => comparePolicies({ teachers, records: [...records, paper], year: 2025, baseline: defaultPolicy, candidate: example })).toThrow(/records\[3\]\.kind/);
    expect(() => comparePolicies({ teachers, records: [...records, paper], year: 2025, baseline: example, candidate: defaultPolicy })).toThrow(/records\[3\]\.kind/);
  });
});

describe('parsed policies', () => {
  it('are frozen and read once: parsing one again answers the same object, and a change is refused', () => {
    expect(Object.isFrozen(example.appraisal.vetoes[0])).toBe(true);
    expect(parsePolicy(example)).toBe(example);
    expect(() => {
      (example.appraisal.grades.bands[0] as { min: number }).min = 1;
    }).toThrow(TypeError);
    // A copy is the caller's own to change, and is read afresh.
    const copy = structuredClone(example) as any;
    copy.appraisal.grades.bands[0].min = 61;
    expect(parsePolicy(copy).appraisal.grades.bands[0]!.min).toBe(61);
  });
});
