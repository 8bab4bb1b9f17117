import { beforeAll, describe, expect, it } from 'vitest';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * A soft-deleted record comes back only through POST /v1/records/{id}/restore (HR, with a reason, audited):
 * POST /v1/records and POST /v1/import both answer 409 `record-deleted` for its id (the import naming the row),
 * and neither brings it back nor makes it count again.
 */
let keys: Keys;
let teacherId: string;
beforeAll(async () => {
  keys = await setupKeys();
  teacherId = uid('rt');
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(teacherId) })).status).toBe(201);
});

const workload = (id: string, hours = 100) => ({ id, teacherId, kind: 'teaching_workload', status: 'verified', year: 2024, hours });
const row = (id: string) => env.DB.prepare('SELECT payload, state, deleted_at FROM records WHERE id = ?').bind(id).first<{ payload: string; state: string; deleted_at: string | null }>();

async function deletedRecord(hours = 100): Promise<string> {
  const id = uid('rr');
  expect((await call('POST', '/v1/records', { token: keys.hr, body: workload(id, hours) })).status).toBe(201);
  expect((await call('DELETE', `/v1/records/${id}`, { token: keys.hr })).status).toBe(200);
  return id;
}

describe('soft-deleted ids: 409 record-deleted from POST and import', () => {
  it('POST /v1/records with a deleted id answers 409 record-deleted naming the id and the restore route; a live duplicate stays already-exists', async () => {
    const id = await deletedRecord();
    const again = await call('POST', '/v1/records', { token: keys.hr, body: workload(id, 200) });
    expect(again.status).toBe(409);
    const problem = await jsonOf(again);
    expect(problem).toMatchObject({ code: 'record-deleted', type: 'urn:shizi:problem:record-deleted', restore: { method: 'POST', href: `/v1/records/${id}/restore` } });
    expect(problem.detail).toContain(id);
    expect(problem.detail).toContain(`/v1/records/${id}/restore`);
    expect((await row(id))!.deleted_at).not.toBeNull();
    expect(JSON.parse((await row(id))!.payload).hours).toBe(100);

    const live = uid('rl');
    expect((await call('POST', '/v1/records', { token: keys.hr, body: workload(live) })).status).toBe(201);
    expect((await jsonOf(await call('POST', '/v1/records', { token: keys.hr, body: workload(live) }))).code).toBe('already-exists');
  });

  it('an import naming a deleted id answers 409 naming the row, writes nothing (dry run too), and the record does not count again', async () => {
    const id = await deletedRecord();
    const fresh = uid('rn');
    const body = { records: [workload(fresh), workload(id, 300)] };
    for (const path of ['/v1/import', '/v1/import?dryRun=true']) {
      const response = await call('POST', path, { token: keys.hr, body });
      expect(response.status, path).toBe(409);
      const problem = await jsonOf(response);
      expect(problem.code).toBe('record-deleted');
      expect(problem.errors).toEqual([{ path: 'records[1].id', message: expect.stringContaining(`/v1/records/${id}/restore`) }]);
    }
    expect((await row(id))!.deleted_at).not.toBeNull();
    expect(JSON.parse((await row(id))!.payload).hours).toBe(100);
    expect(await row(fresh)).toBeNull();
    const listed = await jsonOf(await call('GET', `/v1/records?teacherId=${teacherId}`, { token: keys.hr }));
    expect(listed.items.map((item: { record: { id: string } }) => item.record.id)).not.toContain(id);
  });

  it('a CSV import names the sheet row; with other bad rows it is one 400 listing every problem', async () => {
    const id = await deletedRecord();
    const csv = `entity,id,teacherId,kind,status,year,hours\r\nrecord,${uid('ok')},${teacherId},teaching_workload,verified,2024,10\r\nrecord,${id},${teacherId},teaching_workload,verified,2024,20\r\n`;
    const alone = await call('POST', '/v1/import', { token: keys.hr, raw: csv, contentType: 'text/csv', headers: { 'accept-language': 'en' } });
    expect(alone.status).toBe(409);
    const problem = await jsonOf(alone);
    expect(problem.errors).toHaveLength(1);
    expect(problem.errors[0]).toMatchObject({ path: 'csv[3].id', row: 3 });
    expect(problem.errors[0].message).toContain(id);

    const withBad = `${csv}record,${uid('bad')},${teacherId},teaching_workload,verified,2024,lots\r\n`;
    const both = await call('POST', '/v1/import', { token: keys.hr, raw: withBad, contentType: 'text/csv' });
    expect(both.status).toBe(400);
    expect((await jsonOf(both)).errors.map((error: { path: string }) => error.path).sort()).toEqual(['csv[3].id', 'csv[4].hours']);
  });
});

