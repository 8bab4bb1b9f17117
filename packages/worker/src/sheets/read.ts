import { builtinRegistry, isValidDate, type EvidenceRegistry, type RecordKind } from '@shizi/core';
import type { z } from 'zod';
import type { Bilingual, Lang } from '../i18n.js';
import { columnsOf, enumValueOf, fieldOfHeading, kindLabel, targetOfName, type Column, type SheetTarget } from './columns.js';

/**
 * Spreadsheet rows (from a CSV or a workbook) → candidate teachers and records, converted from what HR offices
 * write (Chinese headings and values, 2023/9/1, "15,000", Excel date cells) to the API's fields. Still
 * unvalidated: the route runs core's schemas on them. Every problem names the sheet, the row as Excel numbers
 * it, the column heading, the value and what was expected, in zh and en.
 */

export type CellValue = string | number | boolean | Date | null | undefined;
export interface Sheet {
  name: string;
  /** rows as the sheet has them: rows[0] is Excel's row 1; blank rows included */
  rows: CellValue[][];
}

export interface Location {
  sheet: string;
  /** Excel's row number (1-based, counting the header and blank rows) */
  row: number;
}

/** A problem in a sheet: `path` as before (`csv[12].hireDate`), plus where a person finds it. */
export interface SheetIssue {
  path: string;
  message: string;
  sheet: string;
  row: number;
  column: string | null;
  value: string | null;
}

export interface Candidate {
  path: string;
  value: Record<string, unknown>;
  at: Location;
  /** the heading each field was read from, for messages */
  headings: Record<string, string>;
  cells: Record<string, string>;
}

/** Sheets a workbook may carry that hold no data: the template's notes. */
export const NOTES_SHEETS = new Set(['说明', '填写说明', 'notes', 'readme']);
export const SKIP_HEADINGS = new Set(['错误', 'errors', 'error', '错误说明']);
const ENTITY_HEADINGS = new Set(['entity', '实体', '数据类别']);
const KIND_HEADINGS = new Set(['kind', '类型', '成果类型', '记录类型']);
/** Template example rows start with this mark in their first cell, and are skipped. */
export const EXAMPLE_MARK = { zh: '（示例）', en: '(example)' } as const;

const norm = (text: string) => text.normalize('NFKC').trim().toLowerCase();

export function cellText(cell: CellValue): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell).trim();
}

function isBlank(row: CellValue[] | undefined): boolean {
  return !row || row.every((cell) => cellText(cell) === '');
}

export function sentence(lang: Lang, at: Location, column: string | null, value: string | null, reason: Bilingual): string {
  if (lang === 'zh') {
    const where = `「${at.sheet}」第 ${at.row} 行${column ? `「${column}」` : ''}`;
    return `${where}：${value !== null && value !== '' ? `${value} ` : ''}${reason.zh}`;
  }
  const where = `Sheet "${at.sheet}", row ${at.row}${column ? `, column "${column}"` : ''}`;
  return `${where}: ${value !== null && value !== '' ? `${value} ` : ''}${reason.en}`;
}

export function issueAt(lang: Lang, path: string, at: Location, column: string | null, value: string | null, reason: Bilingual): SheetIssue {
  return { path, message: sentence(lang, at, column, value, reason), sheet: at.sheet, row: at.row, column, value };
}

// --- cell conversion -------------------------------------------------------------------------------------

const EXCEL_EPOCH_OFFSET = 25569; // serial of 1970-01-01 in Excel's 1900 date system

function isoOf(year: number, month: number, day: number): string | null {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isValidDate(text) ? text : null;
}

/** 2023-09-01, 2023/9/1, 2023.9.1, 2023年9月1日, an Excel date cell or serial (45170) → 2023-09-01; else null. */
export function toIsoDate(cell: CellValue): string | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') return fromSerial(cell);
  const text = cellText(cell).normalize('NFKC');
  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?Z?)?$/.exec(text);
  if (match) return isoOf(Number(match[1]), Number(match[2]), Number(match[3]));
  if (/^\d{1,7}(\.\d+)?$/.test(text)) return fromSerial(Number(text));
  return null;
}

