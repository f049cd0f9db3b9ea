import fs from 'node:fs';
import path from 'node:path';

/* The status colours of site.css, read from the stylesheet itself: a change that drops below AA fails here. */
const css = fs.readFileSync(path.join(__dirname, '../../../public/css/site.css'), 'utf8');
const vars = new Map([...css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!.toLowerCase()]));

function luminance(hex: string) {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('status signals', () => {
  it.each([
    ['ok', 'ok-tint'],
    ['bad', 'bad-tint'],
    ['warn-ink', 'warn-tint'],
    ['ink', 'ok-tint'],
    ['ink', 'bad-tint'],
    ['ink', 'warn-tint'],
    ['brand', 'bad-tint'],
    ['muted', 'bad-tint'],
  ])('when %s text is on %s, then the contrast is at least 4.5:1', (fg, bg) => {
    expect(vars.get(fg)).toBeDefined();
    expect(vars.get(bg)).toBeDefined();
    expect(contrast(vars.get(fg)!, vars.get(bg)!)).toBeGreaterThanOrEqual(4.5);
  });

  it('when valid, revoked and replaced are styled, then each has its own colour', () => {
    const colourOf = (kind: string) => new RegExp(`\\.status-banner\\.${kind} \\{ border-color: var\\(--([\\w-]+)\\)`).exec(css)?.[1];
    const colours = ['valid', 'revoked', 'superseded'].map(colourOf);
    expect(colours).toEqual(['ok', 'bad', 'warn-ink']);
  });
});
