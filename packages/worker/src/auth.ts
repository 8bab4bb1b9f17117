import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { findPrincipal } from './db/keys.js';
import type { AppEnv, Principal, Role } from './env.js';
import { ApiError } from './problem.js';

/** Bearer API key → principal. Missing or unknown key: 401. Runs on every /v1 route except health. */
export const authenticate: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError(401, 'missing bearer API key', { wwwAuthenticate: 'Bearer' });
  const principal = await findPrincipal(c.get('db').k, match[1]!);
  if (!principal) throw new ApiError(401, 'unknown or revoked API key');
  c.set('principal', principal);
  await next();
});

/** Deny by default: only the listed roles pass; others get 403. */
export function requireRole(...allowed: Role[]): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new ApiError(401, 'missing bearer API key');
    if (!allowed.includes(principal.role)) throw new ApiError(403, `role ${principal.role} may not do this`);
    await next();
  });
}

/** A teacher key reads only its own teacher; anyone else's answers 404 so existence is not revealed. */
export function assertCanSeeTeacher(c: Context<AppEnv>, teacherId: string): void {
  const principal = c.get('principal');
  if (principal.role === 'teacher' && principal.teacherId !== teacherId) throw new ApiError(404, 'teacher not found');
}

export function actor(c: Context<AppEnv>): { actor: string; role: Role; requestId: string } {
  const principal: Principal = c.get('principal');
  return { actor: principal.keyId, role: principal.role, requestId: c.get('requestId') };
}
