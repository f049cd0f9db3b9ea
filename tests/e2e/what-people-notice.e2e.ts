/**
 * Issue #19, seen in the browser: the quiz review, the home page, progress at a glance, the verify
 * page's status, the attempt-limit page and the collapsed mobile header, in en/es/fr at 1280 and
 * 375 px, each checked with axe (WCAG 2.1 A and AA) and photographed into test-artifacts/.
 */
import fs from 'node:fs';
import { ObjectId } from 'mongodb';
import path from 'node:path';
import { accessibilityViolations, artifactsDir, horizontalOverflow, newContext, type Page } from './helpers/browser';
import { createUserWithCli, logIn, register } from './helpers/accounts';
import { answerQuiz } from './helpers/course';
import { platformDatabase } from './helpers/database';
import { useJourney } from './helpers/journey';

const LANGS = ['en', 'es', 'fr'] as const;
const WIDTHS = [1280, 375];
const ADMIN = { email: 'notice-admin@example.org', password: 'an admin passphrase long enough' };
const TRAINER = { email: 'notice-trainer@example.org', password: 'a trainer passphrase long enough' };

jest.setTimeout(300_000); // three languages, two widths and axe on each page, on a shared machine

const journey = useJourney(async (p) => {
  createUserWithCli(p, 'admin', ADMIN.email, 'Ada Admin', ADMIN.password);
  createUserWithCli(p, 'trainer', TRAINER.email, 'Tomás Trainer', TRAINER.password);
});

