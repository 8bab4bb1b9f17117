// Load @hono/zod-openapi before @shizi/core: it adds .openapi() to zod, and zod 4 copies methods onto
// schemas when they are created, so core's schemas must be created after the extension.
import '@hono/zod-openapi';
import { ValidationError } from '@shizi/core';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { authenticate } from './auth.js';
import { createDb } from './db/index.js';
import { guardD1, RETRY_AFTER_SECONDS, StorageError } from './db/storage.js';
import { newApp } from './openapi.js';
import { ApiError, codeForStatus, problem } from './errors.js';
import { appraisalsApp } from './routes/appraisals.js';
import { auditApp } from './routes/audit.js';
import { cyclesApp } from './routes/cycles.js';
import { digestsApp } from './routes/digests.js';
import { dualApp } from './routes/dual.js';
import { filesApp } from './routes/files.js';
import { growthFileApp } from './routes/growth-file.js';
import { healthApp } from './routes/health.js';
import { importApp, sheetsApp } from './routes/import.js';
import { keysApp } from './routes/keys.js';
import { meApp } from './routes/me.js';
import { pagesApp } from './pages/pages.js';
import { kindsApp } from './routes/kinds.js';
import { calendarApp } from './routes/calendar.js';
import { policiesApp } from './routes/policies.js';
import { recordsApp } from './routes/records.js';
import { reviewApp } from './routes/review.js';
import { reportsApp } from './routes/reports.js';
import { teachersApp } from './routes/teachers.js';

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const base = newApp();

// Security headers on every response the worker answers (errors included), from Hono's secure-headers
// middleware: X-Content-Type-Options: nosniff, X-Frame-Options: DENY, Referrer-Policy: no-referrer, … Pages and
// /docs add their Content-Security-Policy with the same middleware. Static files under public/ are served before
// the worker and get nosniff from public/_headers.
base.use('*', secureHeaders({ xFrameOptions: 'DENY' }));

/**
 * Personal data must not be kept by a browser or proxy cache: every authenticated /v1 answer (teachers,
 * records, progress, appraisals, exports, review cycles, keys, audit, import) is `Cache-Control: no-store`,
 * errors included. Only health and the policy versions (public rules, no person in them) may be cached.
 */
base.use('/v1/*', async (c, next) => {
  await next();
  if (c.req.path === '/v1/health' || c.req.path.startsWith('/v1/policies')) return;
  c.res.headers.set('Cache-Control', 'no-store');
});

base.use('*', async (c, next) => {
  const requestId = c.req.header('cf-ray') ?? crypto.randomUUID();
  c.set('requestId', requestId);
  c.header('X-Request-Id', requestId);
  await next();
});

base.use('/v1/*', async (c, next) => {
  if (c.req.path === '/v1/health') return next();
  c.set('db', createDb(guardD1(c.env.DB)));
  return authenticate(c, next);
});

const tooLarge = (limit: number) => bodyLimit({ maxSize: limit, onError: (c) => problem(c as never, 'content-too-large', `request body larger than ${limit} bytes`) });
// Evidence uploads (POST /v1/records/{id}/files) enforce their own 10 MB limit with their own error (routes/files.ts).
const FILE_UPLOAD_PATH = /^\/v1\/records\/[^/]+\/files$/;
base.use('/v1/*', async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  if (c.req.method === 'POST' && FILE_UPLOAD_PATH.test(c.req.path)) return next();
  return tooLarge(c.req.path === '/v1/import' || c.req.path === '/v1/import/report.xlsx' ? MAX_IMPORT_BYTES : MAX_BODY_BYTES)(c, next);
});

base.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
  type: 'http',
  scheme: 'bearer',
  description: 'API key created by an admin (or `npm run key:admin`). Roles: admin, hr, committee, teacher.',
});

export const app = base
  .route('/v1', healthApp)
  .route('/v1', keysApp)
  .route('/v1', meApp)
  .route('/v1', policiesApp)
  .route('/v1', kindsApp)
  .route('/v1', calendarApp)
  .route('/v1', teachersApp)
  .route('/v1', dualApp)
  .route('/v1', growthFileApp)
  .route('/v1', recordsApp)
  .route('/v1', reviewApp)
  .route('/v1', filesApp)
  .route('/v1', sheetsApp)
  .route('/v1', importApp)
  .route('/v1', appraisalsApp)
  .route('/v1', reportsApp)
  .route('/v1', digestsApp)
  .route('/v1', cyclesApp)
  .route('/v1', auditApp);

app.doc31('/openapi.json', {
  openapi: '3.1.0',
  info: {
    title: 'Shizi (师资) API',
    version: '0.1.0',
    description: 'Teacher-development tracker for vocational colleges: growth path, enterprise practice, annual appraisal and title review, computed by @shizi/core. Errors are RFC 9457 application/problem+json.',
  },
  servers: [{ url: '/' }],
});
// Swagger UI from the worker's own static assets (packages/worker/public/docs): nothing from a CDN.
app.get('/docs', secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"], frameAncestors: ["'none'"] } }), (c) => c.html(DOCS_HTML));
app.route('/', pagesApp); // the teacher's page (/) and the committee board (/committee)

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shizi (师资) API docs</title><link rel="icon" href="/docs/vendor/favicon-32x32.png">
<link rel="stylesheet" href="/docs/vendor/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/vendor/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

app.notFound((c) => problem(c, 'not-found', 'no such route'));

app.onError((error, c) => {
  if (error instanceof ApiError) {
    if (error.status >= 500) console.error(`request ${c.get('requestId')} failed: ${error.code}: ${error.detail}`);
    return problem(c, error.code, error.detail, error.extra);
  }
  if (error instanceof ValidationError) {
    return problem(c, 'invalid-request', 'input breaks the rules’ schemas', { errors: error.issues });
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    return problem(c, codeForStatus(status), status === 413 ? 'request body too large' : status === 415 ? 'unsupported media type' : error.message || 'request failed');
  }
  if (error instanceof StorageError && error.transient) {
    console.error(`request ${c.get('requestId')} hit a storage failure: ${error.message}`);
    const response = problem(
      c,
      'storage-unavailable',
      `the database is temporarily unavailable; this request changed nothing unless it had already committed — retry after ${RETRY_AFTER_SECONDS} s with the same Idempotency-Key, which replays a committed result instead of applying it twice`,
      { retryable: true, retryAfterSeconds: RETRY_AFTER_SECONDS },
    );
    response.headers.set('Retry-After', String(RETRY_AFTER_SECONDS));
    return response;
  }
  console.error(`request ${c.get('requestId')} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  return problem(c, 'internal-error', 'internal error; quote the request id when reporting it');
});

export type AppType = typeof app;
