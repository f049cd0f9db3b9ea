import fs from 'node:fs';
import path from 'node:path';

const localesDir = path.resolve(__dirname, '../../../locales');
const languages = ['en', 'es', 'fr'];

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

function load(lng: string): Map<string, string> {
  const all = new Map<string, string>();
  for (const file of fs.readdirSync(path.join(localesDir, lng)).filter((f) => f.endsWith('.json'))) {
    const tree = JSON.parse(fs.readFileSync(path.join(localesDir, lng, file), 'utf8')) as Tree;
    for (const [k, v] of flatten(tree)) all.set(`${file}:${k}`, v);
  }
  return all;
}

const variables = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

describe('locale files', () => {
  const en = load('en');

  it('when compared, then en has keys at all', () => {
    expect(en.size).toBeGreaterThan(10);
  });

  it.each(languages.filter((l) => l !== 'en'))('when %s is compared with en, then it has exactly the same keys', (lng) => {
    const other = load(lng);
    expect([...other.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it.each(languages.filter((l) => l !== 'en'))('when %s is compared with en, then every string has the same {{variables}}', (lng) => {
    const other = load(lng);
    const mismatches = [...en.entries()]
      .filter(([k, v]) => other.has(k) && variables(v).join() !== variables(other.get(k)!).join())
      .map(([k]) => k);
    expect(mismatches).toEqual([]);
  });

  it.each(languages)('when %s is read, then no string is empty', (lng) => {
    const empty = [...load(lng).entries()].filter(([, v]) => v.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });
});
