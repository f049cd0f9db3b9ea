import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { buildApp } from '../../helpers/build-app';
import { binary, codeFrom, pdfInfo, pdfText, recordCourseCompletion } from '../../helpers/certificates';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

const NAME = 'Nguyễn Thị Minh Khai-Øre Ñúñez';

async function learnerWithCertificate(options: { language: 'en' | 'es' | 'fr'; name: string }) {
  const learner = await signedInAgent(connection, options);
  await recordCourseCompletion(connection, learner.userId);
  const page = await learner.agent.get('/certificate');
  return { ...learner, code: codeFrom(page.text) };
}

describe('the certificate PDF', () => {
  it.each([
    ['fr', ['Certificat de réussite', 'Nous certifions que', 'Localisation des ODD', 'Terminé le 12 mars 2025', 'Code de vérification']],
    ['es', ['Certificado de finalización', 'Se certifica que', 'Localización de los ODS', 'Completado el 12 de marzo de 2025']],
    ['en', ['Certificate of completion', 'This certifies that', 'Localizing the SDGs', 'Completed on 12 March 2025']],
  ] as const)('when a learner in %s downloads it, then it is one landscape page whose text has their exact name, the code and text in their language', async (language, phrases) => {
    const learner = await learnerWithCertificate({ language, name: NAME });
    const res = await learner.agent.get(`/certificates/${learner.code}.pdf`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const info = pdfInfo(pdf);
    expect(info.Pages).toBe('1');
    const [width, height] = (info['Page size'] ?? '').split(' x ').map((n) => Number.parseFloat(n));
    expect(width).toBeGreaterThan(height!);

    const text = pdfText(pdf).normalize('NFC');
    expect(text).toContain(NAME);
    expect(text).toContain(learner.code);
    expect(text).toContain(`/verify/${learner.code}`);
    for (const phrase of phrases) expect(text).toContain(phrase);
  });

  it('when the PDF is fetched twice, then it is the same file, and its SHA-256 is the one the public page shows', async () => {
    const learner = await learnerWithCertificate({ language: 'en', name: NAME });
    const first = (await learner.agent.get(`/certificates/${learner.code}.pdf`).buffer(true).parse(binary)).body as Buffer;
    const second = (await learner.agent.get(`/certificates/${learner.code}.pdf`).buffer(true).parse(binary)).body as Buffer;
    expect(first.equals(second)).toBe(true);
    const hash = crypto.createHash('sha256').update(first).digest('hex');
    const verify = await supertest(buildApp(connection)).get(`/verify/${learner.code}`);
    expect(verify.text).toContain(`data-pdf-sha256>${hash}<`);
  });

  it('when a name mixes Greek, Cyrillic and Chinese, then the PDF carries each of them as text', async () => {
    const learner = await learnerWithCertificate({ language: 'en', name: 'Αλέξανδρος Ёлкин 张伟' });
    const pdf = (await learner.agent.get(`/certificates/${learner.code}.pdf`).buffer(true).parse(binary)).body as Buffer;
    expect(pdfText(pdf)).toContain('Αλέξανδρος Ёлкин 张伟');
  });

  it('when another learner, an anonymous visitor or a wrong code asks for a PDF, then it is refused and only the holder and admins get it', async () => {
    const holder = await learnerWithCertificate({ language: 'en', name: 'Ana Holder' });
    const other = await signedInAgent(connection);
    const admin = await signedInAgent(connection, { role: 'admin' });
    const pdfPath = `/certificates/${holder.code}.pdf`;

    const theirs = await other.agent.get(pdfPath);
    expect(theirs.status).toBe(404);
    expect(theirs.headers['content-type']).toMatch(/text\/html/);
    expect((await other.agent.get(`/certificates/${holder.code}/credential.json`)).status).toBe(404);

    const anonymous = await supertest(buildApp(connection)).get(pdfPath);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/login\?next=/);

    expect((await other.agent.get('/certificates/NOT-A-CODE.pdf')).status).toBe(404);
    expect((await other.agent.get(`/certificates/${'0'.repeat(28)}.pdf`)).status).toBe(404);

    const byAdmin = await admin.agent.get(pdfPath).buffer(true).parse(binary);
    expect(byAdmin.status).toBe(200);
    // the holder's own code in any case and without dashes still finds it
    const lower = await holder.agent.get(`/certificates/${holder.code.replace(/-/g, '').toLowerCase()}.pdf`).buffer(true).parse(binary);
    expect(lower.status).toBe(200);
    expect(await connection.collection('certificates').countDocuments({ userId: other.userId })).toBe(0);
  });
});
