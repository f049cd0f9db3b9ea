import type { LearningActivity } from '../../../src/platform/activity';
import { createStatementBuilder, statementId, statementProblems, VERBS } from '../../../src/features/xapi';

const base = 'https://learn.example.org';
const at = new Date('2026-11-29T10:00:00Z');
const build = createStatementBuilder({ baseUrl: base }).build;

const every: LearningActivity[] = [
  { type: 'registered', userId: 'u1', language: 'es', at },
  { type: 'lesson-experienced', userId: 'u1', moduleId: 'introduction', lessonId: 'the-roadmap', at },
  { type: 'lesson-completed', userId: 'u1', moduleId: 'introduction', lessonId: 'the-roadmap', at },
  { type: 'quiz-attempted', userId: 'u1', moduleId: 'introduction', attemptId: 'a1', attemptNumber: 1, at },
  {
    type: 'quiz-graded',
    userId: 'u1',
    moduleId: 'introduction',
    attemptId: 'a1',
    attemptNumber: 1,
    correctCount: 1,
    total: 2,
    scorePercent: 50,
    passPercent: 70,
    passed: false,
    questions: [
      { questionId: 'q1', chosen: ['a'], correct: true },
      { questionId: 'q2', chosen: ['a', 'c'], correct: false },
    ],
    at,
  },
  { type: 'module-completed', userId: 'u1', moduleId: 'introduction', scorePercent: 80, at },
  { type: 'course-completed', userId: 'u1', moduleIds: ['introduction'], at },
  { type: 'certificate-earned', userId: 'u1', code: 'ABCD-EFGH', at },
  { type: 'worksheet-finished', userId: 'u1', moduleId: 'introduction', at },
];

describe('xAPI statement building', () => {
  it('when any activity is built, then every statement passes xapi-validation and names the actor by account', () => {
    for (const activity of every) {
      for (const { statement } of build(activity)) {
        expect(statementProblems(statement)).toEqual([]);
        expect(statement.actor).toEqual({ objectType: 'Agent', account: { homePage: base, name: 'u1' } });
      }
    }
  });

  it('when the same activity is built twice, then the statement ids are the same version-5 UUIDs', () => {
    const ids = every.flatMap((a) => build(a).map((s) => s.id));
    expect(every.flatMap((a) => build({ ...a, at: new Date() } as LearningActivity).map((s) => s.id)).slice(0, 1)).toEqual(ids.slice(0, 1));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(statementId(base, 'x')).not.toBe(statementId('https://other.example.org', 'x'));
  });

  it('when a quiz is failed, then the outcome says failed with its score and each answer refers to it', () => {
    const built = build(every[4]!);
    const outcome = built.at(-1)!.statement;
    expect(outcome.verb.id).toBe(VERBS.failed);
    expect(outcome.result).toEqual({ score: { scaled: 0.5, raw: 1, min: 0, max: 2 }, success: false, completion: true });
    expect(built.slice(0, 2).map((s) => s.statement.result)).toEqual([
      { success: true, response: 'a' },
      { success: false, response: 'a[,]c' },
    ]);
  });
});
