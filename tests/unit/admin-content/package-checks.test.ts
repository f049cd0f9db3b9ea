import fs from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { readPackageZip, writePackageZip } from '../../../src/features/admin-content';
import { problemText } from '../../../src/features/admin-content/admin-content.controller';
import { UPLOAD_ERROR_CODES, fromPackageError } from '../../../src/features/admin-content/upload-problems';
import { versionChanges } from '../../../src/features/admin-content/version-diff';
import { loadModulePackage, PACKAGE_ERROR_CODES, PACKAGE_WARNING_CODES, type ModuleVersionDoc, type ParsedModule } from '../../../src/features/content';
import { createI18n } from '../../../src/platform/i18n';
import { modulePackageSpec, TINY_PNG, toFiles } from '../../helpers/module-package';
import { zipOf } from '../../helpers/zip';

const en = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../locales/en/admin-content.json'), 'utf8'));

async function zipWith(add: (zip: yazl.ZipFile) => void): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  add(zip);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function parsed(spec: ReturnType<typeof modulePackageSpec>, extra: Record<string, Buffer> = {}): ParsedModule {
  const result = loadModulePackage(toFiles(spec, extra));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.module;
}

const asVersion = (m: ParsedModule, version: number) =>
  ({ ...m, version, media: m.media.map((x) => ({ name: x.name, contentType: x.contentType, size: x.bytes.length })) }) as unknown as ModuleVersionDoc;

