import { checkQuestionBank, loadModulePackage, type QuizYaml, renderMarkdown } from '../../../src/features/content';
import { normalizeLessonHeadings } from '../../../src/features/content/lesson-headings';
import { modulePackageSpec, toFiles } from '../../helpers/module-package';

const L = (s: string) => ({ en: s, es: `${s} (es)`, fr: `${s} (fr)` });
type Q = QuizYaml['questions'][number];
const single = (id: string, prompt: string, right: string, wrong: string[]): Q => ({
  id,
  type: 'single',
  prompt: L(prompt),
  options: [{ id: 'a', text: L(right), correct: true }, ...wrong.map((w, i) => ({ id: `w${i}`, text: L(w), correct: false }))],
  explanation: L('Because.'),
});
const trueFalse = (id: string, prompt: string, answer: boolean): Q => ({
  id,
  type: 'truefalse',
  prompt: L(prompt),
  options: [
    { id: 'true', text: L('True'), correct: answer },
    { id: 'false', text: L('False'), correct: !answer },
  ],
  explanation: L('Because.'),
});
const bank = (questions: Q[]): QuizYaml => ({ passPercent: 70, questionsPerAttempt: 1, maxAttempts: 0, questions });

describe('lesson headings written the common way', () => {
  it('when a lesson starts with `# Its title` and uses # sections, then the title is dropped and headings move one level down', () => {
    const source = '# The Roadmap\n\nIntro.\n\n# Steps\n\nText.\n\n## Detail\n\nSection\n=======\n';
    const { source: out, changes } = normalizeLessonHeadings(source, 'The roadmap');
    expect(changes).toEqual({ titleDroppedAt: 1, shifted: 2, firstShiftedAt: 5 });
    expect(out.split('\n')).toHaveLength(source.split('\n').length); // line numbers still match the author's file
    const html = renderMarkdown(out, 'm');
    expect(html).not.toContain('<h1>');
    expect(html).toContain('<h2>Steps</h2>');
    expect(html).toContain('<h3>Detail</h3>');
    expect(html).toContain('<h2>Section</h2>');
    expect(html).not.toContain('The Roadmap');
  });

  it('when the leading # heading is not the title, then it is kept as a section heading', () => {
    const { source: out, changes } = normalizeLessonHeadings('# Background\n\nText.\n', 'The roadmap');
    expect(changes).toEqual({ shifted: 1, firstShiftedAt: 1 });
    expect(out).toBe('## Background\n\nText.\n');
  });

  it('when a lesson already starts at ##, then nothing changes', () => {
    const source = '## Objectives\n\n### More\n';
    expect(normalizeLessonHeadings(source, 'Objectives')).toEqual({ source, changes: { shifted: 0 } });
  });

  it('when a package uses # headings, then it is accepted with a warning per file naming the line', () => {
    const spec = modulePackageSpec({ lessonBody: (l, lng) => `# Lesson ${l} (${lng})\n\n# Part one\n\nText.\n` });
    const result = loadModulePackage(toFiles(spec));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const warnings = result.module.warnings.filter((w) => w.file.startsWith('lessons/'));
    expect(warnings.filter((w) => w.code === 'titleHeadingDropped')).toHaveLength(6);
    expect(warnings.find((w) => w.file === 'lessons/first-lesson.fr.md' && w.code === 'headingsShifted')).toMatchObject({ line: 3, params: { count: 1 } });
    expect(result.module.lessons[0]?.body.en).toBe('\n\n## Part one\n\nText.\n');
  });

  it('when a # heading sits where it cannot be rewritten (a list item), then the package is refused as before', () => {
    const spec = modulePackageSpec({ lessonBody: () => '## Fine\n\n- # Heading in a list\n' });
    const result = loadModulePackage(toFiles(spec));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.code)).toContain('headingLevel1');
  });
});

describe('the question-bank check for authors', () => {
  const fair = [
    single('q1', 'Your council wants to start: what first?', 'Brief the council', ['Write a VLR now', 'Hire a whole new team']),
    single('q2', 'A district lacks data: what helps?', 'Use local surveys', ['Wait for the census', 'Drop the target']),
    trueFalse('q3', 'A VLR is written by a city.', true),
    trueFalse('q4', 'A VSR is written by a city.', false),
  ];

  it('when a bank has similar options, distinct prompts and mixed true/false, then it gives no warning', () => {
    expect(checkQuestionBank(bank(fair))).toEqual([]);
  });

  it('when the right option is strictly the longest in more than 40 % of single-choice questions, then each language is warned', () => {
    const warnings = checkQuestionBank(
      bank([
        single('q1', 'One?', 'A much longer right answer', ['Short', 'Tiny']),
        single('q2', 'Two?', 'Another long right answer', ['No', 'Nope']),
        single('q3', 'Three?', 'Same', ['Size']),
      ]),
    );
    expect(warnings.map((w) => [w.code, w.params?.lng, w.params?.longest, w.params?.single])).toEqual([
      ['rightOptionLongest', 'en', 2, 3],
      ['rightOptionLongest', 'es', 2, 3],
      ['rightOptionLongest', 'fr', 2, 3],
    ]);
  });

  it('when two questions ask the same, or repeat an option, or every true/false statement is false, then each is named', () => {
    const warnings = checkQuestionBank(
      bank([
        single('q1', 'What is SDG 11 about?', 'Cities', ['Privatization', 'Oceans']),
        single('q2', 'What is  SDG 11 about? ', 'Towns', ['privatization', 'Forests']),
        trueFalse('q3', 'Statement one.', false),
        trueFalse('q4', 'Statement two.', false),
      ]),
    ).filter((w) => w.code === 'trueFalseAllFalse' || w.params?.lng === 'en');
    expect(warnings.map((w) => [w.code, w.params?.id, w.params?.other])).toEqual([
      ['promptRepeated', 'q2', 'q1'],
      ['optionRepeated', 'q2', 'q1'],
      ['trueFalseAllFalse', undefined, undefined],
    ]);
    expect(warnings[1]?.field).toBe('questions[1].options[1].text.en');
  });
});
