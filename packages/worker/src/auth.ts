import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { findPrincipal } from './db/keys.js';
import type { AppEnv, Principal, Role } from './env.js';
import { ApiError } from './errors.js';

/** Bearer API key → principal. Missing or unknown key: 401. Runs on every /v1 route except health. */
export const authenticate: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError('unauthorized', 'missing bearer API key');
  const principal = await findPrincipal(c.get('db').k, match[1]!);
  if (!principal) throw new ApiError('unauthorized', 'unknown or revoked API key');
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

export function actor(c: Context<AppEnv>): { actor: string; role: Role; requestId: string } {
  const principal: Principal = c.get('principal');
  return { actor: principal.keyId, role: principal.role, requestId: c.get('requestId') };
}
