#!/usr/bin/env node
// npm run key:admin [-- --remote] [-- --label "..."]: create an admin API key and print its token once.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const remote = args.includes('--remote');
const labelIndex = args.indexOf('--label');
const label = labelIndex >= 0 ? (args[labelIndex + 1] ?? 'admin') : 'first admin';

const token = `shizi_${randomBytes(32).toString('base64url')}`;
const hash = createHash('sha256').update(token).digest('hex');
const id = `key_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
const now = new Date().toISOString();
const esc = (value) => `'${String(value).replace(/'/g, "''")}'`;
const sql = `INSERT INTO api_keys (id, token_hash, role, teacher_id, label, created_at, created_by) VALUES (${esc(id)}, ${esc(hash)}, 'admin', NULL, ${esc(label)}, ${esc(now)}, 'npm run key:admin'); INSERT INTO audit_log (at, actor, role, action, entity, entity_id) VALUES (${esc(now)}, 'cli', 'system', 'key.create', 'api_key', ${esc(id)});`;

const result = spawnSync(join(root, 'node_modules', '.bin', 'wrangler'), ['d1', 'execute', 'DB', remote ? '--remote' : '--local', '--command', sql], {
  cwd: root,
  env: { ...process.env, CI: 'true' },
  encoding: 'utf8',
});
if (result.status !== 0) {
  process.stderr.write(result.stdout + result.stderr);
  process.exit(result.status ?? 1);
}
console.log(`Admin key ${id} created in the ${remote ? 'remote' : 'local'} database. Token (shown once, store it safely):\n\n  ${token}\n`);
