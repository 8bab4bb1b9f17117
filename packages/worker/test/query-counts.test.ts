import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The benchmark's deterministic generator: every record kind, pending and rejected mixed in (plain JS, untyped).
// @ts-expect-error -- packages/core/bench/generate.mjs ships no type declarations
import { generateCollege } from '../../core/bench/generate.mjs';
import { queryStats, resetQueryStats } from '../src/db/index.js';
import { call, createKey, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * D1 query budgets, counted by the instrumented binding of src/db/index.ts: `roundTrips` (one per
 * `.all()/.first()/.run()` or per batch) and `statements` (every statement, those inside a batch included).
 * The bearer-key lookup of the auth middleware is one of them.
 *
 * - Teacher-facing routes: ≤ 3 statements (≤ 2 round trips) whatever the teacher's record count, measured at
 *   10 and at 300 records, and the same count at both.
 * - Listings: the same number of statements for 5 teachers as for 120 (no query per teacher or per record,
 *   and no chunk per 90 ids either).
 */

let keys: Keys;
/** route → counts per size, printed after the run (the figures quoted in BENCHMARKS.md). */
const report: Record<string, string> = {};
afterAll(() => {
  console.log(
    `D1 queries per request (round trips / statements):\n${Object.entries(report)
      .map(([name, counts]) => `  ${name.padEnd(30)} ${counts}`)
      .join('\n')}`,
  );
});

interface Counted {
  status: number;
  roundTrips: number;
  statements: number;
}

async function counted(method: string, path: string, token: string): Promise<Counted> {
  // warm the isolate's policy cache first, so both measurements see the same state
  await call(method, path, { token });
  resetQueryStats();
  const response = await call(method, path, { token });
  await response.arrayBuffer();
  return { status: response.status, roundTrips: queryStats.roundTrips, statements: queryStats.statements };
}

/** `count` generated records (all kinds, mixed statuses, six academic years) for one new teacher. */
function generatedRecords(teacherId: string, count: number, seed: number) {
  const { records } = generateCollege({ teachers: 1, recordsPerTeacher: count, years: 6, seed, lastYear: 2025 });
  return records.map((record: Record<string, unknown>, index: number) => ({ ...record, id: `${teacherId}-r${index}`, teacherId }));
}

async function importAll(body: { teachers?: unknown[]; records?: unknown[] }) {
  const response = await call('POST', '/v1/import', { token: keys.hr, body });
  expect(response.status, await response.clone().text()).toBe(201);
}

beforeAll(async () => {
  keys = await setupKeys();
});

describe('teacher-facing routes: ≤ 3 D1 statements whatever the record count', () => {
  const sizes = [10, 300] as const;
  const teachers: Record<number, { id: string; token: string }> = {};

  beforeAll(async () => {
    for (const size of sizes) {
      const id = uid(`qc${size}`);
      await importAll({ teachers: [teacher(id)], records: generatedRecords(id, size, 7 + size) });
      teachers[size] = { id, token: await createKey('teacher', id) };
    }
  });

  // [name, path, round trips]: the teacher views built from one bundle send the key lookup in the bundle's batch
  const routes: [string, (id: string) => string, number][] = [
    ['teacher', (id) => `/v1/teachers/${id}`, 2],
    ['progress', (id) => `/v1/teachers/${id}/progress?asOf=2026-09-01`, 1],
    ['practice', (id) => `/v1/teachers/${id}/practice?year=2025&asOf=2026-05-01`, 1],
    ['appraisal with trace', (id) => `/v1/teachers/${id}/appraisals/2024`, 1],
    ['own records', (id) => `/v1/records?teacherId=${id}&limit=200`, 2],
  ];

  for (const [name, path, trips] of routes) {
    it(`${name}: same count at 10 and 300 records, ≤ 3 statements in ≤ ${trips} round trip(s)`, async () => {
      const small = await counted('GET', path(teachers[10]!.id), teachers[10]!.token);
      const large = await counted('GET', path(teachers[300]!.id), teachers[300]!.token);
      report[name] = `10 records: ${small.roundTrips}/${small.statements}; 300 records: ${large.roundTrips}/${large.statements}`;
      expect(small.status).toBe(200);
      expect(large.status).toBe(200);
      expect(large).toEqual(small);
      expect(large.statements).toBeLessThanOrEqual(3);
      expect(large.roundTrips).toBeLessThanOrEqual(trips);
    });
  }
});

describe('teacher views: the key lookup rides in the bundle batch and still decides', () => {
  it('a revoked key stops working at once, another teacher is 404, a unit reviewer sees its units only', async () => {
    const unit = uid('批次学院');
    const [own, other] = [uid('kb'), uid('kb')];
    await importAll({ teachers: [teacher(own, { unit }), teacher(other)] });
    const created = await jsonOf(await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'teacher', teacherId: own, label: 'batched' } }));
    const views = (id: string) => [`/v1/teachers/${id}/progress?asOf=2026-09-01`, `/v1/teachers/${id}/practice?year=2025&asOf=2026-05-01`, `/v1/teachers/${id}/appraisals/2024`, `/v1/teachers/${id}/dual-qualified?asOf=2026-09-01`];
    for (const path of views(own)) expect((await counted('GET', path, created.token)).status, path).toBe(200);
    for (const path of views(other)) expect((await call('GET', path, { token: created.token })).status, path).toBe(404);
    expect((await call('DELETE', `/v1/keys/${created.id}`, { token: keys.admin })).status).toBe(200);
    // the very next request, on the same isolate, is refused: nothing of the key was cached
    for (const path of views(own)) expect((await call('GET', path, { token: created.token })).status, path).toBe(401);

    const reviewer = await jsonOf(await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'unit_reviewer', units: [unit, uid('其他学院')], label: 'batched reviewer' } }));
    const me = await jsonOf(await call('GET', '/v1/me', { token: reviewer.token }));
    expect([...me.units].sort()).toEqual([...reviewer.units].sort());
    expect((await counted('GET', `/v1/teachers/${own}/dual-qualified?asOf=2026-09-01`, reviewer.token)).status).toBe(200);
    expect((await call('GET', `/v1/teachers/${other}/dual-qualified?asOf=2026-09-01`, { token: reviewer.token })).status).toBe(404);
  });
});

