import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Hook } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { errorCodes, errorTable, problem, type ErrorCode, type FieldIssue, type StatusOf } from './errors.js';

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
    return problem(c, 'invalid-request', 'request validation failed', { errors: zodIssues(result.error, prefix) });
  }
  if (result.target === 'json') {
    const errors = bodyIssues((result as { data: unknown }).data);
    if (errors.length > 0) return problem(c, 'invalid-request', 'request validation failed', { errors });
  }
  return undefined;
};

// With the u flag a surrogate pair is one code point, so this matches only a lone (unpaired) surrogate.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Deepest nesting of arrays and objects a JSON body may have (the default policy needs about 12). */
export const MAX_JSON_DEPTH = 64;

/**
 * Checks every validated JSON body once, without recursion (found by the fuzz tests, both answered 500):
 * - a lone surrogate (JSON may escape one: `"\ud800"`) is not Unicode text: D1 would store invalid UTF-8 and
 *   an id holding one cannot appear in a URL;
 * - nesting deeper than MAX_JSON_DEPTH (e.g. a policy requirement tree 1,000 levels deep) would overflow the
 *   stack of the recursive schema and rules code.
 */
export function bodyIssues(root: unknown): FieldIssue[] {
  interface Node {
    value: unknown;
    key: PropertyKey | null;
    parent: Node | null;
    depth: number;
  }
  const pathOf = (node: Node, last?: PropertyKey) => {
    const path: PropertyKey[] = last === undefined ? [] : [last];
    for (let at: Node | null = node; at && at.key !== null; at = at.parent) path.unshift(at.key);
    return formatPath(path) || '(root)';
  };
  const out: FieldIssue[] = [];
  // Iterative, with parent links: bodies such as a policy may nest deeper than the call stack.
  const stack: Node[] = [{ value: root, key: null, parent: null, depth: 0 }];
  while (stack.length > 0 && out.length < 20) {
    const node = stack.pop()!;
    const { value } = node;
    if (node.depth > MAX_JSON_DEPTH && value !== null && typeof value === 'object') {
      out.push({ path: pathOf(node), message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
      break;
    }
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) out.push({ path: pathOf(node), message: 'must be valid Unicode text (contains an unpaired surrogate)' });
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) stack.push({ value: value[index], key: index, parent: node, depth: node.depth + 1 });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index]!;
        if (LONE_SURROGATE.test(key)) out.push({ path: pathOf(node, key), message: 'key must be valid Unicode text' });
        stack.push({ value: item, key, parent: node, depth: node.depth + 1 });
      }
    }
  }
  return out;
}

export function newApp() {
  return new OpenAPIHono<AppEnv>({ defaultHook });
}

// Shared OpenAPI pieces -------------------------------------------------------------------------------

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: '`urn:shizi:problem:<code>`' }),
    code: z.enum(errorCodes).openapi({ description: 'the error code (README, "Errors"): tells the cases apart' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string().nullable(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };
type ErrorResponse = { description: string; content: typeof problemContent; headers?: Record<string, { schema: { type: 'integer' }; description: string }> };

/** Codes every authenticated /v1 route can raise. */
export const standardCodes = ['invalid-request', 'unauthorized', 'forbidden', 'not-found', 'internal-error', 'storage-unavailable'] as const satisfies readonly ErrorCode[];

/**
 * A route's OpenAPI error responses, generated from the error table: the standard codes plus the `extra` codes
 * the route raises, grouped by status, each status's description listing its codes and what they mean.
 */
export function errors<const C extends ErrorCode = never>(...extra: C[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...standardCodes, ...extra]) {
    const status = errorTable[code].status;
    const list = byStatus.get(status) ?? [];
    if (!list.includes(code)) list.push(code);
    byStatus.set(status, list);
  }
  const out: Record<number, ErrorResponse> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const description = codes.length === 1 ? `\`${codes[0]}\`: ${errorTable[codes[0]!].description}` : codes.map((code) => `\`${code}\`: ${errorTable[code].description}`).join('; ');
    out[status] = { description, content: problemContent };
    if (status === 503) out[status].headers = { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds to wait before retrying' } };
  }
  return out as Record<StatusOf<(typeof standardCodes)[number] | C>, ErrorResponse>;
}

export const security = [{ bearerAuth: [] }];

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** Loose object for core results whose full shape is documented in @shizi/core. */
export const looseObject = (name: string, description: string) => z.looseObject({}).openapi(name, { description });

export const IdParam = (name: string) =>
  z.object({
    [name]: z
      .string()
      .min(1)
      .max(128)
      .openapi({ param: { name, in: 'path' } }),
  } as Record<string, z.ZodString>);