/** axe and sideways scrolling at both widths, and a full-page screenshot of each. */
async function checkAndShoot(page: Page, name: string): Promise<string[]> {
  const problems: string[] = [];
  fs.mkdirSync(artifactsDir, { recursive: true });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const v of await accessibilityViolations(page)) problems.push(`${name} @${width}: ${v}`);
    if ((await horizontalOverflow(page)) > 0) problems.push(`${name} @${width}: scrolls sideways`);
    await page.screenshot({ path: path.join(artifactsDir, `issue19-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return problems;
}

describe.each(LANGS)('what a learner notices, in %s', (lng) => {
  it('when a learner reads, takes the quiz with 3 wrong, and looks at the home page, then each page is clear and passes axe', async () => {
    const { context } = await newContext(journey.browser, journey.platform.url);
    const page = await register(context, { name: `Nora ${lng}`, email: `notice-${lng}@example.org`, password: 'a passphrase long enough', language: lng });
    const problems: string[] = [];
    for (const lesson of ['from-mdgs-to-sdgs', 'what-localizing-means']) {
      await page.goto(`/modules/introduction/lessons/${lesson}`);
      await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/complete"] button[type=submit]')]);
    }
    await page.goto('/modules/introduction/lessons/awareness-and-advocacy');

    await page.goto('/modules/introduction/quiz');
    await answerQuiz(page, 'introduction', lng, 7);
    await Promise.all([page.waitForURL(/\/quiz\/attempts\//), page.click('form.quiz button[type=submit]')]);
    expect(await page.locator('.review.wrong').count()).toBe(3);
    expect(await page.locator('.review.right details:not([open])').count()).toBe(7);
    expect(await page.locator('.missed-links a').count()).toBe(3);
    problems.push(...(await checkAndShoot(page, `quiz-review-${lng}`)));
    // the summary's link leads to the missed question
    await page.locator('.missed-links a').first().click();
    expect(new URL(page.url()).hash).toBe('#question-8');

    await page.goto('/dashboard');
    expect(await page.locator('[data-next-step]').getAttribute('href')).toBe('/modules/introduction/lessons/awareness-and-advocacy');
    problems.push(...(await checkAndShoot(page, `dashboard-${lng}`)));
    await page.goto('/modules/introduction');
    expect(await page.locator('.lesson-list li[data-done]').count()).toBe(2);
    problems.push(...(await checkAndShoot(page, `module-${lng}`)));
    await page.goto('/');
    expect(await page.locator('#course-progress-bar').count()).toBe(1);
    problems.push(...(await checkAndShoot(page, `home-learner-${lng}`)));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('when a visitor opens the home page, then it shows the course and passes axe', async () => {
    const { context, foreign } = await newContext(journey.browser, journey.platform.url);
    const page = await context.newPage();
    await page.goto(`/?lng=${lng}`);
    expect(await page.locator('.home-modules > li').count()).toBe(3);
    expect(await checkAndShoot(page, `home-visitor-${lng}`)).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });
});

describe('what a certificate holder and a trainer notice', () => {
  it('when a certificate is valid, then revoked, then the verify page says so unmistakably in each language', async () => {
    const { context } = await newContext(journey.browser, journey.platform.url);
    const learner = await register(context, { name: 'Vera Valid', email: 'notice-holder@example.org', password: 'a passphrase long enough', language: 'en' });
    const { db, close } = await platformDatabase(journey.platform);
    const user = await db.collection('users').findOne({ email: 'notice-holder@example.org' });
    const userId = String(user!._id);
    const modules = await db.collection('module_releases').find().toArray();
    const completedAt = new Date('2026-11-29T10:00:00Z');
    for (const m of modules) {
      await db.collection('module_completions').insertOne({ userId, moduleId: m._id, moduleVersion: m.publishedVersion, completedAt, lessonIds: [], passingAttemptId: new ObjectId() });
    }
    await db.collection('course_completions').insertOne({ userId, moduleIds: modules.map((m) => m._id), completedAt });
    await close();
    await learner.goto('/certificate');
    const code = (await learner.locator('[data-certificate-code]').innerText()).trim();
    const problems: string[] = [];
    const visitorContext = (await newContext(journey.browser, journey.platform.url)).context;
    const visitor = await visitorContext.newPage();
    for (const lng of LANGS) {
      await visitor.goto(`/verify/${code}?lng=${lng}`);
      expect(await visitor.locator('.status-banner.valid .icon-ok').count()).toBe(1);
      problems.push(...(await checkAndShoot(visitor, `verify-valid-${lng}`)));
    }
    const adminContext = (await newContext(journey.browser, journey.platform.url)).context;
    const admin = await logIn(adminContext, ADMIN.email, ADMIN.password);
    await admin.waitForURL((url) => !url.pathname.startsWith('/login'));
    await admin.goto(`/admin/certificates/${code}`);
    await admin.selectOption('#reason', 'issuedInError');
    await Promise.all([admin.waitForLoadState('load'), admin.click('form[action$="/revoke"] button[type=submit]')]);
    for (const lng of LANGS) {
      await visitor.goto(`/verify/${code}?lng=${lng}`);
      expect(await visitor.locator('.status-banner.revoked .icon-bad').count()).toBe(1);
      problems.push(...(await checkAndShoot(visitor, `verify-revoked-${lng}`)));
    }
    expect(problems).toEqual([]);
    await visitorContext.close();
    await adminContext.close();
    await context.close();
  });

  it('when a trainer opens a page on a 375 px phone without JavaScript, then the header is one short row and the menu opens from "Menu"', async () => {
    const { context } = await newContext(journey.browser, journey.platform.url, { javaScript: false, width: 375 });
    const page = await logIn(context, TRAINER.email, TRAINER.password);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('/trainer/cohorts');
    const closed = (await page.locator('.site-header').boundingBox())!.height;
    expect(closed).toBeLessThanOrEqual(110);
    expect(await page.locator('.nav-list a[href="/trainer/cohorts"]').isVisible()).toBe(false);
    await page.click('.nav-menu > summary');
    expect(await page.locator('.nav-list a[href="/trainer/cohorts"]').isVisible()).toBe(true);
    fs.writeFileSync(path.join(artifactsDir, 'issue19-header.txt'), `trainer header at 375 px: ${closed.toFixed(0)} px closed\n`);
    await page.screenshot({ path: path.join(artifactsDir, 'issue19-header-open-375.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await page.locator('.nav-list a[href="/trainer/cohorts"]').isVisible()).toBe(true);
    expect(await page.locator('.nav-menu > summary').isVisible()).toBe(false);
    await context.close(); // axe runs on these pages with JavaScript on, in accessibility.e2e.ts

  });
});
