import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy, ruleLabel, scoreAppraisal, traceRuleLabel, type EvidenceRecord, type Policy } from '../src/index.js';
import { teacher } from './fixtures.js';

const example: Policy = parsePolicy(JSON.parse(readFileSync(join(__dirname, '../../../docs/policies/example-vocational-college.json'), 'utf8')));
const paperItem = example.appraisal.items!.find((item) => item.id === 'paper')!;

describe('traceRuleLabel: a trace line named by the policy', () => {
  it("names an item's lines by the item's label, a table line with its values' labels, the cap line as the item's cap", () => {
    const paper = (id: string, journalLevel: string, achievement: string) => ({ id, teacherId: 't1', kind: 'paper', status: 'verified', date: '2025-11-20', title: `论文${id}`, journal: '职业技术教育', journalLevel, achievement }) as unknown as EvidenceRecord;
    const result = scoreAppraisal({ teacher: teacher(), records: [paper('P1', 'core', 'A'), paper('P2', 'core', 'B'), paper('P3', 'provincial', 'C')], year: 2025, policy: example });
    const names = result.items.filter((item) => item.rule.startsWith('paper')).map((item) => traceRuleLabel(item.rule, example));
    expect(names).toEqual([
      { zh: `${paperItem.label.zh} · 北大核心/CSSCI`, en: `${paperItem.label.en} · core journal` },
      { zh: `${paperItem.label.zh} · 北大核心/CSSCI`, en: `${paperItem.label.en} · core journal` },
      { zh: `${paperItem.label.zh} · 省级期刊`, en: `${paperItem.label.en} · provincial journal` },
      { zh: `${paperItem.label.zh} · 本项上限`, en: `${paperItem.label.en} · item cap` },
    ]);
    // what ruleLabel alone makes of the same ids: the id's words
    expect(ruleLabel('paper.core').zh).toBe('paper · core');
  });

  it('names a fixed item by its label, and every other rule id as ruleLabel does', () => {
    const policy = structuredClone(defaultPolicy) as any;
    policy.appraisal.items = [{ id: 'mentoring.master', label: { zh: '名师工作室', en: 'master studio' }, category: 'teaching', kinds: ['mentoring'], rule: { type: 'fixed', points: 1 } }];
    const parsed = parsePolicy(policy);
    expect(traceRuleLabel('mentoring.master', parsed)).toEqual({ zh: '名师工作室', en: 'master studio' });
    expect(traceRuleLabel('mentoring.master.cap', parsed)).toEqual(ruleLabel('mentoring.master.cap'));
    for (const rule of ['skill_competition.national.first', 'teaching_workload', 'certificate.dual_qualified.senior']) expect(traceRuleLabel(rule, defaultPolicy)).toEqual(ruleLabel(rule));
  });
});
