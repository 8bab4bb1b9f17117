import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      EVIDENCE: R2Bucket;
      TEST_MIGRATIONS: D1Migration[];
      FUZZ_RUNS: string;
      FUZZ_SEED: string;
      FIXTURES: string;
    }
  }
}
