import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '@shizi/core';
import { call, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

// Pre-post practice (policy.practice.prePost) and the teacher's enterprise experience (migration 0011), end to end.
let keys: Keys;
const unit = uid('岗前学院');
const [fresh, experienced, publicBasic] = [uid('tP'), uid('tQ'), uid('tR')];
const practice = (teacherId: string, start: string, end: string) => ({ id: uid('r'), teacherId, kind: 'enterprise_practice', status: 'verified', start, end, enterprise: '格力电器' });
const newTeacher = (id: string, extra: Record<string, unknown> = {}) => teacher(id, { unit, hireDate: '2025-09-01', stage: 'new_teacher', stageSince: '2025-09-01', titleSince: '2025-09-01', ...extra });

beforeAll(async () => {
  keys = await setupKeys();
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: newTeacher(fresh) })).status).toBe(201);
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: newTeacher(experienced, { enterpriseExperience: true }) })).status).toBe(201);
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: newTeacher(publicBasic, { category: 'public_basic', enterpriseExperience: false }) })).status).toBe(201);
  // 1–20 July 2025, before the post starts on 1 September: 20 days; and 30 days in October, after it
  for (const id of [fresh, experienced, publicBasic]) {
    expect((await call('POST', '/v1/records', { token: keys.hr, body: practice(id, '2025-07-01', '2025-07-20') })).status).toBe(201);
    expect((await call('POST', '/v1/records', { token: keys.hr, body: practice(id, '2025-10-01', '2025-10-30') })).status).toBe(201);
  }
});

describe('enterprise experience on the teacher', () => {
  it('is stored, answered and changed by PATCH; absent when not stated', async () => {
    expect((await jsonOf(await call('GET', `/v1/teachers/${experienced}`, { token: keys.hr }))).enterpriseExperience).toBe(true);
    expect((await jsonOf(await call('GET', `/v1/teachers/${publicBasic}`, { token: keys.hr }))).enterpriseExperience).toBe(false);
    const got = await call('GET', `/v1/teachers/${fresh}`, { token: keys.hr });
    expect('enterpriseExperience' in (await jsonOf(got))).toBe(false);
    const id = uid('tS');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: newTeacher(id) })).status).toBe(201);
    const patched = await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { enterpriseExperience: true }, headers: { 'if-match': '"v1"' } });
    expect(patched.status).toBe(200);
    expect((await jsonOf(patched)).enterpriseExperience).toBe(true);
    expect((await jsonOf(await call('GET', `/v1/teachers/${id}`, { token: keys.hr }))).enterpriseExperience).toBe(true);
    expect((await call('PATCH', `/v1/teachers/${id}`, { token: keys.hr, body: { enterpriseExperience: 'yes' }, headers: { 'if-match': '"v2"' } })).status).toBe(400);
  });
});

describe('pre-post practice in the progress and practice answers', () => {
  it('is not required under the default policy', async () => {
    const progress = await jsonOf(await call('GET', `/v1/teachers/${fresh}/progress?asOf=2026-03-01`, { token: keys.hr }));
    expect(progress.prePostPractice).toMatchObject({ required: false, notRequiredBecause: 'no_policy', countedDays: 20, requiredDays: 0, met: true, gaps: [] });
  });

  it('under a policy asking 30 days of 专业课 new teachers: the gap for the teacher without experience, in the asked language', async () => {
    const policy = structuredClone(defaultPolicy) as Record<string, any>;
    policy.version = uid('prepost');
    policy.practice.prePost = { requiredDays: 30, categories: ['specialised'], stages: ['new_teacher'] };
    expect((await call('POST', '/v1/policies', { token: keys.admin, body: policy })).status).toBe(201);
    try {
      const progress = await jsonOf(await call('GET', `/v1/teachers/${fresh}/progress?asOf=2026-03-01`, { token: keys.hr }));
      // 20 of 30 days before 2025-09-01; October's 30 days are after the post started
      expect(progress.prePostPractice).toMatchObject({ required: true, notRequiredBecause: null, postStart: '2025-09-01', requiredDays: 30, countedDays: 20, met: false, shortfall: 10 });
      expect(progress.prePostPractice.gaps).toEqual([
        { requirementId: 'pre_post_practice', zh: '还需 10 天岗前企业实践（2025-09-01 入职前）', en: '10 more days of pre-post enterprise practice (before taking up the post on 2025-09-01)', text: '还需 10 天岗前企业实践（2025-09-01 入职前）' },
      ]);
      const practiceEn = await jsonOf(await call('GET', `/v1/teachers/${fresh}/practice?year=2025&asOf=2026-03-01`, { token: keys.hr, headers: { 'accept-language': 'en' } }));
      expect(practiceEn.prePostPractice).toMatchObject({ required: true, shortfall: 10 });
      expect(practiceEn.prePostPractice.gaps[0].text).toBe('10 more days of pre-post enterprise practice (before taking up the post on 2025-09-01)');
      expect((await jsonOf(await call('GET', `/v1/teachers/${experienced}/progress?asOf=2026-03-01`, { token: keys.hr }))).prePostPractice).toMatchObject({ required: false, notRequiredBecause: 'experience', met: true });
      expect((await jsonOf(await call('GET', `/v1/teachers/${publicBasic}/practice?year=2025`, { token: keys.hr }))).prePostPractice).toMatchObject({ required: false, notRequiredBecause: 'category', met: true });
    } finally {
      expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version: uid('default-again') } })).status).toBe(201);
    }
  });
});
