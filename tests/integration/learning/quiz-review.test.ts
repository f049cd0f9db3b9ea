import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { decoded } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { signedInAgent } from '../../helpers/learner';
import { answersFor, attemptIdFrom, formBody } from '../../helpers/quiz';

let connection: Connection;

beforeAll(async () => {
  connection = await connectTestDatabase();
  await seedCourse(connection);
});
afterAll(async () => {
  await connection.close();
});

async function gradedResult(language: 'en' | 'es' | 'fr', right: number) {
  const learner = await signedInAgent(connection, { language });
  const page = await learner.agent.get('/modules/introduction/quiz');
  const attemptId = attemptIdFrom(page.text);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const res = await learner.agent
    .post('/modules/introduction/quiz')
    .type('form')
    .send(formBody({ ...(await answersFor(connection, attemptId, right)), _csrf: token }));
  expect(res.status).toBe(303);
  const result = await learner.agent.get(String(res.headers.location));
  expect(result.status).toBe(200);
  return { learner, attemptId, html: decoded(result.text) };
}

/** The <li> of each reviewed question, by its number. */
function reviewItems(html: string) {
  return [...html.matchAll(/<li class="review (right|wrong)" id="question-(\d+)">([\s\S]*?)<\/li>/g)].map((m) => ({ kind: m[1], number: Number(m[2]), body: m[3]! }));
}

describe('the quiz review', () => {
  it('when 7 of 10 are right, then a summary links to the 3 missed questions, which are open with icon and text, and the 7 right ones are collapsed', async () => {
    const { learner, attemptId, html } = await gradedResult('en', 7);
    const grade = await connection.collection('quiz_grades').findOne({ _id: new Types.ObjectId(attemptId) });
    expect(grade).toMatchObject({ userId: learner.userId, correctCount: 7, total: 10 });
    expect(html).toContain('7 of 10 right; review the 3 you missed:');
    const items = reviewItems(html);
    expect(items).toHaveLength(10);
    const missed = items.filter((i) => i.kind === 'wrong').map((i) => i.number);
    expect(missed).toEqual([8, 9, 10]); // answersFor answers the first `right` questions correctly
    for (const n of missed) expect(html).toContain(`<a href="#question-${n}">Question ${n}</a>`);
    for (const item of items) {
      if (item.kind === 'wrong') {
        expect(item.body).toMatch(/<span class="verdict wrong"><svg class="icon icon-bad" aria-hidden="true"[\s\S]*?<\/svg> Not right<\/span>/);
        expect(item.body).not.toContain('<details');
        expect(item.body).toContain('The right answer:');
      } else {
        expect(item.body).toMatch(/^\s*<details>\s*<summary><span class="verdict right"><svg class="icon icon-ok"[\s\S]*?<\/svg> Right<\/span>/);
        expect(item.body).not.toContain('<details open');
      }
    }
  });

  it('when every answer is right in French, then the summary says so and no question is open', async () => {
    const { html } = await gradedResult('fr', 10);
    expect(html).toContain('Les 10 réponses sont justes.');
    expect(reviewItems(html).every((i) => i.kind === 'right')).toBe(true);
    expect(html).not.toContain('href="#question-');
  });

  it('when one answer is wrong in Spanish, then the summary uses the singular', async () => {
    const { html } = await gradedResult('es', 9);
    expect(html).toContain('9 de 10 correctas; repase la que falló:');
    expect(html).toContain('<a href="#question-10">Pregunta 10</a>');
  });
});
