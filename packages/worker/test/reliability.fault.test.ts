import { beforeAll, describe, expect, it, vi } from 'vitest';
import { app } from '../src/app.js';
import { dumpDb, faulty, type FaultPlan, type FaultyD1 } from './faults.js';
import { env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * Fault injection: each write route that matters (import, promotion, freeze) is run once per statement it
 * issues, with that statement failing (a lone query is never sent; a statement inside a batch really fails
 * mid-batch). Every attempt must answer 503 problem+json with Retry-After and leave every table exactly as it
 * was. The attempt after the last failing position runs clean with the same Idempotency-Key and succeeds;
 * one more retry replays the same answer and writes nothing.
 */

let keys: Keys;
beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined); // the app logs every 503/500 it answers
  keys = await setupKeys();
});

interface Req {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

function send(db: D1Database, token: string, req: Req): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(req.headers ?? {}) };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  return Promise.resolve(app.request(`http://localhost${req.path}`, { method: req.method, headers, ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}) }, { DB: db }));
}

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

async function expect503(response: Response) {
  const text = await response.text();
  expect(response.status, text).toBe(503);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.headers.get('retry-after')).toBe('1');
  const problem = JSON.parse(text);
  expect(problem).toMatchObject({ type: 'urn:shizi:problem:storage-unavailable', status: 503, retryable: true, retryAfterSeconds: 1 });
  expect(problem.detail).toContain('Idempotency-Key');
  expect(problem.requestId).toEqual(expect.any(String));
  expect(text).not.toMatch(/SELECT|INSERT|UPDATE|Network connection|json\(/);
}

/**
 * Fail statement 1, 2, … until the route runs out of statements; returns how many statements the clean run
 * issued and the clean answer. Asserts the database is unchanged after every failed attempt.
 */
async function failEveryStatement(token: string, req: Req, plan: (n: number) => FaultPlan = (n) => ({ failAt: n })) {
  let attempts = 0;
  for (let n = 1; n <= 60; n++) {
    const before = await dumpDb(env.DB);
    const db = faulty(env.DB, plan(n));
    const response = await send(db, token, req);
    if (!db.fired) return { statements: db.statements, attempts, response, log: db.log };
    attempts++;
    await expect503(response);
    expect(await dumpDb(env.DB), `statement ${n} (${db.log[n - 1]?.sql.slice(0, 60)}) failed but rows changed`).toBe(before);
  }
  throw new Error('route never ran clean');
}

async function replayIsIdentical(token: string, req: Req, first: Response) {
  const firstText = await first.clone().text();
  const before = await dumpDb(env.DB);
  const again = await send(env.DB, token, req);
  expect(again.status).toBe(first.status);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(await again.text()).toBe(firstText);
  expect(await dumpDb(env.DB)).toBe(before);
}

function importBody(prefix: string) {
  // 800 records span two JSON chunks, so the write batch has several statements to fail in the middle of.
  const teachers = [teacher(`${prefix}-t1`), teacher(`${prefix}-t2`, { name: '李娜 👩‍🏫' })];
  const records = Array.from({ length: 800 }, (_, index) => ({
    id: `${prefix}-r${index}`,
    teacherId: index === 0 ? keys.teacherId : index % 2 ? `${prefix}-t1` : `${prefix}-t2`,
    kind: 'enterprise_practice',
    status: 'verified',
    start: '2025-07-01',
    end: '2025-07-31',
    enterprise: `企业${index} — 数字化改造与工业机器人产线`,
  }));
  return { teachers, records };
}

async function promotionFixture() {
  const id = uid('pt');
  const response = await send(env.DB, keys.hr, { method: 'POST', path: '/v1/teachers', body: teacher(id) });
  expect(response.status).toBe(201);
  return id;
}

const promotionReq = (id: string, key: string): Req => ({
  method: 'POST',
  path: `/v1/teachers/${id}/promotion`,
  body: { asOf: '2026-09-01', override: { reason: '省级技能大赛一等奖，经人事处会议决定破格晋升' } },
  headers: { 'idempotency-key': key },
});

