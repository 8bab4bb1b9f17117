#!/usr/bin/env node
// npm run key:admin [-- --remote] [-- --label "..."] [-- --persist-to DIR]: create an admin API key and print
// its token once. Locally it first applies migrations/ to the local D1 (as `npm start` does), so it works on a
// fresh clone; --persist-to DIR uses the local D1 under DIR (the same flag `npm start` takes).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { applyLocalMigrations, flag, localArgs, root, wrangler } from './lib/wrangler.mjs';

const args = process.argv.slice(2);
const remote = args.includes('--remote');
const label = args.includes('--label') ? (flag('label') ?? 'admin') : 'first admin';
const persistTo = flag('persist-to');
if (args.includes('--persist-to') && !persistTo) {
  console.error('--persist-to needs a directory');
  process.exit(2);
}
if (remote && persistTo) {
  console.error('--persist-to is for the local D1; it cannot be combined with --remote');
  process.exit(2);
}

const token = `shizi_${randomBytes(32).toString('base64url')}`;
const hash = createHash('sha256').update(token).digest('hex');
const id = `key_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
const now = new Date().toISOString();
const esc = (value) => `'${String(value).replace(/'/g, "''")}'`;
const sql = `INSERT INTO api_keys (id, token_hash, role, teacher_id, label, created_at, created_by) VALUES (${esc(id)}, ${esc(hash)}, 'admin', NULL, ${esc(label)}, ${esc(now)}, 'npm run key:admin'); INSERT INTO audit_log (at, actor, role, action, entity, entity_id) VALUES (${esc(now)}, 'cli', 'system', 'key.create', 'api_key', ${esc(id)});`;

const extraArgs = remote ? [] : localArgs({ persistTo });
try {
  // The remote database is migrated by `npm run deploy`; the local one may be brand new.
  if (!remote) applyLocalMigrations({ extraArgs });
  wrangler(['d1', 'execute', 'DB', remote ? '--remote' : '--local', '--command', sql], { capture: true, extraArgs });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const where = remote ? 'the remote database' : `the local database (${persistTo ? resolve(persistTo) : `${resolve(root, '.wrangler')}, the one npm start uses`})`;
console.log(`Admin key ${id} created in ${where}. Token (shown once, store it safely):\n\n  ${token}\n`);
