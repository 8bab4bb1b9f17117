import { it } from 'vitest';
import { env } from 'cloudflare:workers';
it('probe', async () => {
  const n = await env.DB.prepare('SELECT COUNT(*) AS n FROM teachers').first();
  const k = await env.DB.prepare('SELECT COUNT(*) AS n FROM api_keys').first();
  console.log('PROBE', JSON.stringify(n), JSON.stringify(k), Object.keys(env));
});
