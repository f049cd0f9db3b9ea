import crypto from 'node:crypto';
import { Types } from 'mongoose';
import { type ActivityObserver, noActivity } from '../../platform/activity';
import { isDuplicateKey } from '../../platform/database';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../../platform/errors';
import type { ContentService, PublishedModule, Question } from '../content';
import type { AttemptGrants } from './attempt-grants';
import type { AttemptTokens, GradableAttempt } from './attempt-token';
import type { DrawnQuestion, LearningModels, QuizAttemptDoc, QuizGradeDoc } from './learning.model';
import type { ProgressService } from './progress.service';

export class NoAttemptsLeftError extends AppError {
  constructor() {
    super(403, 'NO_ATTEMPTS_LEFT', 'learning:quiz.noAttemptsLeft');
  }
}

/** Answers as submitted: question id → chosen option ids. */
export type Answers = Record<string, string[]>;

export type SubmitOutcome =
  | { ok: true; attemptId: string; passed: boolean; scorePercent: number }
  | { ok: false; unanswered: string[]; attempt: GradableAttempt };

function shuffle<T>(items: T[], randomInt: (max: number) => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export function createQuizService(deps: {
  models: LearningModels;
  content: ContentService;
  progress: ProgressService;
  grants: AttemptGrants;
  /** the quiz form's signed copy of its attempt, which spares reading the attempt on submission (none: always read) */
  tokens?: AttemptTokens;
  randomInt?: (max: number) => number;
  clock?: () => Date;
  activity?: ActivityObserver;
}) {
  const { models, content, progress, grants, tokens } = deps;
  const randomInt = deps.randomInt ?? ((max: number) => crypto.randomInt(max));
  const clock = deps.clock ?? (() => new Date());
  const activity = deps.activity ?? noActivity;

  // a published version never changes: its questions by id are indexed once, not on every submission
  const banks = new WeakMap<PublishedModule, Map<string, Question>>();

  async function requireModule(moduleId: string): Promise<PublishedModule> {
    const module = await content.getModule(moduleId);
    if (!module) throw new NotFoundError();
    return module;
  }

  async function openAttempt(userId: string, moduleId: string): Promise<QuizAttemptDoc | undefined> {
    const latest = await models.QuizAttempt.findOne({ userId, moduleId }).sort({ number: -1 }).lean<QuizAttemptDoc>();
    if (!latest) return undefined;
    const graded = await models.QuizGrade.exists({ _id: latest._id });
    return graded ? undefined : latest;
  }

  function draw(module: PublishedModule): DrawnQuestion[] {
    const { questions, questionsPerAttempt } = module.quiz;
    return shuffle(questions, randomInt)
      .slice(0, questionsPerAttempt)
      .map((q) => ({
        questionId: q.id,
        // true/false reads naturally in its own order; other options are shuffled
        optionIds: q.type === 'truefalse' ? q.options.map((o) => o.id) : shuffle(q.options, randomInt).map((o) => o.id),
      }));
  }

  /** The learner's open attempt, or a newly drawn one if attempts remain. */
  async function startOrResume(userId: string, moduleId: string): Promise<QuizAttemptDoc> {
    const module = await requireModule(moduleId);
    for (let tries = 0; tries < 5; tries++) {
      const open = await openAttempt(userId, moduleId);
      if (open) return open;
      const latest = await models.QuizAttempt.findOne({ userId, moduleId }, { number: 1 }).sort({ number: -1 }).lean();
      const number = (latest?.number ?? 0) + 1;
      const allowed = await allowedAttempts(userId, module);
      if (allowed !== undefined && number > allowed) throw new NoAttemptsLeftError();
      try {
        const created = await models.QuizAttempt.create({
          userId,
          moduleId,
          moduleVersion: module.version,
          number,
          questions: draw(module),
          startedAt: clock(),
        });
        const doc = created.toObject() as QuizAttemptDoc;
        await activity.record({ type: 'quiz-attempted', userId, moduleId, attemptId: String(doc._id), attemptNumber: number, at: doc.startedAt });
        return doc;
      } catch (err) {
        // Two tabs drew at once: the unique attempt number let one win; resume that one.
        if (!isDuplicateKey(err)) throw err;
      }
    }
    throw new ConflictError();
  }

  /** The quiz's own limit plus what trainers granted; undefined when the quiz has no limit. */
  async function allowedAttempts(userId: string, module: PublishedModule): Promise<number | undefined> {
    if (module.quiz.maxAttempts === 0) return undefined;
    return module.quiz.maxAttempts + (await grants.extraFor(userId, module.moduleId));
  }

  /** Attempts still to draw, the open one counted as used: 0 while the last attempt is open. */
  async function attemptsLeft(userId: string, module: PublishedModule): Promise<number | undefined> {
    const allowed = await allowedAttempts(userId, module);
    if (allowed === undefined) return undefined;
    const used = await models.QuizAttempt.countDocuments({ userId, moduleId: module.moduleId });
    return Math.max(0, allowed - used);
  }

  async function findOwnAttempt(userId: string, moduleId: string, attemptId: string, token?: unknown): Promise<GradableAttempt> {
    if (!Types.ObjectId.isValid(attemptId)) throw new NotFoundError();
    // the driver's own find: on every submission, mongoose's query building cost a tenth of a millisecond
    const attempt =
      tokens?.read(token, attemptId) ?? ((await models.QuizAttempt.collection.findOne({ _id: new Types.ObjectId(attemptId) })) as QuizAttemptDoc | null);
    // Someone else's attempt is "not found", not "forbidden": it reveals nothing about it.
    if (!attempt || attempt.userId !== userId || attempt.moduleId !== moduleId) throw new NotFoundError();
    return attempt;
  }

  async function bankFor(attempt: Pick<GradableAttempt, 'moduleId' | 'moduleVersion'>): Promise<{ module: PublishedModule; byId: Map<string, Question> }> {
    const module = await content.getVersion(attempt.moduleId, attempt.moduleVersion);
    if (!module) throw new NotFoundError();
    let byId = banks.get(module);
    if (!byId) {
      byId = new Map(module.quiz.questions.map((q) => [q.id, q]));
      banks.set(module, byId);
    }
    return { module, byId };
  }

  /**
   * Grades an attempt on the server. Refuses (and changes nothing) for answers to questions not in
   * the attempt, options that are not the question's, a closed attempt or someone else's attempt.
   * The grade's _id is the attempt's, so a double submission counts once (duplicate primary key).
   * `token` is the form's signed attempt (attempt-token.ts): when genuine, the attempt is not read.
   */
  async function submit(userId: string, moduleId: string, attemptId: string, answers: Answers, token?: unknown): Promise<SubmitOutcome> {
    const attempt = await findOwnAttempt(userId, moduleId, attemptId, token);
    const { module, byId } = await bankFor(attempt);
    const drawn = new Map(attempt.questions.map((q) => [q.questionId, q]));
    // A graded attempt answers "already graded" whatever was sent this time. The happy path learns
    // that from the grade's primary key on insert; only a submission that would be refused anyway
    // pays for asking first.
    const refuse = async <T>(outcome: () => T): Promise<T> => {
      if (await models.QuizGrade.exists({ _id: attempt._id })) throw new ConflictError('learning:quiz.alreadyGraded');
      return outcome();
    };

    for (const [questionId, chosen] of Object.entries(answers)) {
      const question = byId.get(questionId);
      const d = drawn.get(questionId);
      const invalid =
        !question ||
        !d ||
        chosen.some((o) => !d.optionIds.includes(o)) ||
        new Set(chosen).size !== chosen.length ||
        (question.type !== 'multiple' && chosen.length > 1);
      if (invalid) {
        return refuse(() => {
          throw new BadRequestError('learning:quiz.invalidAnswer');
        });
      }
    }
    const unanswered = attempt.questions.map((q) => q.questionId).filter((id) => !answers[id]?.length);
    if (unanswered.length > 0) return refuse(() => ({ ok: false as const, unanswered, attempt }));

    const graded = attempt.questions.map(({ questionId }) => {
      const question = byId.get(questionId)!;
      const chosen = [...(answers[questionId] ?? [])].sort();
      const right = question.options.filter((o) => o.correct).map((o) => o.id).sort();
      return { questionId, chosen, correct: chosen.join('\n') === right.join('\n') };
    });
    const correctCount = graded.filter((g) => g.correct).length;
    const scorePercent = Math.round((correctCount / graded.length) * 100);
    const passed = scorePercent >= module.quiz.passPercent;
    const gradedAt = clock();
    try {
      // built here from checked values, so it goes in as is: a mongoose document per grade cost
      // more CPU than the insert itself
      const grade: QuizGradeDoc = {
        _id: attempt._id,
        attemptId: attempt._id,
        userId,
        moduleId,
        moduleVersion: attempt.moduleVersion,
        attemptNumber: attempt.number,
        questions: graded,
        correctCount,
        total: graded.length,
        scorePercent,
        passPercent: module.quiz.passPercent,
        passed,
        gradedAt,
      };
      await models.QuizGrade.collection.insertOne(grade);
    } catch (err) {
      if (isDuplicateKey(err)) throw new ConflictError('learning:quiz.alreadyGraded');
      throw err;
    }
    const facts = { attemptId: String(attempt._id), attemptNumber: attempt.number, correctCount, total: graded.length, passPercent: module.quiz.passPercent };
    await activity.record({ type: 'quiz-graded', userId, moduleId, ...facts, scorePercent, passed, questions: graded, at: gradedAt });
    if (passed) {
      const current = await content.getModule(moduleId);
      if (current) await progress.checkModuleCompletion(userId, current);
    }
    return { ok: true, attemptId: String(attempt._id), passed, scorePercent };
  }

  /** A graded attempt with everything needed to show it: only its owner may see it. */
  async function result(userId: string, moduleId: string, attemptId: string) {
    const attempt = await findOwnAttempt(userId, moduleId, attemptId);
    const grade = await models.QuizGrade.findById(attempt._id).lean();
    if (!grade) throw new NotFoundError();
    const { byId } = await bankFor(attempt);
    return { attempt, grade, byId };
  }

  async function history(userId: string, moduleId: string) {
    await requireModule(moduleId);
    const [attempts, grades] = await Promise.all([
      models.QuizAttempt.find({ userId, moduleId }).sort({ number: 1 }).lean<QuizAttemptDoc[]>(),
      models.QuizGrade.find({ userId, moduleId }).lean(),
    ]);
    const gradeOf = new Map(grades.map((g) => [String(g.attemptId), g]));
    return attempts.map((a) => ({ attempt: a, grade: gradeOf.get(String(a._id)) }));
  }

  /** the signed copy the quiz form carries, when the platform signs them */
  const tokenFor = (attempt: GradableAttempt): string | undefined => tokens?.make(attempt);

  return { startOrResume, attemptsLeft, submit, result, history, bankFor, tokenFor };
}

export type QuizService = ReturnType<typeof createQuizService>;
