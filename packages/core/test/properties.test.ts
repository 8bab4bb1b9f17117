/**
 * Property-based tests for @shizi/core (SPEC §3, §4, §8). Arbitraries live in ./arbitraries.ts.
 *
 * Normalised form used by the shuffle properties: results are compared with toEqual after
 *   - every array held under a key named `recordIds` or `pendingRecordIds` (trace items, practice status,
 *     veto trace, pending) is sorted — those lists follow input order by design;
 *   - the `items` trace array is sorted by its JSON text — per-record lines are emitted in record order.
 * Nothing else is reordered: totals, categories, grades, vetoes, quota positions, growth requirement trees and
 * gaps, and the title-review list (whose order SPEC §6 defines) must be identical.
 *
 * "At most two decimals" is checked on the shortest string form of the number (`/^\d+(\.\d{1,2})?$/`) plus
 * `Math.round(x * 100) / 100 === x`; the literal `Math.round(x * 100) === x * 100` would reject correct values
 * such as 0.29 (0.29 * 100 === 28.999999999999996).
 *
 * Default run counts keep the file at a few seconds; PROPS_SCALE=20 multiplies them for a longer hunt.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  applyExcellenceQuota,
  appraiseAll,
  assessProgress,
  dateOfDay,
  dayNumber,
  rankTitleReview,
  categoryIds,
  defaultPolicy,
  evaluatePractice,
  grades,
  parsePolicy,
  recordKinds,
  scoreAppraisal,
  ValidationError,
  type Appraisal,
  type EvidenceRecord,
  type Grade,
  type Policy,
  type Requirement,
  type Teacher,
  type Title,
} from '../src/index.js';
import { oracleAppraisal, oraclePractice } from './oracle.js';
import { bodyArb, collegeArb, statusArb, dateArb, recordKindsAll, recordsArb, shuffled, teachersArb, yearArb } from './arbitraries.js';

/** PROPS_SCALE=20 npx vitest run test/properties.test.ts (from packages/core) — a longer hunt. */
const SCALE = Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.PROPS_SCALE ?? 1);
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)) });
const RUNS = runs(150);
vi.setConfig({ testTimeout: Math.max(10_000, 20_000 * SCALE) });

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'recordIds' || key === 'pendingRecordIds') && Array.isArray(child)) out[key] = [...child].sort();
    else if (key === 'items' && Array.isArray(child)) out[key] = child.map(normalise).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    else out[key] = normalise(child);
  }
  return out;
}

/** At most two decimals, read from the number's shortest spelling (and it is the double nearest to that). */
function twoDecimals(x: number): boolean {
  return /^-?\d+(\.\d{1,2})?$/.test(String(x)) && Math.round(x * 100) / 100 === x;
}
const h = (x: number) => Math.round(x * 100);

const nextTitle: Record<Title, Title> = { assistant: 'lecturer', lecturer: 'associate_professor', associate_professor: 'professor', professor: 'professor' };
/** Every teacher applies for the next title (a professor for 'professor' again: not the next title, so ineligible). */
function candidatesOf(teachers: readonly Teacher[], records: readonly EvidenceRecord[]) {
  return teachers.map((teacher) => ({ teacher, records, targetTitle: nextTitle[teacher.title] }));
}

/** A teacher of the college and a year to look at. */
const caseArb = collegeArb.chain((college) => fc.record({ college: fc.constant(college), teacher: fc.constantFrom(...college.teachers), year: yearArb }));

