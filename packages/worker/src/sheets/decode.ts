/**
 * CSV bytes → text, never garbled. Accepted: UTF-8 (with or without BOM) and GB18030 (which contains GBK and
 * GB2312: what Excel writes for "CSV (逗号分隔)" on Chinese Windows). Decoding goes through the platform's
 * WHATWG TextDecoder in `fatal` mode (workerd supports 'gb18030'; tested in test/sheets.decode.test.ts), so an
 * invalid byte sequence is an error, never a U+FFFD stored in D1.
 */

export type Encoding = 'utf-8' | 'gb18030';

export class EncodingError extends Error {
  constructor(
    /** what the bytes look like: 'utf-16le', 'utf-16be', a declared charset, or 'unknown' */
    readonly found: string,
  ) {
    super(`not UTF-8 nor GB18030/GBK (${found})`);
  }
}

const GBK_NAMES = new Set(['gbk', 'gb2312', 'gb18030', 'x-gbk', 'cp936', 'windows-936', 'euc-cn', 'csgb2312', 'chinese']);
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

/** The charset parameter of a Content-Type, lower-cased, or null. */
export function declaredCharset(contentType: string): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match ? match[1]!.toLowerCase() : null;
}

// Characters a decoded CSV must not contain: C0 controls other than tab/CR/LF, DEL, C1 controls, private use
// (GBK's user-defined areas decode there: a sign the bytes were some other encoding), noncharacters.
const IMPLAUSIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uE000-\uF8FF\uFFFD\uFFFE\uFFFF]/u;

export function decodeCsv(bytes: Uint8Array, charset: string | null = null): { text: string; encoding: Encoding } {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new EncodingError(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be');
  }
  if (charset && !GBK_NAMES.has(charset) && !UTF8_NAMES.has(charset) && charset !== 'us-ascii') throw new EncodingError(charset);
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (!hasBom && bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) throw new EncodingError(bytes[0] === 0 ? 'utf-16be' : 'utf-16le');
  const utf8 = tryDecode('utf-8', hasBom ? bytes.subarray(3) : bytes);
  if (utf8 !== null) {
    const bad = IMPLAUSIBLE.exec(utf8);
    if (!bad) return { text: utf8, encoding: 'utf-8' };
    throw new EncodingError(`UTF-8 text with control character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  if (hasBom) throw new EncodingError('invalid UTF-8 after a UTF-8 BOM');
  const gbk = tryDecode('gb18030', bytes);
  if (gbk !== null && !IMPLAUSIBLE.test(gbk)) return { text: gbk, encoding: 'gb18030' };
  throw new EncodingError(charset ?? 'unknown');
}

function tryDecode(encoding: Encoding, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
