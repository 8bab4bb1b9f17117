import { beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../src/csv.js';
import { queryStats, resetQueryStats } from '../src/db/index.js';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

const count = async (table: string, where: string, ...binds: unknown[]) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...binds)
    .first<{ n: number }>())!.n;

function batchOf(prefix: string, size: number) {
  const teachers = [teacher(`${prefix}-t1`, { name: '陈静', unit: '信息工程学院' }), teacher(`${prefix}-t2`)];
  const records = Array.from({ length: size }, (_, index) => ({
    id: `${prefix}-r${index}`,
    teacherId: index % 2 ? `${prefix}-t1` : `${prefix}-t2`,
    kind: 'teaching_evaluation',
    status: 'verified',
    date: '2025-01-10',
    score: 80 + (index % 20),
  }));
  return { teachers, records };
}

describe('import', () => {
  it('imports JSON teachers and records in one batch', async () => {
    const prefix = uid('imp');
    const body = batchOf(prefix, 300);
    const response = await call('POST', '/v1/import', { token: keys.hr, body });
    expect(response.status).toBe(201);
    expect((await jsonOf(response)).imported).toEqual({ teachers: 2, records: 300 });
    expect(await count('records', 'id LIKE ?', `${prefix}-%`)).toBe(300);
    const audit = await jsonOf(await call('GET', '/v1/audit?entity=import', { token: keys.hr }));
    expect(audit.items[0].detail).toMatchObject({ teachers: 2, records: 300 });
  });

  it('20,000 rows (the cap) go in as a handful of statements in one atomic batch', async () => {
    const prefix = uid('big');
    const teachers = Array.from({ length: 200 }, (_, index) => teacher(`${prefix}-t${index}`, { name: `教师${index}` }));
    const records = Array.from({ length: 19_800 }, (_, index) => ({ id: `${prefix}-r${index}`, teacherId: `${prefix}-t${index % 200}`, kind: 'teaching_evaluation', status: 'verified', date: '2025-01-10', score: 88 }));
    resetQueryStats();
    const response = await call('POST', '/v1/import', { token: keys.hr, body: { teachers, records } });
    expect(response.status).toBe(201);
    expect(queryStats.statements).toBeLessThan(40);
    expect(await count('records', 'id LIKE ?', `${prefix}-%`)).toBe(19_800);
  });

  it('one bad row among 500 writes nothing and names the row and field', async () => {
    const prefix = uid('imp');
    const body = batchOf(prefix, 500);
    (body.records[317] as Record<string, unknown>).score = 140;
    const response = await call('POST', '/v1/import', { token: keys.hr, body });
    expect(response.status).toBe(400);
    const problem = await jsonOf(response);
    expect(problem.errors).toEqual([{ path: 'records[317].score', message: expect.any(String) }]);
    expect(await count('records', 'id LIKE ?', `${prefix}-%`)).toBe(0);
    expect(await count('teachers', 'id LIKE ?', `${prefix}-%`)).toBe(0);
  });

  it('lists every bad row: duplicates and unknown teachers too, and writes nothing', async () => {
    const prefix = uid('imp');
    const body = batchOf(prefix, 10);
    body.records[3]!.id = body.records[2]!.id;
    body.records[5]!.teacherId = 'ghost';
    const response = await call('POST', '/v1/import', { token: keys.hr, body });
    expect(response.status).toBe(400);
    const paths = (await jsonOf(response)).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(['records[3].id', 'records[5].teacherId']);
    expect(await count('teachers', 'id LIKE ?', `${prefix}-%`)).toBe(0);
  });

  it('a database failure in the middle of the batch rolls everything back', async () => {
    const prefix = uid('imp');
    const body = batchOf(prefix, 200);
    // Row 150 is valid input but the database refuses it: the statements before it must not survive.
    await env.DB.prepare(`CREATE TRIGGER fail_${prefix.replace(/-/g, '_')} BEFORE INSERT ON records WHEN NEW.id = '${prefix}-r150' BEGIN SELECT RAISE(ABORT, 'boom'); END`).run();
    try {
      const response = await call('POST', '/v1/import', { token: keys.hr, body, headers: { 'idempotency-key': prefix } });
      expect(response.status).toBe(500);
      const problem = await jsonOf(response);
      expect(JSON.stringify(problem)).not.toMatch(/boom|INSERT|SQL|at /);
    } finally {
      await env.DB.prepare(`DROP TRIGGER fail_${prefix.replace(/-/g, '_')}`).run();
    }
    expect(await count('teachers', 'id LIKE ?', `${prefix}-%`)).toBe(0);
    expect(await count('records', 'id LIKE ?', `${prefix}-%`)).toBe(0);
    expect(await count('idempotency_keys', 'idem_key = ?', prefix)).toBe(0);
  });

  it('imports CSV with Chinese text, quotes and a BOM', async () => {
    const prefix = uid('csv');
    const csv = toCsv(
      ['entity', 'id', 'name', 'unit', 'hireDate', 'stage', 'stageSince', 'title', 'titleSince', 'teacherId', 'kind', 'status', 'start', 'end', 'enterprise', 'topics', 'year', 'hours'],
      [
        ['teacher', `${prefix}-t1`, '欧阳"小"明', '智能制造学院, 机电系', '2019-09-01', 'new_teacher', '2019-09-01', 'assistant', '2019-09-01'],
        ['record', `${prefix}-r1`, '', '', '', '', '', '', '', `${prefix}-t1`, 'enterprise_practice', 'verified', '2025-07-01', '2025-07-31', '比亚迪，深圳\n坪山工厂', '工业机器人;数字化改造'],
        ['record', `${prefix}-r2`, '', '', '', '', '', '', '', `${prefix}-t1`, 'teaching_workload', 'verified', '', '', '', '', 2024, 300],
      ],
    );
    const response = await call('POST', '/v1/import', { token: keys.hr, raw: csv, contentType: 'text/csv; charset=utf-8' });
    expect(response.status, await response.clone().text()).toBe(201);
    const t = await jsonOf(await call('GET', `/v1/teachers/${prefix}-t1`, { token: keys.hr }));
    expect(t).toMatchObject({ name: '欧阳"小"明', unit: '智能制造学院, 机电系' });
    const r = await jsonOf(await call('GET', `/v1/records/${prefix}-r1`, { token: keys.hr }));
    expect(r.record).toMatchObject({ enterprise: '比亚迪，深圳\n坪山工厂', topics: ['工业机器人', '数字化改造'] });
    const w = await jsonOf(await call('GET', `/v1/records/${prefix}-r2`, { token: keys.hr }));
    expect(w.record).toMatchObject({ year: 2024, hours: 300 });
  });

  it('a bad CSV row is reported by line and field', async () => {
    const csv = 'entity,id,teacherId,kind,status,year,hours\r\nrecord,x1,nobody,teaching_workload,verified,2024,lots\r\nthing,x2\r\n';
    const response = await call('POST', '/v1/import', { token: keys.hr, raw: csv, contentType: 'text/csv' });
    expect(response.status).toBe(400);
    const paths = (await jsonOf(response)).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['csv[2].hours', 'csv[3].entity']));
  });

  it('Idempotency-Key replays the first result and refuses a different body with 422', async () => {
    const prefix = uid('idem');
    const body = batchOf(prefix, 5);
    const key = uid('key');
    const first = await call('POST', '/v1/import', { token: keys.hr, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const firstBody = await jsonOf(first);
    const auditBefore = await count('audit_log', "action = 'import'");
    const replay = await call('POST', '/v1/import', { token: keys.hr, body, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await jsonOf(replay)).toEqual(firstBody);
    expect(await count('audit_log', "action = 'import'")).toBe(auditBefore);
    const other = await call('POST', '/v1/import', { token: keys.hr, body: batchOf(prefix, 6), headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('problem+json');
  });

  it('concurrent requests with one Idempotency-Key write once', async () => {
    const prefix = uid('idem');
    const body = batchOf(prefix, 20);
    const key = uid('key');
    const auditBefore = await count('audit_log', "action = 'import'");
    const responses = await Promise.all([1, 2, 3].map(() => call('POST', '/v1/import', { token: keys.hr, body, headers: { 'idempotency-key': key } })));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(await count('audit_log', "action = 'import'")).toBe(auditBefore + 1);
  });

  it('too many rows or too large a body answers 413/400 with a clear message', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const tooLarge = await call('POST', '/v1/teachers', { token: keys.hr, raw: JSON.stringify({ name: big }), contentType: 'application/json' });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toContain('problem+json');
    const rows = 'entity,id\r\n' + 'teacher,x\r\n'.repeat(20_001);
    const tooMany = await call('POST', '/v1/import', { token: keys.hr, raw: rows, contentType: 'text/csv' });
    expect(tooMany.status).toBe(413);
    expect((await jsonOf(tooMany)).detail).toContain('20000');
    expect((await call('POST', '/v1/import', { token: keys.hr, raw: 'hello', contentType: 'text/plain' })).status).toBe(415);
    expect((await call('POST', '/v1/import', { token: keys.hr, body: {} })).status).toBe(400);
  });
});
