/** RFC 4180 CSV: UTF-8 with BOM (so Excel keeps Chinese intact), CRLF line ends, quoting where needed. */

export type Cell = string | number | boolean | null | undefined;

/**
 * A text cell that a spreadsheet would read as a formula (OWASP CSV injection: it begins with = + - @, tab or
 * carriage return) gets a leading apostrophe, so Excel shows it as text. Numbers are left as they are.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? neutralise(value) : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': contentDisposition(filename),
    },
  });
}

/**
 * Parse RFC 4180 CSV (BOM tolerated, CRLF or LF). Returns rows of cells; empty lines are dropped, unless
 * `keepBlank` (then row i is the file's record i + 1, as Excel numbers rows).
 */
export function parseCsv(input: string, options: { keepBlank?: boolean } = {}): string[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          cell += '"';
          index += 2;
          continue;
        }
        quoted = false;
        index++;
        continue;
      }
      cell += char;
      index++;
      continue;
    }
    if (char === '"' && cell === '') {
      quoted = true;
      index++;
    } else if (char === ',') {
      row.push(cell);
      cell = '';
      index++;
    } else if (char === '\r' || char === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index += char === '\r' && text[index + 1] === '\n' ? 2 : 1;
    } else {
      cell += char;
      index++;
    }
  }
  if (quoted) throw new CsvError('unterminated quoted field');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return options.keepBlank ? rows : rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

export class CsvError extends Error {}

/** `attachment` with an ASCII fallback and the real (e.g. Chinese) name as RFC 5987 UTF-8. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return ascii === filename ? `attachment; filename="${filename}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
