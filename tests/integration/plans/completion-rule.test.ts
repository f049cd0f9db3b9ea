import type { Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { decoded } from '../../helpers/build-app';
import { completeCourseThroughSite, eventually } from '../../helpers/certificates';
import { createCohort, joinWith, matrixCells } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { servedByIndex } from '../../helpers/queries';
import { introAnswers, saveWorksheet, seedCourseRequiringWorksheets } from '../../helpers/worksheets';

/*
 * module.yaml may say `completion: { worksheet: required }`: then a module is complete only once
 * its worksheet is marked finished, and everything that shows completion follows the rule. Here
 * module 1 requires it; modules 2 and 3 do not. Without the rule (the shipped course) nothing changes.
 */

const completedModules = async (connection: Connection, userId: string) =>
  (await connection.collection('module_completions').find({ userId }).toArray()).map((c) => c.moduleId).sort();
const certificates = (connection: Connection, userId: string) => connection.collection('certificates').countDocuments({ userId });
const courseCompletions = (connection: Connection, userId: string) => connection.collection('course_completions').countDocuments({ userId });

/** The dashboard card of one module, as text. */
function card(html: string, moduleId: string): string {
  const m = new RegExp(`<li class="card">\\s*<h[23]><a href="/modules/${moduleId}">[\\s\\S]*?</li>`).exec(html);
  if (!m) throw new Error(`no card for ${moduleId}`);
  return m[0];
}

/** The finds each page sends to worksheet_revisions, as they go over the wire. */
function watchWorksheetQueries(connection: Connection) {
  const sent: Document[] = [];
  const listener = (e: { commandName: string; command: Document }) => {
    if (e.commandName === 'find' && e.command.find === 'worksheet_revisions') sent.push(e.command.filter);
  };
  connection.getClient().on('commandStarted', listener);
  return { sent, stop: () => connection.getClient().off('commandStarted', listener) };
}

/**
 * A module page, once its handbook (rendered in the background on the first visit, a CPU-heavy PDF)
 * is stored: on a loaded machine the render can delay the next request past the database's
 * heartbeat, which answers "back in a moment".
 */
async function modulePage(connection: Connection, learner: SignedIn, moduleId: string): Promise<string> {
  const res = await learner.agent.get(`/modules/${moduleId}`);
  expect(res.status).toBe(200);
  await eventually(() => connection.collection('handbooks.files').findOne({ filename: new RegExp(`^${moduleId}/`) }), 60_000);
  return decoded(res.text);
}


describe('when module 1 requires its worksheet finished', () => {
  let connection: Connection;
  let trainer: SignedIn;
  let learner: SignedIn;
  let cohortId: string;

  beforeAll(async () => {
    connection = await connectTestDatabase('_worksheet_rule_on', { monitorCommands: true });
    await seedCourseRequiringWorksheets(connection, ['01-introduction']);
    trainer = await signedInAgent(connection, { role: 'trainer', name: 'Teresa Trainer' });
    learner = await signedInAgent(connection, { name: 'Rita Rule' });
    const cohort = await createCohort(trainer.agent);
    cohortId = cohort.id;
    expect((await joinWith(learner.agent, cohort.code)).status).toBe(303);
    await completeCourseThroughSite(connection, learner.agent);
  });
  afterAll(async () => {
    await connection.close();
  });

  it('when every lesson is done and every quiz passed but the worksheet is not finished, then module 1 is not complete and no certificate is issued', async () => {
    expect(await completedModules(connection, learner.userId)).toEqual(['reporting', 'territorial-planning']);
    expect(await courseCompletions(connection, learner.userId)).toBe(0);
    expect(await certificates(connection, learner.userId)).toBe(0);
    // the certificate page issues one when it is due: it is not
    expect(decoded((await learner.agent.get('/certificate')).text)).not.toContain('data-certificate-code');
    expect(await certificates(connection, learner.userId)).toBe(0);

    const dashboard = await learner.agent.get('/dashboard');
    const intro = decoded(card(dashboard.text, 'introduction'));
    expect(intro).toContain('Quiz passed: finish the worksheet');
    expect(intro).toContain('<a class="button" href="/modules/introduction/worksheet">Finish the worksheet</a>');
    expect(decoded(card(dashboard.text, 'reporting'))).toContain('Completed');

    const why = await modulePage(connection, learner, 'introduction');
    expect(why).toContain('the quiz is passed with at least 70 % and the worksheet is marked as finished.');
    expect(why).toMatch(/data-worksheet="unfinished"><a href="\/modules\/introduction\/worksheet">Worksheet “[^”]+”: not marked as finished yet/);
    expect(why).not.toContain('Module completed on');
    // a module that does not require its worksheet says nothing of it
    const other = await modulePage(connection, learner, 'reporting');
    expect(other).toContain('A module is complete when every lesson is marked complete and the quiz is passed');
    expect(other).not.toContain('data-worksheet=');

    const matrix = matrixCells((await trainer.agent.get(`/trainer/cohorts/${cohortId}`)).text);
    expect(matrix.get(learner.userId)?.get('introduction')?.status).toBe('worksheetDue');
    expect(matrix.get(learner.userId)?.get('reporting')?.status).toBe('completed');
    const drill = decoded((await trainer.agent.get(`/trainer/cohorts/${cohortId}/learners/${learner.userId}`)).text);
    expect(drill).toMatch(/data-module="introduction"[^>]*data-status="worksheetDue"/);
    expect(drill).toContain('Quiz passed, worksheet not finished yet');
    expect(drill).toContain('<span data-worksheet="unfinished">worksheet not finished yet</span>');
  });

  it('when the worksheet is only saved as a draft, or finishing it is refused, then the module stays incomplete', async () => {
    expect((await saveWorksheet(learner, 'introduction', introAnswers(), 'save')).status).toBe(303);
    const missing = introAnswers();
    delete missing['w.action'];
    expect((await saveWorksheet(learner, 'introduction', missing, 'finish')).status).toBe(422);
    expect(await completedModules(connection, learner.userId)).toEqual(['reporting', 'territorial-planning']);
    expect(await courseCompletions(connection, learner.userId)).toBe(0);
  });

  it('when the learner marks the worksheet finished, then module 1 and the course are complete and the certificate is issued', async () => {
    const res = await saveWorksheet(learner, 'introduction', introAnswers(), 'finish');
    expect(res.status).toBe(303);
    expect(await completedModules(connection, learner.userId)).toEqual(['introduction', 'reporting', 'territorial-planning']);
    expect(await courseCompletions(connection, learner.userId)).toBe(1);
    await eventually(async () => (await certificates(connection, learner.userId)) === 1);

    const dashboard = decoded((await learner.agent.get('/dashboard')).text);
    expect(dashboard).toContain('You completed the course on');
    expect(decoded(card(dashboard, 'introduction'))).toContain('Completed');
    const why = await modulePage(connection, learner, 'introduction');
    expect(why).toMatch(/data-worksheet="finished"><a href="\/modules\/introduction\/worksheet">Worksheet “[^”]+”: marked as finished on/);
    expect(why).toContain('Module completed on');

    const matrix = matrixCells((await trainer.agent.get(`/trainer/cohorts/${cohortId}`)).text);
    expect(matrix.get(learner.userId)?.get('introduction')?.status).toBe('completed');
    const drill = decoded((await trainer.agent.get(`/trainer/cohorts/${cohortId}/learners/${learner.userId}`)).text);
    expect(drill).toMatch(/data-module="introduction"[^>]*data-status="completed"/);
    expect(drill).toContain('<span data-worksheet="finished">worksheet finished on');
    expect(drill).toMatch(/<li data-event="worksheetFinished">[^<]*<time[^>]*>[^<]*<\/time> — Marked the worksheet of “[^”]+” as finished<\/li>/);
  });

  it('when a draft is saved after finishing, then the module stays complete (finishing is a milestone)', async () => {
    expect((await saveWorksheet(learner, 'introduction', { 'w.gap': 'Reworded later' }, 'save')).status).toBe(303);
    const matrix = matrixCells((await trainer.agent.get(`/trainer/cohorts/${cohortId}`)).text);
    expect(matrix.get(learner.userId)?.get('introduction')?.status).toBe('completed');
    expect(await modulePage(connection, learner, 'introduction')).toContain('data-worksheet="finished"');
  });

  it('when the learner pages and the trainer matrix are shown, then each reads finished worksheets with one indexed query on the learner ids', async () => {
    const watch = watchWorksheetQueries(connection);
    try {
      await learner.agent.get('/dashboard');
      expect(watch.sent).toEqual([{ userId: learner.userId, finished: true }]);
      watch.sent.length = 0;
      await learner.agent.get('/modules/introduction');
      expect(watch.sent).toEqual([{ userId: learner.userId, moduleId: 'introduction', finished: true }]);
      watch.sent.length = 0;
      // the overview's matrix, then its "plans finished" figure: one query each on the cohort's learners
      await trainer.agent.get(`/trainer/cohorts/${cohortId}`);
      expect(watch.sent).toEqual([
        { userId: { $in: [learner.userId] }, finished: true },
        { userId: { $in: [learner.userId] }, finished: true },
      ]);
    } finally {
      watch.stop();
    }
    for (const filter of [{ userId: learner.userId, finished: true }, { userId: learner.userId, moduleId: 'introduction', finished: true }, { userId: { $in: [learner.userId] }, finished: true }]) {
      expect([filter, (await servedByIndex(connection, 'worksheet_revisions', filter)).indexed]).toEqual([filter, true]);
    }
  });
});

describe('when no module requires its worksheet (the shipped course)', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await connectTestDatabase('_worksheet_rule_off', { monitorCommands: true });
    await seedCourse(connection);
  });
  afterAll(async () => {
    await connection.close();
  });

  it('when every lesson is done and every quiz passed, then the course is complete and certified without any worksheet, and no page reads worksheets', async () => {
    const learner = await signedInAgent(connection);
    await completeCourseThroughSite(connection, learner.agent);
    expect(await completedModules(connection, learner.userId)).toEqual(['introduction', 'reporting', 'territorial-planning']);
    expect(await courseCompletions(connection, learner.userId)).toBe(1);
    await eventually(async () => (await certificates(connection, learner.userId)) === 1);
    expect(await connection.collection('worksheet_revisions').countDocuments({ userId: learner.userId })).toBe(0);

    const watch = watchWorksheetQueries(connection);
    try {
      const dashboard = decoded((await learner.agent.get('/dashboard')).text);
      expect(dashboard).not.toContain('Finish the worksheet');
      const why = await modulePage(connection, learner, 'introduction');
      expect(why).toContain('A module is complete when every lesson is marked complete and the quiz is passed with at least 70 %.');
      expect(why).not.toContain('data-worksheet=');
      expect(watch.sent).toEqual([]);
    } finally {
      watch.stop();
    }
  });
});
