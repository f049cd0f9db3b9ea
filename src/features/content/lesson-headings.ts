import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false });

/** What was changed in a lesson so that its page keeps one h1 (the lesson title). */
export type HeadingChanges = { titleDroppedAt?: number; shifted: number; firstShiftedAt?: number };

const comparable = (s: string) =>
  s
    .normalize('NFC')
    .replace(/[*_`]/g, '')
    .replace(/[\s.:!?]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleLowerCase();

const ATX = /^((?:\s{0,3}>\s?)*\s{0,3})(#{1,6})(?=[ \t]|$)/;

/**
 * Lessons written elsewhere often start with `# Their title` and use `#` for sections. The page
 * already shows the lesson title as its only h1, so: a leading level-1 heading that repeats the
 * title is dropped, and if level-1 headings remain, every heading moves one level down (h6 stays
 * h6). Lines are blanked, never removed, so line numbers in later errors still match the author's
 * file. A heading this cannot rewrite (e.g. inside a list item) stays, and the loader reports it.
 */
export function normalizeLessonHeadings(source: string, title: string): { source: string; changes: HeadingChanges } {
  const changes: HeadingChanges = { shifted: 0 };
  const tokens = md.parse(source, {});
  const headings = tokens
    .map((t, i) => ({ t, inline: tokens[i + 1] }))
    .filter(({ t }) => t.type === 'heading_open' && t.map)
    .map(({ t, inline }) => ({ level: Number(t.tag.slice(1)), start: t.map![0], end: t.map![1], text: inline?.content ?? '' }));
  if (!headings.some((h) => h.level === 1)) return { source, changes };

  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(/\r?\n/);
  let rest = headings;
  const first = headings[0];
  const firstBlock = tokens.find((t) => t.map);
  if (first && first.level === 1 && firstBlock?.type === 'heading_open' && comparable(first.text) === comparable(title)) {
    for (let i = first.start; i < first.end; i++) lines[i] = '';
    changes.titleDroppedAt = first.start + 1;
    rest = headings.slice(1);
  }
  if (rest.some((h) => h.level === 1)) {
    for (const h of rest) {
      const next = Math.min(6, h.level + 1);
      const atx = ATX.exec(lines[h.start] ?? '');
      if (atx) {
        lines[h.start] = `${atx[1]}${'#'.repeat(next)}${(lines[h.start] ?? '').slice(atx[0].length)}`;
      } else if (h.end - h.start >= 2) {
        // a setext heading (text underlined with === or ---): write it as an ATX heading
        lines[h.start] = `${'#'.repeat(next)} ${h.text.replace(/\s*\n\s*/g, ' ')}`;
        for (let i = h.start + 1; i < h.end; i++) lines[i] = '';
      } else continue;
      if (h.level === 1) {
        changes.shifted++;
        changes.firstShiftedAt ??= h.start + 1;
      }
    }
  }
  return { source: lines.join(eol), changes };
}
