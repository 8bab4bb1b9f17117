import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { bundleFromResults, loadTeacherBundle, teacherBundleQueries, type TeacherBundle } from './db/bundles.js';
import { nowIso } from './db/index.js';
import { principalFromRow, principalQuery, sha256Hex } from './db/keys.js';
import { getTeacher, type TeacherRow } from './db/teachers.js';
import type { AppEnv, Principal, Role } from './env.js';
import { ApiError, notFound } from './errors.js';
import { maySeeTeacher } from './workflow.js';

/**
 * The teacher views that answer from one teacher's bundle (routes that call `loadVisibleBundle`): for these the
 * key lookup and the bundle's two statements go to D1 in ONE batch, so the view costs one round trip. The
 * bundle is only read after the key is found and authorised (`loadVisible`), as when loaded separately.
 */
const BUNDLE_VIEW = /^\/v1\/teachers\/([^/]+)\/(?:progress|practice|dual-qualified|growth-file|appraisals\/\d+)$/;

function bundleViewTeacherId(method: string, path: string): string | null {
  if (method !== 'GET') return null;
  const match = BUNDLE_VIEW.exec(path);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

/**
 * Bearer API key → principal. Missing or unknown key: 401. Runs on every /v1 route except health. The key is
 * looked up on every request (never cached), so a revoked key, or a departed teacher's, stops working at once.
 */
export const authenticate: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError('unauthorized', 'missing bearer API key');
  const db = c.get('db');
  const query = principalQuery(db.k, await sha256Hex(match[1]!), nowIso().slice(0, 10));
  const teacherId = bundleViewTeacherId(c.req.method, c.req.path);
  let principal: Principal | null;
  if (teacherId === null) principal = principalFromRow(await query.executeTakeFirst());
  else {
    const [keyResult, teacherResult, recordsResult] = await db.batch([query, ...teacherBundleQueries(db, teacherId)]);
    principal = principalFromRow(keyResult?.results[0] as Parameters<typeof principalFromRow>[0]);
    if (principal) c.set('prefetchedBundle', { teacherId, bundle: await bundleFromResults(db, teacherResult, recordsResult) });
  }
  if (!principal) throw new ApiError('unauthorized', 'unknown or revoked API key, or its teacher has left the college');
  c.set('principal', principal);
  await next();
});

/** Deny by default: only the listed roles pass; others get 403. */
export function requireRole(...allowed: Role[]): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new ApiError('unauthorized', 'missing bearer API key');
    if (!allowed.includes(principal.role)) throw new ApiError('forbidden', `role ${principal.role} may not do this`);
    await next();
  });
}

/** A teacher key reads only its own teacher; anyone else's answers 404 so existence is not revealed. */
export function assertCanSeeTeacher(c: Context<AppEnv>, teacherId: string): void {
  const principal = c.get('principal');
  if (principal.role === 'teacher' && principal.teacherId !== teacherId) throw new ApiError('not-found', 'teacher not found');
}

/**
 * THE read of one teacher by id, for every route that answers about that teacher: the row (or the bundle of
 * row, records and policy) if `maySeeTeacher` lets the caller see the teacher, else 404 as if it did not
 * exist. A teacher key of another teacher is refused before anything loaded is looked at, so it learns nothing
 * (a bundle view's data may already be in hand from the key lookup's batch, and is dropped); a unit reviewer's
 * answer needs the teacher's unit, known only after the load.
 */
async function loadVisible<T extends { teacher: { id: string; unit: string } }>(c: Context<AppEnv>, teacherId: string, load: () => Promise<T | null>): Promise<T> {
  assertCanSeeTeacher(c, teacherId);
  const loaded = await load();
  if (!loaded || !maySeeTeacher(c.get('principal'), loaded.teacher)) throw notFound('teacher');
  return loaded;
}

/** The teacher's row if the caller may see the teacher (`loadVisible`), else 404. */
export function loadVisibleTeacher(c: Context<AppEnv>, teacherId: string): Promise<TeacherRow> {
  return loadVisible(c, teacherId, () => getTeacher(c.get('db').k, teacherId));
}

/** The teacher's bundle (row, records, workflow, active policy) if the caller may see the teacher (`loadVisible`), else 404. */
export async function loadVisibleBundle(c: Context<AppEnv>, teacherId: string): Promise<TeacherBundle> {
  const visible = await loadVisible(c, teacherId, async () => {
    const prefetched = c.get('prefetchedBundle');
    const bundle = prefetched?.teacherId === teacherId ? prefetched.bundle : await loadTeacherBundle(c.get('db'), teacherId);
    return bundle && { teacher: bundle.row.teacher, bundle };
  });
  return visible.bundle;
}

export function actor(c: Context<AppEnv>): { actor: string; role: Role; requestId: string } {
  const principal: Principal = c.get('principal');
  return { actor: principal.keyId, role: principal.role, requestId: c.get('requestId') };
}
