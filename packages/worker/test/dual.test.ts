import { beforeAll, describe, expect, it } from 'vitest';
import { DualQualifiedView } from '../src/routes/dual.js';
import { call, createKey, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

let keys: Keys;
const unit = uid('双师学院');
const [junior, other] = [uid('tJ'), uid('tO')];
let ownKey: string;
let reviewer: string;

const post = async (body: Record<string, unknown>) => expect((await call('POST', '/v1/records', { token: keys.hr, body: { id: uid('r'), status: 'verified', ...body } })).status).toBe(201);

beforeAll(async () => {
  keys = await setupKeys();
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(junior, { unit, hireDate: '2020-09-01', stageSince: '2020-09-01', titleSince: '2020-09-01' }) })).status).toBe(201);
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(other, { unit: uid('另一学院') }) })).status).toBe(201);
  // asOf 2026-10-01, years from 1 September: the last five completed years are 2021-09-01 … 2026-08-31.
  // 2022-01-01 … 2022-06-29 is 31 + 28 + 31 + 30 + 31 + 29 = 180 days: the junior tier's practice.
  await post({ teacherId: junior, kind: 'enterprise_practice', start: '2022-01-01', end: '2022-06-29', enterprise: '格力电器' });
  await post({ teacherId: junior, kind: 'certificate', date: '2021-05-01', certType: 'vocational', level: 'junior' });
  // 2026-10-01 → 2026-12-30 is 90 days (30 + 31 + 29): within the warning, still counting.
  await post({ id: `${junior}-rj`, teacherId: junior, kind: 'dual_qualified_recognition', date: '2022-01-10', tier: 'junior', issuingLevel: 'school', validUntil: '2026-12-30' });
  // Ended the day before asOf: expired, no longer counts.
  await post({ id: `${junior}-ri`, teacherId: junior, kind: 'dual_qualified_recognition', date: '2021-09-30', tier: 'intermediate', issuingLevel: 'province', validUntil: '2026-09-30' });
  // Pending: not held.
  await post({ teacherId: junior, kind: 'dual_qualified_recognition', status: 'pending', date: '2026-09-01', tier: 'senior', issuingLevel: 'city', validUntil: '2031-08-31' });
  ownKey = await createKey('teacher', junior);
  reviewer = (await jsonOf(await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'unit_reviewer', units: [unit] } }))).token;
});

