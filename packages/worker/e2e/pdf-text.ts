import { inflateSync } from 'node:zlib';

/**
 * Just enough PDF reading to check what Chromium printed (its PDFs come from Skia: plain objects, Flate
 * streams, text drawn glyph by glyph with `<hex> Tj`, each font with a ToUnicode CMap, and `/ActualText`
 * spans for glyphs the CMap cannot name). Not a general PDF parser: a test aid for Skia's output only.
 */
interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text))) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const at = body.indexOf('stream');
    let stream: Buffer | null = null;
    let dict = body;
    if (at >= 0 && /\/Length/.test(body.slice(0, at))) {
      dict = body.slice(0, at);
      const dataStart = start + at + 'stream'.length + (text[start + at + 6] === '\r' ? 2 : 1);
      const dataEnd = text.lastIndexOf('endstream', end);
      const raw = pdf.subarray(dataStart, dataEnd);
      stream = /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw;
    }
    out.set(Number(match[1]), { dict, stream });
    re.lastIndex = end;
  }
  return out;
}

interface CMap {
  bytes: number;
  map: Map<number, string>;
}
const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));

function parseCMap(source: string): CMap {
  const space = /begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(source);
  const map = new Map<number, string>();
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(pair[1]!, 16), utf16(pair[2]!));
  }
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const first = parseInt(range[1]!, 16);
      const last = parseInt(range[2]!, 16);
      const base = parseInt(range[3]!, 16);
      for (let code = first; code <= last; code++) map.set(code, String.fromCodePoint(base + code - first));
    }
  }
  return { bytes: space ? space[1]!.length / 2 : 1, map };
}

export interface PdfInfo {
  pages: number;
  /** Each page's text, in drawing order, without spaces between glyph runs. */
  texts: string[];
  /** The fonts' names (FontName of each descriptor, subset prefix stripped). */
  fonts: string[];
}

export function readPdf(pdf: Buffer): PdfInfo {
  const all = objects(pdf);
  const fonts = [...new Set([...all.values()].flatMap((o) => [...o.dict.matchAll(/\/FontName\s*\/(?:[A-Z]{6}\+)?([^\s/<>[\]()]+)/g)].map((m) => m[1]!)))];
  const cmapOf = new Map<number, CMap>();
  for (const [num, o] of all) {
    const ref = /\/ToUnicode\s+(\d+) 0 R/.exec(o.dict);
    const stream = ref ? all.get(Number(ref[1]))?.stream : null;
    if (stream) cmapOf.set(num, parseCMap(stream.toString('latin1')));
  }
  const texts: string[] = [];
  for (const o of all.values()) {
    if (!/\/Type\s*\/Page(?![a-z])/.test(o.dict)) continue;
    let resources = o.dict;
    const resRef = /\/Resources\s+(\d+) 0 R/.exec(o.dict);
    if (resRef) resources = all.get(Number(resRef[1]))?.dict ?? '';
    let fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
    const fontRef = /\/Font\s+(\d+) 0 R/.exec(resources);
    if (fontRef) fontDict = all.get(Number(fontRef[1]))?.dict ?? '';
    const fontsHere = new Map([...fontDict.matchAll(/\/([\w.+-]+)\s+(\d+) 0 R/g)].map((m) => [m[1]!, cmapOf.get(Number(m[2]))]));
    const contentRefs = /\/Contents\s*(?:\[([^\]]*)\]|(\d+) 0 R)/.exec(o.dict);
    const ids = contentRefs ? (contentRefs[1] ? [...contentRefs[1].matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1])) : [Number(contentRefs[2])]) : [];
    let out = '';
    for (const id of ids) {
      const content = all.get(id)?.stream?.toString('latin1') ?? '';
      let font: CMap | undefined;
      let actual: string | null = null;
      for (const token of content.matchAll(/\/([\w.+-]+)\s+[\d.]+\s+Tf|\/Span\s*<<\s*\/ActualText\s*<FEFF([0-9A-Fa-f]*)>\s*>>\s*BDC|EMC|<([0-9A-Fa-f]*)>\s*Tj|\[([^\]]*)\]\s*TJ/g)) {
        if (token[1] !== undefined) font = fontsHere.get(token[1]);
        else if (token[2] !== undefined) {
          actual = utf16(token[2]);
          out += actual;
        } else if (token[0] === 'EMC') actual = null;
        else if (actual === null && font) {
          const hexes = token[3] !== undefined ? [token[3]] : [...(token[4] ?? '').matchAll(/<([0-9A-Fa-f]*)>/g)].map((m) => m[1]!);
          for (const hex of hexes) for (let i = 0; i < hex.length; i += font.bytes * 2) out += font.map.get(parseInt(hex.slice(i, i + font.bytes * 2), 16)) ?? '';
        }
      }
    }
    texts.push(out);
  }
  return { pages: texts.length, texts, fonts };
}
