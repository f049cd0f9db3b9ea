import type { Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { createContentService, type PublishedModule } from '../../../src/features/content';
import { IN_CHUNK } from '../../../src/platform/database';
import { decoded } from '../../helpers/build-app';
import { createCohort, enrolDirectly, figure, joinWith } from '../../helpers/cohorts';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { answersFilling, postForm, saveWorksheet } from '../../helpers/worksheets';

/*
 * What a trainer reads of their learners' plans: "plans shared / finished" on the cohort page and
 * the list of shared plans, counted from the learners' own records, with queries whose number does
 * not grow with the cohort (a chunk of learners per query, never a query per learner).
 */

let connection: Connection;
let trainer: SignedIn;
let modules: (PublishedModule & { worksheet: NonNullable<PublishedModule['worksheet']> })[];

beforeAll(async () => {
  connection = await connectTestDatabase('_cohort_plans', { monitorCommands: true });
  await seedCourse(connection);
  modules = (await createContentService({ connection }).modules()).filter((m): m is (typeof modules)[number] => m.worksheet !== undefined);
  trainer = await signedInAgent(connection, { role: 'trainer', name: 'Teresa Trainer' });
});
afterAll(async () => {
  await connection.close();
});

const finishWorksheet = (learner: SignedIn, m: (typeof modules)[number]) => saveWorksheet(learner, m.moduleId, answersFilling(m.worksheet, 'Done'), 'finish');
const share = (learner: SignedIn, on: boolean) => postForm(learner, '/plan/share', { share: on ? 'on' : 'off' }, '/plan');

describe('the cohort page’s plan figures and the list of plans', () => {
  it('when learners share and finish their plans, then the cohort page and the list count only this cohort’s learners, sharing now and with every worksheet finished', async () => {
    const cohort = await createCohort(trainer.agent, { name: 'Cohorte de Loja' });
    const [ana, ben, cleo, dan, outsider] = await Promise.all(
      ['Ana', 'Ben', 'Cleo', 'Dan', 'Outsider'].map((name) => signedInAgent(connection, { name })),
    );
    for (const l of [ana!, ben!, cleo!, dan!]) expect((await joinWith(l.agent, cohort.code)).status).toBe(303);
    // Ana shares and finished all three; Ben shares and finished module 1; Cleo finished all three
    // but keeps her plan to herself; Dan shared, then stopped; the outsider is in no cohort of this trainer
    for (const m of modules) {
      for (const l of [ana!, cleo!, outsider!]) expect((await finishWorksheet(l, m)).status).toBe(303);
    }
    expect((await finishWorksheet(ben!, modules[0]!)).status).toBe(303);
    // a draft saved after finishing does not undo it
    expect((await saveWorksheet(cleo!, modules[0]!.moduleId, { 'w.gap': 'A later draft' })).status).toBe(303);
    for (const l of [ana!, ben!, dan!, outsider!]) await share(l, true);
    await share(dan!, false);

    const page = await trainer.agent.get(`/trainer/cohorts/${cohort.id}`);
    expect(figure(page.text, 'plans-shared')).toBe(2);
    expect(figure(page.text, 'plans-finished')).toBe(2);
    expect(decoded(page.text)).toContain(`<a href="/trainer/cohorts/${cohort.id}/plans">See the shared plans</a>`);

    const list = await trainer.agent.get(`/trainer/cohorts/${cohort.id}/plans`);
    const text = decoded(list.text);
    expect(text).toContain('Plans shared: 2 of 4. Plans finished: 2 of 4.');
    const rows = [...list.text.matchAll(/<tr><td>([^<]*)<\/td><td>(\d+) \/ (\d+)<\/td><td>([\s\S]*?)<\/td><\/tr>/g)].map((m) => [
      m[1],
      `${m[2]}/${m[3]}`,
      m[4]!.includes('/plan"') ? 'open' : 'not shared',
    ]);
    expect(rows).toEqual([
      ['Ana', '3/3', 'open'],
      ['Ben', '1/3', 'open'],
      ['Cleo', '3/3', 'not shared'],
      ['Dan', '0/3', 'not shared'],
    ]);
  });

  it('when a cohort has no learners, then the figures are 0 of 0', async () => {
    const cohort = await createCohort(trainer.agent, { name: 'Empty cohort' });
    const page = await trainer.agent.get(`/trainer/cohorts/${cohort.id}`);
    expect(figure(page.text, 'plans-shared')).toBe(0);
    expect(figure(page.text, 'plans-finished')).toBe(0);
    expect(decoded((await trainer.agent.get(`/trainer/cohorts/${cohort.id}/plans`)).text)).toContain('Plans shared: 0 of 0. Plans finished: 0 of 0.');
  });
});

describe('queries of the list of plans', () => {
  // the session store and the content cache (re-read every few seconds) are not the page's own
  const IGNORED = new Set(['sessions', 'module_releases', 'module_versions', 'glossary']);

  /** The queries (find, aggregate, count) a request sends, by collection; getMore only pages through an answer. */
  async function queriesOf(path: string): Promise<Record<string, number>> {
    const byCollection: Record<string, number> = {};
    const listener = (e: { commandName: string; command: Document }) => {
      const collection = String(e.command[e.commandName]);
      if (!['find', 'aggregate', 'count'].includes(e.commandName) || IGNORED.has(collection)) return;
      byCollection[collection] = (byCollection[collection] ?? 0) + 1;
    };
    const client = connection.getClient();
    client.on('commandStarted', listener);
    try {
      const res = await trainer.agent.get(path);
      expect(res.status).toBe(200);
    } finally {
      client.off('commandStarted', listener);
    }
    return byCollection;
  }

  /** Adds learners to the cohort as the database holds them, each with a shared plan and a finished worksheet. */
  async function addLearners(cohortId: string, count: number, from: number) {
    const users = await enrolDirectly(connection, cohortId, count, (i) => ({
      email: `plan-${from + i}-${cohortId}@example.org`,
      name: `Learner ${String(from + i).padStart(3, '0')}`,
    }));
    const ids = users.map((u) => String(u._id));
    await connection.collection('plan_shares').insertMany(ids.map((userId) => ({ userId, shared: true, createdAt: new Date() })));
    await connection
      .collection('worksheet_revisions')
      .insertMany(ids.map((userId) => ({ userId, moduleId: modules[0]!.moduleId, values: {}, finished: true, createdAt: new Date() })));
  }

  it('when the cohort grows from 30 to 300 learners, then the list sends the same queries per chunk of learners, never one per learner', async () => {
    const cohort = await createCohort(trainer.agent, { name: 'Growing cohort' });
    const url = `/trainer/cohorts/${cohort.id}/plans`;
    await addLearners(cohort.id, 30, 0);
    const at30 = await queriesOf(url);
    expect(decoded((await trainer.agent.get(url)).text)).toContain('Plans shared: 30 of 30.');

    // up to one chunk of learners (IN_CHUNK), exactly the same queries as for 30
    await addLearners(cohort.id, IN_CHUNK - 30, 30);
    expect(await queriesOf(url)).toEqual(at30);

    // 300 learners: the three reads over the learner ids (names, sharing, finished worksheets) take
    // one more $in each for the second chunk; nothing else changes
    await addLearners(cohort.id, 300 - IN_CHUNK, IN_CHUNK);
    const at300 = await queriesOf(url);
    expect(decoded((await trainer.agent.get(url)).text)).toContain('Plans shared: 300 of 300.');
    expect(at300).toEqual({ ...at30, users: at30.users! + 1, plan_shares: at30.plan_shares! + 1, worksheet_revisions: at30.worksheet_revisions! + 1 });
    const total = (q: Record<string, number>) => Object.values(q).reduce((a, b) => a + b, 0);
    expect(total(at300)).toBe(total(at30) + 3);
    // a query per learner would have sent hundreds
    expect(total(at300)).toBeLessThan(15);
  });
});
