import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { createApp } from '../../../src/app';
import { readPackageZip } from '../../../src/features/admin-content';
import { loadModulePackage, type PackageFiles, readPackageFolder } from '../../../src/features/content';
import { createLogger } from '../../../src/platform/logger';
import { modulesDir } from '../../../src/platform/paths';
import { stateOf, uploadPackage } from '../../helpers/admin-content';
import { csrfFrom, decoded, testConfig } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { modulePackageSpec, TINY_PNG, toFiles } from '../../helpers/module-package';
import { zipOf } from '../../helpers/zip';

let connection: Connection;
let admin: SignedIn;
// One app for the admin and the learners, re-reading releases often, as several instances would.
let app: ReturnType<typeof createApp>;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

beforeAll(async () => {
  connection = await connectTestDatabase('_admin_versions');
  await seedCourse(connection);
  app = createApp({ config: testConfig(), connection, logger: createLogger('silent'), contentRefreshMs: 50 });
  admin = await signedInAgent(connection, { role: 'admin', name: 'Ada Admin', app });
});
afterAll(async () => {
  await connection.close();
});

const textOf = (html: string) => decoded(html.replace(/<[^>]+>/g, ''));
const release = (moduleId: string) => connection.collection('module_releases').findOne({ _id: moduleId as never });

async function publish(agent: SignedIn, moduleId: string, version: number) {
  const page = await agent.agent.get(`/admin/content/${moduleId}/versions/${version}`);
  return agent.agent.post(`/admin/content/${moduleId}/versions/${version}/publish`).type('form').send({ _csrf: csrfFrom(page.text) });
}

/** Module 1 as in modules/, with `what-localizing-means` removed, `a-new-lesson` added and one text changed. */
function changedIntroduction(): PackageFiles {
  const files = readPackageFolder(`${modulesDir}/01-introduction`);
  const yaml = files.get('module.yaml')!.toString().replace(/ {2}- id: what-localizing-means[\s\S]*?(?= {2}- id: the-roadmap)/, '');
  files.set('module.yaml', Buffer.from(`${yaml}  - id: a-new-lesson\n    title: { en: "A new lesson", es: "Una lección nueva", fr: "Une nouvelle leçon" }\n`));
  for (const lng of ['en', 'es', 'fr']) {
    files.delete(`lessons/what-localizing-means.${lng}.md`);
    files.set(`lessons/a-new-lesson.${lng}.md`, files.get(`lessons/the-roadmap.${lng}.md`)!);
  }
  files.set('lessons/the-roadmap.fr.md', Buffer.from(`${files.get('lessons/the-roadmap.fr.md')!.toString()}\nUne phrase de plus.\n`));
  return files;
}

