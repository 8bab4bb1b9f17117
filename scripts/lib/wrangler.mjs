// Shared by scripts/start.mjs and scripts/create-admin-key.mjs: run the project's wrangler against the local
// D1 (optionally under --persist-to DIR) with an environment that keeps it off the network.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const wranglerBin = join(root, 'node_modules', '.bin', 'wrangler');

/**
 * Wrangler's own switches (names from wrangler's "System environment variables" documentation) so that an
 * intranet that reaches no Cloudflare host sees no network errors: no usage metrics and no error reports
 * (WRANGLER_SEND_METRICS, WRANGLER_SEND_ERROR_REPORTS), and no download of the `Request.cf` object from
 * workers.cloudflare.com/cf.json (CLOUDFLARE_CF_FETCH_ENABLED=false: miniflare uses its placeholder, which
 * this worker never reads). Wrangler's npm version check fails silently offline and needs no switch.
 */
export const quietEnv = (base = process.env) => ({
  ...base,
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
});

/** The value of `--name VALUE` among the script's arguments, or undefined. */
export function flag(name, argv = process.argv.slice(2)) {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
}

/** Arguments that point wrangler at another local state directory and/or config file. */
export function localArgs({ persistTo, config } = {}) {
  return [...(persistTo ? ['--persist-to', resolve(persistTo)] : []), ...(config ? ['--config', resolve(config)] : [])];
}

/**
 * Runs `wrangler ARGS` and returns its stdout. `capture: true` keeps wrangler's output for the error message
 * only; otherwise it is shown. Throws naming the command when wrangler fails.
 */
export function wrangler(args, { capture = false, extraArgs = [] } = {}) {
  const result = spawnSync(wranglerBin, [...args, ...extraArgs], { cwd: root, env: quietEnv({ ...process.env, CI: 'true' }), encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  if (result.status !== 0) {
    if (capture) process.stderr.write((result.stdout ?? '') + (result.stderr ?? ''));
    throw new Error(`wrangler ${args.join(' ')} failed (exit ${result.status})`);
  }
  return result.stdout ?? '';
}

/**
 * Applies migrations/ to the local D1 (the same command for `npm start` and `npm run key:admin`). Wrangler's
 * tables are kept back unless it fails; the answer is how many migrations were applied.
 */
export function applyLocalMigrations({ extraArgs = [] } = {}) {
  const out = wrangler(['d1', 'migrations', 'apply', 'DB', '--local'], { capture: true, extraArgs });
  return Number(/About to apply (\d+) migration/.exec(out)?.[1] ?? 0);
}
