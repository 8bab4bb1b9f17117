import { createRoute, z } from '@hono/zod-openapi';
import { roles } from '../env.js';
import { errors, json, newApp, security } from '../openapi.js';

/** Who am I: the role of the bearer key and, for a teacher key, the one teacher it may read. Used by the pages. */
const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['API keys'],
  summary: 'The calling key’s role, and the teacher (teacher key) or units (unit_reviewer key) it is bound to',
  security,
  responses: {
    200: json(z.object({ keyId: z.string(), role: z.enum(roles), teacherId: z.string().nullable(), units: z.array(z.string()).openapi({ description: 'for a unit_reviewer key: the units it reviews' }) }).openapi('Me'), 'The calling key'),
    ...errors(),
  },
});

export const meApp = newApp().openapi(meRoute, (c) => {
  const principal = c.get('principal');
  return c.json({ keyId: principal.keyId, role: principal.role, teacherId: principal.teacherId, units: [...(principal.units ?? [])] }, 200);
});
