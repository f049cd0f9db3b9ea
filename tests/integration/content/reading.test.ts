import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { createContentService, LANGS, readPackageFolder } from '../../../src/features/content';
import { loadModulePackage } from '../../../src/features/content/package-loader';
import { buildApp, decoded } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { englishSentences, mainText } from '../../helpers/language';
import { modulePackageSpec, TINY_PNG, toFiles } from '../../helpers/module-package';
import { readerAgent } from '../../helpers/reader';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase('', { monitorCommands: true });
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

describe('the module list', () => {
  it('when a visitor opens /modules, then the three modules are listed in order with their lesson counts', async () => {
    const res = await supertest(buildApp(connection)).get('/modules?lng=es');
    expect(res.status).toBe(200);
    const text = mainText(res.text);
    const order = ['Localización de los ODS: introducción', 'Planificación territorial', 'Informes: exámenes nacionales'].map((t) =>
      text.indexOf(t),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('6 lecciones');
  });

  it('when a module page is opened, then it lists its lessons with reading times and a breadcrumb', async () => {
    const res = await supertest(buildApp(connection)).get('/modules/reporting?lng=fr');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/modules/reporting/lessons/first-vlrs"');
    expect(decoded(res.text)).toContain('Les premières RLV');
    expect(res.text).toMatch(/minutes de lecture/);
    expect(res.text).toMatch(/<nav class="breadcrumbs"/);
  });

  it('when a module does not exist, then a translated 404 is shown', async () => {
    const res = await supertest(buildApp(connection)).get('/modules/nope?lng=es');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Página no encontrada');
  });
});

describe('a lesson page', () => {
  it('when a lesson is opened, then it shows its title, position, reading time, previous and next', async () => {
    const agent = await readerAgent(connection);
    const res = await agent.get('/modules/introduction/lessons/the-roadmap');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>The Roadmap for Localizing the SDGs</h1>');
    expect(res.text).toContain('Lesson 3 of 6');
    expect(res.text).toMatch(/\d+ minutes read/);
    expect(res.text).toMatch(/rel="prev" href="\/modules\/introduction\/lessons\/what-localizing-means"/);
    expect(res.text).toMatch(/rel="next" href="\/modules\/introduction\/lessons\/awareness-and-advocacy"/);
    // internal lesson: links were rewritten to real pages
    expect(res.text).toContain('href="/modules/introduction/lessons/awareness-and-advocacy"');
    expect(res.text).not.toContain('lesson:');
  });

  it('when the language is switched on a lesson, then the switcher keeps the same lesson', async () => {
    const agent = await readerAgent(connection);
    const res = await agent.get('/modules/introduction/lessons/the-roadmap');
    const switchTargets = [...res.text.matchAll(/name="next" value="([^"]*the-roadmap[^"]*)"/g)].map((m) => m[1]);
    expect(switchTargets.length).toBeGreaterThan(0);
    // signed in, the switcher is a form that stores the choice and comes back to the same lesson
    const token = /name="_csrf" value="([^"]+)"/.exec(res.text)![1];
    const switched = await agent.post('/language').type('form').send({ language: 'es', next: switchTargets[0], _csrf: token });
    expect(switched.headers.location).toBe('/modules/introduction/lessons/the-roadmap');
    const es = await agent.get(switched.headers.location!);
    expect(es.text).toContain('<html lang="es">');
    expect(es.text).toContain('<h1>La Hoja de ruta para la localización de los ODS</h1>');
  });

  it('when a lesson does not exist, then 404', async () => {
    const agent = await readerAgent(connection);
    expect((await agent.get('/modules/introduction/lessons/nope')).status).toBe(404);
  });

  it('when a lesson page is served, then its HTML is well under 100 KB', async () => {
    const agent = await readerAgent(connection, 'fr');
    const res = await agent.get('/modules/territorial-planning/lessons/aligning-a-local-plan?lng=fr');
    expect(Buffer.byteLength(res.text)).toBeLessThan(40 * 1024);
  });

  it('when lessons are read after the first view, then no content query reaches the database', async () => {
    const agent = await readerAgent(connection, 'fr');
    await agent.get('/modules/introduction/lessons/from-mdgs-to-sdgs'); // warms the cache
    const commands: string[] = [];
    const listener = (e: { commandName: string; command: Record<string, unknown> }) => {
      const target = e.command[e.commandName];
      if (typeof target === 'string' && /^module_(versions|releases)$|^glossary/.test(target)) commands.push(`${e.commandName} ${target}`);
    };
    connection.getClient().on('commandStarted', listener);
    for (const lesson of ['from-mdgs-to-sdgs', 'what-localizing-means', 'the-roadmap']) {
      expect((await agent.get(`/modules/introduction/lessons/${lesson}?lng=fr`)).status).toBe(200);
    }
    connection.getClient().off('commandStarted', listener);
    expect(commands).toEqual([]);
  });
});

