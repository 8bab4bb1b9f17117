import type { Bilingual } from './evidence/fields.js';
import { ruleLabel } from './labels.js';
import type { Policy } from './policy.js';
import { registryOf } from './records.js';
import type { PointsTable } from './scoring/schema.js';

/** What an item's `<id>.cap` line is called after the item's label. */
const CAP: Bilingual = { zh: '本项上限', en: 'item cap' };

const namesByPolicy = new WeakMap<Policy, Map<string, Bilingual>>();

/**
 * The name of a trace line's rule under a policy, as a page or an export shows it. A line of the policy's own
 * scoring items is named by the item's label: a `table` item's lines add the labels of the values they were looked
 * up by (the kinds' enum labels), and an item's `<id>.cap` line adds 本项上限 / item cap. Any other rule id is named
 * by `ruleLabel`. The names of one policy object are worked out once.
 * @example
 * ```ts
 * // an item { id: 'paper', label: { zh: '论文', en: 'papers' }, rule: { type: 'table', keys: ['journalLevel'], … }, cap: 6 }
 * traceRuleLabel('paper.core', policy); // { zh: '论文 · 北大核心/CSSCI', en: 'papers · core journal' }
 * traceRuleLabel('paper.cap', policy); // { zh: '论文 · 本项上限', en: 'papers · item cap' }
 * traceRuleLabel('teaching_workload', policy); // { zh: '教学工作量', en: 'teaching workload' } (ruleLabel's)
 * ```
 */
export function traceRuleLabel(rule: string, policy: Policy): Bilingual {
  let names = namesByPolicy.get(policy);
  if (names === undefined) {
    names = itemLineNames(policy);
    namesByPolicy.set(policy, names);
  }
  let name = names.get(rule);
  if (name === undefined) names.set(rule, (name = ruleLabel(rule))); // rule ids are the policy's: a bounded set
  return name;
}

/** Every trace rule id the policy's items can write, with its name. */
function itemLineNames(policy: Policy): Map<string, Bilingual> {
  const names = new Map<string, Bilingual>();
  const items = policy.appraisal.items ?? [];
  if (items.length === 0) return names;
  const registry = registryOf(policy);
  const join = (parts: readonly Bilingual[]): Bilingual => ({ zh: parts.map((part) => part.zh).join(' · '), en: parts.map((part) => part.en).join(' · ') });
  for (const item of items) {
    const rule = item.rule;
    if (rule.type === 'table') {
      // a value by the label the first of the item's kinds that has the field as an enum gives it
      const valueLabel = (field: string, value: string): Bilingual => {
        for (const kind of item.kinds) {
          const spec = registry.kind(kind)?.fields.find(([name]) => name === field)?.[1];
          if (spec?.type === 'enum' && spec.values[value] !== undefined) return spec.values[value];
        }
        return { zh: value, en: value };
      };
      const walk = (table: number | PointsTable, path: string[]) => {
        if (typeof table === 'number') {
          if (path.length === rule.keys.length) names.set([item.id, ...path].join('.'), join([item.label, ...path.map((value, at) => valueLabel(rule.keys[at]!, value))]));
          return;
        }
        for (const [value, entry] of Object.entries(table)) walk(entry, [...path, value]);
      };
      walk(rule.points, []);
    } else names.set(item.id, item.label);
    if (item.cap !== undefined) names.set(`${item.id}.cap`, join([item.label, CAP]));
  }
  return names;
}
