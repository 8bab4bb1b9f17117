/**
 * fast-check arbitraries for teachers and schema-valid evidence records (every kind), over the academic
 * years 2020–2026 (dates 2019-09-01 … 2027-08-31), a handful of teachers in 2–3 units.
 */
import fc from 'fast-check';
import { awards, certLevels, certTypes, dateOfDay, dayNumber, levels, patentTypes, registryOf, resourceTypes, stages, statuses, titles, type EvidenceRecord, type Teacher } from '../src/index.js';
import { recordArbOf } from './kind-arbitraries.js';

export const FIRST_YEAR = 2020;
export const LAST_YEAR = 2026;
const FIRST_DAY = dayNumber(`${FIRST_YEAR - 1}-09-01`);
const LAST_DAY = dayNumber(`${LAST_YEAR + 1}-08-31`);

export const yearArb = fc.integer({ min: FIRST_YEAR, max: LAST_YEAR });

/** Any real calendar date between `from` and `to` (day numbers), inclusive. */
export function dateBetween(from: number, to: number): fc.Arbitrary<string> {
  return fc.integer({ min: from, max: to }).map(dateOfDay);
}
export const dateArb = dateBetween(FIRST_DAY, LAST_DAY);

/** A period `{start, end}` with end ≥ start, at most `maxDays` long, sometimes crossing a year boundary. */
export function periodArb(maxDays: number): fc.Arbitrary<{ start: string; end: string }> {
  return fc.tuple(fc.integer({ min: FIRST_DAY, max: LAST_DAY }), fc.integer({ min: 0, max: maxDays })).map(([first, length]) => ({ start: dateOfDay(first), end: dateOfDay(Math.min(first + length, LAST_DAY)) }));
}

/** Shares: mostly clean decimals, sometimes an arbitrary double in (0, 1]. */
const shareArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 100 }).map((k) => k / 100) }, { weight: 1, arbitrary: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true, noDefaultInfinity: true }) });
const rankArb = fc.integer({ min: 1, max: 8 });
/** Team fields: rank and share each optional (absent keys, not undefined values). */
const team = { rank: rankArb, share: shareArb };
const percent = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 100 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 10_000 }).map((h) => h / 100) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 100_000 }).map((h) => h / 1000) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true }) },
);
const yuan = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 200_000 }) }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 10_000_000_000n }).map(Number) });
const hours = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 40_000 }).map((h) => h / 100) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 400_000 }).map((h) => h / 1000) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true }) },
);
const text = fc.constantFrom('ACME Robotics', '华为', 'Shenzhen Tooling', 'x');
const level = fc.constantFrom(...levels);

type Body = Omit<EvidenceRecord, 'id' | 'teacherId' | 'status'>;

/**
 * Bodies tuned to the rules' interesting cases (short periods that overlap, two mentoring partners, few texts, the
 * rounding-prone hours and percentages). A kind without one gets the body its declaration describes
 * (kind-arbitraries.ts), so a new built-in kind is generated here as soon as it is declared.
 */
const tuned: Partial<Record<EvidenceRecord['kind'], fc.Arbitrary<Body>>> = {
  enterprise_practice: fc.tuple(periodArb(120), fc.record({ enterprise: text, topics: fc.array(text, { maxLength: 2 }) }, { requiredKeys: ['enterprise'] })).map(([period, rest]) => ({ kind: 'enterprise_practice' as const, ...period, ...rest })),
  practice_exemption: fc.record({ kind: fc.constant('practice_exemption' as const), year: yearArb, reason: text }),
  teaching_workload: fc.record({ kind: fc.constant('teaching_workload' as const), year: yearArb, hours }),
  teaching_evaluation: fc.record({ kind: fc.constant('teaching_evaluation' as const), date: dateArb, score: percent }),
  teaching_resource: fc.record({ kind: fc.constant('teaching_resource' as const), date: dateArb, resourceType: fc.constantFrom(...resourceTypes), title: text, ...team }, { requiredKeys: ['kind', 'date', 'resourceType', 'title'] }),
  teaching_reform_project: fc.record({ kind: fc.constant('teaching_reform_project' as const), date: dateArb, level, ...team }, { requiredKeys: ['kind', 'date', 'level'] }),
  mentoring: fc
    .tuple(periodArb(800), fc.boolean(), fc.record({ role: fc.constantFrom('mentor' as const, 'mentee' as const), partnerId: fc.constantFrom('p1', 'p2'), outcome: fc.constantFrom('ongoing' as const, 'passed' as const, 'failed' as const) }))
    .map(([period, open, rest]) => (open ? { kind: 'mentoring' as const, start: period.start, ...rest } : { kind: 'mentoring' as const, ...period, ...rest })),
  international_training: fc.tuple(periodArb(60), fc.record({ institution: text, country: fc.constantFrom('DE', 'SG', 'JP') })).map(([period, rest]) => ({ kind: 'international_training' as const, ...period, ...rest })),
  skill_competition: fc.record({ kind: fc.constant('skill_competition' as const), date: dateArb, level, award: fc.constantFrom(...awards), role: fc.constantFrom('contestant' as const, 'coach' as const), ...team }, { requiredKeys: ['kind', 'date', 'level', 'award', 'role'] }),
  certificate: fc.record({ kind: fc.constant('certificate' as const), date: dateArb, certType: fc.constantFrom(...certTypes), level: fc.constantFrom(...certLevels) }),
  horizontal_project: fc.record({ kind: fc.constant('horizontal_project' as const), date: dateArb, amountYuan: yuan, partner: text, ...team }, { requiredKeys: ['kind', 'date', 'amountYuan', 'partner'] }),
  patent: fc.record({ kind: fc.constant('patent' as const), date: dateArb, patentType: fc.constantFrom(...patentTypes), ...team }, { requiredKeys: ['kind', 'date', 'patentType'] }),
  tech_transfer: fc.record({ kind: fc.constant('tech_transfer' as const), date: dateArb, amountYuan: yuan, partner: text, ...team }, { requiredKeys: ['kind', 'date', 'amountYuan', 'partner'] }),
  enterprise_training: fc.record({ kind: fc.constant('enterprise_training' as const), date: dateArb, trainees: fc.integer({ min: 0, max: 500 }), hours, satisfaction: percent, ...team }, { requiredKeys: ['kind', 'date', 'trainees', 'hours'] }),
  technical_service: fc.record({ kind: fc.constant('technical_service' as const), date: dateArb, amountYuan: yuan, partner: text, satisfaction: percent, ...team }, { requiredKeys: ['kind', 'date', 'amountYuan', 'partner'] }),
  ethics_violation: fc.record({ kind: fc.constant('ethics_violation' as const), date: dateArb, description: text }),
  dual_qualified_recognition: fc
    .tuple(dateArb, fc.integer({ min: 0, max: 2000 }), fc.constantFrom(...certLevels), fc.constantFrom('school' as const, 'city' as const, 'province' as const))
    .map(([date, days, tier, issuingLevel]) => ({ kind: 'dual_qualified_recognition' as const, date, validUntil: dateOfDay(dayNumber(date) + days), tier, issuingLevel })),
};

