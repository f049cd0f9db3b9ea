import type { Connection } from 'mongoose';
import { createApp } from '../../../src/app';
import { formatCode } from '../../../src/features/certificates';
import { createLearningEvents } from '../../../src/features/learning';
import { createLogger } from '../../../src/platform/logger';
import { testConfig } from '../../helpers/build-app';
import { codeFrom, completeCourseThroughSite, eventually, recordCourseCompletion } from '../../helpers/certificates';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';
import { clearOutbox, mailTo } from '../../helpers/mail';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
  clearOutbox();
});
afterAll(async () => {
  await connection.close();
});

const certificatesOf = (userId: string) => connection.collection('certificates').find({ userId }).toArray();
const slotsOf = (userId: string) => connection.collection('certificate_slots').find({ userId }).toArray();

describe('issuing a certificate', () => {
  it('when a learner completes the course on the site, then one certificate is issued at once, e-mailed in their language and linked from the dashboard', async () => {
    const learner = await signedInAgent(connection, { language: 'es', name: 'Lucía Fernández' });
    await completeCourseThroughSite(connection, learner.agent);

    // issued by the course-completed listener, without the learner opening any page
    const [certificate] = await eventually(async () => {
      const found = await certificatesOf(learner.userId);
      return found.length ? found : undefined;
    });
    expect(certificate?.holderName).toBe('Lucía Fernández');
    expect(certificate?.language).toBe('es');
    expect(certificate?.modules.map((m: { id: string }) => m.id)).toEqual(['introduction', 'territorial-planning', 'reporting']);
    expect(certificate?.courseTitle).toEqual({ en: 'Localizing the SDGs', es: 'Localización de los ODS', fr: 'Localisation des ODD' });
    expect(certificate?.issuer).toEqual({ organisation: 'SDG Learn', signatory: 'The SDG Learn course team' });
    expect(certificate?._id).toMatch(/^[0-9A-HJKMNP-TV-Z]{28}$/);

    // waits for the e-mail (an empty list would end the wait at once: the outbox worker sends it a moment later)
    const mails = await eventually(async () => {
      const found = (await mailTo(connection, learner.email)).filter((m) => m.subject.includes('certificado'));
      return found.length ? found : undefined;
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('Su certificado del curso «Localización de los ODS»');
    expect(mails[0]?.text).toContain('Enhorabuena');
    expect(mails[0]?.text).toContain(`/verify/${formatCode(String(certificate?._id))}`);
    expect((mails[0] as unknown as { attachments: { contentType: string }[] }).attachments[0]?.contentType).toBe('application/pdf');

    const dashboard = await learner.agent.get('/dashboard');
    expect(dashboard.text).toMatch(/<a class="button" href="\/certificate">Ver mi certificado<\/a>/);
    const page = await learner.agent.get('/certificate');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Lucía Fernández');
    expect(codeFrom(page.text).replace(/-/g, '')).toBe(certificate?._id);
  });

  it('when issuing is asked for several times at once (the event, the dashboard, the certificate page), then one certificate, one slot and one e-mail exist', async () => {
    const events = createLearningEvents();
    const app = createApp({ config: testConfig(), connection, logger: createLogger('silent'), events });
    const learner = await signedInAgent(connection, { app });
    await recordCourseCompletion(connection, learner.userId);
    const completedAt = new Date('2025-03-12T09:30:00Z');

    events.emitCourseCompleted({ userId: learner.userId, completedAt, moduleIds: [] });
    const responses = await Promise.all([
      learner.agent.get('/dashboard'),
      learner.agent.get('/certificate'),
      learner.agent.get('/certificate'),
      learner.agent.get('/dashboard'),
    ]);
    events.emitCourseCompleted({ userId: learner.userId, completedAt, moduleIds: [] });
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await new Promise((r) => setTimeout(r, 500)); // let the listeners finish

    expect(await certificatesOf(learner.userId)).toHaveLength(1);
    expect(await slotsOf(learner.userId)).toHaveLength(1);
    expect(await connection.collection('certificate_pdfs').countDocuments({ _id: (await certificatesOf(learner.userId))[0]?._id })).toBe(1);
    expect(await mailTo(connection, learner.email)).toHaveLength(1);
    const codes = new Set(responses.filter((r) => r.text.includes('data-certificate-code')).map((r) => codeFrom(r.text)));
    expect(codes.size).toBe(1);
  });

  it('when a learner whose completion was never announced opens the dashboard, then the certificate is issued then and linked', async () => {
    const learner = await signedInAgent(connection);
    await recordCourseCompletion(connection, learner.userId);
    expect(await certificatesOf(learner.userId)).toHaveLength(0);

    const dashboard = await learner.agent.get('/dashboard');
    expect(dashboard.text).toContain('href="/certificate"');
    expect(await certificatesOf(learner.userId)).toHaveLength(1);
  });

  it('when a learner has not finished the course, then no certificate is issued and the page says what is missing', async () => {
    const learner = await signedInAgent(connection, { language: 'fr' });
    const page = await learner.agent.get('/certificate');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Vous recevrez votre certificat dès que vous aurez terminé les trois modules');
    const dashboard = await learner.agent.get('/dashboard');
    expect(dashboard.text).not.toContain('href="/certificate"');
    expect(await certificatesOf(learner.userId)).toHaveLength(0);
    expect(await slotsOf(learner.userId)).toHaveLength(0);
  });

  it('when an anonymous visitor opens "My certificate", then they are sent to log in', async () => {
    const res = await (await import('supertest')).default(createApp({ config: testConfig(), connection, logger: createLogger('silent') })).get('/certificate');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fcertificate');
  });
});
