import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '@shizi/core';
import { call, createKey, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

let keys: Keys;
/** A unit of this test file's own, so counts and queues are not shared with other files. */
const unit = `测试学院-${uid('u')}`;
const otherUnit = `另一学院-${uid('u')}`;
let teacherId: string;
let teacherKey: string;
let reviewer: string;
let otherReviewer: string;

async function reviewerKey(units: string[]): Promise<string> {
  const response = await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'unit_reviewer', units, label: 'test reviewer' } });
  expect(response.status).toBe(201);
  const body = await jsonOf(response);
  expect(body.units).toEqual(units);
  return body.token;
}

beforeAll(async () => {
  keys = await setupKeys();
  teacherId = uid('t');
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(teacherId, { unit }) })).status).toBe(201);
  teacherKey = await createKey('teacher', teacherId);
  reviewer = await reviewerKey([unit]);
  otherReviewer = await reviewerKey([otherUnit]);
});

const practice = (overrides: Record<string, unknown> = {}) => ({ kind: 'enterprise_practice', start: '2025-07-01', end: '2025-07-31', enterprise: '海尔智家', ...overrides });

async function declare(body: Record<string, unknown> = practice()) {
  const response = await call('POST', '/v1/records', { token: teacherKey, body });
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return jsonOf(response);
}

const act = (token: string, id: string, action: string, reason?: string, headers: Record<string, string> = {}) => call('POST', `/v1/records/${encodeURIComponent(id)}/transitions`, { token, body: reason === undefined ? { action } : { action, reason }, headers });

async function practiceDays(year = 2024) {
  const body = await jsonOf(await call('GET', `/v1/teachers/${teacherId}/practice?year=${year}`, { token: teacherKey }));
  return { counted: body.countedDays as number, pending: body.pendingDays as number };
}

describe('teachers declare their own records', () => {
  it('stores a declaration as submitted whatever status the body names, under the teacher’s own id', async () => {
    const body = await declare(practice({ status: 'verified' }));
    expect(body.state).toBe('submitted');
    expect(body.stateLabel).toBe('已提交');
    expect(body.record.status).toBe('pending');
    expect(body.record.teacherId).toBe(teacherId);
    expect(body.record.id).toMatch(/^rec_/);
    const row = await env.DB.prepare('SELECT status, state FROM records WHERE id = ?').bind(body.record.id).first();
    expect(row).toEqual({ status: 'pending', state: 'submitted' });
  });

  it('refuses another teacher’s id, a kind teachers may not declare, and reviewer fields, and stores nothing', async () => {
    const before = await env.DB.prepare('SELECT COUNT(*) AS n FROM records WHERE teacher_id = ?').bind(teacherId).first<{ n: number }>();
    const other = await call('POST', '/v1/records', { token: teacherKey, body: practice({ teacherId: keys.teacherId }) });
    expect(other.status).toBe(400);
    expect((await jsonOf(other)).errors[0].path).toBe('teacherId');
    const veto = await call('POST', '/v1/records', { token: teacherKey, body: { kind: 'ethics_violation', date: '2025-03-01', description: 'x' } });
    expect(veto.status).toBe(400);
    expect((await jsonOf(veto)).errors[0].path).toBe('kind');
    const exemption = await call('POST', '/v1/records', { token: teacherKey, body: { kind: 'practice_exemption', year: 2025, reason: '产假' } });
    expect(exemption.status).toBe(400);
    const stateField = await call('POST', '/v1/records', { token: teacherKey, body: practice({ state: 'verified' }) });
    expect(stateField.status).toBe(400);
    const after = await env.DB.prepare('SELECT COUNT(*) AS n FROM records WHERE teacher_id = ?').bind(teacherId).first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });

  it('replays a retried declaration with the same Idempotency-Key instead of declaring twice', async () => {
    const idem = uid('idem');
    const body = practice({ start: '2025-06-01', end: '2025-06-03' });
    const first = await call('POST', '/v1/records', { token: teacherKey, body, headers: { 'idempotency-key': idem } });
    const second = await call('POST', '/v1/records', { token: teacherKey, body, headers: { 'idempotency-key': idem } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await jsonOf(second)).record.id).toBe((await jsonOf(first)).record.id);
  });
});

