import type { Connection } from 'mongoose';
import { uploadPackage } from '../../helpers/admin-content';
import { csrfFrom, decoded } from '../../helpers/build-app';
import { connectTestDatabase } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { modulePackageSpec, toFiles } from '../../helpers/module-package';
import { zipOf } from '../../helpers/zip';

let connection: Connection;
let admin: SignedIn;

beforeAll(async () => {
  connection = await connectTestDatabase('_admin_markdown');
  admin = await signedInAgent(connection, { role: 'admin', name: 'Ada Admin' });
});
afterAll(async () => {
  await connection.close();
});

const h1s = (html: string) => html.match(/<h1[\s>]/g)?.length ?? 0;
const warningRows = (html: string) => [...html.matchAll(/<tr data-warning="([a-zA-Z]+)">([\s\S]*?)<\/tr>/g)].map((m) => [m[1], decoded(m[2]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim())]);

/** A package written as Markdown usually is elsewhere: `# Title`, then `#` and `##` sections. */
const ordinaryMarkdown = (lessonId: string, lng: string) =>
  `# Lesson ${lessonId} (${lng})\n\nAn opening paragraph.\n\n# What you will learn\n\nText in ${lng}.\n\n## A detail\n\nMore text.\n`;

describe('uploading lessons written in ordinary Markdown', () => {
  it('when lessons start with `# Title` and use # and ## headings, then the package is accepted, the warnings are listed and each lesson page has one h1', async () => {
    const zip = await zipOf(toFiles(modulePackageSpec({ id: 'ordinary-md', lessonBody: ordinaryMarkdown })));
    const res = await uploadPackage(admin.agent, zip, { name: 'ordinary.zip' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/content/ordinary-md/versions/1');
    const stored = await connection.collection('module_versions').findOne({ moduleId: 'ordinary-md' });
    expect(stored?.lessons[0].body.es).toBe('\n\nAn opening paragraph.\n\n## What you will learn\n\nText in es.\n\n### A detail\n\nMore text.\n');

    // the upload result: accepted, with every change listed by file and line, in the admin's language
    const page = await admin.agent.get(String(res.headers.location));
    expect(decoded(page.text)).toContain('The package was accepted and stored as version 1 of ordinary-md, a draft.');
    const rows = warningRows(page.text);
    expect(rows.filter(([code]) => code === 'titleHeadingDropped')).toHaveLength(6);
    expect(rows.filter(([code]) => code === 'headingsShifted')).toHaveLength(6);
    expect(rows).toContainEqual([
      'headingsShifted',
      'lessons/second-lesson.fr.md 5 The lesson used 1 level-1 heading (#); every heading was moved one level down so the page keeps a single main heading.',
    ]);

    // the preview lists them too, and a previewed lesson has a single h1: the lesson title
    const preview = await admin.agent.get('/admin/content/ordinary-md/versions/1/preview/en');
    expect(preview.text).toContain('data-warning="headingsShifted"');
    const draftLesson = await admin.agent.get('/admin/content/ordinary-md/versions/1/preview/en/lessons/first-lesson');
    expect(h1s(draftLesson.text)).toBe(1);

    // once published, the learner's lesson page has exactly one h1 and the sections below it
    const version = await admin.agent.get(String(res.headers.location));
    await admin.agent.post('/admin/content/ordinary-md/versions/1/publish').type('form').send({ _csrf: csrfFrom(version.text) });
    const lesson = await admin.agent.get('/modules/ordinary-md/lessons/first-lesson');
    expect(lesson.status).toBe(200);
    expect(h1s(lesson.text)).toBe(1);
    expect(lesson.text).toContain('<h1>Lesson first-lesson (en)</h1>');
    expect(lesson.text).toContain('<h2>What you will learn</h2>');
    expect(lesson.text).toContain('<h3>A detail</h3>');
  });

  it('when a package has nothing to warn about, then the version page says so', async () => {
    const spec = modulePackageSpec({ id: 'clean-md', questions: 1 });
    const res = await uploadPackage(admin.agent, await zipOf(toFiles(spec)));
    expect(res.status).toBe(303);
    const page = await admin.agent.get(String(res.headers.location));
    expect(page.text).toContain('data-warnings="none"');
    expect(decoded(page.text)).toContain('The author checks found nothing to warn about in this version.');
  });
});
