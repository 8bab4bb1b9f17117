import { beforeAll, describe, expect, it } from 'vitest';
import { labels } from '@shizi/core';
import { parseCsv } from '../src/csv.js';
import { queryStats, resetQueryStats } from '../src/db/index.js';
import { call, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

let keys: Keys;
let unit: string;
const ids: string[] = [];

/** Three completed years of solid work for a lecturer → associate professor candidate. */
function career(id: string, strength: number) {
  const records: Record<string, unknown>[] = [];
  for (const year of [2023, 2024, 2025]) {
    records.push({ id: `${id}-p${year}`, teacherId: id, kind: 'enterprise_practice', status: 'verified', start: `${year + 1}-07-01`, end: `${year + 1}-08-05`, enterprise: '三一重工' });
    records.push({ id: `${id}-w${year}`, teacherId: id, kind: 'teaching_workload', status: 'verified', year, hours: 280 });
    records.push({ id: `${id}-e${year}`, teacherId: id, kind: 'teaching_evaluation', status: 'verified', date: `${year + 1}-01-10`, score: 90 });
    records.push({ id: `${id}-t${year}`, teacherId: id, kind: 'tech_transfer', status: 'verified', date: `${year + 1}-03-10`, amountYuan: strength * 10_000, partner: '美的集团' });
  }
  return records;
}

beforeAll(async () => {
  keys = await setupKeys();
  unit = uid('学院');
  const teachers = [];
  const records = [];
  for (let index = 0; index < 6; index++) {
    const id = uid('c');
    ids.push(id);
    teachers.push(teacher(id, { name: `候选人${index}，"甲"`, unit, title: 'lecturer', titleSince: '2015-07-01', hireDate: '2012-09-01' }));
    records.push(...career(id, 2 + index));
  }
  const response = await call('POST', '/v1/import', { token: keys.hr, body: { teachers, records } });
  expect(response.status).toBe(201);
});

describe('committee appraisal listing', () => {
  it('ranks a unit with the excellence quota applied, in a couple of queries', async () => {
    resetQueryStats();
    const response = await call('GET', `/v1/appraisals?year=2024&unit=${encodeURIComponent(unit)}`, { token: keys.committee, headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(200);
    expect(queryStats.roundTrips).toBeLessThanOrEqual(3);
    const body = await jsonOf(response);
    expect(body.items).toHaveLength(6);
    expect(body.items.map((item: { rank: number }) => item.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    const totals = body.items.map((item: { total: number }) => item.total);
    expect([...totals].sort((a, b) => b - a)).toEqual(totals);
    expect(body.items[0].teacherId).toBe(ids[5]);
    const excellent = body.items.filter((item: { finalGrade: string }) => item.finalGrade === 'excellent');
    expect(excellent.length).toBeLessThanOrEqual(1);
    expect(body.items[0].finalGradeLabel).toBeTruthy();
    // The API says why and how grades sort, so the board computes no rule.
    for (const item of body.items) {
      expect(item.finalGradeRank).toBe(['excellent', 'competent', 'basic', 'incompetent'].indexOf(item.finalGrade));
      const codes = item.reasons.map((reason: { code: string }) => reason.code);
      for (const veto of item.vetoes) expect(codes).toContain(veto);
      expect(codes.includes('excellence_quota')).toBe(item.finalGrade !== item.grade);
      expect(codes.includes('below_competent')).toBe(['basic', 'incompetent'].includes(item.grade) && !item.vetoes.includes('ethics_violation'));
      const below = item.reasons.find((reason: { code: string }) => reason.code === 'below_competent');
      if (below) expect(below.label).toBe(`grade below ${labels.grades.competent.en}`);
    }
    const lowered = body.items.find((item: { grade: string; finalGrade: string }) => item.grade !== item.finalGrade);
    if (lowered) expect(lowered.reasons.at(-1).label).toBe(`lowered to ${lowered.finalGradeLabel} by the excellence quota`);
  });

  it('exports CSV that opens in Excel with Chinese names intact', async () => {
    const response = await call('GET', `/v1/appraisals?year=2024&unit=${encodeURIComponent(unit)}&format=csv`, { token: keys.committee });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
    expect(text).toContain('\r\n');
    expect(text).toContain('"候选人5，""甲"""');
    const rows = parseCsv(text);
    expect(rows[0]!.slice(0, 2)).toEqual(['学年', '名次']);
    expect(rows).toHaveLength(7);
    expect(rows[1]![3]).toBe('候选人5，"甲"');
  });

  it('validates its query', async () => {
    expect((await call('GET', '/v1/appraisals', { token: keys.committee })).status).toBe(400);
    expect((await call('GET', '/v1/appraisals?year=2024&format=xml', { token: keys.committee })).status).toBe(400);
    expect((await call('GET', '/v1/appraisals?year=2024&policy=nope', { token: keys.committee })).status).toBe(404);
  });
});

describe('review cycles', () => {
  it('create → candidates → ranking → freeze; frozen cycles refuse changes and keep their snapshot', async () => {
    const created = await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: '2026 职称评审', asOf: '2026-09-01' } });
    expect(created.status).toBe(201);
    const cycle = await jsonOf(created);
    const active = (await jsonOf(await call('GET', '/v1/policies', { token: keys.hr }))).items[0].version;
    expect(cycle).toMatchObject({ status: 'open', policyVersion: active });

    const added = await call('POST', `/v1/review-cycles/${cycle.id}/candidates`, {
      token: keys.hr,
      body: { candidates: ids.map((teacherId) => ({ teacherId, targetTitle: 'associate_professor' })) },
    });
    expect(added.status).toBe(200);
    const detail = await jsonOf(await call('GET', `/v1/review-cycles/${cycle.id}`, { token: keys.committee }));
    expect(detail.candidates).toHaveLength(6);

    const live = await jsonOf(await call('GET', `/v1/review-cycles/${cycle.id}/ranking`, { token: keys.committee }));
    expect(live.frozen).toBe(false);
    expect(live.entries).toHaveLength(6);
    expect(live.entries[0].teacherId).toBe(ids[5]);

    const frozenResponse = await call('POST', `/v1/review-cycles/${cycle.id}/freeze`, { token: keys.hr });
    expect(frozenResponse.status).toBe(200);
    const frozen = await jsonOf(frozenResponse);
    expect(frozen.frozen).toBe(true);
    expect(frozen.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(frozen.cycle.snapshotHash).toBe(frozen.inputsHash);
    expect(frozen.entries).toEqual(live.entries);
    expect(frozen.inputsHash).toBe(live.inputsHash);

    // Records change after the freeze: the best candidate loses their tech transfer income.
    for (const year of [2023, 2024, 2025]) expect((await call('DELETE', `/v1/records/${ids[5]}-t${year}`, { token: keys.hr })).status).toBe(200);
    const liveAgain = await jsonOf(await call('GET', `/v1/appraisals?year=2024&unit=${encodeURIComponent(unit)}`, { token: keys.committee }));
    expect(liveAgain.items[0].teacherId).not.toBe(ids[5]);

    const after = await jsonOf(await call('GET', `/v1/review-cycles/${cycle.id}/ranking`, { token: keys.committee }));
    expect(after.entries).toEqual(frozen.entries);
    expect(after.inputsHash).toBe(frozen.inputsHash);

    expect((await call('POST', `/v1/review-cycles/${cycle.id}/freeze`, { token: keys.hr })).status).toBe(409);
    const change = await call('POST', `/v1/review-cycles/${cycle.id}/candidates`, { token: keys.hr, body: { candidates: [{ teacherId: ids[0], targetTitle: 'professor' }] } });
    expect(change.status).toBe(409);
    expect(change.headers.get('content-type')).toContain('problem+json');

    const csv = await call('GET', `/v1/review-cycles/${cycle.id}/ranking?format=csv`, { token: keys.committee, headers: { 'accept-language': 'en' } });
    expect(csv.status).toBe(200);
    const rows = parseCsv(await csv.text());
    expect(rows[0]![0]).toBe('target title');
    expect(rows).toHaveLength(7);
  });

  it('an open cycle recomputes; a cycle pins its policy version', async () => {
    const created = await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: 'pinned', asOf: '2026-09-01', policyVersion: 'default-2026' } }));
    expect(created.policyVersion).toBe('default-2026');
    const list = await jsonOf(await call('GET', '/v1/review-cycles', { token: keys.committee }));
    expect(list.items.some((item: { id: string }) => item.id === created.id)).toBe(true);
    const empty = await jsonOf(await call('GET', `/v1/review-cycles/${created.id}/ranking`, { token: keys.hr }));
    expect(empty.entries).toEqual([]);
  });

  it('bad input', async () => {
    expect((await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: 'x', asOf: '2026-02-30' } })).status).toBe(400);
    expect((await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: 'x', asOf: '2026-09-01', policyVersion: 'nope' } })).status).toBe(400);
    const cycle = await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: 'x', asOf: '2026-09-01' } }));
    const unknown = await call('POST', `/v1/review-cycles/${cycle.id}/candidates`, { token: keys.hr, body: { candidates: [{ teacherId: 'ghost', targetTitle: 'lecturer' }] } });
    expect(unknown.status).toBe(400);
    expect((await jsonOf(unknown)).errors[0].path).toBe('candidates[0].teacherId');
    const badTitle = await call('POST', `/v1/review-cycles/${cycle.id}/candidates`, { token: keys.hr, body: { candidates: [{ teacherId: ids[0], targetTitle: 'dean' }] } });
    expect(badTitle.status).toBe(400);
    expect((await call('GET', '/v1/review-cycles/nope', { token: keys.hr })).status).toBe(404);
    expect((await call('POST', '/v1/review-cycles/nope/freeze', { token: keys.hr })).status).toBe(404);
  });
});
