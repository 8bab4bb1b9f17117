import { beforeAll, describe, expect, it, vi } from 'vitest';
import { app } from '../src/app.js';
import { MAX_BODY_BYTES, MAX_IMPORT_BYTES } from '../src/app.js';
import { MAX_IMPORT_ROWS } from '../src/routes/import.js';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * Concurrency (many requests in flight at once against one D1) and limits (body size, page size, rows per
 * import), each refused with a problem+json that names the limit.
 */

let keys: Keys;
beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined); // the app logs every 503/500 it answers
  keys = await setupKeys();
});

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

async function expectProblem(response: Response, status: number) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = JSON.parse(text);
  expect(problem).toMatchObject({ type: expect.stringMatching(/^urn:shizi:problem:/), title: expect.any(String), status, instance: expect.any(String), requestId: expect.any(String) });
  return problem;
}

describe('concurrency', () => {
  it('20 concurrent imports with distinct Idempotency-Keys: every row present exactly once', async () => {
    const prefix = uid('cc');
    const shared = `${prefix}-shared`;
    const bodies = Array.from({ length: 20 }, (_, client) => ({
      teachers: [teacher(`${prefix}-t${client}`, { name: `并发${client}` })],
      records: [
        ...Array.from({ length: 50 }, (_, index) => ({ id: `${prefix}-c${client}-r${index}`, teacherId: `${prefix}-t${client}`, kind: 'teaching_evaluation', status: 'verified', date: '2025-03-01', score: 90 })),
        // Every client also upserts the same record: it must end up stored once, not twenty times.
        { id: shared, teacherId: keys.teacherId, kind: 'teaching_workload', status: 'verified', year: 2024, hours: 100 + client },
      ],
    }));
    const idemKeys = bodies.map(() => uid('idem'));
    const responses = await Promise.all(bodies.map((body, client) => call('POST', '/v1/import', { token: keys.hr, body, headers: { 'idempotency-key': idemKeys[client]! } })));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    expect(await count('SELECT COUNT(*) AS n FROM teachers WHERE id LIKE ?', `${prefix}-t%`)).toBe(20);
    expect(await count('SELECT COUNT(*) AS n FROM records WHERE id LIKE ?', `${prefix}-c%`)).toBe(20 * 50);
    expect(await count('SELECT COUNT(DISTINCT id) AS n FROM records WHERE id LIKE ?', `${prefix}-c%`)).toBe(20 * 50);
    expect(await count('SELECT COUNT(*) AS n FROM records WHERE id = ?', shared)).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import' AND entity_id IN (${idemKeys.map(() => '?').join(',')})`, ...idemKeys)).toBe(20);
    expect(await count(`SELECT COUNT(*) AS n FROM idempotency_keys WHERE idem_key IN (${idemKeys.map(() => '?').join(',')})`, ...idemKeys)).toBe(20);
  });

  it('20 concurrent identical imports with one Idempotency-Key: one write, twenty identical answers', async () => {
    const prefix = uid('same');
    const key = uid('idem');
    const body = { teachers: [teacher(`${prefix}-t`)], records: Array.from({ length: 30 }, (_, index) => ({ id: `${prefix}-r${index}`, teacherId: `${prefix}-t`, kind: 'teaching_evaluation', status: 'verified', date: '2025-03-01', score: 80 })) };
    const responses = await Promise.all(Array.from({ length: 20 }, () => call('POST', '/v1/import', { token: keys.hr, body, headers: { 'idempotency-key': key } })));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    const texts = await Promise.all(responses.map((response) => response.text()));
    expect(new Set(texts).size).toBe(1);
    expect(responses.filter((response) => response.headers.get('idempotent-replayed') === 'true').length).toBe(19);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import' AND entity_id = ?", key)).toBe(1);
    expect(await count('SELECT version AS n FROM teachers WHERE id = ?', `${prefix}-t`)).toBe(1);
  });

  it('10 concurrent promotions with one Idempotency-Key: promoted once, ten identical answers', async () => {
    const id = uid('cp');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id) })).status).toBe(201);
    const key = uid('idem');
    const body = { asOf: '2026-09-01', override: { reason: '市级教学名师，经学校职称委员会讨论同意' } };
    const responses = await Promise.all(Array.from({ length: 10 }, () => call('POST', `/v1/teachers/${id}/promotion`, { token: keys.hr, body, headers: { 'idempotency-key': key } })));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(new Set(await Promise.all(responses.map((response) => response.text()))).size).toBe(1);
    expect(await env.DB.prepare('SELECT stage, version FROM teachers WHERE id = ?').bind(id).first()).toEqual({ stage: 'backbone_teacher', version: 2 });
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = ? AND action LIKE 'teacher.promote%'", id)).toBe(1);
  });

  it('10 concurrent promotions without a key: one wins, the rest 409, promoted once', async () => {
    const id = uid('cp');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id) })).status).toBe(201);
    const body = { asOf: '2026-09-01', override: { reason: '市级教学名师，经学校职称委员会讨论同意' } };
    const responses = await Promise.all(Array.from({ length: 10 }, () => call('POST', `/v1/teachers/${id}/promotion`, { token: keys.hr, body })));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    expect(await env.DB.prepare('SELECT stage, version FROM teachers WHERE id = ?').bind(id).first()).toEqual({ stage: 'backbone_teacher', version: 2 });
  });

  it('10 concurrent freezes with one Idempotency-Key: frozen once, ten identical answers', async () => {
    const cycle = await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: '并发冻结', asOf: '2026-09-01' } }));
    expect((await call('POST', `/v1/review-cycles/${cycle.id}/candidates`, { token: keys.hr, body: { candidates: [{ teacherId: keys.teacherId, targetTitle: 'lecturer' }] } })).status).toBe(200);
    const key = uid('idem');
    const responses = await Promise.all(Array.from({ length: 10 }, () => call('POST', `/v1/review-cycles/${cycle.id}/freeze`, { token: keys.hr, headers: { 'idempotency-key': key } })));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(new Set(await Promise.all(responses.map((response) => response.text()))).size).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'cycle.freeze' AND entity_id = ?", cycle.id)).toBe(1);
  });

  it('10 concurrent PATCHes with the same If-Match: exactly one 200, the rest 412', async () => {
    const id = uid('pa');
    const created = await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id) });
    const etag = created.headers.get('etag')!;
    const responses = await Promise.all(Array.from({ length: 10 }, (_, client) => call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { name: `改名${client}` }, headers: { 'if-match': etag } })));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(9);
    for (const response of responses.filter((r) => r.status === 412)) await expectProblem(response, 412);
    const winner = await jsonOf(responses[statuses.indexOf(200)]!);
    const stored = await env.DB.prepare('SELECT name, version FROM teachers WHERE id = ?').bind(id).first();
    expect(stored).toEqual({ name: winner.name, version: 2 });
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'teacher.update' AND entity_id = ?", id)).toBe(1);
  });
});

