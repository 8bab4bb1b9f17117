import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env.js';

/** One bad input location, as in core's ValidationError: `records[3].end`. */
export interface FieldIssue {
  path: string;
  message: string;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error that becomes an RFC 9457 problem+json answer. Throw it anywhere in a route. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export const badRequest = (detail: string, errors?: FieldIssue[]) => new ApiError(400, detail, errors ? { errors } : {});
export const notFound = (what = 'resource') => new ApiError(404, `${what} not found`);
export const conflict = (detail: string, extra: Record<string, unknown> = {}) => new ApiError(409, detail, extra);

const slugs: Record<number, string> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'content-too-large',
  415: 'unsupported-media-type',
  422: 'idempotency-key-reused',
  428: 'precondition-required',
  500: 'internal-error',
  503: 'storage-unavailable',
};

export function problemBody(c: Context<AppEnv>, status: number, detail: string, extra: Record<string, unknown> = {}) {
  return {
    type: `urn:shizi:problem:${slugs[status] ?? status}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    instance: new URL(c.req.url).pathname,
    requestId: c.get('requestId') ?? null,
    ...extra,
  };
}

export function problem(c: Context<AppEnv>, status: ContentfulStatusCode, detail: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify(problemBody(c, status, detail, extra)), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'x-request-id': c.get('requestId') ?? '' },
  });
}