export const recordKindsAll = registryOf().kindIds as EvidenceRecord['kind'][];
const bodies = Object.fromEntries(recordKindsAll.map((kind) => [kind, tuned[kind] ?? recordArbOf(registryOf().kind(kind)!).map(({ id: _id, teacherId: _teacherId, status: _status, ...body }) => body as Body)])) as Record<EvidenceRecord['kind'], fc.Arbitrary<Body>>;

/** Weighted so the common kinds (practice, workload, evaluations, resources) dominate, as in real data. */
export function bodyArb(kinds: readonly EvidenceRecord['kind'][] = recordKindsAll): fc.Arbitrary<Body> {
  const heavy = new Set(['enterprise_practice', 'teaching_workload', 'teaching_evaluation', 'teaching_resource']);
  return fc.oneof(...kinds.map((kind) => ({ weight: heavy.has(kind) ? 4 : kind === 'ethics_violation' ? 1 : 2, arbitrary: bodies[kind] })));
}

export const statusArb = fc.constantFrom(...statuses);
const statusWeighted = fc.oneof({ weight: 6, arbitrary: fc.constant('verified' as const) }, { weight: 2, arbitrary: fc.constant('pending' as const) }, { weight: 1, arbitrary: fc.constant('rejected' as const) });

export const teacherIds = ['t1', 't2', 't3', 't4', 't5', 't6'];

/** Teachers with distinct ids (a prefix of teacherIds), in 2–3 units, hired between 2015 and 2026. */
export const teachersArb: fc.Arbitrary<Teacher[]> = fc.tuple(fc.integer({ min: 1, max: teacherIds.length }), fc.integer({ min: 2, max: 3 })).chain(([count, unitCount]) =>
  fc.tuple(
    ...teacherIds.slice(0, count).map((id) =>
      fc
        .record({
          unit: fc.integer({ min: 1, max: unitCount }).map((n) => `unit-${n}`),
          hire: fc.integer({ min: dayNumber('2015-01-01'), max: dayNumber('2026-12-31') }),
          stageDelay: fc.integer({ min: 0, max: 3000 }),
          titleDelay: fc.integer({ min: 0, max: 3000 }),
          stage: fc.constantFrom(...stages),
          title: fc.constantFrom(...titles),
        })
        .map(
          (t): Teacher => ({
            id,
            name: `Teacher ${id}`,
            unit: t.unit,
            hireDate: dateOfDay(t.hire),
            stage: t.stage,
            stageSince: dateOfDay(t.hire + t.stageDelay),
            title: t.title,
            titleSince: dateOfDay(t.hire + t.titleDelay),
          }),
        ),
    ),
  ),
);

/** Records for the given teachers (plus a stranger whose records must be ignored), with unique ids r0, r1, … */
export function recordsArb(teachers: readonly Teacher[], options: { maxLength?: number; kinds?: readonly EvidenceRecord['kind'][] } = {}): fc.Arbitrary<EvidenceRecord[]> {
  const owners = [...teachers.map((teacher) => teacher.id), 'stranger'];
  return fc.array(fc.tuple(fc.constantFrom(...owners), statusWeighted, bodyArb(options.kinds)), { maxLength: options.maxLength ?? 40 }).map((rows) => rows.map(([teacherId, status, body], index) => ({ id: `r${index}`, teacherId, status, ...body }) as EvidenceRecord));
}

/** A college: teachers and their records. */
export const collegeArb = teachersArb.chain((teachers) => recordsArb(teachers).map((records) => ({ teachers, records })));

/** A permutation of `items`. */
export function shuffled<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
}
