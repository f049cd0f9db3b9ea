import fs from 'node:fs';
import { createUserWithCli, logIn, register } from './helpers/accounts';
import { accessibilityViolations, newContext, screenshot } from './helpers/browser';
import { useJourney } from './helpers/journey';

const journey = useJourney(async (p) => {
  createUserWithCli(p, 'trainer', 'trainer@example.org', 'Awa Trainer', 'a trainer passphrase long enough');
});

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('a trainer journey %s', (_label, javaScript) => {
  it('when a trainer creates a cohort and a learner joins with its code and starts, then the trainer sees them and exports the CSV', async () => {
    const suffix = javaScript ? 'js' : 'nojs';
    const trainerContext = await newContext(journey.browser, journey.platform.url, { javaScript });
    const trainer = await logIn(trainerContext.context, 'trainer@example.org', 'a trainer passphrase long enough');
    await trainer.goto('/trainer/cohorts');
    await trainer.fill('#cohort-name', `Cohorte Dakar ${suffix}`);
    await trainer.selectOption('#cohort-language', 'fr');
    await Promise.all([trainer.waitForLoadState('load'), trainer.click('form[action="/trainer/cohorts"] button[type=submit]')]);
    await trainer.goto('/trainer/cohorts');
    await Promise.all([trainer.waitForLoadState('load'), trainer.click(`main a:has-text("Cohorte Dakar ${suffix}")`)]);
    const cohortUrl = trainer.url();
    const code = await trainer.locator('[data-join-code]').first().getAttribute('data-join-code');
    expect(code).toMatch(/^[A-Z2-9]{4,}/);

    // a learner joins with the code and reads a lesson
    const learnerContext = await newContext(journey.browser, journey.platform.url, { javaScript });
    const learner = await register(learnerContext.context, { name: 'Fatou Diop', email: `fatou-${suffix}@example.org`, password: 'a passphrase long enough', language: 'fr' });
    await learner.goto('/cohorts/join');
    await learner.fill('#join-code', code!.toLowerCase());
    await Promise.all([learner.waitForLoadState('load'), learner.click('form[action="/cohorts/join"] button[type=submit]')]);
    // the dashboard after the redirect says which cohort was joined (waited for: a busy machine may
    // still be loading it when the click resolves)
    await learner.waitForURL(/\/dashboard/);
    await learner.locator('main', { hasText: `Cohorte Dakar ${suffix}` }).waitFor({ timeout: 10_000 });
    await learner.goto('/modules/introduction/lessons/from-mdgs-to-sdgs');
    await Promise.all([learner.waitForLoadState('load'), learner.click('.lesson-status button[type=submit]')]);

    // the trainer sees the learner in the matrix, with the lesson done
    await trainer.goto(cohortUrl);
    const page = await trainer.locator('main').innerText();
    expect(page).toContain('Fatou Diop');
    await screenshot(trainer, `cohort${javaScript ? '' : '-nojs'}`);
    if (javaScript) expect(await accessibilityViolations(trainer)).toEqual([]);

    const [download] = await Promise.all([trainer.waitForEvent('download'), trainer.click('main a[href$="export.csv"]')]);
    const csv = fs.readFileSync(await download.path());
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // UTF-8 BOM for spreadsheets
    const text = csv.toString('utf8');
    expect(text).toContain('Fatou Diop');
    expect(text).toContain(`fatou-${suffix}@example.org`);

    expect(trainerContext.foreign).toEqual([]);
    expect(learnerContext.foreign).toEqual([]);
    await trainerContext.context.close();
    await learnerContext.context.close();
  });
});
