import { describe, expect, it } from 'vitest';
import type { Compilable } from 'kysely';
import { listAudit } from '../src/db/audit.js';
import { createDb } from '../src/db/index.js';
import { selectCandidates, selectCycle } from '../src/db/cycles.js';
import { selectActivePolicy } from '../src/db/policies.js';
import { selectDualQualifiedRecordsByTeacher } from '../src/db/college.js';
import { selectRecord, selectRecordsForAppraisalYear, selectRecordsOfTeachers, selectTeacherRecords } from '../src/db/records.js';
import { selectTeacher, selectTeachers, selectTeachersByIds } from '../src/db/teachers.js';
import { env } from './helpers.js';

/** Every query the routes make is answered through an index: no full-table SCAN of a growing table. */
async function plan(query: Compilable): Promise<string> {
  const compiled = query.compile();
  const result = await env.DB.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`)
    .bind(...(compiled.parameters as unknown[]))
    .all<{ detail: string }>();
  return result.results.map((row) => row.detail).join(' | ');
}

describe('indexes', () => {
  const { k } = createDb(env.DB);
  const september = { month: 9, day: 1 };
  const queries: Array<[string, Compilable]> = [
    ['teacher by id', selectTeacher(k, 't')],
    ['teachers of a unit', selectTeachers(k, '学院')],
    ['teachers by ids', selectTeachersByIds(k, ['a', 'b'])[0]!],
    ['record by id', selectRecord(k, 'r')],
    ['records of a teacher', selectTeacherRecords(k, 't')],
    ['records of teachers', selectRecordsOfTeachers(k, ['a', 'b'])[0]!],
    ['records of an appraisal year', selectRecordsForAppraisalYear(k, 2024, 5, september)],
    ['records of an appraisal year and unit', selectRecordsForAppraisalYear(k, 2024, 5, september, '学院')],
    ['records of an appraisal year under two calendars', selectRecordsForAppraisalYear(k, 2024, 5, [september, { month: 2, day: 1 }])],
    ['records filtered by teacher and year', k.selectFrom('records').selectAll().where('teacher_id', '=', 't').where('place_last', '>=', '2024-09-01').where('place_first', '<=', '2025-08-31')],
    [
      'records filtered by year',
      k
        .selectFrom('records')
        .selectAll()
        .where((eb) => eb.or([eb.and([eb('place_last', '>=', '2024-09-01'), eb('place_first', '<=', '2025-08-31')]), eb.and([eb('place_year', '>=', 2024), eb('place_year', '<=', 2024)])])),
    ],
    ['双师型 records of a unit, by teacher', selectDualQualifiedRecordsByTeacher(k, ['certificate', 'dual_qualified_recognition', 'enterprise_practice'], '学院')],
    ['双师型 records of the college, by teacher', selectDualQualifiedRecordsByTeacher(k, ['certificate', 'dual_qualified_recognition'])],
    ['records filtered by kind', k.selectFrom('records').selectAll().where('kind', '=', 'patent').orderBy('id')],
    ['records filtered by status', k.selectFrom('records').selectAll().where('status', '=', 'pending').orderBy('id')],
    ['teachers filtered by stage', k.selectFrom('teachers').selectAll().where('stage', '=', 'new_teacher').orderBy('id')],
    ['teachers filtered by title', k.selectFrom('teachers').selectAll().where('title', '=', 'lecturer').orderBy('id')],
    ['api key by token hash', k.selectFrom('api_keys').select('id').where('token_hash', '=', 'h').where('revoked_at', 'is', null)],
    ['active policy', selectActivePolicy(k)],
    ['cycle', selectCycle(k, 'c')],
    ['cycle candidates', selectCandidates(k, 'c')],
    ['audit of an entity', k.selectFrom('audit_log').selectAll().where('entity', '=', 'teacher').where('entity_id', '=', 't').orderBy('id', 'desc')],
    ['idempotency key', k.selectFrom('idempotency_keys').selectAll().where('key_id', '=', 'k').where('idem_key', '=', 'i')],
  ];
  it.each(queries)('%s uses an index', async (_name, query) => {
    const detail = await plan(query);
    expect(detail).not.toMatch(/SCAN (teachers|records|api_keys|cycle_candidates|idempotency_keys)(?! USING)/);
  });
  it('the audit listing pages by primary key', async () => {
    await expect(listAudit(k, { limit: 1 })).resolves.toBeTruthy();
  });
});
