import { sql, type Compilable, type Kysely } from 'kysely';
import { teacherCategoryOf, type Teacher } from '@shizi/core';
import type { Database, TeachersTable } from './schema.js';
import { chunk, jsonChunks, rowsPerInsert } from './index.js';

export interface TeacherRow {
  teacher: Teacher;
  /** Last day of employment (0006), or null while employed: see departures.ts. */
  departedOn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function teacherFromRow(row: TeachersTable): Teacher {
  return {
    id: row.id,
    name: row.name,
    unit: row.unit,
    hireDate: row.hire_date,
    stage: row.stage as Teacher['stage'],
    stageSince: row.stage_since,
    title: row.title as Teacher['title'],
    titleSince: row.title_since,
    category: row.category as NonNullable<Teacher['category']>,
    // not stated (NULL, as every row before migration 0011): the field is left out, as core's teacher without it
    ...(row.enterprise_experience === null || row.enterprise_experience === undefined ? {} : { enterpriseExperience: row.enterprise_experience === 1 }),
  };
}

/** The stage fields a change would alter: they change only through promotion or the audited correction. */
export function stageFieldsChanged(before: Teacher, after: Partial<Teacher>): ('stage' | 'stageSince')[] {
  return (['stage', 'stageSince'] as const).filter((field) => after[field] !== undefined && after[field] !== before[field]);
}

export function teacherRowView(row: TeachersTable): TeacherRow {
  return { teacher: teacherFromRow(row), departedOn: row.departed_on ?? null, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** A teacher's fields as columns (all but id and the bookkeeping columns). */
function teacherFields(teacher: Teacher) {
  return {
    name: teacher.name,
    unit: teacher.unit,
    hire_date: teacher.hireDate,
    stage: teacher.stage,
    stage_since: teacher.stageSince,
    title: teacher.title,
    title_since: teacher.titleSince,
    category: teacherCategoryOf(teacher),
    enterprise_experience: teacher.enterpriseExperience === undefined ? null : teacher.enterpriseExperience ? 1 : 0,
  };
}

/** A new teacher's row (departed_on is left NULL: an import or PATCH never changes a departure). */
function toColumns(teacher: Teacher, now: string): Omit<TeachersTable, 'departed_on'> {
  return {
    id: teacher.id,
    ...teacherFields(teacher),
    version: 1,
    created_at: now,
    updated_at: now,
  };
}

export function selectTeacher(k: Kysely<Database>, id: string) {
  return k.selectFrom('teachers').selectAll().where('id', '=', id);
}

export async function getTeacher(k: Kysely<Database>, id: string): Promise<TeacherRow | null> {
  const row = await selectTeacher(k, id).executeTakeFirst();
  return row ? teacherRowView(row) : null;
}

export interface TeacherFilter {
  unit?: string | undefined;
  stage?: string | undefined;
  title?: string | undefined;
  category?: string | undefined;
  /** Only teachers employed on this day (departure on or after it); undefined: everyone, departed too. */
  employedOn?: string | undefined;
  after?: string | undefined;
  limit: number;
}

export async function listTeachers(k: Kysely<Database>, filter: TeacherFilter) {
  let q = k.selectFrom('teachers').selectAll();
  if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
  if (filter.stage !== undefined) q = q.where('stage', '=', filter.stage);
  if (filter.title !== undefined) q = q.where('title', '=', filter.title);
  if (filter.category !== undefined) q = q.where('category', '=', filter.category);
  const day = filter.employedOn;
  if (day !== undefined) q = q.where((eb) => eb.or([eb('departed_on', 'is', null), eb('departed_on', '>=', day)]));
  if (filter.after !== undefined) q = q.where('id', '>', filter.after);
  const rows = await q
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
  const more = rows.length > filter.limit;
  const page = (more ? rows.slice(0, filter.limit) : rows).map(teacherRowView);
  return { items: page, nextAfter: more ? page[page.length - 1]!.teacher.id : null };
}

/** All teachers (optionally of one unit), ordered by id: one query for committee listings. */
export function selectTeachers(k: Kysely<Database>, unit?: string) {
  let q = k.selectFrom('teachers').selectAll();
  if (unit !== undefined) q = q.where('unit', '=', unit);
  return q.orderBy('id');
}

export function selectTeachersByIds(k: Kysely<Database>, ids: readonly string[]) {
  return chunk(ids, 90).map((part) => k.selectFrom('teachers').selectAll().where('id', 'in', part));
}

const TEACHER_COLUMNS = 13;

/** Multi-row inserts chunked under D1's 100 bound parameters; `upsert` replaces existing teachers (version + 1). */
export function insertTeachers(k: Kysely<Database>, teachers: readonly Teacher[], now: string, options: { upsert?: boolean } = {}) {
  return chunk(teachers, rowsPerInsert(TEACHER_COLUMNS)).map((part) => {
    const q = k.insertInto('teachers').values(part.map((teacher) => toColumns(teacher, now)));
    if (!options.upsert) return q;
    return q.onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        unit: eb.ref('excluded.unit'),
        hire_date: eb.ref('excluded.hire_date'),
        stage: eb.ref('excluded.stage'),
        stage_since: eb.ref('excluded.stage_since'),
        title: eb.ref('excluded.title'),
        title_since: eb.ref('excluded.title_since'),
        category: eb.ref('excluded.category'),
        // an import states no enterprise experience: a stored one is kept
        enterprise_experience: eb.fn.coalesce('excluded.enterprise_experience', 'teachers.enterprise_experience'),
        updated_at: eb.ref('excluded.updated_at'),
        version: eb('teachers.version', '+', 1),
      })),
    );
  });
}

