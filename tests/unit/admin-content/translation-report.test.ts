import { translationReport } from '../../../src/features/admin-content/translation-report';
import type { ModuleVersionDoc, WorksheetYaml } from '../../../src/features/content';

const L = (en: string, es = `${en} (es)`, fr = `${en} (fr)`) => ({ en, es, fr });

const worksheet: WorksheetYaml = {
  title: L('Plan'),
  intro: L('Intro'),
  steps: [
    {
      id: 'targets',
      title: L('Targets'),
      fields: [
        { id: 'sdgs', type: 'choice', label: L('SDGs'), options: [{ id: '6', label: L('Water', '') }, { id: '11', label: L('Cities') }] },
        { id: 'table', type: 'table', label: L('Table'), maxRows: 2, columns: [{ id: 'who', label: L('Who', 'Who') }] },
        { id: 'note', type: 'longtext', label: L('Note', 'Nota', ''), hint: L('Hint', ''), example: L('Example', 'Example') },
      ],
    },
  ],
};

const version = (w?: WorksheetYaml): Pick<ModuleVersionDoc, 'title' | 'summary' | 'lessons' | 'quiz' | 'worksheet'> => ({
  title: L('Module'),
  summary: L('Summary'),
  lessons: [],
  quiz: { passPercent: 70, questionsPerAttempt: 1, maxAttempts: 0, questions: [] },
  ...(w ? { worksheet: w } : {}),
});

describe('the translation report of a module with a worksheet', () => {
  it('when worksheet texts are missing or identical to English, then each is counted and named with worksheet.yaml and its ids', () => {
    const [es, fr] = translationReport(version(worksheet));
    // module title and summary, then the worksheet: title, intro, step title, 3 labels, 2 options, a column, a hint, an example
    expect(es!.total).toBe(2 + 11);
    expect(es!.missing).toEqual([
      { kind: 'fieldOption', file: 'worksheet.yaml', stepId: 'targets', fieldId: 'sdgs', optionId: '6' },
      { kind: 'fieldHint', file: 'worksheet.yaml', stepId: 'targets', fieldId: 'note' },
    ]);
    expect(es!.sameAsEnglish).toEqual([
      { kind: 'fieldColumn', file: 'worksheet.yaml', stepId: 'targets', fieldId: 'table', columnId: 'who' },
      { kind: 'fieldExample', file: 'worksheet.yaml', stepId: 'targets', fieldId: 'note' },
    ]);
    expect(fr!.missing).toEqual([{ kind: 'fieldLabel', file: 'worksheet.yaml', stepId: 'targets', fieldId: 'note' }]);
    expect(fr!.sameAsEnglish).toEqual([]);
  });

  it('when the module has no worksheet, then only the module texts are counted', () => {
    expect(translationReport(version()).map((r) => r.total)).toEqual([2, 2]);
  });
});
