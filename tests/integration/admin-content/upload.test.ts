import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { DEFAULT_ZIP_LIMITS } from '../../../src/features/admin-content';
import { problemRows, stateOf, uploadPackage } from '../../helpers/admin-content';
import { decoded, testDataDir } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { modulePackageSpec, TINY_PNG, toFiles } from '../../helpers/module-package';
import { declareSize, renameEntry, zipOf } from '../../helpers/zip';

let connection: Connection;
let admin: SignedIn;

beforeAll(async () => {
  connection = await connectTestDatabase('_admin_upload');
  await seedCourse(connection);
  admin = await signedInAgent(connection, { role: 'admin', name: 'Ada Admin' });
});
afterAll(async () => {
  await connection.close();
});

const versions = (moduleId: string) => connection.collection('module_versions').find({ moduleId }).sort({ version: 1 }).toArray();

/** Uploads and expects a refusal that changed nothing in the database or on disk; returns the page. */
async function expectRefused(zip: Buffer, status: number, options: { agent?: SignedIn; name?: string } = {}) {
  const before = await stateOf(connection);
  const res = await uploadPackage((options.agent ?? admin).agent, zip, { name: options.name });
  expect(res.status).toBe(status);
  expect(await stateOf(connection)).toEqual(before);
  return res;
}

