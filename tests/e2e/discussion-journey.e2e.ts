import zlib from 'node:zlib';
import { createUserWithCli, logIn, register } from './helpers/accounts';
import { accessibilityViolations, newContext, type Page, screenshot } from './helpers/browser';
import { useJourney } from './helpers/journey';

const journey = useJourney(async (p) => {
  createUserWithCli(p, 'trainer', 'moderator@example.org', 'Awa Trainer', 'a trainer passphrase long enough');
});

/** Sends a form and waits for the page it leads to (post/redirect/get), not the one it was sent from. */
const submit = (page: Page, selector: string) => Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);

/** HTML+CSS+JS of a page as a browser fetches it: requests and gzipped bytes (images and fonts aside). */
async function weigh(page: Page, url: string) {
  const responses: Buffer[] = [];
  const onResponse = async (res: import('playwright-core').Response) => {
    const type = res.request().resourceType();
    if (type === 'image' || type === 'media' || type === 'font') return;
    responses.push(await res.body().catch(() => Buffer.alloc(0)));
  };
  page.on('response', onResponse);
  await page.goto(url, { waitUntil: 'networkidle' });
  page.off('response', onResponse);
  return { requests: responses.length, gzipped: responses.reduce((sum, b) => sum + zlib.gzipSync(b).length, 0) };
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('a cohort discussion %s', (_label, javaScript) => {
  it('when two learners (fr, es) and a trainer use it, then a thread, a practice, a reply, a report and a hide all work', async () => {
    const suffix = javaScript ? 'js' : 'nojs';
    const trainerCtx = await newContext(journey.browser, journey.platform.url, { javaScript });
    const trainer = await logIn(trainerCtx.context, 'moderator@example.org', 'a trainer passphrase long enough');
    await trainer.goto('/trainer/cohorts');
    await trainer.fill('#cohort-name', `Cohorte Sahel ${suffix}`);
    await trainer.selectOption('#cohort-language', 'fr');
    await submit(trainer, 'form[action="/trainer/cohorts"] button[type=submit]');
    await trainer.goto('/trainer/cohorts');
    await submit(trainer, `main a:has-text("Cohorte Sahel ${suffix}")`);
    const cohortId = /\/trainer\/cohorts\/([0-9a-f]{24})/.exec(trainer.url())![1]!;
    const code = await trainer.locator('[data-join-code]').first().getAttribute('data-join-code');
    const base = `/cohorts/${cohortId}/discussion`;

    const people = [];
    for (const [name, language] of [
      ['Amélie Dubois', 'fr'],
      ['Beatriz Gómez', 'es'],
    ] as const) {
      const ctx = await newContext(journey.browser, journey.platform.url, { javaScript });
      const page = await register(ctx.context, { name, email: `${language}-${suffix}@example.org`, password: 'a passphrase long enough', language });
      await page.goto('/cohorts/join');
      await page.fill('#join-code', code!);
      await submit(page, 'form[action="/cohorts/join"] button[type=submit]');
      await page.waitForURL(/\/dashboard/);
      people.push({ ctx, page });
    }
    const [amelie, beatriz] = people as [(typeof people)[0], (typeof people)[0]];

    // Amélie finds the discussion from her dashboard and starts a thread
    await amelie.page.goto('/dashboard');
    await submit(amelie.page, `main a[href="${base}"]`);
    await amelie.page.fill('#title', 'Comment mobiliser le conseil municipal ?');
    await amelie.page.fill('#body', 'Nous avons commencé par un **atelier**.');
    await amelie.page.selectOption('#lessonId', 'from-mdgs-to-sdgs');
    await submit(amelie.page, `form[action="${base}"] button[type=submit]`);
    const threadUrl = new URL(amelie.page.url()).pathname;
    expect(threadUrl).toMatch(/\/discussion\/[0-9a-f]{24}$/);
    expect(await amelie.page.locator('.post-body strong').innerText()).toBe('atelier');

    // the lesson page says how many posts the cohort has about it
    await amelie.page.goto('/modules/introduction/lessons/from-mdgs-to-sdgs');
    expect(await amelie.page.locator('[data-lesson-posts]').getAttribute('data-lesson-posts')).toBe('1');
    if (javaScript) await screenshot(amelie.page, 'discussion-lesson');

    // Beatriz shares a practice, then replies to Amélie
    await beatriz.page.goto(base);
    await beatriz.page.check('#kind-practice');
    await beatriz.page.fill('#title', 'Presupuesto participativo en Cuenca');
    await beatriz.page.fill('#body', 'Cómo lo hicimos.');
    await beatriz.page.fill('#place', 'Cuenca');
    await beatriz.page.fill('#country', 'Ecuador');
    await beatriz.page.fill('#targets', '11.3, 16.7');
    await beatriz.page.fill('#done', 'Asambleas de barrio');
    await beatriz.page.fill('#link', 'https://example.org/cuenca');
    await submit(beatriz.page, `form[action="${base}"] button[type=submit]`);
    expect(await beatriz.page.locator('.practice-card').innerText()).toContain('Cuenca');
    await beatriz.page.goto(`${base}?kind=practice&sdg=16`);
    expect(await beatriz.page.locator('main').innerText()).toContain('Presupuesto participativo en Cuenca');
    if (javaScript) expect(await accessibilityViolations(beatriz.page)).toEqual([]);
    await beatriz.page.goto(threadUrl);
    await beatriz.page.fill('#reply-body', 'Con una encuesta previa, @Amélie Dubois.');
    await submit(beatriz.page, `form[action="${threadUrl}/replies"] button[type=submit]`);
    expect(await beatriz.page.locator('main').innerText()).toContain('Con una encuesta previa');

    // Amélie reports the reply; the form sits in a <details>, which opens without JavaScript too
    await amelie.page.goto(threadUrl);
    const reply = amelie.page.locator('li.post', { hasText: 'Con una encuesta previa' });
    await reply.locator('summary').first().click();
    await reply.locator('input[name=reason]').first().fill('Hors sujet');
    await submit(amelie.page, `li.post:has-text("Con una encuesta previa") form[action$="/report"] button[type=submit]`);
    const afterReport = await amelie.page.locator('main').innerText();
    if (!afterReport.includes('Merci')) throw new Error(`after the report: ${amelie.page.url()}\n${afterReport.slice(0, 3000)}`);
    if (javaScript) expect(await accessibilityViolations(amelie.page)).toEqual([]);
    await screenshot(amelie.page, `discussion-thread${javaScript ? '' : '-nojs'}`);

    // the trainer sees the report and hides the reply with a reason
    await trainer.goto(`${base}/reports`);
    expect(await trainer.locator('main').innerText()).toContain('Hors sujet');
    if (javaScript) {
      expect(await accessibilityViolations(trainer)).toEqual([]);
      await screenshot(trainer, 'discussion-reports');
    }
    await trainer.fill('[data-report-id] input[name=reason]', 'Please stay on the topic of the thread');
    await submit(trainer, '[data-report-id] form[action$="/hide"] button[type=submit]');
    await trainer.goto(base);
    if (javaScript) expect(await accessibilityViolations(trainer)).toEqual([]);
    await screenshot(trainer, `discussion-list${javaScript ? '' : '-nojs'}`);

    // Amélie no longer sees it; Beatriz sees it with the reason
    await amelie.page.goto(threadUrl);
    expect(await amelie.page.locator('main').innerText()).not.toContain('Con una encuesta previa');
    await beatriz.page.goto(threadUrl);
    expect(await beatriz.page.locator('[data-hidden-reason]').innerText()).toContain('Please stay on the topic of the thread');

    if (javaScript) {
      // the e-mail choices on the profile, in Spanish
      await beatriz.page.goto('/profile');
      expect(await beatriz.page.locator('#notifications-heading').innerText()).toBe('Correos del debate');
      expect(await accessibilityViolations(beatriz.page)).toEqual([]);
      await screenshot(beatriz.page, 'discussion-profile');
      // the thread page stays within the lesson page's budget (budgets.e2e.ts): 30 KB gzipped, 6 requests
      const weight = await weigh(beatriz.page, threadUrl);
      expect(weight.requests).toBeLessThanOrEqual(6);
      expect(weight.gzipped).toBeLessThanOrEqual(30 * 1024);
    }
    for (const c of [trainerCtx, amelie.ctx, beatriz.ctx]) {
      expect(c.foreign).toEqual([]);
      await c.context.close();
    }
  });
});
