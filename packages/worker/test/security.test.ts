import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/app.js';
import { jsonChunks, utf8Length } from '../src/db/index.js';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

const get = (path: string) => app.request(`http://localhost${path}`, {}, env);

describe('security headers (hono/secure-headers)', () => {
  it('sends nosniff and DENY framing on every response, errors and pages included', async () => {
    const responses = [
      await get('/v1/health'),
      await get('/openapi.json'),
      await get('/docs'),
      await get('/'),
      await get('/assets/common.js'),
      await get('/nowhere'),
      await call('GET', '/v1/teachers'),
      await call('GET', `/v1/teachers/${keys.teacherId}`, { token: keys.hr }),
      await call('POST', '/v1/teachers', { token: keys.hr, raw: 'x', contentType: 'text/plain' }),
    ];
    for (const response of responses) {
      expect(response.headers.get('x-content-type-options'), response.url).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('marks every answer carrying personal data Cache-Control: no-store', async () => {
    const id = keys.teacherId;
    const paths = [
      `/v1/teachers/${id}`,
      '/v1/teachers',
      `/v1/teachers/${id}/progress?asOf=2026-09-01`,
      `/v1/teachers/${id}/practice?year=2025`,
      `/v1/teachers/${id}/dual-qualified?asOf=2026-09-01`,
      `/v1/teachers/${id}/appraisals/2024`,
      `/v1/records?teacherId=${id}`,
      '/v1/appraisals?year=2024',
      '/v1/appraisals?year=2024&format=csv',
      '/v1/review-cycles',
      '/v1/audit',
      `/v1/teachers/${uid('none')}`,
    ];
    for (const path of paths) {
      const response = await call('GET', path, { token: keys.hr });
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
    const keysList = await call('GET', '/v1/keys', { token: keys.admin });
    expect(keysList.status).toBe(200);
    expect(keysList.headers.get('cache-control')).toBe('no-store');
    const created = await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'committee', label: 'headers' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    // public rules are not personal data
    expect((await call('GET', '/v1/policies', { token: keys.hr })).headers.get('cache-control')).toBeNull();
  });

  it('serves /docs with a CSP that forbids framing', async () => {
    const csp = (await get('/docs')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect((await get('/committee')).headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    // the review page frames only its own evidence previews (blob: URLs of files fetched with the token)
    const review = await get('/review');
    expect(review.status).toBe(200);
    const reviewCsp = review.headers.get('content-security-policy') ?? '';
    expect(reviewCsp).toContain("frame-ancestors 'none'");
    expect(reviewCsp).toContain("frame-src 'self' blob:");
    expect(reviewCsp).toContain("object-src 'none'");
    expect(await review.text()).toContain('/assets/review.js');
  });
});

describe('append-only audit log', () => {
  it('refuses INSERT OR REPLACE and REPLACE INTO over an existing row, and still takes new rows', async () => {
    await env.DB.prepare("INSERT INTO audit_log (at, action, entity, detail) VALUES ('2026-01-01', 'probe', 'test', 'original')").run();
    const row = await env.DB.prepare("SELECT id FROM audit_log WHERE action = 'probe' ORDER BY id DESC LIMIT 1").first<{ id: number }>();
    const id = row!.id;
    await expect(env.DB.prepare("INSERT OR REPLACE INTO audit_log (id, at, action, entity, detail) VALUES (?, '2026-01-02', 'forged', 'test', 'forged')").bind(id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("REPLACE INTO audit_log (id, at, action, entity, detail) VALUES (?, '2026-01-02', 'forged', 'test', 'forged')").bind(id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("INSERT INTO audit_log (id, at, action, entity) VALUES (?, '2026-01-02', 'forged', 'test') ON CONFLICT (id) DO UPDATE SET action = 'forged'").bind(id).run()).rejects.toThrow(/append-only/);
    const kept = await env.DB.prepare('SELECT action, detail FROM audit_log WHERE id = ?').bind(id).first();
    expect(kept).toEqual({ action: 'probe', detail: 'original' });
    // a fresh id (explicit or autoincrement) is still an append
    await env.DB.prepare("INSERT INTO audit_log (at, action, entity) VALUES ('2026-01-03', 'probe2', 'test')").run();
  });
});

describe('an import that changes stored rows audits each one', () => {
  it('lists the previous and new values of every changed teacher and record, however many rows', async () => {
    const teacherId = uid('imp');
    const records = Array.from({ length: 61 }, (_, index) => ({ id: `${teacherId}-r${index}`, teacherId, kind: 'teaching_evaluation', status: 'rejected', date: '2025-01-10', score: 70 + (index % 20) }));
    const first = await call('POST', '/v1/import', { token: keys.hr, body: { teachers: [teacher(teacherId)], records } });
    expect(first.status).toBe(201);
    // the 56th record becomes verified, one is unchanged-but-resent, the teacher moves unit
    const changed = records.map((record, index) => (index === 55 ? { ...record, status: 'verified' } : record));
    const again = await call('POST', '/v1/import', { token: keys.hr, body: { teachers: [teacher(teacherId, { unit: '信息工程学院' })], records: changed } });
    expect(again.status).toBe(201);

    const recordHistory = await jsonOf(await call('GET', `/v1/audit?entity=record&entityId=${teacherId}-r55`, { token: keys.hr }));
    expect(recordHistory.items).toHaveLength(1);
    expect(recordHistory.items[0]).toMatchObject({ action: 'record.import', entity: 'record', entityId: `${teacherId}-r55`, role: 'hr' });
    expect(recordHistory.items[0].detail.before.status).toBe('rejected');
    expect(recordHistory.items[0].detail.after.status).toBe('verified');
    // unchanged records leave no trace
    expect((await jsonOf(await call('GET', `/v1/audit?entity=record&entityId=${teacherId}-r54`, { token: keys.hr }))).items).toHaveLength(0);

    const teacherHistory = await jsonOf(await call('GET', `/v1/audit?entity=teacher&entityId=${teacherId}`, { token: keys.hr }));
    expect(teacherHistory.items[0]).toMatchObject({ action: 'teacher.import' });
    expect(teacherHistory.items[0].detail.before.unit).toBe('智能制造学院');
    expect(teacherHistory.items[0].detail.after.unit).toBe('信息工程学院');
  });
});

describe('bulk JSON chunks', () => {
  it('measure UTF-8 bytes exactly and stay under the limit', () => {
    for (const text of ['abc', '王芳', 'é', '😀x', '\u{10FFFF}', '教师T001 — “引号”']) expect(utf8Length(text), text).toBe(new TextEncoder().encode(text).length);
    const rows = Array.from({ length: 3000 }, (_, index) => ({ id: `r${index}`, name: '智能制造学院'.repeat(index % 7), emoji: '😀'.repeat(index % 3) }));
    const chunks = jsonChunks(rows, 20_000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(new TextEncoder().encode(chunk).length).toBeLessThanOrEqual(20_000);
    expect(chunks.flatMap((chunk) => JSON.parse(chunk))).toEqual(rows);
  });
});
