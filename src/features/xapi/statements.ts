import crypto from 'node:crypto';
import type { Statement } from '@xapi/xapi';
import type { LearningActivity } from '../../platform/activity';

/**
 * Turns a learning activity into xAPI statements (xAPI 1.0.3), in the ADL vocabulary with
 * cmi5-style assessment results. Activity ids are our own page addresses under BASE_URL, so they
 * stay stable; the actor is an account on our home page (the user id), never the e-mail.
 *
 * Statement ids are name-based UUIDs (version 5) of BASE_URL and what happened, so the same event
 * told twice makes the same statement, and the queue keeps one.
 */
const ADL = 'http://adlnet.gov/expapi';
export const VERBS = {
  registered: `${ADL}/verbs/registered`,
  experienced: `${ADL}/verbs/experienced`,
  completed: `${ADL}/verbs/completed`,
  attempted: `${ADL}/verbs/attempted`,
  answered: `${ADL}/verbs/answered`,
  passed: `${ADL}/verbs/passed`,
  failed: `${ADL}/verbs/failed`,
  earned: 'http://id.tincanapi.com/verb/earned',
} as const;
const TYPES = {
  course: `${ADL}/activities/course`,
  module: `${ADL}/activities/module`,
  lesson: `${ADL}/activities/lesson`,
  assessment: `${ADL}/activities/assessment`,
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction' as const,
  badge: 'http://activitystrea.ms/schema/1.0/badge',
  worksheet: 'http://id.tincanapi.com/activitytype/worksheet',
};

export type BuiltStatement = { id: string; statement: Statement; label: string };

/** A name-based (version 5, SHA-1) UUID of `name` in our BASE_URL's namespace. */
export function statementId(baseUrl: string, name: string): string {
  const h = crypto.createHash('sha1').update(`${baseUrl}\n${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function createStatementBuilder(options: { baseUrl: string; platform?: string }) {
  const base = options.baseUrl;
  const course = { objectType: 'Activity' as const, id: `${base}/modules`, definition: { type: TYPES.course, name: { en: 'Localizing the SDGs' } } };
  const moduleActivity = (m: string) => ({ objectType: 'Activity' as const, id: `${base}/modules/${m}`, definition: { type: TYPES.module } });
  const quiz = (m: string) => ({ objectType: 'Activity' as const, id: `${base}/modules/${m}/quiz`, definition: { type: TYPES.assessment } });
  const verb = (key: keyof typeof VERBS) => ({ id: VERBS[key], display: { en: key } });
  const actor = (userId: string) => ({ objectType: 'Agent' as const, account: { homePage: base, name: userId } });
  const inModule = (m: string, extra: Record<string, unknown> = {}) => ({
    platform: options.platform ?? 'SDG Learn',
    contextActivities: { parent: [moduleActivity(m)], grouping: [course] },
    ...extra,
  });

  function make(name: string, userId: string, v: keyof typeof VERBS, object: Statement['object'], at: Date, rest: Partial<Statement> = {}): BuiltStatement {
    const id = statementId(base, name);
    const statement = { id, actor: actor(userId), verb: verb(v), object, timestamp: at.toISOString(), ...rest } as Statement;
    return { id, statement, label: `${v} ${(object as { id: string }).id}` };
  }

  /** The statements one activity makes: usually one, a graded quiz one per question and its outcome. */
  function build(a: LearningActivity): BuiltStatement[] {
    switch (a.type) {
      case 'registered':
        return [make(`registered:${a.userId}`, a.userId, 'registered', course, a.at, { context: { platform: 'SDG Learn', language: a.language } })];
      case 'lesson-experienced': {
        const lesson = { objectType: 'Activity' as const, id: `${base}/modules/${a.moduleId}/lessons/${a.lessonId}`, definition: { type: TYPES.lesson } };
        // one a day per lesson: a reader who reloads the page has not experienced it again
        const day = a.at.toISOString().slice(0, 10);
        return [make(`experienced:${a.userId}:${a.moduleId}:${a.lessonId}:${day}`, a.userId, 'experienced', lesson, a.at, { context: inModule(a.moduleId) })];
      }
      case 'lesson-completed': {
        const lesson = { objectType: 'Activity' as const, id: `${base}/modules/${a.moduleId}/lessons/${a.lessonId}`, definition: { type: TYPES.lesson } };
        return [
          make(`completed-lesson:${a.userId}:${a.moduleId}:${a.lessonId}`, a.userId, 'completed', lesson, a.at, {
            result: { completion: true },
            context: inModule(a.moduleId),
          }),
        ];
      }
      case 'quiz-attempted':
        return [
          make(`attempted:${a.attemptId}`, a.userId, 'attempted', quiz(a.moduleId), a.at, {
            context: inModule(a.moduleId, { extensions: { [`${base}/xapi/extensions/attempt`]: a.attemptNumber } }),
          }),
        ];
      case 'quiz-graded': {
        const outcome = make(`graded:${a.attemptId}`, a.userId, a.passed ? 'passed' : 'failed', quiz(a.moduleId), a.at, {
          result: {
            score: { scaled: a.total ? a.correctCount / a.total : 0, raw: a.correctCount, min: 0, max: a.total },
            success: a.passed,
            completion: true,
          },
          context: inModule(a.moduleId, { extensions: { [`${base}/xapi/extensions/attempt`]: a.attemptNumber, [`${base}/xapi/extensions/pass-percent`]: a.passPercent } }),
        });
        const answers = a.questions.map((q) =>
          make(
            `answered:${a.attemptId}:${q.questionId}`,
            a.userId,
            'answered',
            {
              objectType: 'Activity',
              id: `${base}/modules/${a.moduleId}/quiz/questions/${encodeURIComponent(q.questionId)}`,
              definition: { type: TYPES.interaction, interactionType: 'choice' },
            },
            a.at,
            {
              result: { success: q.correct, response: q.chosen.join('[,]') },
              // the answers belong to the attempt's outcome statement
              context: {
                platform: options.platform ?? 'SDG Learn',
                statement: { objectType: 'StatementRef', id: outcome.id },
                contextActivities: { parent: [quiz(a.moduleId)], grouping: [moduleActivity(a.moduleId), course] },
              },
            },
          ),
        );
        return [...answers, outcome];
      }
      case 'module-completed':
        return [
          make(`completed-module:${a.userId}:${a.moduleId}`, a.userId, 'completed', moduleActivity(a.moduleId), a.at, {
            result: { completion: true },
            context: { platform: options.platform ?? 'SDG Learn', contextActivities: { parent: [course] } },
          }),
        ];
      case 'course-completed':
        return [make(`completed-course:${a.userId}`, a.userId, 'completed', course, a.at, { result: { completion: true } })];
      case 'certificate-earned':
        return [
          make(
            `earned:${a.code}`,
            a.userId,
            'earned',
            { objectType: 'Activity', id: `${base}/verify/${a.code}`, definition: { type: TYPES.badge } },
            a.at,
            { context: { platform: options.platform ?? 'SDG Learn', contextActivities: { parent: [course] } } },
          ),
        ];
      case 'worksheet-finished':
        return [
          make(
            `finished-worksheet:${a.userId}:${a.moduleId}`,
            a.userId,
            'completed',
            { objectType: 'Activity', id: `${base}/modules/${a.moduleId}/worksheet`, definition: { type: TYPES.worksheet } },
            a.at,
            { result: { completion: true }, context: inModule(a.moduleId) },
          ),
        ];
    }
  }

  return { build };
}
