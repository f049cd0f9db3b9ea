import { type Connection, Types } from 'mongoose';
import { inChunks } from '../../platform/database';
import { LANGUAGES, type Language } from '../../platform/i18n';
import type { UserModel } from '../accounts';
import { certificateRecordsOn } from '../certificates';
import type { ContentService, Localized, PublishedModule } from '../content';
import { learnerRecordsOn, type ModuleShape, needsWorksheets, shapeOf } from '../learning';
import { cohortMembersOn } from '../cohorts';
import { planFigures, planRecordsOn } from '../plans';
import { collectLearnerRows, foldLearner, learnerRows, type RowSources } from './learner-rows';

export type QuestionFigures = {
  questionId: string;
  /** the prompt in the published version; undefined for a question since removed from the quiz */
  prompt?: Localized;
  answered: number;
  correct: number;
  byLanguage: Record<Language, { answered: number; correct: number }>;
};

export type TimelineEvent = {
  at: Date;
  kind:
    | 'enrolled'
    | 'lessonCompleted'
    | 'quizStarted'
    | 'quizGraded'
    | 'worksheetFinished'
    | 'moduleCompleted'
    | 'courseCompleted'
    | 'certificateIssued'
    | 'certificateRevoked';
  moduleId?: string;
  lessonId?: string;
  number?: number;
  score?: number;
  passed?: boolean;
};

export const moduleShapes = (modules: readonly PublishedModule[]): ModuleShape[] => modules.map(shapeOf);

const share = () => Object.fromEntries(LANGUAGES.map((l) => [l, { answered: 0, correct: 0 }])) as QuestionFigures['byLanguage'];

/**
 * The cohort's progress, read through the learning, certificates and accounts features' read
 * functions: every query filters on the cohort or its learners, never on the whole platform.
 */
export function createCohortReport(deps: { connection: Connection; content: ContentService; User: UserModel }) {
  const { content } = deps;
  const sources: RowSources = {
    members: cohortMembersOn(deps.connection),
    User: deps.User,
    learning: learnerRecordsOn(deps.connection, planRecordsOn(deps.connection)),
    certificates: certificateRecordsOn(deps.connection),
  };
  const plans = planRecordsOn(deps.connection);

  return {
    /** Every learner's row, streamed in user-id order (the CSV export writes them as they come). */
    async stream(cohortId: string) {
      const modules = await content.modules();
      return { modules, rows: learnerRows(sources, cohortId, moduleShapes(modules)) };
    },

    /** Every learner's row at once, for the pages that sort, filter and count them. */
    async overview(cohortId: string) {
      const modules = await content.modules();
      return { modules, rows: await collectLearnerRows(sources, cohortId, moduleShapes(modules)) };
    },

    /**
     * "Plans shared / finished" for these learners (the cohort's, from its rows): the plans feature's
     * read functions, a chunk of learners per query. Undefined when no module has a worksheet.
     */
    async planFigures(userIds: readonly string[], modules: readonly PublishedModule[]) {
      const withWorksheet = modules.filter((m) => m.worksheet !== undefined).map((m) => m.moduleId);
      if (withWorksheet.length === 0) return undefined;
      const { shared, finished } = await planFigures(plans, userIds, withWorksheet);
      return { shared, finished };
    },

    /** How often each question was answered right, overall and by the learner's language. */
    async questionStats(cohortId: string) {
      const ids = await sources.members.idsOf(cohortId);
      const objectIds = ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
      const [users, modules, grades] = await Promise.all([
        inChunks(objectIds, (chunk) => sources.User.find({ _id: { $in: chunk } }, { language: 1 }).lean()),
        content.modules(),
        sources.learning.gradedAnswersOf(ids),
      ]);
      const language = new Map(users.map((u) => [String(u._id), u.language as Language]));
      const tally = new Map<string, Map<string, QuestionFigures>>();
      for (const m of modules) {
        tally.set(m.moduleId, new Map(m.quiz.questions.map((q) => [q.id, { questionId: q.id, prompt: q.prompt, answered: 0, correct: 0, byLanguage: share() }])));
      }
      for (const g of grades) {
        const lng = language.get(g.userId);
        const questions = tally.get(g.moduleId);
        if (!lng || !questions) continue;
        for (const answer of g.questions) {
          const f = questions.get(answer.questionId) ?? { questionId: answer.questionId, answered: 0, correct: 0, byLanguage: share() };
          questions.set(answer.questionId, f);
          f.answered++;
          f.byLanguage[lng].answered++;
          if (answer.correct) {
            f.correct++;
            f.byLanguage[lng].correct++;
          }
        }
      }
      return modules.map((m) => ({ module: m, questions: [...tally.get(m.moduleId)!.values()] }));
    },

    /** One learner's records in the order they happened, with their row; undefined if not in the cohort. */
    async timeline(cohortId: string, userId: string) {
      if (!Types.ObjectId.isValid(userId) || String(new Types.ObjectId(userId)) !== userId) return undefined;
      const member = await sources.members.one(cohortId, userId);
      if (!member) return undefined;
      const modules = await content.modules();
      const shapes = moduleShapes(modules);
      const [user, records, certificates] = await Promise.all([
        sources.User.findById(userId, { name: 1, email: 1, language: 1 }).lean(),
        sources.learning.ofLearner(userId, undefined, { worksheets: needsWorksheets(shapes) }),
        sources.certificates.ofLearner(userId),
      ]);
      const row = foldLearner({
        member,
        user: user ?? undefined,
        modules: shapes,
        records,
        certificate: certificates.valid,
      });
      const events = ([
        { at: member.enrolledAt, kind: 'enrolled' as const },
        ...records.lessons.map((l) => ({ at: l.completedAt, kind: 'lessonCompleted' as const, moduleId: l.moduleId, lessonId: l.lessonId })),
        ...records.attempts.map((a) => ({ at: a.startedAt, kind: 'quizStarted' as const, moduleId: a.moduleId, number: a.number })),
        ...records.grades.map((g) => ({
          at: g.gradedAt,
          kind: 'quizGraded' as const,
          moduleId: g.moduleId,
          number: g.attemptNumber,
          score: g.scorePercent,
          passed: g.passed,
        })),
        ...records.worksheets.map((w) => ({ at: w.finishedAt, kind: 'worksheetFinished' as const, moduleId: w.moduleId })),
        ...records.moduleCompletions.map((c) => ({ at: c.completedAt, kind: 'moduleCompleted' as const, moduleId: c.moduleId })),
        ...(records.courseCompletion ? [{ at: records.courseCompletion.completedAt, kind: 'courseCompleted' as const }] : []),
        ...certificates.events.map((e) => ({ at: e.at, kind: e.kind })),
      ] as TimelineEvent[]).filter((e) => e.at instanceof Date);
      events.sort((a, b) => a.at.getTime() - b.at.getTime());
      return { row, modules, events };
    },
  };
}

export type CohortReport = ReturnType<typeof createCohortReport>;