async function freezeFixture() {
  const prefix = uid('fz');
  const imported = await send(env.DB, keys.hr, { method: 'POST', path: '/v1/import', body: { teachers: [teacher(`${prefix}-a`, { title: 'lecturer' }), teacher(`${prefix}-b`)] } });
  expect(imported.status).toBe(201);
  const cycle = await jsonOf(await send(env.DB, keys.hr, { method: 'POST', path: '/v1/review-cycles', body: { name: `评审 ${prefix}`, asOf: '2026-09-01' } }));
  const added = await send(env.DB, keys.hr, {
    method: 'POST',
    path: `/v1/review-cycles/${cycle.id}/candidates`,
    body: {
      candidates: [
        { teacherId: `${prefix}-a`, targetTitle: 'associate_professor' },
        { teacherId: `${prefix}-b`, targetTitle: 'lecturer' },
      ],
    },
  });
  expect(added.status).toBe(200);
  return cycle.id as string;
}

describe('fault injection: a failed statement changes nothing and answers 503; the retry applies once', () => {
  it('every other write route: each statement position fails cleanly (503, nothing changed), then the clean run succeeds', async () => {
    const policy = { ...(await jsonOf(await send(env.DB, keys.admin, { method: 'GET', path: '/v1/policies/default-2026' }))).policy };
    const newRecord = async () => {
      const id = uid('fr');
      const created = await send(env.DB, keys.hr, { method: 'POST', path: '/v1/records', body: { id, teacherId: keys.teacherId, kind: 'teaching_workload', status: 'pending', year: 2024, hours: 12 } });
      expect(created.status).toBe(201);
      return id;
    };
    const reviewer = (await jsonOf(await send(env.DB, keys.admin, { method: 'POST', path: '/v1/keys', body: { role: 'unit_reviewer', units: ['智能制造学院'] } }))).token as string;
    const declared = async () => {
      const created = await send(env.DB, keys.teacher, { method: 'POST', path: '/v1/records', body: { kind: 'enterprise_practice', start: '2025-07-01', end: '2025-07-03', enterprise: '故障注入企业' } });
      expect(created.status).toBe(201);
      return (await jsonOf(created)).record.id as string;
    };
    const cases: Array<{ name: string; token: () => string; make: () => Promise<Req>; ok: number }> = [
      {
        name: 'POST /v1/records (a teacher declares)',
        token: () => keys.teacher,
        ok: 201,
        make: async () => ({ method: 'POST', path: '/v1/records', body: { kind: 'enterprise_practice', start: '2025-07-05', end: '2025-07-06', enterprise: '故障注入企业' } }),
      },
      {
        name: 'PUT /v1/records/{id} (a teacher corrects)',
        token: () => keys.teacher,
        ok: 200,
        make: async () => ({ method: 'PUT', path: `/v1/records/${await declared()}`, body: { kind: 'enterprise_practice', start: '2025-07-01', end: '2025-07-04', enterprise: '故障注入企业' } }),
      },
      { name: 'POST /v1/records/{id}/transitions (unit approves)', token: () => reviewer, ok: 200, make: async () => ({ method: 'POST', path: `/v1/records/${await declared()}/transitions`, body: { action: 'approve' } }) },
      { name: 'POST /v1/records/{id}/transitions (HR returns)', token: () => keys.hr, ok: 200, make: async () => ({ method: 'POST', path: `/v1/records/${await declared()}/transitions`, body: { action: 'return', reason: '缺证明' } }) },
      { name: 'POST /v1/records/transitions (bulk)', token: () => reviewer, ok: 200, make: async () => ({ method: 'POST', path: '/v1/records/transitions', body: { ids: [await declared(), await declared()], action: 'approve' } }) },
      { name: 'POST /v1/teachers', token: () => keys.hr, ok: 201, make: async () => ({ method: 'POST', path: '/v1/teachers', body: teacher(uid('ft')) }) },
      {
        name: 'PATCH /v1/teachers/{id}',
        token: () => keys.hr,
        ok: 200,
        make: async () => ({ method: 'PATCH', path: `/v1/teachers/${await promotionFixture()}`, body: { name: '新名字' }, headers: { 'if-match': '"v1"' } }),
      },
      {
        name: 'POST /v1/teachers/{id}/stage',
        token: () => keys.hr,
        ok: 200,
        make: async () => ({ method: 'POST', path: `/v1/teachers/${await promotionFixture()}/stage`, body: { stage: 'backbone_teacher', stageSince: '2020-09-01', reason: '入职时阶段录入错误，人事处更正' }, headers: { 'if-match': '"v1"' } }),
      },
      {
        name: 'POST /v1/teachers/{id}/departure',
        token: () => keys.hr,
        ok: 200,
        make: async () => ({ method: 'POST', path: `/v1/teachers/${await promotionFixture()}/departure`, body: { departedOn: '2025-07-31', reason: '调离本校' }, headers: { 'if-match': '"v1"' } }),
      },
      { name: 'POST /v1/records', token: () => keys.hr, ok: 201, make: async () => ({ method: 'POST', path: '/v1/records', body: { id: uid('fr'), teacherId: keys.teacherId, kind: 'teaching_evaluation', status: 'verified', date: '2025-03-01', score: 91 } }) },
      { name: 'POST /v1/records/{id}/verify', token: () => keys.hr, ok: 200, make: async () => ({ method: 'POST', path: `/v1/records/${await newRecord()}/verify`, body: { note: '核实' } }) },
      { name: 'POST /v1/records/{id}/reject', token: () => keys.hr, ok: 200, make: async () => ({ method: 'POST', path: `/v1/records/${await newRecord()}/reject` }) },
      { name: 'DELETE /v1/records/{id}', token: () => keys.hr, ok: 200, make: async () => ({ method: 'DELETE', path: `/v1/records/${await newRecord()}` }) },
      { name: 'PATCH /v1/records/{id}', token: () => keys.hr, ok: 200, make: async () => ({ method: 'PATCH', path: `/v1/records/${await newRecord()}`, body: { hours: 30 }, headers: { 'if-match': '"v1"' } }) },
      {
        name: 'POST /v1/records/{id}/restore',
        token: () => keys.hr,
        ok: 200,
        make: async () => {
          const id = await newRecord();
          expect((await send(env.DB, keys.hr, { method: 'DELETE', path: `/v1/records/${id}` })).status).toBe(200);
          return { method: 'POST', path: `/v1/records/${id}/restore`, body: { reason: '误删了这条记录，恢复原状' } };
        },
      },
      { name: 'POST /v1/review-cycles', token: () => keys.hr, ok: 201, make: async () => ({ method: 'POST', path: '/v1/review-cycles', body: { name: '故障注入', asOf: '2026-09-01' } }) },
      {
        name: 'POST /v1/review-cycles/{id}/candidates',
        token: () => keys.hr,
        ok: 200,
        make: async () => {
          const cycle = await jsonOf(await send(env.DB, keys.hr, { method: 'POST', path: '/v1/review-cycles', body: { name: '候选人', asOf: '2026-09-01' } }));
          return { method: 'POST', path: `/v1/review-cycles/${cycle.id}/candidates`, body: { candidates: [{ teacherId: keys.teacherId, targetTitle: 'lecturer' }] } };
        },
      },
      { name: 'POST /v1/policies', token: () => keys.admin, ok: 201, make: async () => ({ method: 'POST', path: '/v1/policies', body: { ...policy, version: uid('pol') } }) },
      { name: 'POST /v1/keys', token: () => keys.admin, ok: 201, make: async () => ({ method: 'POST', path: '/v1/keys', body: { role: 'committee', label: '评委' } }) },
      {
        name: 'DELETE /v1/keys/{id}',
        token: () => keys.admin,
        ok: 200,
        make: async () => ({ method: 'DELETE', path: `/v1/keys/${(await jsonOf(await send(env.DB, keys.admin, { method: 'POST', path: '/v1/keys', body: { role: 'hr' } }))).id}` }),
      },
    ];
    for (const testCase of cases) {
      const req = await testCase.make();
      const { attempts, statements, response } = await failEveryStatement(testCase.token(), req);
      expect(response.status, `${testCase.name}: ${await response.clone().text()}`).toBe(testCase.ok);
      expect(attempts, testCase.name).toBe(statements);
      expect(attempts, testCase.name).toBeGreaterThanOrEqual(2);
    }
  });

  it('import (JSON, 800 rows): every statement position, then a clean retry and a replay', async () => {
    const prefix = uid('fi');
    const key = uid('idem');
    const req: Req = { method: 'POST', path: '/v1/import', body: importBody(prefix), headers: { 'idempotency-key': key } };
    const { statements, attempts, response, log } = await failEveryStatement(keys.hr, req);
    expect(attempts).toBe(statements);
    expect(log.filter((entry) => entry.batch !== null).length).toBeGreaterThanOrEqual(4); // idem + teachers + 2 record chunks + audit
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await count('SELECT COUNT(*) AS n FROM records WHERE id LIKE ?', `${prefix}-%`)).toBe(800);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import' AND entity_id = ?", key)).toBe(1);
    await replayIsIdentical(keys.hr, req, response);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import' AND entity_id = ?", key)).toBe(1);
  });

  it('review (HR verifies with an Idempotency-Key): every statement position, then a clean retry and a replay', async () => {
    const created = await send(env.DB, keys.teacher, { method: 'POST', path: '/v1/records', body: { kind: 'enterprise_practice', start: '2025-08-01', end: '2025-08-02', enterprise: '幂等企业' } });
    const id = (await jsonOf(created)).record.id as string;
    const req: Req = { method: 'POST', path: `/v1/records/${id}/transitions`, body: { action: 'approve' }, headers: { 'idempotency-key': uid('idem') } };
    const { statements, attempts, response } = await failEveryStatement(keys.hr, req);
    expect(attempts).toBe(statements);
    expect(response.status, await response.clone().text()).toBe(200);
    await replayIsIdentical(keys.hr, req, response);
    expect(await count("SELECT COUNT(*) AS n FROM record_transitions WHERE record_id = ? AND to_state = 'verified'", id)).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'record.approve' AND entity_id = ?", id)).toBe(1);
  });

  it('promotion (HR override, audited): every statement position, then a clean retry and a replay', async () => {
    const id = await promotionFixture();
    const req = promotionReq(id, uid('idem'));
    const { statements, attempts, response } = await failEveryStatement(keys.hr, req);
    expect(attempts).toBe(statements);
    expect(statements).toBeGreaterThanOrEqual(6);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await jsonOf(response.clone())).toMatchObject({ from: 'new_teacher', to: 'backbone_teacher', overridden: true });
    await replayIsIdentical(keys.hr, req, response);
    const row = await env.DB.prepare('SELECT stage, version FROM teachers WHERE id = ?').bind(id).first();
    expect(row).toEqual({ stage: 'backbone_teacher', version: 2 });
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'teacher.promote.override' AND entity_id = ?", id)).toBe(1);
  });

  it('freeze: every statement position, then a clean retry and a replay', async () => {
    const cycleId = await freezeFixture();
    const req: Req = { method: 'POST', path: `/v1/review-cycles/${cycleId}/freeze`, headers: { 'idempotency-key': uid('idem') } };
    const { statements, attempts, response } = await failEveryStatement(keys.hr, req);
    expect(attempts).toBe(statements);
    expect(response.status, await response.clone().text()).toBe(200);
    expect((await jsonOf(response.clone())).frozen).toBe(true);
    await replayIsIdentical(keys.hr, req, response);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'cycle.freeze' AND entity_id = ?", cycleId)).toBe(1);
    // Without the key, a second freeze is refused as before.
    expect((await send(env.DB, keys.hr, { method: 'POST', path: `/v1/review-cycles/${cycleId}/freeze` })).status).toBe(409);
  });

  it('whole batch() failures: every batch position of each route changes nothing', async () => {
    const prefix = uid('fb');
    const importReq: Req = { method: 'POST', path: '/v1/import', body: importBody(prefix), headers: { 'idempotency-key': uid('idem') } };
    const imported = await failEveryStatement(keys.hr, importReq, (n) => ({ failBatch: n }));
    expect(imported.response.status).toBe(201);
    const promoted = await failEveryStatement(keys.hr, promotionReq(await promotionFixture(), uid('idem')), (n) => ({ failBatch: n }));
    expect(promoted.attempts).toBe(2); // the read bundle, the write
    expect(promoted.response.status).toBe(200);
    const frozen = await failEveryStatement(keys.hr, { method: 'POST', path: `/v1/review-cycles/${await freezeFixture()}/freeze`, headers: { 'idempotency-key': uid('idem') } }, (n) => ({ failBatch: n }));
    expect(frozen.attempts).toBeGreaterThanOrEqual(2);
    expect(frozen.response.status).toBe(200);
  });

  it('a reply lost after the commit: 503, and the retry with the same key replays instead of applying twice', async () => {
    // Learn how many statements each route issues on a fixture of the same shape, then commit its last one and lose the reply.
    const cases: Array<{ name: string; make: () => Promise<Req>; check: (req: Req) => Promise<void> }> = [
      {
        name: 'import',
        make: async () => ({ method: 'POST', path: '/v1/import', body: importBody(uid('fl')), headers: { 'idempotency-key': uid('idem') } }),
        check: async (req) => expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import' AND entity_id = ?", req.headers!['idempotency-key'])).toBe(1),
      },
      {
        name: 'promotion',
        make: async () => promotionReq(await promotionFixture(), uid('idem')),
        check: async (req) => {
          const id = req.path.split('/')[3]!;
          expect(await env.DB.prepare('SELECT stage, version FROM teachers WHERE id = ?').bind(id).first()).toEqual({ stage: 'backbone_teacher', version: 2 });
        },
      },
      {
        name: 'freeze',
        make: async () => ({ method: 'POST', path: `/v1/review-cycles/${await freezeFixture()}/freeze`, headers: { 'idempotency-key': uid('idem') } }),
        check: async (req) => expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'cycle.freeze' AND entity_id = ?", req.path.split('/')[3])).toBe(1),
      },
    ];
    for (const testCase of cases) {
      const probe = faulty(env.DB, {});
      expect((await send(probe, keys.hr, await testCase.make())).status).toBeLessThan(300);
      const req = await testCase.make();
      const db: FaultyD1 = faulty(env.DB, { failAt: probe.statements, mode: 'after' });
      await expect503(await send(db, keys.hr, req));
      expect(db.fired, testCase.name).toBe(true);
      const retry = await send(env.DB, keys.hr, req);
      expect(retry.status, testCase.name).toBeLessThan(300);
      expect(retry.headers.get('idempotent-replayed'), testCase.name).toBe('true');
      await testCase.check(req);
    }
  });

  it('a deterministic SQL error is a bug, not an outage: 500 without SQL or stack, and nothing written', async () => {
    const req = promotionReq(await promotionFixture(), uid('idem'));
    const before = await dumpDb(env.DB);
    const db = faulty(env.DB, { failAt: 6, error: () => new Error('D1_ERROR: UNIQUE constraint failed: teachers.id: SQLITE_CONSTRAINT') });
    const response = await send(db, keys.hr, req);
    expect(db.fired).toBe(true);
    expect(response.status).toBe(500);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await response.text()).not.toMatch(/UNIQUE|SQLITE|teachers\.id|at \//);
    expect(await dumpDb(env.DB)).toBe(before);
  });

  it('reads hit by a storage failure answer 503 too', async () => {
    const response = await send(faulty(env.DB, { failAt: 2 }), keys.hr, { method: 'GET', path: `/v1/teachers/${keys.teacherId}/progress?asOf=2026-09-01` });
    await expect503(response);
    const authFails = await send(faulty(env.DB, { failAt: 1 }), keys.hr, { method: 'GET', path: '/v1/teachers' });
    await expect503(authFails);
  });
});
