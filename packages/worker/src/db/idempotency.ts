import { sql, type Compilable, type Kysely } from 'kysely';
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

/**
 * For routes whose write is a conditional UPDATE (optimistic version, `status = 'open'`): the idempotency row
 * is inserted only when the statement just before it in the batch changed a row (SQLite `changes()`), so a
 * lost race stores nothing; put it right after that UPDATE and before an `onlyIfChanged` audit row.
 */
export function insertIdempotencyIfChanged(k: Kysely<Database>, row: { keyId: string; idemKey: string; route: string; requestHash: string; status: number; response: unknown; now: string }) {
  const raw = sql`INSERT INTO idempotency_keys (key_id, idem_key, route, request_hash, status, response, created_at)
    SELECT ${row.keyId}, ${row.idemKey}, ${row.route}, ${row.requestHash}, ${row.status}, ${JSON.stringify(row.response)}, ${row.now}
    WHERE changes() > 0`;
  return { compile: () => raw.compile(k) } as Compilable;
}

/** The stored answer of a request already applied under this Idempotency-Key. */
export function replayResponse(requestId: string, stored: { status: number; response: string }): Response {
  return new Response(stored.response, { status: stored.status, headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true', 'x-request-id': requestId } });
}
