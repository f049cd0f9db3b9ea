import { accessibilityViolations, horizontalOverflow, newContext } from './helpers/browser';
import { createUserWithCli, logIn, register } from './helpers/accounts';
import { answerQuiz } from './helpers/course';
import { useJourney } from './helpers/journey';

const LANGS = ['en', 'es', 'fr'] as const;

const journey = useJourney(async (p) => {
  createUserWithCli(p, 'admin', 'admin@example.org', 'Ada Admin', 'an admin passphrase long enough');
});

/** Runs axe and the 360 px check on each page at each width; returns every problem found. */
async function checkPages(page: import('playwright-core').Page, paths: string[], lng: string, widths = [1280, 360]) {
  const problems: string[] = [];
  for (const path of paths) {
    for (const width of widths) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(path);
      if ((await page.getAttribute('html', 'lang')) !== lng) problems.push(`${path}: not in ${lng}`);
      for (const v of await accessibilityViolations(page)) problems.push(`${path} @${width}: ${v}`);
      if ((await horizontalOverflow(page)) > 0) problems.push(`${path} @${width}: scrolls sideways`);
    }
  }
  return problems;
}

/** Page types a visitor sees without an account. */
const PUBLIC_PAGES = ['/', '/modules', '/modules/introduction', '/modules/introduction/lessons/the-roadmap', '/glossary', '/login', '/register', '/password/forgot', '/verify', '/verify/NO-SUCH-CODE', '/no-such-page'];

describe.each(LANGS)('accessibility in %s', (lng) => {
  it('when each public page type is checked with axe (WCAG 2.1 A and AA) at 1280 and 360 px, then there are no violations', async () => {
    const { context } = await newContext(journey.browser, journey.platform.url);
    const page = await context.newPage();
    expect(await checkPages(page, PUBLIC_PAGES.map((p) => `${p}?lng=${lng}`), lng)).toEqual([]);
    await context.close();
  });

  it('when each signed-in learner page type is checked with axe, then there are no violations', async () => {
    const { context } = await newContext(journey.browser, journey.platform.url);
    const page = await register(context, { name: `Learner ${lng}`, email: `a11y-${lng}@example.org`, password: 'a passphrase long enough', language: lng });
    // one graded attempt, so the result and history pages exist
    await page.goto('/modules/introduction/quiz');
    await answerQuiz(page, 'introduction', lng, 4);
    await Promise.all([page.waitForURL(/\/quiz\/attempts\//), page.click('form.quiz button[type=submit]')]);
    const resultPath = new URL(page.url()).pathname;
    const pages = [
      '/dashboard',
      '/profile',
      '/modules/introduction',
      // the lessons with figures (SVG diagrams), and a worksheet
      '/modules/introduction/lessons/the-roadmap',
      '/modules/territorial-planning/lessons/the-planning-cycle',
      '/modules/reporting/lessons/how-sdg-reporting-works',
      '/modules/reporting/lessons/worksheet',
      // the worksheet forms and the localization plan
      '/modules/introduction/worksheet',
      '/modules/territorial-planning/worksheet',
      '/plan',
      '/modules/introduction/quiz',
      resultPath,
      '/modules/introduction/quiz/attempts',
      '/certificate',
    ];
    expect(await checkPages(page, pages, lng)).toEqual([]);
    await context.close();
  });

  it('when each admin page type is checked with axe, then there are no violations', async () => {
    const { context } = await newContext(journey.browser, journey.platform.url);
    const page = await logIn(context, 'admin@example.org', 'an admin passphrase long enough');
    // a signed-in user's stored preference wins over ?lng=, so switch it as the admin would
    await Promise.all([page.waitForLoadState('load'), page.click(`.lang-switch button[value="${lng}"]`)]);
    const adminPages = ['/admin/users', '/admin/audit', '/admin/content', '/admin/content/introduction/versions/1', '/admin/content/introduction/versions/1/preview/' + lng, '/admin/certificates'];
    expect(await checkPages(page, adminPages, lng, [1280, 360])).toEqual([]);
    await context.close();
  });
});

describe('accessibility of the trainer pages', () => {
  it.each(LANGS)('when each trainer page type is checked with axe in %s, then there are no violations', async (lng) => {
    const { context } = await newContext(journey.browser, journey.platform.url);
    const email = `a11y-trainer-${lng}@example.org`;
    createUserWithCli(journey.platform, 'trainer', email, `Trainer ${lng}`, 'a trainer passphrase long enough');
    const page = await logIn(context, email, 'a trainer passphrase long enough');
    await Promise.all([page.waitForLoadState('load'), page.click(`.lang-switch button[value="${lng}"]`)]);
    await page.goto('/trainer/cohorts');
    await page.fill('#cohort-name', `Cohort ${lng}`);
    await Promise.all([page.waitForLoadState('load'), page.click('form[action="/trainer/cohorts"] button[type=submit]')]);
    await page.goto('/trainer/cohorts');
    await Promise.all([page.waitForLoadState('load'), page.click(`main a:has-text("Cohort ${lng}")`)]);
    const cohort = new URL(page.url()).pathname;
    const code = await page.locator('[data-join-code]').first().getAttribute('data-join-code');
    // a learner in the cohort, so the matrix and the drill-down have a row
    const learnerContext = (await newContext(journey.browser, journey.platform.url)).context;
    const learner = await register(learnerContext, { name: `Member ${lng}`, email: `member-${lng}@example.org`, password: 'a passphrase long enough', language: lng });
    await learner.goto('/cohorts/join');
    expect(await checkPages(learner, ['/cohorts/join'], lng)).toEqual([]);
    await learner.fill('#join-code', code!);
    await Promise.all([learner.waitForLoadState('load'), learner.click('form[action="/cohorts/join"] button[type=submit]')]);
    await learnerContext.close();
    await page.goto(cohort);
    const drillDown = await page.locator('main a[href*="/learners/"]').first().getAttribute('href');
    const pages = ['/trainer/cohorts', cohort, `${cohort}/manage`, `${cohort}/at-risk`, `${cohort}/questions`, `${cohort}/plans`, drillDown!];
    expect(await checkPages(page, pages, lng)).toEqual([]);
    await context.close();
  });
});

describe('keyboard only', () => {
  it('when a learner takes a quiz with the keyboard alone, then every answer can be chosen and the form sent', async () => {
    const { context } = await newContext(journey.browser, journey.platform.url);
    const page = await register(context, { name: 'Kim Keyboard', email: 'keyboard@example.org', password: 'a passphrase long enough', language: 'en' });
    await page.goto('/modules/reporting/quiz');
    // the skip link is the first thing Tab reaches, and it leads to the main content
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
    const answered = await answerQuiz(page, 'reporting', 'en', 10, { keyboard: true });
    expect(answered).toBe(10);
    await page.focus('form.quiz button[type=submit]');
    await Promise.all([page.waitForURL(/\/quiz\/attempts\//), page.keyboard.press('Enter')]);
    expect(await page.locator('.notice.success').innerText()).toContain('Passed');
    await context.close();
  });
});