describe('Spanish and French lesson pages', () => {
  const pages = [
    ['introduction', ['from-mdgs-to-sdgs', 'what-localizing-means', 'the-roadmap', 'awareness-and-advocacy', 'implementation-and-monitoring', 'worksheet']],
    ['territorial-planning', ['localizing-and-planning', 'the-planning-cycle', 'sdg-principles', 'aligning-a-local-plan', 'indicators-and-monitoring', 'worksheet']],
    ['reporting', ['how-sdg-reporting-works', 'role-of-associations', 'vlrs-and-vsrs', 'first-vlrs', 'reporting-strategy', 'worksheet']],
  ] as const;
  const cases = pages.flatMap(([m, lessons]) => lessons.flatMap((l) => (['es', 'fr'] as const).map((lng) => [m, l, lng] as const)));

  it.each(cases)('when /modules/%s/lessons/%s is read in %s, then it has no English sentence', async (m, l, lng) => {
    const agent = await readerAgent(connection, lng);
    const res = await agent.get(`/modules/${m}/lessons/${l}?lng=${lng}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<html lang="${lng}">`);
    expect(englishSentences(mainText(res.text))).toEqual([]);
  });

  it('when the check is given an English sentence, then it finds it (the check can fail)', () => {
    expect(englishSentences('La Agenda 2030. This is the plan for the city.')).toEqual(['This is the plan for the city.']);
  });
});

describe('the glossary', () => {
  it.each(LANGS)('when the glossary is opened in %s, then at least 25 terms are defined', async (lng) => {
    const res = await supertest(buildApp(connection)).get(`/glossary?lng=${lng}`);
    expect(res.status).toBe(200);
    expect((res.text.match(/<dt /g) ?? []).length).toBeGreaterThanOrEqual(25);
  });
});

describe('seeding and versions', () => {
  it('when the same course is seeded again, then no new version is created', async () => {
    const before = await connection.collection('module_versions').countDocuments();
    const report = await seedCourse(connection);
    expect(report.every((r) => !r.created)).toBe(true);
    expect(await connection.collection('module_versions').countDocuments()).toBe(before);
  });

  it('when a module changes, then the next version is stored and published and the old one kept', async () => {
    const content = createContentService({ connection });
    const result = loadModulePackage(readPackageFolder(`${__dirname}/../../../modules/01-introduction`));
    if (!result.ok) throw new Error('course invalid');
    const changed = { ...result.module, contentHash: 'changed', title: { ...result.module.title, en: 'Localizing the SDGs: introduction (revised)' } };
    const imported = await content.importModule(changed, { source: 'upload' });
    expect(imported).toMatchObject({ created: true, version: 2 });
    await content.publish('introduction', 2);
    const res = await supertest(buildApp(connection)).get('/modules/introduction');
    expect(res.text).toContain('(revised)');
    expect(await connection.collection('module_versions').countDocuments({ moduleId: 'introduction' })).toBe(2);
    await content.publish('introduction', 1); // roll back for the other tests
  });
});

describe('media', () => {
  it('when a lesson image is stored in GridFS, then it is served with its type, nosniff and a sandbox CSP', async () => {
    const content = createContentService({ connection });
    const spec = modulePackageSpec({ id: 'media-module', lessonBody: () => '## A\n\n![A map](media/map.png)\n' });
    const result = loadModulePackage(toFiles(spec, { 'media/map.png': TINY_PNG }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const { version } = await content.importModule(result.module, { source: 'upload' });
    await content.publish('media-module', version);
    const agent = await readerAgent(connection);
    const res = await agent.get('/modules/media-module/media/map.png').buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect(Buffer.compare(res.body as Buffer, TINY_PNG)).toBe(0);
    expect((await agent.get('/modules/media-module/media/other.png')).status).toBe(404);
    await connection.collection('module_releases').deleteOne({ _id: 'media-module' as never });
  });
});