describe('shuffling records never changes a result', () => {
  it('evaluatePractice', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => fc.tuple(fc.constant(c), shuffled(c.college.records), dateArb, fc.boolean())),
        ([c, records, asOf, withAsOf]) => {
          const args = { teacher: c.teacher, year: c.year, ...(withAsOf ? { asOf } : {}) };
          const a = evaluatePractice({ ...args, records: c.college.records });
          const b = evaluatePractice({ ...args, records });
          expect(normalise(b)).toEqual(normalise(a));
        },
      ),
      RUNS,
    );
  });

  it('scoreAppraisal', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => fc.tuple(fc.constant(c), shuffled(c.college.records))),
        ([c, records]) => {
          const a = scoreAppraisal({ teacher: c.teacher, records: c.college.records, year: c.year });
          const b = scoreAppraisal({ teacher: c.teacher, records, year: c.year });
          expect(normalise(b)).toEqual(normalise(a));
        },
      ),
      RUNS,
    );
  });

  it('appraiseAll (and permuting teachers permutes the results the same way)', () => {
    fc.assert(
      fc.property(
        collegeArb.chain((college) => fc.tuple(fc.constant(college), shuffled(college.records), shuffled(college.teachers), yearArb)),
        ([college, records, teachers, year]) => {
          const a = appraiseAll({ teachers: college.teachers, records: college.records, year });
          const b = appraiseAll({ teachers: college.teachers, records, year });
          expect(normalise(b)).toEqual(normalise(a));
          const c = appraiseAll({ teachers, records, year });
          expect(c.map((x) => x.teacherId)).toEqual(teachers.map((t) => t.id));
          const byId = new Map(a.map((x) => [x.teacherId, x]));
          expect(normalise(c)).toEqual(normalise(teachers.map((t) => byId.get(t.id))));
        },
      ),
      RUNS,
    );
  });

  it('assessProgress', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => fc.tuple(fc.constant(c), shuffled(c.college.records), dateArb)),
        ([c, records, asOf]) => {
          const a = assessProgress({ teacher: c.teacher, records: c.college.records, asOf });
          const b = assessProgress({ teacher: c.teacher, records, asOf });
          expect(normalise(b)).toEqual(normalise(a));
        },
      ),
      runs(100),
    );
  });

  it('rankTitleReview (records and candidates shuffled)', () => {
    fc.assert(
      fc.property(
        collegeArb.chain((college) => fc.tuple(fc.constant(college), shuffled(college.records), shuffled(college.teachers), dateArb)),
        ([college, records, teachers, asOf]) => {
          const a = rankTitleReview({ candidates: candidatesOf(college.teachers, college.records), asOf });
          const b = rankTitleReview({ candidates: candidatesOf(teachers, records), asOf });
          expect(normalise(b)).toEqual(normalise(a));
        },
      ),
      runs(100),
    );
  });
});

describe('enterprise practice', () => {
  it('duplicating a practice record (same period, new id) never changes countedDays', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => {
          const practice = c.college.records.filter((r) => r.kind === 'enterprise_practice');
          return fc.tuple(fc.constant(c), practice.length === 0 ? fc.constant(undefined) : fc.constantFrom(...practice), fc.constantFrom('verified' as const, 'pending' as const, 'rejected' as const));
        }),
        ([c, original, status]) => {
          fc.pre(original !== undefined);
          // Same status as the original; a verified original may be duplicated with any status.
          const copy = { ...original!, id: 'copy-of-' + original!.id, status: original!.status === 'verified' ? status : original!.status } as EvidenceRecord;
          const records = [...c.college.records, copy];
          const teacher = c.college.teachers.find((t) => t.id === original!.teacherId) ?? c.teacher;
          const before = evaluatePractice({ teacher, records: c.college.records, year: c.year });
          const after = evaluatePractice({ teacher, records, year: c.year });
          expect(after.countedDays).toBe(before.countedDays);
          expect(after.rolling.countedDays).toBe(before.rolling.countedDays);
          // A duplicate of a verified record also adds no pending days; a pending copy adds no counted days.
          if (original!.status === 'verified') expect(after.pendingDays).toBe(before.pendingDays);
          expect(scoreAppraisal({ teacher, records, year: c.year }).practiceDays).toBe(before.countedDays);
        },
      ),
      RUNS,
    );
  });
});

