import path from 'node:path';
import { LANGS, loadModulePackage, readPackageFolder } from '../../../src/features/content';
import { sniffMedia } from '../../../src/features/content/media-types';
import { svgProblem } from '../../../src/features/content/svg-check';
import { englishSentences } from '../../helpers/language';

const modulesDir = path.resolve(__dirname, '../../../modules');
const folders = ['01-introduction', '02-territorial-planning', '03-reporting'];
const textOf = (svg: string) => [...svg.matchAll(/<(?:text|title|desc)\b[^>]*>([^<]*)<\//g)].map((m) => m[1]!.replace(/&apos;|&#39;/g, "'").replace(/&amp;/g, '&'));

describe('the figures in the course', () => {
  it.each(folders)('when %s is loaded, then each language has at least one SVG figure with alt text and a caption, linked to open full size, in its own language', (folder) => {
    const result = loadModulePackage(readPackageFolder(path.join(modulesDir, folder)));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    for (const lng of LANGS) {
      const figures = result.module.lessons.flatMap((l) => [...l.body[lng].matchAll(/\[!\[([^\]]+)\]\(media\/([^)]+\.svg)\)\]\(media\/\2\)\n\n\*([^*]+)\*/g)]);
      expect(figures.length).toBeGreaterThanOrEqual(1);
      for (const [, alt, file, caption] of figures) {
        expect(file).toMatch(new RegExp(`\\.${lng}\\.svg$`));
        expect(alt!.length).toBeGreaterThan(80);
        expect(caption!.length).toBeGreaterThan(20);
        const media = result.module.media.find((m) => m.name === file);
        expect(media?.contentType).toBe('image/svg+xml');
        const svg = media!.bytes.toString('utf8');
        expect(svg).toContain(`lang="${lng}"`);
        expect(textOf(svg).length).toBeGreaterThan(8); // labels are <text>, not outlines
        if (lng !== 'en') expect(englishSentences(textOf(svg).join('. '))).toEqual([]);
      }
    }
  });
});

describe('SVG check', () => {
  const ok = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>T</title><text x="1" y="5">Hola &amp; adiós</text></svg>';

  it('when an SVG is a plain drawing with text, then it is accepted as image/svg+xml', () => {
    expect(svgProblem(ok)).toBeUndefined();
    expect(sniffMedia('figure.svg', Buffer.from(ok))).toEqual({ type: 'image/svg+xml' });
  });

  it.each([
    ['a script', '<svg xmlns="x"><script>alert(1)</script></svg>', '<script>'],
    ['an event handler', '<svg xmlns="x" onload="alert(1)"></svg>', 'onload'],
    ['foreign HTML', '<svg xmlns="x"><foreignObject><p>x</p></foreignObject></svg>', '<foreignObject>'],
    ['a link', '<svg xmlns="x"><a href="https://x"><text>x</text></a></svg>', '<a>'],
    ['an outside reference', '<svg xmlns="x"><rect fill="url(https://x/y)"/></svg>', 'url(https://x/y)'],
    ['a DOCTYPE with entities', '<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="x"></svg>', '<svg>'],
    ['a style sheet', '<svg xmlns="x"><style>*{}</style></svg>', '<style>'],
    ['malformed markup (unquoted attributes)', '<svg xmlns="x"><text>a</text><img src=x onerror=alert(1)></svg>', '<'],
  ])('when an SVG contains %s, then it is refused and the culprit is named', (_, source, what) => {
    expect(svgProblem(source)?.what).toBe(what);
    expect(sniffMedia('figure.svg', Buffer.from(source))).toMatchObject({ code: 'mediaSvgUnsafe', params: { what } });
  });

  it('when a binary file is named .svg, then it is refused', () => {
    expect(sniffMedia('x.svg', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]))).toMatchObject({ code: 'mediaNotAccepted' });
  });
});
