import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Hook } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { problem, type FieldIssue } from './problem.js';

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

export function zodIssues(error: z.ZodError, prefix: PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]) || '(root)', message: issue.message }));
}

/** Validation failures of params, query, headers or body: 400 problem+json listing each bad path. */
export const defaultHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (!result.success) {
    const prefix = result.target === 'json' ? [] : [result.target === 'param' ? 'path' : result.target];
    return problem(c, 400, 'request validation failed', { errors: zodIssues(result.error, prefix) });
  }
  return undefined;
};

export function newApp() {
  return new OpenAPIHono<AppEnv>({ defaultHook });
}

// Shared OpenAPI pieces -------------------------------------------------------------------------------

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string().nullable(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };
const standardErrors = {
  400: { description: 'Invalid input: `errors` lists each bad field path', content: problemContent },
  401: { description: 'Missing, unknown or revoked API key', content: problemContent },
  403: { description: 'The key’s role may not do this', content: problemContent },
  404: { description: 'Unknown, or not yours', content: problemContent },
} as const;

export function errors<const S extends number>(...extra: S[]) {
  const more: Record<number, { description: string; content: typeof problemContent }> = {};
  const descriptions: Record<number, string> = {
    409: 'Conflict: frozen cycle, existing id or refused change',
    412: 'If-Match does not match the current ETag',
    413: 'Body too large or too many rows',
    415: 'Unsupported media type',
    422: 'Idempotency-Key reused with a different body',
    428: 'If-Match header required',
  };
  for (const status of extra) more[status] = { description: descriptions[status] ?? 'Error', content: problemContent };
  return { ...standardErrors, ...more } as typeof standardErrors & Record<S, { description: string; content: typeof problemContent }>;
}

export const security = [{ bearerAuth: [] }];

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** Loose object for core results whose full shape is documented in @shizi/core. */
export const looseObject = (name: string, description: string) => z.looseObject({}).openapi(name, { description });

export const IdParam = (name: string) =>
  z.object({ [name]: z.string().min(1).max(128).openapi({ param: { name, in: 'path' } }) } as Record<string, z.ZodString>);
