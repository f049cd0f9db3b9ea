import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { createFormatter } from '../../../src/platform/format';
import { buildApp, csrfFrom, decoded } from '../../helpers/build-app';
import { binary, codeFrom, pdfText, recordCourseCompletion } from '../../helpers/certificates';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { mailTo } from '../../helpers/mail';

let connection: Connection;
let admin: SignedIn;

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
  admin = await signedInAgent(connection, { role: 'admin', name: 'Ada Admin' });
});
afterAll(async () => {
  await connection.close();
});

async function learnerWithCertificate(name = 'Ana Holder') {
  const learner = await signedInAgent(connection, { name });
  await recordCourseCompletion(connection, learner.userId);
  const code = codeFrom((await learner.agent.get('/certificate')).text);
  return { ...learner, code, canonical: code.replace(/-/g, '') };
}

async function adminPost(path: string, fields: Record<string, string>) {
  const page = await admin.agent.get(path.replace(/\/(revoke|reissue)$/, ''));
  return admin.agent.post(path).type('form').send({ ...fields, _csrf: csrfFrom(page.text) });
}

const audit = (action: string) => connection.collection('audit_events').find({ action }).toArray();

describe('revoking', () => {
  it('when an admin revokes with a reason, then the public page shows revoked with the date and reason, and the audit log has it', async () => {
    const holder = await learnerWithCertificate();
    const res = await adminPost(`/admin/certificates/${holder.code}/revoke`, { reason: 'issuedInError', note: 'Wrong cohort' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/certificates/${holder.code}`);

    const revocation = await connection.collection('certificate_revocations').findOne({ _id: holder.canonical as unknown as never });
    expect(revocation).toMatchObject({ reason: 'issuedInError', note: 'Wrong cohort', revokedById: admin.userId });
    const events = (await audit('certificate.revoked')).filter((e) => e.details.code === holder.code);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorEmail: admin.email, targetEmail: holder.email, details: { reason: 'issuedInError' } });

    const today = createFormatter('fr').longDate(new Date());
    const page = decoded((await supertest(buildApp(connection)).get(`/verify/${holder.code}?lng=fr`)).text);
    expect(page).toContain('data-status="revoked"');
    expect(page).toContain(`Ce certificat a été révoqué le ${today}. Motif : Délivré par erreur.`);
    expect(page).not.toContain('Wrong cohort');
    expect(decoded((await holder.agent.get('/certificate')).text)).toContain('Your certificate was revoked on');
    const log = decoded((await admin.agent.get('/admin/audit')).text);
    expect(log).toContain('Certificate revoked');
  });

  it('when a certificate is revoked twice, then the second is refused with 409 and nothing more is recorded', async () => {
    const holder = await learnerWithCertificate();
    await adminPost(`/admin/certificates/${holder.code}/revoke`, { reason: 'misconduct' });
    const page = await admin.agent.get(`/admin/certificates/${holder.code}`);
    const again = await admin.agent.post(`/admin/certificates/${holder.code}/revoke`).type('form').send({ reason: 'other', _csrf: csrfFrom(page.text) });
    expect(again.status).toBe(409);
    expect((await audit('certificate.revoked')).filter((e) => e.details.code === holder.code)).toHaveLength(1);
    expect(await connection.collection('certificate_revocations').findOne({ _id: holder.canonical as unknown as never })).toMatchObject({ reason: 'misconduct' });
  });

  it('when the reason is missing or the note too long, then the form comes back with 422 and messages beside the fields, and nothing is stored', async () => {
    const holder = await learnerWithCertificate();
    const res = await adminPost(`/admin/certificates/${holder.code}/revoke`, { reason: 'because', note: 'x'.repeat(501) });
    expect(res.status).toBe(422);
    const page = decoded(res.text);
    expect(page).toContain('id="reason-error"');
    expect(page).toContain('Choose a reason.');
    expect(page).toContain('Write at most 500 characters.');
    expect(await connection.collection('certificate_revocations').countDocuments({ _id: holder.canonical as unknown as never })).toBe(0);
  });

  it('when a learner or a request without CSRF token tries to revoke, then it is refused and nothing changes', async () => {
    const holder = await learnerWithCertificate();
    const token = await holder.csrf();
    const byLearner = await holder.agent.post(`/admin/certificates/${holder.code}/revoke`).type('form').send({ reason: 'other', _csrf: token });
    expect(byLearner.status).toBe(403);
    const noToken = await admin.agent.post(`/admin/certificates/${holder.code}/revoke`).type('form').send({ reason: 'other' });
    expect(noToken.status).toBe(403);
    expect((await holder.agent.get('/admin/certificates')).status).toBe(403);
    expect(await connection.collection('certificate_revocations').countDocuments({ _id: holder.canonical as unknown as never })).toBe(0);
  });
});

describe('re-issuing', () => {
  it('when an admin re-issues after a name correction, then a new code carries the new name, the old one shows replaced, and it is audited and e-mailed', async () => {
    const holder = await learnerWithCertificate('Ana Holdr');
    await connection.collection('users').updateOne({ email: holder.email }, { $set: { name: 'Ana Holder-Núñez' } });
    const res = await adminPost(`/admin/certificates/${holder.code}/reissue`, { reissueReason: 'nameCorrected' });
    expect(res.status).toBe(303);
    const newCode = decodeURIComponent(res.headers.location!.split('/').pop()!);
    expect(newCode).not.toBe(holder.code);

    const all = await connection.collection('certificates').find({ userId: holder.userId }).sort({ generation: 1 }).toArray();
    expect(all.map((c) => [c.generation, c.holderName])).toEqual([[1, 'Ana Holdr'], [2, 'Ana Holder-Núñez']]);
    expect(all[1]?.replaces).toBe(holder.canonical);
    const events = (await audit('certificate.reissued')).filter((e) => e.details.code === holder.code);
    expect(events).toHaveLength(1);
    expect(events[0]?.details.newCode).toBe(newCode);

    const visitor = supertest(buildApp(connection));
    expect((await visitor.get(`/verify/${holder.code}`)).text).toContain('data-status="superseded"');
    expect((await visitor.get(`/verify/${newCode}`)).text).toContain('data-status="valid"');
    const mine = await holder.agent.get('/certificate');
    expect(codeFrom(mine.text)).toBe(newCode);
    const pdf = (await holder.agent.get(`/certificates/${newCode}.pdf`).buffer(true).parse(binary)).body as Buffer;
    expect(pdfText(pdf)).toContain('Ana Holder-Núñez');
    expect(await mailTo(connection, holder.email)).toHaveLength(2);

    // the replaced certificate cannot be re-issued again
    const page = await admin.agent.get(`/admin/certificates/${newCode}`);
    const twice = await admin.agent.post(`/admin/certificates/${holder.code}/reissue`).type('form').send({ _csrf: csrfFrom(page.text), reissueReason: 'other' });
    expect(twice.status).toBe(409);
    expect(await connection.collection('certificates').countDocuments({ userId: holder.userId })).toBe(2);
  });

  it('when an admin lists and searches certificates, then the list shows each with its status', async () => {
    const holder = await learnerWithCertificate('Zoë Searchable');
    const list = decoded((await admin.agent.get('/admin/certificates').query({ q: 'zoë search' })).text);
    expect(list).toContain('Zoë Searchable');
    expect(list).toContain(holder.code);
    const byCode = decoded((await admin.agent.get('/admin/certificates').query({ q: holder.code.toLowerCase() })).text);
    expect(byCode).toContain('Certificates: 1.');
    expect((await admin.agent.get('/admin/certificates/NOPE')).status).toBe(404);
  });
});
