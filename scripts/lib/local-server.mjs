// Shared by scripts/bench-api.mjs and scripts/load-test.mjs: start the worker locally (wrangler dev, local
// D1 in a fresh temporary directory) through scripts/start.mjs, load a generated college through the real
// import route, sample the workerd process's memory, and stop everything that was started.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, cpSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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
    for (const [child, parent] of parentOf) if (parent === current) out.push(child), queue.push(child);
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

/** Resident memory of one process in bytes, split as the kernel reports it: anonymous (heaps), file-backed (e.g. mmapped SQLite), shared. */
export function memoryOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
  } catch {
    return null;
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

const wranglerEnv = () => ({ ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' });

/** `wrangler deploy --dry-run --outdir`: the worker exactly as it would be uploaded; its raw and gzip sizes. */
export function buildBundle(outdir) {
  const result = spawnSync(join(root, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', outdir], { cwd: root, encoding: 'utf8', env: wranglerEnv() });
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}${result.stderr}`);
  const files = readdirSync(outdir).filter((file) => /\.(m?js|wasm)$/.test(file));
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(join(outdir, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const reported = /Total Upload: ([^\n]+)/.exec(result.stdout + result.stderr)?.[1]?.trim() ?? null;
  return { files, raw, gzip, wranglerReport: reported, outdir };
}

/**
 * The repo's wrangler.toml, pointed at a pre-built bundle (no_bundle) and at a copy of the static assets (a
 * rebuild copies the assets anew, and wrangler dev reloads when they change), other relative paths made absolute.
 */
function prebuiltConfig(bundleFile, assetsCopy) {
  const text = readFileSync(join(root, 'wrangler.toml'), 'utf8');
  return text
    .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(bundleFile)}\nno_bundle = true`)
    .replace(/^(\s*directory\s*=\s*)"([^"]+)"/gm, (_, key, path) => {
      cpSync(resolve(root, path), assetsCopy, { recursive: true });
      return `${key}${JSON.stringify(assetsCopy)}`;
    })
    .replace(/^(\s*migrations_dir\s*=\s*)"([^"]+)"/gm, (_, key, path) => `${key}${JSON.stringify(resolve(root, path))}`);
}

/**
 * Start `node scripts/start.mjs` (migrations, demo seed, tokens, wrangler dev) on a free port with a fresh
 * persist directory. Returns { base, port, dir, tokens, workerdPid(), stop() }. Only 127.0.0.1 is used.
 */
export async function startLocalServer({ label = 'bench', quiet = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `shizi-${label}-`));
  const port = await freePort();
  const tokensFile = join(dir, 'tokens.json');
  // Serve a pre-built bundle (the output of `wrangler deploy --dry-run`): wrangler dev reloads the worker when
  // a source file changes, which would kill requests in flight whenever anyone edits or rebuilds the repo.
  const bundle = buildBundle(join(dir, 'bundle'));
  const config = join(dir, 'wrangler.toml');
  writeFileSync(config, prebuiltConfig(join(dir, 'bundle', 'index.js'), join(dir, 'assets')));
  // wrangler's output goes to a file, not through this process (which also runs the load generator)
  const logFile = join(dir, 'server.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), '--port', String(port), '--persist-to', dir, '--tokens-file', tokensFile, '--config', config], {
    cwd: root,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    stdio: ['ignore', quiet ? logFd : 'inherit', quiet ? logFd : 'inherit'],
    detached: true, // own process group, so stop() ends wrangler and workerd with it
  });
  closeSync(logFd);
  const logs = {
    join: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
  };
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
  const workerdPids = () => descendants(child.pid).filter((pid) => commOf(pid) === 'workerd');
  const workerdPid = () => workerdPids()[0] ?? null;
  return {
    base,
    port,
    dir,
    bundle,
    tokens,
    logs: () => logs.join(),
    workerdPid,
    workerdPids,
    async stop({ keepDir = false, saveLogTo } = {}) {
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
      if (saveLogTo) copyFileSync(logFile, saveLogTo);
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

/** Run one SQL statement on the local D1 of `persistTo` through `wrangler d1 execute --local` (server stopped). */
export function d1Query(persistTo, sqlText) {
  const result = spawnSync(join(root, 'node_modules', '.bin', 'wrangler'), ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', sqlText], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
  });
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout.slice(result.stdout.indexOf('[')))[0]?.results ?? [];
}
