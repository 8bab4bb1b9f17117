import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

/**
 * Starts the worker the way `npm start` does — migrations, demo college, demo tokens, `wrangler dev` — on a
 * free port with a fresh temporary D1, waits for /v1/health, and kills the whole process tree afterwards.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface DemoTokens {
  teacherId: string;
  admin: string;
  hr: string;
  committee: string;
  teacher: string;
  unit_reviewer: string;
  /** the unit the demo unit_reviewer key reviews (the demo teacher's) */
  reviewerUnit: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    tokens: DemoTokens;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let child: ChildProcess | undefined;
let stateDir: string | undefined;
let output = '';

function stop(): void {
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM'); // the whole group: start.mjs, wrangler, workerd
    } catch {
      /* already gone */
    }
  }
}

export default async function setup(project: TestProject) {
  const port = await freePort();
  stateDir = mkdtempSync(join(tmpdir(), 'shizi-e2e-'));
  const tokensFile = join(stateDir, 'tokens.json');
  const started = Date.now();
  child = spawn(process.execPath, ['scripts/start.mjs', '--port', String(port), '--persist-to', stateDir, '--tokens-file', tokensFile, '--today', '2026-11-01'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`scripts/start.mjs exited with ${child.exitCode}:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) {
      stop();
      throw new Error(`the server did not answer /v1/health in time:\n${output.slice(-4000)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/v1/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!output.includes(`http://localhost:${port}/`)) throw new Error(`start.mjs did not print the pages' address:\n${output.slice(-2000)}`);
  console.log(`e2e: server up on ${baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('baseUrl', baseUrl);
  project.provide('tokens', JSON.parse(readFileSync(tokensFile, 'utf8')) as DemoTokens);

  return () => {
    stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  };
}
