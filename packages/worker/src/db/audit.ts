import { sql, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { nowIso } from './index.js';

export interface AuditEntry {
  actor: string | null;
  role: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  requestId: string | null;
  detail?: unknown;
}

/**
 * An audit row to put in the same batch as the write it describes. With `onlyIfChanged`, the row is only
 * written when the statement just before it changed a row (SQLite `changes()`), so a lost race leaves no trace.
 */
export function auditInsert(k: Kysely<Database>, entry: AuditEntry, options: { onlyIfChanged?: boolean } = {}): Compilable {
  const detail = entry.detail === undefined ? null : JSON.stringify(entry.detail);
  if (options.onlyIfChanged) {
    const raw = sql`INSERT INTO audit_log (at, actor, role, action, entity, entity_id, request_id, detail)
      SELECT ${nowIso()}, ${entry.actor}, ${entry.role}, ${entry.action}, ${entry.entity}, ${entry.entityId}, ${entry.requestId}, ${detail}
      WHERE changes() > 0`;
    return { compile: () => raw.compile(k) };
  }
  return k.insertInto('audit_log').values({
    at: nowIso(),
    actor: entry.actor,
    role: entry.role,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    request_id: entry.requestId,
    detail,
  });
}

export interface AuditQuery {
  entity?: string | undefined;
  entityId?: string | undefined;
  before?: number | undefined;
  limit: number;
}

export async function listAudit(k: Kysely<Database>, query: AuditQuery) {
  let q = k.selectFrom('audit_log').selectAll();
  if (query.entity !== undefined) q = q.where('entity', '=', query.entity);
  if (query.entityId !== undefined) q = q.where('entity_id', '=', query.entityId);
  if (query.before !== undefined) q = q.where('id', '<', query.before);
  const rows = await q.orderBy('id', 'desc').limit(query.limit + 1).execute();
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  return {
    items: page.map((row) => ({
      id: row.id!,
      at: row.at,
      actor: row.actor,
      role: row.role,
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      requestId: row.request_id,
      detail: row.detail === null ? null : (JSON.parse(row.detail) as unknown),
    })),
    nextCursor: more ? String(page[page.length - 1]!.id) : null,
  };
}
