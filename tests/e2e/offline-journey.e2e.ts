import { accessibilityViolations, newContext, screenshot } from './helpers/browser';
import { register } from './helpers/accounts';
import { lessonIds } from './helpers/course';
import { platformDatabase } from './helpers/database';
import { useJourney } from './helpers/journey';

const journey = useJourney();

describe('reading offline', () => {
  it('when a learner saves module 1, goes offline, opens two lessons and marks them complete, then the completions reach the server exactly once when the connection returns', async () => {
    const { context, foreign } = await newContext(journey.browser, journey.platform.url);
    const page = await register(context, { name: 'Olu Offline', email: 'offline@example.org', password: 'a passphrase long enough', language: 'en' });
    const [first, second] = lessonIds('introduction');

    await page.goto('/modules/introduction');
    const save = page.locator('[data-offline-save]');
    await save.locator('button').click();
    // Saving takes the module's handbook PDF too; a fresh platform renders every handbook in the
    // background when the course is published, so on a loaded machine the first save can wait tens
    // of seconds for that PDF (as a learner would on a busy server): allow it, then check it all saved.
    await page.locator('[data-offline-save-status]', { hasText: 'Saved on this device.' }).waitFor({ timeout: 90_000 });
    await screenshot(page, 'module-saved-offline-en');
    expect(await accessibilityViolations(page)).toEqual([]);

    await context.setOffline(true);
    for (const lesson of [first, second]) {
      await page.goto(`/modules/introduction/lessons/${lesson}`);
      await page.locator('[data-offline-banner]').waitFor({ state: 'visible' });
      expect(await page.locator('h1').innerText()).not.toBe('');
      await Promise.all([page.waitForURL(`**/modules/introduction/lessons/${lesson}`), page.click('.lesson-status button[type=submit]')]);
      await page.locator('[data-offline-queued]').waitFor({ state: 'visible' });
    }
    await screenshot(page, 'lesson-offline-queued-en');
    const { db, close } = await platformDatabase(journey.platform);
    try {
      const user = await db.collection('users').findOne({ email: 'offline@example.org' });
      const completions = () => db.collection('lesson_completions').find({ userId: String(user!._id) }).toArray();
      expect(await completions()).toEqual([]);

      // The connection comes back for the page first and for the service worker a few seconds later
      // (browsers do not bring both back at one instant): the page's first replay fails, and the
      // page must ask again rather than leave the completions queued until the next page load.
      const pageOnly = await context.newCDPSession(page);
      await pageOnly.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await page.waitForFunction(() => navigator.onLine);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await completions()).toEqual([]);
      expect(await page.locator('[data-offline-queued]').isVisible()).toBe(true);

      // back online everywhere: the queue is sent, and the page reloads to show the lesson as the server has it
      await Promise.all([page.waitForEvent('load', { timeout: 20_000 }), context.setOffline(false)]);
      await page.locator('.lesson-status .notice.success').waitFor();
      await new Promise((r) => setTimeout(r, 1000)); // time for a duplicate replay, were there one
      const stored = await completions();
      expect(stored.map((c) => c.lessonId).sort()).toEqual([first, second].sort());
      await page.goto('/modules/introduction');
      expect(await page.locator('main').innerText()).toContain('2 of 6');
    } finally {
      await close();
    }
    expect(foreign).toEqual([]);
    await context.close();
  }, 240_000);

  it('when JavaScript is off, then the module page works, offers the handbook and no "Save for offline"', async () => {
    const { context, foreign } = await newContext(journey.browser, journey.platform.url, { javaScript: false, locale: 'es-ES' });
    const page = await context.newPage();
    const res = await page.goto('/modules/introduction');
    expect(res?.status()).toBe(200);
    expect(await page.locator('[data-offline-save]').isVisible()).toBe(false);
    const href = await page.locator('a[href^="/modules/introduction/handbook.pdf"]').getAttribute('href');
    expect(href).toBe('/modules/introduction/handbook.pdf?lng=es');
    const pdf = await context.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await page.goto('/modules/introduction/lessons/the-roadmap');
    expect(await page.locator('.signup-invite').innerText()).toContain('Crear una cuenta gratuita');
    await screenshot(page, 'lesson-anonymous-es-nojs');
    await page.goto('/modules/introduction');
    await screenshot(page, 'module-es-nojs');
    expect(foreign).toEqual([]);
    await context.close();
  });
});
