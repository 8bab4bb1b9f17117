import { createRoute, z } from '@hono/zod-openapi';
import { json, newApp } from '../openapi.js';

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Health'],
  summary: 'Liveness (no auth, no database)',
  responses: { 200: json(z.object({ ok: z.literal(true), service: z.literal('shizi') }), 'Alive') },
});

export const healthApp = newApp().openapi(health, (c) => c.json({ ok: true as const, service: 'shizi' as const }, 200));
