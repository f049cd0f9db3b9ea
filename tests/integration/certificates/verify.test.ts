import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { buildApp, decoded } from '../../helpers/build-app';
import { codeFrom, recordCourseCompletion } from '../../helpers/certificates';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';

let connection: Connection;
let visitor: ReturnType<typeof supertest>;

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
  visitor = supertest(buildApp(connection));
});
afterAll(async () => {
  await connection.close();
});

async function issuedCode(name: string): Promise<string> {
  const learner = await signedInAgent(connection, { name });
  await recordCourseCompletion(connection, learner.userId);
  return codeFrom((await learner.agent.get('/certificate')).text);
}

describe('public verification', () => {
  it('when anyone opens a valid code, without logging in, then the page says valid and shows holder, course, modules, date, issuer and the PDF fingerprint', async () => {
    const code = await issuedCode('Nguyễn Thị Minh Khai-Øre Ñúñez');
    const certificate = await connection.collection('certificates').findOne({ _id: code.replace(/-/g, '') as unknown as never });
    const res = await visitor.get(`/verify/${code}`);
    expect(res.status).toBe(200);
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    const page = decoded(res.text);
    expect(page).toContain('data-status="valid"');
    expect(page).toContain('This certificate is valid. It was issued by SDG Learn.');
    expect(page).toContain('Nguyễn Thị Minh Khai-Øre Ñúñez');
    expect(page).toContain('Localizing the SDGs');
    expect(page).toContain('Territorial planning to achieve the SDGs');
    expect(page).toContain('12 March 2025');
    expect(page).toContain('SDG Learn, signed by The SDG Learn course team');
    expect(page).toContain(`data-pdf-sha256>${certificate?.pdfSha256}<`);
    expect(certificate?.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
    // never the holder's e-mail on the public page
    expect(page).not.toContain('@example.org');
  });

  it('when the page is asked for in Spanish or French, then it is translated, course title included', async () => {
    const code = await issuedCode('Ana Traducida');
    const es = decoded((await visitor.get(`/verify/${code}?lng=es`)).text);
    expect(es).toContain('<html lang="es">');
    expect(es).toContain('Este certificado es válido.');
    expect(es).toContain('Localización de los ODS');
    expect(es).toContain('12 de marzo de 2025');
    const fr = decoded((await visitor.get(`/verify/${code}?lng=fr`)).text);
    expect(fr).toContain('Ce certificat est valide.');
    expect(fr).toContain('Empreinte SHA-256 du PDF délivré');
  });

  it('when a code is unknown or malformed, then 404 with a translated message and the form to try again', async () => {
    const unknown = await visitor.get(`/verify/${'7KQ2-M9XD-'.repeat(2)}AAAA-BBBB-CCCC`).query({ lng: 'fr' });
    expect(unknown.status).toBe(404);
    expect(decoded(unknown.text)).toContain('Aucun certificat ne porte ce code.');
    expect(unknown.text).toContain('<form method="get" action="/verify"');
    const malformed = await visitor.get('/verify/hello');
    expect(malformed.status).toBe(404);
    expect(decoded(malformed.text)).toContain('This is not a verification code');
  });

  it('when a code is typed in lower case, without dashes, or as the QR link, then the form leads to its page', async () => {
    const code = await issuedCode('Ana Typing');
    const typed = code.replace(/-/g, '').toLowerCase().replace(/0/g, 'o');
    const res = await visitor.get('/verify').query({ code: ` ${typed} ` });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/verify/${code}`);
    const link = await visitor.get('/verify').query({ code: `http://localhost:3000/verify/${code}` });
    expect(link.headers.location).toBe(`/verify/${code}`);
    const empty = await visitor.get('/verify').query({ code: '' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('aria-invalid="true"');
    expect(decoded(empty.text)).toContain('Enter a verification code.');
    expect((await visitor.get('/verify')).status).toBe(200);
  });
});
