import { beforeAll, describe, expect, it } from 'vitest';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/** Issue 13 §4: a teacher's stage changes only through promotion or HR's explicit, audited correction. */
let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

async function created(overrides: Record<string, unknown> = {}) {
  const id = uid('st');
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, overrides) })).status).toBe(201);
  return id;
}
const stored = async (id: string) => (await jsonOf(await call('GET', `/v1/teachers/${id}`, { token: keys.hr }))) as Record<string, unknown>;

describe('stage only through promotion', () => {
  it('PATCH refuses a stage or stageSince change with stage-change-refused (409) naming the field, and changes nothing', async () => {
    const id = await created();
    for (const body of [{ stage: 'cluster_lead' }, { stageSince: '2020-09-01' }, { name: '新名', stage: 'backbone_teacher' }]) {
      const refused = await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body, headers: { 'if-match': '"v1"' } });
      expect(refused.status, await refused.clone().text()).toBe(409);
      const problem = await jsonOf(refused);
      expect(problem.code).toBe('stage-change-refused');
      expect(problem.errors.map((issue: { path: string }) => issue.path)).toEqual(Object.keys(body).filter((key) => key !== 'name'));
    }
    expect(await stored(id)).toMatchObject({ stage: 'new_teacher', stageSince: '2015-09-01', name: `教师${id}`, version: 1 });
    // Echoing the stored stage is no change: the rest of the patch applies.
    const same = await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { name: '新名', stage: 'new_teacher', stageSince: '2015-09-01' }, headers: { 'if-match': '"v1"' } });
    expect(same.status).toBe(200);
    expect(await jsonOf(same)).toMatchObject({ name: '新名', stage: 'new_teacher' });
  });

  it('an import may create a teacher at any stage but not change an existing teacher’s stage; the row and column are named', async () => {
    const id = await created();
    const json = await call('POST', '/v1/import', { token: keys.hr, body: { teachers: [teacher(id, { stage: 'cluster_lead', name: '改名' })] } });
    expect(json.status).toBe(400);
    const problem = await jsonOf(json);
    expect(problem.errors).toHaveLength(1);
    expect(problem.errors[0].path).toBe('teachers[0].stage');
    expect(problem.errors[0].message).toContain('promotion');
    expect(await stored(id)).toMatchObject({ stage: 'new_teacher', name: `教师${id}` });

    const csv = ['工号,姓名,部门,入职日期,成长阶段,阶段起始日期,职称,职称取得日期', `${id},王芳,智能制造学院,2015-09-01,骨干教师,2015-09-01,助教,2015-09-01`].join('\n');
    const sheet = await call('POST', '/v1/import', { token: keys.hr, raw: csv, contentType: 'text/csv', headers: { 'accept-language': 'zh' } });
    expect(sheet.status).toBe(400);
    const sheetProblem = await jsonOf(sheet);
    expect(sheetProblem.errors[0]).toMatchObject({ row: 2, column: '成长阶段' });
    expect(sheetProblem.errors[0].message).toContain('晋升');

    // The same stage with other changes imports; a new teacher may start at any stage.
    const fresh = uid('st');
    const ok = await call('POST', '/v1/import', { token: keys.hr, body: { teachers: [teacher(id, { name: '改名' }), teacher(fresh, { stage: 'backbone_teacher' })] } });
    expect(ok.status, await ok.clone().text()).toBe(201);
    expect(await stored(id)).toMatchObject({ stage: 'new_teacher', name: '改名' });
    expect(await stored(fresh)).toMatchObject({ stage: 'backbone_teacher' });
  });

  it('POST /v1/teachers/{id}/stage corrects the stage with If-Match and a reason, audited with before, after and reason', async () => {
    const id = await created();
    const body = { stage: 'backbone_teacher', stageSince: '2020-09-01', reason: '入职时阶段录入错误，依据2020年人事处文件更正' };
    const r428 = await call('POST', `/v1/teachers/${id}/stage`, { token: keys.hr, body });
    expect(r428.status, await r428.clone().text()).toBe(428);
    expect((await call('POST', `/v1/teachers/${id}/stage`, { token: keys.hr, body, headers: { 'if-match': '"v9"' } })).status).toBe(412);
    const short = await call('POST', `/v1/teachers/${id}/stage`, { token: keys.hr, body: { ...body, reason: '错了' }, headers: { 'if-match': '"v1"' } });
    expect(short.status).toBe(400);
    expect((await jsonOf(short)).errors[0].path).toBe('reason');
    const early = await call('POST', `/v1/teachers/${id}/stage`, { token: keys.hr, body: { ...body, stageSince: '2020-02-30' }, headers: { 'if-match': '"v1"' } });
    expect(early.status).toBe(400);
    expect((await jsonOf(early)).errors[0].path).toBe('stageSince');
    expect((await call('POST', `/v1/teachers/nobody-${id}/stage`, { token: keys.hr, body, headers: { 'if-match': '"v1"' } })).status).toBe(404);

    const ok = await call('POST', `/v1/teachers/${id}/stage`, { token: keys.hr, body, headers: { 'if-match': '"v1"' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"v2"');
    expect(await jsonOf(ok)).toMatchObject({ stage: 'backbone_teacher', stageSince: '2020-09-01', version: 2 });
    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE action = 'teacher.stage.correct' AND entity_id = ?").bind(id).all<{ detail: string }>();
    expect(audit.results).toHaveLength(1);
    expect(JSON.parse(audit.results[0]!.detail)).toEqual({ before: { stage: 'new_teacher', stageSince: '2015-09-01' }, after: { stage: 'backbone_teacher', stageSince: '2020-09-01' }, reason: body.reason });
    // The same ETag again is stale.
    expect((await call('POST', `/v1/teachers/${id}/stage`, { token: keys.hr, body, headers: { 'if-match': '"v1"' } })).status).toBe(412);
  });
});
