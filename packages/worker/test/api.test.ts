import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '@shizi/core';
import { app } from '../src/app.js';
import { call, jsonOf, setupKeys, uid, type Keys } from './helpers.js';

let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

describe('policies', () => {
  it('lists, gets, and creates immutable versions validated by parsePolicy', async () => {
    const list = await jsonOf(await call('GET', '/v1/policies', { token: keys.committee }));
    expect(list.items.some((p: { version: string }) => p.version === 'default-2026')).toBe(true);
    const got = await jsonOf(await call('GET', '/v1/policies/default-2026', { token: keys.teacher }));
    expect(got.policy.version).toBe('default-2026');
    expect((await call('GET', '/v1/policies/nope', { token: keys.hr })).status).toBe(404);

    const version = uid('policy');
    const body = structuredClone(defaultPolicy) as Record<string, any>;
    body.version = version;
    body.practice.requiredDays = 20;
    const created = await call('POST', '/v1/policies', { token: keys.admin, body });
    expect(created.status).toBe(201);
    const after = await jsonOf(await call('GET', '/v1/policies', { token: keys.admin }));
    expect(after.items[0]).toMatchObject({ version, active: true });
    expect((await jsonOf(await call('GET', `/v1/policies/${version}`, { token: keys.admin }))).policy.practice.requiredDays).toBe(20);
    expect((await call('POST', '/v1/policies', { token: keys.admin, body })).status).toBe(409);

    const bad = structuredClone(defaultPolicy) as Record<string, any>;
    bad.version = uid('bad');
    bad.appraisal.categories[0].cap = -1;
    bad.shareByRank = [];
    const refused = await call('POST', '/v1/policies', { token: keys.admin, body: bad });
    expect(refused.status).toBe(400);
    const paths = (await jsonOf(refused)).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['policy.appraisal.categories[0].cap', 'policy.shareByRank']));

    // restore an equivalent of the default as the active version for the other tests
    expect((await call('POST', '/v1/policies', { token: keys.admin, body: { ...structuredClone(defaultPolicy), version: uid('default-again') } })).status).toBe(201);
  });
});

describe('keys', () => {
  it('creates keys per role (teacher keys bound to a teacher), lists them without secrets, and audits', async () => {
    const created = await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'teacher', teacherId: keys.teacherId, label: '张三的钥匙' } });
    expect(created.status).toBe(201);
    const body = await jsonOf(created);
    expect(body.token).toMatch(/^shizi_/);
    expect((await call('GET', `/v1/teachers/${keys.teacherId}`, { token: body.token })).status).toBe(200);
    const list = await jsonOf(await call('GET', '/v1/keys', { token: keys.admin }));
    const listed = list.items.find((item: { id: string }) => item.id === body.id);
    expect(listed).toMatchObject({ role: 'teacher', teacherId: keys.teacherId, label: '张三的钥匙' });
    expect(JSON.stringify(list)).not.toContain(body.token);
    expect((await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'teacher' } })).status).toBe(400);
    expect((await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'hr', teacherId: keys.teacherId } })).status).toBe(400);
    expect((await call('POST', '/v1/keys', { token: keys.admin, body: { role: 'root' } })).status).toBe(400);
    expect((await call('DELETE', '/v1/keys/nope', { token: keys.admin })).status).toBe(404);
    const audit = await jsonOf(await call('GET', `/v1/audit?entity=api_key&entityId=${body.id}`, { token: keys.admin }));
    expect(audit.items[0]).toMatchObject({ action: 'key.create', role: 'admin' });
  });
});

describe('audit', () => {
  it('pages newest first and is append-only', async () => {
    const first = await jsonOf(await call('GET', '/v1/audit?limit=2', { token: keys.hr }));
    expect(first.items).toHaveLength(2);
    expect(first.items[0].id).toBeGreaterThan(first.items[1].id);
    const second = await jsonOf(await call('GET', `/v1/audit?limit=2&cursor=${first.nextCursor}`, { token: keys.hr }));
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
    expect((await call('GET', '/v1/audit?cursor=abc', { token: keys.hr })).status).toBe(400);
    const { env } = await import('cloudflare:workers');
    await expect(env.DB.prepare('DELETE FROM audit_log').run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("UPDATE audit_log SET action = 'x'").run()).rejects.toThrow(/append-only/);
  });
});

describe('errors', () => {
  it('are RFC 9457 problem+json with a request id, no stack or SQL', async () => {
    const missing = await call('GET', '/v1/teachers');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const problem = await jsonOf(missing);
    expect(problem).toMatchObject({ type: expect.any(String), title: 'Unauthorized', status: 401, detail: expect.any(String), instance: '/v1/teachers' });
    expect(problem.requestId).toBe(missing.headers.get('x-request-id'));
    const unknownRoute = await call('GET', '/v1/nothing-here', { token: keys.hr });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.headers.get('content-type')).toContain('application/problem+json');
    expect((await call('GET', '/v1/teachers', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });
  it('a non-JSON body on a JSON route answers 415 or 400, never 500', async () => {
    const wrongType = await call('POST', '/v1/teachers', { token: keys.hr, raw: 'id=1', contentType: 'application/x-www-form-urlencoded' });
    expect([400, 415]).toContain(wrongType.status);
  });
});

describe('health and OpenAPI', () => {
  it('health needs no key and no database', async () => {
    const response = await app.request('/v1/health', {}, {} as never);
    expect(response.status).toBe(200);
  });

  it('the OpenAPI 3.1 document lists every route the app serves', async () => {
    const doc = await jsonOf(await call('GET', '/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const served = app.routes.filter((route) => route.path.startsWith('/v1/') && route.method !== 'ALL').map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.length).toBeGreaterThanOrEqual(30);
    for (const route of served) expect(documented.has(route), route).toBe(true);
    expect(documented.size).toBe(new Set(served).size);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

import { hc } from 'hono/client';
import type { AppType } from '../src/app.js';
import { env as workerEnv } from 'cloudflare:workers';
describe('typed client', () => {
  it('calls the API through hono/client with the app’s types', async () => {
    const client = hc<AppType>('http://localhost', {
      headers: { authorization: `Bearer ${keys.hr}` },
      fetch: (input: RequestInfo | URL, init?: RequestInit) => app.request(input instanceof Request ? input : String(input), init, workerEnv),
    });
    const health = await client.v1.health.$get();
    expect(await health.json()).toEqual({ ok: true, service: 'shizi' });
    const teachers = await client.v1.teachers.$get({ query: { limit: '5' } as never });
    expect(teachers.status).toBe(200);
  });
});
