import type { Workbook, WorkbookWriter, Worksheet } from '@cj-tech-master/excelts';
import type { Lang } from '../i18n.js';
import { ApiError } from '../errors.js';
import { contentDisposition, neutralise } from '../csv.js';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
import type { CellValue, Sheet } from './read.js';
import { concatBytes } from '../bytes.js';

/**
 * .xlsx through @cj-tech-master/excelts (a maintained, dependency-free TypeScript descendant of exceljs whose
 * browser build runs in workerd): reading uploaded workbooks into rows, writing exports, the template and the
 * error workbook. See the README for why this library and its bundle cost.
 */

/**
 * The library is imported on first use (through `./excelts.ts`), not when this module loads: its browser build is
 * about 430 modules (6 MB of source) and most requests never read or write a workbook. In the deploy bundle esbuild
 * keeps it in the one file and only defers running its top level; under vitest (each test file fetches and evaluates
 * its whole module graph) it spares the test files that never touch a workbook those modules.
 */
let library: Promise<typeof import('./excelts.js')> | undefined;
function excelts(): Promise<typeof import('./excelts.js')> {
  library ??= import('./excelts.js').catch((error: unknown) => {
    library = undefined;
    throw error;
  });
  return library;
}

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

/**
 * Zip-bomb limits for an uploaded workbook, the ONE place they are set: what its entries may unpack to in
 * total, and how many entries it may have. A 20,000-row workbook unpacks to a few MB in a dozen entries.
 */
export const XLSX_UNPACK_LIMITS = { bytes: 50 * 1024 * 1024, entries: 2000 } as const;

function fileLabel(fileName: string | undefined, lang: Lang): string {
  if (fileName) return lang === 'zh' ? `「${fileName}」` : `"${fileName}"`;
  return lang === 'zh' ? '此 .xlsx 文件' : 'this .xlsx file';
}

function unpackTooLarge(fileName: string | undefined, lang: Lang, what: 'bytes' | 'entries', entry: string): ApiError {
  const file = fileLabel(fileName, lang);
  const mb = XLSX_UNPACK_LIMITS.bytes / (1024 * 1024);
  const detail =
    what === 'bytes'
      ? lang === 'zh'
        ? `${file}解压后超过 ${mb} MB（在其中的 ${entry} 处），不像是一份正常的 Excel 工作簿：请删去图片等无关内容或分成几个文件上传`
        : `${file} unpacks to more than ${mb} MB (at its entry ${entry}), which no ordinary workbook does: remove pictures and other content, or split it into several files`
      : lang === 'zh'
        ? `${file}包含超过 ${XLSX_UNPACK_LIMITS.entries} 个内部文件（在 ${entry} 处），不像是一份正常的 Excel 工作簿`
        : `${file} holds more than ${XLSX_UNPACK_LIMITS.entries} entries (at ${entry}), which no ordinary workbook does`;
  return new ApiError('content-too-large', detail, { file: fileName ?? null, limit: what === 'entries' ? { entries: XLSX_UNPACK_LIMITS.entries } : { unpackedBytes: XLSX_UNPACK_LIMITS.bytes }, entry });
}

/**
 * The workbook's entries, unpacked through the library's streaming reader (its entries inflate chunk by chunk),
 * counted as they come: the upload is
 * refused as soon as it passes a limit, before it can fill the Worker's memory. The library's one-shot
 * `load` would inflate every entry whole first.
 */
