import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { Types } from 'mongoose';
import { accountsServiceFor } from '../src/features/accounts';
import { createContentService } from '../src/features/content';
import { loadConfig } from '../src/config';
import { ensureIndexes } from '../src/bootstrap';
import { connectWithRetry, startLocalDatabase } from '../src/platform/database';
import { modulesDir } from '../src/platform/paths';
import { generateCohort } from './cohort-data';
import { benchServer } from './helpers';

async function main() {
  const local = await startLocalDatabase({ dataDir: '/tmp/screens-data', log: { info: () => {}, warn: () => {} } });
  const c = await connectWithRetry(local.uri, { dbName: 'sdglearn_screens', log: { warn: () => {} } });
  await c.dropDatabase();
  await ensureIndexes(c);
  const content = createContentService({ connection: c });
  await content.seedFromFolder(modulesDir);
  const accounts = accountsServiceFor(c, loadConfig({ NODE_ENV: 'test' }).passwordHashing);
  const password = 'screens password that is long enough';
  const lng = process.env.LNG ?? 'en';
  await accounts.createUser({ role: 'trainer', name: 'Teresa Trainer', email: 'trainer@screens.example.org', password, language: lng as 'en' });
  const server = await benchServer(c);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const ctx = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.fill('#email', 'trainer@screens.example.org');
  await page.fill('#password', password);
  await page.click('main button[type=submit]');
  await page.goto('/trainer/cohorts');
  await page.fill('#cohort-name', 'Cotopaxi — primavera 2025');
  await page.fill('#cohort-ends', '2026-06-30');
  await page.click('main form[action="/trainer/cohorts"] button[type=submit]');
  const cohortId = /cohorts\/([0-9a-f]{24})/.exec(page.url())![1]!;
  await generateCohort(c, { size: Number(process.env.SIZE ?? 120), cohortId, modules: await content.modules() });
  await c.collection('cohort_members').updateMany({}, { $set: { enrolledAt: new Date(Date.now() - 20 * 86400000) } });
  const shots: [string, string][] = [
    ['list', '/trainer/cohorts'],
    ['cohort', `/trainer/cohorts/${cohortId}`],
    ['manage', `/trainer/cohorts/${cohortId}/manage`],
    ['atrisk', `/trainer/cohorts/${cohortId}/at-risk`],
    ['questions', `/trainer/cohorts/${cohortId}/questions`],
  ];
  const someone = await c.collection('cohort_members').findOne({ cohortId });
  shots.push(['learner', `/trainer/cohorts/${cohortId}/learners/${someone!.userId}`]);
  shots.push(['join', `/cohorts/join?code=ABCD2345`]);
  for (const [name, url] of shots) {
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      const res = await page.goto(url);
      await page.screenshot({ path: `/tmp/screens/${name}-${lng}-${width}.png`, fullPage: false });
      const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      console.log(name, width, res?.status(), 'overflow', overflow, axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`));
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/trainer/cohorts/${cohortId}`);
  for (const sel of ['main h1', '.join-code', '.figures', 'section[aria-labelledby=funnel-heading]', 'section[aria-labelledby=scores-heading]', '.filter-form', 'table.matrix thead', 'table.matrix tbody tr:nth-child(-n+4)']) {
    const loc = page.locator(sel).first();
    await loc.screenshot({ path: `/tmp/screens/part-${sel.replace(/[^a-z]+/g, '_')}.png` });
  }
  await page.setViewportSize({ width: 360, height: 900 });
  await page.locator('section[aria-labelledby=funnel-heading]').screenshot({ path: '/tmp/screens/part-funnel-360.png' });
  // enrol result page
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/trainer/cohorts/${cohortId}/manage`);
  await page.fill('#enrol-emails', 'learner-1@bench.example.org\nnobody@example.org\nJust a name\nbad@@x');
  await page.click('form[action$="/enrol"] button[type=submit]');
  await page.screenshot({ path: `/tmp/screens/enrolled-${lng}.png`, fullPage: false });
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  console.log('enrol result', axe.violations.map((v) => v.id));
  await browser.close();
  await server.close();
  await c.dropDatabase();
  await c.close();
  await local.stop();
  void Types;
}
main().catch((e) => { console.error(e); process.exit(1); });
