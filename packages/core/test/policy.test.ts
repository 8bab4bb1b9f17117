import { describe, expect, it } from 'vitest';
import { builtinKinds, defaultPolicy, parsePolicy, scoreAppraisal, ValidationError, type Policy } from '../src/index.js';
import { applyExcellenceQuota, appraiseAll, categoryIds } from '../src/index.js';
import { practice, rec, teacher } from './fixtures.js';
import { defaultAsItems, storedWithRules } from './stored-defaults.js';

function clone(): any {
  return structuredClone(defaultPolicy) as any;
}
function issuesOf(input: unknown): string[] {
  try {
    parsePolicy(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((issue) => issue.path);
  }
  throw new Error('expected a ValidationError');
}

describe('parsePolicy', () => {
  it('accepts the default policy unchanged', () => {
    expect(parsePolicy(structuredClone(defaultPolicy))).toEqual(defaultPolicy);
  });

  it('answers a ValidationError, not a TypeError, for a policy that is not an object (undefined, null, a number)', () => {
    for (const input of [undefined, null, 42, 'policy']) expect(issuesOf(input)).toEqual(['policy']);
  });

  it('names each bad path', () => {
    const policy = clone();
    policy.appraisal.categories[0].cap = -1;
    policy.shareByRank[1] = 1.5;
    policy.appraisal.grades.bands[2].min = 70;
    expect(issuesOf(policy)).toEqual(expect.arrayContaining(['policy.appraisal.categories[0].cap', 'policy.shareByRank[1]', 'policy.appraisal.grades.bands[2].min']));
  });

  it('rejects a zero share, unknown record kinds in requirements and an empty any_of', () => {
    const policy = clone();
    policy.shareByRank[0] = 0;
    policy.growth.transitions.new_teacher.children[5].kinds = ['lesson_plan'];
    policy.growth.transitions.backbone_teacher.children[4].children = [];
    const paths = issuesOf(policy);
    expect(paths).toContain('policy.shareByRank[0]');
    expect(paths).toContain('policy.growth.transitions.new_teacher.children[5].kinds[0]');
    expect(paths).toContain('policy.growth.transitions.backbone_teacher.children[4].children');
  });

  it('rejects a filter on a field the record kind does not have', () => {
    const policy = clone();
    policy.growth.transitions.new_teacher.children[5].where = [{ field: 'amountYuan', in: [1] }];
    expect(issuesOf(policy)).toContain('policy.growth.transitions.new_teacher.children[5].where[0].field');
  });

  it('results follow the policy: no number of the default is embedded in logic', () => {
    const policy: Policy = clone();
    (policy.appraisal.items.find((item) => item.id === 'tech_transfer')!.rule as any).points = 3;
    (policy.appraisal.categories.find((category) => category.id === 'tech_transfer') as any).cap = 40;
    const records = [rec('tech_transfer', { date: '2025-10-01', amountYuan: 200_000, partner: '某公司' })];
    const custom = scoreAppraisal({ teacher: teacher(), records, year: 2025, policy });
    const standard = scoreAppraisal({ teacher: teacher(), records, year: 2025 });
    expect(standard.categories.tech_transfer).toEqual({ raw: 40, capped: 15, cap: 15 });
    expect(custom.categories.tech_transfer).toEqual({ raw: 60, capped: 40, cap: 40 });
  });
});

describe('categories: one list of the policy', () => {
  /** The policy as stored before categories were a list: five fixed keys, and `extraCategories` for more. */
  function legacy(extra?: Record<string, unknown>): any {
    const policy = clone();
    policy.appraisal.categories = Object.fromEntries(policy.appraisal.categories.map(({ id, ...category }: any) => [id, category]));
    delete policy.appraisal.excellenceQuota.tieBreak;
    if (extra) policy.appraisal.extraCategories = extra;
    return policy;
  }

  it('lists the five categories of the default policy in order, with the tie-break of the quota as data', () => {
    expect(defaultPolicy.appraisal.categories.map((category) => category.id)).toEqual([...categoryIds]);
    expect(defaultPolicy.appraisal.excellenceQuota.tieBreak).toEqual(['tech_transfer', 'enterprise_service']);
  });

  it('reads a policy stored in the older shape (fixed keys, extraCategories, no tie-break) as the same list', () => {
    expect(parsePolicy(legacy())).toEqual(defaultPolicy);
    // keys in any order: the built-in ones keep their fixed order, extra ones follow
    const shuffled = legacy({ research: { cap: 12, label: { zh: '科研成果', en: 'Research' } } });
    shuffled.appraisal.categories = Object.fromEntries(Object.entries(shuffled.appraisal.categories).reverse());
    const parsed = parsePolicy(shuffled);
    expect(parsed.appraisal.categories.map((category) => category.id)).toEqual([...categoryIds, 'research']);
    expect(parsed.appraisal.categories.at(-1)).toEqual({ id: 'research', cap: 12, label: { zh: '科研成果', en: 'Research' } });
    expect('extraCategories' in parsed.appraisal).toBe(false);
  });

  it('names duplicate ids, items on a category the list lacks and an unknown tie-break category, all at once', () => {
    const policy = clone();
    policy.appraisal.categories.push({ id: 'teaching', cap: 1, label: { zh: '重复', en: 'again' } });
    const patent = policy.appraisal.items.findIndex((item: { id: string }) => item.id === 'patent');
    policy.appraisal.items[patent].category = 'research';
    policy.appraisal.excellenceQuota.tieBreak = ['enterprise_service', 'research'];
    expect(issuesOf(policy)).toEqual(expect.arrayContaining(['policy.appraisal.categories[5].id', `policy.appraisal.items[${patent}].category`, 'policy.appraisal.excellenceQuota.tieBreak[1]']));
  });

  it('renames, reorders and drops categories as data: results follow the list', () => {
    const policy = clone();
    const [teaching, engineering, innovation, transfer, service] = policy.appraisal.categories;
    policy.appraisal.categories = [{ ...innovation, id: 'research', label: { zh: '科研', en: 'Research' }, cap: 30 }, teaching, engineering, transfer, service];
    for (const item of policy.appraisal.items) if (item.id === 'horizontal_project' || item.id === 'patent') item.category = 'research';
    const records = [rec('patent', { date: '2025-10-01', patentType: 'invention' }), rec('patent', { id: 'p2', date: '2025-11-01', patentType: 'invention' })];
    const result = scoreAppraisal({ teacher: teacher(), records, year: 2025, policy: parsePolicy(policy) });
    expect(Object.keys(result.categories)).toEqual(['research', 'teaching', 'engineering_practice', 'tech_transfer', 'enterprise_service']);
    expect(result.categories.research).toEqual({ raw: 12, capped: 12, cap: 30 });
    expect(result.items.map((item) => item.category)).toEqual(['research', 'research']);
  });

  it('breaks quota ties by the tie-break categories of the policy', () => {
    // Two teachers of one unit, equal totals: one by technology transfer, one by enterprise practice days.
    const teachers = [teacher({ id: 'a', unit: 'u' }), teacher({ id: 'b', unit: 'u' })];
    const records = [
      rec('tech_transfer', { id: 'x1', teacherId: 'a', date: '2025-10-01', amountYuan: 300_000, partner: '某公司' }),
      rec('skill_competition', { id: 'x2', teacherId: 'a', date: '2025-10-02', level: 'national', award: 'first', role: 'contestant' }),
      practice('2025-10-01', '2025-11-29', { id: 'x3', teacherId: 'a' }),
      rec('horizontal_project', { id: 'y1', teacherId: 'b', date: '2025-10-01', amountYuan: 150_000, partner: '某公司' }),
      rec('skill_competition', { id: 'y2', teacherId: 'b', date: '2025-10-02', level: 'national', award: 'first', role: 'contestant' }),
      practice('2025-10-01', '2025-11-29', { id: 'y3', teacherId: 'b' }),
      rec('teaching_reform_project', { id: 'y4', teacherId: 'b', date: '2025-10-03', level: 'national' }),
      rec('teaching_reform_project', { id: 'x4', teacherId: 'a', date: '2025-10-03', level: 'national' }),
      rec('technical_service', { id: 'x5', teacherId: 'a', date: '2025-10-04', amountYuan: 150_000, partner: '某公司' }),
      rec('technical_service', { id: 'y5', teacherId: 'b', date: '2025-10-04', amountYuan: 150_000, partner: '某公司' }),
    ];
    const byDefault = appraiseAll({ teachers, records, year: 2025 });
    expect(byDefault.map((result) => result.total)).toEqual([60, 60]);
    expect(byDefault.map((result) => result.grade)).toEqual(['excellent', 'excellent']);
    expect(byDefault.map((result) => result.finalGrade)).toEqual(['excellent', 'competent']);
    const policy = clone();
    policy.appraisal.excellenceQuota.tieBreak = ['technical_innovation'];
    const byInnovation = appraiseAll({ teachers, records, year: 2025, policy: parsePolicy(policy) });
    expect(byInnovation.map((result) => result.finalGrade)).toEqual(['competent', 'excellent']);
    expect(
      applyExcellenceQuota(
        byDefault.map((appraisal) => ({ appraisal, unit: 'u' })),
        parsePolicy(policy),
      ).map((result) => result.finalGrade),
    ).toEqual(['competent', 'excellent']);
  });
});

describe('scoring items: each trace rule id is written by one item only', () => {
  const label = { zh: '项', en: 'item' };
  const table = { id: 'certificate', label, category: 'engineering_practice', kinds: ['certificate'], rule: { type: 'table', keys: ['certType', 'level'], points: { vocational: { senior: 5, junior: 1 }, one_plus_x: { senior: 4 } } } };
  const fixed = (id: string, extra: Record<string, unknown> = {}) => ({ id, label, category: 'engineering_practice', kinds: ['certificate'], rule: { type: 'fixed', points: 2 }, ...extra });
  function problems(items: unknown[]): { path: string; message: string }[] {
    const policy = clone();
    policy.appraisal.items = items;
    try {
      parsePolicy(policy);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues;
    }
    return [];
  }

  it('refuses a dotted item that writes a path of a table item, naming the other item, with the other problems at once', () => {
    const issues = problems([table, fixed('patent.x', { category: 'nonsense' }), fixed('certificate.vocational.senior'), fixed('certificate.one_plus_x.junior')]);
    expect(issues.map((issue) => issue.path).sort()).toEqual(['policy.appraisal.items[1].category', 'policy.appraisal.items[2].id']);
    expect(issues.find((issue) => issue.path === 'policy.appraisal.items[2].id')?.message).toMatch(/"certificate\.vocational\.senior".*item "certificate" \(appraisal\.items\[0\]\)/);
    // the other order: the table item comes later and is the one reported
    const reversed = problems([fixed('certificate.vocational.senior'), table]);
    expect(reversed.map((issue) => issue.path)).toEqual(['policy.appraisal.items[1].id']);
    expect(reversed[0]!.message).toContain('item "certificate.vocational.senior" (appraisal.items[0])');
  });

  it("refuses an item whose id is another item's cap line, and a table path equal to its own cap line", () => {
    expect(problems([fixed('paper', { cap: 6 }), fixed('paper.cap')]).map((issue) => issue.path)).toEqual(['policy.appraisal.items[1].id']);
    const own = problems([{ ...table, rule: { type: 'table', keys: ['level'], points: { cap: 1, senior: 2 } }, cap: 6 }]);
    expect(own.map((issue) => issue.path)).toEqual(['policy.appraisal.items[0].id']);
    expect(own[0]!.message).toContain('"certificate.cap"');
  });

  it('accepts ids that cannot meet: a table path at another depth than its keys writes no line, and a duplicate id is reported once', () => {
    expect(problems([{ ...table, rule: { type: 'table', keys: ['certType'], points: { vocational: { senior: 5 } } } }, fixed('certificate.vocational.senior'), fixed('paper', { cap: 6 })])).toEqual([]);
    expect(problems([fixed('paper', { cap: 6 }), fixed('paper', { cap: 6 })]).map((issue) => issue.message)).toEqual(['duplicate item id "paper"']);
  });
});

describe('named rules: policies stored before the default was scoring items', () => {
  /** The default policy as it was stored with fifteen named rules (`appraisal.rules`) and no items. */
  const stored = storedWithRules;
  const issues = (input: unknown) => {
    try {
      parsePolicy(input);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues;
    }
    throw new Error('expected a ValidationError');
  };

  it('reads the rules as the items they are, first, then the policy’s own, without changing the input', () => {
    const input = stored();
    const own = { id: 'paper_bonus', label: { zh: '奖励', en: 'bonus' }, category: 'teaching', kinds: ['teaching_resource'], rule: { type: 'fixed', points: 1 } };
    input.appraisal.items = [own];
    input.appraisal.rules.techTransfer.points = 3;
    const before = structuredClone(input);
    const policy = parsePolicy(input);
    expect(input).toEqual(before);
    expect(policy.appraisal.items.map((item) => item.id)).toEqual([...defaultAsItems.appraisal.items.map((item) => item.id), 'paper_bonus']);
    expect(policy.appraisal.items.find((item) => item.id === 'tech_transfer')!.rule).toEqual({ type: 'per_amount', amount: ['amountYuan'], per: 10000, points: 3 });
    expect('rules' in policy.appraisal).toBe(false);
  });

  it('reads the older categories, vetoes and rules together', () => {
    const input = stored();
    input.appraisal.categories = Object.fromEntries(input.appraisal.categories.map(({ id, ...category }: any) => [id, category]));
    input.appraisal.vetoes = { ethicsViolation: { grade: 'incompetent' }, practiceNoncompliant: { maxGrade: 'competent' } };
    expect(parsePolicy(input)).toEqual(defaultAsItems);
  });

  it('names a bad rule at its stored path, with every other problem at once', () => {
    const input = stored();
    input.appraisal.rules.teachingReform.points.national = -1;
    delete input.appraisal.rules.mentoring;
    input.shareByRank[0] = 0;
    input.appraisal.items = [{ id: 'mine', label: { zh: '我的', en: 'mine' }, category: 'nowhere', kinds: ['teaching_resource'], rule: { type: 'fixed', points: 1 } }];
    expect(issues(input).map((issue) => issue.path)).toEqual(expect.arrayContaining(['policy.appraisal.rules.teachingReform.points.national', 'policy.appraisal.rules.mentoring', 'policy.shareByRank[0]', 'policy.appraisal.items[0].category']));
  });

  it('names a rule on a category the list lacks by its rule, and an own item by its stored index', () => {
    const input = stored();
    input.appraisal.rules.patent.category = 'research';
    input.appraisal.items = [
      { id: 'fine', label: { zh: '可以', en: 'fine' }, category: 'teaching', kinds: ['teaching_resource'], rule: { type: 'fixed', points: 1 } },
      { id: 'bad', label: { zh: '不行', en: 'bad' }, category: 'teaching', kinds: ['teaching_resource'], rule: { type: 'table', keys: ['title'], points: { a: 1 } } },
    ];
    expect(
      issues(input)
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(['policy.appraisal.items[1].rule.keys[0]', 'policy.appraisal.rules.patent.category']);
  });

  it('refuses an own item whose id is that of an item the rules are read as, naming the field', () => {
    const input = stored();
    input.appraisal.items = [
      { id: 'mine', label: { zh: '我的', en: 'mine' }, category: 'teaching', kinds: ['teaching_resource'], rule: { type: 'fixed', points: 1 } },
      { id: 'patent', label: { zh: '专利', en: 'patent' }, category: 'technical_innovation', kinds: ['patent'], rule: { type: 'fixed', points: 1 } },
    ];
    expect(issues(input)).toEqual([{ path: 'policy.appraisal.items[1].id', message: 'duplicate item id "patent": appraisal.rules.patent is read as an item of that id' }]);
  });
});

describe('the default policy scores every built-in kind that is an achievement', () => {
  it('names each built-in kind in an item, but the vetoed, recognised and exempting ones', () => {
    // A new built-in kind without an item would score nothing, silently: this list has to be changed with it.
    const scored = new Set(defaultPolicy.appraisal.items.flatMap((item) => item.kinds));
    expect(Object.keys(builtinKinds).filter((kind) => !scored.has(kind))).toEqual(['practice_exemption', 'dual_qualified_recognition', 'ethics_violation']);
  });
});