async function unpack(bytes: Uint8Array, fileName: string | undefined, lang: Lang): Promise<Record<string, Uint8Array>> {
  const { unzip } = await excelts();
  const files: Record<string, Uint8Array> = {};
  let entries = 0;
  let total = 0;
  const operation = unzip(new Blob([bytes]).stream()).operation();
  // Stop the reader BEFORE leaving its loop: left running, its cleanup waits for the rest of the archive to be read.
  const refuse = (what: 'bytes' | 'entries', path: string) => {
    operation.abort('refused');
    return unpackTooLarge(fileName, lang, what, path);
  };
  try {
    for await (const entry of operation.iterable) {
      entries += 1;
      if (entries > XLSX_UNPACK_LIMITS.entries) throw refuse('entries', entry.path);
      if (entry.type !== 'file') {
        entry.discard();
        continue;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      // Actual bytes are counted, not the sizes the headers declare (a bomb may lie about them).
      for await (const chunk of entry.stream()) {
        size += chunk.length;
        total += chunk.length;
        if (total > XLSX_UNPACK_LIMITS.bytes) throw refuse('bytes', entry.path);
        chunks.push(chunk);
      }
      files[entry.path] = concatBytes(chunks, size);
    }
  } catch (error) {
    operation.abort('failed');
    throw error;
  }
  return files;
}

/** An uploaded workbook's sheets as rows; `fileName` (when the upload gives one) names it in messages. */
export async function xlsxSheets(bytes: Uint8Array, lang: Lang, fileName?: string): Promise<Sheet[]> {
  const { Workbook } = await excelts();
  const workbook = new Workbook();
  try {
    await workbook.xlsx.loadFromFiles(await unpack(bytes, fileName, lang));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const file = fileLabel(fileName, lang);
    throw new ApiError('invalid-request', lang === 'zh' ? `无法读取${file}：它不是有效的 Excel 工作簿（请在 Excel 中另存为 .xlsx 后重试）` : `${file} could not be read: it is not a valid Excel workbook (save it again as .xlsx in Excel and retry)`);
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
  /** a title written above the header (bold, in the first row; the header then is the second row, both frozen) */
  title?: string;
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

type AnyWorksheet = Worksheet | ReturnType<WorkbookWriter['addWorksheet']>;

function addSheet(workbook: Workbook | WorkbookWriter, sheet: OutSheet, streaming = false): AnyWorksheet {
  const headerRow = sheet.title === undefined ? 1 : 2;
  const worksheet = workbook.addWorksheet(sheetName(sheet.name), {
    views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }],
    // Printed as a committee would: A4 landscape, every column on one page width, the header on every page.
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `1:${headerRow}` },
  });
  const width = (column: OutColumn) => column.width ?? Math.max(10, Math.min(40, column.header.length * 2 + 4));
  if (sheet.title === undefined) {
    worksheet.columns = sheet.columns.map((column) => ({ header: safe(column.header) as string, width: width(column), ...(column.numFmt ? { style: { numFmt: column.numFmt } } : {}) }));
  } else {
    // the title first, then the header as a row of its own
    worksheet.columns = sheet.columns.map((column) => ({ width: width(column), ...(column.numFmt ? { style: { numFmt: column.numFmt } } : {}) }));
    const title = worksheet.addRow([safe(sheet.title)]);
    title.font = { bold: true, size: 12 };
    if (streaming) title.commit();
    worksheet.addRow(sheet.columns.map((column) => safe(column.header)));
  }
  const header = worksheet.getRow(headerRow);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  sheet.columns.forEach((column, index) => {
    if (column.note) header.getCell(index + 1).note = column.note;
  });
  if (streaming) header.commit();
  sheet.rows.forEach((row, index) => {
    const added = worksheet.addRow(row.map(safe));
    if (sheet.exampleRows && index < sheet.exampleRows) added.font = { italic: true, color: { argb: 'FF808080' } };
    if (sheet.errorRows?.has(index)) added.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };
    // Streaming: the row is written to the sheet's XML and compressed now, and its cell objects dropped.
    if (streaming) added.commit();
  });
  sheet.columns.forEach((column, index) => {
    if (!column.list || column.list.length === 0) return;
    const letter = columnLetter(index + 1);
    // An inline list is limited to 255 characters; every enum of the policy fits.
    worksheet.dataValidations.add(`${letter}${headerRow + 1}:${letter}10000`, {
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

/**
 * An export (sheets with no cell notes, e.g. the committee listing): written row by row with the streaming
 * writer, so each row becomes XML and deflated bytes as it is added and no model of the whole workbook is kept.
 */
export async function writeWorkbookStreaming(sheets: OutSheet[]): Promise<Uint8Array> {
  const { WorkbookWriter } = await excelts();
  const workbook = new WorkbookWriter({ creator: 'Shizi 师资', useStyles: true, useSharedStrings: false });
  for (const sheet of sheets) (addSheet(workbook, sheet, true) as ReturnType<WorkbookWriter['addWorksheet']>).commit();
  await workbook.commit();
  const out = (workbook as unknown as { stream: { read(): Uint8Array | null } }).stream.read();
  return out ?? new Uint8Array();
}

export async function writeWorkbookModel(sheets: OutSheet[]): Promise<Uint8Array> {
  const { Workbook } = await excelts();
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

/** Any workbook: streamed when no sheet carries cell notes (the streaming writer writes none), else from the model. */
export function writeWorkbook(sheets: OutSheet[]): Promise<Uint8Array> {
  return sheets.some((sheet) => sheet.columns.some((column) => column.note)) ? writeWorkbookModel(sheets) : writeWorkbookStreaming(sheets);
}
