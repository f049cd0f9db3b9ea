import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { csrfFrom, decoded } from '../../helpers/build-app';
import { createCohort, joinWith } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';
import { clearOutbox, mailTo } from '../../helpers/mail';
import { introAnswers, postForm, saveWorksheet } from '../../helpers/worksheets';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

const revisions = (userId: string, moduleId = 'introduction') =>
  connection.collection('worksheet_revisions').find({ userId, moduleId }).sort({ createdAt: 1, _id: 1 }).toArray();

function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));
  fs.writeFileSync(path.join(dir, 'plan.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', path.join(dir, 'plan.pdf'), '-'], { encoding: 'utf8' });
}

const binary = (res: { on: (e: string, cb: (c?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('filling in a worksheet', () => {
  it('when a learner saves an incomplete draft and comes back, then the form shows what they wrote and one revision is stored', async () => {
    const learner = await signedInAgent(connection);
    const res = await saveWorksheet(learner, 'introduction', { 'w.gap': 'Air quality is missing', 'w.priorities.1.target': '11.6' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/modules/introduction/worksheet');
    const page = await learner.agent.get('/modules/introduction/worksheet');
    expect(page.text).toContain('>Air quality is missing</textarea>');
    // empty rows are dropped: the row typed second comes back first
    expect(page.text).toMatch(/name="w\.priorities\.0\.target"[^>]*value="11\.6"/);
    expect(page.text).toContain('This worksheet is a saved draft.');
    const stored = await revisions(learner.userId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ finished: false, values: { gap: 'Air quality is missing', priorities: [{ target: '11.6' }] } });
  });

  it('when a learner marks a worksheet finished with a required field missing, then 422, errors beside the fields, input kept, nothing stored', async () => {
    const learner = await signedInAgent(connection, { language: 'es' });
    const answers = introAnswers();
    delete answers['w.action'];
    const res = await saveWorksheet(learner, 'introduction', answers, 'finish');
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="field-action-error"');
    expect(decoded(res.text)).toContain('Rellene este campo para marcar la hoja de trabajo como terminada.');
    expect(res.text).toMatch(/name="w\.priorities\.0\.target"[^>]*value="6\.3 Water treatment"/);
    expect(res.text).toMatch(/value="monitoring" checked/);
    expect(await revisions(learner.userId)).toHaveLength(0);
  });

  it('when a learner finishes a complete worksheet, then it is stored as finished and /plan shows it', async () => {
    const learner = await signedInAgent(connection);
    const res = await saveWorksheet(learner, 'introduction', introAnswers(), 'finish');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/plan');
    expect((await revisions(learner.userId))[0]?.finished).toBe(true);
    const plan = await learner.agent.get('/plan');
    expect(plan.text).toContain('6.3 Water treatment');
    expect(plan.text).toContain('SDG 11. Sustainable cities and communities');
  });

  it('when the same form is submitted twice and two tabs save at once, then every revision is kept and the last one wins', async () => {
    const learner = await signedInAgent(connection);
    const csrf = csrfFrom((await learner.agent.get('/modules/introduction/worksheet')).text);
    const send = (gap: string) =>
      learner.agent.post('/modules/introduction/worksheet').type('form').send({ 'w.gap': gap, action: 'save', _csrf: csrf });
    await Promise.all([send('first tab'), send('second tab')]);
    await send('double');
    await send('double');
    const stored = await revisions(learner.userId);
    expect(stored.map((r) => r.values.gap).sort()).toEqual(['double', 'double', 'first tab', 'second tab']);
    const page = await learner.agent.get('/modules/introduction/worksheet');
    expect(page.text).toContain('>double</textarea>');
  });

  it('when a text is longer than the limit, then 422 with the text kept and nothing stored', async () => {
    const learner = await signedInAgent(connection);
    const res = await saveWorksheet(learner, 'introduction', { 'w.action': 'x'.repeat(301) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Write at most 300 characters.');
    expect(await revisions(learner.userId)).toHaveLength(0);
  });

  it('when a module has no worksheet or does not exist, then 404', async () => {
    const learner = await signedInAgent(connection);
    expect((await learner.agent.get('/modules/no-such-module/worksheet')).status).toBe(404);
  });
});

describe('prefilling from earlier modules', () => {
  it('when module 1 is saved, then module 2 starts from its priorities, and module 3 from module 2’s indicators and module 1’s priorities', async () => {
    const learner = await signedInAgent(connection);
    await saveWorksheet(learner, 'introduction', introAnswers('Prefill'));
    const m2 = await learner.agent.get('/modules/territorial-planning/worksheet');
    expect(m2.text).toMatch(/name="w\.objectives\.0\.target"[^>]*value="6\.3 Prefill treatment"/);
    expect(m2.text).toMatch(/name="w\.objectives\.0\.sdg"[^>]*value="SDG 6"/);
    expect(m2.text).toContain('Filled in from your earlier answers.');
    await saveWorksheet(learner, 'territorial-planning', {
      'w.indicators.0.indicator': 'Share of wastewater treated (%)',
      'w.indicators.0.target': '6.3',
      'w.indicators.0.source': 'Water utility records',
    });
    const m3 = await learner.agent.get('/modules/reporting/worksheet');
    expect(m3.text).toMatch(/name="w\.data\.0\.indicator"[^>]*value="Share of wastewater treated \(%\)"/);
    expect(m3.text).toMatch(/name="w\.data\.0\.source"[^>]*value="Water utility records"/);
    expect(m3.text).toContain('SDG 6 · 6.3 Prefill treatment · Sanitation services · Municipal sanitation plan');
    // prefilling shows values; it stores nothing until the learner saves
    expect(await revisions(learner.userId, 'reporting')).toHaveLength(0);
  });
});

describe('sharing with trainers and feedback', () => {
  async function cohortWithLearner() {
    const trainer = await signedInAgent(connection, { role: 'trainer', name: 'Tomás Trainer' });
    const learner = await signedInAgent(connection, { language: 'es', name: 'Lucía Learner' });
    const cohort = await createCohort(trainer.agent);
    await joinWith(learner.agent, cohort.code);
    await saveWorksheet(learner, 'introduction', introAnswers());
    return { trainer, learner, cohort };
  }

  it('when a plan is not shared, then its trainer gets 404; once shared the trainer reads it; when sharing stops, 404 again', async () => {
    const { trainer, learner, cohort } = await cohortWithLearner();
    const url = `/trainer/cohorts/${cohort.id}/learners/${learner.userId}/plan`;
    expect((await trainer.agent.get(url)).status).toBe(404);
    expect((await postForm(learner, '/plan/share', { share: 'on' }, '/plan')).status).toBe(303);
    const page = await trainer.agent.get(url);
    expect(page.status).toBe(200);
    expect(page.text).toContain('6.3 Water treatment');
    const list = await trainer.agent.get(`/trainer/cohorts/${cohort.id}/plans`);
    expect(list.text).toContain('Plans shared: 1 of 1. Plans finished: 0 of 1.');
    await postForm(learner, '/plan/share', { share: 'off' }, '/plan');
    expect((await trainer.agent.get(url)).status).toBe(404);
  });

  it('when a trainer of another cohort or another learner asks for a shared plan, then 404', async () => {
    const { learner, cohort } = await cohortWithLearner();
    await postForm(learner, '/plan/share', { share: 'on' }, '/plan');
    const otherTrainer = await signedInAgent(connection, { role: 'trainer' });
    const ownCohort = await createCohort(otherTrainer.agent);
    expect((await otherTrainer.agent.get(`/trainer/cohorts/${cohort.id}/learners/${learner.userId}/plan`)).status).toBe(404);
    expect((await otherTrainer.agent.get(`/trainer/cohorts/${ownCohort.id}/learners/${learner.userId}/plan`)).status).toBe(404);
    const otherLearner = await signedInAgent(connection);
    expect((await otherLearner.agent.get(`/trainer/cohorts/${cohort.id}/learners/${learner.userId}/plan`)).status).toBe(403);
    // a learner's /plan is always their own: another learner's answers never appear there
    expect((await otherLearner.agent.get('/plan')).text).not.toContain('6.3 Water treatment');
  });

  it('when a trainer leaves feedback on a step, then it is stored, the learner sees it on /plan and is e-mailed in Spanish', async () => {
    clearOutbox();
    const { trainer, learner, cohort } = await cohortWithLearner();
    await postForm(learner, '/plan/share', { share: 'on' }, '/plan');
    const url = `/trainer/cohorts/${cohort.id}/learners/${learner.userId}/plan`;
    const empty = await postForm(trainer, `${url}/feedback`, { step: 'introduction.priorities', body: ' ' }, url);
    expect(empty.status).toBe(422);
    const res = await postForm(trainer, `${url}/feedback`, { step: 'introduction.priorities', body: 'Add a target for SDG 11.' }, url);
    expect(res.status).toBe(303);
    expect(await connection.collection('plan_feedback').countDocuments({ learnerId: learner.userId })).toBe(1);
    const plan = await learner.agent.get('/plan');
    expect(plan.text).toContain('Comentarios de Tomás Trainer');
    expect(plan.text).toContain('Add a target for SDG 11.');
    const mail = await mailTo(connection, learner.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toBe('Una persona formadora comentó su plan de localización');
    expect(mail[0]?.text).toContain('Add a target for SDG 11.');
  });
});

describe('markup in a plan', () => {
  it('when every field holds <script>, then the form, the plan, the PDF and the .docx show it as text', async () => {
    const learner = await signedInAgent(connection);
    const evil = '<script>alert(1)</script>';
    const answers: Record<string, string | string[]> = {
      'w.gap': evil,
      'w.action': evil,
      'w.owner': evil,
      'w.deadline': evil,
      'w.sdgs': [evil, '6'],
    };
    for (const c of ['sdg', 'target', 'competence', 'plan']) answers[`w.priorities.0.${c}`] = `${evil} ${c}`;
    for (const c of ['who', 'message', 'how', 'when']) answers[`w.audiences.0.${c}`] = evil;
    for (const c of ['partner', 'goal', 'contact']) answers[`w.partners.0.${c}`] = evil;
    expect((await saveWorksheet(learner, 'introduction', answers)).status).toBe(303);
    for (const url of ['/modules/introduction/worksheet', '/plan']) {
      const page = await learner.agent.get(url);
      expect(page.text).not.toContain('<script>alert(1)</script>');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    const pdf = await learner.agent.get('/plan.pdf').buffer(true).parse(binary);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.body as Buffer);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('SDG 6. Clean water and sanitation');
    const docx = await learner.agent.get('/plan.docx').buffer(true).parse(binary);
    expect(docx.status).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-docx-'));
    fs.writeFileSync(path.join(dir, 'plan.docx'), docx.body as Buffer);
    const xml = execFileSync('unzip', ['-p', path.join(dir, 'plan.docx'), 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).not.toContain('<script>');
  });

  it('when a Spanish learner downloads the plan, then the PDF is in Spanish with what they typed', async () => {
    const learner = await signedInAgent(connection, { language: 'es' });
    await saveWorksheet(learner, 'introduction', { ...introAnswers(), 'w.gap': 'Meta 11.6: calidad del aire en Ñuñoa' });
    const pdf = await learner.agent.get('/plan.pdf').buffer(true).parse(binary);
    const text = pdfText(pdf.body as Buffer);
    expect(text).toContain('Mi plan de localización');
    expect(text).toContain('Meta 11.6: calidad del aire en Ñuñoa');
    expect(text).toContain('ODS 6. Agua limpia y saneamiento');
  });
});