describe('appraisal arithmetic', () => {
  function checkAppraisal(a: Appraisal) {
    let sum = 0;
    for (const id of categoryIds) {
      const cat = a.categories[id]!;
      expect(cat.cap).toBe(defaultPolicy.appraisal.categories.find((category) => category.id === id)!.cap);
      expect(cat.capped).toBeLessThanOrEqual(cat.cap);
      expect(cat.capped).toBeLessThanOrEqual(cat.raw);
      expect(cat.capped).toBe(Math.min(cat.raw, cat.cap));
      expect(cat.raw).toBeGreaterThanOrEqual(0);
      for (const x of [cat.raw, cat.capped, cat.cap]) expect(twoDecimals(x), `${id}: ${x}`).toBe(true);
      // raw is the sum of the category's trace lines, exactly (in hundredths).
      const lines = a.items.filter((item) => item.category === id).reduce((s, item) => s + h(item.points), 0);
      expect(h(cat.raw)).toBe(lines);
      sum += h(cat.capped);
    }
    expect(h(a.total)).toBe(sum);
    expect(a.total).toBe(sum / 100);
    expect(a.total).toBeGreaterThanOrEqual(0);
    expect(a.total).toBeLessThanOrEqual(100);
    expect(twoDecimals(a.total)).toBe(true);
    expect(twoDecimals(a.pending.totalIfVerified)).toBe(true);
    for (const item of a.items) {
      expect(twoDecimals(item.points), `${item.rule}: ${item.points}`).toBe(true);
      expect(item.points).toBeGreaterThanOrEqual(0);
    }
  }

  it('capped ≤ cap, capped ≤ raw, total = Σ capped, 0 ≤ total ≤ 100, two decimals everywhere', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        checkAppraisal(scoreAppraisal({ teacher: c.teacher, records: c.college.records, year: c.year }));
      }),
      runs(200),
    );
  });

  it('the same holds for heavy records (caps reached) through appraiseAll', () => {
    fc.assert(
      fc.property(
        teachersArb.chain((teachers) => fc.tuple(fc.constant(teachers), recordsArb(teachers, { maxLength: 150 }))),
        yearArb,
        ([teachers, records], year) => {
          for (const a of appraiseAll({ teachers, records, year })) checkAppraisal(a);
        },
      ),
      runs(60),
    );
  });

  it('adding a verified record never lowers any category raw points or the total (teaching_evaluation excluded)', () => {
    const kinds = recordKindsAll.filter((k) => k !== 'teaching_evaluation');
    fc.assert(
      fc.property(caseArb, bodyArb(kinds), (c, body) => {
        const extra = { ...body, id: 'extra', teacherId: c.teacher.id, status: 'verified' } as EvidenceRecord;
        const before = scoreAppraisal({ teacher: c.teacher, records: c.college.records, year: c.year });
        const after = scoreAppraisal({ teacher: c.teacher, records: [...c.college.records, extra], year: c.year });
        for (const id of categoryIds) expect(after.categories[id]!.raw, id).toBeGreaterThanOrEqual(before.categories[id]!.raw);
        expect(after.total).toBeGreaterThanOrEqual(before.total);
      }),
      runs(200),
    );
  });

  it('pending.totalIfVerified is the total once every pending record is verified; pending ids are the year’s pending records', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const a = scoreAppraisal({ teacher: c.teacher, records: c.college.records, year: c.year });
        const flipped = c.college.records.map((r) => (r.status === 'pending' ? ({ ...r, status: 'verified' } as EvidenceRecord) : r));
        expect(a.pending.totalIfVerified).toBe(scoreAppraisal({ teacher: c.teacher, records: flipped, year: c.year }).total);
        for (const id of a.pending.recordIds) {
          const r = c.college.records.find((x) => x.id === id)!;
          expect(r.teacherId).toBe(c.teacher.id);
          expect(r.status).toBe('pending');
        }
      }),
      RUNS,
    );
  });

  it('by design, teaching_evaluation is a mean: a new low evaluation lowers raw teaching points', () => {
    const teacher: Teacher = { id: 't', name: 'T', unit: 'u', hireDate: '2015-09-01', stage: 'new_teacher', stageSince: '2015-09-01', title: 'lecturer', titleSince: '2015-09-01' };
    const high: EvidenceRecord = { id: 'e1', teacherId: 't', status: 'verified', kind: 'teaching_evaluation', date: '2024-10-01', score: 100 };
    const low: EvidenceRecord = { id: 'e2', teacherId: 't', status: 'verified', kind: 'teaching_evaluation', date: '2025-03-01', score: 0 };
    const one = scoreAppraisal({ teacher, records: [high], year: 2024 });
    const two = scoreAppraisal({ teacher, records: [high, low], year: 2024 });
    expect(one.categories.teaching!.raw).toBe(10);
    expect(two.categories.teaching!.raw).toBe(5);
    expect(two.items.find((i) => i.rule === 'teaching_evaluation')).toMatchObject({ quantity: 50, points: 5, recordIds: ['e1', 'e2'] });
  });

  it('appraiseAll equals scoreAppraisal per teacher plus applyExcellenceQuota', () => {
    fc.assert(
      fc.property(collegeArb, yearArb, ({ teachers, records }, year) => {
        const all = appraiseAll({ teachers, records, year });
        const each = applyExcellenceQuota(teachers.map((teacher) => ({ appraisal: scoreAppraisal({ teacher, records, year }), unit: teacher.unit })));
        expect(all).toEqual(each);
      }),
      RUNS,
    );
  });

  it('tech_transfer points are the exact half-up decimal rounding (checked with BigInt)', () => {
    const teacher: Teacher = { id: 't', name: 'T', unit: 'u', hireDate: '2015-09-01', stage: 'new_teacher', stageSince: '2015-09-01', title: 'lecturer', titleSince: '2015-09-01' };
    const amountArb = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.bigInt({ min: 0n, max: 10_000_000_000n }).map(Number));
    fc.assert(
      fc.property(amountArb, fc.integer({ min: 2, max: 20 }), (amountYuan, k) => {
        const share = (k * 5) / 100; // 0.1, 0.15, …, 1
        const record: EvidenceRecord = { id: 'x', teacherId: 't', status: 'verified', kind: 'tech_transfer', date: '2024-12-01', amountYuan, partner: 'P', share };
        const a = scoreAppraisal({ teacher, records: [record], year: 2024 });
        // points = amount × 2 / 10000 × (5k / 100), in hundredths, half-up.
        const num = BigInt(amountYuan) * 2n * BigInt(5 * k) * 100n;
        const den = 10_000n * 100n;
        const expected = (2n * num + den) / (2n * den);
        const item = a.items.find((i) => i.rule === 'tech_transfer')!;
        const asString = `${expected / 100n}.${String(expected % 100n).padStart(2, '0')}`;
        expect(item.points).toBe(Number(asString));
        expect(item.share).toBe(share);
        expect(a.categories.tech_transfer!.raw).toBe(Number(asString));
        expect(a.categories.tech_transfer!.capped).toBe(Math.min(Number(asString), 15));
      }),
      runs(300),
    );
  });

  it('spec example: 15,000 yuan at share 0.3 is 0.9 tech_transfer points, not 0.8999…', () => {
    const teacher: Teacher = { id: 't', name: 'T', unit: 'u', hireDate: '2015-09-01', stage: 'new_teacher', stageSince: '2015-09-01', title: 'lecturer', titleSince: '2015-09-01' };
    const record: EvidenceRecord = { id: 'x', teacherId: 't', status: 'verified', kind: 'tech_transfer', date: '2024-12-01', amountYuan: 15_000, partner: 'P', share: 0.3 };
    expect(scoreAppraisal({ teacher, records: [record], year: 2024 }).categories.tech_transfer!.raw).toBe(0.9);
  });
});