describe('problem codes', () => {
  it('when the codes are listed, then each has an English text (and so, by the locale test, Spanish and French ones)', () => {
    const missing = [...PACKAGE_ERROR_CODES, ...UPLOAD_ERROR_CODES].filter((code) => typeof en.problems[code] !== 'string');
    expect(missing).toEqual([]);
  });

  it('when the warning codes are listed, then each has an English text', () => {
    const missing = PACKAGE_WARNING_CODES.filter((code) => typeof (en.warnings[code] ?? en.warnings[`${code}_other`]) !== 'string');
    expect(missing).toEqual([]);
  });

  it('when a package is broken in many ways at once, then every error has a code and reads whole in French', () => {
    const spec = modulePackageSpec({ lessonBody: (l) => `# Title\n\n![](media/x.png) [a](http://x) [b](lesson:nope) ![c](https://x/y.png)\n${l}` });
    Object.assign(spec.moduleYaml, { id: 'Bad Id', order: 0, estimatedMinutes: 'x', extra: 1 });
    (spec.moduleYaml.title as Record<string, unknown>).de = 'x';
    spec.moduleYaml.summary.es = '';
    Object.assign(spec.quizYaml, { passPercent: 101, questionsPerAttempt: 1.5 });
    Object.assign(spec.quizYaml.questions[0]!, { type: 'essay' });
    Object.assign(spec.quizYaml.questions[1]!, { options: 'none' });
    spec.quizYaml.questions[2]!.options[1]!.correct = true;
    const files = toFiles(spec, {
      'media/ok.png': Buffer.from('not an image'),
      'media/photo.jpg': TINY_PNG,
      'media/bad name.png': TINY_PNG,
      'lessons/first-lesson.de.md': '## x',
      'notes.txt': 'x',
      'lessons/second-lesson.es.md': Buffer.from([0xff, 0xfe, 0x00]),
    });
    const result = loadModulePackage(files);
    if (result.ok) throw new Error('expected errors');
    expect(result.errors.length).toBeGreaterThan(15);
    expect(result.errors.filter((e) => !e.code || e.code === 'invalid')).toEqual([]);
    const t = createI18n().getFixedT('fr');
    for (const e of result.errors) {
      const text = problemText(t, fromPackageError(e));
      expect([e.code, text]).toEqual([e.code, expect.not.stringMatching(/\{\{|problems\.|undefined/)]);
    }
  });
});

describe('reading and writing zips', () => {
  it('when the same files are written twice, then the zips are the same bytes and read back the same', async () => {
    const files = toFiles(modulePackageSpec(), { 'media/map.png': TINY_PNG });
    const a = await writePackageZip(files, new Date('2024-01-02T03:04:05Z'));
    const b = await writePackageZip(new Map([...files].reverse()), new Date('2024-01-02T03:04:05Z'));
    expect(Buffer.compare(a, b)).toBe(0);
    const read = await readPackageZip(a, 'a.zip');
    expect(read.ok && [...read.files.keys()].sort()).toEqual([...files.keys()].sort());
  });

  it('when a zip holds a symbolic link, an entry twice or too many entries, then each is refused', async () => {
    const link = await zipWith((z) => z.addBuffer(Buffer.from('/etc/passwd'), 'media/map.png', { mode: 0o120777 }));
    expect(await readPackageZip(link, 'l.zip')).toMatchObject({ ok: false, errors: [{ file: 'media/map.png', code: 'zipSymlink' }] });
    const twice = await zipWith((z) => {
      z.addBuffer(Buffer.from('a'), 'module.yaml');
      z.addBuffer(Buffer.from('b'), 'module.yaml');
    });
    expect(await readPackageZip(twice, 't.zip')).toMatchObject({ ok: false, errors: [{ file: 'module.yaml', code: 'zipDuplicateEntry' }] });
    const many = await zipOf(toFiles(modulePackageSpec()));
    const limits = { maxPackageBytes: 1e6, maxEntries: 3, maxEntryBytes: 1e6, maxTotalBytes: 1e6 };
    expect(await readPackageZip(many, 'm.zip', limits)).toMatchObject({ ok: false, errors: [{ code: 'zipTooManyEntries', params: { count: 8, max: 3 } }] });
    expect(await readPackageZip(Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1'), 'e.zip')).toMatchObject({ ok: false, errors: [{ code: 'zipEmpty' }] });
  });
});

describe('versionChanges', () => {
  it('when questions are added, removed and changed, then each is named with what changed', () => {
    const before = modulePackageSpec({ questions: 3 });
    const after = modulePackageSpec({ questions: 3 });
    after.quizYaml.questions.splice(1, 1);
    after.quizYaml.questions.push({ ...after.quizYaml.questions[0]!, id: 'q9' });
    after.quizYaml.questions[0]!.explanation = { en: 'New', es: 'Nueva', fr: 'Nouvelle' };
    after.quizYaml.passPercent = 80;
    const changes = versionChanges(asVersion(parsed(after), 2), asVersion(parsed(before), 1));
    expect(changes).toMatchObject({
      against: 1,
      module: ['passPercent'],
      questions: { added: ['q9'], removed: ['q2'], changed: [{ id: 'q1', parts: ['explanation'] }] },
      lessons: { added: [], removed: [], changed: [], reordered: false },
      none: false,
    });
    expect(versionChanges(asVersion(parsed(before), 2), asVersion(parsed(before), 1)).none).toBe(true);
  });
  it('when a worksheet is added and the module starts requiring it, then both are named as module changes', () => {
    const spec = modulePackageSpec();
    const worksheet = Buffer.from(
      'title: { en: "Plan", es: "Plan", fr: "Plan" }\nintro: { en: "I", es: "I", fr: "I" }\nsteps:\n  - id: s\n    title: { en: "S", es: "S", fr: "S" }\n    fields:\n      - { id: note, type: longtext, label: { en: "N", es: "N", fr: "N" } }\n',
    );
    const required = { ...spec, moduleYaml: { ...spec.moduleYaml, completion: { worksheet: 'required' } } };
    const withSheet = asVersion(parsed(spec, { 'worksheet.yaml': worksheet }), 2);
    const requiring = asVersion(parsed(required, { 'worksheet.yaml': worksheet }), 3);
    expect(versionChanges(withSheet, asVersion(parsed(spec), 1)).module).toEqual(['worksheet']);
    expect(versionChanges(requiring, withSheet).module).toEqual(['completion']);
    expect(versionChanges(requiring, requiring).none).toBe(true);
  });
});
