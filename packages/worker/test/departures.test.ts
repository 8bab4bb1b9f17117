import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/csv.js';
import { call, createKey, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * A teacher who leaves the college (POST /v1/teachers/{id}/departure): out of listings from the day after, out
 * of the ranking and the unit's quota headcount of every academic year that starts after the departure date,
 * history kept. Academic years start on 1 September (the default policy), so year 2024 is 2024-09-01 … 2025-08-31.
 */
let keys: Keys;
const unit = uid('离职学院');
const ids = Array.from({ length: 10 }, (_, index) => uid(`d${index}`));

/** 65 points in `year`: teaching 35 (capped: 15 workload + 10 evaluation … 25), 15 + 15 + 10 elsewhere; practice exempted. */
function excellentRecords(teacherId: string, year: number) {
  const day = `${year + 1}-03-10`;
  return [
    { id: uid('w'), teacherId, kind: 'teaching_workload', status: 'verified', year, hours: 280 },
    { id: uid('e'), teacherId, kind: 'teaching_evaluation', status: 'verified', date: day, score: 100 },
    { id: uid('h'), teacherId, kind: 'horizontal_project', status: 'verified', date: day, amountYuan: 150_000, partner: '海尔智家' },
    { id: uid('t'), teacherId, kind: 'tech_transfer', status: 'verified', date: day, amountYuan: 75_000, partner: '比亚迪' },
    { id: uid('s'), teacherId, kind: 'enterprise_training', status: 'verified', date: day, trainees: 40, hours: 10 },
    { id: uid('x'), teacherId, kind: 'practice_exemption', status: 'verified', year, reason: '援外任教' },
  ];
}

async function depart(id: string, departedOn: string | null, reason = '调离本校') {
  const etag = (await call('GET', `/v1/teachers/${id}`, { token: keys.hr })).headers.get('etag')!;
  const response = await call('POST', `/v1/teachers/${id}/departure`, { token: keys.hr, body: { departedOn, reason }, headers: { 'if-match': etag } });
  expect(response.status, await response.clone().text()).toBe(200);
  return jsonOf(response);
}

const listing = async (year: number) => jsonOf(await call('GET', `/v1/appraisals?year=${year}&unit=${encodeURIComponent(unit)}`, { token: keys.committee }));
const excellentQuotas = (body: { items: { teacherId: string; grade: string; quota?: { unitSize: number; limit: number; kept: boolean } }[] }) => body.items.filter((item) => item.grade === 'excellent').map((item) => item.quota);

beforeAll(async () => {
  keys = await setupKeys();
  const records = [0, 1, 2].flatMap((index) => [...excellentRecords(ids[index]!, 2024), ...excellentRecords(ids[index]!, 2025)]);
  const imported = await call('POST', '/v1/import', { token: keys.hr, body: { teachers: ids.map((id) => teacher(id, { unit, hireDate: '2020-09-01' })), records } });
  expect(imported.status, await imported.clone().text()).toBe(201);
});

describe('departures', () => {
  it('the quota headcount of a year counts only teachers still employed when it started (hand-computed)', async () => {
    // before any departure: 10 teachers, 3 excellent; limit floor(10 × 0.2) = 2
    const before = await listing(2024);
    expect(before.items).toHaveLength(10);
    expect(excellentQuotas(before)).toEqual(
      [
        { unit, unitSize: 10, limit: 2, position: 1, kept: true },
        { unit, unitSize: 10, limit: 2, position: 2, kept: true },
        { unit, unitSize: 10, limit: 2, position: 3, kept: false },
      ].map((quota) => expect.objectContaining(quota)),
    );

    await depart(ids[9]!, '2024-08-31'); // the last day of year 2023: not in 2024
    await depart(ids[8]!, '2024-06-30');
    await depart(ids[7]!, '2025-03-31'); // during 2024: in 2024, not in 2025
    await depart(ids[6]!, '2099-01-31'); // not yet gone

    // 2024: 8 teachers (ids 0–7); limit floor(8 × 0.2) = 1
    const y2024 = await listing(2024);
    expect(y2024.items.map((item: { teacherId: string }) => item.teacherId).sort()).toEqual(ids.slice(0, 8).sort());
    expect(excellentQuotas(y2024).map((quota) => [quota!.unitSize, quota!.limit, quota!.kept])).toEqual([
      [8, 1, true],
      [8, 1, false],
      [8, 1, false],
    ]);
    expect(y2024.items.filter((item: { finalGrade: string }) => item.finalGrade === 'excellent')).toHaveLength(1);
    // 2025: 7 teachers (ids 0–6); limit floor(7 × 0.2) = 1
    const y2025 = await listing(2025);
    expect(y2025.items.map((item: { teacherId: string }) => item.teacherId).sort()).toEqual(ids.slice(0, 7).sort());
    expect(excellentQuotas(y2025).map((quota) => [quota!.unitSize, quota!.limit])).toEqual([
      [7, 1],
      [7, 1],
      [7, 1],
    ]);
    // 2023 (before every departure): all 10 still there
    expect((await listing(2023)).items).toHaveLength(10);
    // the CSV export ranks the same teachers
    const csv = await (await call('GET', `/v1/appraisals?year=2025&unit=${encodeURIComponent(unit)}&format=csv`, { token: keys.committee })).text();
    expect(csv).not.toContain(ids[7]!);
    expect(csv).toContain(ids[6]!);
  });

  it('listings drop a teacher the day after departure (HR may include them); the history stays readable', async () => {
    const listed = async (query = '') => (await jsonOf(await call('GET', `/v1/teachers?unit=${encodeURIComponent(unit)}&limit=200${query}`, { token: keys.hr }))).items.map((item: { id: string }) => item.id).sort();
    expect(await listed()).toEqual(ids.slice(0, 7).sort()); // 6 leaves in 2099: still listed
    const all = await jsonOf(await call('GET', `/v1/teachers?unit=${encodeURIComponent(unit)}&limit=200&includeDeparted=true`, { token: keys.hr }));
    expect(all.items.map((item: { id: string }) => item.id).sort()).toEqual([...ids].sort());
    expect(all.items.find((item: { id: string }) => item.id === ids[8])).toMatchObject({ departedOn: '2024-06-30' });
    expect(all.items.find((item: { id: string }) => item.id === ids[0])).toMatchObject({ departedOn: null });

    // history: the teacher, their records and the appraisals of the years they worked
    expect((await jsonOf(await call('GET', `/v1/teachers/${ids[7]}`, { token: keys.hr }))).departedOn).toBe('2025-03-31');
    const worked = await call('GET', `/v1/teachers/${ids[7]}/appraisals/2024`, { token: keys.hr });
    expect(worked.status).toBe(200);
    const after = await call('GET', `/v1/teachers/${ids[7]}/appraisals/2025`, { token: keys.hr });
    expect(after.status).toBe(422);
    expect(await jsonOf(after)).toMatchObject({ code: 'teacher-departed', departedOn: '2025-03-31', year: 2025 });
    expect((await jsonOf(await call('GET', `/v1/records?teacherId=${ids[0]}`, { token: keys.hr }))).items.length).toBeGreaterThan(0);
  });

  it('a review cycle does not rank a candidate who left before its date', async () => {
    const cycle = await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: uid('离职评审'), asOf: '2026-09-01' } }));
    const added = await call('POST', `/v1/review-cycles/${cycle.id}/candidates`, {
      token: keys.hr,
      body: {
        candidates: [
          { teacherId: ids[0], targetTitle: 'lecturer' },
          { teacherId: ids[8], targetTitle: 'lecturer' },
        ],
      },
    });
    expect(added.status).toBe(200);
    const ranking = await jsonOf(await call('GET', `/v1/review-cycles/${cycle.id}/ranking`, { token: keys.committee }));
    const ranked = (ranking.items ?? ranking.entries ?? ranking.ranking) as { teacherId: string }[];
    expect(ranked.map((entry) => entry.teacherId)).toEqual([ids[0]]);
  });

  it('POST /v1/teachers/{id}/departure: HR only, If-Match, a real date not before the hire date, a reason; audited; null withdraws it', async () => {
    const id = uid('dq');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit, hireDate: '2020-09-01' }) })).status).toBe(201);
    const send = (body: unknown, headers: Record<string, string> = { 'if-match': '"v1"' }, token = keys.hr) => call('POST', `/v1/teachers/${id}/departure`, { token, body, headers });
    expect((await send({ departedOn: '2025-01-31', reason: '辞职' }, {})).status).toBe(428);
    expect((await send({ departedOn: '2025-01-31', reason: '辞职' }, { 'if-match': '"v9"' })).status).toBe(412);
    expect((await send({ departedOn: '2025-01-31', reason: '辞职' }, { 'if-match': '"v1"' }, keys.teacher)).status).toBe(403);
    const paths = async (body: unknown) => (await jsonOf(await send(body))).errors.map((error: { path: string }) => error.path);
    expect(await paths({ departedOn: '2025-02-30', reason: '辞职' })).toEqual(['departedOn']);
    expect(await paths({ departedOn: '2019-01-31', reason: '辞职' })).toEqual(['departedOn']);
    expect(await paths({ departedOn: '2025-01-31' })).toEqual(['reason']);
    expect(await paths({ departedOn: '2025-01-31', reason: '辞职', stage: 'cluster_lead' })).toEqual(['(root)']);

    const gone = await send({ departedOn: '2025-01-31', reason: '辞职' });
    expect(gone.status).toBe(200);
    expect(gone.headers.get('etag')).toBe('"v2"');
    expect(await jsonOf(gone)).toMatchObject({ id, departedOn: '2025-01-31', version: 2 });
    // an import of the teacher corrects other fields and keeps the departure
    expect((await call('POST', '/v1/import', { token: keys.hr, body: { teachers: [teacher(id, { unit, hireDate: '2020-09-01', name: '改名' })] } })).status).toBe(201);
    expect(await jsonOf(await call('GET', `/v1/teachers/${id}`, { token: keys.hr }))).toMatchObject({ name: '改名', departedOn: '2025-01-31', version: 3 });
    const back = await send({ departedOn: null, reason: '离职登记有误，撤销' }, { 'if-match': '"v3"' });
    expect(back.status).toBe(200);
    expect((await jsonOf(back)).departedOn).toBeNull();
    const audit = await jsonOf(await call('GET', `/v1/audit?entity=teacher&entityId=${id}`, { token: keys.hr }));
    const departures = audit.items.filter((entry: { action: string }) => entry.action === 'teacher.departure').map((entry: { detail: unknown }) => entry.detail);
    expect(departures).toEqual([
      { before: '2025-01-31', after: null, reason: '离职登记有误，撤销' },
      { before: null, after: '2025-01-31', reason: '辞职' },
    ]);
  });

  it("a departed teacher's API key works up to and including the last day of employment, and no longer from the day after", async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const id = uid('dk');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit: uid('离职密钥'), hireDate: '2020-09-01' }) })).status).toBe(201);
    const token = await createKey('teacher', id);
    const me = () => call('GET', `/v1/teachers/${id}`, { token });
    expect((await me()).status).toBe(200);
    await depart(id, day(0)); // today is the last day: still employed
    expect((await me()).status).toBe(200);
    await depart(id, day(-1)); // left yesterday: refused at once, like a revoked key
    const refused = await me();
    expect(refused.status).toBe(401);
    expect((await jsonOf(refused)).detail).toContain('left the college');
    expect((await call('GET', '/v1/me', { token })).status).toBe(401);
    // HR still reads the teacher's history; withdrawing the departure makes the key work again
    expect((await call('GET', `/v1/teachers/${id}`, { token: keys.hr })).status).toBe(200);
    await depart(id, null, '离职登记有误，撤销');
    expect((await me()).status).toBe(200);
    // no new single key for a departed teacher (400 naming teacherId, as any invalid key request)
    await depart(id, day(-1));
    const single = await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'teacher', teacherId: id, label: '离职后' } });
    expect(single.status).toBe(400);
    expect((await jsonOf(single)).errors).toEqual([expect.objectContaining({ path: 'teacherId', message: expect.stringContaining(day(-1)) })]);
  });

  it('POST /v1/keys/unit issues no key to a departed teacher, rotating or not (X-Keys-Departed)', async () => {
    const unitOf = uid('离职批量');
    const [stay, gone, leaving] = [uid('u0'), uid('u1'), uid('u2')].sort();
    for (const id of [stay!, gone!, leaving!]) expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id, { unit: unitOf, hireDate: '2020-09-01' }) })).status).toBe(201);
    await depart(gone!, '2024-06-30');
    await depart(leaving!, '2099-01-31'); // not yet gone: gets a key
    const issued = await call('POST', '/v1/keys/unit', { token: keys.hr, body: { unit: unitOf, format: 'csv' } });
    expect(issued.status).toBe(201);
    expect(issued.headers.get('x-keys-issued')).toBe('2');
    expect(issued.headers.get('x-keys-departed')).toBe('1');
    const [, ...rows] = parseCsv(await issued.text());
    expect(rows.map((row) => row[0])).toEqual([stay, leaving]);
    const rotated = await call('POST', '/v1/keys/unit', { token: keys.hr, body: { unit: unitOf, format: 'csv', rotate: true } });
    expect(rotated.headers.get('x-keys-issued')).toBe('2');
    expect(
      parseCsv(await rotated.text())
        .slice(1)
        .map((row) => row[0]),
    ).toEqual([stay, leaving]);
  });
});
