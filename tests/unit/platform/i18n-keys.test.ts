import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : ext.test(e.name) ? [p] : [];
  });
}

function hasKey(ns: string, key: string): boolean {
  const file = path.join(root, 'locales', 'en', `${ns}.json`);
  if (!fs.existsSync(file)) return false;
  let node: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const parts = key.split('.');
  const last = parts.pop()!;
  for (const p of parts) node = (node as Record<string, unknown> | undefined)?.[p];
  const leaf = node as Record<string, unknown> | undefined;
  return leaf !== undefined && (last in leaf || `${last}_one` in leaf || `${last}_other` in leaf);
}

describe('translation keys used in code and views', () => {
  it('when a literal key such as t("ns:a.b") is used (not a prefix joined to more), then it exists in the English locale', () => {
    const sources = [...files(path.join(root, 'src'), /\.ts$/), ...files(path.join(root, 'views'), /\.ejs$/)];
    const missing = new Set<string>();
    for (const file of sources) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/['"`]([a-z][\w-]*):([a-zA-Z][\w]*(?:\.[a-zA-Z][\w]*)*)['"`](?!\s*\+)/g)) {
        const [, ns, key] = m as unknown as [string, string, string];
        if (!fs.existsSync(path.join(root, 'locales', 'en', `${ns}.json`))) continue; // not an i18n key (e.g. a URL scheme)
        if (!hasKey(ns, key)) missing.add(`${path.relative(root, file)}: ${ns}:${key}`);
      }
    }
    expect([...missing]).toEqual([]);
  });
});
