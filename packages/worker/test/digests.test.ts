import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy, reviewSettings } from '@shizi/core';
import worker from '../src/index.js';
import { WEEKLY_DIGEST_CRON } from '../src/jobs/scheduled.js';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * The weekly digest, run through the worker's `scheduled` handler as the Cron Trigger would. Monday
 * 2026-08-17 01:00 UTC: academic year 2025-2026 ends 2026-08-31, so 14 days are left after that day.
 */
const AT = Date.UTC(2026, 7, 17, 1);
const NEXT_WEEK = AT + 7 * 86_400_000;
const DAY = 86_400_000;
const { maxWaitDays } = reviewSettings(defaultPolicy);

let keys: Keys;
let reviewer: string;
let otherReviewer: string;
const unit = uid('周报学院');
const [atRisk, short, met] = [uid('tA'), uid('tB'), uid('tC')];
const [oldRecord, recentRecord] = [uid('r-old'), uid('r-new')];
const practice = (id: string, teacherId: string, start: string, end: string, status = 'verified') => ({ id, teacherId, kind: 'enterprise_practice', status, start, end, enterprise: '格力电器' });

async function runCron(scheduledTime: number, cron = WEEKLY_DIGEST_CRON): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const digestsOf = async (token: string, query = '') => call('GET', `/v1/digests${query}`, { token });

beforeAll(async () => {
  keys = await setupKeys();
  for (const id of [atRisk, short, met]) expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit }) })).status).toBe(201);
  const records = [
    practice(uid('r'), atRisk, '2026-06-01', '2026-06-10'), // 10 days: 20 short, 14 left → at risk
    practice(uid('r'), short, '2026-06-01', '2026-06-20'), // 20 days: 10 short, 14 left → short
    practice(uid('r'), met, '2026-06-01', '2026-06-30'), // 30 days: met
    practice(oldRecord, short, '2026-07-01', '2026-07-03', 'pending'),
    practice(recentRecord, atRisk, '2026-07-05', '2026-07-06', 'pending'),
  ];
  for (const body of records) expect((await call('POST', '/v1/records', { token: keys.hr, body })).status).toBe(201);
  // the two pending records entered review before the digest: one past the policy's wait, one not
  const at = (ms: number) => new Date(ms).toISOString();
  await env.DB.prepare('UPDATE records SET state_since = ? WHERE id = ?')
    .bind(at(AT - (maxWaitDays + 5) * DAY), oldRecord)
    .run();
  await env.DB.prepare('UPDATE records SET state_since = ? WHERE id = ?')
    .bind(at(AT - (maxWaitDays - 5) * DAY), recentRecord)
    .run();
  const key = async (units: string[]) => (await jsonOf(await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'unit_reviewer', units } }))).token as string;
  reviewer = await key([unit]);
  otherReviewer = await key([uid('别的学院')]);
  await runCron(AT);
});

describe('weekly digest (Cron Trigger → GET /v1/digests)', () => {
  it('lists who may miss the practice requirement with the days each needs, and records waiting too long', async () => {
    const response = await digestsOf(keys.hr, `?unit=${encodeURIComponent(unit)}`);
    expect(response.status).toBe(200);
    const { items } = await jsonOf(response);
    expect(items).toHaveLength(1);
    const digest = items[0];
    expect(digest).toMatchObject({ unit, asOf: '2026-08-17', generatedAt: new Date(AT).toISOString(), year: 2025, yearLabel: '2025-2026', maxWaitDays });
    expect(digest.practice).toEqual([
      { teacherId: atRisk, name: `教师${atRisk}`, standing: 'at_risk', daysNeeded: 20, countedDays: 10, pendingDays: 2, requiredDays: 30, daysLeft: 14 },
      { teacherId: short, name: `教师${short}`, standing: 'short', daysNeeded: 10, countedDays: 20, pendingDays: 3, requiredDays: 30, daysLeft: 14 },
    ]);
    expect(digest.waiting.map((entry: { recordId: string; waitingDays: number; state: string }) => [entry.recordId, entry.waitingDays, entry.state])).toEqual([[oldRecord, maxWaitDays + 5, 'submitted']]);
    expect(digest.text.zh).toContain(`${unit} 周报（2026-08-17，2025-2026 学年）`);
    expect(digest.text.zh).toContain(`- 教师${atRisk}（${atRisk}）：尚需 20 天，本学年剩余 14 天`);
    expect(digest.text.zh).toContain(`${oldRecord} 企业实践（教师${short}，${short}）：已提交`);
    expect(digest.text.en).toContain(`Records waiting for review longer than ${maxWaitDays} days: 1`);
  });

  it('a retried run replaces the day’s digest; each run is audited; another cron writes none', async () => {
    await runCron(AT);
    const { items } = await jsonOf(await digestsOf(keys.hr, `?unit=${encodeURIComponent(unit)}`));
    expect(items).toHaveLength(1);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'digest.generate' AND detail LIKE ?").bind(`%"asOf":"2026-08-17"%`).first<{ n: number }>();
    expect(audit!.n).toBeGreaterThanOrEqual(2);
    await runCron(AT + DAY, '0 3 * * *');
    expect((await jsonOf(await digestsOf(keys.hr, `?unit=${encodeURIComponent(unit)}`))).items).toHaveLength(1);
  });

  it('pages newest first with a cursor', async () => {
    await runCron(NEXT_WEEK);
    const first = await jsonOf(await digestsOf(keys.hr, `?unit=${encodeURIComponent(unit)}&limit=1`));
    expect(first.items.map((item: { asOf: string }) => item.asOf)).toEqual(['2026-08-24']);
    expect(first.items[0].practice[0].daysLeft).toBe(7);
    const second = await jsonOf(await digestsOf(keys.hr, `?unit=${encodeURIComponent(unit)}&limit=1&cursor=${first.nextCursor}`));
    expect(second.items.map((item: { asOf: string }) => item.asOf)).toEqual(['2026-08-17']);
    expect((await digestsOf(keys.hr, '?cursor=bm9wZQ')).status).toBe(400);
  });

  it('a unit reviewer sees its units only; teachers, committee and admin may not', async () => {
    const own = await jsonOf(await digestsOf(reviewer));
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((item: { unit: string }) => item.unit === unit)).toBe(true);
    expect((await digestsOf(otherReviewer, `?unit=${encodeURIComponent(unit)}`)).status).toBe(404);
    expect((await jsonOf(await digestsOf(otherReviewer))).items).toEqual([]);
    for (const token of [keys.teacher, keys.committee, keys.admin]) expect((await digestsOf(token)).status).toBe(403);
    expect((await call('GET', '/v1/digests')).status).toBe(401);
  });
});

describe('the worker entry module', () => {
  it('exports only its handler (workerd refuses to start when a named export is not an entrypoint)', async () => {
    expect(Object.keys(await import('../src/index.js'))).toEqual(['default']);
  });
});