/** Bulk upsert for imports: one JSON parameter per statement (see records.upsertRecordsBulk). */
export function upsertTeachersBulk(k: Kysely<Database>, teachers: readonly Teacher[], now: string): Compilable[] {
  return jsonChunks(teachers.map((teacher) => toColumns(teacher, now))).map((json) => {
    const raw = sql`INSERT INTO teachers (id, name, unit, hire_date, stage, stage_since, title, title_since, category, enterprise_experience, version, created_at, updated_at)
      SELECT json_extract(value, '$.id'), json_extract(value, '$.name'), json_extract(value, '$.unit'), json_extract(value, '$.hire_date'),
             json_extract(value, '$.stage'), json_extract(value, '$.stage_since'), json_extract(value, '$.title'), json_extract(value, '$.title_since'),
             json_extract(value, '$.category'), json_extract(value, '$.enterprise_experience'), 1, json_extract(value, '$.created_at'), json_extract(value, '$.updated_at')
      FROM json_each(${json}) WHERE true
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit = excluded.unit, hire_date = excluded.hire_date, stage = excluded.stage,
        stage_since = excluded.stage_since, title = excluded.title, title_since = excluded.title_since, category = excluded.category,
        enterprise_experience = COALESCE(excluded.enterprise_experience, teachers.enterprise_experience), updated_at = excluded.updated_at,
        version = teachers.version + 1`;
    return { compile: () => raw.compile(k) };
  });
}

/** HR's departure (or its withdrawal, null): only while the stored version is still `expectedVersion`. */
export function updateDeparture(k: Kysely<Database>, id: string, departedOn: string | null, expectedVersion: number, now: string) {
  return k
    .updateTable('teachers')
    .set({ departed_on: departedOn, version: expectedVersion + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', expectedVersion);
}

/** Optimistic update: only succeeds while the stored version is still `expectedVersion`. */
export function updateTeacher(k: Kysely<Database>, teacher: Teacher, expectedVersion: number, now: string) {
  return k
    .updateTable('teachers')
    .set({
      ...teacherFields(teacher),
      version: expectedVersion + 1,
      updated_at: now,
    })
    .where('id', '=', teacher.id)
    .where('version', '=', expectedVersion);
}

export async function existingTeacherIds(k: Kysely<Database>, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunk([...new Set(ids)], 90)) {
    const rows = await k.selectFrom('teachers').select('id').where('id', 'in', part).execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}