describe('agreement with an independent oracle written from SPEC §3–4 (day sets, BigInt rationals)', () => {
  it('evaluatePractice', () => {
    fc.assert(
      fc.property(caseArb, fc.option(dateArb, { nil: undefined }), (c, asOf) => {
        const status = evaluatePractice({ teacher: c.teacher, records: c.college.records, year: c.year, ...(asOf === undefined ? {} : { asOf }) });
        expect(status).toMatchObject(oraclePractice(c.teacher, c.college.records, c.year, asOf));
      }),
      runs(200),
    );
  });

  it('evaluatePractice under any binding rule and category days (policy.practice.binding, byCategory)', () => {
    const ruleArb = fc.record({
      binding: fc.constantFrom('annual' as const, 'rolling' as const, 'both' as const),
      days: fc.oneof(fc.constant('exempt' as const), fc.record({ annual: fc.integer({ min: 0, max: 60 }), rolling: fc.integer({ min: 0, max: 300 }) })),
    });
    fc.assert(
      fc.property(caseArb, fc.option(dateArb, { nil: undefined }), ruleArb, (c, asOf, rule) => {
        const own = rule.days === 'exempt' ? 'exempt' : { requiredDays: rule.days.annual, rollingRequiredDays: rule.days.rolling };
        const category = c.teacher.category ?? 'specialised';
        const policy = parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, binding: rule.binding, byCategory: { [category]: own } } });
        const status = evaluatePractice({ teacher: c.teacher, records: c.college.records, year: c.year, policy, ...(asOf === undefined ? {} : { asOf }) });
        expect(status).toMatchObject(oraclePractice(c.teacher, c.college.records, c.year, asOf, rule));
      }),
      runs(200),
    );
  });

  it('evaluatePractice under form weights (policy.practice.forms), with any binding rule', () => {
    const forms = ['observation', 'skill_training', 'placement', 'research'] as const;
    const weightsArb = fc.record(Object.fromEntries(forms.map((form) => [form, fc.integer({ min: 0, max: 100 })])) as Record<(typeof forms)[number], fc.Arbitrary<number>>, { requiredKeys: [] });
    // a form (or none) for each enterprise-practice record, by its place in the list
    const pickArb = fc.array(fc.constantFrom(undefined, ...forms), { minLength: 1, maxLength: 40 });
    const bindingArb = fc.constantFrom('annual' as const, 'rolling' as const, 'both' as const);
    fc.assert(
      fc.property(caseArb, fc.option(dateArb, { nil: undefined }), weightsArb, pickArb, bindingArb, (c, asOf, weights, picks, binding) => {
        let index = 0;
        const withForm = (record: EvidenceRecord, id: string, start: string) => {
          const form = picks[index++ % picks.length];
          const { form: _drop, ...rest } = record as EvidenceRecord & { form?: string };
          return { ...rest, id, start, ...(form === undefined ? {} : { form }) } as EvidenceRecord;
        };
        // each practice record with a form, and a copy of another form over its second half: days covered by
        // records of different weights, where the highest must count
        const records = c.college.records.flatMap((record) => {
          if (record.kind !== 'enterprise_practice') return [record];
          const middle = new Date((((Date.parse(record.start) + Date.parse(record.end)) / 2 / 86_400_000) | 0) * 86_400_000).toISOString().slice(0, 10);
          return [withForm(record, record.id, record.start), withForm(record, `${record.id}-half`, middle)];
        });
        const policy = parsePolicy({ ...defaultPolicy, practice: { ...defaultPolicy.practice, binding, forms: Object.fromEntries(Object.entries(weights).map(([form, percent]) => [form, { percent }])) } });
        const status = evaluatePractice({ teacher: c.teacher, records, year: c.year, policy, ...(asOf === undefined ? {} : { asOf }) });
        // the default policy has no category lines: every category owes 30 days a year and 180 in five
        expect(status).toMatchObject(oraclePractice(c.teacher, records, c.year, asOf, { binding, days: { annual: 30, rolling: 180 }, forms: weights }));
      }),
      runs(200),
    );
  });

  it('scoreAppraisal: categories, total, grades, vetoes, eligibility', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const a = scoreAppraisal({ teacher: c.teacher, records: c.college.records, year: c.year });
        const expected = oracleAppraisal(c.teacher, c.college.records, c.year);
        expect({ ...a, vetoes: [...a.vetoes].sort() }).toMatchObject({ ...expected, vetoes: [...expected.vetoes].sort() });
      }),
      runs(300),
    );
  });
});

