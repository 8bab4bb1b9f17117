import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: '../../wrangler.toml' },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('../../migrations', import.meta.url))),
          // Longer fuzz runs: FUZZ_RUNS=2000 npm test -w @shizi/worker -- reliability.fuzz (FUZZ_SEED replays a failure).
          FUZZ_RUNS: process.env.FUZZ_RUNS ?? '',
          FUZZ_SEED: process.env.FUZZ_SEED ?? '',
          // test/fixtures/* (GBK, UTF-16, Big5 files made by Python's codecs) as base64, for tests inside workerd.
          FIXTURES: JSON.stringify(Object.fromEntries(readdirSync(new URL('./test/fixtures', import.meta.url)).map((name) => [name, readFileSync(new URL(`./test/fixtures/${name}`, import.meta.url)).toString('base64')]))),
        },
      },
    })),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 30_000,
    // Off: on a cache hit the Cloudflare pool inlines every warm module into one WebSocket message, and with the
    // spreadsheet library's module graph that message exceeds workerd's limit (1009 "Message is too large").
    fsModuleCache: false,
    // Every test file runs in a fresh workerd and fetches its whole module graph from Vite one module at a time, so
    // the module count is what a file's setup costs. kysely is 255 modules; pre-bundled it is one (about 0.5 MB, under
    // workerd's 1 MiB WebSocket message limit). Only its root entry is imported, so there is one copy of its classes.
    deps: { optimizer: { ssr: { enabled: true, include: ['kysely'] } } },
  },
});
