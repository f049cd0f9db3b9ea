import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createUserWithCli, logIn, register } from './helpers/accounts';
import { accessibilityViolations, artifactsDir, newContext, screenshot } from './helpers/browser';
import { useJourney } from './helpers/journey';

const journey = useJourney(async (p) => {
  createUserWithCli(p, 'trainer', 'plan-trainer@example.org', 'Rosa Formadora', 'a trainer passphrase long enough');
});

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the localization plan %s', (_label, javaScript) => {
  it('when a Spanish learner fills module 1’s worksheet, then module 2 is prefilled, the PDF holds their words in Spanish, and the trainer’s feedback reaches them', async () => {
    const suffix = javaScript ? 'js' : 'nojs';
    // the trainer opens a cohort
    const trainerContext = await newContext(journey.browser, journey.platform.url, { javaScript });
    const trainer = await logIn(trainerContext.context, 'plan-trainer@example.org', 'a trainer passphrase long enough');
    await trainer.goto('/trainer/cohorts');
    await trainer.fill('#cohort-name', `Cohorte Quito ${suffix}`);
    await Promise.all([trainer.waitForLoadState('load'), trainer.click('form[action="/trainer/cohorts"] button[type=submit]')]);
    await trainer.goto('/trainer/cohorts');
    await Promise.all([trainer.waitForLoadState('load'), trainer.click(`main a:has-text("Cohorte Quito ${suffix}")`)]);
    const cohortUrl = new URL(trainer.url()).pathname;
    const code = await trainer.locator('[data-join-code]').first().getAttribute('data-join-code');

    // a Spanish learner joins and fills in module 1's worksheet from the lesson's link
    const learnerContext = await newContext(journey.browser, journey.platform.url, { javaScript });
    const learner = await register(learnerContext.context, { name: 'Lucía Pérez', email: `lucia-${suffix}@example.org`, password: 'a passphrase long enough', language: 'es' });
    await learner.goto('/cohorts/join');
    await learner.fill('#join-code', code!);
    await Promise.all([learner.waitForLoadState('load'), learner.click('form[action="/cohorts/join"] button[type=submit]')]);
    await learner.goto('/modules/introduction/lessons/worksheet');
    await Promise.all([learner.waitForLoadState('load'), learner.click('main a[href="/modules/introduction/worksheet"]')]);
    expect(await learner.locator('h1').innerText()).toBe('Mi plan de localización, parte 1: prioridades y aliados');
    await learner.check('#field-sdgs-6');
    await learner.fill('#field-priorities-0-sdg', 'ODS 6');
    await learner.fill('#field-priorities-0-target', '6.3 Tratar las aguas residuales de Cayambe');
    await learner.fill('#field-priorities-0-competence', 'Saneamiento municipal');
    await learner.fill('#field-gap', 'La calidad del aire (meta 11.6) no está en nuestros planes.');
    await learner.fill('#field-audiences-0-who', 'Concejo municipal');
    await learner.check('#field-roadmap-step-monitoring');
    await learner.fill('#field-action', 'Acordar tres indicadores con la oficina de estadística');
    await Promise.all([learner.waitForURL(/\/plan$/), learner.click('button[name=action][value=finish]')]);
    expect(await learner.locator('main').innerText()).toContain('6.3 Tratar las aguas residuales de Cayambe');

    // module 2 starts from module 1's priorities
    await learner.goto('/modules/territorial-planning/worksheet');
    expect(await learner.inputValue('#field-objectives-0-target')).toBe('6.3 Tratar las aguas residuales de Cayambe');
    await screenshot(learner, `plan-worksheet${javaScript ? '' : '-nojs'}`);

    // the PDF, read back as text, holds what they typed, in Spanish
    await learner.goto('/plan');
    const pdf = await learner.request.get('/plan.pdf');
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const file = path.join(artifactsDir, `plan-${suffix}.pdf`);
    fs.mkdirSync(artifactsDir, { recursive: true });
    fs.writeFileSync(file, await pdf.body());
    // table cells wrap, so words are compared with the line breaks made spaces
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Mi plan de localización');
    expect(text).toContain('6.3 Tratar las aguas residuales de Cayambe');
    expect(text).toContain('La calidad del aire (meta 11.6) no está en nuestros planes.');

    // they share it with the cohort's trainers
    await Promise.all([learner.waitForLoadState('load'), learner.click('form[action="/plan/share"] button[type=submit]')]);
    expect(await learner.locator('main').innerText()).toContain('Su plan está compartido');
    await screenshot(learner, `plan${javaScript ? '' : '-nojs'}`);
    if (javaScript) expect(await accessibilityViolations(learner)).toEqual([]);

    // the trainer sees the figures on the cohort page and the list, opens the plan and leaves feedback on a step
    await trainer.goto(cohortUrl);
    expect(await trainer.locator('[data-figure="plans-shared"]').innerText()).toBe('1');
    expect(await trainer.locator('[data-figure="plans-finished"]').innerText()).toBe('0');
    await trainer.goto(`${cohortUrl}/plans`);
    expect(await trainer.locator('main').innerText()).toContain('Plans shared: 1 of 1');
    await Promise.all([trainer.waitForLoadState('load'), trainer.click('main a[href$="/plan"]')]);
    await trainer.fill('#feedback-introduction-priorities', 'Buen comienzo: añada una meta del ODS 11.');
    await Promise.all([trainer.waitForLoadState('load'), trainer.click('form.plan-feedback-form:has(#feedback-introduction-priorities) button[type=submit]')]);
    expect(await trainer.locator('main').innerText()).toContain('Buen comienzo: añada una meta del ODS 11.');
    await screenshot(trainer, `plan-trainer${javaScript ? '' : '-nojs'}`);
    if (javaScript) expect(await accessibilityViolations(trainer)).toEqual([]);

    // the learner sees it
    await learner.goto('/plan');
    const mine = await learner.locator('main').innerText();
    expect(mine).toContain('Comentarios de Rosa Formadora');
    expect(mine).toContain('Buen comienzo: añada una meta del ODS 11.');

    expect(trainerContext.foreign).toEqual([]);
    expect(learnerContext.foreign).toEqual([]);
    await trainerContext.context.close();
    await learnerContext.context.close();
  });
});
