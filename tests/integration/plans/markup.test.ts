import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { createContentService, type PublishedModule, worksheetFields } from '../../../src/features/content';
import { binary } from '../../helpers/certificates';
import { createCohort, joinWith } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';
import { answersFilling, postForm, saveWorksheet } from '../../helpers/worksheets';

/*
 * Markup typed anywhere a plan holds text — every field of the three worksheets, the learner's name,
 * a trainer's feedback — is shown as the text it is: escaped in every page that shows it (the
 * learner's and the trainer's), and written as text in the PDF and the .docx.
 */

let connection: Connection;
let modules: (PublishedModule & { worksheet: NonNullable<PublishedModule['worksheet']> })[];

beforeAll(async () => {
  connection = await connectTestDatabase('_plan_markup');
  await seedCourse(connection);
  modules = (await createContentService({ connection }).modules()).filter((m): m is (typeof modules)[number] => m.worksheet !== undefined);
});
afterAll(async () => {
  await connection.close();
});

const EVIL = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const count = (text: string, part: string) => text.split(part).length - 1;
/** The text inputs of a worksheet: its short and long texts and every cell of a table's first row. */
const textInputs = (m: (typeof modules)[number]) =>
  worksheetFields(m.worksheet).reduce((n, f) => n + (f.type === 'table' ? (f.columns?.length ?? 0) : f.type === 'choice' ? 0 : 1), 0);

describe('markup in every part of a plan', () => {
  it('when every worksheet field, the learner’s name and a trainer’s feedback hold <script>, then every page escapes it and the PDF and .docx hold it as text', async () => {
    const trainer = await signedInAgent(connection, { role: 'trainer', name: `Trainer ${EVIL}` });
    const learner = await signedInAgent(connection, { name: `Learner ${EVIL}` });
    const cohort = await createCohort(trainer.agent);
    await joinWith(learner.agent, cohort.code);
    for (const m of modules) expect((await saveWorksheet(learner, m.moduleId, answersFilling(m.worksheet, EVIL), 'finish')).status).toBe(303);
    await postForm(learner, '/plan/share', { share: 'on' }, '/plan');
    const trainerPlan = `/trainer/cohorts/${cohort.id}/learners/${learner.userId}/plan`;
    const step = `${modules[0]!.moduleId}.${modules[0]!.worksheet.steps[0]!.id}`;
    expect((await postForm(trainer, `${trainerPlan}/feedback`, { step, body: `Feedback ${EVIL}` }, trainerPlan)).status).toBe(303);

    // the stored values are what was typed; choices keep only the worksheet's own options
    const stored = await connection.collection('worksheet_revisions').find({ userId: learner.userId }).toArray();
    expect(stored).toHaveLength(modules.length);
    for (const r of stored) {
      for (const [id, value] of Object.entries(r.values as Record<string, unknown>)) {
        const field = worksheetFields(modules.find((m) => m.moduleId === r.moduleId)!.worksheet).find((f) => f.id === id)!;
        if (field.type === 'choice') expect(value).not.toContain(EVIL);
        else expect(JSON.stringify(value)).toContain(JSON.stringify(EVIL).slice(1, -1));
      }
    }

    for (const m of modules) {
      const page = await learner.agent.get(`/modules/${m.moduleId}/worksheet`);
      expect(page.text).not.toContain(EVIL);
      expect(count(page.text, ESCAPED)).toBeGreaterThanOrEqual(textInputs(m));
    }
    const allInputs = modules.reduce((n, m) => n + textInputs(m), 0);
    for (const [who, url] of [
      [learner, '/plan'],
      [trainer, trainerPlan],
    ] as const) {
      const page = await who.agent.get(url);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(EVIL);
      // every field, the name and the feedback
      expect(count(page.text, ESCAPED)).toBeGreaterThanOrEqual(allInputs + 2);
      expect(page.text).toContain(`Feedback ${ESCAPED}`);
    }
    const list = await trainer.agent.get(`/trainer/cohorts/${cohort.id}/plans`);
    expect(list.text).not.toContain(EVIL);
    expect(list.text).toContain(`Learner ${ESCAPED}`);

    const pdf = await learner.agent.get('/plan.pdf').buffer(true).parse(binary);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // table cells wrap: read in the order the text was written (-raw), cell after cell, without the line breaks
    const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { input: pdf.body as Buffer }).toString('utf8').replace(/\s+/g, '');
    const compact = EVIL.replace(/\s+/g, '');
    expect(count(text, compact)).toBeGreaterThanOrEqual(allInputs + 2);
    expect(text).toContain(`Feedback${compact}`);
    expect(text).not.toContain('&lt;');

    const docx = await learner.agent.get('/plan.docx').buffer(true).parse(binary);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-markup-'));
    fs.writeFileSync(path.join(dir, 'plan.docx'), docx.body as Buffer);
    const xml = execFileSync('unzip', ['-p', path.join(dir, 'plan.docx'), 'word/document.xml'], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(xml).not.toContain('<script>');
    expect(count(xml, ESCAPED)).toBeGreaterThanOrEqual(allInputs + 1);
  });
});
