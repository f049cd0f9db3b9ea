import type { Lang, Localized, ModuleVersionDoc } from '../content';

/** One text of a module, named so an author can find it: where it lives and which ids lead to it. */
export type TextPlace = {
  kind:
    | 'moduleTitle'
    | 'moduleSummary'
    | 'lessonTitle'
    | 'lessonBody'
    | 'questionPrompt'
    | 'optionText'
    | 'explanation'
    | 'worksheetTitle'
    | 'worksheetIntro'
    | 'stepTitle'
    | 'stepIntro'
    | 'fieldLabel'
    | 'fieldHint'
    | 'fieldExample'
    | 'fieldOption'
    | 'fieldColumn';
  file: string;
  lessonId?: string;
  questionId?: string;
  optionId?: string;
  stepId?: string;
  fieldId?: string;
  columnId?: string;
};

type Texts = Pick<ModuleVersionDoc, 'title' | 'summary' | 'lessons' | 'quiz' | 'worksheet'>;

export type LanguageReport = { lng: Lang; total: number; missing: TextPlace[]; sameAsEnglish: TextPlace[] };

function* textsOf(v: Texts): Generator<[TextPlace, Localized]> {
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
  yield* worksheetTextsOf(v.worksheet);
}

/** The worksheet's texts: its title and intro, each step's, and each field's label, hint, example, options and columns. */
function* worksheetTextsOf(w: Texts['worksheet']): Generator<[TextPlace, Localized]> {
  if (!w) return;
  const file = 'worksheet.yaml';
  yield [{ kind: 'worksheetTitle', file }, w.title];
  yield [{ kind: 'worksheetIntro', file }, w.intro];
  for (const s of w.steps) {
    yield [{ kind: 'stepTitle', file, stepId: s.id }, s.title];
    if (s.intro) yield [{ kind: 'stepIntro', file, stepId: s.id }, s.intro];
    for (const f of s.fields) {
      const at = { file, stepId: s.id, fieldId: f.id };
      yield [{ kind: 'fieldLabel', ...at }, f.label];
      if (f.hint) yield [{ kind: 'fieldHint', ...at }, f.hint];
      if (f.example) yield [{ kind: 'fieldExample', ...at }, f.example];
      for (const o of f.options ?? []) yield [{ kind: 'fieldOption', ...at, optionId: o.id }, o.label];
      for (const c of f.columns ?? []) yield [{ kind: 'fieldColumn', ...at, columnId: c.id }, c.label];
    }
  }
}

/**
 * How complete the Spanish and French texts are: which are missing and which are the same as the
 * English (often a text pasted and not yet translated; names and numbers may be the same on purpose).
 */
export function translationReport(v: Texts): LanguageReport[] {
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