function fromSerial(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 61 || serial > 2_958_465) return null; // Excel's fake 1900-02-29 lies below 61
  const date = new Date((Math.floor(serial) - EXCEL_EPOCH_OFFSET) * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** 15000, "15,000", "１５，０００", "¥15,000", "15000元", "30%" (share: 0.3) → a number; else null. */
export function toNumber(cell: CellValue, field: string): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  let text = cellText(cell).normalize('NFKC').replace(/\s/g, '');
  if (field === 'amountYuan') text = text.replace(/^[¥￥]/, '').replace(/元$/, '');
  if (field === 'year') {
    const span = /^(\d{4})(?:[-–—~至](\d{4}))?(?:学年)?$/.exec(text);
    if (span && (!span[2] || Number(span[2]) === Number(span[1]) + 1)) return Number(span[1]);
  }
  let percent = false;
  if (text.endsWith('%')) {
    percent = true;
    text = text.slice(0, -1);
  }
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return null;
  const number = Number(text);
  if (!Number.isFinite(number)) return null;
  return percent && field === 'share' ? number / 100 : number;
}

const REASONS = {
  date: { zh: '不是有效日期（应为 2023-09-01、2023/9/1 或 2023年9月1日）', en: 'is not a valid date (expected 2023-09-01, 2023/9/1 or 2023年9月1日)' },
  number: { zh: '不是数字', en: 'is not a number' },
  required: { zh: '必须填写', en: 'must be filled in' },
};

function enumReason(column: Column): Bilingual {
  return { zh: `不是可选值（应为 ${column.options.map((o) => o.label.zh).join('、')} 之一）`, en: `is not one of the allowed values (${column.options.map((o) => o.label.en).join(', ')})` };
}

/** One cell → the field's value, or a reason it is not one. */
function convert(column: Column, cell: CellValue): { value: unknown } | { reason: Bilingual } {
  switch (column.type) {
    case 'date': {
      const date = toIsoDate(cell);
      return date ? { value: date } : { reason: REASONS.date };
    }
    case 'number': {
      const number = toNumber(cell, column.field);
      return number !== null ? { value: number } : { reason: REASONS.number };
    }
    case 'enum': {
      const value = enumValueOf(column, cellText(cell));
      return value ? { value } : { reason: enumReason(column) };
    }
    case 'boolean': {
      const value = enumValueOf(column, cellText(cell));
      return value ? { value: value === 'true' } : { reason: enumReason(column) };
    }
    case 'list':
      return {
        value: cellText(cell)
          .split(/[;；、]/)
          .map((item) => item.trim())
          .filter(Boolean),
      };
    default:
      return { value: typeof cell === 'number' ? String(cell) : cellText(cell) };
  }
}

// --- sheets ----------------------------------------------------------------------------------------------

interface Layout {
  /** one target for every row, or read per row from the entity / kind column */
  fixed: SheetTarget | null;
  entityColumn: number;
  kindColumn: number;
}

function targetOfEntityCell(entity: string, kind: string, registry: EvidenceRegistry): SheetTarget | 'record' | null {
  const key = norm(entity);
  if (['teacher', '教师'].includes(key)) return 'teacher';
  if (['record', '记录', '成果'].includes(key)) return targetOfName(kind, registry) ?? 'record';
  return null;
}

/**
 * Reads every sheet (a CSV's only sheet is named 'csv', which keeps the old paths) against the kinds of
 * `registry`: the active policy's, so a college's own kinds are read by their own headings and values.
 */