describe('GET /v1/teachers/{id}/dual-qualified', () => {
  it('answers the tier met, each tier’s tree with met/current/required and gaps, the recognitions held and the expiry warning', async () => {
    const response = await call('GET', `/v1/teachers/${junior}/dual-qualified?asOf=2026-10-01`, { token: ownKey });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(DualQualifiedView.parse(body)).toBeTruthy();
    expect(body).toMatchObject({ teacherId: junior, asOf: '2026-10-01', lang: 'zh', tierMet: 'junior', tierMetLabel: '初级双师型', recognisedTier: 'junior', expiryWarningDays: 90 });
    const [tierJunior, tierIntermediate, tierSenior] = body.tiers;
    expect([tierJunior.tier, tierJunior.met, tierJunior.gaps]).toEqual(['junior', true, []]);
    const days = tierJunior.requirements.children.find((child: { id: string }) => child.id === 'practice_days');
    expect(days).toMatchObject({ met: true, current: 180, required: 180 });
    expect(days.labelText).toContain('180');
    // intermediate: no intermediate certificate (either kind) and no school–enterprise result
    expect(tierIntermediate.met).toBe(false);
    expect(tierIntermediate.gaps.map((gap: { requirementId: string }) => gap.requirementId).sort()).toEqual(['one_plus_x_certificate', 'school_enterprise_results', 'vocational_certificate']);
    const certificateGap = tierIntermediate.gaps.find((gap: { requirementId: string }) => gap.requirementId === 'vocational_certificate');
    expect(certificateGap.anyOf).toBe('industry_qualification');
    expect(certificateGap.text).toBe(certificateGap.zh);
    expect(certificateGap.zh).toContain('中级');
    expect(certificateGap.en).toContain('intermediate');
    const certificate = tierIntermediate.requirements.children.find((child: { id: string }) => child.id === 'industry_qualification').children[0];
    expect(certificate).toMatchObject({ met: false, current: 'junior', required: 'intermediate' });
    expect(tierSenior.met).toBe(false);
    // held: the expired one (daysLeft −1) and the expiring one (90); the pending one is not held
    expect(body.recognitions.map((held: { recordId: string; standing: string; daysLeft: number }) => [held.recordId, held.standing, held.daysLeft])).toEqual([
      [`${junior}-ri`, 'expired', -1],
      [`${junior}-rj`, 'expiring', 90],
    ]);
    expect(body.recognitions[0]).toMatchObject({ tierLabel: '中级', issuingLevelLabel: '省', standingLabel: '已过期' });
    expect(body.warnings).toHaveLength(1);
    expect(body.warnings[0]).toMatchObject({ recordId: `${junior}-rj` });
    expect(body.warnings[0].text).toContain('剩余 90 天');
  });

  it('speaks English with Accept-Language: en', async () => {
    const body = await jsonOf(await call('GET', `/v1/teachers/${junior}/dual-qualified?asOf=2026-10-01`, { token: keys.hr, headers: { 'accept-language': 'en' } }));
    expect(body.lang).toBe('en');
    expect(body.tierMetLabel).toBe('junior dual-qualified');
    expect(body.warnings[0].text).toContain('90 days left');
    expect(body.tiers[1].gaps[0].text).toBe(body.tiers[1].gaps[0].en);
  });

  it('on the last valid day the recognition still counts; from the next day it does not', async () => {
    const onLastDay = await jsonOf(await call('GET', `/v1/teachers/${junior}/dual-qualified?asOf=2026-12-30`, { token: keys.hr }));
    expect(onLastDay.recognisedTier).toBe('junior');
    expect(onLastDay.recognitions.find((held: { recordId: string }) => held.recordId === `${junior}-rj`)).toMatchObject({ standing: 'expiring', daysLeft: 0 });
    const dayAfter = await jsonOf(await call('GET', `/v1/teachers/${junior}/dual-qualified?asOf=2026-12-31`, { token: keys.hr }));
    expect(dayAfter.recognisedTier).toBe('none');
    expect(dayAfter.warnings).toEqual([]);
    // 91 days before: valid, not yet warned
    const early = await jsonOf(await call('GET', `/v1/teachers/${junior}/dual-qualified?asOf=2026-09-30`, { token: keys.hr }));
    expect(early.recognitions.find((held: { recordId: string }) => held.recordId === `${junior}-rj`)).toMatchObject({ standing: 'valid', daysLeft: 91 });
    // … while the intermediate one is on its own last day (daysLeft 0): counted and warned
    expect(early.recognisedTier).toBe('intermediate');
    expect(early.warnings.map((warning: { recordId: string }) => warning.recordId)).toEqual([`${junior}-ri`]);
    expect(early.warnings[0].en).toContain('0 days left');
  });

  it('the teacher’s progress answer lists the expiring recognition as a next step for the teacher', async () => {
    const progress = await jsonOf(await call('GET', `/v1/teachers/${junior}/progress?asOf=2026-10-01`, { token: ownKey }));
    expect(progress.nextSteps).toEqual([{ actor: 'teacher', recordId: `${junior}-rj`, zh: expect.stringContaining('2026-12-30 到期（剩余 90 天）'), en: expect.stringContaining('(90 days left)'), text: expect.stringContaining('剩余 90 天') }]);
    // 2026-09-29: the junior one has 92 days left (not yet), the intermediate one 1 day
    const earlier = await jsonOf(await call('GET', `/v1/teachers/${junior}/progress?asOf=2026-09-29`, { token: ownKey, headers: { 'accept-language': 'en' } }));
    expect(earlier.nextSteps.map((step: { recordId: string; text: string }) => [step.recordId, step.text.includes('(1 day left)')])).toEqual([[`${junior}-ri`, true]]);
    // past both: nothing to renew (an expired recognition no longer counts and is no longer warned of)
    expect((await jsonOf(await call('GET', `/v1/teachers/${junior}/progress?asOf=2027-01-01`, { token: ownKey }))).nextSteps).toEqual([]);
  });

  it('a unit reviewer sees its unit’s teachers, not another unit’s (404); a teacher not another teacher (404); a bad date is 400', async () => {
    expect((await call('GET', `/v1/teachers/${junior}/dual-qualified?asOf=2026-10-01`, { token: reviewer })).status).toBe(200);
    expect((await call('GET', `/v1/teachers/${other}/dual-qualified?asOf=2026-10-01`, { token: reviewer })).status).toBe(404);
    expect((await call('GET', `/v1/teachers/${other}/dual-qualified?asOf=2026-10-01`, { token: ownKey })).status).toBe(404);
    expect((await call('GET', `/v1/teachers/${uid('nobody')}/dual-qualified?asOf=2026-10-01`, { token: keys.hr })).status).toBe(404);
    const bad = await call('GET', `/v1/teachers/${junior}/dual-qualified?asOf=2026-02-30`, { token: keys.hr });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await jsonOf(bad))).toContain('query.asOf');
  });

  it('is in the OpenAPI document with its response schema', async () => {
    const doc = await jsonOf(await call('GET', '/openapi.json'));
    const operation = doc.paths['/v1/teachers/{id}/dual-qualified'].get;
    expect(operation.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/DualQualifiedView');
    expect(Object.keys(doc.components.schemas.DualQualifiedView.properties)).toEqual(expect.arrayContaining(['tierMet', 'tiers', 'recognitions', 'warnings']));
  });
});
