import type { Connection } from 'mongoose';
import { csrfFrom, decoded } from '../../helpers/build-app';
import { COHORT_COLLECTIONS, createCohort } from '../../helpers/cohorts';
import { connectTestDatabase } from '../../helpers/database';
import { createUser, snapshot } from '../../helpers/factories';
import { type SignedIn, signedInAgent } from '../../helpers/learner';

let connection: Connection;
let trainer: SignedIn;

beforeAll(async () => {
  connection = await connectTestDatabase('_cohort_enrol');
  trainer = await signedInAgent(connection, { role: 'trainer', name: 'Tomás Trainer' });
});
afterAll(async () => {
  await connection.close();
});

const memberIds = async (cohortId: string) =>
  (await connection.collection('cohort_members').find({ cohortId }).toArray()).map((m) => m.userId as string).sort();

/** The multipart enrolment form, as a browser sends it: the token first, then the fields. */
async function enrol(cohortId: string, fields: { emails?: string; file?: { name: string; content: string | Buffer; type?: string } }) {
  const page = await trainer.agent.get(`/trainer/cohorts/${cohortId}/manage`);
  let req = trainer.agent.post(`/trainer/cohorts/${cohortId}/enrol`).field('_csrf', csrfFrom(page.text));
  if (fields.emails !== undefined) req = req.field('emails', fields.emails);
  if (fields.file) {
    const { name, content, type } = fields.file;
    req = req.attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), { filename: name, contentType: type ?? 'text/csv' });
  }
  return req;
}

describe('enrolling from a list of e-mail addresses', () => {
  it('when a pasted list has good, malformed and unknown rows, then the good are enrolled and every other row is listed back', async () => {
    const { id } = await createCohort(trainer.agent);
    const ana = await createUser(connection, { email: 'ana.perez@example.org', name: 'Ana Pérez' });
    const bo = await createUser(connection, { email: 'bo@example.org', name: 'Bo Diallo' });
    const list = [
      'Ana.Perez@Example.org',
      '',
      'Bo Diallo <bo@example.org>, nobody.here@example.org',
      'Just a name',
      'broken@@example',
      'ana.perez@example.org',
    ].join('\n');
    const res = await enrol(id, { emails: list });
    expect(res.status).toBe(200);
    const text = decoded(res.text);
    expect(text).toContain('Enrolled now: 2');
    expect(text).toContain('No account with this address: 1');
    expect(text).toContain('Rows that could not be read: 2');
    expect(text).toContain('Addresses given more than once, counted once: 1');
    expect(res.text).toContain('data-unknown="nobody.here@example.org"');
    expect(text).toMatch(/pasted list, line 4: <code>Just a name<\/code> — there is no e-mail address in this row/);
    expect(text).toMatch(/pasted list, line 5: <code>broken@@example<\/code> — this is not a valid e-mail address/);
    expect(await memberIds(id)).toEqual([ana.id, bo.id].sort());
    const rows = await connection.collection('cohort_members').find({ cohortId: id }).toArray();
    expect(rows.every((r) => r.via === 'list')).toBe(true);
  });

  it('when a spreadsheet CSV (semicolons, header row, BOM) is uploaded, then its e-mail column is read and people already in are reported', async () => {
    const { id } = await createCohort(trainer.agent);
    const carla = await createUser(connection, { email: 'carla@example.org', name: 'Carla Núñez' });
    const dan = await createUser(connection, { email: 'dan@example.org', name: 'Dan Okafor' });
    await enrol(id, { emails: 'dan@example.org' });
    const csv = '\ufeffNombre;Correo electrónico;Municipio\r\nCarla Núñez;carla@example.org;Quito\r\nDan Okafor;dan@example.org;Lagos\r\nEve;;Lyon\r\nFaye;"faye@example.org";Dakar\r\n';
    const res = await enrol(id, { file: { name: 'participantes.csv', content: csv } });
    expect(res.status).toBe(200);
    const text = decoded(res.text);
    expect(text).toContain('Enrolled now: 1');
    expect(text).toContain('Already in the cohort: 1');
    expect(text).toContain('No account with this address: 1');
    expect(res.text).toContain('data-unknown="faye@example.org"');
    expect(text).toMatch(/file, line 4: <code>Eve;;Lyon<\/code> — there is no e-mail address in this row/);
    expect(await memberIds(id)).toEqual([carla.id, dan.id].sort());
  });

  it('when the file is not a CSV or text file, then the form says so beside the field and nobody is enrolled', async () => {
    const { id } = await createCohort(trainer.agent);
    await createUser(connection, { email: 'gil@example.org' });
    const before = await snapshot(connection, COHORT_COLLECTIONS);
    const res = await enrol(id, { file: { name: 'list.xlsx', content: Buffer.from('PK\u0003\u0004gil@example.org'), type: 'application/octet-stream' } });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="enrol-file-error"/);
    expect(decoded(res.text)).toContain('Upload a .csv or .txt file.');
    expect(await snapshot(connection, COHORT_COLLECTIONS)).toEqual(before);
  });

  it('when a binary file is named .csv, or the file is larger than 1 MB, then it is refused beside the field', async () => {
    const { id } = await createCohort(trainer.agent);
    const binary = await enrol(id, { file: { name: 'list.csv', content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]) } });
    expect(binary.status).toBe(422);
    expect(decoded(binary.text)).toContain('This file is not text.');
    const big = await enrol(id, { file: { name: 'big.csv', content: 'x@example.org\n'.repeat(80_000) } });
    expect(big.status).toBe(422);
    expect(decoded(big.text)).toContain('The file is larger than 1 MB.');
    expect(await memberIds(id)).toEqual([]);
  });

  it('when nothing is pasted and no file is chosen, then the form asks for a list', async () => {
    const { id } = await createCohort(trainer.agent);
    const res = await enrol(id, { emails: '  ' });
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('Paste e-mail addresses or choose a file.');
  });

  it('when the enrolment form is posted without its CSRF token, then it is refused with 403 and nobody is enrolled', async () => {
    const { id } = await createCohort(trainer.agent);
    await createUser(connection, { email: 'hana@example.org' });
    const before = await snapshot(connection, COHORT_COLLECTIONS);
    const multipart = await trainer.agent.post(`/trainer/cohorts/${id}/enrol`).field('emails', 'hana@example.org');
    const urlencoded = await trainer.agent.post(`/trainer/cohorts/${id}/enrol`).type('form').send({ emails: 'hana@example.org' });
    expect(multipart.status).toBe(403);
    expect(urlencoded.status).toBe(403);
    expect(await snapshot(connection, COHORT_COLLECTIONS)).toEqual(before);
  });
});