export function readSheets(sheets: Sheet[], lang: Lang, registry: EvidenceRegistry = builtinRegistry) {
  const teachers: Candidate[] = [];
  const records: Candidate[] = [];
  const issues: SheetIssue[] = [];
  for (const sheet of sheets) {
    if (NOTES_SHEETS.has(norm(sheet.name))) continue;
    const headerIndex = sheet.rows.findIndex((row) => !isBlank(row));
    if (headerIndex < 0) continue;
    const header = sheet.rows[headerIndex]!.map((cell) => cellText(cell));
    const at = (index: number): Location => ({ sheet: sheet.name, row: index + 1 });
    const pathOf = (index: number) => `${sheet.name === 'csv' ? 'csv' : sheet.name}[${index + 1}]`;
    const normHeader = header.map(norm);
    const layout: Layout = {
      fixed: targetOfName(sheet.name, registry),
      entityColumn: normHeader.findIndex((h) => ENTITY_HEADINGS.has(h)),
      kindColumn: normHeader.findIndex((h) => KIND_HEADINGS.has(h)),
    };
    if (layout.fixed === null && layout.entityColumn < 0 && layout.kindColumn < 0) {
      // No sheet name, entity or kind column: a teachers sheet if its headings are the teachers'.
      const known = header.filter((h) => h !== '' && !SKIP_HEADINGS.has(norm(h)));
      if (known.length > 0 && (known.every((h) => fieldOfHeading('teacher', h, registry) !== null) || known.some((h) => fieldOfHeading('teacher', h, registry) === 'name'))) layout.fixed = 'teacher';
      else {
        issues.push(
          issueAt(lang, `${pathOf(headerIndex)}`, at(headerIndex), null, null, {
            zh: '无法判断这张表是教师名单还是成果记录：教师表需有「工号」「姓名」等列；成果表需以成果类型命名，或有「类型」列（如 技能竞赛）',
            en: 'cannot tell whether this sheet holds teachers or records: a teachers sheet has columns such as 工号 / staff id and 姓名 / name; a records sheet is named after its kind or has a 类型 / kind column',
          }),
        );
        continue;
      }
    }
    // Header check: every heading must be a column of some target this sheet may hold.
    const possible: SheetTarget[] = layout.fixed ? [layout.fixed] : layout.entityColumn >= 0 ? ['teacher', ...registry.kindIds] : [...registry.kindIds];
    header.forEach((heading, column) => {
      if (heading === '' || column === layout.entityColumn || column === layout.kindColumn || SKIP_HEADINGS.has(norm(heading))) return;
      if (!possible.some((target) => fieldOfHeading(target, heading, registry) !== null)) {
        issues.push(
          issueAt(lang, `${pathOf(headerIndex)}`, at(headerIndex), heading, null, {
            zh: `不是可识别的列名（可用：${describeHeadings(possible, 'zh', registry)}）`,
            en: `is not a known column heading (known: ${describeHeadings(possible, 'en', registry)})`,
          }),
        );
      }
    });
    for (let index = headerIndex + 1; index < sheet.rows.length; index++) {
      const row = sheet.rows[index]!;
      if (isBlank(row)) continue;
      const first = cellText(row.find((cell) => cellText(cell) !== ''));
      if (first.startsWith(EXAMPLE_MARK.zh) || first.startsWith(EXAMPLE_MARK.en)) continue;
      let target: SheetTarget | 'record' | null = layout.fixed;
      const kindCell = layout.kindColumn >= 0 ? cellText(row[layout.kindColumn]) : '';
      if (layout.entityColumn >= 0) {
        const entityCell = cellText(row[layout.entityColumn]);
        target = targetOfEntityCell(entityCell, kindCell, registry);
        if (target === null) {
          issues.push({
            ...issueAt(lang, `${pathOf(index)}.entity`, at(index), header[layout.entityColumn]!, entityCell, { zh: '应为 教师（teacher）或 成果（record）', en: 'must be teacher or record' }),
          });
          continue;
        }
      } else if (target === null) target = targetOfName(kindCell, registry) ?? 'record';
      if (target === 'record') {
        issues.push(
          issueAt(lang, `${pathOf(index)}.kind`, at(index), layout.kindColumn >= 0 ? header[layout.kindColumn]! : null, kindCell, {
            zh: `不是可识别的成果类型（如 ${['skill_competition', 'enterprise_practice', 'patent'].map((k) => targetLabel(k as RecordKind, 'zh', registry)).join('、')}）`,
            en: `is not a known record kind (e.g. ${['skill_competition', 'enterprise_practice', 'patent'].map((k) => targetLabel(k as RecordKind, 'en', registry)).join(', ')})`,
          }),
        );
        continue;
      }
      const candidate: Candidate = { path: pathOf(index), value: target === 'teacher' ? {} : { kind: target }, at: at(index), headings: {}, cells: {} };
      const columns = columnsOf(target, registry);
      let bad = false;
      header.forEach((heading, column) => {
        if (heading === '' || column === layout.entityColumn || column === layout.kindColumn || SKIP_HEADINGS.has(norm(heading))) return;
        const cell = row[column];
        const text = cellText(cell);
        const field = fieldOfHeading(target as SheetTarget, heading, registry);
        if (field === null) {
          if (text !== '' && layout.fixed === null && possible.some((t) => fieldOfHeading(t, heading, registry) !== null)) {
            bad = true;
            issues.push(issueAt(lang, `${candidate.path}.${heading}`, candidate.at, heading, text, { zh: `不适用于${targetLabel(target as SheetTarget, 'zh', registry)}（请留空）`, en: `does not apply to ${targetLabel(target as SheetTarget, 'en', registry)} (leave it empty)` }));
          }
          return;
        }
        candidate.headings[field] = heading;
        candidate.cells[field] = text;
        if (text === '') return;
        const definition = columns.find((c) => c.field === field)!;
        const converted = convert(definition, cell);
        if ('reason' in converted) {
          bad = true;
          issues.push(issueAt(lang, `${candidate.path}.${field}`, candidate.at, heading, text, converted.reason));
        } else candidate.value[field] = converted.value;
      });
      for (const definition of columns) {
        if (definition.required && candidate.value[definition.field] === undefined && candidate.cells[definition.field] === undefined) {
          bad = true;
          issues.push(issueAt(lang, `${candidate.path}.${definition.field}`, candidate.at, definition.heading[lang], null, { zh: '缺少此列（必填）', en: 'column missing (required)' }));
        } else if (definition.required && candidate.cells[definition.field] === '') {
          bad = true;
          issues.push(issueAt(lang, `${candidate.path}.${definition.field}`, candidate.at, candidate.headings[definition.field] ?? definition.heading[lang], null, REASONS.required));
        }
      }
      if (bad) continue;
      (target === 'teacher' ? teachers : records).push(candidate);
    }
  }
  return { teachers, records, issues };
}

