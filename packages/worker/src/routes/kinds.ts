import { createRoute, z } from '@hono/zod-openapi';
import { registryOf } from '@shizi/core';
import { requireRole } from '../auth.js';
import { activePolicy } from '../db/policies.js';
import { roles } from '../env.js';
import { errors, json, newApp, security } from '../openapi.js';

const Bilingual = z.object({ zh: z.string(), en: z.string() });
const lengths = { minLength: z.int().optional(), maxLength: z.int().optional() };
/**
 * A field's JSON Schema as core writes it (z.toJSONSchema of the field vocabulary: date, year, text, text_list,
 * teacher_ref, enum, integer, yuan, decimal, team_rank, team_share); test/responses.test.ts checks that every
 * kind's answer uses only these keywords.
 */
const FieldJsonSchema = z
  .object({
    type: z.enum(['string', 'integer', 'number', 'array']),
    description: z.string().optional(),
    ...lengths,
    enum: z.array(z.string()).optional(),
    const: z.string().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    exclusiveMinimum: z.number().optional(),
    maxItems: z.int().optional(),
    items: z.object({ type: z.literal('string'), ...lengths }).optional(),
  })
  .openapi('FieldJsonSchema');
const RecordJsonSchema = z
  .object({
    $schema: z.string(),
    type: z.literal('object'),
    properties: z.record(z.string(), FieldJsonSchema),
    required: z.array(z.string()),
    additionalProperties: z.literal(false),
  })
  .openapi('RecordJsonSchema', { description: 'the record’s JSON Schema (draft 2020-12)' });

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
    jsonSchema: RecordJsonSchema,
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
  return c.json(
    {
      policyVersion: policy.version,
      items: registry.kindIds.map((kind) => {
        const description = registry.describeKind(kind)!;
        // core types it as any JSON object; its shape is the field vocabulary's (checked on real answers in the tests).
        return { ...description, jsonSchema: description.jsonSchema as z.infer<typeof RecordJsonSchema> };
      }),
    },
    200,
  );
});
