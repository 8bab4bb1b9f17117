import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appraiseAll, assessProgress, defaultPolicy, parsePolicy, parseRecords, scoreAppraisal, type ValidationError, type EvidenceRecord, type Policy } from '../src/index.js';
import { practice, rec, teacher } from './fixtures.js';

/**
 * The example college of docs/policies: its own kinds (论文, 教材), an added category (科研成果) and a renamed one
 * (教育教学), an item cap (本项最高 6 分), one achievement counted once at its highest level, and a count limit.
 * Every number below is computed by hand.
 */
const policy: Policy = parsePolicy(JSON.parse(readFileSync(join(__dirname, '../../../docs/policies/example-vocational-college.json'), 'utf8')));

const paper = (id: string, journalLevel: string, achievement: string, extra: object = {}) =>
  ({ id, teacherId: 't1', kind: 'paper', status: 'verified', date: '2025-11-20', title: `论文${id}`, journal: '职业技术教育', journalLevel, achievement, ...extra }) as unknown as EvidenceRecord;
const textbook = (id: string, level: string, role: string, extra: object = {}) => ({ id, teacherId: 't1', kind: 'textbook', status: 'verified', date: '2026-03-01', title: `教材${id}`, level, role, ...extra }) as unknown as EvidenceRecord;

// 2025-2026: 30 practice days (compliant), four papers, four textbooks.
const records: EvidenceRecord[] = [
  practice('2026-07-01', '2026-07-30', { id: 'E1' }),
  paper('P1', 'core', 'A'), // 4.00
  paper('P2', 'provincial', 'A'), // same achievement as P1: left out
  paper('P3', 'core', 'B', { rank: 2 }), // 4 × 0.5 = 2.00
  paper('P4', 'general', 'C'), // 1.00 → 7.00 in all, capped at 6.00
  textbook('B1', 'national_planning', 'chief_editor'), // 5.00
  textbook('B2', 'provincial_planning', 'deputy_editor'), // 3.00
  textbook('B3', 'school', 'chief_editor'), // 1.00: past the limit of 2
  textbook('B4', 'national_planning', 'editor'), // 参编: not scored by this item
];

describe('the example college policy (docs/policies)', () => {
  it('scores its own kinds with group-once, a count limit and an item cap, as computed by hand', () => {
    const result = scoreAppraisal({ teacher: teacher(), records, year: 2025, policy });
    const paperLines = result.items.filter((item) => item.rule.startsWith('paper'));
    expect(paperLines).toEqual([
      { category: 'research', rule: 'paper.core', recordIds: ['P1'], quantity: 1, share: 1, points: 4 },
      { category: 'research', rule: 'paper.provincial', recordIds: ['P2'], quantity: 1, share: 1, points: 0, leftOut: { reason: 'same_group', keptRecordId: 'P1' } },
      { category: 'research', rule: 'paper.core', recordIds: ['P3'], quantity: 1, share: 0.5, points: 2 },
      { category: 'research', rule: 'paper.general', recordIds: ['P4'], quantity: 1, share: 1, points: 1 },
      { category: 'research', rule: 'paper.cap', recordIds: [], quantity: 6, share: 1, points: -1 },
    ]);
    const textbookLines = result.items.filter((item) => item.rule.startsWith('textbook'));
    expect(textbookLines).toEqual([
      { category: 'teaching', rule: 'textbook.national_planning', recordIds: ['B1'], quantity: 1, share: 1, points: 5 },
      { category: 'teaching', rule: 'textbook.provincial_planning', recordIds: ['B2'], quantity: 1, share: 1, points: 3 },
      { category: 'teaching', rule: 'textbook.school', recordIds: ['B3'], quantity: 1, share: 1, points: 0, leftOut: { reason: 'max_count' } },
    ]);
    expect(result.categories.research).toEqual({ raw: 6, capped: 6, cap: 12 });
    expect(result.categories.teaching).toEqual({ raw: 8, capped: 8, cap: 35 });
    expect(result.categories.engineering_practice).toEqual({ raw: 7.5, capped: 7.5, cap: 20 });
    // 8 + 7.50 + 6 = 21.50, below the 25 of 基本合格.
    expect(result.total).toBe(21.5);
    expect(result.grade).toBe('incompetent');
    expect(result.vetoes).toEqual([]);
  });

  it('counts pending records toward the would-be total through the same items', () => {
    const pending = [...records, textbook('B5', 'national_planning', 'chief_editor', { status: 'pending' }), paper('P5', 'core', 'D', { status: 'pending' })];
    const result = scoreAppraisal({ teacher: teacher(), records: pending, year: 2025, policy });
    expect(result.total).toBe(21.5);
    // Textbooks: the best two are then 5 + 5 = 10; papers stay at their cap of 6: 10 + 7.50 + 6 = 23.50.
    expect(result.pending).toEqual({ recordIds: ['B5', 'P5'], totalIfVerified: 23.5 });
  });

  it('validates records against the policy that scores them', () => {
    expect(parseRecords(records, policy)).toBe(records);
    expect(() => parseRecords([paper('P1', 'core', 'A')], defaultPolicy)).toThrow(/records\[0\]\.kind/);
    try {
      parseRecords([paper('P1', 'sci', 'A', { rank: 0 })], policy);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues.map((issue) => issue.path).sort()).toEqual(['records[0].journalLevel', 'records[0].rank']);
    }
  });

  it('appraises a whole college under the example policy, with its categories in every result', () => {
    const other = teacher({ id: 't2' });
    const [first, second] = appraiseAll({ teachers: [teacher(), other], records, year: 2025, policy });
    expect(first!.total).toBe(21.5);
    expect(second!.categories.research).toEqual({ raw: 0, capped: 0, cap: 12 });
  });
});