function targetLabel(target: SheetTarget, lang: Lang, registry: EvidenceRegistry): string {
  return target === 'teacher' ? (lang === 'zh' ? '教师' : 'teachers') : kindLabel(target, registry)[lang];
}

function describeHeadings(targets: SheetTarget[], lang: Lang, registry: EvidenceRegistry): string {
  const names = new Set<string>();
  for (const target of targets) for (const column of columnsOf(target, registry)) names.add(column.heading[lang]);
  const list = [...names];
  return list.length > 24 ? `${list.slice(0, 24).join(lang === 'zh' ? '、' : ', ')} …` : list.join(lang === 'zh' ? '、' : ', ');
}

/** Data rows across sheets (not blank, not the header): what the row cap counts. */
export function countDataRows(sheets: Sheet[]): number {
  let count = 0;
  for (const sheet of sheets) {
    if (NOTES_SHEETS.has(norm(sheet.name))) continue;
    const headerIndex = sheet.rows.findIndex((row) => !isBlank(row));
    if (headerIndex < 0) continue;
    for (let index = headerIndex + 1; index < sheet.rows.length; index++) if (!isBlank(sheet.rows[index])) count++;
  }
  return count;
}

/** A zod issue on a converted row, said the way the sheet's reader says it. */
export function zodReason(issue: z.core.$ZodIssue): Bilingual {
  const i = issue as z.core.$ZodIssue & { minimum?: number | bigint; maximum?: number | bigint; origin?: string; inclusive?: boolean; expected?: string; input?: unknown };
  switch (i.code) {
    case 'too_big':
      if (i.origin === 'string') return { zh: `太长（最多 ${i.maximum} 个字）`, en: `is too long (at most ${i.maximum} characters)` };
      if (i.origin === 'array') return { zh: `项数太多（最多 ${i.maximum} 项）`, en: `has too many items (at most ${i.maximum})` };
      return { zh: `超出范围（最大 ${i.maximum}）`, en: `is too large (at most ${i.maximum})` };
    case 'too_small':
      if (i.origin === 'string') return REASONS.required;
      return i.inclusive === false ? { zh: `应大于 ${i.minimum}`, en: `must be greater than ${i.minimum}` } : { zh: `超出范围（最小 ${i.minimum}）`, en: `is too small (at least ${i.minimum})` };
    case 'invalid_type':
      if (i.expected === 'int') return { zh: '应为整数', en: 'must be a whole number' };
      return i.input === undefined ? REASONS.required : { zh: '格式不对', en: 'has the wrong format' };
    case 'not_multiple_of':
      return { zh: '应为整数', en: 'must be a whole number' };
    case 'custom':
      if (issue.message === 'before start') return { zh: '早于开始日期', en: 'is before the start date' };
      return { zh: issue.message, en: issue.message };
    default:
      return { zh: issue.message, en: issue.message };
  }
}
