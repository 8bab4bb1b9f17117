import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` (scripts/start.mjs) on a fresh --persist-to directory, as a user runs it: its output names the
 * tokens file it wrote, carries no network stack trace (this machine, like an offline intranet, may resolve no
 * Cloudflare host: before CLOUDFLARE_CF_FETCH_ENABLED=false it printed `ENOTFOUND workers.cloudflare.com`), and
 * the tokens in that file work.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const stateDir = mkdtempSync(join(tmpdir(), 'shizi-start-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM'); // start.mjs, wrangler, workerd
  rmSync(stateDir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

describe('npm start', () => {
  it('names the tokens file it used, prints no network error, and its tokens work', async () => {
    const port = await freePort();
    let output = '';
    // the caller's environment without wrangler switches: start.mjs must set them itself
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(WRANGLER_|CLOUDFLARE_)/.test(name)));
    child = spawn(process.execPath, ['scripts/start.mjs', '--port', String(port), '--persist-to', stateDir], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 200_000;
    for (;;) {
      expect(child.exitCode, output.slice(-3000)).toBeNull();
      expect(Date.now() < deadline, output.slice(-3000)).toBe(true);
      const up = await fetch(`${base}/v1/health`, { signal: AbortSignal.timeout(2000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (up) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // the first request makes miniflare set up Request.cf; give its (absent) warning time to appear
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const tokensFile = join(stateDir, 'demo-tokens.json');
    expect(output).toContain(`plaintext kept in ${tokensFile}`);
    expect(output).toMatch(/applied \d+ migration\(s\)/);
    expect(output).not.toMatch(/ENOTFOUND|Unable to fetch|getaddrinfo|\n\s+at /);
    const tokens = JSON.parse(readFileSync(tokensFile, 'utf8'));
    expect(output).toContain(`HR=${tokens.hr} COMMITTEE=${tokens.committee}`);
    const me = await fetch(`${base}/v1/teachers/${tokens.teacherId}/progress?asOf=2026-09-01`, { headers: { authorization: `Bearer ${tokens.teacher}` } });
    expect(me.status).toBe(200);
  });
});
