import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { buildApp, csrfFrom, decoded } from '../../helpers/build-app';
import { codeFrom, recordCourseCompletion } from '../../helpers/certificates';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';

let connection: Connection;
let admin: SignedIn;

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
  admin = await signedInAgent(connection, { role: 'admin' });
});
afterAll(async () => {
  await connection.close();
});

async function certificateCode() {
  const learner = await signedInAgent(connection);
  await recordCourseCompletion(connection, learner.userId);
  return codeFrom((await learner.agent.get('/certificate')).text);
}

async function adminPost(path: string, fields: Record<string, string>) {
  const page = await admin.agent.get(path.replace(/\/(revoke|reissue)$/, ''));
  return admin.agent.post(path).type('form').send({ ...fields, _csrf: csrfFrom(page.text) });
}

/** The status banner of a verify page: its kind, icon and heading. */
function banner(html: string) {
  const m = /<div class="status-banner (\w+)" role="status" data-status="\w+">\s*<h2 class="notice-title"><svg class="icon icon-(\w+)"[\s\S]*?<\/svg> ([^<]+)<\/h2>/.exec(html);
  return m ? { kind: m[1], icon: m[2], heading: m[3] } : undefined;
}

describe('re-issuing takes a reason', () => {
  it('when an admin re-issues without a reason, then 422 beside the field and nothing is issued; with one, the old code shows it and the audit has it', async () => {
    const code = await certificateCode();
    const canonical = code.replace(/-/g, '');
    const refused = await adminPost(`/admin/certificates/${code}/reissue`, {});
    expect(refused.status).toBe(422);
    expect(decoded(refused.text)).toContain('Choose the reason for the re-issue.');
    const slots = async () => connection.collection('certificate_slots').countDocuments({ replaces: canonical });
    expect(await slots()).toBe(0);
    expect(await connection.collection('audit_events').countDocuments({ action: 'certificate.reissued', 'details.code': code })).toBe(0);

    expect((await adminPost(`/admin/certificates/${code}/reissue`, { reissueReason: 'nameCorrected' })).status).toBe(303);
    expect(await connection.collection('certificate_slots').findOne({ replaces: canonical })).toMatchObject({ reissueReason: 'nameCorrected' });
    expect(await connection.collection('audit_events').findOne({ action: 'certificate.reissued', 'details.code': code })).toMatchObject({ details: { reason: 'nameCorrected' } });
    const visitor = supertest(buildApp(connection));
    expect(decoded((await visitor.get(`/verify/${code}?lng=es`)).text)).toContain('Motivo: Nombre corregido.');
  });
});

describe('status signals on the verify page', () => {
  it('when a certificate is valid, revoked, or replaced, then each has its own colour class, icon and heading', async () => {
    const visitor = supertest(buildApp(connection));
    const valid = await certificateCode();
    expect(banner(decoded((await visitor.get(`/verify/${valid}?lng=en`)).text))).toEqual({ kind: 'valid', icon: 'ok', heading: 'Valid' });

    const revoked = await certificateCode();
    expect((await adminPost(`/admin/certificates/${revoked}/revoke`, { reason: 'misconduct' })).status).toBe(303);
    expect(banner(decoded((await visitor.get(`/verify/${revoked}?lng=es`)).text))).toMatchObject({ kind: 'revoked', icon: 'bad' });

    const replaced = await certificateCode();
    expect((await adminPost(`/admin/certificates/${replaced}/reissue`, { reissueReason: 'nameCorrected' })).status).toBe(303);
    expect(banner(decoded((await visitor.get(`/verify/${replaced}?lng=fr`)).text))).toEqual({ kind: 'superseded', icon: 'warn', heading: 'Remplacé par un certificat plus récent' });
  });

  it('when a flash message follows an action, then success and error carry their own icon beside the words', async () => {
    const learner = await signedInAgent(connection);
    const page = await learner.agent.get('/modules/introduction/lessons/the-roadmap');
    await learner.agent.post('/modules/introduction/lessons/the-roadmap/complete').type('form').send({ _csrf: csrfFrom(page.text) });
    const next = decoded((await learner.agent.get('/modules/introduction/lessons/awareness-and-advocacy')).text);
    expect(next).toMatch(/<div class="notice success" role="status"><p class="notice-title"><svg class="icon icon-ok"[\s\S]*?<\/svg> <span>Lesson marked as complete.<\/span>/);
  });
});