describe('growth path (assessProgress)', () => {
  const progressCase = caseArb.chain((c) => fc.record({ c: fc.constant(c), asOf: dateArb }));

  it('uses only the teacher’s own records, and the result is well formed', () => {
    fc.assert(
      fc.property(progressCase, ({ c, asOf }) => {
        const p = assessProgress({ teacher: c.teacher, records: c.college.records, asOf });
        const own = c.college.records.filter((r) => r.teacherId === c.teacher.id);
        expect(assessProgress({ teacher: c.teacher, records: own, asOf })).toEqual(p);
        expect(p.stage).toBe(c.teacher.stage);
        if (c.teacher.stage === 'cluster_lead') {
          expect(p).toEqual({ stage: 'cluster_lead', nextStage: null, eligible: false, requirements: null, gaps: [] });
          return;
        }
        expect(p.requirements).not.toBeNull();
        expect(p.eligible).toBe(p.requirements!.met);
        // all_of / any_of semantics, and every gap points at an unmet leaf of the tree.
        const unmetLeaves = new Set<string>();
        const walk = (node: NonNullable<typeof p.requirements>) => {
          if (node.children) {
            node.children.forEach(walk);
            const met = node.children.filter((child) => child.met).length;
            expect(node.met, node.id).toBe(node.type === 'all_of' ? met === node.children.length : met > 0);
          } else if (!node.met) unmetLeaves.add(node.id);
        };
        walk(p.requirements!);
        if (p.eligible) expect(p.gaps).toEqual([]);
        else expect(p.gaps.length).toBeGreaterThan(0);
        for (const gap of p.gaps) {
          expect(unmetLeaves.has(gap.requirementId), gap.requirementId).toBe(true);
          expect(gap.en.length).toBeGreaterThan(0);
          expect(gap.zh.length).toBeGreaterThan(0);
        }
      }),
      runs(150),
    );
  });

  it('ignores records dated after asOf', () => {
    /** Any record body moved to lie wholly after `asOf` (its scoring/start date, or its year's first day). */
    const afterAsOf = (asOf: string) =>
      fc.tuple(bodyArb(), fc.integer({ min: 1, max: 900 })).map(([body, gap]) => {
        const b = { ...body } as Record<string, unknown>;
        const target = dayNumber(asOf) + gap;
        if (typeof b.year === 'number') {
          b.year = (asOf.slice(5) >= '09-01' ? Number(asOf.slice(0, 4)) : Number(asOf.slice(0, 4)) - 1) + 1 + (gap % 3);
          return b as typeof body;
        }
        const anchor = b.kind === 'mentoring' ? ((b.end as string | undefined) ?? (b.start as string)) : ((b.start as string | undefined) ?? (b.date as string));
        const shift = target - dayNumber(anchor);
        for (const key of ['date', 'start', 'end']) if (typeof b[key] === 'string') b[key] = dateOfDay(dayNumber(b[key] as string) + shift);
        return b as typeof body;
      });
    fc.assert(
      fc.property(
        progressCase.chain(({ c, asOf }) => fc.tuple(fc.constant(c), fc.constant(asOf), fc.array(fc.tuple(afterAsOf(asOf), statusArb), { minLength: 1, maxLength: 5 }))),
        ([c, asOf, late]) => {
          const extra = late.map(([body, status], i) => ({ ...body, id: `late${i}`, teacherId: c.teacher.id, status }) as EvidenceRecord);
          const before = assessProgress({ teacher: c.teacher, records: c.college.records, asOf });
          const after = assessProgress({ teacher: c.teacher, records: [...c.college.records, ...extra], asOf });
          expect(after).toEqual(before);
        },
      ),
      runs(100),
    );
  });
});

