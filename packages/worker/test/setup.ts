import '@hono/zod-openapi';
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Idempotent: applyD1Migrations records what it applied in d1_migrations.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
