import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { buildApp, csrfFrom } from '../../helpers/build-app';
import { createCohort } from '../../helpers/cohorts';
import { connectTestDatabase } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { mailTo } from '../../helpers/mail';

let connection: Connection;
let trainer: SignedIn;

beforeAll(async () => {
  connection = await connectTestDatabase('_cohort_emails');
  trainer = await signedInAgent(connection, { role: 'trainer', name: 'Tomás Trainer' });
});
afterAll(async () => {
  await connection.close();
});

const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.org`;

async function enrol(cohortId: string, emails: string) {
  const page = await trainer.agent.get(`/trainer/cohorts/${cohortId}/manage`);
  return trainer.agent.post(`/trainer/cohorts/${cohortId}/enrol`).field('_csrf', csrfFrom(page.text)).field('emails', emails);
}

async function registerThrough(agent: ReturnType<typeof supertest.agent>, path: string, email: string, language = 'fr') {
  const form = await agent.get(path);
  const next = /name="next" value="([^"]*)"/.exec(form.text)?.[1]?.replace(/&amp;/g, '&');
  return agent
    .post('/register')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), name: 'Nadia Nueva', email, password: `a long passphrase ${crypto.randomUUID()}`, language, ...(next ? { next } : {}) });
}

describe('e-mails people expect', () => {
  it('when someone registers in French, then a welcome e-mail in French says where to start', async () => {
    const email = unique('welcome');
    const res = await registerThrough(supertest.agent(buildApp(connection)), '/register', email);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
    const mail = await mailTo(connection, email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Bienvenue dans « Localisation des ODD »');
    expect(mail[0]!.text).toContain('Bonjour Nadia Nueva,');
    expect(mail[0]!.text).toMatch(/Commencez ici[^\n]*\nhttp:\/\/[^\n]+\/dashboard/);
  });

  it('when a trainer enrols a learner and an unknown address, then the learner is told in their language and the stranger invited with a link that signs up and joins', async () => {
    const cohort = await createCohort(trainer.agent, { name: 'Quito 2026', language: 'es' });
    const learner = await signedInAgent(connection, { language: 'fr', name: 'Léa Learner' });
    const stranger = unique('stranger');
    const res = await enrol(cohort.id, `${learner.email}\n${stranger}`);
    expect(res.status).toBe(200);

    const told = await mailTo(connection, learner.email);
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toBe('Vous êtes inscrit·e dans le groupe « Quito 2026 »');

    const invited = await mailTo(connection, stranger);
    expect(invited).toHaveLength(1);
    expect(invited[0]!.subject).toBe('Invitación al curso «Localización de los ODS» (Quito 2026)');
    const link = /(http:\/\/\S+\/register\?\S+)/.exec(invited[0]!.text)![1]!;
    const url = new URL(link);
    expect(url.searchParams.get('next')).toBe(`/cohorts/join?code=${cohort.code}`);

    const agent = supertest.agent(buildApp(connection));
    const signup = await registerThrough(agent, `${url.pathname}${url.search}`, stranger, 'es');
    expect(signup.status).toBe(303);
    expect(signup.headers.location).toBe(`/cohorts/join?code=${cohort.code}`);
    const joinForm = await agent.get(String(signup.headers.location));
    expect(joinForm.text).toContain(`value="${cohort.code}"`);
    const joined = await agent.post('/cohorts/join').type('form').send({ _csrf: csrfFrom(joinForm.text), code: cohort.code });
    expect(joined.status).toBe(303);
    const user = await connection.collection('users').findOne({ email: stranger });
    expect(await connection.collection('cohort_members').countDocuments({ cohortId: cohort.id, userId: String(user!._id) })).toBe(1);
  });

  it('when the next address after sign-up points off the site, then it is ignored', async () => {
    const email = unique('offsite');
    const res = await registerThrough(supertest.agent(buildApp(connection)), `/register?next=${encodeURIComponent('//evil.example/x')}`, email);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
  });
});

describe('creating a cohort with the contract fields only', () => {
  it('when a French-speaking trainer sends only a name, then the cohort is created in French', async () => {
    const fr = await signedInAgent(connection, { role: 'trainer', language: 'fr' });
    const page = await fr.agent.get('/trainer/cohorts');
    const res = await fr.agent.post('/trainer/cohorts').type('form').send({ _csrf: csrfFrom(page.text), name: 'Dakar 2027' });
    expect(res.status).toBe(303);
    expect(await connection.collection('cohorts').findOne({ name: 'Dakar 2027' })).toMatchObject({ language: 'fr' });
  });

  it('when the language sent is not one of ours, then it is still refused and nothing is stored', async () => {
    const page = await trainer.agent.get('/trainer/cohorts');
    const res = await trainer.agent.post('/trainer/cohorts').type('form').send({ _csrf: csrfFrom(page.text), name: 'Bad language', language: 'xx' });
    expect(res.status).toBe(422);
    expect(await connection.collection('cohorts').countDocuments({ name: 'Bad language' })).toBe(0);
  });
});
