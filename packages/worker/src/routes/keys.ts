import { createRoute, z } from '@hono/zod-openapi';
import { actor, requireRole } from '../auth.js';
import { auditInsert } from '../db/audit.js';
import { nowIso } from '../db/index.js';
import { getKey, insertKey, insertKeyUnits, listKeys, newId, newToken, revokeKey, sha256Hex } from '../db/keys.js';
import { getTeacher } from '../db/teachers.js';
import { roles } from '../env.js';
import { errors, json, newApp, security } from '../openapi.js';
import { invalid, notFound } from '../errors.js';

const KeyOut = z
  .object({
    id: z.string(),
    role: z.enum(roles),
    teacherId: z.string().nullable(),
    label: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

const KeyId = z.object({ id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' } }) });

const createKey = createRoute({
  method: 'post',
  path: '/keys',
  tags: ['API keys'],
  summary: 'Create an API key (admin). The token is shown once; only its SHA-256 is stored.',
  security,
  middleware: [requireRole('admin')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              role: z.enum(roles),
              teacherId: z.string().min(1).max(128).optional().openapi({ description: 'required for the teacher role' }),
              units: z.array(z.string().trim().min(1).max(200)).min(1).max(50).optional().openapi({ description: 'required for the unit_reviewer role: the units (二级学院) whose records the key reviews' }),
              label: z.string().max(200).default(''),
            })
            .openapi('CreateKey'),
        },
      },
      required: true,
    },
  },
  responses: { 201: json(KeyOut.extend({ token: z.string(), units: z.array(z.string()) }), 'Created; `token` is shown only now'), ...errors('content-too-large', 'unsupported-media-type') },
});

const listRoute = createRoute({
  method: 'get',
  path: '/keys',
  tags: ['API keys'],
  summary: 'List API keys (admin); never the tokens',
  security,
  middleware: [requireRole('admin')] as const,
  responses: { 200: json(z.object({ items: z.array(KeyOut) }), 'Keys'), ...errors() },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/keys/{id}',
  tags: ['API keys'],
  summary: 'Revoke an API key (admin)',
  security,
  middleware: [requireRole('admin')] as const,
  request: { params: KeyId },
  responses: { 200: json(KeyOut, 'Revoked'), ...errors() },
});

export const keysApp = newApp()
  .openapi(createKey, async (c) => {
    const body = c.req.valid('json');
    const db = c.get('db');
    if (body.role === 'teacher' && !body.teacherId) throw invalid([{ path: 'teacherId', message: 'required for the teacher role' }]);
    if (body.role !== 'teacher' && body.teacherId) throw invalid([{ path: 'teacherId', message: 'only teacher keys are bound to a teacher' }]);
    if (body.teacherId && !(await getTeacher(db.k, body.teacherId))) throw invalid([{ path: 'teacherId', message: 'unknown teacher' }]);
    if (body.role === 'unit_reviewer' && !body.units) throw invalid([{ path: 'units', message: 'required for the unit_reviewer role' }]);
    if (body.role !== 'unit_reviewer' && body.units) throw invalid([{ path: 'units', message: 'only unit_reviewer keys are bound to units' }]);
    const units = [...new Set(body.units ?? [])];
    const token = newToken();
    const now = nowIso();
    const id = newId('key');
    const who = actor(c);
    await db.batch([
      insertKey(db.k, { id, tokenHash: await sha256Hex(token), role: body.role, teacherId: body.teacherId ?? null, label: body.label, createdAt: now, createdBy: who.actor }),
      ...insertKeyUnits(db.k, id, units),
      auditInsert(db.k, { ...who, action: 'key.create', entity: 'api_key', entityId: id, detail: { role: body.role, teacherId: body.teacherId ?? null, units, label: body.label } }),
    ]);
    return c.json({ id, role: body.role, teacherId: body.teacherId ?? null, units, label: body.label, createdAt: now, createdBy: who.actor, revokedAt: null, token }, 201);
  })
  .openapi(listRoute, async (c) => c.json({ items: await listKeys(c.get('db').k) }, 200))
  .openapi(revokeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const db = c.get('db');
    const existing = await getKey(db.k, id);
    if (!existing) throw notFound('API key');
    const now = nowIso();
    await db.batch([revokeKey(db.k, id, now), auditInsert(db.k, { ...actor(c), action: 'key.revoke', entity: 'api_key', entityId: id }, { onlyIfChanged: true })]);
    return c.json({ ...existing, revokedAt: existing.revokedAt ?? now }, 200);
  });