describe('a good package', () => {
  it('when an admin uploads a valid package, then it is stored as a draft with its media in GridFS, audited, and not published', async () => {
    const spec = modulePackageSpec({ id: 'water-module', lessonBody: (l, lng) => `## ${l}\n\n![A map of the basin](media/map.png)\n\nText in ${lng}.\n` });
    const zip = await zipOf(toFiles(spec, { 'media/map.png': TINY_PNG }));
    const res = await uploadPackage(admin.agent, zip, { name: 'water.zip' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/content/water-module/versions/1');

    const [stored] = await versions('water-module');
    expect(stored).toMatchObject({ version: 1, source: 'upload', createdBy: admin.userId });
    expect(stored?.lessons.map((l: { id: string }) => l.id)).toEqual(['first-lesson', 'second-lesson']);
    expect(stored?.sources.moduleYaml).toBe(toFiles(spec).get('module.yaml')!.toString());
    expect(await connection.collection('module_releases').findOne({ _id: 'water-module' as never })).toBeNull();
    const media = await connection.collection('media.files').findOne({ 'metadata.moduleId': 'water-module' });
    expect(media).toMatchObject({ filename: 'water-module/1/map.png', length: TINY_PNG.length });
    const audit = await connection.collection('audit_events').findOne({ action: 'content.uploaded' });
    expect(audit).toMatchObject({ actorEmail: admin.email, details: { module: 'water-module', version: '1' } });

    const page = decoded((await admin.agent.get(String(res.headers.location))).text);
    expect(page).toContain('The package was accepted and stored as version 1 of water-module, a draft.');
    expect(page).toContain('Draft: this module is not published yet, so learners do not see it.');
    expect(page).toContain('No version of this module is published yet: everything in this version is new.');
    const list = await admin.agent.get('/admin/content');
    expect(list.text).toMatch(/<tr data-version="1" data-status="draft">/);
    expect(decoded(list.text)).toContain('Not published: learners do not see this module.');
  });

  it('when the same package is uploaded again, then nothing new is stored and the admin is told which version it matches', async () => {
    const zip = await zipOf(toFiles(modulePackageSpec({ id: 'twice-module' })));
    await uploadPackage(admin.agent, zip);
    const before = await stateOf(connection);
    const res = await uploadPackage(admin.agent, zip);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/content/twice-module/versions/1');
    expect(await stateOf(connection)).toEqual(before);
    expect(decoded((await admin.agent.get(String(res.headers.location))).text)).toContain('the same content as version 1 of twice-module');
  });

  it('when the package was zipped as its folder, then it is read the same as one zipped from inside', async () => {
    const files = toFiles(modulePackageSpec({ id: 'folder-module' }));
    const nested = new Map([...files].map(([name, bytes]) => [`04-folder-module/${name}`, bytes]));
    nested.set('__MACOSX/04-folder-module/._module.yaml', Buffer.from('resource fork'));
    const res = await uploadPackage(admin.agent, await zipOf(nested));
    expect(res.status).toBe(303);
    expect(await versions('folder-module')).toHaveLength(1);
  });
});

describe('a broken package', () => {
  it('when a language is missing, then every missing text is listed with its file, line and field, and nothing changes', async () => {
    const spec = modulePackageSpec({ id: 'no-french' });
    delete (spec.moduleYaml.title as Partial<Record<string, string>>).fr;
    delete spec.lessonFiles['lessons/second-lesson.fr.md'];
    const res = await expectRefused(await zipOf(toFiles(spec)), 422, { name: 'no-french.zip' });
    const page = decoded(res.text);
    expect(page).toContain('The package “no-french.zip” was refused, and nothing was changed');
    expect(page).toContain('2 problems were found.');
    const rows = problemRows(res.text);
    expect(rows).toContainEqual(['module.yaml', expect.stringMatching(/^\d+$/), 'title.fr', 'This field is missing.']);
    expect(rows).toContainEqual(['lessons/second-lesson.fr.md', '', '', 'This file is missing: the lesson “second-lesson” needs a text in French.']);
  });

  it('when a question has no right answer, then quiz.yaml, the line and the field are named', async () => {
    const spec = modulePackageSpec({ id: 'no-answer' });
    spec.quizYaml.questions[1]!.options[0]!.correct = false;
    const res = await expectRefused(await zipOf(toFiles(spec)), 422);
    const [row] = problemRows(res.text);
    expect(row).toEqual([
      'quiz.yaml',
      expect.stringMatching(/^\d+$/),
      'questions[1].options',
      'This question has no right answer: mark at least one option with correct: true.',
    ]);
  });

  it('when a lesson file is not listed in module.yaml, then that file is refused as unknown', async () => {
    const files = toFiles(modulePackageSpec({ id: 'stray-lesson' }), { 'lessons/stray.en.md': '## Stray\n\nA lesson nobody listed.\n' });
    const res = await expectRefused(await zipOf(files), 422);
    expect(problemRows(res.text)).toEqual([['lessons/stray.en.md', '', '', 'This is a lesson file for “stray”, which module.yaml does not list.']]);
  });

  it('when YAML is malformed, then the error names the file and the line', async () => {
    const files = toFiles(modulePackageSpec({ id: 'bad-yaml' }));
    files.set('quiz.yaml', Buffer.from('passPercent: 70\nquestionsPerAttempt: 2\nquestions:\n  - id: q1\n    prompt: {en: "unclosed\n'));
    const res = await expectRefused(await zipOf(files), 422);
    const rows = problemRows(res.text);
    expect(rows[0]?.[0]).toBe('quiz.yaml');
    expect(Number(rows[0]?.[1])).toBeGreaterThanOrEqual(5);
    expect(rows[0]?.[3]).toMatch(/^This is not valid YAML: .+\.$/);
  });

  it('when the admin reads Spanish, then every problem is shown in Spanish', async () => {
    const spanish = await signedInAgent(connection, { role: 'admin', language: 'es' });
    const spec = modulePackageSpec({ id: 'en-espanol' });
    delete (spec.moduleYaml.summary as Partial<Record<string, string>>).es;
    spec.quizYaml.questions[0]!.options[0]!.correct = false;
    delete spec.lessonFiles['lessons/second-lesson.fr.md'];
    const files = toFiles(spec, { 'lessons/stray.en.md': '## Stray\n' });
    const res = await expectRefused(await zipOf(files), 422, { agent: spanish });
    const page = decoded(res.text);
    expect(page).toContain('<html lang="es">');
    expect(page).toContain('Se encontraron 4 problemas.');
    expect(problemRows(res.text).map((r) => r[3])).toEqual(
      expect.arrayContaining([
        'Falta este campo.',
        'Falta este archivo: la lección «second-lesson» necesita un texto en francés.',
        'Esta pregunta no tiene ninguna respuesta correcta: marque al menos una opción con correct: true.',
        'Es un archivo de la lección «stray», que no figura en module.yaml.',
      ]),
    );
  });

  it('when a media file is an HTML page named .png, then it is refused by its content', async () => {
    const spec = modulePackageSpec({ id: 'fake-image', lessonBody: () => '## A\n\n![Map](media/map.png)\n' });
    const files = toFiles(spec, { 'media/map.png': '<html><script>alert(1)</script></html>' });
    const res = await expectRefused(await zipOf(files), 422);
    expect(problemRows(res.text)).toContainEqual(['media/map.png', '', '', 'This file is not a PNG, JPEG, GIF, WebP or SVG image nor a PDF (checked by its content).']);
  });
});

describe('a dangerous upload', () => {
  it('when a zip holds paths that leave the package (zip slip), then it is refused and no file is written anywhere', async () => {
    const marker = `evil-${crypto.randomBytes(4).toString('hex')}.txt`;
    const files = toFiles(modulePackageSpec({ id: 'zip-slip' }), { [`xx/${marker}`]: 'owned', [`xxxxxxxxxx/${marker}`]: 'owned' });
    let zip = renameEntry(await zipOf(files), `xx/${marker}`, `../${marker}`);
    zip = renameEntry(zip, `xxxxxxxxxx/${marker}`, `/tmp/../../${marker}`);
    const res = await expectRefused(zip, 422);
    expect(problemRows(res.text)).toEqual([
      [`../${marker}`, '', '', 'This path leads outside the package (it is absolute or contains ..).'],
      [`/tmp/../../${marker}`, '', '', 'This path leads outside the package (it is absolute or contains ..).'],
    ]);
    for (const dir of [process.cwd(), testDataDir(), os.tmpdir(), path.dirname(process.cwd())]) {
      expect(fs.existsSync(path.join(dir, marker))).toBe(false);
    }
  });

  it('when a small zip declares a huge unpacked size (zip bomb), then it is refused before anything is inflated', async () => {
    const files = toFiles(modulePackageSpec({ id: 'declared-bomb' }), { 'media/huge.png': TINY_PNG });
    const zip = declareSize(await zipOf(files), 'media/huge.png', 1_000_000_000);
    expect(zip.length).toBeLessThan(10_000);
    const res = await expectRefused(zip, 422);
    expect(problemRows(res.text)).toEqual([
      ['media/huge.png', '', '', 'This file would unpack to more than 5 MB.'],
      ['module.zip', '', '', 'The zip file would unpack to more than 50 MB.'],
    ]);
  });

  it('when a zip lies about its sizes (50 MB of zeros declared as 1 kB), then inflating stops at the declared size', async () => {
    const files = toFiles(modulePackageSpec({ id: 'lying-bomb' }), { 'media/bomb.png': Buffer.alloc(50 * 1024 * 1024) });
    const zip = declareSize(await zipOf(files), 'media/bomb.png', 1024);
    expect(zip.length).toBeLessThan(200_000);
    const started = Date.now();
    const res = await expectRefused(zip, 422);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(problemRows(res.text)).toEqual([['media/bomb.png', '', '', 'This file unpacks to more or less data than the zip file declares.']]);
  });

  it('when many entries together declare more than the total limit, then the package is refused', async () => {
    const extra: Record<string, Buffer> = {};
    for (let i = 0; i < 12; i++) extra[`media/part-${String(i).padStart(2, '0')}.png`] = TINY_PNG;
    let zip = await zipOf(toFiles(modulePackageSpec({ id: 'many-parts' }), extra));
    for (const name of Object.keys(extra)) zip = declareSize(zip, name, 4.5 * 1024 * 1024);
    const res = await expectRefused(zip, 422);
    expect(problemRows(res.text)).toEqual([['module.zip', '', '', 'The zip file would unpack to more than 50 MB.']]);
  });

  it('when a file that is not a zip is named .zip, then it is refused by its content', async () => {
    const res = await expectRefused(Buffer.from('%PDF-1.4 not a zip at all'), 422, { name: 'course.zip' });
    expect(problemRows(res.text)).toEqual([['course.zip', '', '', 'This is not a zip file (checked by its content, not by its name).']]);
  });

  it('when a file starts like a zip but is damaged, then it is refused as unreadable', async () => {
    const zip = await zipOf(toFiles(modulePackageSpec({ id: 'truncated' })));
    const res = await expectRefused(zip.subarray(0, zip.length - 30), 422);
    expect(problemRows(res.text)).toEqual([['module.zip', '', '', 'This zip file is damaged or cannot be read.']]);
  });

  it('when the upload is larger than the limit, then it gets 413 with the limit named, and nothing changes', async () => {
    const big = Buffer.alloc(DEFAULT_ZIP_LIMITS.maxPackageBytes + 1, 1);
    big.write('PK\x03\x04', 0, 'latin1');
    const res = await expectRefused(big, 413);
    expect(decoded(res.text)).toContain('The file is larger than 25 MB, the most we accept.');
  });

  it('when the form is sent without a file, then it asks for one', async () => {
    const before = await stateOf(connection);
    const token = (await admin.csrf());
    const res = await admin.agent.post('/admin/content').field('_csrf', token);
    expect(res.status).toBe(400);
    expect(decoded(res.text)).toContain('Choose a .zip file to upload.');
    expect(await stateOf(connection)).toEqual(before);
  });
});

describe('who may upload', () => {
  it.each(['learner', 'trainer'] as const)('when a %s uploads a valid package, then 403 and nothing changes', async (role) => {
    const user = await signedInAgent(connection, { role });
    const zip = await zipOf(toFiles(modulePackageSpec({ id: `by-${role}` })));
    const token = await user.csrf();
    const before = await stateOf(connection);
    const res = await uploadPackage(user.agent, zip, { csrf: token });
    expect(res.status).toBe(403);
    expect(await stateOf(connection)).toEqual(before);
    expect((await user.agent.get('/admin/content')).status).toBe(403);
  });

  it('when an admin uploads without a CSRF token or with a wrong one, then 403 and nothing changes', async () => {
    const zip = await zipOf(toFiles(modulePackageSpec({ id: 'no-token' })));
    const before = await stateOf(connection);
    expect((await uploadPackage(admin.agent, zip, { csrf: null })).status).toBe(403);
    expect((await uploadPackage(admin.agent, zip, { csrf: 'not-the-token' })).status).toBe(403);
    expect(await stateOf(connection)).toEqual(before);
  });

  it('when an oversized upload comes without a CSRF token, then 403, not a page about its size', async () => {
    const big = Buffer.alloc(DEFAULT_ZIP_LIMITS.maxPackageBytes + 1, 1);
    expect((await uploadPackage(admin.agent, big, { csrf: null })).status).toBe(403);
  });

  it('when a multipart form is posted to another route, then the usual CSRF check still applies', async () => {
    const victim = await signedInAgent(connection);
    const res = await admin.agent.post(`/admin/users/${victim.userId}/deactivate`).field('note', 'x');
    expect(res.status).toBe(403);
  });
});