describe('vetoes as policy data', () => {
  const accident = (id: string, severity: string, extra: object = {}) => ({ id, teacherId: 't1', kind: 'teaching_accident', status: 'verified', date: '2026-01-10', severity, description: '调课未报备', ...extra }) as unknown as EvidenceRecord;
  // The records above (21.50) and a full teaching workload (280 h → 15): 36.50, 合格.
  const competent = [...records, rec('teaching_workload', { year: 2025, hours: 280 })];

  it("lowers the grade on a verified record of the policy's own kind that matches the filter", () => {
    expect(scoreAppraisal({ teacher: teacher(), records: competent, year: 2025, policy })).toMatchObject({ total: 36.5, grade: 'competent', vetoes: [], titleReviewEligible: true });
    const result = scoreAppraisal({ teacher: teacher(), records: [...competent, accident('A1', 'major')], year: 2025, policy });
    expect(result).toMatchObject({ total: 36.5, bandGrade: 'competent', grade: 'basic', vetoes: ['major_teaching_accident'], titleReviewEligible: false });
    expect(result.vetoTrace).toEqual([{ veto: 'major_teaching_accident', recordIds: ['A1'], gradeBefore: 'competent', gradeAfter: 'basic', blocksTitleReview: true }]);
  });

  it('ignores a record the filter leaves out, a pending one and one of another year', () => {
    for (const other of [accident('A2', 'minor'), accident('A3', 'major', { status: 'pending' }), accident('A4', 'major', { date: '2025-08-31' })]) {
      expect(scoreAppraisal({ teacher: teacher(), records: [...competent, other], year: 2025, policy })).toMatchObject({ grade: 'competent', vetoes: [] });
    }
  });

  it("applies the vetoes in the policy's order, each worsening the grade from where the last left it", () => {
    const result = scoreAppraisal({ teacher: teacher(), records: [...competent, accident('A1', 'major'), rec('ethics_violation', { date: '2026-02-01', description: 'x' })], year: 2025, policy });
    expect(result.vetoTrace.map((trace) => [trace.veto, trace.gradeBefore, trace.gradeAfter])).toEqual([
      ['ethics_violation', 'competent', 'incompetent'],
      ['major_teaching_accident', 'incompetent', 'incompetent'],
    ]);
  });

  it('reads a policy stored with the old fixed veto keys as the same two vetoes', () => {
    const old = JSON.parse(readFileSync(join(__dirname, '../../../docs/policies/example-vocational-college.json'), 'utf8'));
    old.appraisal.vetoes = { ethicsViolation: { grade: 'incompetent' }, practiceNoncompliant: { maxGrade: 'competent' } };
    expect(parsePolicy(old).appraisal.vetoes).toEqual(defaultPolicy.appraisal.vetoes);
    const stored = structuredClone(defaultPolicy) as any;
    stored.appraisal.vetoes = { ethicsViolation: { grade: 'basic' }, practiceNoncompliant: { maxGrade: 'basic' } };
    expect(parsePolicy(stored).appraisal.vetoes).toEqual([
      { id: 'practice_noncompliant', when: 'practice_noncompliant', maxGrade: 'basic' },
      { id: 'ethics_violation', when: { kind: 'ethics_violation' }, grade: 'basic' },
    ]);
  });

  it('names a veto on an unknown kind, on a field the kind lacks, and a duplicate id', () => {
    const broken = structuredClone(policy) as any;
    broken.appraisal.vetoes[1].when.kind = 'plagiarism';
    broken.appraisal.vetoes[2].when.where[0].field = 'level';
    broken.appraisal.vetoes.push({ id: 'practice_noncompliant', when: 'practice_noncompliant', maxGrade: 'basic' });
    try {
      parsePolicy(broken);
      expect.unreachable();
    } catch (error) {
      const paths = (error as ValidationError).issues.map((issue) => issue.path);
      expect(paths).toEqual(['policy.appraisal.vetoes[1].when.kind', 'policy.appraisal.vetoes[2].when.where[0].field', 'policy.appraisal.vetoes[3].id']);
    }
  });
});