describe('title review (rankTitleReview)', () => {
  /** Largest n with from + n years ≤ to (29 February + n years in a common year → 28 February), counted naively. */
  function wholeYears(from: string, to: string): number {
    let n = 0;
    for (;;) {
      const y = Number(from.slice(0, 4)) + n + 1;
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      const md = from.slice(5) === '02-29' && !leap ? '02-28' : from.slice(5);
      if (`${y}-${md}` > to) return n;
      n++;
    }
  }
  const minYears: Record<string, number> = { lecturer: 2, associate_professor: 5, professor: 5 };

  it('agrees with scoreAppraisal / evaluatePractice per window year, and the list is ordered as SPEC §6 says', () => {
    fc.assert(
      fc.property(collegeArb, dateArb, ({ teachers, records }, asOf) => {
        const list = rankTitleReview({ candidates: candidatesOf(teachers, records), asOf });
        expect(list.length).toBe(teachers.length);
        // Own records only: passing each candidate just their records changes nothing.
        const own = teachers.map((teacher) => ({ teacher, records: records.filter((r) => r.teacherId === teacher.id), targetTitle: nextTitle[teacher.title] }));
        expect(rankTitleReview({ candidates: own, asOf })).toEqual(list);

        const latest = (asOf.slice(5) >= '09-01' ? Number(asOf.slice(0, 4)) : Number(asOf.slice(0, 4)) - 1) - 1;
        const window = [latest - 2, latest - 1, latest];
        const order = ['assistant', 'lecturer', 'associate_professor', 'professor'];
        let previous: (typeof list)[number] | undefined;
        for (const entry of list) {
          const teacher = teachers.find((t) => t.id === entry.teacherId)!;
          expect(entry.windowYears).toEqual(window);
          const appraisals = window.map((year) => scoreAppraisal({ teacher, records, year }));
          expect(entry.annualTotals).toEqual(appraisals.map((a) => ({ year: a.year, total: a.total, grade: a.grade })));
          const sum = appraisals.reduce((s, a) => s + h(a.total), 0);
          expect(h(entry.score)).toBe(Math.floor((2 * sum + 3) / 6)); // mean of 3, half-up to 0.01
          expect(twoDecimals(entry.score)).toBe(true);
          const isNext = order.indexOf(entry.targetTitle) === order.indexOf(teacher.title) + 1;
          const years = wholeYears(teacher.titleSince, asOf);
          const eligible =
            isNext &&
            years >= (minYears[entry.targetTitle] ?? Infinity) &&
            window.every((year, i) => evaluatePractice({ teacher, records, year }).compliant && ['excellent', 'competent'].includes(appraisals[i]!.grade)) &&
            !records.some((r) => r.teacherId === teacher.id && r.kind === 'ethics_violation' && r.status === 'verified' && r.date >= `${window[0]}-09-01` && r.date <= `${latest + 1}-08-31`);
          expect(entry.eligible, JSON.stringify(entry.reasons)).toBe(eligible);
          expect(entry.reasons.length === 0).toBe(entry.eligible);
          if (entry.passed) expect(entry.eligible).toBe(true);
          if (entry.eligible) expect(entry.passed).toBe(h(entry.score) >= { lecturer: 3500, associate_professor: 4500, professor: 5500 }[entry.targetTitle as 'lecturer']!);
          expect(entry.rank === null).toBe(!entry.eligible);
          // Order: by title in ladder order; eligible ranked 1.. by score desc; then ineligible by id.
          if (previous) {
            const dt = order.indexOf(previous.targetTitle) - order.indexOf(entry.targetTitle);
            expect(dt).toBeLessThanOrEqual(0);
            if (dt === 0) {
              if (entry.eligible) {
                expect(previous.eligible).toBe(true);
                expect(entry.rank).toBe(previous.rank! + 1);
                expect(entry.score).toBeLessThanOrEqual(previous.score);
              } else if (!previous.eligible) expect(previous.teacherId < entry.teacherId).toBe(true);
            } else if (entry.eligible) expect(entry.rank).toBe(1);
          } else if (entry.eligible) expect(entry.rank).toBe(1);
          previous = entry;
        }
      }),
      runs(100),
    );
  });
});

