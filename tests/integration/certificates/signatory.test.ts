import type { Connection } from 'mongoose';
import { binary, codeFrom, pdfText, recordCourseCompletion } from '../../helpers/certificates';
import { createApp } from '../../../src/app';
import { createLogger } from '../../../src/platform/logger';
import { decoded, testConfig } from '../../helpers/build-app';
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

describe('the default signatory', () => {
  it.each([
    ['es', 'El equipo del curso SDG Learn'],
    ['fr', 'L’équipe du cours SDG Learn'],
    ['en', 'The SDG Learn course team'],
  ] as const)('when CERTIFICATE_SIGNATORY is not set and the learner reads %s, then the certificate is signed in that language', async (language, signatory) => {
    const learner = await signedInAgent(connection, { language });
    await recordCourseCompletion(connection, learner.userId);
    const code = codeFrom((await learner.agent.get('/certificate')).text);
    const stored = await connection.collection('certificates').findOne({ userId: learner.userId });
    expect(stored?.issuer).toEqual({ organisation: 'SDG Learn', signatory });
    const pdf = (await learner.agent.get(`/certificates/${code}.pdf`).buffer(true).parse(binary)).body as Buffer;
    expect(pdfText(pdf).replace(/\s+/g, ' ')).toContain(signatory);
    expect(decoded((await learner.agent.get('/certificate')).text)).toContain(signatory);
  });
});

describe('a real contact for the course team', () => {
  it('when CONTACT_EMAIL is set, then "My certificate" gives that address; when unset, no address; a bad one stops start-up', async () => {
    const app = createApp({ config: testConfig({ CONTACT_EMAIL: 'learn@uclg.example' }), connection, logger: createLogger('silent') });
    const learner = await signedInAgent(connection, { language: 'es', app });
    await recordCourseCompletion(connection, learner.userId);
    const page = decoded((await learner.agent.get('/certificate')).text);
    expect(page).toContain('¿Preguntas para el equipo del curso? Escriba a <a href="mailto:learn@uclg.example">learn@uclg.example</a>');
    const plain = await signedInAgent(connection);
    await recordCourseCompletion(connection, plain.userId);
    expect((await plain.agent.get('/certificate')).text).not.toContain('data-contact');
    expect(() => testConfig({ CONTACT_EMAIL: 'not an address' })).toThrow(/CONTACT_EMAIL/);
  });
});
