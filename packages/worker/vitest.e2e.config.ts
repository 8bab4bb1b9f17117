import { defineConfig } from 'vitest/config';

/**
 * Browser tests: a real local server (scripts/start.mjs, exactly what `npm start` runs, on a free port and a
 * fresh temporary D1) driven by Debian's chromium through playwright-core. Plain Node environment.
 */
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
