import type { Lang, Localized, ModuleVersionDoc } from '../content';

/** One text of a module, named so an author can find it: where it lives and which ids lead to it. */
export type TextPlace = {
  kind: 'moduleTitle' | 'moduleSummary' | 'lessonTitle' | 'lessonBody' | 'questionPrompt' | 'optionText' | 'explanation';
  file: string;
  lessonId?: string;
  questionId?: string;
  optionId?: string;
};

export type LanguageReport = { lng: Lang; total: number; missing: TextPlace[]; sameAsEnglish: TextPlace[] };

function* textsOf(v: Pick<ModuleVersionDoc, 'title' | 'summary' | 'lessons' | 'quiz'>): Generator<[TextPlace, Localized]> {
  yield [{ kind: 'moduleTitle', file: 'module.yaml' }, v.title];
  yield [{ kind: 'moduleSummary', file: 'module.yaml' }, v.summary];
  for (const l of v.lessons) {
    yield [{ kind: 'lessonTitle', file: 'module.yaml', lessonId: l.id }, l.title];
    yield [{ kind: 'lessonBody', file: `lessons/${l.id}.{{lng}}.md`, lessonId: l.id }, l.body];
  }
  for (const q of v.quiz.questions) {
    yield [{ kind: 'questionPrompt', file: 'quiz.yaml', questionId: q.id }, q.prompt];
    for (const o of q.options) yield [{ kind: 'optionText', file: 'quiz.yaml', questionId: q.id, optionId: o.id }, o.text];
    yield [{ kind: 'explanation', file: 'quiz.yaml', questionId: q.id }, q.explanation];
  }
}

/**
 * How complete the Spanish and French texts are: which are missing and which are the same as the
 * English (often a text pasted and not yet translated; names and numbers may be the same on purpose).
 */
export function translationReport(v: Pick<ModuleVersionDoc, 'title' | 'summary' | 'lessons' | 'quiz'>): LanguageReport[] {
  const reports: LanguageReport[] = (['es', 'fr'] as const).map((lng) => ({ lng, total: 0, missing: [], sameAsEnglish: [] }));
  for (const [place, text] of textsOf(v)) {
    const en = (text.en ?? '').trim();
    for (const report of reports) {
      const here = { ...place, file: place.file.replace('{{lng}}', report.lng) };
      const other = (text[report.lng] ?? '').trim();
      report.total++;
      if (!other) report.missing.push(here);
      else if (other === en) report.sameAsEnglish.push(here);
    }
  }
  return reports;
}
