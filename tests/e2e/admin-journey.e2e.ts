import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writePackageZip } from '../../src/features/admin-content';
import { readPackageFolder } from '../../src/features/content';
import { modulesDir } from '../../src/platform/paths';
import { createUserWithCli, logIn } from './helpers/accounts';
import { accessibilityViolations, newContext, screenshot } from './helpers/browser';
import { useJourney } from './helpers/journey';

const zipPaths: Record<string, string> = {};
let brokenZipPath: string;

const journey = useJourney(async (p) => {
  createUserWithCli(p, 'admin', 'content-admin@example.org', 'Camille Admin', 'an admin passphrase long enough');
  // New editions of module 1: the package in modules/01-introduction with a new English title.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-zip-'));
  const files = readPackageFolder(path.join(modulesDir, '01-introduction'));
  const original = files.get('module.yaml')!.toString();
  for (const edition of ['2027', '2028']) {
    const yaml = original.replace('en: "Localizing the SDGs: introduction"', `en: "Localizing the SDGs: introduction (${edition} edition)"`);
    files.set('module.yaml', Buffer.from(yaml));
    zipPaths[edition] = path.join(dir, `introduction-${edition}.zip`);
    fs.writeFileSync(zipPaths[edition]!, await writePackageZip(files, new Date('2027-01-01T00:00:00Z')));
  }
  files.delete('lessons/the-roadmap.fr.md');
  brokenZipPath = path.join(dir, 'broken.zip');
  fs.writeFileSync(brokenZipPath, await writePackageZip(files, new Date('2027-01-01T00:00:00Z')));
});

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('an admin journey %s', (_label, javaScript) => {
  it('when an admin uploads a broken package, then every problem is listed; a good one becomes a draft they publish for learners', async () => {
    const { context, foreign } = await newContext(journey.browser, journey.platform.url, { javaScript });
    const page = await logIn(context, 'content-admin@example.org', 'an admin passphrase long enough');

    await page.goto('/admin/content');
    await page.setInputFiles('#package', brokenZipPath);
    await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/content"] button[type=submit]')]);
    expect(await page.locator('main').innerText()).toContain('lessons/the-roadmap.fr.md');
    await screenshot(page, `admin-upload-refused${javaScript ? '' : '-nojs'}`);
    if (javaScript) expect(await accessibilityViolations(page)).toEqual([]);

    const edition = javaScript ? '2027' : '2028';
    await page.setInputFiles('#package', zipPaths[edition]!);
    await Promise.all([page.waitForLoadState('load'), page.click('form[action="/admin/content"] button[type=submit]')]);
    expect(page.url()).toMatch(/\/admin\/content\/introduction\/versions?\/\d+/);
    expect(await page.locator('main').innerText()).toContain(`${edition} edition`);
    await screenshot(page, `admin-draft${javaScript ? '' : '-nojs'}`);
    if (javaScript) expect(await accessibilityViolations(page)).toEqual([]);
    await Promise.all([page.waitForLoadState('load'), page.click('main form[action$="/publish"] button[type=submit]')]);

    // learners see the new edition at once on this instance
    const learnerView = await (await newContext(journey.browser, journey.platform.url, { javaScript })).context.newPage();
    await learnerView.goto('/modules');
    expect(await learnerView.locator('main').innerText()).toContain(`Localizing the SDGs: introduction (${edition} edition)`);
    expect(foreign).toEqual([]);
    await context.close();
  });
});
