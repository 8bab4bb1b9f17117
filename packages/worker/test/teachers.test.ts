import { beforeAll, describe, expect, it } from 'vitest';
import { queryStats, resetQueryStats } from '../src/db/index.js';
import { call, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

async function createTeacher(overrides: Record<string, unknown> = {}) {
  const id = uid('t');
  const response = await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, overrides) });
  expect(response.status).toBe(201);
  return id;
}

describe('teachers', () => {
  it('creates, gets and lists with filters and cursor pagination', async () => {
    const unit = uid('unit');
    const ids = [];
    for (let index = 0; index < 5; index++) ids.push(await createTeacher({ unit, stage: index % 2 ? 'backbone_teacher' : 'new_teacher' }));
    const got = await call('GET', `/v1/teachers/${ids[0]}`, { token: keys.hr });
    expect(got.status).toBe(200);
    const body = await jsonOf(got);
    expect(body).toMatchObject({ id: ids[0], unit, version: 1, stageLabel: '新教师' });
    const en = await jsonOf(await call('GET', `/v1/teachers/${ids[0]}`, { token: keys.hr, headers: { 'accept-language': 'en-US,en;q=0.9' } }));
    expect(en.stageLabel).toBe('new teacher');

    const page1 = await jsonOf(await call('GET', `/v1/teachers?unit=${encodeURIComponent(unit)}&limit=2`, { token: keys.hr }));
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = await jsonOf(await call('GET', `/v1/teachers?unit=${encodeURIComponent(unit)}&limit=2&cursor=${page1.nextCursor}`, { token: keys.hr }));
    const page3 = await jsonOf(await call('GET', `/v1/teachers?unit=${encodeURIComponent(unit)}&limit=2&cursor=${page2.nextCursor}`, { token: keys.hr }));
    expect([...page1.items, ...page2.items, ...page3.items].map((t: { id: string }) => t.id)).toEqual([...ids].sort());
    expect(page3.nextCursor).toBeNull();
    const backbone = await jsonOf(await call('GET', `/v1/teachers?unit=${encodeURIComponent(unit)}&stage=backbone_teacher`, { token: keys.hr }));
    expect(backbone.items).toHaveLength(2);
  });

  it('rejects bad input with each field path', async () => {
    const response = await call('POST', '/v1/teachers', { token: keys.hr, body: { ...teacher(uid('t')), hireDate: '2025-02-30', stage: 'boss' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await jsonOf(response);
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(['hireDate', 'stage']);
    expect(problem.requestId).toBeTruthy();
    expect((await call('GET', '/v1/teachers?limit=500', { token: keys.hr })).status).toBe(400);
    expect((await call('GET', '/v1/teachers?cursor=%%%', { token: keys.hr })).status).toBe(400);
  });

  it('refuses a duplicate id with 409', async () => {
    const id = await createTeacher();
    const again = await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id) });
    expect(again.status).toBe(409);
  });

  it('PATCH needs If-Match: 428 without, 412 stale, 200 fresh', async () => {
    const id = await createTeacher();
    const etag = (await call('GET', `/v1/teachers/${id}`, { token: keys.hr })).headers.get('etag')!;
    expect((await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { name: '李四' } })).status).toBe(428);
    const ok = await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { name: '李四' }, headers: { 'if-match': etag } });
    expect(ok.status).toBe(200);
    expect((await jsonOf(ok)).name).toBe('李四');
    expect(ok.headers.get('etag')).not.toBe(etag);
    const stale = await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { name: '王五' }, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect((await jsonOf(await call('GET', `/v1/teachers/${id}`, { token: keys.hr }))).name).toBe('李四');
    const bad = await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { stageSince: 'yesterday' }, headers: { 'if-match': ok.headers.get('etag')! } });
    expect(bad.status).toBe(400);
    expect((await call('PATCH', `/v1/teachers/nobody`, { token: keys.hr, body: { name: 'x' }, headers: { 'if-match': '"v1"' } })).status).toBe(404);
  });

  it('concurrent PATCHes with the same ETag: exactly one wins', async () => {
    const id = await createTeacher();
    const results = await Promise.all(['甲', '乙', '丙'].map((name) => call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { name }, headers: { 'if-match': '"v1"' } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412]);
  });

  it('a teacher sees only themself; others answer 404', async () => {
    const other = await createTeacher();
    expect((await call('GET', `/v1/teachers/${keys.teacherId}`, { token: keys.teacher })).status).toBe(200);
    expect((await call('GET', `/v1/teachers/${other}`, { token: keys.teacher })).status).toBe(404);
    expect((await call('GET', `/v1/teachers/does-not-exist`, { token: keys.teacher })).status).toBe(404);
    expect((await call('GET', `/v1/teachers/${other}/progress?asOf=2026-09-01`, { token: keys.teacher })).status).toBe(404);
    expect((await call('GET', `/v1/teachers/${other}/practice?year=2025`, { token: keys.teacher })).status).toBe(404);
    expect((await call('GET', `/v1/teachers/${other}/appraisals/2025`, { token: keys.teacher })).status).toBe(404);
  });
});

