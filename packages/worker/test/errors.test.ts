import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/app.js';
import { StorageError } from '../src/db/storage.js';
import { errorTable, type ErrorCode } from '../src/errors.js';
import { call, env, jsonOf, setupKeys, teacher, uid, type Keys } from './helpers.js';

let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

async function expectProblem(response: Response, code: ErrorCode) {
  expect(response.status).toBe(errorTable[code].status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = await jsonOf(response);
  expect(body).toMatchObject({ type: `urn:shizi:problem:${code}`, code, title: errorTable[code].title, status: errorTable[code].status });
  return body;
}

describe('one error table', () => {
  it('tells the 409 cases apart by code', async () => {
    const id = uid('e');
    expect((await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id) })).status).toBe(201);
    await expectProblem(await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(id) }), 'already-exists');
    await expectProblem(await call('POST', `/v1/teachers/${id}/promotion`, { token: keys.hr, body: { asOf: '2026-09-01' } }), 'not-eligible');

    const top = uid('e');
    await call('POST', '/v1/teachers', { token: keys.hr, body: teacher(top, { stage: 'cluster_lead' }) });
    await expectProblem(await call('POST', `/v1/teachers/${top}/promotion`, { token: keys.hr, body: { asOf: '2026-09-01' } }), 'top-of-growth-path');

    const cycle = await jsonOf(await call('POST', '/v1/review-cycles', { token: keys.hr, body: { name: 'errors', asOf: '2026-09-01' } }));
    expect((await call('POST', `/v1/review-cycles/${cycle.id}/freeze`, { token: keys.hr })).status).toBe(200);
    await expectProblem(await call('POST', `/v1/review-cycles/${cycle.id}/freeze`, { token: keys.hr }), 'cycle-frozen');
    await expectProblem(await call('POST', `/v1/review-cycles/${cycle.id}/candidates`, { token: keys.hr, body: { candidates: [{ teacherId: id, targetTitle: 'lecturer' }] } }), 'cycle-frozen');
  });

  it('answers a missing policy as a server fault (500), not a conflict', async () => {
    const id = uid('cyc');
    await env.DB.prepare("INSERT INTO review_cycles (id, name, as_of, policy_version, status, created_at) VALUES (?, 'lost policy', '2026-09-01', ?, 'open', ?)").bind(id, uid('never-stored'), new Date().toISOString()).run();
    const body = await expectProblem(await call('GET', `/v1/review-cycles/${id}/ranking`, { token: keys.hr }), 'policy-missing');
    expect(body.detail).toContain('not stored');
  });

  it('keeps the standard codes: 401 with WWW-Authenticate, 403, 404, 400 naming the field', async () => {
    const missing = await call('GET', '/v1/teachers');
    await expectProblem(missing, 'unauthorized');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    await expectProblem(await call('GET', '/v1/keys', { token: keys.hr }), 'forbidden');
    await expectProblem(await call('GET', '/v1/nowhere', { token: keys.hr }), 'not-found');
    const bad = await expectProblem(await call('GET', '/v1/teachers?limit=999', { token: keys.hr }), 'invalid-request');
    expect(bad.errors[0].path).toBe('query.limit');
  });

  it('gives storage errors a kind instead of matching SQL text in routes', () => {
    const unique = new StorageError(new Error('D1_ERROR: UNIQUE constraint failed: teachers.id: SQLITE_CONSTRAINT'));
    expect(unique.kind).toBe('unique');
    expect(unique.isUniqueViolation('teachers')).toBe(true);
    expect(unique.isUniqueViolation('records')).toBe(false);
    expect(unique.transient).toBe(false);
    expect(new StorageError(new Error('D1_ERROR: Network connection lost.')).kind).toBe('transient');
    expect(new StorageError(new Error('string or blob too big: SQLITE_TOOBIG')).kind).toBe('too-big');
    expect(new StorageError(new Error('NOT NULL constraint failed: teachers.name: SQLITE_CONSTRAINT')).kind).toBe('constraint');
    expect(new StorageError(new Error('no such table: nope')).kind).toBe('sql');
  });

  it('generates each route’s OpenAPI error responses from the codes it raises', async () => {
    const doc = await jsonOf(await app.request('http://localhost/openapi.json', {}, env));
    const promotion = doc.paths['/v1/teachers/{id}/promotion'].post.responses;
    expect(Object.keys(promotion)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '413', '415', '422', '500', '503']));
    for (const code of ['not-eligible', 'top-of-growth-path', 'edit-conflict'] as const) expect(promotion['409'].description).toContain(`\`${code}\``);
    expect(doc.paths['/v1/teachers/{id}'].get.responses['409']).toBeUndefined();
    expect(doc.paths['/v1/review-cycles/{id}/ranking'].get.responses['500'].description).toContain('`policy-missing`');
    expect(doc.paths['/v1/records'].post.responses['413']).toBeDefined();
    expect(doc.paths['/v1/teachers'].post.responses['415']).toBeDefined();
    expect(doc.components.schemas.Problem.properties.code.enum).toEqual(Object.keys(errorTable));
  });

  it('every route that takes a body declares 413 and 415 (and 422 when it takes an Idempotency-Key); each response lists only codes of its own status', async () => {
    const doc = await jsonOf(await app.request('http://localhost/openapi.json', {}, env));
    const missing: string[] = [];
    const mismatched: string[] = [];
    let bodies = 0;
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const responses = operation.responses ?? {};
        const name = `${method.toUpperCase()} ${path}`;
        if (operation.requestBody) bodies++;
        if (operation.requestBody) for (const status of ['413', '415']) if (!responses[status]) missing.push(`${name} ${status}`);
        const idempotent = (operation.parameters ?? []).some((parameter: { name: string; in: string }) => parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key');
        if (idempotent && !responses['422']) missing.push(`${name} 422`);
        for (const [status, response] of Object.entries(responses as Record<string, { description: string }>)) {
          if (Number(status) < 400) continue;
          for (const match of response.description.matchAll(/`([a-z-]+)`:/g)) {
            const code = match[1] as ErrorCode;
            checked++;
            if (!(code in errorTable) || String(errorTable[code].status) !== status) mismatched.push(`${name} ${status} ${code}`);
          }
        }
      }
    }
    expect(bodies).toBeGreaterThan(20); // the walk saw the body-taking routes (records, teachers, import, …)
    expect(checked).toBeGreaterThan(200);
    expect(doc.paths['/v1/records/{id}'].patch.responses['428']).toBeDefined();
    expect(doc.paths['/v1/records/{id}/restore'].post.responses['409'].description).toContain('`not-deleted`');
    expect(doc.paths['/v1/import'].post.responses['409'].description).toContain('`record-deleted`');
    expect(missing).toEqual([]);
    expect(mismatched).toEqual([]);
    // one status per code, and no two codes share a title
    const titles = Object.values(errorTable).map((entry) => entry.title);
    expect(new Set(titles).size).toBe(titles.length);
  });
});
