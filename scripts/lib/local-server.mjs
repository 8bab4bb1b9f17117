// Shared by scripts/bench-api.mjs and scripts/load-test.mjs: start the worker locally (wrangler dev, local
// D1 in a fresh temporary directory) through scripts/start.mjs, load a generated college through the real
// import route, sample the workerd process's memory, and stop everything that was started.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const quantile = (xs, q) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function flagOf(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = process.argv[index + 1];
  return value === undefined || value.startsWith('--') ? true : value;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** All descendants of `pid` (from /proc), children first. */
function descendants(pid) {
  const parentOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const out = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const [child, parent] of parentOf) if (parent === current) (out.push(child), queue.push(child));
  }
  return out;
}

function commOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Resident set size in bytes of one process (VmRSS), or null once it is gone. */
export function rssOf(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Start `node scripts/start.mjs` (migrations, demo seed, tokens, wrangler dev) on a free port with a fresh
 * persist directory. Returns { base, port, dir, tokens, workerdPid(), stop() }. Only 127.0.0.1 is used.
 */
export async function startLocalServer({ label = 'bench', quiet = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `shizi-${label}-`));
  const port = await freePort();
  const tokensFile = join(dir, 'tokens.json');
  const logs = [];
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), '--port', String(port), '--persist-to', dir, '--tokens-file', tokensFile], {
    cwd: root,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() ends wrangler and workerd with it
  });
  const keep = (chunk) => {
    logs.push(chunk.toString());
    if (logs.length > 400) logs.splice(0, logs.length - 400);
    if (!quiet) process.stderr.write(chunk);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code) => (exited = code ?? 0));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited !== null) throw new Error(`start.mjs exited (${exited}) before the server answered:\n${logs.join('').slice(-4000)}`);
    try {
      const response = await fetch(`${base}/v1/health`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`server did not answer /v1/health within 180 s:\n${logs.join('').slice(-4000)}`);
    await sleep(300);
  }
  const tokens = JSON.parse(readFileSync(tokensFile, 'utf8'));
  const workerdPid = () => descendants(child.pid).find((pid) => commOf(pid) === 'workerd') ?? null;
  return {
    base,
    port,
    dir,
    tokens,
    logs: () => logs.join(''),
    workerdPid,
    async stop({ keepDir = false } = {}) {
      if (exited === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
        if (exited === null) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** JSON request helper; throws on a non-2xx answer unless `expect` lists the status. */
export async function api(base, method, path, { token, body, headers = {}, expect } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const ok = expect ? expect.includes(response.status) : response.ok;
  if (!ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 1000)}`);
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // CSV or empty
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** 2,000 teachers spread over `units` units of equal size (the generator's own units are 20–100 strong). */
export function spreadUnits(teachers, units) {
  const perUnit = Math.ceil(teachers.length / units);
  return teachers.map((teacher, index) => ({ ...teacher, unit: `学院${String(Math.floor(index / perUnit) + 1).padStart(2, '0')}` }));
}

/**
 * Load a generated college through POST /v1/import: the teachers in one request, then the records in
 * chunks of `chunkRows` (the route accepts at most 20,000 rows). Returns timings.
 */
export async function importCollege(base, hrToken, { teachers, records }, { chunkRows = 20_000, log = () => {} } = {}) {
  const t0 = performance.now();
  const chunkTimes = [];
  for (let index = 0; index < teachers.length; index += chunkRows) {
    const t = performance.now();
    await api(base, 'POST', '/v1/import', { token: hrToken, body: { teachers: teachers.slice(index, index + chunkRows) } });
    chunkTimes.push(performance.now() - t);
  }
  for (let index = 0; index < records.length; index += chunkRows) {
    const t = performance.now();
    await api(base, 'POST', '/v1/import', { token: hrToken, body: { records: records.slice(index, index + chunkRows) } });
    chunkTimes.push(performance.now() - t);
    log(`  imported ${Math.min(records.length, index + chunkRows).toLocaleString('en')} / ${records.length.toLocaleString('en')} records`);
  }
  return { totalMs: performance.now() - t0, chunkTimes };
}

export const mib = (bytes) => (bytes / 1048576).toFixed(1);
