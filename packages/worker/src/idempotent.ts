import type { Compilable } from 'kysely';
import type { Context } from 'hono';
import { findIdempotency, insertIdempotencyIfChanged, replayResponse } from './db/idempotency.js';
import { sha256Hex } from './db/keys.js';
import { StorageError } from './db/storage.js';
import type { AppEnv } from './env.js';
import { ApiError } from './errors.js';

/**
 * `Idempotency-Key` for a write whose first statement is a conditional UPDATE (promotion, freeze): a retry
 * replays the stored answer, the answer is stored in the same atomic batch as the change (only if the change
 * applied), and of concurrent twins exactly one writes while the others replay its answer.
 */
export async function idempotentWrite(c: Context<AppEnv>, route: string, request: string) {
  const db = c.get('db');
  const idemKey = c.req.header('idempotency-key');
  const keyId = c.get('principal').keyId;
  const requestHash = await sha256Hex(`${route}:${request}`);

  /** The stored answer for this key, if this request was already applied; 422 if the key served another request. */
  const replayed = async (): Promise<Response | null> => {
    const stored = idemKey ? await findIdempotency(db.k, keyId, idemKey) : undefined;
    if (!stored) return null;
    if (stored.request_hash !== requestHash || stored.route !== route) throw new ApiError('idempotency-key-reused', 'this Idempotency-Key was used with a different request');
    return replayResponse(c.get('requestId'), stored);
  };

  /**
   * Run `[change, …rest]` as one batch, storing `response` under the key right after `change`. Returns null when
   * this request applied the change, the twin's answer when a concurrent retry applied it, and throws `lost`
   * when the change found nothing to change for another reason.
   */
  const commit = async (change: Compilable, rest: Compilable[], response: unknown, now: string, lost: () => ApiError, status = 200): Promise<Response | null> => {
    const idempotencyRow = idemKey ? [insertIdempotencyIfChanged(db.k, { keyId, idemKey, route, requestHash, status, response, now })] : [];
    let changes = 0;
    try {
      const [result] = await db.batch([change, ...idempotencyRow, ...rest]);
      changes = result?.meta.changes ?? 0;
    } catch (error) {
      // The same key used concurrently for this request: its row won the primary key.
      if (idemKey && error instanceof StorageError && error.isUniqueViolation('idempotency_keys')) {
        const again = await replayed();
        if (again) return again;
      }
      throw error;
    }
    if (changes === 0) {
      const again = await replayed();
      if (again) return again;
      throw lost();
    }
    return null;
  };

  return { replayed, commit };
}
