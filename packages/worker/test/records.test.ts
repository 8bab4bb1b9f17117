import { beforeAll, describe, expect, it } from 'vitest';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

let keys: Keys;
let teacherId: string;
beforeAll(async () => {
  keys = await setupKeys();
  teacherId = uid('t');
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(teacherId) })).status).toBe(201);
});

const practice = (teacherIdValue: string, overrides: Record<string, unknown> = {}) => ({
  id: uid('r'),
  teacherId: teacherIdValue,
  kind: 'enterprise_practice',
  status: 'pending',
  start: '2025-08-20',
  end: '2025-09-10',
  enterprise: '格力电器',
  ...overrides,
});

describe('records', () => {
  it('creates a record with typed columns spanning two academic years', async () => {
    const record = practice(teacherId);
    const response = await call('POST', '/v1/records', { token: keys.hr, body: record });
    expect(response.status).toBe(201);
    const body = await jsonOf(response);
    expect(body.record).toEqual(record);
    expect(body.academicYears).toEqual({ first: 2024, last: 2025 });
    expect(body.kindLabel).toBe('企业实践');
    // The row keeps where the record lies, not the years the active calendar made of it.
    const row = await env.DB.prepare('SELECT kind, status, place_first, place_last, place_year, start_date, end_date FROM records WHERE id = ?').bind(record.id).first();
    expect(row).toEqual({ kind: 'enterprise_practice', status: 'pending', place_first: '2025-08-20', place_last: '2025-09-10', place_year: null, start_date: '2025-08-20', end_date: '2025-09-10' });
  });

  it('places records in years by the active policy when asked: another year start changes a year query, no row rewritten', async () => {
    const id = uid('t');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id) })).status).toBe(201);
    const august = { id: uid('r'), teacherId: id, kind: 'teaching_evaluation', status: 'verified', date: '2025-08-15', score: 90 };
    const workload = { id: uid('r'), teacherId: id, kind: 'teaching_workload', status: 'verified', year: 2025, hours: 100 };
    for (const body of [august, workload]) expect((await call('POST', '/v1/records', { token: keys.hr, body })).status).toBe(201);
    const yearOf = async (year: number) => (await jsonOf(await call('GET', `/v1/records?teacherId=${id}&year=${year}`, { token: keys.hr }))).items.map((item: { record: { id: string } }) => item.record.id).sort();
    const rowsBefore = await env.DB.prepare('SELECT id, place_first, place_last, place_year, updated_at FROM records WHERE teacher_id = ? ORDER BY id').bind(id).all();
    // 1 September: 2025-08-15 lies in 2024-2025.
    expect(await yearOf(2024)).toEqual([august.id]);
    expect(await yearOf(2025)).toEqual([workload.id]);
    const { defaultPolicy } = await import('@shizi/core');
    const august1 = structuredClone(defaultPolicy) as Record<string, any>;
    august1.calendar = { yearStart: { month: 8, day: 1 } };
    expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...august1, version: uid('august-start') } })).status).toBe(201);
    try {
      // 1 August: the same stored row now lies in 2025-2026, and the API says so.
      expect(await yearOf(2024)).toEqual([]);
      expect(await yearOf(2025)).toEqual([august.id, workload.id].sort());
      const listed = (await jsonOf(await call('GET', `/v1/records/${august.id}`, { token: keys.hr }))).academicYears;
      expect(listed).toEqual({ first: 2025, last: 2025 });
      const rowsAfter = await env.DB.prepare('SELECT id, place_first, place_last, place_year, updated_at FROM records WHERE teacher_id = ? ORDER BY id').bind(id).all();
      expect(rowsAfter.results).toEqual(rowsBefore.results);
    } finally {
      expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version: uid('default-again') } })).status).toBe(201);
    }
    expect(await yearOf(2024)).toEqual([august.id]);
  });

  it('lists by teacher, kind, year and status', async () => {
    const id = uid('t');
    await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id) });
    await call('POST', '/v1/records', { token: keys.hr, body: practice(id) });
    await call('POST', '/v1/records', { token: keys.hr, body: { id: uid('r'), teacherId: id, kind: 'teaching_workload', status: 'verified', year: 2023, hours: 100 } });
    const all = await jsonOf(await call('GET', `/v1/records?teacherId=${id}`, { token: keys.hr }));
    expect(all.items).toHaveLength(2);
    expect((await jsonOf(await call('GET', `/v1/records?teacherId=${id}&kind=teaching_workload`, { token: keys.hr }))).items).toHaveLength(1);
    expect((await jsonOf(await call('GET', `/v1/records?teacherId=${id}&year=2025`, { token: keys.hr }))).items).toHaveLength(1);
    expect((await jsonOf(await call('GET', `/v1/records?teacherId=${id}&year=2023`, { token: keys.hr }))).items).toHaveLength(1);
    expect((await jsonOf(await call('GET', `/v1/records?teacherId=${id}&status=verified`, { token: keys.hr }))).items).toHaveLength(1);
    expect((await call('GET', `/v1/records?kind=nonsense`, { token: keys.hr })).status).toBe(400);
  });

  it('verify, reject and soft delete are audited; deleted records vanish', async () => {
    const record = practice(teacherId);
    await call('POST', '/v1/records', { token: keys.hr, body: record });
    const verified = await call('POST', `/v1/records/${record.id}/verify`, { token: keys.hr });
    expect(verified.status).toBe(200);
    expect((await jsonOf(verified)).record.status).toBe('verified');
    const rejected = await call('POST', `/v1/records/${record.id}/reject`, { token: keys.hr, body: { note: '证明材料不全' } });
    expect((await jsonOf(rejected)).record.status).toBe('rejected');
    expect((await call('DELETE', `/v1/records/${record.id}`, { token: keys.hr })).status).toBe(200);
    expect((await call('GET', `/v1/records/${record.id}`, { token: keys.hr })).status).toBe(404);
    expect((await call('DELETE', `/v1/records/${record.id}`, { token: keys.hr })).status).toBe(404);
    expect((await call('POST', `/v1/records/${record.id}/verify`, { token: keys.hr })).status).toBe(404);
    const audit = await jsonOf(await call('GET', `/v1/audit?entity=record&entityId=${record.id}`, { token: keys.hr }));
    expect(audit.items.map((entry: { action: string }) => entry.action)).toEqual(['record.delete', 'record.reject', 'record.verify', 'record.create']);
  });

  it('bad input: each bad field, unknown teacher, duplicate id', async () => {
    const bad = await call('POST', '/v1/records', { token: keys.hr, body: practice(teacherId, { end: '2025-01-01', status: 'maybe' }) });
    expect(bad.status).toBe(400);
    const paths = (await jsonOf(bad)).errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('status');
    const unknownKind = await call('POST', '/v1/records', { token: keys.hr, body: { id: uid('r'), teacherId, kind: 'nap', status: 'verified' } });
    expect(unknownKind.status).toBe(400);
    const endBeforeStart = await call('POST', '/v1/records', { token: keys.hr, body: practice(teacherId, { end: '2025-01-01' }) });
    expect((await jsonOf(endBeforeStart)).errors).toEqual([{ path: 'end', message: 'before start' }]);
    const orphan = await call('POST', '/v1/records', { token: keys.hr, body: practice('nobody') });
    expect(orphan.status).toBe(400);
    const record = practice(teacherId);
    expect((await call('POST', '/v1/records', { token: keys.hr, body: record })).status).toBe(201);
    expect((await call('POST', '/v1/records', { token: keys.hr, body: record })).status).toBe(409);
    const notJson = await call('POST', '/v1/records', { token: keys.hr, raw: '{"id":', contentType: 'application/json' });
    expect(notJson.status).toBe(400);
  });

  it('a teacher lists and reads only their own records', async () => {
    const own = practice(keys.teacherId);
    const other = practice(teacherId);
    await call('POST', '/v1/records', { token: keys.hr, body: own });
    await call('POST', '/v1/records', { token: keys.hr, body: other });
    const list = await jsonOf(await call('GET', '/v1/records', { token: keys.teacher }));
    expect(list.items.every((item: { record: { teacherId: string } }) => item.record.teacherId === keys.teacherId)).toBe(true);
    expect(list.items.length).toBeGreaterThan(0);
    expect((await call('GET', `/v1/records?teacherId=${teacherId}`, { token: keys.teacher })).status).toBe(404);
    expect((await call('GET', `/v1/records/${own.id}`, { token: keys.teacher })).status).toBe(200);
    expect((await call('GET', `/v1/records/${other.id}`, { token: keys.teacher })).status).toBe(404);
  });
});
