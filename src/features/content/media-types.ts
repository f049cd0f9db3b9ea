import { isUtf8 } from 'node:buffer';
import { svgProblem } from './svg-check';

/**
 * Media types we accept, recognised by their first bytes (never by the file name), so a renamed
 * executable or HTML page cannot pass as an image. SVG is text, so it is recognised by its name and
 * then accepted only as a plain drawing (see svg-check.ts).
 */
const SIGNATURES: { type: string; ext: string[]; test: (b: Buffer) => boolean }[] = [
  { type: 'image/png', ext: ['png'], test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', ext: ['jpg', 'jpeg'], test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', ext: ['gif'], test: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
  {
    type: 'image/webp',
    ext: ['webp'],
    test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  { type: 'application/pdf', ext: ['pdf'], test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
];

export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;

export type MediaRefusal = {
  error: string;
  code: 'mediaNotAccepted' | 'mediaWrongExtension' | 'mediaTooLarge' | 'mediaSvgUnsafe';
  params?: Record<string, string | number>;
};

/** The content type of a media file, or why it is refused (`error` in English, `code` for translated pages). */
export function sniffMedia(name: string, bytes: Buffer): { type: string } | MediaRefusal {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  if (ext === 'svg') return sniffSvg(bytes);
  const match = SIGNATURES.find((s) => s.test(bytes));
  if (!match) return { error: 'is not a PNG, JPEG, GIF, WebP or SVG image or a PDF (checked by content)', code: 'mediaNotAccepted' };
  if (!match.ext.includes(ext)) {
    return { error: `is a ${match.type} file but is named .${ext}`, code: 'mediaWrongExtension', params: { type: match.type, ext } };
  }
  if (bytes.length > MAX_MEDIA_BYTES) {
    const mb = MAX_MEDIA_BYTES / 1024 / 1024;
    return { error: `is larger than ${mb} MB`, code: 'mediaTooLarge', params: { mb } };
  }
  return { type: match.type };
}

function sniffSvg(bytes: Buffer): { type: string } | MediaRefusal {
  if (bytes.length > MAX_MEDIA_BYTES) return { error: `is larger than ${MAX_MEDIA_BYTES / 1024 / 1024} MB`, code: 'mediaTooLarge', params: { mb: MAX_MEDIA_BYTES / 1024 / 1024 } };
  if (!isUtf8(bytes)) return { error: 'is not a PNG, JPEG, GIF, WebP or SVG image or a PDF (checked by content)', code: 'mediaNotAccepted' };
  const problem = svgProblem(bytes.toString('utf8'));
  if (problem) return { error: `is an SVG that ${problem.message}`, code: 'mediaSvgUnsafe', params: { what: problem.what } };
  return { type: 'image/svg+xml' };
}
