import type { Connection } from 'mongoose';
import type TestAgent from 'supertest/lib/agent';
import { buildApp, csrfFrom } from './build-app';
import { createCohort, joinWith } from './cohorts';
import { type SignedIn, signedInAgent } from './learner';

/** A cohort with a trainer and two learners in it, and an outsider, all signed in on one app. */
export async function cohortWithPeople(connection: Connection, languages: { a?: 'en' | 'es' | 'fr'; b?: 'en' | 'es' | 'fr' } = {}) {
  const app = buildApp(connection);
  const trainer = await signedInAgent(connection, { role: 'trainer', name: 'Tomás Trainer', app });
  const a = await signedInAgent(connection, { name: 'Amélie Dubois', language: languages.a ?? 'fr', app });
  const b = await signedInAgent(connection, { name: 'Beatriz Gómez', language: languages.b ?? 'es', app });
  const outsider = await signedInAgent(connection, { name: 'Olga Outsider', app });
  const cohort = await createCohort(trainer.agent);
  for (const l of [a, b]) {
    const res = await joinWith(l.agent, cohort.code);
    if (res.status !== 303) throw new Error(`join failed with ${res.status}`);
  }
  return { app, trainer, a, b, outsider, cohortId: cohort.id, base: `/cohorts/${cohort.id}/discussion` };
}

/** The form token and CSRF token of a page's form. */
export async function formOn(agent: TestAgent, url: string) {
  const page = await agent.get(url);
  const token = /name="token" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return { csrf: csrfFrom(page.text), token, status: page.status, html: page.text };
}

export async function startThread(person: SignedIn, base: string, fields: Record<string, string>) {
  const form = await formOn(person.agent, base);
  return person.agent.post(base).type('form').send({ _csrf: form.csrf, token: form.token, kind: 'discussion', ...fields });
}

export const threadIdFrom = (location: string | undefined) => /\/discussion\/([0-9a-f]{24})/.exec(location ?? '')?.[1] ?? '';

export async function replyTo(person: SignedIn, threadUrl: string, body: string) {
  const form = await formOn(person.agent, threadUrl);
  return person.agent.post(`${threadUrl}/replies`).type('form').send({ _csrf: form.csrf, token: form.token, body });
}
