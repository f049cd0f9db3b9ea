import { type Document, ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import { LANGUAGES, type Language } from '../../platform/i18n';
import { getUserModel } from '../accounts';
import { certificateModels } from '../certificates';
import type { ContentService, Localized, PublishedModule } from '../content';
import { learningModels } from '../learning';
import { cohortUserFilter } from './cohort-queries';
import { type CohortModels, memberKey } from './cohorts.models';
import { collectLearnerRows, foldLearner, learnerRows, type ModuleInfo, type ProgressCollections } from './learner-rows';

/** Where the certificate figures come from: the certificates feature's records, or course completions until it exists. */
export type CertificateSource = 'certificates' | 'courseCompletions';

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

export const moduleInfos = (modules: readonly PublishedModule[]): ModuleInfo[] =>
  modules.map((m) => ({ moduleId: m.moduleId, lessonIds: new Set(m.lessons.map((l) => l.id)) }));

const share = () => Object.fromEntries(LANGUAGES.map((l) => [l, { answered: 0, correct: 0 }])) as QuestionFigures['byLanguage'];

/** The cohort's progress, read from the learning records (insert-only facts owned by the learning feature). */
export function createCohortReport(deps: { connection: Connection; content: ContentService; models: CohortModels }) {
  const { connection, content, models } = deps;
  const learning = learningModels(connection);
  const User = getUserModel(connection);
  const certificateModel = certificateModels(connection);
  const certificateNames = {
    certificates: certificateModel.Certificate.collection.collectionName,
    revocations: certificateModel.CertificateRevocation.collection.collectionName,
  };
  // the driver's own collections: sorted cursors with projections, no documents hydrated
  const native = (name: string) => connection.db!.collection(name);

  async function collections(): Promise<{ sources: ProgressCollections; certificatesFrom: CertificateSource }> {
    const found = await connection.db!.listCollections({ name: certificateNames.certificates }, { nameOnly: true }).toArray();
    // revocations are few: their codes are read once, whatever the cohort's size
    const revoked =
      found.length > 0
        ? new Set((await native(certificateNames.revocations).find({}, { projection: { _id: 1 } }).toArray()).map((r) => String(r._id)))
        : undefined;
    const sources: ProgressCollections = {
      members: native(models.CohortMember.collection.collectionName),
      users: native(User.collection.collectionName),
      lessons: native(learning.LessonCompletion.collection.collectionName),
      attempts: native(learning.QuizAttempt.collection.collectionName),
      grades: native(learning.QuizGrade.collection.collectionName),
      moduleCompletions: native(learning.ModuleCompletion.collection.collectionName),
      courseCompletions: native(learning.CourseCompletion.collection.collectionName),
      certificates: revoked ? { collection: native(certificateNames.certificates), revoked } : undefined,
    };
    return { sources, certificatesFrom: found.length > 0 ? 'certificates' : 'courseCompletions' };
  }

  /** Every learner's row, streamed in user-id order (the CSV export writes them as they come). */
  async function stream(cohortId: string) {
    const [{ sources, certificatesFrom }, modules] = await Promise.all([collections(), content.modules()]);
    return { modules, certificatesFrom, rows: learnerRows(sources, cohortId, moduleInfos(modules)) };
  }

  return {
    stream,

    /** Every learner's row at once, for the pages that sort, filter and count them. */
    async overview(cohortId: string) {
      const [{ sources, certificatesFrom }, modules] = await Promise.all([collections(), content.modules()]);
      return { modules, certificatesFrom, rows: await collectLearnerRows(sources, cohortId, moduleInfos(modules)) };
    },

    /** How often each question was answered right, overall and by the learner's language. */
    async questionStats(cohortId: string) {
      const ids = (await models.CohortMember.find({ cohortId }, { userId: 1 }).lean()).map((m) => m.userId);
      const members = new Set(ids);
      const users = await User.find(cohortUserFilter('_id', ids.map((id) => new ObjectId(id))), { language: 1 }).lean();
      const language = new Map(users.filter((u) => members.has(String(u._id))).map((u) => [String(u._id), u.language]));
      const modules = await content.modules();
      const tally = new Map<string, Map<string, QuestionFigures>>();
      for (const m of modules) {
        tally.set(m.moduleId, new Map(m.quiz.questions.map((q) => [q.id, { questionId: q.id, prompt: q.prompt, answered: 0, correct: 0, byLanguage: share() }])));
      }
      const grades = connection
        .db!.collection(learning.QuizGrade.collection.collectionName)
        .find(cohortUserFilter('userId', ids), { projection: { userId: 1, moduleId: 1, questions: 1 } })
        .batchSize(1000);
      for await (const g of grades) {
        const lng = language.get(g.userId);
        const questions = tally.get(g.moduleId);
        if (!lng || !questions) continue;
        for (const answer of g.questions as { questionId: string; correct: boolean }[]) {
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
      if (!ObjectId.isValid(userId) || String(new ObjectId(userId)) !== userId) return undefined;
      const member = await models.CohortMember.findById(memberKey(cohortId, userId)).lean();
      if (!member) return undefined;
      const { sources } = await collections();
      const mine = (c: import('mongodb').Collection, projection: Document = {}) => c.find({ userId }, { projection }).toArray();
      const [user, modules, lessons, attempts, grades, moduleCompletions, courseCompletions, certificates] = await Promise.all([
        User.findById(userId, { name: 1, email: 1, language: 1 }).lean(),
        content.modules(),
        mine(sources.lessons),
        mine(sources.attempts, { userId: 1, moduleId: 1, number: 1, startedAt: 1 }),
        mine(sources.grades, { userId: 1, moduleId: 1, attemptNumber: 1, scorePercent: 1, passed: 1, gradedAt: 1 }),
        mine(sources.moduleCompletions),
        mine(sources.courseCompletions),
        sources.certificates ? mine(sources.certificates.collection, { userId: 1, generation: 1, issuedAt: 1 }) : undefined,
      ]);
      const revocations = certificates?.length
        ? await native(certificateNames.revocations).find({ _id: { $in: certificates.map((c) => c._id) } }, { projection: { revokedAt: 1 } }).toArray()
        : [];
      const row = foldLearner({
        member: member as never,
        user: user ?? undefined,
        modules: moduleInfos(modules),
        lessons: lessons as never,
        attempts: attempts as never,
        grades: grades as never,
        moduleCompletions: moduleCompletions as never,
        courseCompletions: courseCompletions as never,
        certificates: certificates && sources.certificates ? { docs: certificates as never, revoked: sources.certificates.revoked } : undefined,
      });
      const events: TimelineEvent[] = [
        { at: member.enrolledAt, kind: 'enrolled' },
        ...lessons.map((l) => ({ at: l.completedAt, kind: 'lessonCompleted' as const, moduleId: l.moduleId, lessonId: l.lessonId })),
        ...attempts.map((a) => ({ at: a.startedAt, kind: 'quizStarted' as const, moduleId: a.moduleId, number: a.number })),
        ...grades.map((g) => ({ at: g.gradedAt, kind: 'quizGraded' as const, moduleId: g.moduleId, number: g.attemptNumber, score: g.scorePercent, passed: g.passed })),
        ...moduleCompletions.map((c) => ({ at: c.completedAt, kind: 'moduleCompleted' as const, moduleId: c.moduleId })),
        ...courseCompletions.map((c) => ({ at: c.completedAt, kind: 'courseCompleted' as const })),
        ...(certificates ?? []).map((c) => ({ at: c.issuedAt, kind: 'certificateIssued' as const })),
        ...revocations.map((r) => ({ at: r.revokedAt, kind: 'certificateRevoked' as const })),
      ].filter((e): e is TimelineEvent => e.at instanceof Date);
      events.sort((a, b) => a.at.getTime() - b.at.getTime());
      return { row, modules, events };
    },
  };
}

export type CohortReport = ReturnType<typeof createCohortReport>;