describe('two-level review: the unit approves, HR verifies', () => {
  it('moves a declaration to verified, counts its days only then, and shows the history to the teacher', async () => {
    const before = await practiceDays();
    const declared = await declare(practice({ start: '2025-08-01', end: '2025-08-31' }));
    const id = declared.record.id;
    expect((await practiceDays()).pending).toBe(before.pending + 31);

    // Another unit's reviewer cannot see it; a teacher cannot approve; HR cannot be skipped by the unit.
    expect((await call('GET', `/v1/records/${id}`, { token: otherReviewer })).status).toBe(404);
    expect((await act(otherReviewer, id, 'approve')).status).toBe(404);
    expect((await act(teacherKey, id, 'approve')).status).toBe(403);

    const approved = await act(reviewer, id, 'approve');
    expect(approved.status).toBe(200);
    expect((await jsonOf(approved)).state).toBe('unit_approved');
    expect((await practiceDays()).counted).toBe(before.counted);
    expect((await act(reviewer, id, 'approve')).status).toBe(409);

    const verified = await act(keys.hr, id, 'approve');
    expect(verified.status).toBe(200);
    const body = await jsonOf(verified);
    expect(body.state).toBe('verified');
    expect(body.record.status).toBe('verified');
    expect(await practiceDays()).toEqual({ counted: before.counted + 31, pending: before.pending });

    const history = await jsonOf(await call('GET', `/v1/records/${id}/history`, { token: teacherKey, headers: { 'accept-language': 'en' } }));
    expect(history.items.map((item: { from: string | null; to: string; role: string }) => [item.from, item.to, item.role])).toEqual([
      [null, 'submitted', 'teacher'],
      ['submitted', 'unit_approved', 'unit_reviewer'],
      ['unit_approved', 'verified', 'hr'],
    ]);
    expect(history.items[2].toLabel).toBe('verified');
    // A verified record can no longer be edited or withdrawn by its teacher.
    expect((await act(teacherKey, id, 'withdraw')).status).toBe(409);
    expect((await call('PUT', `/v1/records/${id}`, { token: teacherKey, body: practice() })).status).toBe(409);
  });

  it('returns with a reason; the teacher corrects and it is submitted again', async () => {
    const { record } = await declare(practice({ start: '2025-05-01', end: '2025-05-10' }));
    const noReason = await act(reviewer, record.id, 'return');
    expect(noReason.status).toBe(400);
    expect((await jsonOf(noReason)).errors[0].path).toBe('reason');
    expect((await act(reviewer, record.id, 'return', '缺少企业盖章的证明')).status).toBe(200);
    const listed = await jsonOf(await call('GET', `/v1/records?state=returned`, { token: teacherKey }));
    expect(listed.items.map((item: { record: { id: string } }) => item.record.id)).toContain(record.id);

    const corrected = await call('PUT', `/v1/records/${record.id}`, { token: teacherKey, body: practice({ start: '2025-05-01', end: '2025-05-12', status: 'verified' }) });
    expect(corrected.status).toBe(200);
    const body = await jsonOf(corrected);
    expect(body.state).toBe('submitted');
    expect(body.record.end).toBe('2025-05-12');
    expect(body.record.status).toBe('pending');
    const history = await jsonOf(await call('GET', `/v1/records/${record.id}/history`, { token: teacherKey }));
    expect(history.items.map((item: { to: string; reason: string | null }) => [item.to, item.reason])).toEqual([
      ['submitted', null],
      ['returned', '缺少企业盖章的证明'],
      ['submitted', null],
    ]);
  });

  it('lets the teacher withdraw (not counted, not pending) and resubmit', async () => {
    const before = await practiceDays();
    const { record } = await declare(practice({ start: '2025-04-01', end: '2025-04-05' }));
    expect((await act(reviewer, record.id, 'withdraw')).status).toBe(403);
    const withdrawn = await jsonOf(await act(teacherKey, record.id, 'withdraw'));
    expect(withdrawn.state).toBe('withdrawn');
    expect(await practiceDays()).toEqual(before);
    expect((await jsonOf(await act(teacherKey, record.id, 'resubmit'))).state).toBe('submitted');
    expect((await practiceDays()).pending).toBe(before.pending + 5);
  });

  it('applies a retried transition once (Idempotency-Key) and of two racing reviewers exactly one wins', async () => {
    const { record } = await declare(practice({ start: '2025-03-01', end: '2025-03-02' }));
    const idem = uid('idem');
    const first = await act(reviewer, record.id, 'approve', undefined, { 'idempotency-key': idem });
    const retry = await act(reviewer, record.id, 'approve', undefined, { 'idempotency-key': idem });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM record_transitions WHERE record_id = ?').bind(record.id).first<{ n: number }>();
    expect(rows!.n).toBe(2);

    const race = await declare(practice({ start: '2025-02-01', end: '2025-02-02' }));
    const answers = await Promise.all([act(reviewer, race.record.id, 'approve'), act(keys.hr, race.record.id, 'reject', '重复申报')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const transitions = await env.DB.prepare('SELECT COUNT(*) AS n FROM record_transitions WHERE record_id = ?').bind(race.record.id).first<{ n: number }>();
    expect(transitions!.n).toBe(2);
  });
});

describe('the review queue', () => {
  it('shows a unit reviewer only its units’ records, oldest first, with counts per state and cursor pages', async () => {
    const strangerId = uid('t');
    await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(strangerId, { unit: otherUnit }) });
    await call('POST', '/v1/records', { token: keys.hr, body: { id: uid('r'), teacherId: strangerId, status: 'pending', ...practice() } });
    const page = await jsonOf(await call('GET', '/v1/review-queue?state=submitted&limit=2', { token: reviewer }));
    expect(page.items.length).toBe(2);
    expect(page.items.every((item: { teacher: { unit: string } }) => item.teacher.unit === unit)).toBe(true);
    expect(page.counts.submitted).toBeGreaterThanOrEqual(2);
    expect(page.levels).toBe(2);
    const all: string[] = page.items.map((item: { record: { id: string } }) => item.record.id);
    let cursor = page.nextCursor;
    while (cursor) {
      const next = await jsonOf(await call('GET', `/v1/review-queue?state=submitted&limit=2&cursor=${cursor}`, { token: reviewer }));
      all.push(...next.items.map((item: { record: { id: string } }) => item.record.id));
      cursor = next.nextCursor;
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(page.counts.submitted);
    const other = await jsonOf(await call('GET', '/v1/review-queue', { token: otherReviewer }));
    expect(other.items.every((item: { teacher: { unit: string } }) => item.teacher.unit === otherUnit)).toBe(true);
    expect(other.items.length).toBe(1);
    expect((await jsonOf(await call('GET', '/v1/review-queue?olderThanDays=3000', { token: reviewer }))).items).toEqual([]);
    expect((await call('GET', '/v1/review-queue', { token: teacherKey })).status).toBe(403);
  });

  it('approves several at once, each record on its own', async () => {
    const a = await declare(practice({ start: '2025-01-05', end: '2025-01-06' }));
    const b = await declare(practice({ start: '2025-01-07', end: '2025-01-08' }));
    await act(teacherKey, b.record.id, 'withdraw');
    const response = await call('POST', '/v1/records/transitions', { token: reviewer, body: { ids: [a.record.id, b.record.id, 'no-such-record'], action: 'approve' } });
    expect(response.status).toBe(200);
    const { results } = await jsonOf(response);
    expect(results).toEqual([
      { id: a.record.id, ok: true, state: 'unit_approved' },
      { id: b.record.id, ok: false, error: { code: 'invalid-transition', detail: expect.any(String) } },
      { id: 'no-such-record', ok: false, error: { code: 'not-found', detail: expect.any(String) } },
    ]);
  });
});

describe('next steps', () => {
  it('says who must act on each pending record, and how many days the teacher still has to declare', async () => {
    const id = uid('t');
    await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit }) });
    const token = await createKey('teacher', id);
    const declared = await call('POST', '/v1/records', { token, body: practice({ start: '2026-10-01', end: '2026-10-10', enterprise: '海尔智家' }) });
    const { record, stateSince } = await jsonOf(declared);
    const today = String(stateSince).slice(0, 10);
    const steps = async () => {
      const body = await jsonOf(await call('GET', `/v1/teachers/${id}/practice?year=2026&asOf=2026-12-01`, { token, headers: { 'accept-language': 'en' } }));
      return body.nextSteps.map((s: { actor: string | null; text: string }) => [s.actor, s.text]);
    };
    // 30 required, 10 pending: the unit reviews those 10, and 20 are the teacher's to declare by the year's end.
    expect(await steps()).toEqual([
      ['unit', `${record.id} (海尔智家, 2026-10-01–2026-10-10, 10 days) waits for ${unit} review since ${today}`],
      ['teacher', 'declare 20 more practice days by 2027-08-31'],
    ]);
    await act(reviewer, record.id, 'approve');
    expect((await steps())[0]).toEqual(['hr', expect.stringContaining('waits for the personnel office (人事处) to verify it since')]);
    await act(keys.hr, record.id, 'return', '请附企业盖章的证明');
    expect((await steps())[0]).toEqual(['teacher', `${record.id} (海尔智家, 2026-10-01–2026-10-10, 10 days) was returned for correction: 请附企业盖章的证明. Correct it and resubmit`]);

    // A growth-path gap of a closed year says the same (zh by default): the record waits, the rest was never declared.
    const closed = await jsonOf(await call('POST', '/v1/records', { token, body: practice({ start: '2026-07-01', end: '2026-07-31', enterprise: '格力电器' }) }));
    const progress = await jsonOf(await call('GET', `/v1/teachers/${id}/progress?asOf=2026-12-01`, { token }));
    const practiceGap = progress.gaps.find((gap: { practice?: { year: number } }) => gap.practice?.year === 2025);
    expect(practiceGap.practice).toMatchObject({ yearClosed: true, pendingRecordIds: [closed.record.id], undeclaredDays: 0 });
    expect(practiceGap.nextSteps.map((s: { actor: string; text: string }) => [s.actor, s.text])).toEqual([['unit', `${closed.record.id}（格力电器，2026-07-01 至 2026-07-31，31 天）自 ${today} 起等待${unit}审核`]]);
  });
});

describe('one review level (policy review.levels 1)', () => {
  it('leaves the unit out: a unit reviewer may not approve, HR verifies a submitted record directly', async () => {
    const oneLevel = { ...structuredClone(defaultPolicy), version: uid('one-level'), review: { levels: 1, maxWaitDays: 14 } };
    expect((await call('POST', '/v1/policies', { token: keys.admin, body: oneLevel })).status).toBe(201);
    try {
      const { record } = await declare(practice({ start: '2025-01-20', end: '2025-01-21' }));
      const refused = await act(reviewer, record.id, 'approve');
      expect(refused.status).toBe(403);
      expect((await jsonOf(refused)).detail).toContain('one review level');
      const queue = await jsonOf(await call('GET', '/v1/review-queue', { token: keys.hr }));
      expect(queue).toMatchObject({ levels: 1, maxWaitDays: 14 });
      expect((await jsonOf(await act(keys.hr, record.id, 'approve'))).state).toBe('verified');
    } finally {
      expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version: uid('default-again') } })).status).toBe(201);
    }
  });
});
