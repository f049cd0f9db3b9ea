import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';

/*
 * The fonts a certificate prints with, all bundled from npm packages (SIL Open Font License), and
 * how a name is split between them. Noto Sans covers Latin with every diacritic (Vietnamese
 * included), Greek, Cyrillic and Devanagari; Noto Naskh covers Arabic; Noto Sans Hebrew covers Hebrew;
 * Noto Sans Hans covers Chinese and Japanese; Noto Sans KR covers Korean. Thai, Ethiopic, Khmer and
 * other scripts have no font yet. A character none of them has is never drawn as an empty box: it is printed as its
 * code point (U+AE40), and the certificate is flagged so the learner can be told.
 */

export type FontFamily = 'latin' | 'arabic' | 'hebrew' | 'cjk' | 'korean';
export type FontWeight = 'regular' | 'bold';
/** the name a font is registered under in a PDF document, e.g. `latin-bold` */
export type FontKey = `${FontFamily}-${FontWeight}`;

function packageFonts(pkg: string): string {
  // The packages export only their index; their fonts/ folder sits beside dist/.
  return path.join(path.dirname(require.resolve(pkg)), '..', 'fonts');
}

const FILES: Record<FontKey, () => string> = {
  'latin-regular': () => path.join(packageFonts('@embedpdf/fonts-latin'), 'NotoSans-Regular.ttf'),
  'latin-bold': () => path.join(packageFonts('@embedpdf/fonts-latin'), 'NotoSans-Bold.ttf'),
  'arabic-regular': () => path.join(packageFonts('@embedpdf/fonts-arabic'), 'NotoNaskhArabic-Regular.ttf'),
  'arabic-bold': () => path.join(packageFonts('@embedpdf/fonts-arabic'), 'NotoNaskhArabic-Bold.ttf'),
  'hebrew-regular': () => path.join(packageFonts('@embedpdf/fonts-hebrew'), 'NotoSansHebrew-Regular.ttf'),
  'hebrew-bold': () => path.join(packageFonts('@embedpdf/fonts-hebrew'), 'NotoSansHebrew-Bold.ttf'),
  // A Chinese or Korean name gets the same bold as a Latin one (the name line is bold).
  'cjk-regular': () => path.join(packageFonts('@embedpdf/fonts-sc'), 'NotoSansHans-Regular.otf'),
  'cjk-bold': () => path.join(packageFonts('@embedpdf/fonts-sc'), 'NotoSansHans-Bold.otf'),
  'korean-regular': () => path.join(packageFonts('@embedpdf/fonts-kr'), 'NotoSansKR-Regular.otf'),
  'korean-bold': () => path.join(packageFonts('@embedpdf/fonts-kr'), 'NotoSansKR-Bold.otf'),
};

/** In the order they are tried: the first font that has every character of a grapheme prints it. */
export const FAMILIES: readonly FontFamily[] = ['latin', 'arabic', 'hebrew', 'cjk', 'korean'];

const bytes = new Map<string, Buffer>();
const parsed = new Map<string, fontkit.Font>();

/** The font file's bytes, read once per process (the CJK font only when a name needs it). */
export function fontBytes(key: FontKey): Buffer {
  const file = FILES[key]();
  let data = bytes.get(file);
  if (!data) {
    data = fs.readFileSync(file);
    bytes.set(file, data);
  }
  return data;
}

function coverage(family: FontFamily): fontkit.Font {
  const file = FILES[`${family}-regular`]();
  let font = parsed.get(file);
  if (!font) {
    font = fontkit.create(fontBytes(`${family}-regular`)) as fontkit.Font;
    parsed.set(file, font);
  }
  return font;
}

/** Joiners and variation selectors shape their neighbours; a font need not have a glyph for them. */
function isFormatMark(cp: number): boolean {
  return cp === 0x200c || cp === 0x200d || cp === 0x034f || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

export function familyFor(grapheme: string): FontFamily | undefined {
  const points = [...grapheme].map((c) => c.codePointAt(0)!).filter((cp) => !isFormatMark(cp));
  return FAMILIES.find((family) => points.every((cp) => coverage(family).hasGlyphForCodePoint(cp)));
}

export type TextRun = { text: string; family: FontFamily; substituted: boolean };

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const RTL_STRONG = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;
const STRONG = /[\p{L}]/u;

function substitute(grapheme: string): string {
  return [...grapheme]
    .map((c) => c.codePointAt(0)!)
    .filter((cp) => !isFormatMark(cp))
    .map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`)
    .join(' ');
}

/**
 * Splits a text into runs that one font each can print. Spaces stay with the run before them, so
 * a name in Arabic is one run and is shaped as a whole. Runs come back in reading order for
 * left-to-right text; text that starts right-to-left has its runs reversed (a whole-run bidi, enough
 * for names; fontkit orders the glyphs inside a run).
 */
export function splitIntoRuns(input: string): TextRun[] {
  const runs: TextRun[] = [];
  for (const { segment } of graphemes.segment(input.normalize('NFC'))) {
    const last = runs[runs.length - 1];
    if (/^\s+$/u.test(segment)) {
      if (last) last.text += segment;
      else runs.push({ text: segment, family: 'latin', substituted: false });
      continue;
    }
    const family = familyFor(segment);
    const run: TextRun = family
      ? { text: segment, family, substituted: false }
      : { text: (last?.substituted && !/\s$/u.test(last.text) ? ' ' : '') + substitute(segment), family: 'latin', substituted: true };
    if (last && last.family === run.family && last.substituted === run.substituted) last.text += run.text;
    else runs.push(run);
  }
  const firstStrong = [...input].find((c) => STRONG.test(c));
  return firstStrong && RTL_STRONG.test(firstStrong) ? runs.reverse() : runs;
}

/** True when some character of `text` has no glyph in any bundled font (it prints as U+XXXX). */
export function needsSubstitution(text: string): boolean {
  return splitIntoRuns(text).some((r) => r.substituted);
}