describe('teacher views', () => {
  async function seedRecords(id: string) {
    const records = [
      { id: uid('r'), teacherId: id, kind: 'enterprise_practice', status: 'verified', start: '2025-07-01', end: '2025-07-20', enterprise: '比亚迪' },
      { id: uid('r'), teacherId: id, kind: 'teaching_workload', status: 'verified', year: 2024, hours: 280 },
      { id: uid('r'), teacherId: id, kind: 'tech_transfer', status: 'pending', date: '2025-03-01', amountYuan: 30000, partner: '华为' },
    ];
    for (const record of records) expect((await call('POST', '/v1/records', { token: keys.hr, body: record })).status).toBe(201);
  }

  it('progress, practice and appraisal with trace, gaps and labels, in ≤ 3 D1 round trips', async () => {
    const id = await createTeacher();
    await seedRecords(id);
    resetQueryStats();
    const progress = await call('GET', `/v1/teachers/${id}/progress?asOf=2026-09-01`, { token: keys.hr, headers: { 'accept-language': 'en' } });
    expect(progress.status).toBe(200);
    expect(queryStats.roundTrips).toBeLessThanOrEqual(3);
    const p = await jsonOf(progress);
    expect(p).toMatchObject({ teacherId: id, stage: 'new_teacher', nextStage: 'backbone_teacher', eligible: false, stageLabel: 'new teacher' });
    expect(p.gaps.length).toBeGreaterThan(0);
    expect(p.gaps[0]).toHaveProperty('zh');
    expect(p.gaps[0].text).toBe(p.gaps[0].en);
    expect(p.requirements.children.length).toBeGreaterThan(0);
    expect(p.requirements.children[0].labelText).toBe(p.requirements.children[0].label.en);

    resetQueryStats();
    const practice = await call('GET', `/v1/teachers/${id}/practice?year=2024&asOf=2025-08-01`, { token: keys.hr });
    expect(practice.status).toBe(200);
    expect(queryStats.roundTrips).toBeLessThanOrEqual(3);
    expect(await jsonOf(practice)).toMatchObject({ year: 2024, countedDays: 20, requiredDays: 30, compliant: false, shortfall: 10, daysLeft: 30, standing: 'short', atRisk: false });
    // the same year once it is over (2024-2025 ends 2025-08-31): missed, not at risk with 0 days left
    const closed = await jsonOf(await call('GET', `/v1/teachers/${id}/practice?year=2024&asOf=2025-10-01`, { token: keys.hr }));
    expect(closed).toMatchObject({ shortfall: 10, daysLeft: 0, standing: 'missed', atRisk: false });

    resetQueryStats();
    const appraisal = await call('GET', `/v1/teachers/${id}/appraisals/2024`, { token: keys.hr });
    expect(appraisal.status).toBe(200);
    expect(queryStats.roundTrips).toBeLessThanOrEqual(3);
    const a = await jsonOf(appraisal);
    expect(a.teacherId).toBe(id);
    expect(a.items.length).toBeGreaterThan(0);
    expect(a.categories.teaching.label).toBe('教学');
    expect(a.items.find((item: { rule: string }) => item.rule === 'teaching_workload').ruleLabel).toBe('教学工作量');
    expect(a.gradeLabel).toBeTruthy();
    expect(a.vetoes).toContain('practice_noncompliant');
    expect(a.pending.recordIds.length).toBe(1);
  });

  it('the teacher reads their own views', async () => {
    expect((await call('GET', `/v1/teachers/${keys.teacherId}/progress?asOf=2026-09-01`, { token: keys.teacher })).status).toBe(200);
    expect((await call('GET', `/v1/teachers/${keys.teacherId}/practice?year=2025`, { token: keys.teacher })).status).toBe(200);
    expect((await call('GET', `/v1/teachers/${keys.teacherId}/appraisals/2025`, { token: keys.teacher })).status).toBe(200);
  });

  it('bad view input answers 400', async () => {
    expect((await call('GET', `/v1/teachers/${keys.teacherId}/progress`, { token: keys.hr })).status).toBe(400);
    expect((await call('GET', `/v1/teachers/${keys.teacherId}/progress?asOf=2026-02-30`, { token: keys.hr })).status).toBe(400);
    expect((await call('GET', `/v1/teachers/${keys.teacherId}/practice?year=abc`, { token: keys.hr })).status).toBe(400);
    expect((await call('GET', `/v1/teachers/${keys.teacherId}/appraisals/99`, { token: keys.hr })).status).toBe(400);
  });

  it('promotion: refused when not eligible, allowed with an audited HR override', async () => {
    const id = await createTeacher();
    const refused = await call('POST', `/v1/teachers/${id}/promotion`, { token: keys.hr, body: { asOf: '2026-09-01' } });
    expect(refused.status).toBe(409);
    expect((await jsonOf(refused)).gaps.length).toBeGreaterThan(0);
    const shortReason = await call('POST', `/v1/teachers/${id}/promotion`, { token: keys.hr, body: { asOf: '2026-09-01', override: { reason: 'ok' } } });
    expect(shortReason.status).toBe(400);
    const ok = await call('POST', `/v1/teachers/${id}/promotion`, { token: keys.hr, body: { asOf: '2026-09-01', override: { reason: '省级技能大赛特殊贡献，经人事处会议决定破格晋升' } } });
    expect(ok.status).toBe(200);
    const body = await jsonOf(ok);
    expect(body).toMatchObject({ from: 'new_teacher', to: 'backbone_teacher', overridden: true });
    expect(body.teacher.stageSince).toBe('2026-09-01');
    const audit = await jsonOf(await call('GET', `/v1/audit?entity=teacher&entityId=${id}`, { token: keys.hr }));
    expect(audit.items[0]).toMatchObject({ action: 'teacher.promote.override', entityId: id });
    expect(audit.items[0].detail.reason).toContain('破格');
  });
});
