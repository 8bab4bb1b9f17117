import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy, scoreAppraisal, ValidationError, type Policy } from '../src/index.js';
import { rec, teacher } from './fixtures.js';

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
    policy.appraisal.categories.teaching.cap = -1;
    policy.shareByRank[1] = 1.5;
    policy.appraisal.grades.bands[2].min = 70;
    expect(issuesOf(policy)).toEqual(expect.arrayContaining(['policy.appraisal.categories.teaching.cap', 'policy.shareByRank[1]', 'policy.appraisal.grades.bands[2].min']));
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
    (policy.appraisal.rules.techTransfer as any).points = 3;
    (policy.appraisal.categories.tech_transfer as any).cap = 40;
    const records = [rec('tech_transfer', { date: '2025-10-01', amountYuan: 200_000, partner: '某公司' })];
    const custom = scoreAppraisal({ teacher: teacher(), records, year: 2025, policy });
    const standard = scoreAppraisal({ teacher: teacher(), records, year: 2025 });
    expect(standard.categories.tech_transfer).toEqual({ raw: 40, capped: 15, cap: 15 });
    expect(custom.categories.tech_transfer).toEqual({ raw: 60, capped: 40, cap: 40 });
  });
});
