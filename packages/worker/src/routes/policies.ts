import { createRoute, z } from '@hono/zod-openapi';
import { parsePolicy } from '@shizi/core';
import { actor, requireRole } from '../auth.js';
import { auditInsert } from '../db/audit.js';
import { nowIso } from '../db/index.js';
import { insertPolicy, listPolicies, policyByVersion, policyMeta } from '../db/policies.js';
import { errors, json, looseObject, newApp, security } from '../openapi.js';
import { ApiError, notFound } from '../errors.js';
import { StorageError } from '../db/storage.js';

const Summary = z
  .object({
    version: z.string(),
    name: z.object({ zh: z.string(), en: z.string() }),
    createdAt: z.string().nullable(),
    createdBy: z.string().nullable(),
    active: z.boolean(),
    builtIn: z.boolean(),
  })
  .openapi('PolicySummary');

const PolicyBody = looseObject('Policy', 'A whole policy document, validated by @shizi/core parsePolicy (see defaultPolicy for the shape)');
const VersionParam = z.object({ version: z.string().min(1).max(100).openapi({ param: { name: 'version', in: 'path' }, example: 'default-2026' }) });
const readers = requireRole('admin', 'hr', 'committee', 'teacher');

const listRoute = createRoute({
  method: 'get',
  path: '/policies',
  tags: ['Policies'],
  summary: 'List policy versions (newest first; the first is active)',
  security,
  middleware: [readers] as const,
  responses: { 200: json(z.object({ items: z.array(Summary) }), 'Versions'), ...errors() },
});

const getRoute = createRoute({
  method: 'get',
  path: '/policies/{version}',
  tags: ['Policies'],
  summary: 'Get one policy version',
  security,
  middleware: [readers] as const,
  request: { params: VersionParam },
  responses: { 200: json(z.object({ version: z.string(), createdAt: z.string().nullable(), createdBy: z.string().nullable(), policy: PolicyBody }), 'The policy'), ...errors() },
});

const createPolicy = createRoute({
  method: 'post',
  path: '/policies',
  tags: ['Policies'],
  summary: 'Create a new policy version (admin); versions are immutable and the newest becomes active',
  security,
  middleware: [requireRole('admin')] as const,
  request: { body: { content: { 'application/json': { schema: PolicyBody } }, required: true } },
  responses: { 201: json(Summary, 'Created'), ...errors('already-exists', 'content-too-large', 'unsupported-media-type') },
});

export const policiesApp = newApp()
  .openapi(listRoute, async (c) => c.json({ items: await listPolicies(c.get('db').k) }, 200))
  .openapi(getRoute, async (c) => {
    const { version } = c.req.valid('param');
    const db = c.get('db');
    const policy = await policyByVersion(db.k, version);
    if (!policy) throw notFound('policy version');
    const meta = await policyMeta(db.k, version);
    return c.json({ version, createdAt: meta?.created_at ?? null, createdBy: meta?.created_by ?? null, policy }, 200);
  })
  .openapi(createPolicy, async (c) => {
    const policy = parsePolicy(c.req.valid('json'));
    const db = c.get('db');
    if (await policyByVersion(db.k, policy.version)) throw new ApiError('already-exists', `policy version ${policy.version} already exists; versions are immutable`);
    const now = nowIso();
    const who = actor(c);
    try {
      await db.batch([insertPolicy(db.k, policy, now, who.actor), auditInsert(db.k, { ...who, action: 'policy.create', entity: 'policy', entityId: policy.version })]);
    } catch (error) {
      if (error instanceof StorageError && error.isUniqueViolation('policies')) throw new ApiError('already-exists', `policy version ${policy.version} already exists; versions are immutable`);
      throw error;
    }
    return c.json({ version: policy.version, name: policy.name, createdAt: now, createdBy: who.actor, active: true, builtIn: false }, 201);
  });
