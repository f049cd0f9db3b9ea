import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { checkQuestionBank, LANGS, loadModulePackage, type PackageError, readPackageFolder } from '../../../src/features/content';
import type { ParsedModule } from '../../../src/features/content/package-loader';

const modulesDir = path.resolve(__dirname, '../../../modules');
const folders = fs
  .readdirSync(modulesDir)
  .filter((f) => fs.existsSync(path.join(modulesDir, f, 'module.yaml')))
  .sort();

function load(folder: string): ParsedModule {
  const result = loadModulePackage(readPackageFolder(path.join(modulesDir, folder)));
  if (!result.ok) throw new Error(result.errors.map((e: PackageError) => `${e.file}: ${e.message}`).join('\n'));
  return result.module;
}

describe('the course in modules/', () => {
  it('when listed, then it has exactly the three modules in order', () => {
    expect(folders).toEqual(['01-introduction', '02-territorial-planning', '03-reporting']);
    expect(folders.map((f) => load(f).id)).toEqual(['introduction', 'territorial-planning', 'reporting']);
    expect(folders.map((f) => load(f).order)).toEqual([1, 2, 3]);
  });

  describe.each(folders)('%s', (folder) => {
    const module = load(folder);

    it('when validated, then every text field has all three languages and none is empty', () => {
      // The loader's zod schema already refuses a missing or empty language; this checks it ran on all.
      for (const lng of LANGS) {
        expect(module.title[lng].trim()).not.toBe('');
        expect(module.summary[lng].trim()).not.toBe('');
        for (const lesson of module.lessons) expect(lesson.title[lng].trim()).not.toBe('');
      }
    });

    it('when counted, then it has 5 to 7 lessons and the last one is a worksheet', () => {
      expect(module.lessons.length).toBeGreaterThanOrEqual(5);
      expect(module.lessons.length).toBeLessThanOrEqual(7);
      expect(module.lessons.at(-1)?.id).toBe('worksheet');
    });

    it.each(LANGS)('when the lessons in %s are counted, then each has 600 to 1,200 words', (lng) => {
      const outside = module.lessons
        .filter((l) => l.words[lng] < 600 || l.words[lng] > 1200)
        .map((l) => `${l.id}: ${l.words[lng]} words`);
      expect(outside).toEqual([]);
    });

    it.each(LANGS)('when a lesson in %s is read, then it has objectives, a reflection exercise and sources', (lng) => {
      const headings: Record<string, RegExp[]> = {
        en: [/^## .*objectives/im, /^##+ .*(reflection|reflect)/im, /^## Sources/im],
        es: [/^## .*objetivos/im, /^##+ .*(reflexi)/im, /^## Fuentes/im],
        fr: [/^## .*objectifs/im, /^##+ .*(réflexion)/im, /^## Sources/im],
      };
      const missing = module.lessons.flatMap((l) =>
        (headings[lng] ?? []).filter((re) => !re.test(l.body[lng])).map((re) => `${l.id}: no heading matching ${re}`),
      );
      expect(missing).toEqual([]);
    });

    it('when the quiz is read, then it has at least 12 questions of all three types, passPercent 70 and 8–10 per attempt', () => {
      expect(module.quiz.passPercent).toBe(70);
      expect(module.quiz.questionsPerAttempt).toBeGreaterThanOrEqual(8);
      expect(module.quiz.questionsPerAttempt).toBeLessThanOrEqual(10);
      expect(module.quiz.questions.length).toBeGreaterThanOrEqual(12);
      expect(new Set(module.quiz.questions.map((q) => q.type))).toEqual(new Set(['single', 'multiple', 'truefalse']));
    });

    it('when each question is read, then it has a right answer, a wrong one and an explanation in every language', () => {
      for (const q of module.quiz.questions) {
        expect(q.options.some((o) => o.correct)).toBe(true);
        expect(q.options.some((o) => !o.correct)).toBe(true);
        for (const lng of LANGS) {
          expect(q.prompt[lng].trim().length).toBeGreaterThan(10);
          expect(q.explanation[lng].trim().length).toBeGreaterThan(10);
          for (const o of q.options) expect(o.text[lng].trim()).not.toBe('');
        }
      }
    });

    it('when the author check runs on it, then it gives no warning', () => {
      expect(module.warnings.map((w) => `${w.file} ${w.field ?? ''}: ${w.message}`)).toEqual([]);
    });

    it('when question ids are listed, then they are unique across the whole course', () => {
      const all = folders.flatMap((f) => load(f).quiz.questions.map((q) => q.id));
      expect(new Set(all).size).toBe(all.length);
    });
  });

  it('when all three banks are put together, then no prompt and no option is repeated across modules', () => {
    const banks = folders.map((f) => load(f).quiz);
    const joined = { ...banks[0]!, questions: banks.flatMap((b) => b.questions) };
    const repeated = checkQuestionBank(joined).filter((w) => w.code === 'promptRepeated' || w.code === 'optionRepeated');
    expect(repeated.map((w) => w.message)).toEqual([]);
  });

  it('when the glossary is read, then it has at least 25 terms, each in all three languages', () => {
    const glossary = parse(fs.readFileSync(path.join(modulesDir, 'glossary.yaml'), 'utf8')) as {
      terms: { id: string; term: Record<string, string>; definition: Record<string, string> }[];
    };
    expect(glossary.terms.length).toBeGreaterThanOrEqual(25);
    for (const t of glossary.terms) {
      for (const lng of LANGS) {
        expect(t.term[lng]?.trim()).toBeTruthy();
        expect(t.definition[lng]?.trim()).toBeTruthy();
      }
    }
  });
});
