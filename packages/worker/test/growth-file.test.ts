import { beforeAll, describe, expect, it } from 'vitest';
import { GrowthFileOut } from '../src/routes/growth-file.js';
import { call, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/** Issue 12 §4: GET /v1/teachers/{id}/growth-file — every year of a teacher, from the stored rows. */
let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

const pdf = () => `%PDF-1.4\n% ${uid('gf')}\ntrailer <<>>\n%%EOF\n`;

async function hired(overrides: Record<string, unknown> = {}) {
  const id = uid('gf');
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { hireDate: '2022-09-01', stageSince: '2022-09-01', titleSince: '2022-09-01', ...overrides }) })).status).toBe(201);
  return id;
}
const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await call('POST', path, { token: keys.hr, body, headers });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return jsonOf(response);
};
const file = async (id: string, lang = 'zh', token = keys.hr) => {
  const response = await call('GET', `/v1/teachers/${id}/growth-file?asOf=2025-10-01`, { token, headers: { 'accept-language': lang } });
  expect(response.status, await response.clone().text()).toBe(200);
  return jsonOf(response);
};

describe('GET /v1/teachers/{id}/growth-file', () => {
  it('every academic year from the hire year to asOf’s, each with its practice, appraisal trace and records (with file names)', async () => {
    const id = await hired();
    const practice = { id: uid('r'), teacherId: id, kind: 'enterprise_practice', status: 'verified', start: '2023-07-01', end: '2023-07-30', enterprise: '某智能制造企业' };
    const workload = { id: uid('r'), teacherId: id, kind: 'teaching_workload', status: 'verified', year: 2024, hours: 300 };
    await post('/v1/records', practice);
    await post('/v1/records', workload);
    const attached = await jsonOf(await call('POST', `/v1/records/${practice.id}/files?name=${encodeURIComponent('实践证明.pdf')}`, { token: keys.hr, raw: pdf(), contentType: 'application/pdf' }));
    const body = await file(id);
    expect(body.teacher.id).toBe(id);
    const parsed = GrowthFileOut.safeParse(body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    expect(body.currentYear).toBe(2025);
    expect(body.years.map((y: any) => y.yearLabel)).toEqual(['2022-2023', '2023-2024', '2024-2025', '2025-2026']);
    expect(body.years.map((y: any) => y.records.map((r: any) => r.record.id))).toEqual([[practice.id], [], [workload.id], []]);
    expect(body.years[0].records[0].files).toEqual([{ id: attached.id, name: '实践证明.pdf', contentType: 'application/pdf', size: attached.size, createdAt: attached.createdAt }]);
    expect(body.years[0].records[0].kindLabel).toBe('企业实践');
    // each year's appraisal is the one the single-year route answers (the same trace)
    for (const year of body.years) {
      const single = await jsonOf(await call('GET', `/v1/teachers/${id}/appraisals/${year.year}`, { token: keys.hr }));
      const { policyVersion: _version, ...appraisal } = single;
      expect(year.appraisal).toEqual(appraisal);
    }
    expect(body.years[0].practice.countedDays).toBe(30);
    expect(body.years[2].appraisal.items.some((item: any) => item.recordIds.includes(workload.id))).toBe(true);
    // the 双师型 standing is the one GET /dual-qualified answers on the same day
    const { teacherId: _t, asOf: _a, policyVersion: _p, lang: _l, expiryWarningDays: _e, ...dual } = await jsonOf(await call('GET', `/v1/teachers/${id}/dual-qualified?asOf=2025-10-01`, { token: keys.hr }));
    expect(body.dualQualified).toEqual(dual);
    expect(body.dualQualified.tiers.map((t: any) => t.tierLabel)).toEqual(['初级双师型', '中级双师型', '高级双师型']);
    expect(body.dualQualified.tierMet).toBe('none');
    expect(body.dualQualified.tiers[0].gaps.length).toBeGreaterThan(0);
    // the growth-path gaps are the ones GET /progress answers on the same day (same tree, same gap texts)
    const progress = await jsonOf(await call('GET', `/v1/teachers/${id}/progress?asOf=2025-10-01`, { token: keys.hr }));
    expect(body.growthPath.stage).toBe('new_teacher');
    expect(body.growthPath.stageLabel).toBe('新教师');
    expect(body.growthPath.nextStage).toBe(progress.nextStage);
    expect(body.growthPath.nextStageLabel).toBe(progress.nextStageLabel);
    expect(body.growthPath.eligible).toBe(progress.eligible);
    expect(body.growthPath.eligible).toBe(false);
    expect(body.growthPath.requirements).toEqual(progress.requirements);
    expect(body.growthPath.gaps.length).toBeGreaterThan(0);
    expect(body.growthPath.gaps).toEqual(progress.gaps.map(({ nextSteps: _steps, ...gap }: any) => gap));
    const en = await file(id, 'en');
    expect(en.growthPath.nextStageLabel).toBe('backbone teacher');
    expect(en.growthPath.gaps.map((gap: any) => gap.text)).toEqual(en.growthPath.gaps.map((gap: any) => gap.en));
    expect(body.evidenceListed).toBe(true);
  });

  it('the stage history: created, corrected (with its reason, the wrong entry superseded), promoted by override', async () => {
    const id = await hired();
    await post(`/v1/teachers/${id}/stage`, { stage: 'backbone_teacher', stageSince: '2021-09-01', reason: '入职时阶段录入错误，人事处更正' }, { 'if-match': '"v1"' });
    await post(`/v1/teachers/${id}/promotion`, { asOf: '2025-09-01', override: { reason: '人事处会议决定，特批晋升' } });
    const zh = await file(id);
    expect(zh.stageHistory.map((p: any) => [p.stage, p.since, p.how, p.superseded])).toEqual([
      ['new_teacher', '2022-09-01', 'created', true],
      ['backbone_teacher', '2021-09-01', 'correction', false],
      ['program_leader', '2025-09-01', 'promotion_override', false],
    ]);
    expect(GrowthFileOut.safeParse(zh).success).toBe(true);
    expect(zh.stageHistory[1].reason).toBe('入职时阶段录入错误，人事处更正');
    expect(zh.stageHistory.map((p: any) => p.stageLabel)).toEqual(['新教师', '骨干教师', '专业带头人']);
    const en = await file(id, 'en');
    expect(en.stageHistory.map((p: any) => p.howLabel)).toEqual(['entered at creation', 'correction', 'promotion by override']);
  });

  it('who may read it: the teacher itself, a reviewer of its unit, HR, the committee (no file names unless a candidate), admin; others 404', async () => {
    const own = await hired();
    const ownKey = (await jsonOf(await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'teacher', teacherId: own } }))).token;
    const reviewer = (await jsonOf(await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'unit_reviewer', units: ['智能制造学院'] } }))).token;
    const elsewhere = await hired({ unit: '另一学院（档案测试）' });
    const record = { id: uid('r'), teacherId: own, kind: 'teaching_workload', status: 'verified', year: 2024, hours: 100 };
    await post('/v1/records', record);
    await call('POST', `/v1/records/${record.id}/files?name=a.pdf`, { token: keys.hr, raw: pdf(), contentType: 'application/pdf' });
    expect((await call('GET', `/v1/teachers/${own}/growth-file`, { token: ownKey })).status).toBe(200);
    expect((await call('GET', `/v1/teachers/${keys.teacherId}/growth-file`, { token: ownKey })).status).toBe(404);
    expect((await call('GET', `/v1/teachers/${own}/growth-file`, { token: reviewer })).status).toBe(200);
    expect((await call('GET', `/v1/teachers/${elsewhere}/growth-file`, { token: reviewer })).status).toBe(404);
    expect((await call('GET', `/v1/teachers/${elsewhere}/growth-file`, { token: keys.admin })).status).toBe(200);
    expect((await call('GET', `/v1/teachers/${uid('nobody')}/growth-file`, { token: keys.hr })).status).toBe(404);
    const committee = await file(own, 'zh', keys.committee);
    expect(committee.evidenceListed).toBe(false);
    expect(committee.years.flatMap((y: any) => y.records).map((r: any) => r.files)).toEqual([null]);
    // once a review-cycle candidate, the committee sees the file names too
    const cycle = await post('/v1/review-cycles', { name: uid('gf-cycle'), asOf: '2026-09-01' });
    await post(`/v1/review-cycles/${cycle.id}/candidates`, { candidates: [{ teacherId: own, targetTitle: 'lecturer' }] });
    const candidate = await file(own, 'zh', keys.committee);
    expect(candidate.evidenceListed).toBe(true);
    expect(
      candidate.years
        .flatMap((y: any) => y.records)
        .flatMap((r: any) => r.files)
        .map((f: any) => f.name),
    ).toEqual(['a.pdf']);
  });

  it('a bad asOf is a 400 naming the field', async () => {
    const response = await call('GET', `/v1/teachers/${keys.teacherId}/growth-file?asOf=2025-02-30`, { token: keys.hr });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors[0].path).toBe('query.asOf');
  });
});
