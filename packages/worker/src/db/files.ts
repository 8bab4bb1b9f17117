import { sql, type Compilable, type Kysely } from 'kysely';
import type { Env } from '../env.js';
import type { EvidenceType } from '../evidence.js';
import { createDb } from './index.js';
import type { Database, EvidenceFilesTable } from './schema.js';
import { guardD1, StorageError } from './storage.js';

/** The R2 key of some bytes: the same bytes are stored once, whichever records they are attached to. */
export const r2Key = (sha256: string) => `sha256/${sha256}`;

/**
 * An R2 object no live row refers to is deleted only once it is this old, so the bytes of an upload still
 * between its R2 write and its D1 insert are never taken away (an upload rewrites the object, refreshing its age).
 */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

export interface FileView {
  id: string;
  recordId: string;
  name: string;
  contentType: EvidenceType;
  size: number;
  sha256: string;
  createdAt: string;
  createdBy: string | null;
}

export function fileView(row: EvidenceFilesTable): FileView {
  return { id: row.id, recordId: row.record_id, name: row.name, contentType: row.content_type as EvidenceType, size: row.size, sha256: row.sha256, createdAt: row.created_at, createdBy: row.created_by };
}

/** R2 failures are storage failures like D1's: app.onError answers 503 with Retry-After. */
export async function r2<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof StorageError ? error : new StorageError(error);
  }
}

/**
 * Attach stored bytes to a record, in the same batch as its audit row. Inserts nothing (changes() = 0) when the
 * record is gone, when `lockedStates` is given and the record is in one of them, when the record already has
 * `maxFiles` live files, or when these bytes are already attached to it (the partial unique index).
 */
export function insertFileIfAllowed(k: Kysely<Database>, row: Omit<EvidenceFilesTable, 'deleted_at'>, options: { maxFiles: number; lockedStates: readonly string[] }): Compilable {
  const locked = options.lockedStates.length === 0 ? sql`` : sql`AND state NOT IN (${sql.join(options.lockedStates)})`;
  const raw = sql`INSERT INTO evidence_files (id, record_id, sha256, name, content_type, size, created_at, created_by, deleted_at)
    SELECT ${row.id}, ${row.record_id}, ${row.sha256}, ${row.name}, ${row.content_type}, ${row.size}, ${row.created_at}, ${row.created_by}, NULL
    WHERE EXISTS (SELECT 1 FROM records WHERE id = ${row.record_id} AND deleted_at IS NULL ${locked})
      AND (SELECT count(*) FROM evidence_files WHERE record_id = ${row.record_id} AND deleted_at IS NULL) < ${options.maxFiles}
    ON CONFLICT DO NOTHING`;
  return { compile: () => raw.compile(k) };
}

export function selectLiveFiles(k: Kysely<Database>, recordId: string) {
  return k.selectFrom('evidence_files').selectAll().where('record_id', '=', recordId).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id');
}

export function selectLiveFileBySha(k: Kysely<Database>, recordId: string, sha256: string) {
  return k.selectFrom('evidence_files').selectAll().where('record_id', '=', recordId).where('sha256', '=', sha256).where('deleted_at', 'is', null);
}

export function selectLiveFile(k: Kysely<Database>, recordId: string, fileId: string) {
  return k.selectFrom('evidence_files').selectAll().where('id', '=', fileId).where('record_id', '=', recordId).where('deleted_at', 'is', null);
}

export async function countLiveFiles(k: Kysely<Database>, recordId: string): Promise<number> {
  const row = await k
    .selectFrom('evidence_files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('record_id', '=', recordId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Soft-delete one live file; with `lockedStates`, only while its record is in none of them. */
export function softDeleteFile(k: Kysely<Database>, recordId: string, fileId: string, now: string, lockedStates: readonly string[]) {
  let q = k.updateTable('evidence_files').set({ deleted_at: now }).where('id', '=', fileId).where('record_id', '=', recordId).where('deleted_at', 'is', null);
  if (lockedStates.length > 0)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('records')
          .select('id')
          .where('id', '=', recordId)
          .where('state', 'not in', [...lockedStates]),
      ),
    );
  return q;
}

/** Whether a live row refers to these bytes. */
export async function isReferenced(k: Kysely<Database>, sha256: string): Promise<boolean> {
  return (await k.selectFrom('evidence_files').select('id').where('sha256', '=', sha256).where('deleted_at', 'is', null).limit(1).executeTakeFirst()) !== undefined;
}

/** Which of these digests a live row refers to: one statement however many (one JSON parameter). */
export async function referencedAmong(k: Kysely<Database>, digests: readonly string[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const rows = await sql<{ sha256: string }>`SELECT DISTINCT f.sha256 FROM evidence_files AS f JOIN json_each(${JSON.stringify(digests)}) AS d ON f.sha256 = d.value WHERE f.deleted_at IS NULL`.execute(k);
  return new Set(rows.rows.map((row) => row.sha256));
}

/** Whether the teacher is a candidate of any review cycle (what lets the committee see their files). */
export async function isCycleCandidate(k: Kysely<Database>, teacherId: string): Promise<boolean> {
  return (await k.selectFrom('cycle_candidates').select('teacher_id').where('teacher_id', '=', teacherId).limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Deletes every R2 evidence object that no live evidence_files row refers to and that was written more than
 * ORPHAN_GRACE_MS before `now`: what a failed upload could not remove, and the bytes of deleted attachments.
 * Run by the Cron `scheduled` handler; safe to run at any time and concurrently with uploads.
 */
export async function cleanupOrphanFiles(env: Pick<Env, 'DB' | 'EVIDENCE'>, now: Date): Promise<{ checked: number; deleted: number }> {
  const { k } = createDb(guardD1(env.DB));
  const cutoff = now.getTime() - ORPHAN_GRACE_MS;
  let checked = 0;
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await r2(() => env.EVIDENCE.list({ prefix: 'sha256/', limit: 1000, ...(cursor ? { cursor } : {}) }));
    const old = page.objects.filter((object) => object.uploaded.getTime() < cutoff);
    checked += page.objects.length;
    const referenced = await referencedAmong(
      k,
      old.map((object) => object.key.slice('sha256/'.length)),
    );
    const orphans = old.filter((object) => !referenced.has(object.key.slice('sha256/'.length))).map((object) => object.key);
    if (orphans.length > 0) await r2(() => env.EVIDENCE.delete(orphans));
    deleted += orphans.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { checked, deleted };
}
