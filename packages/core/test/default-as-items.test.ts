import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the benchmark, without types
import { generateCollege } from '../bench/generate.mjs';
import { appraiseAll, parsePolicy, type EvidenceRecord, type Teacher } from '../src/index.js';
import { defaultAsItems, storedWithRules } from './stored-defaults.js';

/**
 * The default policy is written as scoring items (issue 9 §3: "the default policy is re-expressed in this form").
 * Policies stored before that have fifteen named rules (`appraisal.rules`); parsePolicy reads them as the same
 * items. test/data/default-2026-rules.json is the default policy as it was stored then, word for word: read
 * today, it must be the default as the items it became (test/data/default-2026-items.json), and give every teacher
 * the same totals, grades, categories, pending totals and trace lines, in the same order.
 */
const stored = storedWithRules();

describe('the default policy stored with named rules', () => {
  it('is the older shape: named rules and no items', () => {
    expect(Object.keys(stored.appraisal.rules)).toHaveLength(15);
    expect(stored.appraisal.items).toBeUndefined();
  });

  it('reads as the default policy, its items included', () => {
    const upgraded = parsePolicy(stored);
    expect(upgraded).toEqual(defaultAsItems);
    expect('rules' in upgraded.appraisal).toBe(false);
  });

  for (const seed of [1, 7, 2025]) {
    it(`scores a generated college (seed ${seed}) exactly as the default policy does`, () => {
      // A copy whose version differs, so it is its own parsed policy (and its own compiled rules).
      const policy = parsePolicy({ ...structuredClone(stored), version: 'default-2026-as-stored' });
      const { teachers, records } = generateCollege({ teachers: 120, recordsPerTeacher: 60, years: 2, seed, lastYear: 2025 }) as { teachers: Teacher[]; records: EvidenceRecord[] };
      const seen = new Set<string>();
      for (const year of [2024, 2025]) {
        const expected = appraiseAll({ teachers, records, year, policy: defaultAsItems });
        const actual = appraiseAll({ teachers, records, year, policy });
        expect(expected.some((result) => result.pending.recordIds.length > 0)).toBe(true); // pending records take part
        actual.forEach((result, index) => {
          const want = expected[index]!;
          expect({ total: result.total, grade: result.grade, finalGrade: result.finalGrade, categories: result.categories, pending: result.pending, items: result.items }).toEqual({
            total: want.total,
            grade: want.grade,
            finalGrade: want.finalGrade,
            categories: want.categories,
            pending: want.pending,
            items: want.items,
          });
          for (const line of result.items) if (line.points > 0) seen.add(policy.appraisal.items.find((item) => line.rule === item.id || line.rule.startsWith(`${item.id}.`))!.id);
        });
      }
      // Every item took part with points (so a wrong number in any of them would show).
      expect([...seen].sort()).toEqual(policy.appraisal.items.map((item) => item.id).sort());
    });
  }
});
