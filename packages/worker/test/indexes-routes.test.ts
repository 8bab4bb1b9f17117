import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/app.js';
import { call, createKey, env, setupKeys, teacher, uid, type Keys } from './helpers.js';

/**
 * The index-usage test for the SQL the routes really run: the D1 binding is wrapped to capture every statement
 * (with its parameters) that a set of real requests executes, and each captured SELECT is then run through
 * EXPLAIN QUERY PLAN. No statement may SCAN a growing table without an index, except the reads that by design
 * take the whole table (listed with the reason).
 */
type Captured = { sql: string; params: unknown[]; path: string };
const captured: Captured[] = [];
let current = '';

function capturing(db: D1Database): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const record = (sql: string, params: unknown[]) => captured.push({ sql, params, path: current });
  const wrap = (sql: string, statement: D1PreparedStatement, params: unknown[]): D1PreparedStatement => {
    const wrapped = {
      bind: (...args: unknown[]) => wrap(sql, statement.bind(...args), args),
      first: (...args: [string?]) => (record(sql, params), statement.first(...(args as [string]))),
      all: () => (record(sql, params), statement.all()),
      run: () => (record(sql, params), statement.run()),
      raw: (options?: { columnNames?: boolean }) => (record(sql, params), statement.raw(options as never)),
    } as unknown as D1PreparedStatement;
    real.set(wrapped, statement);
    return wrapped;
  };
  const sqlOf = new WeakMap<object, { sql: string; params: unknown[] }>();
  return {
    prepare(sql: string) {
      const statement = db.prepare(sql);
      const wrapped = wrap(sql, statement, []);
      sqlOf.set(wrapped, { sql, params: [] });
      return new Proxy(wrapped, {
        get(target, key) {
          if (key === 'bind') {
            return (...args: unknown[]) => {
              const bound = target.bind(...args);
              sqlOf.set(bound, { sql, params: args });
              return bound;
            };
          }
          return Reflect.get(target, key);
        },
      });
    },
    async batch(statements: D1PreparedStatement[]) {
      for (const statement of statements) {
        const known = sqlOf.get(statement);
        if (known) record(known.sql, known.params);
      }
      return db.batch(statements.map((statement) => real.get(statement) ?? statement));
    },
    exec: (sql: string) => db.exec(sql),
    withSession: db.withSession?.bind(db),
  } as unknown as D1Database;
}

async function get(path: string, token: string): Promise<void> {
  current = path;
  const response = await app.request(`http://localhost${path}`, { headers: { authorization: `Bearer ${token}` } }, { ...env, DB: capturing(env.DB) });
  await response.arrayBuffer();
  expect(response.status, path).toBeLessThan(300);
}

/** The growing table a statement SCANs without an index, if any, and its plan. */
async function fullScan(sql: string, params: unknown[]): Promise<{ table: string | undefined; detail: string }> {
  const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  const detail = plan.results.map((row) => row.detail).join(' | ');
  return { table: /SCAN (teachers|records|api_keys|api_key_units|record_transitions|evidence_files|cycle_candidates|idempotency_keys|audit_log)(?! USING)/.exec(detail)?.[1], detail };
}

/** Whole-table reads by design: [pattern over path, table, why]. */
const WHOLE_TABLE: [RegExp, string, string][] = [[/^\/v1\/keys$/, 'api_keys', 'the admin key listing lists every key']];

let keys: Keys;
const unit = uid('索引学院');
const id = uid('ix');
beforeAll(async () => {
  keys = await setupKeys();
  const imported = await call('POST', '/v1/import', {
    token: keys.hr,
    body: { teachers: [teacher(id, { unit })], records: [{ id: uid('r'), teacherId: id, kind: 'enterprise_practice', status: 'verified', start: '2025-07-01', end: '2025-07-31', enterprise: '比亚迪' }] },
  });
  expect(imported.status, await imported.clone().text()).toBe(201);
});

describe('indexes: the SQL the routes execute', () => {
  it('every captured SELECT is answered through an index (EXPLAIN QUERY PLAN)', async () => {
    const teacherKey = await createKey('teacher', id);
    const u = encodeURIComponent(unit);
    for (const path of [
      `/v1/teachers/${id}/progress?asOf=2026-09-01`,
      `/v1/teachers/${id}/practice?year=2025&asOf=2026-05-01`,
      `/v1/teachers/${id}/appraisals/2024`,
      `/v1/teachers/${id}/dual-qualified?asOf=2026-09-01`,
      `/v1/teachers/${id}/growth-file?asOf=2026-09-01`,
      `/v1/teachers/${id}`,
      `/v1/records?teacherId=${id}&limit=50`,
      '/v1/me',
    ])
      await get(path, teacherKey);
    for (const path of [`/v1/teachers?unit=${u}`, `/v1/records?year=2025&limit=50`, `/v1/appraisals?year=2024&unit=${u}`, `/v1/appraisals?year=2024&unit=${u}&format=csv`, `/v1/audit?entity=teacher&entityId=${id}`, `/v1/reports?year=2024&unit=${u}`]) await get(path, keys.hr);
    await get('/v1/keys', keys.admin);

    const selects = captured.filter((entry) => /^\s*(select|with)\b/i.test(entry.sql));
    expect(selects.length).toBeGreaterThan(10);
    const seen = new Set<string>();
    const offenders: string[] = [];
    for (const entry of selects) {
      if (seen.has(entry.sql)) continue;
      seen.add(entry.sql);
      const { table, detail } = await fullScan(entry.sql, entry.params);
      if (!table) continue;
      if (WHOLE_TABLE.some(([pattern, whole]) => pattern.test(entry.path.split('?')[0]!) && whole === table)) continue;
      offenders.push(`${entry.path}\n  ${entry.sql}\n  → ${detail}`);
    }
    expect(offenders).toEqual([]);
    // the check itself flags a full scan
    expect((await fullScan('SELECT id FROM records WHERE payload = ?', ['x'])).table).toBe('records');
  });
});
