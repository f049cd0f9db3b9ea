import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { createApp } from '../../../src/app';
import { createContentService, readPackageFolder } from '../../../src/features/content';
import { createHandbooks } from '../../../src/features/handbook';
import { createI18n } from '../../../src/platform/i18n';
import { loadModulePackage } from '../../../src/features/content/package-loader';
import { createLogger } from '../../../src/platform/logger';
import { modulesDir } from '../../../src/platform/paths';
import { buildApp, testConfig } from '../../helpers/build-app';
import { binary } from '../../helpers/certificates';
import { connectTestDatabase, seedCourse } from '../../helpers/database';

let connection: Connection;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'handbook-'));
const report: string[] = [];

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
});
afterAll(async () => {
  const dir = path.resolve(__dirname, '../../../test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'handbooks.txt'), `${report.join('\n')}\n`);
  await connection.close();
});

const FOLDERS = { introduction: '01-introduction', 'territorial-planning': '02-territorial-planning', reporting: '03-reporting' } as const;
const flat = (text: string) => text.replace(/\s+/g, ' ');

/** The words of a PDF as pdftotext reads them, from page `first` on, and its page count. */
function readPdf(pdf: Buffer, name: string, first = 1) {
  const file = path.join(tmp, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-f', String(first), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  return { text: flat(text), pages };
}

/** A sentence of the lesson's last paragraph, as plain words (Markdown marks removed). */
function lastWords(markdown: string): string {
  const paragraphs = markdown
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => /^[\p{L}]/u.test(p) && !p.includes('|') && !p.includes('](') && !p.includes('__'));
  const words = paragraphs[paragraphs.length - 1]!.replace(/[*_`]/g, '').split(/\s+/);
  return words.slice(0, 6).join(' ');
}

describe('the module handbook', () => {
  const cases = Object.entries(FOLDERS).flatMap(([moduleId, folder]) => (['en', 'es', 'fr'] as const).map((lng) => [moduleId, folder, lng] as const));

  it.each(cases)(
    'when the %s handbook (%s) is downloaded in %s, then it is a PDF with every lesson title in order and the end of its last lesson',
    async (moduleId, folder, lng) => {
      const res = await supertest(buildApp(connection)).get(`/modules/${moduleId}/handbook.pdf?lng=${lng}`).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const pdf = res.body as Buffer;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const files = readPackageFolder(path.join(modulesDir, folder));
      const parsed = loadModulePackage(files);
      if (!parsed.ok) throw new Error('the course does not load');
      // after the title and contents pages, every lesson title appears in reading order
      const { text, pages } = readPdf(pdf, `${moduleId}-${lng}`, 3);
      let at = 0;
      for (const lesson of parsed.module.lessons) {
        const found = text.indexOf(flat(lesson.title[lng]), at);
        expect({ title: lesson.title[lng], found: found >= 0 }).toEqual({ title: lesson.title[lng], found: true });
        at = found;
      }
      const last = parsed.module.lessons[parsed.module.lessons.length - 1]!;
      expect(text.indexOf(lastWords(last.body[lng]), at)).toBeGreaterThan(at);
      report.push(`${moduleId} ${lng}: ${pages} pages, ${(pdf.length / 1024).toFixed(0)} KB`);
      // stored once: a second download streams the same file and renders nothing
      const again = await supertest(buildApp(connection)).get(`/modules/${moduleId}/handbook.pdf?lng=${lng}`).buffer(true).parse(binary);
      expect(Buffer.compare(again.body as Buffer, pdf)).toBe(0);
      expect(await connection.collection('handbooks.files').countDocuments({ 'metadata.moduleId': moduleId, 'metadata.language': lng })).toBe(1);
    },
    60_000,
  );

  it('when a module page is opened after its handbook is stored, then it links the handbook with its size', async () => {
    await supertest(buildApp(connection)).get('/modules/reporting/handbook.pdf?lng=fr');
    const res = await supertest(buildApp(connection)).get('/modules/reporting?lng=fr');
    expect(res.text).toContain('href="/modules/reporting/handbook.pdf?lng=fr"');
    expect(res.text).toMatch(/PDF, \d+ Ko/);
  });

  it('when a new version is published, then the handbook shows it and the old version stays downloadable by its number', async () => {
    const app = createApp({ config: testConfig(), connection, logger: createLogger('silent'), contentRefreshMs: 0 });
    const first = await supertest(app).get('/modules/introduction/handbook.pdf?lng=es').buffer(true).parse(binary);
    const oldVersion = Number(/-v(\d+)\.pdf/.exec(first.headers['content-disposition']!)?.[1]);
    expect(readPdf(first.body as Buffer, 'before').text).toContain('La Hoja de ruta para la localización de los ODS');

    // an admin publishes a version whose third lesson has a new title
    const files = readPackageFolder(path.join(modulesDir, FOLDERS.introduction));
    const yaml = files.get('module.yaml')!.toString().replace('La Hoja de ruta para la localización de los ODS', 'La Hoja de ruta, edición revisada');
    files.set('module.yaml', Buffer.from(yaml));
    const parsed = loadModulePackage(files);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    // the instance that publishes renders the new handbooks at once, in the background
    const content = createContentService({ connection, refreshMs: 0 });
    const errors: unknown[] = [];
    createHandbooks({ connection, content, i18n: createI18n(), onError: (err) => errors.push(err) });
    const imported = await content.importModule(parsed.module, { source: 'upload' });
    await content.publish('introduction', imported.version);
    const stored = { 'metadata.moduleId': 'introduction', 'metadata.version': imported.version };
    for (let i = 0; i < 200 && (await connection.collection('handbooks.files').countDocuments(stored)) < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await connection.collection('handbooks.files').countDocuments(stored)).toBe(3);
    expect(errors).toEqual([]);

    const now = await supertest(app).get('/modules/introduction/handbook.pdf?lng=es').buffer(true).parse(binary);
    expect(now.headers['content-disposition']).toContain(`-v${imported.version}.pdf`);
    expect(readPdf(now.body as Buffer, 'after').text).toContain('La Hoja de ruta, edición revisada');
    const old = await supertest(app).get(`/modules/introduction/handbook.pdf?lng=es&version=${oldVersion}`).buffer(true).parse(binary);
    expect(old.status).toBe(200);
    expect(Buffer.compare(old.body as Buffer, first.body as Buffer)).toBe(0);
    expect(await connection.collection('handbooks.files').countDocuments({ 'metadata.moduleId': 'introduction', 'metadata.language': 'es' })).toBe(2);
    // a version that never was published, or a language the course does not have, has no handbook
    expect((await supertest(app).get('/modules/introduction/handbook.pdf?lng=xx')).status).toBe(404);
    expect((await supertest(app).get('/modules/introduction/handbook.pdf?lng=es&version=99')).status).toBe(404);
  });
});