describe('excellence quota', () => {
  function fakeAppraisal(teacherId: string, grade: Grade, total: number, transfer: number, service: number, practiceDays: number): Appraisal {
    return {
      teacherId,
      year: 2024,
      total,
      grade,
      practiceDays,
      categories: { tech_transfer: { capped: transfer }, enterprise_service: { capped: service } },
    } as unknown as Appraisal;
  }
  const entryArb = fc.record({
    unit: fc.constantFrom('a', 'b', 'c'),
    grade: fc.oneof({ weight: 3, arbitrary: fc.constant('excellent' as const) }, { weight: 2, arbitrary: fc.constantFrom(...grades) }),
    total: fc.integer({ min: 0, max: 10_000 }).map((x) => x / 100),
    transfer: fc.integer({ min: 0, max: 4 }).map((x) => x * 2.5),
    service: fc.integer({ min: 0, max: 4 }).map((x) => x * 2.5),
    practiceDays: fc.integer({ min: 0, max: 60 }),
  });

  it('keeps at most max(1, floor(0.2 × unitSize)) excellent per unit, the best ones, and never touches other grades', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 40 }), (rows) => {
        const entries = rows.map((row, index) => ({ unit: row.unit, appraisal: fakeAppraisal(`t${String(index).padStart(2, '0')}`, row.grade, row.total, row.transfer, row.service, row.practiceDays) }));
        const out = applyExcellenceQuota(entries);
        expect(out.map((a) => a.teacherId)).toEqual(entries.map((e) => e.appraisal.teacherId));
        for (const unit of ['a', 'b', 'c']) {
          const members = entries.map((e, i) => ({ e, r: out[i]! })).filter((x) => x.e.unit === unit);
          const limit = Math.max(1, Math.floor(0.2 * members.length));
          const qualifiers = members.filter((x) => x.e.appraisal.grade === 'excellent');
          const kept = members.filter((x) => x.r.finalGrade === 'excellent');
          expect(kept.length).toBeLessThanOrEqual(limit);
          expect(kept.length).toBe(Math.min(limit, qualifiers.length));
          for (const x of members) {
            if (x.e.appraisal.grade !== 'excellent') expect(x.r.finalGrade).toBe(x.e.appraisal.grade);
            else expect(['excellent', 'competent']).toContain(x.r.finalGrade);
            expect(x.r.grade).toBe(x.e.appraisal.grade);
          }
          // Everyone kept ranks ahead of everyone lowered: total, transfer+service, practice days, id.
          const key = (a: Appraisal) => [-h(a.total), -(h(a.categories.tech_transfer!.capped) + h(a.categories.enterprise_service!.capped)), -a.practiceDays] as const;
          const before = (a: Appraisal, b: Appraisal) => {
            const ka = key(a);
            const kb = key(b);
            for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]!;
            return a.teacherId < b.teacherId;
          };
          for (const k of kept) for (const l of qualifiers.filter((q) => q.r.finalGrade !== 'excellent')) expect(before(k.e.appraisal, l.e.appraisal)).toBe(true);
        }
      }),
      runs(300),
    );
  });

  it('holds on real appraisals from appraiseAll too', () => {
    fc.assert(
      fc.property(collegeArb, yearArb, ({ teachers, records }, year) => {
        const out = appraiseAll({ teachers, records, year });
        const units = new Set(teachers.map((t) => t.unit));
        for (const unit of units) {
          const members = out.filter((_, i) => teachers[i]!.unit === unit);
          const limit = Math.max(1, Math.floor(0.2 * members.length));
          expect(members.filter((a) => a.finalGrade === 'excellent').length).toBeLessThanOrEqual(limit);
          for (const a of members) if (a.grade !== 'excellent') expect(a.finalGrade).toBe(a.grade);
        }
      }),
      RUNS,
    );
  });
});

