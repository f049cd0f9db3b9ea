import fs from 'node:fs';
import { accessibilityViolations, newContext, screenshot } from './helpers/browser';
import { answerQuiz, lessonIds, type ModuleId } from './helpers/course';
import { useJourney } from './helpers/journey';

const journey = useJourney();

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('a learner journey %s', (_label, javaScript) => {
  it('when a learner registers in French, reads module 1, fails then passes its quiz and finishes the course, then they download a certificate anyone can verify', async () => {
    const { context, foreign } = await newContext(journey.browser, journey.platform.url, { javaScript, locale: 'fr-FR' });
    const page = await context.newPage();
    const email = `marie-${javaScript ? 'js' : 'nojs'}@example.org`;

    await page.goto('/register');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.fill('#name', 'Marie-Ève Ngô');
    await page.fill('#email', email);
    await page.fill('#password', 'une phrase de passe assez longue');
    await page.selectOption('#language', 'fr');
    await screenshot(page, `register-fr${javaScript ? '' : '-nojs'}`);
    await Promise.all([page.waitForURL(/\/dashboard|\/modules|\/$/), page.click('form[action="/register"] button[type=submit]')]);

    // module 1: read every lesson and mark it complete; the button takes the learner to the next one
    const lessons = lessonIds('introduction');
    await page.goto(`/modules/introduction/lessons/${lessons[0]}`);
    for (const [i, lesson] of lessons.entries()) {
      expect(page.url()).toContain(`/modules/introduction/lessons/${lesson}`);
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      if (i === 2) await screenshot(page, `lesson-fr${javaScript ? '' : '-nojs'}`);
      await Promise.all([page.waitForLoadState('load'), page.click('.lesson-status button[type=submit]')]);
    }
    expect(page.url()).toMatch(/\/modules\/introduction$/);

    // the quiz: fail first (5 of 10), then pass (10 of 10)
    await page.goto('/modules/introduction/quiz');
    await screenshot(page, `quiz-fr${javaScript ? '' : '-nojs'}`);
    await answerQuiz(page, 'introduction', 'fr', 5);
    await Promise.all([page.waitForURL(/\/quiz\/attempts\//), page.click('form.quiz button[type=submit]')]);
    expect(await page.locator('.notice.error').innerText()).toContain('Pas encore réussi');
    await screenshot(page, `quiz-result-failed-fr${javaScript ? '' : '-nojs'}`);
    await page.click('a[href="/modules/introduction/quiz"]');
    await answerQuiz(page, 'introduction', 'fr', 10);
    await Promise.all([page.waitForURL(/\/quiz\/attempts\//), page.click('form.quiz button[type=submit]')]);
    expect(await page.locator('.notice.success').innerText()).toContain('Réussi');

    // modules 2 and 3, faster: every lesson marked complete, the quiz passed
    for (const moduleId of ['territorial-planning', 'reporting'] as ModuleId[]) {
      for (const lesson of lessonIds(moduleId)) {
        await page.goto(`/modules/${moduleId}/lessons/${lesson}`);
        await Promise.all([page.waitForLoadState('load'), page.click('.lesson-status button[type=submit]')]);
      }
      await page.goto(`/modules/${moduleId}/quiz`);
      await answerQuiz(page, moduleId, 'fr', 10);
      await Promise.all([page.waitForURL(/\/quiz\/attempts\//), page.click('form.quiz button[type=submit]')]);
    }

    await page.goto('/dashboard');
    expect(await page.locator('main').innerText()).toContain('Vous avez terminé le cours');
    await screenshot(page, `dashboard-completed-fr${javaScript ? '' : '-nojs'}`);

    // the certificate: from the dashboard to "My certificate", then the PDF download
    await Promise.all([page.waitForLoadState('load'), page.click('main a[href="/certificate"]')]);
    await screenshot(page, `certificate-fr${javaScript ? '' : '-nojs'}`);
    if (javaScript) expect(await accessibilityViolations(page)).toEqual([]); // axe runs as a script
    const pdfLink = page.locator('main a[href$=".pdf"]');
    const [download] = await Promise.all([page.waitForEvent('download'), pdfLink.click()]);
    const pdfPath = await download.path();
    const pdf = fs.readFileSync(pdfPath);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const verifyHref = await page.locator('main a[href^="/verify/"]').getAttribute('href');
    expect(verifyHref).toMatch(/^\/verify\/[0-9A-Z-]+$/);
    expect(foreign).toEqual([]);
    await context.close();

    // anyone can verify it, without an account, by the link or by typing the code
    const anonymous = await newContext(journey.browser, journey.platform.url, { javaScript, locale: 'es-ES' });
    const visitor = await anonymous.context.newPage();
    await visitor.goto(verifyHref!);
    const text = await visitor.locator('main').innerText();
    expect(text).toContain('Marie-Ève Ngô');
    expect(text).toMatch(/válido/i);
    await screenshot(visitor, `verify-es${javaScript ? '' : '-nojs'}`);
    if (javaScript) expect(await accessibilityViolations(visitor)).toEqual([]);
    await visitor.goto('/verify');
    await visitor.fill('#code', verifyHref!.split('/').pop()!.toLowerCase().replace(/-/g, ''));
    await Promise.all([visitor.waitForLoadState('load'), visitor.click('main form button[type=submit]')]);
    expect(await visitor.locator('main').innerText()).toContain('Marie-Ève Ngô');
    expect(anonymous.foreign).toEqual([]);
    await anonymous.context.close();
  });

  it('when a signed-in learner switches to Spanish mid-lesson, then the same lesson is shown in Spanish', async () => {
    const { context } = await newContext(journey.browser, journey.platform.url, { javaScript });
    const page = await context.newPage();
    await page.goto('/register');
    await page.fill('#name', 'Lucía Pérez');
    await page.fill('#email', `lucia-${javaScript ? 'js' : 'nojs'}@example.org`);
    await page.fill('#password', 'a long enough passphrase');
    await page.selectOption('#language', 'en');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action="/register"] button[type=submit]')]);
    await page.goto('/modules/territorial-planning/lessons/sdg-principles');
    expect(await page.locator('h1').innerText()).toBe('Five SDG principles that strengthen planning');
    await Promise.all([page.waitForLoadState('load'), page.click('.lang-switch button[value="es"]')]);
    expect(page.url()).toContain('/modules/territorial-planning/lessons/sdg-principles');
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.locator('h1').innerText()).toBe('Cinco principios de los ODS que fortalecen la planificación');
    await context.close();
  });
});
