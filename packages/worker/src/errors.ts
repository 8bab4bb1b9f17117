import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env.js';

/**
 * The one error table: every error the API answers has a code here, and the code alone chooses the HTTP
 * status and the title. A problem+json body carries `type: urn:shizi:problem:<code>` and `code`, so a client
 * tells cases apart by `code`, never by parsing `detail`. Routes declare the codes they raise with
 * `errors(...codes)` (openapi.ts), which generates their OpenAPI error responses from this table.
 */
export const errorTable = {
  'invalid-request': { status: 400, title: 'Invalid request', description: 'Invalid input: `errors` lists each bad field path' },
  unauthorized: { status: 401, title: 'Unauthorized', description: 'Missing, unknown or revoked API key' },
  forbidden: { status: 403, title: 'Forbidden', description: 'The key’s role may not do this' },
  'not-found': { status: 404, title: 'Not Found', description: 'Unknown, or not yours' },
  'method-not-allowed': { status: 405, title: 'Method Not Allowed', description: 'The route does not take this method' },
  'already-exists': { status: 409, title: 'Already exists', description: 'An entity with this id (or policy version) already exists' },
  'kind-in-use': {
    status: 409,
    title: 'Evidence kind in use',
    description: 'The policy leaves out an evidence kind that stored records are of, or redeclares it so that they no longer fit: they could no longer be read or scored. Keep the declaration (remove its scoring item to stop scoring it); `errors` names each kind and its records',
  },
  'record-deleted': {
    status: 409,
    title: 'Record deleted',
    description: 'A record with this id was soft-deleted: it is not created or imported again; HR restores it, as it was, with POST /v1/records/{id}/restore and a written reason',
  },
  'not-deleted': { status: 409, title: 'Not deleted', description: 'Only a soft-deleted record can be restored; this one is live' },
  'cycle-frozen': { status: 409, title: 'Review cycle frozen', description: 'The review cycle is frozen and can no longer change' },
  'not-eligible': { status: 409, title: 'Not eligible for promotion', description: 'Promotion refused: `gaps` lists what is missing; HR may override with a written reason' },
  'top-of-growth-path': { status: 409, title: 'Already at the top of the growth path', description: 'The teacher has no further stage to be promoted to' },
  'invalid-transition': { status: 409, title: 'Not allowed in this state', description: 'The record’s workflow state does not allow this action (see its `state`)' },
  'edit-conflict': { status: 409, title: 'Changed concurrently', description: 'Another change of the same entity won the race; read it again and retry' },
  'record-locked': { status: 409, title: 'Record locked', description: 'The record is verified or rejected: its evidence files no longer change (HR still may)' },
  'stage-change-refused': {
    status: 409,
    title: 'Stage changes only through promotion',
    description: 'A teacher’s stage (and stageSince) changes only through POST /v1/teachers/{id}/promotion, or HR’s audited correction POST /v1/teachers/{id}/stage with a written reason',
  },
  'precondition-failed': { status: 412, title: 'Precondition Failed', description: 'If-Match does not match the current ETag' },
  'content-too-large': { status: 413, title: 'Content Too Large', description: 'Body too large or too many rows' },
  'file-too-large': { status: 413, title: 'File too large', description: 'An evidence file is larger than 10 MB' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type', description: 'Send application/json (or text/csv where the route takes it)' },
  'unsupported-file-type': { status: 415, title: 'Unsupported file type', description: 'Evidence files are PDF, JPEG or PNG, declared in Content-Type and recognised by their bytes' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused', description: 'Idempotency-Key reused with a different request' },
  'invalid-file': { status: 422, title: 'Invalid file', description: 'The file is empty, cut off, or its bytes are not of the declared type' },
  'too-many-files': { status: 422, title: 'Too many files', description: 'The record already has the most evidence files allowed (10)' },
  'year-not-started': { status: 422, title: 'Academic year not started', description: 'The academic year asked for has not started yet: there is nothing to appraise' },
  'teacher-departed': { status: 422, title: 'Teacher departed', description: 'The teacher left the college before this academic year started: nothing to appraise (the years the teacher worked stay readable)' },
  'precondition-required': { status: 428, title: 'Precondition Required', description: 'If-Match header required' },
  'internal-error': { status: 500, title: 'Internal Server Error', description: 'A fault of the server; quote the request id' },
  'policy-missing': { status: 500, title: 'Policy version missing', description: 'A stored reference names a policy version that is not stored: a fault of the server’s data' },
  'storage-unavailable': {
    status: 503,
    title: 'Service Unavailable',
    description: 'The database is temporarily unavailable: retry after `Retry-After` seconds (with the same Idempotency-Key where the route takes one)',
  },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string; description: string }>;

export type ErrorCode = keyof typeof errorTable;
export type StatusOf<C extends ErrorCode> = (typeof errorTable)[C]['status'];
export const errorCodes = Object.keys(errorTable) as [ErrorCode, ...ErrorCode[]];

/** One bad input location, as in core's ValidationError: `records[3].end`. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** An error that becomes an RFC 9457 problem+json answer. Throw it anywhere in a route: `throw new ApiError('not-found', 'teacher not found')`. */
export class ApiError extends HTTPException {
  readonly detail: string;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(errorTable[code].status, { message: detail ?? errorTable[code].title });
    this.detail = detail ?? errorTable[code].title;
    this.name = 'ApiError';
  }

  /** The problem+json answer (also what Hono's HTTPException.getResponse gives outside app.onError). */
  override getResponse(): Response {
    return new Response(JSON.stringify({ ...problemFields(this.code, this.detail), ...this.extra }), { status: this.status, headers: { 'content-type': PROBLEM_TYPE } });
  }
}

/** 400 with the list of bad fields. */
export const invalid = (errors: FieldIssue[], detail = 'request validation failed') => new ApiError('invalid-request', detail, { errors });
export const notFound = (what = 'resource') => new ApiError('not-found', `${what} not found`);

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

function problemFields(code: ErrorCode, detail: string) {
  const entry = errorTable[code];
  return { type: `urn:shizi:problem:${code}`, code, title: entry.title, status: entry.status, detail };
}

export function problemBody(c: Context<AppEnv>, code: ErrorCode, detail: string, extra: Record<string, unknown> = {}) {
  return { ...problemFields(code, detail), instance: new URL(c.req.url).pathname, requestId: c.get('requestId') ?? null, ...extra };
}

/** The problem+json response for `code`: the only place an error's status is chosen. */
export function problem(c: Context<AppEnv>, code: ErrorCode, detail: string = errorTable[code].title, extra: Record<string, unknown> = {}): Response {
  const headers: Record<string, string> = { 'content-type': PROBLEM_TYPE, 'x-request-id': c.get('requestId') ?? '' };
  if (code === 'unauthorized') headers['WWW-Authenticate'] = 'Bearer';
  return new Response(JSON.stringify(problemBody(c, code, detail, extra)), { status: errorTable[code].status, headers });
}

/** The code for a bare status (Hono's own HTTPExceptions, e.g. from middleware). */
export function codeForStatus(status: number): ErrorCode {
  for (const code of errorCodes) if (errorTable[code].status === status) return code;
  return status >= 500 ? 'internal-error' : 'invalid-request';
}