describe('policy validation', () => {
  const clone = (): Policy => JSON.parse(JSON.stringify(defaultPolicy)) as Policy;

  it('round-trips the default policy, directly and through JSON', () => {
    expect(parsePolicy(defaultPolicy)).toEqual(defaultPolicy);
    expect(parsePolicy(JSON.parse(JSON.stringify(defaultPolicy)))).toEqual(defaultPolicy);
    expect(JSON.parse(JSON.stringify(parsePolicy(clone())))).toEqual(JSON.parse(JSON.stringify(defaultPolicy)));
  });

  /** Every requirement node of the default growth tree, with its path. */
  function requirementNodes(): Array<{ path: Array<string | number>; node: Requirement }> {
    const out: Array<{ path: Array<string | number>; node: Requirement }> = [];
    const walk = (node: Requirement, path: Array<string | number>) => {
      out.push({ path, node });
      if (node.type === 'all_of' || node.type === 'any_of') node.children.forEach((child, i) => walk(child, [...path, 'children', i]));
    };
    for (const [stage, node] of Object.entries(defaultPolicy.growth.transitions)) walk(node, ['growth', 'transitions', stage]);
    return out;
  }
  const nodes = requirementNodes();
  const composite = nodes.filter((n) => n.node.type === 'all_of' || n.node.type === 'any_of');
  const withKinds = nodes.filter((n) => n.node.type === 'record_count' || n.node.type === 'record_sum');

  function at(root: unknown, path: Array<string | number>): any {
    return path.reduce((obj: any, key) => obj[key], root);
  }
  function fmt(path: Array<string | number>): string {
    return 'policy' + path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
  }

  /** A corruption: a mutation of a fresh copy of the default policy, and the one path it must be reported at. */
  type Corruption = { describe: string; path: Array<string | number>; apply: (p: any) => void };
  const corruptionArb: fc.Arbitrary<Corruption> = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: defaultPolicy.appraisal.categories.length - 1 }), fc.double({ max: -Number.MIN_VALUE, min: -1e6, noNaN: true })).map(([index, value]) => ({
      describe: `negative cap ${value} for ${defaultPolicy.appraisal.categories[index]!.id}`,
      path: ['appraisal', 'categories', index, 'cap'],
      apply: (p: any) => void (p.appraisal.categories[index].cap = value),
    })),
    fc.tuple(fc.integer({ min: 0, max: defaultPolicy.shareByRank.length - 1 }), fc.constantFrom(0, 1.5, -0.5, 1.0000001)).map(([i, value]) => ({
      describe: `shareByRank[${i}] = ${value}`,
      path: ['shareByRank', i],
      apply: (p: any) => void (p.shareByRank[i] = value),
    })),
    fc.tuple(fc.integer({ min: 1, max: defaultPolicy.appraisal.grades.bands.length - 1 }), fc.integer({ min: 0, max: 30 })).map(([i, extra]) => ({
      describe: `grade band ${i} min not below band ${i - 1} (+${extra})`,
      path: ['appraisal', 'grades', 'bands', i, 'min'],
      apply: (p: any) => void (p.appraisal.grades.bands[i].min = p.appraisal.grades.bands[i - 1].min + extra),
    })),
    fc.tuple(fc.constantFrom(...withKinds), fc.constantFrom('bogus_kind', 'Enterprise_Practice', '', 'teacher')).map(([n, kind]) => ({
      describe: `unknown record kind "${kind}" at ${fmt(n.path)}`,
      path: [...n.path, 'kinds', 0],
      apply: (p: any) => void (at(p, n.path).kinds[0] = kind),
    })),
    fc.constantFrom(...composite).map((n) => ({
      describe: `empty children at ${fmt(n.path)}`,
      path: [...n.path, 'children'],
      apply: (p: any) => void (at(p, n.path).children = []),
    })),
  );

  it('a single-field corruption throws a ValidationError naming exactly that path', () => {
    expect(recordKinds).not.toContain('bogus_kind');
    fc.assert(
      fc.property(corruptionArb, (corruption) => {
        const policy = clone();
        corruption.apply(policy);
        let error: unknown;
        try {
          parsePolicy(policy);
        } catch (e) {
          error = e;
        }
        expect(error, corruption.describe).toBeInstanceOf(ValidationError);
        const paths = (error as ValidationError).issues.map((issue) => issue.path);
        expect(paths, corruption.describe).toEqual([fmt(corruption.path)]);
        // Functions taking a policy argument reject it the same way.
        expect(() => appraiseAll({ teachers: [], records: [], year: 2024, policy })).toThrow(ValidationError);
      }),
      runs(150),
    );
  });

  it('names the exact path of the brief example', () => {
    const policy = clone() as any;
    policy.appraisal.categories[0].cap = -1; // teaching
    expect(() => parsePolicy(policy)).toThrow(ValidationError);
    try {
      parsePolicy(policy);
    } catch (e) {
      expect((e as ValidationError).issues.map((i) => i.path)).toEqual(['policy.appraisal.categories[0].cap']);
    }
  });
});
