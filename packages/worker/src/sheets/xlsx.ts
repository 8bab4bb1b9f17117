import { Workbook, type Worksheet } from '@cj-tech-master/excelts';
import type { Lang } from '../i18n.js';
import { ApiError } from '../errors.js';
import { contentDisposition, neutralise } from '../csv.js';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
import type { CellValue, Sheet } from './read.js';

/**
 * .xlsx through @cj-tech-master/excelts (a maintained, dependency-free TypeScript descendant of exceljs whose
 * browser build runs in workerd): reading uploaded workbooks into rows, writing exports, the template and the
 * error workbook. See the README for why this library and its bundle cost.
 */

/** Rows of a sheet read from a workbook are capped here before conversion (the import cap is checked after). */
const MAX_SHEET_ROWS = 100_000;

function plain(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string; formula?: string };
    if (Array.isArray(v.richText)) return v.richText.map((part) => part.text).join('');
    if ('result' in v || 'formula' in v) return plain(v.result);
    if ('text' in v) return plain(v.text);
    if ('error' in v) return String(v.error);
  }
  return String(value);
}

export async function xlsxSheets(bytes: Uint8Array, lang: Lang): Promise<Sheet[]> {
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new ApiError('invalid-request', lang === 'zh' ? '无法读取此 .xlsx 文件：它不是有效的 Excel 工作簿（请在 Excel 中另存为 .xlsx 后重试）' : 'this .xlsx file could not be read: it is not a valid Excel workbook (save it again as .xlsx in Excel and retry)');
  }
  const sheets: Sheet[] = [];
  for (const worksheet of workbook.worksheets) {
    if (worksheet.rowCount > MAX_SHEET_ROWS) {
      throw new ApiError('content-too-large', lang === 'zh' ? `工作表「${worksheet.name}」有 ${worksheet.rowCount} 行，超出上限` : `sheet "${worksheet.name}" has ${worksheet.rowCount} rows, over the limit`);
    }
    const rows: CellValue[][] = [];
    worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values = row.values as unknown[];
      const cells: CellValue[] = [];
      for (let column = 1; column < values.length; column++) cells.push(plain(values[column]));
      rows[rowNumber - 1] = cells;
    });
    for (let index = 0; index < rows.length; index++) rows[index] ??= [];
    sheets.push({ name: worksheet.name, rows });
  }
  return sheets;
}

// --- writing ---------------------------------------------------------------------------------------------

export interface OutColumn {
  header: string;
  width?: number;
  /** Excel number format, e.g. '0.00' */
  numFmt?: string;
  /** drop-down list of allowed values (template) */
  list?: string[];
  /** a note shown on the header cell */
  note?: string;
}

export interface OutSheet {
  name: string;
  columns: OutColumn[];
  rows: (string | number | null | undefined)[][];
  /** styled as an example (grey italic) */
  exampleRows?: number;
  /** rows (0-based in `rows`) to mark as errors */
  errorRows?: Set<number>;
}

/** Text cells that would be read as formulas are neutralised (OWASP): a leading apostrophe, shown as text. */
function safe(value: string | number | null | undefined): string | number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? neutralise(value) : value;
}

const MAX_SHEET_NAME = 31;
export function sheetName(name: string): string {
  return name.replace(/[\\/?*[\]:]/g, ' ').slice(0, MAX_SHEET_NAME) || 'Sheet';
}

function addSheet(workbook: Workbook, sheet: OutSheet): Worksheet {
  const worksheet = workbook.addWorksheet(sheetName(sheet.name), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  worksheet.columns = sheet.columns.map((column) => ({ header: safe(column.header) as string, width: column.width ?? Math.max(10, Math.min(40, column.header.length * 2 + 4)), ...(column.numFmt ? { style: { numFmt: column.numFmt } } : {}) }));
  const header = worksheet.getRow(1);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  sheet.columns.forEach((column, index) => {
    if (column.note) header.getCell(index + 1).note = column.note;
  });
  sheet.rows.forEach((row, index) => {
    const added = worksheet.addRow(row.map(safe));
    if (sheet.exampleRows && index < sheet.exampleRows) added.font = { italic: true, color: { argb: 'FF808080' } };
    if (sheet.errorRows?.has(index)) added.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };
  });
  sheet.columns.forEach((column, index) => {
    if (!column.list || column.list.length === 0) return;
    const letter = columnLetter(index + 1);
    // An inline list is limited to 255 characters; every enum of the policy fits.
    worksheet.dataValidations.add(`${letter}2:${letter}10000`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${column.list.map((item) => item.replace(/"/g, '""')).join(',')}"`],
      showErrorMessage: true,
      errorStyle: 'warning',
    });
  });
  return worksheet;
}

export function columnLetter(n: number): string {
  let out = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) out = String.fromCharCode(65 + ((x - 1) % 26)) + out;
  return out;
}

export async function writeWorkbook(sheets: OutSheet[]): Promise<Uint8Array> {
  const workbook = new Workbook();
  workbook.creator = 'Shizi 师资';
  for (const sheet of sheets) addSheet(workbook, sheet);
  const buffer = await workbook.xlsx.writeBuffer();
  return buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer as unknown as ArrayBuffer);
}

/** An attachment answer; the file name is sent both ASCII-safe and as RFC 5987 UTF-8 (Chinese unit names). */
export function xlsxResponse(bytes: Uint8Array, filename: string, status = 200): Response {
  return new Response(bytes, {
    status,
    headers: { 'content-type': XLSX_MEDIA_TYPE, 'content-disposition': contentDisposition(filename) },
  });
}