describe('previewing a draft', () => {
  it('when an admin previews a draft in Spanish, then the module, quiz and lessons show as learners would see them, with media', async () => {
    const spec = modulePackageSpec({
      id: 'preview-module',
      lessonBody: (l, lng) => `## ${l} ${lng}\n\n![Mapa](media/map.png)\n\n[Guide](media/guide.pdf) and [next](lesson:second-lesson).\n`,
    });
    const res = await uploadPackage(admin.agent, await zipOf(toFiles(spec, { 'media/map.png': TINY_PNG, 'media/guide.pdf': PDF })));
    expect(res.status).toBe(303);

    const module = decoded((await admin.agent.get('/admin/content/preview-module/versions/1/preview/es')).text);
    expect(module).toContain('<div lang="es">');
    expect(module).toContain('<h1>Sample module (es)</h1>');
    expect(module).toContain('href="/admin/content/preview-module/versions/1/preview/es/lessons/first-lesson"');
    expect(module).toContain('Question 1? (es)');
    expect(module).toContain('Right answer (es)</span> <strong>(correct answer)</strong>');

    const lesson = await admin.agent.get('/admin/content/preview-module/versions/1/preview/es/lessons/first-lesson');
    expect(lesson.status).toBe(200);
    expect(lesson.text).toContain('<article class="lesson">');
    expect(lesson.text).toContain('<h2>first-lesson es</h2>');
    expect(lesson.text).toContain('src="/admin/content/preview-module/versions/1/media/map.png"');
    expect(lesson.text).toContain('href="/admin/content/preview-module/versions/1/preview/es/lessons/second-lesson"');
    expect(decoded(lesson.text)).toContain('Lección 1 de 2');

    const image = await admin.agent.get('/admin/content/preview-module/versions/1/media/map.png').buffer(true);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(image.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(image.headers['content-disposition']).toBeUndefined();
    expect(Buffer.compare(image.body as Buffer, TINY_PNG)).toBe(0);
    const pdf = await admin.agent.get('/admin/content/preview-module/versions/1/media/guide.pdf').buffer(true);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename=guide.pdf');
    expect(pdf.headers['content-security-policy']).toBe("default-src 'none'; sandbox");

    // learners see nothing of a draft
    const learner = await signedInAgent(connection, { app });
    expect((await learner.agent.get('/modules/preview-module')).status).toBe(404);
    expect((await learner.agent.get('/admin/content/preview-module/versions/1/media/map.png')).status).toBe(403);
  });

  it('when Spanish texts are the same as English, then the translation report lists each one', async () => {
    const spec = modulePackageSpec({ id: 'half-translated', lessonBody: (l, lng) => (lng === 'fr' ? `## ${l}\n\nTexte.\n` : `## ${l}\n\nText.\n`) });
    spec.moduleYaml.title.es = spec.moduleYaml.title.en;
    spec.quizYaml.questions[0]!.prompt.es = spec.quizYaml.questions[0]!.prompt.en;
    await uploadPackage(admin.agent, await zipOf(toFiles(spec)));
    const page = await admin.agent.get('/admin/content/half-translated/versions/1');
    const report = textOf(/<div data-report="es">[\s\S]*?<\/div>/.exec(page.text)![0]);
    expect(report).toContain('Spanish: 0 missing and 4 identical to English, out of 18 texts.');
    expect(report).toContain('Module title · module.yaml');
    expect(report).toContain('Text of the lesson “first-lesson” · lessons/first-lesson.es.md');
    expect(report).toContain('Question “q1” · quiz.yaml');
    expect(decoded(/<div data-report="fr">[\s\S]*?<\/div>/.exec(page.text)![0])).toContain('French: all 18 texts are translated.');
  });
});

describe('publishing, rolling back and the learners', () => {
  it('when a new version of module 1 is published while a learner is half-way, then their completed lessons that still exist are kept', async () => {
    const learner = await signedInAgent(connection, { app });
    for (const lessonId of ['from-mdgs-to-sdgs', 'what-localizing-means', 'the-roadmap']) {
      const page = await learner.agent.get(`/modules/introduction/lessons/${lessonId}`);
      await learner.agent.post(`/modules/introduction/lessons/${lessonId}/complete`).type('form').send({ _csrf: csrfFrom(page.text) });
    }
    expect((await learner.agent.get('/dashboard')).text).toMatch(/<progress id="progress-introduction" max="6" value="3">/);

    const upload = await uploadPackage(admin.agent, await zipOf(changedIntroduction()));
    expect(upload.headers.location).toBe('/admin/content/introduction/versions/2');
    const draft = (await admin.agent.get('/admin/content/introduction/versions/2')).text;
    const changes = (kind: string) => textOf(new RegExp(`<ul data-changes="${kind}">[\\s\\S]*?</ul>`).exec(draft)?.[0] ?? '');
    expect(textOf(draft)).toContain('Changes against the published version (1)');
    expect(changes('lessonsAdded')).toContain('A new lesson (a-new-lesson)');
    expect(changes('lessonsRemoved')).toContain('(what-localizing-means)');
    expect(changes('lessonsChanged')).toMatch(/\(the-roadmap\): text changed in French/);
    expect(draft).not.toContain('data-changes="questions');
    expect(textOf(draft)).toContain('Publish version 2');

    const before = await release('introduction');
    const res = await publish(admin, 'introduction', 2);
    expect(res.status).toBe(303);
    expect(await release('introduction')).toMatchObject({ publishedVersion: 2, publishedBy: admin.userId });
    expect((await release('introduction'))?.publishedAt).not.toEqual(before?.publishedAt);
    expect(await connection.collection('audit_events').findOne({ action: 'content.published' })).toMatchObject({
      actorEmail: admin.email,
      details: { module: 'introduction', version: '2', from: '1' },
    });
    await new Promise((r) => setTimeout(r, 100));

    const dashboard = await learner.agent.get('/dashboard');
    expect(dashboard.text).toMatch(/<progress id="progress-introduction" max="6" value="2">/);
    const modulePage = decoded((await learner.agent.get('/modules/introduction')).text);
    expect(modulePage).toContain('“From the MDGs to the 2030 Agenda”: completed on');
    expect(modulePage).toContain('“The Roadmap for Localizing the SDGs”: completed on');
    expect(modulePage).toContain('“A new lesson”: not completed yet');
    expect(await connection.collection('lesson_completions').countDocuments({ userId: learner.userId })).toBe(3);

    // rolling back is the same one write, and the learner's third lesson counts again
    const back = await publish(admin, 'introduction', 1);
    expect(back.status).toBe(303);
    expect(decoded((await admin.agent.get(String(back.headers.location))).text)).toContain('introduction is rolled back to version 1');
    expect(await release('introduction')).toMatchObject({ publishedVersion: 1 });
    expect(await connection.collection('audit_events').findOne({ action: 'content.rolledBack' })).toMatchObject({
      details: { module: 'introduction', version: '1', from: '2' },
    });
    await new Promise((r) => setTimeout(r, 100));
    expect((await learner.agent.get('/dashboard')).text).toMatch(/<progress id="progress-introduction" max="6" value="3">/);
    const list = await admin.agent.get('/admin/content');
    expect(list.text).toMatch(/data-module="introduction"[\s\S]*?<tr data-version="2" data-status="draft">[\s\S]*?<tr data-version="1" data-status="published">/);
  });

  it('when an older version is opened, then it offers a roll back; when the published one is published again, then nothing changes', async () => {
    const spec = modulePackageSpec({ id: 'two-versions' });
    await uploadPackage(admin.agent, await zipOf(toFiles(spec)));
    spec.moduleYaml.title.en = 'Sample module, revised (en)';
    await uploadPackage(admin.agent, await zipOf(toFiles(spec)));
    await publish(admin, 'two-versions', 2);
    expect(decoded((await admin.agent.get('/admin/content/two-versions/versions/1')).text)).toContain('Roll back to version 1');
    const before = await stateOf(connection);
    const res = await publish(admin, 'two-versions', 2);
    expect(res.status).toBe(303);
    expect(await stateOf(connection)).toEqual(before);
  });

  it('when publish is posted without a CSRF token, by a trainer, or for a version that does not exist, then it is refused and nothing changes', async () => {
    const trainer = await signedInAgent(connection, { role: 'trainer', app });
    const before = await stateOf(connection);
    expect((await admin.agent.post('/admin/content/introduction/versions/2/publish').type('form').send({})).status).toBe(403);
    const token = await trainer.csrf();
    expect((await trainer.agent.post('/admin/content/introduction/versions/2/publish').type('form').send({ _csrf: token })).status).toBe(403);
    expect((await publish(admin, 'introduction', 99)).status).toBe(404);
    expect(await stateOf(connection)).toEqual(before);
    for (const path of ['/admin/content/introduction/versions/1', '/admin/content/introduction/versions/1/preview/en', '/admin/content/introduction/versions/1/export.zip']) {
      expect((await trainer.agent.get(path)).status).toBe(403);
    }
    for (const path of ['/admin/content/introduction/versions/0', '/admin/content/INTRO/versions/1', '/admin/content/introduction/versions/1/preview/de']) {
      expect((await admin.agent.get(path)).status).toBe(404);
    }
    expect((await supertest(app).get('/admin/content')).headers.location).toBe('/login?next=%2Fadmin%2Fcontent');
  });
});

describe('exporting a version', () => {
  it('when a version is exported and uploaded again, then the files are the same bytes and no new version is stored', async () => {
    const spec = modulePackageSpec({ id: 'round-trip', lessonBody: (l, lng) => `## ${l}\n\n![Plan](media/plan.png) Café ${lng} — ñ, ç.\n` });
    // 1.3 MB: several GridFS chunks (255 KiB each) on the local database
    const big = Buffer.concat([TINY_PNG.subarray(0, 8), crypto.randomBytes(1_300_000)]);
    const files = toFiles(spec, { 'media/plan.png': TINY_PNG, 'media/big.png': big });
    await uploadPackage(admin.agent, await zipOf(files));
    const stored = await connection.collection('media.files').findOne({ filename: 'round-trip/1/big.png' });
    expect(await connection.collection('media.chunks').countDocuments({ files_id: stored?._id })).toBe(Math.ceil(big.length / (255 * 1024)));
    const served = await admin.agent.get('/admin/content/round-trip/versions/1/media/big.png').buffer(true);
    expect(Buffer.compare(served.body as Buffer, big)).toBe(0);
    const res = await admin.agent.get('/admin/content/round-trip/versions/1/export.zip').responseType('blob');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe('attachment; filename=round-trip-v1.zip');
    const exported = await readPackageZip(res.body as Buffer, 'round-trip-v1.zip');
    if (!exported.ok) throw new Error(JSON.stringify(exported.errors));
    expect([...exported.files.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [name, bytes] of files) expect([name, Buffer.compare(exported.files.get(name)!, bytes)]).toEqual([name, 0]);
    const again = await admin.agent.get('/admin/content/round-trip/versions/1/export.zip').responseType('blob');
    expect(Buffer.compare(again.body as Buffer, res.body as Buffer)).toBe(0);

    const before = await stateOf(connection);
    const reupload = await uploadPackage(admin.agent, res.body as Buffer, { name: 'round-trip-v1.zip' });
    expect(reupload.headers.location).toBe('/admin/content/round-trip/versions/1');
    expect(await stateOf(connection)).toEqual(before);
  });

  it('when a seeded module is exported, then it has the content hash of its folder in modules/', async () => {
    const res = await admin.agent.get('/admin/content/reporting/versions/1/export.zip').responseType('blob');
    expect(res.status).toBe(200);
    const exported = await readPackageZip(res.body as Buffer, 'reporting.zip');
    if (!exported.ok) throw new Error(JSON.stringify(exported.errors));
    const fromZip = loadModulePackage(exported.files);
    const fromFolder = loadModulePackage(readPackageFolder(`${modulesDir}/03-reporting`));
    if (!fromZip.ok || !fromFolder.ok) throw new Error('the course does not load');
    expect(fromZip.module.contentHash).toBe(fromFolder.module.contentHash);
  });
});
