import { formatPackageError, loadModulePackage, type PackageError } from '../../../src/features/content';
import { renderMarkdown } from '../../../src/features/content/markdown';
import { modulePackageSpec, TINY_PNG, toFiles } from '../../helpers/module-package';

function errorsOf(files: ReturnType<typeof toFiles>): PackageError[] {
  const result = loadModulePackage(files);
  if (result.ok) throw new Error('expected the package to be refused');
  return result.errors;
}

describe('loadModulePackage', () => {
  it('when the package is valid, then it is parsed with lessons in order and a content hash', () => {
    const result = loadModulePackage(toFiles(modulePackageSpec()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.module.lessons.map((l) => l.id)).toEqual(['first-lesson', 'second-lesson']);
    expect(result.module.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when a title lacks French, then the error names module.yaml, the field and its line', () => {
    const spec = modulePackageSpec();
    delete (spec.moduleYaml.title as Partial<Record<string, string>>).fr;
    const errors = errorsOf(toFiles(spec));
    expect(errors).toContainEqual(expect.objectContaining({ file: 'module.yaml', field: 'title.fr', message: 'is missing' }));
    expect(errors.find((e) => e.field === 'title.fr')?.line).toBeGreaterThan(1);
  });

  it('when a lesson file for one language is missing, then that file is named', () => {
    const spec = modulePackageSpec();
    delete spec.lessonFiles['lessons/second-lesson.es.md'];
    expect(errorsOf(toFiles(spec)).map(formatPackageError)).toContainEqual(
      expect.stringMatching(/^lessons\/second-lesson\.es\.md: is missing/),
    );
  });

  it('when a question has an unknown type, then quiz.yaml, the field and the line are named', () => {
    const spec = modulePackageSpec();
    (spec.quizYaml.questions[1] as { type: string }).type = 'essay';
    const errors = errorsOf(toFiles(spec));
    const e = errors.find((x) => x.field === 'questions[1].type');
    expect(e).toMatchObject({ file: 'quiz.yaml', message: 'must be single, multiple or truefalse' });
    expect(e?.line).toBeGreaterThan(1);
  });

  it('when two lessons share an id, then the duplicate is named', () => {
    const spec = modulePackageSpec({ lessons: ['same', 'same'] });
    expect(errorsOf(toFiles(spec))).toContainEqual(
      expect.objectContaining({ file: 'module.yaml', field: 'lessons[1].id', message: 'duplicate lesson id "same"' }),
    );
  });

  it('when two questions share an id, then the duplicate is named', () => {
    const spec = modulePackageSpec();
    spec.quizYaml.questions[2]!.id = 'q1';
    expect(errorsOf(toFiles(spec))).toContainEqual(
      expect.objectContaining({ file: 'quiz.yaml', field: 'questions[2].id', message: 'duplicate question id "q1"' }),
    );
  });

  it('when a question has no right answer, then it is refused', () => {
    const spec = modulePackageSpec();
    spec.quizYaml.questions[0]!.options[0]!.correct = false;
    expect(errorsOf(toFiles(spec))).toContainEqual(
      expect.objectContaining({ file: 'quiz.yaml', field: 'questions[0].options', message: 'has no correct option' }),
    );
  });

  it('when YAML is malformed, then the error gives the file and the line', () => {
    const files = toFiles(modulePackageSpec());
    files.set('quiz.yaml', Buffer.from('passPercent: 70\nquestions:\n  - id: q1\n    prompt: {en: "unclosed\n'));
    const errors = errorsOf(files);
    expect(errors[0]).toMatchObject({ file: 'quiz.yaml' });
    expect(errors[0]?.message).toMatch(/^is not valid YAML/);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(4);
  });

  it('when a lesson file is not listed in module.yaml, then it is refused as unknown', () => {
    const files = toFiles(modulePackageSpec(), { 'lessons/stray.en.md': '## Stray' });
    expect(errorsOf(files)).toContainEqual(expect.objectContaining({ file: 'lessons/stray.en.md' }));
  });

  it('when a lesson links to a lesson that does not exist, then the line is named', () => {
    const spec = modulePackageSpec({ lessonBody: (l, lng) => `## ${l}\n\nSee [next](lesson:nowhere) in ${lng}.\n` });
    const e = errorsOf(toFiles(spec)).find((x) => /nowhere/.test(x.message));
    expect(e).toMatchObject({ line: 3 });
  });

  it('when an image has no alt text or its file is missing, then both are refused', () => {
    const spec = modulePackageSpec({ lessonBody: () => '## A\n\n![](media/map.png)\n\n![Map](media/none.png)\n' });
    const messages = errorsOf(toFiles(spec, { 'media/map.png': TINY_PNG })).map((e) => e.message);
    expect(messages).toContainEqual(expect.stringMatching(/no alt text/));
    expect(messages).toContainEqual(expect.stringMatching(/media\/none\.png/));
  });

  it('when a media file is not what its name says, then it is refused by content', () => {
    const files = toFiles(modulePackageSpec(), { 'media/photo.png': '<html><script>alert(1)</script></html>' });
    expect(errorsOf(files)).toContainEqual(expect.objectContaining({ file: 'media/photo.png' }));
  });
});

describe('renderMarkdown', () => {
  it('when a lesson contains raw HTML, then it is shown as text, never as markup', () => {
    const html = renderMarkdown('## Title\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>', 'm');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('when a lesson links to a lesson or media file, then the link points inside the module', () => {
    const html = renderMarkdown('[next](lesson:two) ![Map of the region](media/map.png)', 'intro');
    expect(html).toContain('href="/modules/intro/lessons/two"');
    expect(html).toContain('src="/modules/intro/media/map.png"');
    expect(html).toContain('alt="Map of the region"');
  });

  it('when a link uses javascript:, then it does not survive', () => {
    expect(renderMarkdown('[x](javascript:alert(1))', 'm')).not.toMatch(/href="javascript:/);
  });
});
