import { z } from '@hono/zod-openapi';
import { states } from '../workflow.js';
import { isValidDate, recordSchema, stages, statuses, teacherCategories, teacherSchema, titles, recordKinds } from '@shizi/core';

export const TeacherInput = teacherSchema.openapi('TeacherInput');
export const RecordInput = recordSchema.openapi('Record');

/**
 * A record as a client sends it: a built-in kind (`Record`) or a kind the active policy declares
 * (`policy.evidenceKinds`, whose fields GET /v1/kinds gives). The route checks only the envelope here; the
 * handler validates the whole record against the active policy's registry, so its messages name each field.
 */
export const RecordDeclaration = z
  .looseObject({
    id: z.string().optional().openapi({ description: 'required from HR; a teacher may leave it out and the server names the record' }),
    teacherId: z.string().optional().openapi({ description: 'required from HR; a teacher declares only its own' }),
    kind: z.string().min(1),
    status: z.string().optional().openapi({ description: 'required from HR; a teacher’s record is always stored as submitted (pending)' }),
  })
  .openapi('RecordDeclaration', {
    description: 'An evidence record: one of the built-in kinds (schema `Record`) or a kind the active policy declares; GET /v1/kinds answers the JSON Schema of each kind.',
  });

export const TeacherPatch = teacherSchema.omit({ id: true }).partial().strict().openapi('TeacherPatch');

export const TeacherOut = z
  .object({
    id: z.string(),
    name: z.string(),
    unit: z.string(),
    hireDate: z.string(),
    stage: z.enum(stages),
    stageSince: z.string(),
    title: z.enum(titles),
    titleSince: z.string(),
    category: z.enum(teacherCategories).openapi({ description: '教师类别: specialised (专业课), practical_guidance (实习指导), public_basic (公共基础课)' }),
    enterpriseExperience: z.boolean().optional().openapi({ description: '企业工作经历 before the post; absent when not stated (as without: policy.practice.prePost may ask pre-post practice)' }),
    departedOn: z.string().nullable().openapi({ description: 'last day of employment (离职日期), set by POST /v1/teachers/{id}/departure; null while employed' }),
    version: z.int().openapi({ description: 'row version; the ETag is "v<version>"' }),
    stageLabel: z.string(),
    titleLabel: z.string(),
    categoryLabel: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Teacher');

export const StoredRecordOut = z
  .object({
    record: RecordInput,
    kindLabel: z.string(),
    state: z.enum(states).openapi({ description: 'workflow state; core counts only verified records, and sees everything under review as pending' }),
    stateLabel: z.string(),
    stateSince: z.string().openapi({ description: 'when the record entered its state (ISO)' }),
    academicYears: z.object({ first: z.int(), last: z.int() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('StoredRecord');

/** The `{id}` of a record route. */
export const RecordId = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'R00005' }),
});

/** The `{id}` of a teacher route. */
export const TeacherId = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'id', in: 'path' }, example: 't-001' }),
});

/** The If-Match request header of a versioned write (`writeIfMatch`): optional in the schema so that its absence answers 428, not 422. */
export const ifMatchHeader = (from: string) =>
  z.object({
    'if-match': z
      .string()
      .optional()
      .openapi({ description: `ETag from ${from}; required` }),
  });

export const Limit = z.coerce.number().int().min(1).max(200).default(50).openapi({ description: 'page size, at most 200' });
export const Cursor = z.string().min(1).max(400).optional().openapi({ description: 'nextCursor of the previous page' });
export const YearParam = z.coerce.number().int().min(1900).max(2999).openapi({ description: 'academic year by its first calendar year: 2025 means 2025-2026', example: 2025 });
export const DateParam = z.string().refine(isValidDate, { message: 'must be a real calendar date YYYY-MM-DD' }).openapi({ description: 'calendar date YYYY-MM-DD', example: '2026-09-01' });
export const Format = z.enum(['json', 'csv', 'xlsx']).default('json').openapi({ description: 'csv: UTF-8 with BOM, RFC 4180; xlsx: an Excel workbook (frozen header, two-decimal numbers, year column)' });
export const StatusEnum = z.enum(statuses);
export const StateEnum = z.enum(states);
export const KindEnum = z.enum(recordKinds as [string, ...string[]]);

export function encodeCursor(value: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(value)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
export function decodeCursor(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
