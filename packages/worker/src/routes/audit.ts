import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../auth.js';
import { listAudit } from '../db/audit.js';
import { errors, json, newApp, security } from '../openapi.js';
import { invalid } from '../errors.js';
import { Cursor, Limit } from './schemas.js';

const AuditEntry = z
  .object({
    id: z.int(),
    at: z.string(),
    actor: z.string().nullable().openapi({ description: 'API key id' }),
    role: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    requestId: z.string().nullable(),
    detail: z.unknown(),
  })
  .openapi('AuditEntry');

const route = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['Audit'],
  summary: 'The append-only audit log, newest first (admin, HR): who did what, when, to which row',
  security,
  middleware: [requireRole('admin', 'hr')] as const,
  request: { query: z.object({ entity: z.string().min(1).max(50).optional(), entityId: z.string().min(1).max(200).optional(), cursor: Cursor, limit: Limit }) },
  responses: { 200: json(z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }), 'Audit entries'), ...errors() },
});

export const auditApp = newApp().openapi(route, async (c) => {
  const query = c.req.valid('query');
  const before = query.cursor === undefined ? undefined : Number(query.cursor);
  if (before !== undefined && !Number.isInteger(before)) throw invalid([{ path: 'query.cursor', message: 'invalid cursor' }]);
  const page = await listAudit(c.get('db').k, { entity: query.entity, entityId: query.entityId, before, limit: query.limit });
  return c.json(page, 200);
});