describe('limits', () => {
  it(`a body over ${MAX_BODY_BYTES} bytes answers 413 naming the limit, before any parsing`, async () => {
    const response = await call('POST', '/v1/records', { token: keys.hr, raw: JSON.stringify({ id: 'x', note: 'x'.repeat(MAX_BODY_BYTES) }), contentType: 'application/json' });
    const problem = await expectProblem(response, 413);
    expect(problem.detail).toContain(String(MAX_BODY_BYTES));
  });

  it('a streamed body (no Content-Length) over the limit is cut off with 413 too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await app.request('http://localhost/v1/teachers', { method: 'POST', headers: { authorization: `Bearer ${keys.hr}`, 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit, env);
    const problem = await expectProblem(response, 413);
    expect(problem.detail).toContain(String(MAX_BODY_BYTES));
  });

  it(`an import body over ${MAX_IMPORT_BYTES} bytes answers 413 naming the limit`, async () => {
    const response = await call('POST', '/v1/import', { token: keys.hr, raw: 'entity,id\r\n' + 'x'.repeat(MAX_IMPORT_BYTES), contentType: 'text/csv' });
    const problem = await expectProblem(response, 413);
    expect(problem.detail).toContain(String(MAX_IMPORT_BYTES));
  });

  it('page sizes: limit above 200 (or below 1, or not an integer) is a 400 naming query.limit; 200 is accepted', async () => {
    for (const path of ['/v1/teachers', '/v1/records', '/v1/audit']) {
      for (const bad of ['201', '0', '-1', '1e9', '2.5', 'all']) {
        const problem = await expectProblem(await call('GET', `${path}?limit=${bad}`, { token: path === '/v1/audit' ? keys.admin : keys.hr }), 400);
        expect(
          problem.errors.map((error: { path: string }) => error.path),
          `${path}?limit=${bad}`,
        ).toContain('query.limit');
      }
      expect((await call('GET', `${path}?limit=200`, { token: path === '/v1/audit' ? keys.admin : keys.hr })).status).toBe(200);
    }
  });

  it(`a CSV import over ${MAX_IMPORT_ROWS} rows answers 413 naming the cap, and writes nothing`, async () => {
    const before = await count('SELECT COUNT(*) AS n FROM teachers');
    const rows = 'entity,id\r\n' + 'teacher,x\r\n'.repeat(MAX_IMPORT_ROWS + 1);
    const problem = await expectProblem(await call('POST', '/v1/import', { token: keys.hr, raw: rows, contentType: 'text/csv' }), 413);
    expect(problem.detail).toContain(String(MAX_IMPORT_ROWS));
    expect(await count('SELECT COUNT(*) AS n FROM teachers')).toBe(before);
  });

  it(`a JSON import over ${MAX_IMPORT_ROWS} records answers 400 naming the cap and the field`, async () => {
    const records = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, index) => ({ id: `r${index}`, teacherId: keys.teacherId, kind: 'teaching_workload', status: 'verified', year: 2024, hours: 1 }));
    const problem = await expectProblem(await call('POST', '/v1/import', { token: keys.hr, body: { records } }), 400);
    expect(problem.errors).toEqual([{ path: 'records', message: expect.stringContaining(String(MAX_IMPORT_ROWS)) }]);
  });

  it('more than 2000 candidates in one request answers 400 naming candidates', async () => {
    const cycle = await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: 'limits', asOf: '2026-09-01' } }));
    const candidates = Array.from({ length: 2001 }, (_, index) => ({ teacherId: `t${index}`, targetTitle: 'lecturer' }));
    const problem = await expectProblem(await call('POST', `/v1/review-cycles/${cycle.id}/candidates`, { token: keys.hr, body: { candidates } }), 400);
    expect(problem.errors.map((error: { path: string }) => error.path)).toContain('candidates');
  });
});
