#!/usr/bin/env node
// npm start: migrate the local D1, load the demo college when empty, print one token per role, run wrangler dev.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyLocalMigrations, localArgs, quietEnv, root, wrangler as runWrangler, wranglerBin } from './lib/wrangler.mjs';

// Optional flags (used by the browser tests): --port N, --persist-to DIR (local D1 state), --tokens-file FILE,
// --today YYYY-MM-DD (the date the demo college is laid out around; default: today).
const flag = (name) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 1 ? process.argv[index + 1] : undefined;
};
const persistTo = flag('persist-to');
// --config FILE: another wrangler config (the API benchmark runs a pre-built bundle, so edits to the sources
// during a run do not reload the worker mid-request).
const persistArgs = localArgs({ persistTo, config: flag('config') });
const stateDir = persistTo ? resolve(persistTo) : join(root, '.wrangler');
const tokensFile = flag('tokens-file') ? resolve(flag('tokens-file')) : join(stateDir, 'demo-tokens.json');
const port = flag('port') ?? process.env.PORT ?? '8787';

const wrangler = (args, { capture = false } = {}) => runWrangler(args, { capture, extraArgs: persistArgs });

function query(sql) {
  const out = wrangler(['d1', 'execute', 'DB', '--local', '--json', '--command', sql], { capture: true });
  const start = out.indexOf('[');
  const parsed = JSON.parse(out.slice(start));
  return parsed[0]?.results ?? [];
}

function executeFile(statements, name) {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, name);
  writeFileSync(file, statements.join('\n') + '\n');
  wrangler(['d1', 'execute', 'DB', '--local', '--file', file], { capture: true });
}

const sqlText = (value) => (value === null ? 'NULL' : `'${String(value).replace(/'/g, "''")}'`);
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

console.log('▶ Applying migrations to the local D1 …');
const applied = applyLocalMigrations({ extraArgs: persistArgs });
console.log(applied > 0 ? `  applied ${applied} migration(s)` : '  up to date');

const [{ n: teacherCount }] = query('SELECT COUNT(*) AS n FROM teachers');
if (Number(teacherCount) === 0) {
  console.log('▶ Empty database: loading the demo college …');
  const { demoSql } = await import('../packages/worker/src/seed/demo.ts');
  const today = flag('today');
  const statements = demoSql(today ? `${today}T00:00:00.000Z` : new Date().toISOString());
  executeFile(statements, 'demo-seed.sql');
  console.log(`  loaded ${statements.length} rows`);
} else {
  console.log(`▶ Keeping existing data (${teacherCount} teachers).`);
}

// Demo tokens: plaintext kept only in the gitignored .wrangler/demo-tokens.json, SHA-256 in api_keys.
let tokens = existsSync(tokensFile) ? JSON.parse(readFileSync(tokensFile, 'utf8')) : null;
const [firstTeacher] = query("SELECT id, name, unit FROM teachers ORDER BY (id = 'T001') DESC, id LIMIT 1");
const teacherId = tokens?.teacherId ?? firstTeacher?.id ?? null;
// The demo unit reviewer (二级学院审核人) reviews the demo teacher's unit.
const reviewerUnit = tokens?.reviewerUnit ?? firstTeacher?.unit ?? null;
const roles = ['admin', 'hr', 'committee', 'teacher', 'unit_reviewer'];
const stored = tokens ? query(`SELECT token_hash FROM api_keys WHERE id IN (${roles.map((role) => sqlText(`demo-${role}`)).join(',')}) AND revoked_at IS NULL`) : [];
const storedHashes = new Set(stored.map((row) => row.token_hash));
if (!tokens || roles.some((role) => !storedHashes.has(sha256(tokens[role])))) {
  tokens = { teacherId, reviewerUnit };
  for (const role of roles) tokens[role] = `shizi_demo_${role}_${randomBytes(18).toString('base64url')}`;
  const now = new Date().toISOString();
  executeFile(
    [
      ...roles.map(
        (role) =>
          `INSERT OR REPLACE INTO api_keys (id, token_hash, role, teacher_id, label, created_at, created_by, revoked_at) VALUES (${sqlText(`demo-${role}`)}, ${sqlText(sha256(tokens[role]))}, ${sqlText(role)}, ${role === 'teacher' ? sqlText(teacherId) : 'NULL'}, 'demo', ${sqlText(now)}, 'npm start', NULL);`,
      ),
      `INSERT OR IGNORE INTO api_key_units (key_id, unit) VALUES ('demo-unit_reviewer', ${sqlText(reviewerUnit)});`,
    ],
    'demo-keys.sql',
  );
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(tokensFile, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
}

const base = `http://localhost:${port}`;
const shown = tokensFile.startsWith(root + '/') ? tokensFile.slice(root.length + 1) : tokensFile;
console.log(`
Demo API tokens (local only; stored hashed, plaintext kept in ${shown}):
  admin      ${tokens.admin}
  hr         ${tokens.hr}
  committee  ${tokens.committee}
  teacher    ${tokens.teacher}   (teacher ${tokens.teacherId})
  reviewer   ${tokens.unit_reviewer}   (unit_reviewer of ${tokens.reviewerUnit})

As shell variables (the README's curl examples use these names):
  ADMIN=${tokens.admin} HR=${tokens.hr} COMMITTEE=${tokens.committee} TEACHER=${tokens.teacher} REVIEWER=${tokens.unit_reviewer} TOKEN=${tokens.teacher}

Try:
  curl -H "Authorization: Bearer ${tokens.teacher}" "${base}/v1/teachers/${tokens.teacherId}/progress?asOf=2026-09-01"
  curl -H "Authorization: Bearer ${tokens.committee}" -H "Accept-Language: en" "${base}/v1/appraisals?year=2025"
  curl -H "Authorization: Bearer ${tokens.hr}" "${base}/v1/review-cycles/cyc_demo/ranking?format=csv" -o ranking.csv

API docs: ${base}/docs   OpenAPI: ${base}/openapi.json

Open ${base}/ and paste the teacher token to see that teacher's progress (我的成长);
committee board: ${base}/committee (paste the committee or hr token);
review page: ${base}/review (paste the reviewer token, then the hr token to verify); HR import: ${base}/import.
`);

const dev = spawn(wranglerBin, ['dev', '--port', port, '--local', ...persistArgs], { cwd: root, stdio: 'inherit', env: quietEnv() });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
