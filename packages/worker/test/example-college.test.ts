import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '@shizi/core';
import example from '../../../docs/policies/example-vocational-college.json';
import { call, jsonOf, purgeRecordsOfKinds, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * The example college of docs/policies through the API, on the records packages/core/test/example-policy.test.ts
 * computes by hand: its own kinds (论文, 教材) stored with POST /v1/records under the active example policy, then
 * scored by GET /v1/teachers/{id}/appraisals/2025 and ranked by GET /v1/appraisals. Every number is the hand
 * computation's.
 */
let keys: Keys;
let id: string;
let unit: string;
const recordId = new Map<string, string>();

beforeAll(async () => {
  keys = await setupKeys();
  expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(example), version: uid('example') } })).status).toBe(201);
  id = uid('T');
  unit = uid('机电工程学院');
  expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit }) })).status).toBe(201);
  const paper = (key: string, journalLevel: string, achievement: string, extra: object = {}) => ({ key, kind: 'paper', date: '2025-11-20', title: `论文${key}`, journal: '职业技术教育', journalLevel, achievement, ...extra });
  const textbook = (key: string, level: string, role: string, extra: object = {}) => ({ key, kind: 'textbook', date: '2026-03-01', title: `教材${key}`, level, role, ...extra });
  for (const { key, ...record } of [
    { key: 'E1', kind: 'enterprise_practice', start: '2026-07-01', end: '2026-07-30', enterprise: '某智能制造企业' }, // 30 days: compliant, 7.50
    paper('P1', 'core', 'A'), // 4.00
    paper('P2', 'provincial', 'A'), // same achievement as P1: left out
    paper('P3', 'core', 'B', { rank: 2 }), // 4 × 0.5 = 2.00
    paper('P4', 'general', 'C'), // 1.00 → 7.00, capped at 6.00
    textbook('B1', 'national_planning', 'chief_editor'), // 5.00
    textbook('B2', 'provincial_planning', 'deputy_editor'), // 3.00
    textbook('B3', 'school', 'chief_editor'), // past the limit of 2
    textbook('B4', 'national_planning', 'editor'), // 参编: not scored
    textbook('B5', 'national_planning', 'chief_editor', { status: 'pending' }),
    paper('P5', 'core', 'D', { status: 'pending' }),
  ] as Array<Record<string, unknown> & { key: string }>) {
    recordId.set(key, uid(key));
    const response = await call('POST', '/v1/records', { token: keys.hr, body: { id: recordId.get(key), teacherId: id, status: 'verified', ...record } });
    expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  }
});

afterAll(async () => {
  // the default has no 论文 or 教材: their records go first (test cleanup), or the version would be refused (kind-in-use)
  await purgeRecordsOfKinds(Object.keys(example.evidenceKinds));
  expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version: uid('default-again') } })).status).toBe(201);
});

describe('the example college through the API, as computed by hand', () => {
  it('scores its own kinds with group-once, a count limit and an item cap, and counts pending records the same way', async () => {
    const response = await call('GET', `/v1/teachers/${id}/appraisals/2025`, { token: keys.hr, headers: { 'accept-language': 'zh' } });
    expect(response.status).toBe(200);
    const appraisal = await jsonOf(response);
    const r = (key: string) => recordId.get(key)!;
    const line = ({ category, rule, recordIds, quantity, share, points, leftOut }: Record<string, unknown>) => ({ category, rule, recordIds, quantity, share, points, ...(leftOut ? { leftOut } : {}) });
    const lines = appraisal.items.map(line);
    expect(lines.filter((item: { rule: string }) => item.rule.startsWith('paper'))).toEqual([
      { category: 'research', rule: 'paper.core', recordIds: [r('P1')], quantity: 1, share: 1, points: 4 },
      { category: 'research', rule: 'paper.provincial', recordIds: [r('P2')], quantity: 1, share: 1, points: 0, leftOut: { reason: 'same_group', keptRecordId: r('P1') } },
      { category: 'research', rule: 'paper.core', recordIds: [r('P3')], quantity: 1, share: 0.5, points: 2 },
      { category: 'research', rule: 'paper.general', recordIds: [r('P4')], quantity: 1, share: 1, points: 1 },
      { category: 'research', rule: 'paper.cap', recordIds: [], quantity: 6, share: 1, points: -1 },
    ]);
    expect(lines.filter((item: { rule: string }) => item.rule.startsWith('textbook'))).toEqual([
      { category: 'teaching', rule: 'textbook.national_planning', recordIds: [r('B1')], quantity: 1, share: 1, points: 5 },
      { category: 'teaching', rule: 'textbook.provincial_planning', recordIds: [r('B2')], quantity: 1, share: 1, points: 3 },
      { category: 'teaching', rule: 'textbook.school', recordIds: [r('B3')], quantity: 1, share: 1, points: 0, leftOut: { reason: 'max_count' } },
    ]);
    expect(appraisal.categories.research).toMatchObject({ raw: 6, capped: 6, cap: 12 });
    expect(appraisal.categories.teaching).toMatchObject({ raw: 8, capped: 8, cap: 35 });
    expect(appraisal.categories.engineering_practice).toMatchObject({ raw: 7.5, capped: 7.5, cap: 20 });
    // 8 + 7.50 + 6 = 21.50, below the 25 of 基本合格; pending: textbooks 5 + 5, papers still 6: 23.50.
    expect(appraisal).toMatchObject({ total: 21.5, grade: 'incompetent', vetoes: [], totalCap: 112 });
    expect(appraisal.pending).toEqual({ recordIds: [r('B5'), r('P5')], totalIfVerified: 23.5 });
    // The policy's names: the renamed category, the added one, the item and the cap line.
    const paperItem = example.appraisal.items.find((item: { id: string }) => item.id === 'paper')!;
    expect(appraisal.items.find((item: { rule: string }) => item.rule === 'paper.cap').ruleLabel).toBe(`${paperItem.label.zh} · 本项上限`);
    expect(appraisal.items.find((item: { category: string }) => item.category === 'teaching').categoryLabel).toBe('教育教学');
    expect(appraisal.items.find((item: { category: string }) => item.category === 'research').categoryLabel).toBe('科研成果');
  });

  it('ranks the unit with the same total and grade for the committee', async () => {
    const body = await jsonOf(await call('GET', `/v1/appraisals?year=2025&unit=${encodeURIComponent(unit)}`, { token: keys.committee }));
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ teacherId: id, total: 21.5, grade: 'incompetent', finalGrade: 'incompetent' });
  });
});

