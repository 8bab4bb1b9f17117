import { describe, expect, it } from 'vitest';
import { ruleLabel } from '../src/labels.js';
import { itemsOfRules, type LegacyRules } from '../src/scoring/legacy-rules.js';
import { scoringItemSchema } from '../src/scoring/schema.js';
import { parsePolicy } from '../src/index.js';
import { defaultAsItems, storedWithRules } from './stored-defaults.js';

/** The default policy's named rules, as the policy was stored in the older shape (test/data). */
const rules: LegacyRules = storedWithRules().appraisal.rules;

describe('itemsOfRules: the named rules as scoring items', () => {
  const items = itemsOfRules(rules);

  it('gives one item per rule, in the order of the printed table, the line items in their trace order', () => {
    expect(items.map((item) => item.id)).toEqual([
      'teaching_workload',
      'teaching_evaluation',
      'teaching_resource',
      'teaching_reform_project',
      'mentoring.mentor_passed',
      'practice_days',
      'skill_competition',
      'certificate',
      'international_training_days',
      'horizontal_project',
      'patent',
      'tech_transfer',
      'enterprise_training',
      'technical_service',
    ]);
    const lineItems = ['saturating_sum', 'mean', 'practice_days', 'distinct_days'];
    expect(items.filter((item) => lineItems.includes(item.rule.type)).map((item) => item.id)).toEqual(['teaching_workload', 'teaching_evaluation', 'practice_days', 'international_training_days']);
  });

  it('writes each rule as its item: kinds, rule type, numbers, filters and limits', () => {
    const byId = Object.fromEntries(items.map((item) => [item.id, item]));
    expect(byId.teaching_workload).toMatchObject({ category: 'teaching', kinds: ['teaching_workload'], rule: { type: 'saturating_sum', field: 'hours', full: 280, points: 15 } });
    expect(byId.teaching_evaluation).toMatchObject({ category: 'teaching', kinds: ['teaching_evaluation'], rule: { type: 'mean', field: 'score', factor: 0.1 } });
    expect(byId.teaching_resource!.rule).toEqual({ type: 'table', keys: ['resourceType'], points: { worksheet: 1, slides: 1, micro_lecture: 2, question_bank: 2 } });
    expect(byId.teaching_reform_project!.rule).toEqual({ type: 'table', keys: ['level'], points: { national: 10, provincial: 6, municipal: 3, school: 1 } });
    expect(byId['mentoring.mentor_passed']).toMatchObject({
      kinds: ['mentoring'],
      where: [
        { field: 'role', in: ['mentor'] },
        { field: 'outcome', in: ['passed'] },
      ],
      scoredOn: 'end',
      rule: { type: 'fixed', points: 3 },
    });
    expect(byId.skill_competition!.rule).toEqual({ type: 'table', keys: ['level', 'award'], points: rules.skillCompetition.points });
    const levels = { junior: 1, intermediate: 3, senior: 5 };
    expect(byId.certificate).toMatchObject({ category: 'engineering_practice', shareWeighted: false, rule: { type: 'table', keys: ['certType', 'level'], points: { dual_qualified: levels, vocational: levels, one_plus_x: levels } } });
    expect(byId.practice_days).toMatchObject({ category: 'engineering_practice', kinds: ['enterprise_practice'], rule: { type: 'practice_days', pointsPerDay: 0.25 } });
    expect(byId.international_training_days).toMatchObject({ kinds: ['international_training'], rule: { type: 'distinct_days', pointsPerDay: 0.2 } });
    expect(byId.horizontal_project).toMatchObject({ category: 'technical_innovation', rule: { type: 'per_amount', amount: ['amountYuan'], per: 10000, points: 1 } });
    expect(byId.tech_transfer).toMatchObject({ category: 'tech_transfer', rule: { type: 'per_amount', amount: ['amountYuan'], per: 10000, points: 2 } });
    const satisfaction = {
      field: 'satisfaction',
      bands: [
        { min: 90, factor: 1 },
        { min: 80, factor: 0.9 },
      ],
      below: 0.7,
      absent: 1,
    };
    expect(byId.enterprise_training).toMatchObject({ category: 'enterprise_service', factor: satisfaction, rule: { type: 'per_amount', amount: ['trainees', 'hours'], per: 40, points: 1 } });
    expect(byId.technical_service).toMatchObject({ category: 'enterprise_service', factor: satisfaction, rule: { type: 'per_amount', amount: ['amountYuan'], per: 10000, points: 1 } });
    for (const item of items) expect(scoringItemSchema.safeParse(item).success, item.id).toBe(true);
  });

  it('labels each item as its trace lines are shown', () => {
    for (const item of items) expect(item.label).toEqual(ruleLabel(item.id));
    expect(items.find((item) => item.id === 'mentoring.mentor_passed')!.label).toEqual({ zh: '青蓝工程结对 · 师傅（徒弟已出师）', en: 'mentoring pairing · mentor, mentee passed' });
    expect(items.find((item) => item.id === 'practice_days')!.label).toEqual({ zh: '企业实践天数', en: 'enterprise practice days' });
  });

  it('follows the rules it is given, and neither changes nor shares them', () => {
    const mine = structuredClone(rules) as LegacyRules;
    mine.teachingReform.points.national = 12;
    mine.patent.category = 'teaching';
    mine.satisfaction.bands[0]!.factor = 0.95;
    const before = structuredClone(mine);
    const converted = itemsOfRules(mine);
    expect(mine).toEqual(before);
    const byId = Object.fromEntries(converted.map((item) => [item.id, item]));
    expect(byId.teaching_reform_project!.rule).toMatchObject({ points: { national: 12 } });
    expect(byId.patent!.category).toBe('teaching');
    expect(byId.technical_service!.factor!.bands[0]).toEqual({ min: 90, factor: 0.95 });
    // Nothing of the input is shared: changing an item leaves the rules as they were.
    (byId.teaching_resource!.rule as { points: Record<string, number> }).points.slides = 9;
    byId.enterprise_training!.factor!.bands.pop();
    expect(mine).toEqual(before);
    expect(byId.technical_service!.factor!.bands).toHaveLength(2);
  });

  it('gives the default policy’s items from the rules it was stored with', () => {
    expect(items).toEqual(defaultAsItems.appraisal.items);
    const raw = JSON.parse(JSON.stringify(defaultAsItems));
    raw.version = 'items-of-rules';
    raw.appraisal.items = items;
    expect(parsePolicy(raw).appraisal.items).toEqual(defaultAsItems.appraisal.items);
  });
});
