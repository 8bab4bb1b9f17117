/**
 * Benchmark input: records as the .xlsx an HR office fills in from the import template — one sheet per kind,
 * the template's Chinese headings and value labels — written with the worker's own sheet columns and writer,
 * so the import benchmark reads exactly what a user uploads. Bundled with esbuild by scripts/bench-api.mjs.
 */
// As in the worker's app.ts: zod gains .openapi() before any schema module runs.
import '@hono/zod-openapi';
import { applyExcellenceQuota, appraise, compareForQuota, defaultPolicy, groupByTeacher, recordAcademicYears, type EvidenceRecord, type Teacher } from '@shizi/core';
import { appraisalSheet } from '../../packages/worker/src/routes/appraisals.js';
import { columnsOf, sheetNameOf, type Column } from '../../packages/worker/src/sheets/columns.js';
import { readSheets } from '../../packages/worker/src/sheets/read.js';
import { writeWorkbook, xlsxSheets, type OutSheet } from '../../packages/worker/src/sheets/xlsx.js';

type Row = { kind: string } & Record<string, unknown>;

function cell(column: Column, value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (column.type === 'enum') return column.options.find((option) => option.value === value)?.label.zh ?? String(value);
  if (column.type === 'list') return Array.isArray(value) ? value.join('；') : String(value);
  return typeof value === 'number' ? value : String(value);
}

export async function recordsWorkbook(records: Row[]): Promise<Uint8Array> {
  const byKind = new Map<string, Row[]>();
  for (const record of records) {
    const list = byKind.get(record.kind);
    if (list) list.push(record);
    else byKind.set(record.kind, [record]);
  }
  const sheets: OutSheet[] = [...byKind].map(([kind, rows]) => {
    const columns = columnsOf(kind);
    return { name: sheetNameOf(kind, 'zh'), columns: columns.map((column) => ({ header: column.heading.zh })), rows: rows.map((row) => columns.map((column) => cell(column, row[column.field]))) };
  });
  return writeWorkbook(sheets);
}

/** The import's reading step exactly as the route runs it: unpack, parse every sheet, convert every cell. */
export async function readWorkbook(bytes: Uint8Array): Promise<{ records: number; issues: number }> {
  const { records, issues } = readSheets(await xlsxSheets(bytes, 'zh'), 'zh');
  return { records: records.length, issues: issues.length };
}

/**
 * The committee listing's .xlsx as `GET /v1/appraisals?format=xlsx` builds it: the records parsed from JSON (as
 * D1 hands them over), each teacher appraised, the quota applied, ranked, written as the route's sheet.
 */
export async function listingWorkbook(teachers: Teacher[], recordsJson: string, year: number): Promise<Uint8Array> {
  const byTeacher = groupByTeacher(JSON.parse(recordsJson) as EvidenceRecord[]);
  const policy = defaultPolicy;
  const appraisals = applyExcellenceQuota(
    teachers.map((teacher) => ({ unit: teacher.unit, appraisal: appraise(teacher, byTeacher.get(teacher.id) ?? [], year, policy) })),
    policy,
  );
  const byId = new Map(teachers.map((teacher) => [teacher.id, teacher]));
  const ranked = [...appraisals].sort(compareForQuota).map((appraisal, index) => ({ rank: index + 1, name: byId.get(appraisal.teacherId)!.name, unit: byId.get(appraisal.teacherId)!.unit, appraisal }));
  return writeWorkbook([appraisalSheet(ranked, policy, 'zh', year)]);
}

/**
 * The records the listing route reads for `year` (the SQL window of `appraisalYearWindow` in db/records.ts):
 * every record touching the year, and practice records touching the rolling window that ends with it.
 */
export function recordsInWindow(records: EvidenceRecord[], year: number): EvidenceRecord[] {
  const first = year - defaultPolicy.practice.rolling.years + 1;
  const practice = new Set(['enterprise_practice', 'practice_exemption']);
  return records.filter((record) => recordAcademicYears(record, defaultPolicy).some((y) => y === year || (practice.has(record.kind) && y >= first && y <= year)));
}
