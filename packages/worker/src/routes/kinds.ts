import { createRoute, z } from '@hono/zod-openapi';
import { registryOf } from '@shizi/core';
import { requireRole } from '../auth.js';
import { activePolicy } from '../db/policies.js';
import { roles } from '../env.js';
import { errors, json, newApp, security } from '../openapi.js';

const Bilingual = z.object({ zh: z.string(), en: z.string() });
const KindOut = z
  .object({
    kind: z.string(),
    label: Bilingual,
    declarable: z.boolean().openapi({ description: 'teachers may declare it themselves' }),
    team: z.boolean().openapi({ description: 'carries rank/share' }),
    fields: z.array(
      z.object({
        name: z.string(),
        type: z.string(),
        label: Bilingual,
        optional: z.boolean(),
        values: z.array(z.object({ value: z.string(), label: Bilingual })).optional(),
      }),
    ),
    jsonSchema: z.record(z.string(), z.unknown()).openapi({ description: 'the record’s JSON Schema (draft 2020-12)' }),
  })
  .openapi('EvidenceKind');

const listKinds = createRoute({
  method: 'get',
  path: '/kinds',
  tags: ['Policies'],
  summary: 'Evidence kinds of the active policy: each with its JSON Schema and zh/en labels of the kind, its fields and values (for forms and import templates)',
  security,
  middleware: [requireRole(...roles)] as const,
  responses: { 200: json(z.object({ policyVersion: z.string(), items: z.array(KindOut) }), 'The kinds'), ...errors() },
});

export const kindsApp = newApp().openapi(listKinds, async (c) => {
  const policy = await activePolicy(c.get('db').k);
  const registry = registryOf(policy);
  return c.json({ policyVersion: policy.version, items: registry.kindIds.map((kind) => registry.describeKind(kind)!) }, 200);
});
