import { defineConfig } from 'vitest/config';

/**
 * Tests of the repository's scripts (npm run key:admin, …) in plain Node: each runs the script the way a user
 * does, against a fresh temporary local D1 (--persist-to), and reads the database back with wrangler.
 */
export default defineConfig({
  test: {
    include: ['node-test/**/*.test.ts'],
    environment: 'node',
    // Two files at a time: each file mostly waits on its subprocesses (wrangler, workerd, npm, tsc), so on two
    // cores a pair overlaps well; every file has its own temporary directories and ports.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 240_000,
  },
});
