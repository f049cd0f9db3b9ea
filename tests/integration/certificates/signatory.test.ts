import type { Connection } from 'mongoose';
import { binary, codeFrom, pdfText, recordCourseCompletion } from '../../helpers/certificates';
import { decoded } from '../../helpers/build-app';
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
