import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export async function findIdempotency(k: Kysely<Database>, keyId: string, idemKey: string) {
  return k.selectFrom('idempotency_keys').selectAll().where('key_id', '=', keyId).where('idem_key', '=', idemKey).executeTakeFirst();
}

/**
 * The idempotency row goes first in the batch with the writes: a plain INSERT, so a concurrent request with
 * the same key makes the whole batch fail on the primary key and writes nothing.
 */
export function insertIdempotency(k: Kysely<Database>, row: { keyId: string; idemKey: string; route: string; requestHash: string; status: number; response: unknown; now: string }) {
  return k.insertInto('idempotency_keys').values({
    key_id: row.keyId,
    idem_key: row.idemKey,
    route: row.route,
    request_hash: row.requestHash,
    status: row.status,
    response: JSON.stringify(row.response),
    created_at: row.now,
  });
}
