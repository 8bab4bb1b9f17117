import { sql, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { EvidenceRecord, Teacher } from '@shizi/core';
import { jsonChunks, nowIso } from './index.js';

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

/**
 * One audit row per stored row an import changes, with its previous and new values: `teacher.import`
 * (`{ before, after }` of the teacher's fields) and `record.import` (`{ before, after }` of the record; a
 * soft-deleted record is refused before, never written by an import). Put these statements in the import's batch BEFORE its upserts:
 * they read the stored rows as they were, and commit or fail with the import. New rows are not listed here (the
 * import's own entry counts them); unchanged rows leave no trace.
 */
export function auditImportChanges(k: Kysely<Database>, who: Omit<AuditEntry, 'action' | 'entity' | 'entityId' | 'detail'>, teachers: readonly Teacher[], records: readonly EvidenceRecord[]): Compilable[] {
  const at = nowIso();
  const out: Compilable[] = [];
  for (const json of jsonChunks(teachers)) {
    const raw = sql`INSERT INTO audit_log (at, actor, role, action, entity, entity_id, request_id, detail)
      SELECT ${at}, ${who.actor}, ${who.role}, 'teacher.import', 'teacher', t.id, ${who.requestId},
        json_object(
          'before', json_object('id', t.id, 'name', t.name, 'unit', t.unit, 'hireDate', t.hire_date, 'stage', t.stage, 'stageSince', t.stage_since, 'title', t.title, 'titleSince', t.title_since),
          'after', json(n.value))
      FROM json_each(${json}) AS n JOIN teachers AS t ON t.id = json_extract(n.value, '$.id')
      WHERE t.name IS NOT json_extract(n.value, '$.name') OR t.unit IS NOT json_extract(n.value, '$.unit') OR t.hire_date IS NOT json_extract(n.value, '$.hireDate')
         OR t.stage IS NOT json_extract(n.value, '$.stage') OR t.stage_since IS NOT json_extract(n.value, '$.stageSince')
         OR t.title IS NOT json_extract(n.value, '$.title') OR t.title_since IS NOT json_extract(n.value, '$.titleSince')`;
    out.push({ compile: () => raw.compile(k) });
  }
  for (const json of jsonChunks(records)) {
    const raw = sql`INSERT INTO audit_log (at, actor, role, action, entity, entity_id, request_id, detail)
      SELECT ${at}, ${who.actor}, ${who.role}, 'record.import', 'record', r.id, ${who.requestId},
        json_object('before', json(r.payload), 'after', json(n.value))
      FROM json_each(${json}) AS n JOIN records AS r ON r.id = json_extract(n.value, '$.id')
      WHERE r.deleted_at IS NULL AND json(r.payload) IS NOT json(n.value)`;
    out.push({ compile: () => raw.compile(k) });
  }
  return out;
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
  const rows = await q
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
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
