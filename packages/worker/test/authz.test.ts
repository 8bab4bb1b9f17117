import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '@shizi/core';
import { app } from '../src/app.js';
import { call, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * The full authorization matrix: every route × (no key, bad key, admin, hr, committee, teacher). Each request
 * is otherwise valid, so an allowed role gets the route's success status and a denied one 401/403/404.
 */
type Role = 'admin' | 'hr' | 'committee' | 'teacher';
interface Fixture {
  keys: Keys;
  /** A unit reviewer of the own teacher's unit (智能制造学院); the other teacher is of another unit. */
  reviewer: string;
  otherTeacher: string;
  ownRecord: string;
  otherRecord: string;
  cycle: string;
  ownFile: string;
}
/** `raw` + `contentType`: a non-JSON body (an evidence file). */
type Req = { method: string; path: string; body?: unknown; headers?: Record<string, string>; raw?: string; contentType?: string };
interface Case {
  name: string;
  /** Build the request (fresh ids per call where the route writes). */
  request: (f: Fixture) => Promise<Req> | Req;
  /** `unit_reviewer` defaults to 403: the role may use only the routes that name it. */
  expect: Record<Role, number> & { unit_reviewer?: number };
}

const record = (teacherId: string) => ({ id: uid('r'), teacherId, kind: 'teaching_workload', status: 'pending', year: 2024, hours: 100 });
const evidencePdf = () => `%PDF-1.4\n% ${uid('authz')}\ntrailer <<>>\n%%EOF\n`;
const hrOnly = (ok: number): Record<Role, number> => ({ admin: 403, hr: ok, committee: 403, teacher: 403 });
const adminOnly = (ok: number): Record<Role, number> => ({ admin: ok, hr: 403, committee: 403, teacher: 403 });

const cases: Case[] = [
  { name: 'GET /v1/keys', request: () => ({ method: 'GET', path: '/v1/keys' }), expect: adminOnly(200) },
  { name: 'POST /v1/keys', request: () => ({ method: 'POST', path: '/v1/keys', body: { role: 'committee', label: 'x' } }), expect: adminOnly(201) },
  {
    name: 'DELETE /v1/keys/{id}',
    request: async (f) => {
      const created = await jsonOf(await call('POST', '/v1/keys', { token: f.keys.admin, body: { role: 'hr' } }));
      return { method: 'DELETE', path: `/v1/keys/${created.id}` };
    },
    expect: adminOnly(200),
  },
  {
    name: 'POST /v1/keys/unit',
    request: async (f) => {
      const unit = uid('authz-unit');
      await call('POST', '/v1/teachers', { token: f.keys.hr, body: teacher(uid('t'), { unit }) });
      return { method: 'POST', path: '/v1/keys/unit', body: { unit, format: 'csv' } };
    },
    expect: { admin: 201, hr: 201, committee: 403, teacher: 403 },
  },
  { name: 'GET /v1/digests', request: () => ({ method: 'GET', path: '/v1/digests' }), expect: { admin: 403, hr: 200, committee: 403, teacher: 403, unit_reviewer: 200 } },
  { name: 'GET /v1/digests?unit=<other unit>', request: () => ({ method: 'GET', path: `/v1/digests?unit=${encodeURIComponent('其他学院')}` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 403, unit_reviewer: 404 } },
  { name: 'GET /v1/me', request: () => ({ method: 'GET', path: '/v1/me' }), expect: { admin: 200, hr: 200, committee: 200, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET /v1/policies', request: () => ({ method: 'GET', path: '/v1/policies' }), expect: { admin: 200, hr: 200, committee: 200, teacher: 200 } },
  { name: 'GET /v1/policies/{version}', request: () => ({ method: 'GET', path: '/v1/policies/default-2026' }), expect: { admin: 200, hr: 200, committee: 200, teacher: 200 } },
  { name: 'GET /v1/kinds', request: () => ({ method: 'GET', path: '/v1/kinds' }), expect: { admin: 200, hr: 200, committee: 200, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET /v1/calendar', request: () => ({ method: 'GET', path: '/v1/calendar?asOf=2026-08-20' }), expect: { admin: 200, hr: 200, committee: 200, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET /v1/policies/{version}/table', request: () => ({ method: 'GET', path: '/v1/policies/default-2026/table' }), expect: { admin: 200, hr: 200, committee: 200, teacher: 200 } },
  {
    name: 'POST /v1/policies/compare',
    request: () => ({ method: 'POST', path: '/v1/policies/compare', body: { year: 2024, candidate: { ...structuredClone(defaultPolicy), version: 'draft' } } }),
    expect: { admin: 200, hr: 200, committee: 200, teacher: 403 },
  },
  {
    name: 'POST /v1/policies',
    request: () => ({ method: 'POST', path: '/v1/policies', body: { ...structuredClone(defaultPolicy), version: uid('authz-policy') } }),
    expect: adminOnly(201),
  },
  { name: 'POST /v1/teachers', request: () => ({ method: 'POST', path: '/v1/teachers', body: teacher(uid('t')) }), expect: hrOnly(201) },
  { name: 'GET /v1/teachers', request: () => ({ method: 'GET', path: '/v1/teachers' }), expect: hrOnly(200) },
  // A teacher's row and every teacher view (progress, practice, appraisal, dual-qualified, growth file) are HR's, the teacher's own and its unit's reviewers' (README roles):
  // a unit reviewer reads its own unit's teacher and gets 404 for another unit's, as a teacher does for another teacher. All load through auth.ts loadVisible.
  { name: 'GET /v1/teachers/{own}', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.keys.teacherId}` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET /v1/teachers/{other}', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.otherTeacher}` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 404, unit_reviewer: 404 } },
  {
    name: 'PATCH /v1/teachers/{id}',
    request: async (f) => {
      const id = uid('t');
      await call('POST', '/v1/teachers', { token: f.keys.hr, body: teacher(id) });
      return { method: 'PATCH', path: `/v1/teachers/${id}`, body: { name: '改名' }, headers: { 'if-match': '"v1"' } };
    },
    expect: hrOnly(200),
  },
  {
    name: 'POST /v1/teachers/{id}/promotion',
    request: async (f) => {
      const id = uid('t');
      await call('POST', '/v1/teachers', { token: f.keys.hr, body: teacher(id) });
      return { method: 'POST', path: `/v1/teachers/${id}/promotion`, body: { asOf: '2026-09-01', override: { reason: '人事处会议决定，特批晋升' } } };
    },
    expect: hrOnly(200),
  },
  {
    name: 'POST /v1/teachers/{id}/stage',
    request: async (f) => {
      const id = uid('t');
      await call('POST', '/v1/teachers', { token: f.keys.hr, body: teacher(id) });
      return { method: 'POST', path: `/v1/teachers/${id}/stage`, body: { stage: 'backbone_teacher', stageSince: '2020-09-01', reason: '入职时阶段录入错误，人事处更正' }, headers: { 'if-match': '"v1"' } };
    },
    expect: hrOnly(200),
  },
  {
    name: 'POST /v1/teachers/{id}/departure',
    request: async (f) => {
      const id = uid('t');
      await call('POST', '/v1/teachers', { token: f.keys.hr, body: teacher(id) });
      return { method: 'POST', path: `/v1/teachers/${id}/departure`, body: { departedOn: '2025-07-31', reason: '调离本校' }, headers: { 'if-match': '"v1"' } };
    },
    expect: { ...hrOnly(200), unit_reviewer: 403 },
  },
  { name: 'GET progress (own)', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.keys.teacherId}/progress?asOf=2026-09-01` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET progress (other)', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.otherTeacher}/progress?asOf=2026-09-01` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 404, unit_reviewer: 404 } },
  // the key's own teacher is of the reviewer's unit (智能制造学院); the other teacher is not
  { name: 'GET dual-qualified (own)', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.keys.teacherId}/dual-qualified?asOf=2026-09-01` }), expect: { admin: 200, hr: 200, committee: 200, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET dual-qualified (other)', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.otherTeacher}/dual-qualified?asOf=2026-09-01` }), expect: { admin: 200, hr: 200, committee: 200, teacher: 404, unit_reviewer: 404 } },
  { name: 'GET practice (own)', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.keys.teacherId}/practice?year=2025` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET practice (other)', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.otherTeacher}/practice?year=2025` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 404, unit_reviewer: 404 } },
  { name: 'GET growth file (own)', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.keys.teacherId}/growth-file?asOf=2026-09-01` }), expect: { admin: 200, hr: 200, committee: 200, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET growth file (other unit)', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.otherTeacher}/growth-file?asOf=2026-09-01` }), expect: { admin: 200, hr: 200, committee: 200, teacher: 404, unit_reviewer: 404 } },
  { name: 'GET appraisal (own)', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.keys.teacherId}/appraisals/2025` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET appraisal (other)', request: (f) => ({ method: 'GET', path: `/v1/teachers/${f.otherTeacher}/appraisals/2025` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 404, unit_reviewer: 404 } },
  // A teacher may not post another teacher's record (400 naming teacherId); its own declaration is below.
  { name: 'POST /v1/records', request: (f) => ({ method: 'POST', path: '/v1/records', body: record(f.otherTeacher) }), expect: { ...hrOnly(201), teacher: 400 } },
  {
    name: 'POST /v1/records (a teacher declares its own)',
    request: () => ({ method: 'POST', path: '/v1/records', body: { kind: 'teaching_workload', year: 2024, hours: 80 } }),
    expect: { admin: 403, hr: 400, committee: 403, teacher: 201 },
  },
  { name: 'GET /v1/records', request: () => ({ method: 'GET', path: '/v1/records' }), expect: { admin: 403, hr: 200, committee: 403, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET /v1/records?teacherId=other', request: (f) => ({ method: 'GET', path: `/v1/records?teacherId=${f.otherTeacher}` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 404, unit_reviewer: 200 } },
  { name: 'GET /v1/records/{own}', request: (f) => ({ method: 'GET', path: `/v1/records/${f.ownRecord}` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET /v1/records/{other}', request: (f) => ({ method: 'GET', path: `/v1/records/${f.otherRecord}` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 404, unit_reviewer: 404 } },
  {
    name: 'PUT /v1/records/{own}',
    request: async (f) => ({ method: 'PUT', path: `/v1/records/${await freshRecord(f, f.keys.teacherId)}`, body: { kind: 'teaching_workload', year: 2024, hours: 90 } }),
    expect: { admin: 403, hr: 403, committee: 403, teacher: 200 },
  },
  {
    name: 'POST /v1/records/{own}/transitions',
    request: async (f) => ({ method: 'POST', path: `/v1/records/${await freshRecord(f, f.keys.teacherId)}/transitions`, body: { action: 'reject', reason: '证明材料不全' } }),
    expect: { admin: 403, hr: 200, committee: 403, teacher: 403, unit_reviewer: 200 },
  },
  {
    name: 'POST /v1/records/{other}/transitions',
    request: async (f) => ({ method: 'POST', path: `/v1/records/${await freshRecord(f, f.otherTeacher)}/transitions`, body: { action: 'withdraw' } }),
    expect: { admin: 403, hr: 403, committee: 403, teacher: 404, unit_reviewer: 404 },
  },
  {
    name: 'POST /v1/records/transitions',
    request: async (f) => ({ method: 'POST', path: '/v1/records/transitions', body: { ids: [await freshRecord(f, f.keys.teacherId)], action: 'return', reason: '请补充证明' } }),
    expect: { ...hrOnly(200), unit_reviewer: 200 },
  },
  { name: 'GET /v1/records/{own}/history', request: (f) => ({ method: 'GET', path: `/v1/records/${f.ownRecord}/history` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 200, unit_reviewer: 200 } },
  { name: 'GET /v1/records/{other}/history', request: (f) => ({ method: 'GET', path: `/v1/records/${f.otherRecord}/history` }), expect: { admin: 403, hr: 200, committee: 403, teacher: 404, unit_reviewer: 404 } },
  { name: 'GET /v1/review-queue', request: () => ({ method: 'GET', path: '/v1/review-queue' }), expect: { ...hrOnly(200), unit_reviewer: 200 } },
  { name: 'POST /v1/keys (unit_reviewer)', request: () => ({ method: 'POST', path: '/v1/keys', body: { role: 'unit_reviewer', units: ['智能制造学院'] } }), expect: adminOnly(201) },
  { name: 'POST /v1/records/{id}/verify', request: (f) => ({ method: 'POST', path: `/v1/records/${f.otherRecord}/verify` }), expect: hrOnly(200) },
  { name: 'POST /v1/records/{id}/reject', request: (f) => ({ method: 'POST', path: `/v1/records/${f.otherRecord}/reject` }), expect: hrOnly(200) },
  {
    name: 'DELETE /v1/records/{id}',
    request: async (f) => {
      const r = record(f.otherTeacher);
      await call('POST', '/v1/records', { token: f.keys.hr, body: r });
      return { method: 'DELETE', path: `/v1/records/${r.id}` };
    },
    expect: hrOnly(200),
  },
  {
    name: 'PATCH /v1/records/{id}',
    request: async (f) => {
      const r = record(f.otherTeacher);
      await call('POST', '/v1/records', { token: f.keys.hr, body: r });
      return { method: 'PATCH', path: `/v1/records/${r.id}`, body: { hours: 120 }, headers: { 'if-match': '"v1"' } };
    },
    expect: { ...hrOnly(200), unit_reviewer: 403 },
  },
  {
    name: 'PATCH /v1/records/{own}',
    request: async (f) => ({ method: 'PATCH', path: `/v1/records/${await freshRecord(f, f.keys.teacherId)}`, body: { hours: 120 }, headers: { 'if-match': '"v1"' } }),
    expect: { ...hrOnly(200), unit_reviewer: 403 },
  },
  {
    name: 'POST /v1/records/{id}/restore',
    request: async (f) => {
      const r = record(f.otherTeacher);
      await call('POST', '/v1/records', { token: f.keys.hr, body: r });
      await call('DELETE', `/v1/records/${r.id}`, { token: f.keys.hr });
      return { method: 'POST', path: `/v1/records/${r.id}/restore`, body: { reason: '误删了这条记录，恢复原状' } };
    },
    expect: hrOnly(200),
  },
  { name: 'POST /v1/import', request: (f) => ({ method: 'POST', path: '/v1/import', body: { records: [record(f.otherTeacher)] } }), expect: hrOnly(201) },
  { name: 'GET /v1/import/template.xlsx', request: () => ({ method: 'GET', path: '/v1/import/template.xlsx' }), expect: hrOnly(200) },
  // the harness sends JSON, which the report refuses (415) once the role is allowed: only HR gets that far
  { name: 'POST /v1/import/report.xlsx', request: () => ({ method: 'POST', path: '/v1/import/report.xlsx', body: {} }), expect: hrOnly(415) },
  { name: 'GET /v1/appraisals', request: () => ({ method: 'GET', path: '/v1/appraisals?year=2025&unit=none' }), expect: { admin: 403, hr: 200, committee: 200, teacher: 403 } },
  { name: 'GET /v1/reports', request: () => ({ method: 'GET', path: '/v1/reports?year=2025&unit=none&years=1' }), expect: { admin: 403, hr: 200, committee: 200, teacher: 403, unit_reviewer: 404 } },
  { name: 'GET /v1/reports (own unit by default)', request: () => ({ method: 'GET', path: '/v1/reports?year=2025&years=1' }), expect: { admin: 403, hr: 200, committee: 200, teacher: 403, unit_reviewer: 200 } },
  { name: 'POST /v1/review-cycles', request: () => ({ method: 'POST', path: '/v1/review-cycles', body: { name: 'c', asOf: '2026-09-01' } }), expect: hrOnly(201) },
  { name: 'GET /v1/review-cycles', request: () => ({ method: 'GET', path: '/v1/review-cycles' }), expect: { admin: 403, hr: 200, committee: 200, teacher: 403 } },
  { name: 'GET /v1/review-cycles/{id}', request: (f) => ({ method: 'GET', path: `/v1/review-cycles/${f.cycle}` }), expect: { admin: 403, hr: 200, committee: 200, teacher: 403 } },
  {
    name: 'POST /v1/review-cycles/{id}/candidates',
    request: (f) => ({ method: 'POST', path: `/v1/review-cycles/${f.cycle}/candidates`, body: { candidates: [{ teacherId: f.otherTeacher, targetTitle: 'lecturer' }] } }),
    expect: hrOnly(200),
  },
  { name: 'GET /v1/review-cycles/{id}/ranking', request: (f) => ({ method: 'GET', path: `/v1/review-cycles/${f.cycle}/ranking` }), expect: { admin: 403, hr: 200, committee: 200, teacher: 403 } },
  {
    name: 'POST /v1/review-cycles/{id}/freeze',
    request: async (f) => {
      const cycle = await jsonOf(await call('POST', '/v1/review-cycles', { token: f.keys.hr, body: { name: 'f', asOf: '2026-09-01' } }));
      return { method: 'POST', path: `/v1/review-cycles/${cycle.id}/freeze` };
    },
    expect: hrOnly(200),
  },
  {
    name: 'POST /v1/records/{own}/files',
    request: (f) => ({ method: 'POST', path: `/v1/records/${f.ownRecord}/files?name=${encodeURIComponent('证明.pdf')}`, raw: evidencePdf(), contentType: 'application/pdf' }),
    expect: { admin: 403, hr: 201, committee: 403, teacher: 201 },
  },
  { name: 'POST /v1/records/{other}/files', request: (f) => ({ method: 'POST', path: `/v1/records/${f.otherRecord}/files?name=a.pdf`, raw: evidencePdf(), contentType: 'application/pdf' }), expect: { admin: 403, hr: 201, committee: 403, teacher: 404 } },
  // the committee sees files only of review-cycle candidates: the key's own teacher is none
  { name: 'GET /v1/records/{own}/files', request: (f) => ({ method: 'GET', path: `/v1/records/${f.ownRecord}/files` }), expect: { admin: 200, hr: 200, committee: 404, teacher: 200, unit_reviewer: 200 } },
  // the other teacher became a candidate in the candidates case above, so the committee sees its files
  { name: 'GET /v1/records/{other}/files (another unit)', request: (f) => ({ method: 'GET', path: `/v1/records/${f.otherRecord}/files` }), expect: { admin: 200, hr: 200, committee: 200, teacher: 404, unit_reviewer: 404 } },
  { name: 'GET /v1/records/{own}/files/{fileId}', request: (f) => ({ method: 'GET', path: `/v1/records/${f.ownRecord}/files/${f.ownFile}` }), expect: { admin: 200, hr: 200, committee: 404, teacher: 200, unit_reviewer: 200 } },
  {
    name: 'DELETE /v1/records/{own}/files/{fileId}',
    request: async (f) => {
      const created = await jsonOf(await call('POST', `/v1/records/${f.ownRecord}/files?name=d.pdf`, { token: f.keys.hr, raw: evidencePdf(), contentType: 'application/pdf' }));
      return { method: 'DELETE', path: `/v1/records/${f.ownRecord}/files/${created.id}` };
    },
    expect: { admin: 403, hr: 200, committee: 403, teacher: 200 },
  },
  { name: 'GET /v1/audit', request: () => ({ method: 'GET', path: '/v1/audit' }), expect: { admin: 200, hr: 200, committee: 403, teacher: 403 } },
];

/** A new pending record of `teacherId`, for a request that changes it. */
async function freshRecord(f: Fixture, teacherId: string): Promise<string> {
  const fresh = record(teacherId);
  expect((await call('POST', '/v1/records', { token: f.keys.hr, body: fresh })).status).toBe(201);
  return fresh.id;
}

let fixture: Fixture;
beforeAll(async () => {
  const keys = await setupKeys();
  const otherTeacher = uid('t');
  await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(otherTeacher, { unit: '另一学院（权限测试）' }) });
  const reviewer = await jsonOf(await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'unit_reviewer', units: ['智能制造学院'] } }));
  const own = record(keys.teacherId);
  const other = record(otherTeacher);
  await call('POST', '/v1/records', { token: keys.hr, body: own });
  await call('POST', '/v1/records', { token: keys.hr, body: other });
  const cycle = await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: 'authz', asOf: '2026-09-01' } }));
  const file = await jsonOf(await call('POST', `/v1/records/${own.id}/files?name=own.pdf`, { token: keys.teacher, raw: evidencePdf(), contentType: 'application/pdf' }));
  fixture = { keys, reviewer: reviewer.token, otherTeacher, ownRecord: own.id, otherRecord: other.id, cycle: cycle.id, ownFile: file.id };
});

describe('authorization matrix', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const statuses: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const who of ['none', 'bad', 'admin', 'hr', 'committee', 'teacher', 'unit_reviewer'] as const) {
      const request = await testCase.request(fixture);
      const token = who === 'none' ? undefined : who === 'bad' ? 'shizi_not-a-real-key' : who === 'teacher' ? fixture.keys.teacher : who === 'unit_reviewer' ? fixture.reviewer : fixture.keys[who];
      const response = await call(request.method, request.path, { token, body: request.body, headers: request.headers ?? {}, ...(request.raw !== undefined ? { raw: request.raw, contentType: request.contentType ?? 'text/plain' } : {}) });
      statuses[who] = response.status;
      expected[who] = who === 'none' || who === 'bad' ? 401 : who === 'unit_reviewer' ? (testCase.expect.unit_reviewer ?? 403) : testCase.expect[who];
      if (response.status >= 400) expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(statuses).toEqual(expected);
  });

  it('covers every authenticated /v1 route the app serves', async () => {
    const served = app.routes.filter((route) => route.path.startsWith('/v1/') && route.method !== 'ALL' && route.path !== '/v1/health');
    const covered = new Set<string>();
    for (const testCase of cases) {
      const request = await testCase.request(fixture);
      const path = request.path.split('?')[0]!;
      for (const route of served) {
        const pattern = new RegExp(`^${route.path.replace(/:[^/]+/g, '[^/]+')}$`);
        if (route.method === request.method && pattern.test(path)) covered.add(`${route.method} ${route.path}`);
      }
    }
    const missing = served.map((route) => `${route.method} ${route.path}`).filter((key) => !covered.has(key));
    expect(missing).toEqual([]);
  });

  it('a revoked key answers 401', async () => {
    const created = await jsonOf(await call('POST', '/v1/keys', { token: fixture.keys.admin, body: { role: 'hr', label: 'temp' } }));
    expect((await call('GET', '/v1/teachers', { token: created.token })).status).toBe(200);
    expect((await call('DELETE', `/v1/keys/${created.id}`, { token: fixture.keys.admin })).status).toBe(200);
    expect((await call('GET', '/v1/teachers', { token: created.token })).status).toBe(401);
  });
});