describe('POST /v1/records/{id}/restore', () => {
  it('HR restores with a reason: the record as it was (state, fields), listed and counted again, audited; a live record answers 409 not-deleted', async () => {
    const id = uid('rs');
    expect((await call('POST', '/v1/records', { token: keys.hr, body: { ...workload(id, 77), status: 'pending' } })).status).toBe(201);
    const reviewer = await createKeyFor('unit_reviewer');
    expect((await call('POST', `/v1/records/${id}/transitions`, { token: reviewer, body: { action: 'approve' } })).status).toBe(200);
    expect((await row(id))!.state).toBe('unit_approved');
    expect((await call('DELETE', `/v1/records/${id}`, { token: keys.hr })).status).toBe(200);

    expect((await call('POST', `/v1/records/${id}/restore`, { token: keys.hr, body: {} })).status).toBe(400);
    const short = await call('POST', `/v1/records/${id}/restore`, { token: keys.hr, body: { reason: '误删' } });
    expect(short.status).toBe(400);
    expect((await jsonOf(short)).errors[0].path).toBe('reason');
    expect((await call('POST', `/v1/records/${id}/restore`, { token: keys.teacher, body: { reason: '误删了这条记录，恢复原状' } })).status).toBe(403);
    expect((await call('POST', `/v1/records/${uid('none')}/restore`, { token: keys.hr, body: { reason: '误删了这条记录，恢复原状' } })).status).toBe(404);

    const restored = await call('POST', `/v1/records/${id}/restore`, { token: keys.hr, body: { reason: '误删了这条记录，恢复原状' } });
    expect(restored.status, await restored.clone().text()).toBe(200);
    const view = await jsonOf(restored);
    expect(view).toMatchObject({ state: 'unit_approved', record: { id, hours: 77, status: 'pending' } });
    expect((await jsonOf(await call('GET', `/v1/records/${id}`, { token: keys.hr }))).state).toBe('unit_approved');
    const listed = await jsonOf(await call('GET', `/v1/records?teacherId=${teacherId}&year=2024`, { token: keys.hr }));
    expect(listed.items.map((item: { record: { id: string } }) => item.record.id)).toContain(id);

    const audit = await jsonOf(await call('GET', `/v1/audit?entity=record&entityId=${id}`, { token: keys.hr }));
    expect(audit.items[0]).toMatchObject({ action: 'record.restore', role: 'hr', detail: { reason: '误删了这条记录，恢复原状', state: 'unit_approved', deletedAt: expect.any(String) } });
    expect(audit.items.map((entry: { action: string }) => entry.action)).toEqual(['record.restore', 'record.delete', 'record.approve', 'record.create']);

    const twice = await call('POST', `/v1/records/${id}/restore`, { token: keys.hr, body: { reason: '误删了这条记录，恢复原状' } });
    expect(twice.status).toBe(409);
    expect((await jsonOf(twice)).code).toBe('not-deleted');
    // once restored, an import replaces it as any live record
    expect((await call('POST', '/v1/import', { token: keys.hr, body: { records: [workload(id, 80)] } })).status).toBe(201);
    expect(JSON.parse((await row(id))!.payload).hours).toBe(80);
  });

  it('a restored verified record counts in the appraisal again', async () => {
    const id = uid('rc');
    const evaluation = { id, teacherId, kind: 'teaching_evaluation', status: 'verified', date: '2025-01-10', score: 95 };
    const total = async () => (await jsonOf(await call('GET', `/v1/teachers/${teacherId}/appraisals/2024`, { token: keys.hr }))).total;
    const before = await total();
    expect((await call('POST', '/v1/records', { token: keys.hr, body: evaluation })).status).toBe(201);
    const counted = await total();
    expect(counted).not.toEqual(before);
    expect((await call('DELETE', `/v1/records/${id}`, { token: keys.hr })).status).toBe(200);
    expect(await total()).toEqual(before);
    expect((await call('POST', '/v1/import', { token: keys.hr, body: { records: [evaluation] } })).status).toBe(409);
    expect(await total()).toEqual(before);
    expect((await call('POST', `/v1/records/${id}/restore`, { token: keys.hr, body: { reason: '评教记录被误删，现予以恢复' } })).status).toBe(200);
    expect(await total()).toEqual(counted);
  });
});

async function createKeyFor(role: 'unit_reviewer'): Promise<string> {
  const created = await jsonOf(await call('POST', '/v1/keys', { token: keys.admin, body: { role, units: ['智能制造学院'] } }));
  expect(created.token).toEqual(expect.any(String));
  return created.token as string;
}
