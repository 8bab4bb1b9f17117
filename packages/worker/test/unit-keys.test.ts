import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/app.js';
import { parseCsv } from '../src/csv.js';
import { xlsxSheets } from '../src/sheets/xlsx.js';
import { faulty } from './faults.js';
import { call, createKey, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

/** A fresh unit with `n` teachers (ids sorted as created); returns the unit and the ids. */
async function unitWith(n: number, names: string[] = []): Promise<{ unit: string; ids: string[] }> {
  const unit = uid('学院');
  const ids: string[] = [];
  for (let index = 0; index < n; index++) {
    const id = `${uid('t')}-${index}`;
    ids.push(id);
    const response = await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit, ...(names[index] ? { name: names[index] } : {}) }) });
    expect(response.status).toBe(201);
  }
  return { unit, ids: ids.sort() };
}

const issue = (token: string, body: Record<string, unknown>) => call('POST', '/v1/keys/unit', { token, body });

async function csvRows(response: Response): Promise<string[][]> {
  expect(response.headers.get('content-type')).toContain('text/csv');
  return parseCsv(await response.text());
}

async function keyCount(sql: string, ...args: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>();
  return row!.n;
}

describe('POST /v1/keys/unit', () => {
  it('issues one teacher key per teacher without a live key, as a CSV with Chinese headings; the tokens work', async () => {
    const { unit, ids } = await unitWith(3);
    const oldToken = await createKey('teacher', ids[0]!);
    const response = await issue(keys.hr, { unit, format: 'csv' });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-keys-issued')).toBe('2');
    expect(response.headers.get('x-keys-skipped')).toBe('1');
    const [header, ...rows] = await csvRows(response);
    expect(header).toEqual(['教师编号', '姓名', '部门', '角色', '令牌', '创建时间']);
    expect(rows.map((row) => row[0])).toEqual([ids[1], ids[2]]);
    for (const row of rows) {
      expect(row.slice(1, 4)).toEqual([`教师${row[0]}`, unit, '教师']);
      const me = await jsonOf(await call('GET', '/v1/me', { token: row[4] }));
      expect(me).toMatchObject({ role: 'teacher', teacherId: row[0] });
    }
    // the skipped teacher keeps the old key
    expect((await call('GET', '/v1/me', { token: oldToken })).status).toBe(200);
    // audited once, with the key ids and never the tokens
    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE action = 'key.create_unit' AND detail LIKE ?").bind(`%${unit}%`).all<{ detail: string }>();
    expect(audit.results.length).toBe(1);
    const detail = JSON.parse(audit.results[0]!.detail);
    expect(detail.keys.map((key: { teacherId: string }) => key.teacherId)).toEqual([ids[1], ids[2]]);
    expect(audit.results[0]!.detail).not.toContain(rows[0]![4]);
    // a second call issues nothing: everyone holds a live key
    const again = await issue(keys.hr, { unit, format: 'csv' });
    expect(again.headers.get('x-keys-issued')).toBe('0');
    expect((await csvRows(again)).length).toBe(1);
  });

  it('rotate revokes and replaces the live keys; reviewer adds a unit_reviewer key for the unit', async () => {
    const { unit, ids } = await unitWith(2);
    const oldToken = await createKey('teacher', ids[0]!);
    const response = await issue(keys.admin, { unit, format: 'csv', rotate: true, reviewer: true });
    expect(response.status).toBe(201);
    const [, ...rows] = await csvRows(response);
    expect(rows.map((row) => [row[0], row[3]])).toEqual([
      [ids[0], '教师'],
      [ids[1], '教师'],
      ['', '二级学院审核人'],
    ]);
    expect((await call('GET', '/v1/me', { token: oldToken })).status).toBe(401);
    const reviewer = await jsonOf(await call('GET', '/v1/me', { token: rows[2]![4] }));
    expect(reviewer).toMatchObject({ role: 'unit_reviewer' });
    expect(await keyCount('SELECT count(*) AS n FROM api_key_units WHERE unit = ?', unit)).toBe(1);
    expect(await keyCount("SELECT count(*) AS n FROM api_keys WHERE role = 'teacher' AND revoked_at IS NULL AND teacher_id IN (?, ?)", ids[0], ids[1])).toBe(2);
  });

  it('answers an xlsx workbook by default, and neutralises formula-like names', async () => {
    const { unit, ids } = await unitWith(1, ['=HYPERLINK("http://x","y")']);
    const response = await issue(keys.hr, { unit });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    const [sheet] = await xlsxSheets(new Uint8Array(await response.arrayBuffer()), 'zh');
    expect(sheet!.rows[0]).toEqual(['教师编号', '姓名', '部门', '角色', '令牌', '创建时间']);
    expect(sheet!.rows[1]![0]).toBe(ids[0]);
    expect(sheet!.rows[1]![1]).toBe(`'=HYPERLINK("http://x","y")`);
    expect(String(sheet!.rows[1]![4])).toMatch(/^shizi_/);
  });

  it('a failed write issues nothing', async () => {
    const { unit, ids } = await unitWith(2);
    // statements: 1 the key lookup, 2 the unit's teachers; the batch: 3 the keys, 4 the audit row (failed mid-batch).
    const db = faulty(env.DB, { failAt: 4, mode: 'before' });
    const response = await app.request('http://localhost/v1/keys/unit', { method: 'POST', headers: { authorization: `Bearer ${keys.hr}`, 'content-type': 'application/json' }, body: JSON.stringify({ unit, format: 'csv' }) }, { ...env, DB: db });
    expect(db.fired).toBe(true);
    expect(db.log.find((entry) => entry.n === 4)!.sql).toContain('audit_log');
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(await keyCount('SELECT count(*) AS n FROM api_keys WHERE teacher_id IN (?, ?)', ids[0], ids[1])).toBe(0);
  });

  it('names a bad body and an unknown unit; other roles may not', async () => {
    expect((await issue(keys.hr, { unit: '' })).status).toBe(400);
    expect((await issue(keys.hr, { unit: 'x', format: 'pdf' })).status).toBe(400);
    expect((await issue(keys.hr, { unit: uid('nowhere') })).status).toBe(404);
    const { unit } = await unitWith(1);
    expect((await issue(keys.committee, { unit })).status).toBe(403);
    expect((await issue(keys.teacher, { unit })).status).toBe(403);
    expect(await keyCount('SELECT count(*) AS n FROM api_keys k JOIN teachers t ON t.id = k.teacher_id WHERE t.unit = ?', unit)).toBe(0);
  });
});