describe('a policy that leaves out a kind stored records are of', () => {
  it('is refused as a new version (kind-in-use), naming each kind and its records in the reader’s language; nothing is stored', async () => {
    const version = uid('default-without-papers');
    const refused = await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version }, headers: { 'accept-language': 'zh' } });
    expect(refused.status).toBe(409);
    const problem = await jsonOf(refused);
    expect(problem.code).toBe('kind-in-use');
    expect(problem.detail).toBe('新政策删去或改动了已有记录所属的类型，这些记录将无法读取：未保存该版本');
    // 5 papers and 5 textbooks of this file's teacher (the teaching accident kind has none)
    expect(problem.errors).toEqual([
      { path: 'evidenceKinds.paper', message: expect.stringContaining('有 5 条「论文」（paper）记录') },
      { path: 'evidenceKinds.textbook', message: expect.stringContaining('有 5 条「教材」（textbook）记录') },
    ]);
    const en = await jsonOf(await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version }, headers: { 'accept-language': 'en' } }));
    expect(en.errors[0].message).toBe('5 record(s) are of kind paper (paper), which this policy does not declare: keep its declaration (to stop scoring them, remove its scoring item)');
    const versions = (await jsonOf(await call('GET', '/v1/policies', { token: keys.committee }))).items.map((item: { version: string }) => item.version);
    expect(versions).not.toContain(version);
    // the example is still active: the appraisal is as computed by hand
    expect((await jsonOf(await call('GET', `/v1/teachers/${id}/appraisals/2025`, { token: keys.hr }))).total).toBe(21.5);
  });

  it('is refused as a what-if candidate with the kinds it leaves out, instead of one error per record', async () => {
    const response = await call('POST', '/v1/policies/compare', { token: keys.committee, body: { year: 2025, unit, candidate: { ...structuredClone(defaultPolicy), version: 'draft' } } });
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.errors.map((error: { path: string }) => error.path)).toEqual(['candidate.evidenceKinds.paper', 'candidate.evidenceKinds.textbook']);
  });

  it('is refused when it redeclares a kind so that stored records no longer fit, naming the first misfit', async () => {
    const narrower = structuredClone(example) as Record<string, any>;
    narrower.version = uid('example-without-provincial');
    delete narrower.evidenceKinds.paper.fields.journalLevel.values.provincial;
    narrower.appraisal.items.find((item: { id: string }) => item.id === 'paper').rule.points = { core: 4, general: 1 };
    const refused = await call('POST', '/v1/policies', { token: keys.admin, body: narrower, headers: { 'accept-language': 'en' } });
    expect(refused.status).toBe(409);
    const problem = await jsonOf(refused);
    expect(problem.code).toBe('kind-in-use');
    // only P2 is a provincial journal
    expect(problem.errors).toEqual([{ path: 'evidenceKinds.paper', message: expect.stringMatching(new RegExp(`^1 record\\(s\\) of kind paper \\(paper\\) do not fit its new declaration \\(e\\.g\\. ${recordId.get('P2')}, journalLevel: `)) }]);
    // a redeclaration every stored record still fits is accepted (a label changed)
    const relabelled = structuredClone(example) as Record<string, any>;
    relabelled.version = uid('example-relabelled');
    relabelled.evidenceKinds.paper.fields.journalLevel.values.core.zh = '北大核心';
    expect((await call('POST', '/v1/policies', { token: keys.admin, body: relabelled })).status).toBe(201);
  });

  it('keeping the kinds and dropping their items is accepted: the records stay readable and score nothing', async () => {
    const withoutItems = structuredClone(defaultPolicy) as Record<string, any>;
    withoutItems.version = uid('default-keeping-kinds');
    withoutItems.evidenceKinds = example.evidenceKinds;
    expect((await call('POST', '/v1/policies', { token: keys.admin, body: withoutItems })).status).toBe(201);
    const listed = await jsonOf(await call('GET', `/v1/records?teacherId=${id}`, { token: keys.hr, headers: { 'accept-language': 'zh' } }));
    const papers = listed.items.filter((item: { record: { kind: string } }) => item.record.kind === 'paper');
    expect(papers).toHaveLength(5);
    // named as the policy declares the kind, in the asked language
    expect(papers[0].kindLabel).toBe('论文');
    const appraisal = await jsonOf(await call('GET', `/v1/teachers/${id}/appraisals/2025`, { token: keys.hr }));
    // the default's items: practice days only (30 × 0.25)
    expect(appraisal.total).toBe(7.5);
    expect(appraisal.items.some((item: { rule: string }) => item.rule.startsWith('paper') || item.rule.startsWith('textbook'))).toBe(false);
  });
});