describe('listings: a constant number of D1 statements (no N+1)', () => {
  const sizes = [5, 120] as const;
  const units: Record<number, string> = {};
  const cycles: Record<number, string> = {};
  const firstTeacher: Record<number, string> = {};

  beforeAll(async () => {
    for (const size of sizes) {
      const unit = uid(`unit${size}`);
      units[size] = unit;
      const teachers = Array.from({ length: size }, (_, index) => teacher(`${unit}-t${index}`, { unit, title: 'lecturer', titleSince: '2015-07-01' }));
      const records = teachers.flatMap((t, index) => generatedRecords(t.id, 12, 100 + index));
      await importAll({ teachers, records });
      firstTeacher[size] = teachers[0]!.id;
      const cycle = await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: `qc ${size}`, asOf: '2026-09-01' } });
      expect(cycle.status).toBe(201);
      const cycleId = ((await cycle.json()) as { id: string }).id;
      cycles[size] = cycleId;
      const added = await call('POST', `/v1/review-cycles/${cycleId}/candidates`, {
        token: keys.hr,
        body: { candidates: teachers.map((t) => ({ teacherId: t.id, targetTitle: 'associate_professor' })) },
      });
      expect(added.status).toBe(200);
    }
  });

  const listings: [string, 'hr' | 'committee', (size: number) => string][] = [
    ['teachers of a unit', 'hr', (size) => `/v1/teachers?unit=${encodeURIComponent(units[size]!)}&limit=200`],
    ['records of a year', 'hr', () => `/v1/records?year=2024&limit=200`],
    ['records of a teacher (HR)', 'hr', (size) => `/v1/records?teacherId=${encodeURIComponent(firstTeacher[size]!)}&limit=200`],
    ['appraisals of a unit (JSON)', 'committee', (size) => `/v1/appraisals?year=2024&unit=${encodeURIComponent(units[size]!)}`],
    ['appraisals of a unit (CSV)', 'committee', (size) => `/v1/appraisals?year=2024&unit=${encodeURIComponent(units[size]!)}&format=csv`],
    ['review-cycle ranking', 'committee', (size) => `/v1/review-cycles/${cycles[size]}/ranking`],
    ['review-cycle ranking (CSV)', 'committee', (size) => `/v1/review-cycles/${cycles[size]}/ranking?format=csv`],
  ];

  for (const [name, role, path] of listings) {
    it(`${name}: same statements and round trips for 5 and 120 teachers`, async () => {
      const small = await counted('GET', path(5), keys[role]);
      const large = await counted('GET', path(120), keys[role]);
      report[name] = `5 teachers: ${small.roundTrips}/${small.statements}; 120 teachers: ${large.roundTrips}/${large.statements}`;
      expect(small.status).toBe(200);
      expect(large.status).toBe(200);
      expect(large).toEqual(small);
      expect(large.statements).toBeLessThanOrEqual(5);
      expect(large.roundTrips).toBeLessThanOrEqual(3);
    });
  }
});
