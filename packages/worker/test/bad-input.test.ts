import { beforeAll, describe, expect, it } from 'vitest';
import { call, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/** Bad input per route: each answers 400 problem+json naming the bad field path(s), and writes nothing. */
let keys: Keys;
let cycleId: string;
let recordId: string;
beforeAll(async () => {
  keys = await setupKeys();
  cycleId = (await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: 'bad', asOf: '2026-09-01' } }))).id;
  recordId = uid('r');
  await call('POST', '/v1/records', { token: keys.hr, body: { id: recordId, teacherId: keys.teacherId, kind: 'teaching_workload', status: 'pending', year: 2024, hours: 10 } });
});

type Who = 'admin' | 'hr' | 'committee' | 'teacher';
const cases: Array<{ name: string; who: Who; method: string; path: () => string; body?: () => unknown; headers?: Record<string, string>; paths: string[] }> = [
  { name: 'POST /keys bad role', who: 'admin', method: 'POST', path: () => '/v1/keys', body: () => ({ role: 'god' }), paths: ['role'] },
  { name: 'POST /policies not a policy', who: 'admin', method: 'POST', path: () => '/v1/policies', body: () => ({ version: 'x' }), paths: ['policy.name'] },
  { name: 'POST /teachers missing fields', who: 'hr', method: 'POST', path: () => '/v1/teachers', body: () => ({ id: 'x' }), paths: ['name', 'unit', 'hireDate'] },
  { name: 'POST /teachers unknown field', who: 'hr', method: 'POST', path: () => '/v1/teachers', body: () => ({ ...teacher('x'), salary: 1 }), paths: ['(root)'] },
  { name: 'GET /teachers bad stage', who: 'hr', method: 'GET', path: () => '/v1/teachers?stage=chief', paths: ['query.stage'] },
  { name: 'GET /teachers bad limit', who: 'hr', method: 'GET', path: () => '/v1/teachers?limit=0', paths: ['query.limit'] },
  { name: 'PATCH /teachers bad title', who: 'hr', method: 'PATCH', path: () => `/v1/teachers/${keys.teacherId}`, body: () => ({ title: 'dean' }), headers: { 'if-match': '"v1"' }, paths: ['title'] },
  { name: 'POST promotion bad date', who: 'hr', method: 'POST', path: () => `/v1/teachers/${keys.teacherId}/promotion`, body: () => ({ asOf: '2026-13-01' }), paths: ['asOf'] },
  { name: 'GET progress bad asOf', who: 'teacher', method: 'GET', path: () => `/v1/teachers/${keys.teacherId}/progress?asOf=tomorrow`, paths: ['query.asOf'] },
  { name: 'GET dual-qualified bad asOf', who: 'teacher', method: 'GET', path: () => `/v1/teachers/${keys.teacherId}/dual-qualified?asOf=2026-02-30`, paths: ['query.asOf'] },
  { name: 'GET practice missing year', who: 'teacher', method: 'GET', path: () => `/v1/teachers/${keys.teacherId}/practice`, paths: ['query.year'] },
  { name: 'GET appraisal bad year', who: 'teacher', method: 'GET', path: () => `/v1/teachers/${keys.teacherId}/appraisals/twenty`, paths: ['path.year'] },
  { name: 'POST /records bad amount', who: 'hr', method: 'POST', path: () => '/v1/records', body: () => ({ id: 'x', teacherId: keys.teacherId, kind: 'tech_transfer', status: 'verified', date: '2025-01-01', amountYuan: -5, partner: 'p' }), paths: ['amountYuan'] },
  { name: 'GET /records bad status', who: 'hr', method: 'GET', path: () => '/v1/records?status=maybe', paths: ['query.status'] },
  { name: 'POST verify bad body', who: 'hr', method: 'POST', path: () => `/v1/records/${recordId}/verify`, body: () => ({ note: 5 }), paths: ['note'] },
  { name: 'POST /import bad record', who: 'hr', method: 'POST', path: () => '/v1/import', body: () => ({ records: [{ id: 'x', teacherId: keys.teacherId, kind: 'patent', status: 'verified', date: '2025-01-01', patentType: 'idea' }] }), paths: ['records[0].patentType'] },
  { name: 'GET /appraisals bad year', who: 'committee', method: 'GET', path: () => '/v1/appraisals?year=1800', paths: ['query.year'] },
  { name: 'POST /review-cycles missing name', who: 'hr', method: 'POST', path: () => '/v1/review-cycles', body: () => ({ asOf: '2026-09-01' }), paths: ['name'] },
  { name: 'POST candidates empty', who: 'hr', method: 'POST', path: () => `/v1/review-cycles/${cycleId}/candidates`, body: () => ({ candidates: [] }), paths: ['candidates'] },
  { name: 'GET ranking bad format', who: 'committee', method: 'GET', path: () => `/v1/review-cycles/${cycleId}/ranking?format=pdf`, paths: ['query.format'] },
  { name: 'GET /audit bad limit', who: 'admin', method: 'GET', path: () => '/v1/audit?limit=1000', paths: ['query.limit'] },
];

describe('bad input per route', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const token = keys[c.who];
    const response = await call(c.method, c.path(), { token, body: c.body?.(), headers: c.headers ?? {} });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await jsonOf(response);
    const paths = problem.errors.map((e: { path: string }) => e.path);
    for (const path of c.paths) expect(paths).toContain(path);
    expect(JSON.stringify(problem)).not.toMatch(/SELECT|INSERT|\bat\s+\//);
  });
});
