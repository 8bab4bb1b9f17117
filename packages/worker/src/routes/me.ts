import { createRoute, z } from '@hono/zod-openapi';
import { roles } from '../env.js';
import { errors, json, newApp, security } from '../openapi.js';

/** Who am I: the role of the bearer key and, for a teacher key, the one teacher it may read. Used by the pages. */
const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['API keys'],
  summary: 'The calling key’s role, and for a teacher key the teacher it is bound to',
  security,
  responses: {
    200: json(z.object({ keyId: z.string(), role: z.enum(roles), teacherId: z.string().nullable() }).openapi('Me'), 'The calling key'),
    ...errors(),
  },
});

export const meApp = newApp().openapi(meRoute, (c) => {
  const principal = c.get('principal');
  return c.json({ keyId: principal.keyId, role: principal.role, teacherId: principal.teacherId }, 200);
});