describe('trainers of a cohort', () => {
  it('when a second trainer is added, then they see the cohort; a learner cannot be added; the last trainer cannot leave', async () => {
    const { id } = await createCohort(trainer.agent);
    const other = await signedInAgent(connection, { role: 'trainer' });
    expect((await other.agent.get(`/trainer/cohorts/${id}`)).status).toBe(404);
    const page = await trainer.agent.get(`/trainer/cohorts/${id}/manage`);
    const added = await trainer.agent.post(`/trainer/cohorts/${id}/trainers`).type('form').send({ email: other.email, _csrf: csrfFrom(page.text) });
    expect(added.status).toBe(303);
    expect((await other.agent.get(`/trainer/cohorts/${id}`)).status).toBe(200);
    expect(await connection.collection('audit_events').findOne({ action: 'cohort.trainerAdded', targetEmail: other.email })).not.toBeNull();

    const learner = await signedInAgent(connection);
    const refused = await trainer.agent.post(`/trainer/cohorts/${id}/trainers`).type('form').send({ email: learner.email, _csrf: csrfFrom(page.text) });
    expect(refused.status).toBe(422);
    expect(decoded(refused.text)).toContain('not a trainer account');

    const leave = await other.agent.post(`/trainer/cohorts/${id}/trainers/${other.userId}/remove`).type('form').send({ _csrf: await other.csrf() });
    expect(leave.status).toBe(303);
    expect(leave.headers.location).toBe('/trainer/cohorts');
    const last = await trainer.agent.post(`/trainer/cohorts/${id}/trainers/${trainer.userId}/remove`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(last.status).toBe(303);
    expect(await connection.collection('cohort_trainers').find({ cohortId: id }).toArray()).toEqual([expect.objectContaining({ userId: trainer.userId })]);
  });

  it('when the trainer makes a new code, then the old code no longer works', async () => {
    const { id, code } = await createCohort(trainer.agent);
    const page = await trainer.agent.get(`/trainer/cohorts/${id}/manage`);
    await trainer.agent.post(`/trainer/cohorts/${id}/code`).type('form').send({ _csrf: csrfFrom(page.text) });
    const cohort = await connection.collection('cohorts').findOne({ joinCode: code });
    expect(cohort).toBeNull();
  });
});
