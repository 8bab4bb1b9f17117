import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidRecordFast, isValidTeacherFast, recordSchema, teacherCategories, teacherCategoryOf, teacherSchema, type Teacher } from '../src/records.js';
import { bodyArb, statusArb, teachersArb } from './arbitraries.js';

const recordArb = (teacherId: string) => fc.tuple(statusArb, bodyArb()).map(([status, body]) => ({ id: 'r1', teacherId, status, ...body }));

/**
 * The fast record check must never accept what zod rejects, and must accept valid records as zod outputs
 * them (else the fast path would be pointless). Mutations cover every field with wrong types, out-of-range
 * numbers, impossible dates, untrimmed or empty text, unknown keys and missing keys.
 */
const nasty = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.constant(' x'),
  fc.constant('x '),
  fc.constant('　全角空格'),
  fc.constant('2025-02-29'),
  fc.constant('2024-02-29'),
  fc.constant('2025-13-01'),
  fc.constant('2025-1-01'),
  fc.constant('0000-01-01'),
  fc.constant('2000-01-01'),
  fc.constant(-5),
  // just past each numeric bound of the schemas
  fc.constantFrom(100.5, 101, 10_000.5, 10_001, 100_000.5, 1_000_001, 1899, 3000, 1000.5, -0.5),
  fc.constant('9999-12-31'),
  fc.constant('x'.repeat(501)),
  fc.constant('x'.repeat(129)),
  fc.constant(-1),
  fc.constant(0),
  fc.constant(0.5),
  fc.constant(1),
  fc.constant(1.5),
  fc.constant(1000),
  fc.constant(1001),
  fc.constant(10_000_000_001),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant(2 ** 53),
  fc.constant([]),
  fc.constant(['ok', ' bad']),
  fc.constant({}),
  fc.constantFrom('verified', 'pending', 'national', 'first', 'mentor', 'passed', 'junior', 'invention', 'worksheet', 'coach', 'dual_qualified'),
  fc.string(),
  fc.double(),
  fc.integer(),
);

describe('fast record check', () => {
  it('accepts every valid record exactly when zod accepts it unchanged', () => {
    fc.assert(
      fc.property(recordArb('t1'), (record) => {
        const parsed = recordSchema.safeParse(record);
        expect(parsed.success).toBe(true);
        if (isValidRecordFast(record)) expect(parsed.data).toEqual(record);
        else expect(parsed.data).not.toStrictEqual(record); // only records zod would change may take the slow path
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts a record zod rejects: every field of each record against every boundary value', () => {
    const boundaries: unknown[] = [
      undefined,
      null,
      '',
      ' x',
      'x ',
      '　x',
      '2025-02-29',
      '2024-02-29',
      '2025-13-01',
      '2025-1-01',
      '0000-01-01',
      '2000-01-01',
      '9999-12-31',
      'x'.repeat(501),
      'x'.repeat(129),
      -5,
      -1,
      -0.5,
      0,
      0.5,
      1,
      1.5,
      100.5,
      101,
      1000.5,
      1001,
      1899,
      3000,
      10_000.5,
      10_001,
      100_000.5,
      1_000_001,
      10_000_000_001,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 53,
      [],
      ['ok', ' bad'],
      {},
      'verified',
      'national',
      'first',
    ];
    fc.assert(
      fc.property(recordArb('t1'), (record) => {
        for (const field of [...Object.keys(record), 'end', 'topics', 'rank', 'share', 'satisfaction', 'unknownField']) {
          for (const value of boundaries) {
            const mutated: Record<string, unknown> = { ...record, [field]: value };
            if (isValidRecordFast(mutated)) expect(recordSchema.safeParse(mutated).success, `${field} = ${String(value)} in ${JSON.stringify(record)}`).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never accepts a record zod rejects: random multi-field mutations', () => {
    const optionalFields = ['end', 'topics', 'rank', 'share', 'satisfaction', 'unknownField'];
    fc.assert(
      fc.property(recordArb('t1'), fc.array(fc.tuple(fc.nat(), nasty), { minLength: 1, maxLength: 3 }), fc.boolean(), (record, mutations, drop) => {
        const mutated: Record<string, unknown> = { ...record };
        // Mostly the record's own fields (kind-specific checks), sometimes optional or unknown ones.
        const fields = [...Object.keys(record).filter((key) => key !== 'kind'), ...optionalFields];
        for (const [pick, value] of mutations) {
          const field = fields[pick % fields.length]!;
          if (drop && value === undefined) delete mutated[field];
          else mutated[field] = value;
        }
        const zodAccepts = recordSchema.safeParse(mutated).success;
        if (isValidRecordFast(mutated)) expect(zodAccepts, JSON.stringify(mutated)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('fast teacher check', () => {
  it('agrees with the teacher schema on every field against every boundary value', () => {
    const boundaries: unknown[] = [undefined, null, '', ' x', 'x ', 'x'.repeat(129), 'x'.repeat(501), '2025-02-29', '2024-02-29', '2025-13-01', 0, 1, [], {}, 'new_teacher', 'professor', 'chief', 'specialised', 'public_basic', 'practical_guidance'];
    fc.assert(
      fc.property(teachersArb, (teachers) => {
        for (const teacher of teachers) {
          expect(isValidTeacherFast(teacher)).toBe(true);
          for (const field of [...Object.keys(teacher), 'category', 'unknownField']) {
            for (const value of boundaries) {
              const mutated = { ...teacher, [field]: value };
              if (isValidTeacherFast(mutated)) expect(teacherSchema.safeParse(mutated).success, `${field} = ${String(value)}`).toBe(true);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('hasDuplicate', () => {
  it('finds a repeated id among many, and none where all differ', async () => {
    const { hasDuplicate } = await import('../src/ids.js');
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3000 }), (ids) => {
        expect(hasDuplicate(ids)).toBe(new Set(ids).size !== ids.length);
      }),
      { numRuns: 300 },
    );
    const many = Array.from({ length: 200_000 }, (_, index) => `T${String(index >> 6).padStart(6, '0')}-${index & 63}`);
    expect(hasDuplicate(many)).toBe(false);
    expect(hasDuplicate([...many, many[123_456]!])).toBe(true);
    expect(hasDuplicate([many[199_999]!, ...many])).toBe(true); // first and last
    expect(hasDuplicate([])).toBe(false);
    expect(hasDuplicate(['', ''])).toBe(true);
  });
});

describe('teacher category', () => {
  const base = { id: 't1', name: '甲', unit: '基础部', hireDate: '2020-09-01', stage: 'new_teacher', stageSince: '2020-09-01', title: 'assistant', titleSince: '2020-09-01' };
  it('is optional, one of three, and a teacher without one is specialised', () => {
    expect(teacherSchema.safeParse(base).success).toBe(true);
    for (const category of teacherCategories) {
      expect(isValidTeacherFast({ ...base, category })).toBe(true);
      expect(teacherCategoryOf({ ...base, category } as Teacher)).toBe(category);
    }
    expect(teacherSchema.safeParse({ ...base, category: 'administrative' }).success).toBe(false);
    expect(isValidTeacherFast({ ...base, category: 'administrative' })).toBe(false);
    expect(teacherCategoryOf(base as Teacher)).toBe('specialised');
  });
});
