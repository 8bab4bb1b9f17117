import { createRoute, z } from '@hono/zod-openapi';
import type { UnitDigest } from '@shizi/core';
import { requireRole } from '../auth.js';
import { listDigests } from '../db/digests.js';
import { ApiError, invalid } from '../errors.js';
import { errors, json, newApp, security } from '../openapi.js';
import { Cursor, decodeCursor, encodeCursor, Limit } from './schemas.js';

const Bilingual = z.object({ zh: z.string(), en: z.string() });
const DigestOut = z
  .object({
    id: z.string(),
    unit: z.string(),
    asOf: z.string().openapi({ description: 'the day (UTC) the digest was made for' }),
    generatedAt: z.string(),
    year: z.int(),
    yearLabel: z.string(),
    maxWaitDays: z.int().openapi({ description: "the policy's review.maxWaitDays when it was made" }),
    practice: z
      .array(
        z.object({
          teacherId: z.string(),
          name: z.string(),
          standing: z.enum(['short', 'at_risk']),
          daysNeeded: z.int(),
          countedDays: z.int(),
          pendingDays: z.int(),
          requiredDays: z.int(),
          daysLeft: z.int(),
        }),
      )
      .openapi({ description: 'teachers who may miss this academic year’s practice requirement, at risk first' }),
    waiting: z
      .array(
        z.object({
          recordId: z.string(),
          teacherId: z.string(),
          name: z.string(),
          kind: z.string(),
          kindLabel: Bilingual,
          state: z.string(),
          stateLabel: Bilingual,
          since: z.string(),
          waitingDays: z.int(),
        }),
      )
      .openapi({ description: 'records waiting for review longer than maxWaitDays, longest first' }),
    text: Bilingual.openapi({ description: 'the digest as mail text' }),
  })
  .openapi('Digest');

const digestsRoute = createRoute({
  method: 'get',
  path: '/digests',
  tags: ['Digests'],
  summary: 'Weekly digests per unit, newest first (HR: every unit; a unit reviewer: its units)',
  security,
  middleware: [requireRole('hr', 'unit_reviewer')] as const,
  request: { query: z.object({ unit: z.string().min(1).max(200).optional(), cursor: Cursor, limit: Limit }) },
  responses: { 200: json(z.object({ items: z.array(DigestOut), nextCursor: z.string().nullable() }), 'Digests'), ...errors() },
});

export const digestsApp = newApp().openapi(digestsRoute, async (c) => {
  const query = c.req.valid('query');
  const principal = c.get('principal');
  const units = principal.role === 'unit_reviewer' ? (principal.units ?? []) : undefined;
  // another unit's digests are not a unit reviewer's to know of
  if (units !== undefined && query.unit !== undefined && !units.includes(query.unit)) throw new ApiError('not-found', 'unit not found');
  const cursor = decodeCursor(query.cursor);
  const [asOf, unit] = cursor?.split('\u0001') ?? [];
  if (query.cursor !== undefined && (asOf === undefined || unit === undefined)) throw invalid([{ path: 'query.cursor', message: 'invalid cursor' }]);
  const page = await listDigests(c.get('db').k, { units, unit: query.unit, after: asOf !== undefined && unit !== undefined ? { asOf, unit } : undefined, limit: query.limit });
  const items = page.rows.map((row) => {
    const digest = JSON.parse(row.body) as UnitDigest;
    return { id: row.id, generatedAt: row.generated_at, ...digest, unit: row.unit, asOf: row.as_of };
  });
  const last = page.rows[page.rows.length - 1];
  return c.json({ items, nextCursor: page.more && last ? encodeCursor(`${last.as_of}\u0001${last.unit}`) : null }, 200);
});