describe('policy problems are reported all at once', () => {
  it('names descending grade bands, an unknown kind and an empty any_of together', () => {
    const broken = structuredClone(defaultPolicy) as any;
    broken.appraisal.grades.bands = [
      { grade: 'excellent', min: 30 },
      { grade: 'competent', min: 35 },
      { grade: 'basic', min: 25 },
    ];
    broken.growth.transitions.new_teacher.children[5].kinds = ['lesson_plan'];
    broken.growth.transitions.backbone_teacher.children[4].children = [];
    try {
      parsePolicy(broken);
      expect.unreachable();
    } catch (error) {
      const paths = (error as ValidationError).issues.map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(['policy.appraisal.grades.bands[1].min', 'policy.growth.transitions.new_teacher.children[5].kinds[0]', 'policy.growth.transitions.backbone_teacher.children[4].children']));
    }
  });

  it('names an item on an unknown category, a missing field and a table key that is not an enum', () => {
    const broken = structuredClone(policy) as any;
    const paper = broken.appraisal.items.findIndex((item: { id: string }) => item.id === 'paper');
    const textbook = broken.appraisal.items.findIndex((item: { id: string }) => item.id === 'textbook');
    broken.appraisal.items[paper].category = 'nonsense';
    broken.appraisal.items[paper].groupBy = 'doi';
    broken.appraisal.items[textbook].rule.keys = ['title'];
    try {
      parsePolicy(broken);
      expect.unreachable();
    } catch (error) {
      const paths = (error as ValidationError).issues.map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining([`policy.appraisal.items[${paper}].category`, `policy.appraisal.items[${paper}].groupBy`, `policy.appraisal.items[${textbook}].rule.keys[0]`]));
    }
  });

  it('refuses a kind, field or enum value named as every JavaScript object already is, and says why a name is refused', () => {
    // A record without an optional field `constructor` would still read one (Object.prototype's), and be refused.
    const broken = structuredClone(policy) as any;
    broken.evidenceKinds.constructor = structuredClone(broken.evidenceKinds.textbook);
    broken.evidenceKinds.paper.fields.valueOf = { type: 'integer', min: 0, max: 9, optional: true, label: { zh: '值', en: 'value' } };
    broken.evidenceKinds.paper.fields['bad-name'] = { type: 'text', optional: true, label: { zh: '坏', en: 'bad' } };
    broken.evidenceKinds.textbook.fields.level.values.toString = { zh: '串', en: 'string' };
    try {
      parsePolicy(broken);
      expect.unreachable();
    } catch (error) {
      const issues = (error as ValidationError).issues;
      const objectMember = 'the name is one every JavaScript object already has (constructor, toString, valueOf …); choose another';
      expect(issues).toEqual(
        expect.arrayContaining([
          { path: 'policy.evidenceKinds.constructor', message: objectMember },
          { path: 'policy.evidenceKinds.paper.fields.valueOf', message: objectMember },
          { path: 'policy.evidenceKinds.textbook.fields.level.values.toString', message: objectMember },
          { path: 'policy.evidenceKinds.paper.fields.bad-name', message: 'the name must be letters, digits and _ (at most 64), starting with a lower-case letter' },
        ]),
      );
      // not "a built-in kind": `constructor` is no kind of the registry, only a member of every object
      expect(issues.filter((issue) => issue.path === 'policy.evidenceKinds.constructor')).toHaveLength(1);
    }
  });
});

describe('the example college asks program leaders for a recognised tier instead of a certificate', () => {
  const leader = teacher({ stage: 'program_leader', stageSince: '2018-09-01' });
  const recognition = (validUntil: string, extra: object = {}) => ({ id: 'DQ', teacherId: 't1', kind: 'dual_qualified_recognition', status: 'verified', date: '2022-06-01', tier: 'senior', issuingLevel: 'school', validUntil, ...extra }) as EvidenceRecord;
  const leaf = (records: EvidenceRecord[], asOf = '2026-10-01') => assessProgress({ teacher: leader, records, asOf, policy }).requirements!.children!.find((child) => child.id === 'dual_qualified')!;

  it('a valid senior recognition meets it; a senior certificate, an expired or a pending recognition does not', () => {
    expect(leaf([recognition('2027-05-31')])).toMatchObject({ type: 'dual_qualified_tier', met: true, current: 'senior', required: 'senior' });
    const certificate = { id: 'C', teacherId: 't1', kind: 'certificate', status: 'verified', date: '2020-05-01', certType: 'dual_qualified', level: 'senior' } as EvidenceRecord;
    expect(leaf([certificate]).met).toBe(false);
    expect(leaf([recognition('2026-09-30')])).toMatchObject({ met: false, current: null });
    expect(leaf([recognition('2027-05-31', { status: 'pending' })]).met).toBe(false);
    const gap = assessProgress({ teacher: leader, records: [recognition('2026-09-30')], asOf: '2026-10-01', policy }).gaps.find((g) => g.requirementId === 'dual_qualified')!;
    expect(gap.zh).toContain('有效的高级双师型认定（学校认定，代替证书）');
    expect(gap.zh).toContain('1 项已过期');
  });
});
