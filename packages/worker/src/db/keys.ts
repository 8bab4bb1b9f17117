import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';
import type { Principal, Role } from '../env.js';
import { chunk, rowsPerInsert } from './index.js';

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A new random bearer token: `shizi_` + 32 random bytes, base64url. Only its SHA-256 is stored. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `shizi_${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

/**
 * The one query that turns a token's SHA-256 into a principal: a live (unrevoked) key, and for a teacher key a
 * teacher still employed on `today` (departures.ts employedOn: a departed teacher's key works up to and
 * including the last day of employment, and no longer from the day after). A unit reviewer's units come in
 * the same row (a JSON array), so every request pays one statement for its key, which a teacher view sends in
 * its own batch (auth.ts authenticate), so nothing of a key is cached: a revoked key stops working at once.
 */
export function principalQuery(k: Kysely<Database>, hash: string, today: string) {
  return k
    .selectFrom('api_keys as a')
    .leftJoin('teachers as t', 't.id', 'a.teacher_id')
    .select(['a.id', 'a.role', 'a.teacher_id'])
    .select(sql<string>`(SELECT json_group_array(unit) FROM (SELECT unit FROM api_key_units WHERE key_id = a.id ORDER BY unit))`.as('units'))
    .where('a.token_hash', '=', hash)
    .where('a.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.departed_on', 'is', null), eb('t.departed_on', '>=', today)]));
}

/** The principal of `principalQuery`'s row, or null when there is none. */
export function principalFromRow(row: { id: string; role: string; teacher_id: string | null; units: string } | undefined): Principal | null {
  if (!row) return null;
  if (row.role !== 'unit_reviewer') return { keyId: row.id, role: row.role as Role, teacherId: row.teacher_id };
  return { keyId: row.id, role: 'unit_reviewer', teacherId: null, units: JSON.parse(row.units) as string[] };
}

export function insertKey(k: Kysely<Database>, key: { id: string; tokenHash: string; role: Role; teacherId: string | null; label: string; createdAt: string; createdBy: string | null }) {
  return k.insertInto('api_keys').values({
    id: key.id,
    token_hash: key.tokenHash,
    role: key.role,
    teacher_id: key.teacherId,
    label: key.label,
    created_at: key.createdAt,
    created_by: key.createdBy,
    revoked_at: null,
  });
}

export function revokeKey(k: Kysely<Database>, id: string, at: string) {
  return k.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null);
}

export async function listKeys(k: Kysely<Database>) {
  const rows = await k.selectFrom('api_keys').select(['id', 'role', 'teacher_id', 'label', 'created_at', 'created_by', 'revoked_at']).orderBy('created_at').orderBy('id').execute();
  return rows.map(keyView);
}

export async function getKey(k: Kysely<Database>, id: string) {
  const row = await k.selectFrom('api_keys').select(['id', 'role', 'teacher_id', 'label', 'created_at', 'created_by', 'revoked_at']).where('id', '=', id).executeTakeFirst();
  return row ? keyView(row) : null;
}

function keyView(row: { id: string; role: string; teacher_id: string | null; label: string; created_at: string; created_by: string | null; revoked_at: string | null }) {
  return { id: row.id, role: row.role as Role, teacherId: row.teacher_id, label: row.label, createdAt: row.created_at, createdBy: row.created_by, revokedAt: row.revoked_at };
}

/** The units a unit_reviewer key acts on, written in the key's own batch. */
export function insertKeyUnits(k: Kysely<Database>, keyId: string, units: readonly string[]) {
  return units.length === 0 ? [] : [k.insertInto('api_key_units').values(units.map((unit) => ({ key_id: keyId, unit })))];
}

/** Teachers of `unit` (ordered by id), each with whether it already holds a live (unrevoked) teacher key, and its departure date. */
export async function unitTeachersWithKeys(k: Kysely<Database>, unit: string) {
  const rows = await k
    .selectFrom('teachers as t')
    .select((eb) => ['t.id', 't.name', 't.unit', eb.exists(eb.selectFrom('api_keys as a').select('a.id').whereRef('a.teacher_id', '=', 't.id').where('a.role', '=', 'teacher').where('a.revoked_at', 'is', null)).as('has_key')])
    .select('t.departed_on')
    .where('t.unit', '=', unit)
    .orderBy('t.id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, unit: row.unit, hasKey: Boolean(row.has_key), departedOn: row.departed_on ?? null }));
}

/** Revoke the live teacher keys of these teachers (before issuing new ones in the same batch). */
export function revokeTeacherKeys(k: Kysely<Database>, teacherIds: readonly string[], at: string) {
  return chunk(teacherIds, 90).map((part) => k.updateTable('api_keys').set({ revoked_at: at }).where('role', '=', 'teacher').where('teacher_id', 'in', part).where('revoked_at', 'is', null));
}

/** Multi-row inserts of keys, chunked under D1's 100 bound parameters. */
export function insertKeys(k: Kysely<Database>, keys: readonly Parameters<typeof insertKey>[1][]) {
  return chunk(keys, rowsPerInsert(8)).map((part) =>
    k.insertInto('api_keys').values(part.map((key) => ({ id: key.id, token_hash: key.tokenHash, role: key.role, teacher_id: key.teacherId, label: key.label, created_at: key.createdAt, created_by: key.createdBy, revoked_at: null }))),
  );
}
