/**
 * Evidence files: the accepted types and what their bytes must look like. Pure (no I/O): the route reads the
 * body, this decides whether the bytes are a whole PDF, JPEG or PNG of the declared type.
 */
export const EVIDENCE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/** Largest file, in bytes (10 MiB), and most live files per record. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_RECORD = 10;

export const EXTENSION: Record<EvidenceType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// The IEND chunk every PNG ends with: length 0, "IEND", its CRC.
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
const PDF_SIGNATURE = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PDF_EOF = [0x25, 0x25, 0x45, 0x4f, 0x46]; // %%EOF

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let index = 0; index < prefix.length; index++) if (bytes[at + index] !== prefix[index]) return false;
  return true;
}

/** The media type of `value` (a Content-Type header) without parameters, lower-case; '' when absent. */
export function mediaType(value: string | undefined): string {
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isEvidenceType(value: string): value is EvidenceType {
  return (EVIDENCE_TYPES as readonly string[]).includes(value);
}

/** The type the bytes' signature says, or null when they are none of PDF, JPEG, PNG. */
export function sniffType(bytes: Uint8Array): EvidenceType | null {
  if (startsWith(bytes, PDF_SIGNATURE)) return 'application/pdf';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

/** Last index of `needle` in `bytes` starting at or after `from`, or -1. */
function lastIndexOf(bytes: Uint8Array, needle: readonly number[], from: number): number {
  for (let at = bytes.length - needle.length; at >= Math.max(0, from); at--) if (startsWith(bytes, needle, at)) return at;
  return -1;
}

/**
 * Whether the file ends as its type requires, so a cut-off upload is refused rather than stored: a PDF has
 * `%%EOF` in its last 1,024 bytes (the spec's tolerance), a PNG ends with its IEND chunk, a JPEG with the EOI
 * marker FF D9 (trailing zero padding, written by some cameras, allowed).
 */
export function isComplete(type: EvidenceType, bytes: Uint8Array): boolean {
  switch (type) {
    case 'application/pdf':
      return lastIndexOf(bytes, PDF_EOF, bytes.length - 1024) > 0;
    case 'image/png':
      return bytes.length >= PNG_SIGNATURE.length + PNG_IEND.length && startsWith(bytes, PNG_IEND, bytes.length - PNG_IEND.length);
    case 'image/jpeg': {
      let end = bytes.length;
      while (end > 0 && bytes[end - 1] === 0x00) end--;
      return end >= 4 && bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9;
    }
  }
}

export async function sha256OfBytes(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** RFC 5987 `ext-value` characters: everything else is percent-encoded (encodeURIComponent leaves ' ( ) * !). */
const encode5987 = (text: string) => encodeURIComponent(text).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment` (or `inline`) with an ASCII fallback name and the real (e.g. Chinese) one as `filename*=UTF-8''…`. */
export function dispositionOf(kind: 'attachment' | 'inline', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return ascii === filename ? `${kind}; filename="${filename}"` : `${kind}; filename="${ascii}"; filename*=UTF-8''${encode5987(filename)}`;
}

/**
 * A stored file name from the uploader's: the last path segment, control characters and the characters
 * Windows forbids in names removed; null when nothing is left.
 */
export function cleanFileName(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? null : cleaned;
}
