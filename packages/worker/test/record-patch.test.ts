import { beforeAll, describe, expect, it } from 'vitest';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/** PATCH /v1/records/{id}: HR's correction of a record's fields, with ETag / If-Match, validated, audited. */
let keys: Keys;
let teacherId: string;
beforeAll(async () => {
  keys = await setupKeys();
  teacherId = uid('pt');
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(teacherId) })).status).toBe(201);
});

const evaluation = (overrides: Record<string, unknown> = {}) => ({ id: uid('pr'), teacherId, kind: 'teaching_evaluation', status: 'verified', date: '2025-01-10', score: 80, ...overrides });

async function created(body: Record<string, unknown>) {
  const response = await call('POST', '/v1/records', { token: keys.hr, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return body.id as string;
}

const patch = (id: string, body: unknown, ifMatch?: string, token = keys.hr) => call('PATCH', `/v1/records/${id}`, { token, body, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });

describe('PATCH /v1/records/{id}', () => {
  it('GET sends the ETag; PATCH needs If-Match (428 without, 412 stale), answers the new ETag, and is audited with the values before and after', async () => {
    const id = await created(evaluation());
    const got = await call('GET', `/v1/records/${id}`, { token: keys.hr });
    expect(got.headers.get('etag')).toBe('"v1"');

    const without = await patch(id, { score: 90 });
    expect(without.status).toBe(428);
    expect((await jsonOf(without)).code).toBe('precondition-required');
    const stale = await patch(id, { score: 90 }, '"v7"');
    expect(stale.status).toBe(412);
    expect((await jsonOf(stale)).code).toBe('precondition-failed');

    const ok = await patch(id, { score: 90 }, '"v1"');
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(ok.headers.get('etag')).toBe('"v2"');
    expect((await jsonOf(ok)).record).toMatchObject({ id, score: 90, date: '2025-01-10', status: 'verified' });
    const again = await call('GET', `/v1/records/${id}`, { token: keys.hr });
    expect(again.headers.get('etag')).toBe('"v2"');
    expect((await jsonOf(again)).record.score).toBe(90);
    // the ETag read before the change no longer matches; a weak form of the current one does
    expect((await patch(id, { score: 91 }, '"v1"')).status).toBe(412);
    expect((await patch(id, { score: 92 }, 'W/"v2"')).status).toBe(200);

    const audit = await jsonOf(await call('GET', `/v1/audit?entity=record&entityId=${id}`, { token: keys.hr }));
    expect(audit.items.map((entry: { action: string }) => entry.action)).toEqual(['record.update', 'record.update', 'record.create']);
    expect(audit.items[1].detail).toMatchObject({ before: { score: 80 }, after: { score: 90 }, state: 'verified' });
    expect(audit.items[0].detail).toMatchObject({ before: { score: 90 }, after: { score: 92 } });
  });

  it('the whole record after the patch is validated against the active policy: each bad field named, nothing written', async () => {
    const id = await created({ id: uid('pw'), teacherId, kind: 'teaching_workload', status: 'pending', year: 2024, hours: 100 });
    const before = await env.DB.prepare('SELECT payload, version FROM records WHERE id = ?').bind(id).first();
    const paths = async (body: unknown) => {
      const response = await patch(id, body, '"v1"');
      expect(response.status).toBe(400);
      return (await jsonOf(response)).errors.map((error: { path: string }) => error.path);
    };
    expect(await paths({ hours: -5 })).toEqual(['hours']);
    expect(await paths({ hours: null })).toEqual(['hours']); // null removes the field: a required one is then missing
    expect(await paths({ year: 'soon' })).toEqual(['year']);
    expect(await paths({ id: 'another' })).toEqual(['id']);
    expect(await paths({ status: 'verified' })).toEqual(['status']);
    expect(await paths({ teacherId: 'nobody' })).toEqual(['teacherId']);
    expect((await patch(id, ['hours'], '"v1"')).status).toBe(400);
    expect(await env.DB.prepare('SELECT payload, version FROM records WHERE id = ?').bind(id).first()).toEqual(before);
    // an unchanged status is allowed
    const ok = await patch(id, { status: 'pending', hours: 120 }, '"v1"');
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect((await jsonOf(ok)).record.hours).toBe(120);
  });

  it('HR’s correction keeps the workflow state (a verified record stays verified and counts with its new value); any other write changes the ETag', async () => {
    const id = await created(evaluation({ score: 60 }));
    const total = async () => (await jsonOf(await call('GET', `/v1/teachers/${teacherId}/appraisals/2024`, { token: keys.hr }))).total;
    const first = await total();
    const stateSince = (await jsonOf(await call('GET', `/v1/records/${id}`, { token: keys.hr }))).stateSince;
    const ok = await patch(id, { score: 100 }, '"v1"');
    expect(ok.status).toBe(200);
    expect(await jsonOf(ok)).toMatchObject({ state: 'verified', stateSince });
    expect(await total()).not.toEqual(first);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM record_transitions WHERE record_id = ?').bind(id).first<{ n: number }>())!.n).toBe(1);

    // a record under review keeps its place: HR's edit of a submitted one leaves it submitted
    const declared = await jsonOf(await call('POST', '/v1/records', { token: keys.teacher, body: { kind: 'teaching_workload', year: 2024, hours: 40 } }));
    const declaredId = declared.record.id as string;
    expect((await patch(declaredId, { hours: 45 }, '"v1"')).status).toBe(200);
    expect((await jsonOf(await call('GET', `/v1/records/${declaredId}`, { token: keys.hr }))).state).toBe('submitted');
    // a review transition is a write too: the ETag read before it is stale
    expect((await call('POST', `/v1/records/${declaredId}/transitions`, { token: keys.hr, body: { action: 'approve' } })).status).toBe(200);
    expect((await patch(declaredId, { hours: 46 }, '"v2"')).status).toBe(412);
    expect((await call('GET', `/v1/records/${declaredId}`, { token: keys.hr })).headers.get('etag')).toBe('"v3"');
  });

  it('only HR patches; a deleted or unknown record is 404; of two patches with one ETag exactly one wins', async () => {
    const id = await created(evaluation());
    expect((await patch(id, { score: 70 }, '"v1"', keys.teacher)).status).toBe(403);
    const gone = await created(evaluation());
    expect((await call('DELETE', `/v1/records/${gone}`, { token: keys.hr })).status).toBe(200);
    expect((await patch(gone, { score: 70 }, '"v2"')).status).toBe(404);
    expect((await patch(uid('none'), { score: 70 }, '"v1"')).status).toBe(404);
    const results = await Promise.all([patch(id, { score: 71 }, '"v1"'), patch(id, { score: 72 }, '"v1"')]);
    expect(results.map((response) => response.status).sort()).toEqual([200, 412]);
    expect((await env.DB.prepare('SELECT version FROM records WHERE id = ?').bind(id).first<{ version: number }>())!.version).toBe(2);
  });
});
