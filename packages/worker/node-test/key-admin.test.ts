import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function keyAdmin(...args: string[]) {
  const result = spawnSync(npm, ['run', '--silent', 'key:admin', '--', ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, out: result.stdout + result.stderr };
}

/** The rows of each of the `;`-separated statements in `sql`, in one wrangler run (each run starts workerd). */
function queries(persistTo: string, sql: string): Record<string, unknown>[][] {
  const result = spawnSync(join(root, 'node_modules', '.bin', 'wrangler'), ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', sql], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout.slice(result.stdout.indexOf('['))).map((statement: { results: Record<string, unknown>[] }) => statement.results);
}
const query = (persistTo: string, sql: string) => queries(persistTo, sql)[0]!;

describe('npm run key:admin', () => {
  it('on a fresh local D1 (--persist-to an empty directory) applies the migrations, then stores the admin key hashed and audits it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shizi-key-admin-'));
    dirs.push(dir);
    const first = keyAdmin('--persist-to', dir, '--label', "O'Brien's laptop");
    expect(first.status, first.out).toBe(0);
    expect(first.out).not.toMatch(/no such table|ENOTFOUND|Error/);
    expect(first.out).toContain(dir);
    const token = /\n {2}(shizi_[A-Za-z0-9_-]{43})\n/.exec(first.out)?.[1];
    expect(token, first.out).toBeDefined();
    const id = /Admin key (key_[0-9a-f]{20})/.exec(first.out)?.[1];

    // The state went where --persist-to said, not into the repository's .wrangler/.
    expect(existsSync(join(dir, 'v3', 'd1'))).toBe(true);
    const [keys, audit, rows] = queries(dir, "SELECT id, token_hash, role, teacher_id, label, revoked_at FROM api_keys; SELECT action, entity, entity_id FROM audit_log WHERE action = 'key.create'; SELECT name FROM d1_migrations ORDER BY id");
    expect(keys).toEqual([{ id, token_hash: createHash('sha256').update(token!).digest('hex'), role: 'admin', teacher_id: null, label: "O'Brien's laptop", revoked_at: null }]);
    expect(JSON.stringify(keys)).not.toContain(token);
    expect(audit).toEqual([{ action: 'key.create', entity: 'api_key', entity_id: id }]);
    // every migration was applied, the last one included
    const applied = rows!.map((row) => row.name);
    const migrations = readdirSync(join(root, 'migrations'))
      .filter((name) => name.endsWith('.sql'))
      .sort();
    expect(applied).toEqual(migrations);

    // A second run on the now-migrated database adds a second key (migrations are not re-applied).
    const second = keyAdmin('--persist-to', dir);
    expect(second.status, second.out).toBe(0);
    expect(query(dir, 'SELECT label FROM api_keys ORDER BY created_at, label').map((row) => row.label)).toEqual(["O'Brien's laptop", 'first admin']);
  });

  it('refuses --persist-to without a directory, and with --remote', () => {
    expect(keyAdmin('--persist-to')).toMatchObject({ status: 2, out: expect.stringContaining('--persist-to needs a directory') });
    expect(keyAdmin('--remote', '--persist-to', tmpdir())).toMatchObject({ status: 2, out: expect.stringContaining('cannot be combined with --remote') });
  });
});
