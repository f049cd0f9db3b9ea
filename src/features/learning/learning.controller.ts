import type { Request, Response } from 'express';
import { isDatabaseUnreachable } from '../../platform/database';
import { BadRequestError, NotFoundError } from '../../platform/errors';
import { setFlash } from '../../platform/flash';
import { currentLanguage, type Language } from '../../platform/i18n';
import type { ContentService, PublishedModule, Question } from '../content';
import type { ModuleProgress, ProgressService } from './progress.service';
import { type Answers, NoAttemptsLeftError, type QuizService } from './quiz.service';
import type { GradableAttempt } from './attempt-token';
import { courseSteps, type LastLesson, nextStepView, resumeLessonId } from './next-step';

function param(req: Request, name: string): string {
  const v = req.params[name];
  return typeof v === 'string' ? v : '';
}

function userId(req: Request): string {
  return req.user!.id;
}

/** The `q.<questionId>` fields of a quiz form; anything but strings (an injected object) is refused. */
export function readAnswers(body: unknown): Answers {
  const answers: Answers = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (!key.startsWith('q.')) continue;
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === 'string')) throw new BadRequestError('learning:quiz.invalidAnswer');
    answers[key.slice(2)] = (values as string[]).filter((v) => v !== '');
  }
  return answers;
}

export function summarizeProgress(module: PublishedModule, p: ModuleProgress, lng: Language, last?: LastLesson) {
  const resumeId = resumeLessonId(module, p, last);
  const resume = resumeId ? module.lessons[module.lessonIndex.get(resumeId)!] : undefined;
  return {
    id: module.moduleId,
    title: module.title[lng],
    href: `/modules/${module.moduleId}`,
    quizHref: `/modules/${module.moduleId}/quiz`,
    lessonsDone: p.lessonsDone,
    lessonsTotal: p.lessonsTotal,
    status: p.status,
    attempts: p.attempts,
    bestScore: p.bestScore,
    passPercent: module.quiz.passPercent,
    resume: resume ? { href: `/modules/${module.moduleId}/lessons/${resume.id}`, title: resume.title[lng] } : undefined,
    /** only when module.yaml requires the worksheet finished to complete the module */
    worksheet:
      p.worksheetRequired && module.worksheet
        ? { href: `/modules/${module.moduleId}/worksheet`, title: module.worksheet.title[lng], finishedAt: p.worksheetFinishedAt }
        : undefined,
  };
}

/**
 * What other features add to the dashboard, asked explicitly (like content's PageExtras): the
 * certificates feature says whether the learner has a certificate to link to.
 */
export type DashboardExtras = {
  certificate?: (userId: string) => Promise<{ href: string } | undefined>;
  /** the discussions of the learner's cohorts (features/discussion) */
  discussions?: (userId: string) => Promise<{ name: string; href: string }[]>;
};

export function learningController(deps: {
  content: ContentService;
  progress: ProgressService;
  quizzes: QuizService;
  dashboard?: DashboardExtras;
  /** the trainers of the learner's cohorts, shown when the quiz attempts are used up */
  trainersOf: (userId: string) => Promise<{ name: string; email: string }[]>;
}) {
  const { content, progress, quizzes } = deps;

  /** No more attempts: a page that explains and says where to go, not a bare "access refused". */
  async function renderNoAttempts(req: Request, res: Response, module: PublishedModule) {
    const lng = currentLanguage(req);
    const history = await quizzes.history(userId(req), module.moduleId);
    const best = Math.max(-1, ...history.map((h) => h.grade?.scorePercent ?? -1));
    res.status(403).render('learning/no-attempts', {
      title: 'learning:noAttempts.title',
      pageTitle: module.title[lng],
      module: { id: module.moduleId, title: module.title[lng], href: `/modules/${module.moduleId}` },
      used: history.length,
      bestScore: best >= 0 ? best : undefined,
      passPercent: module.quiz.passPercent,
      trainers: await deps.trainersOf(userId(req)),
    });
  }

  async function moduleOr404(req: Request) {
    const module = await content.getModule(param(req, 'module'));
    if (!module) throw new NotFoundError();
    return module;
  }

  function quizView(attempt: GradableAttempt, lng: Language, bank: Map<string, Question>) {
    return attempt.questions.map((d, i) => {
      const q = bank.get(d.questionId)!;
      const byId = new Map(q.options.map((o) => [o.id, o]));
      // Only texts and ids go to the page: never `correct` or the explanation before grading.
      return {
        number: i + 1,
        id: q.id,
        type: q.type,
        prompt: q.prompt[lng],
        options: d.optionIds.map((id) => ({ id, text: byId.get(id)?.text[lng] ?? '' })),
      };
    });
  }

  async function renderQuiz(req: Request, res: Response, module: PublishedModule, attempt: GradableAttempt, extra: object = {}) {
    const lng = currentLanguage(req);
    const { byId } = await quizzes.bankFor(attempt);
    res.render('learning/quiz', {
      title: 'learning:quiz.title',
      pageTitle: module.title[lng],
      module: { id: module.moduleId, title: module.title[lng], href: `/modules/${module.moduleId}` },
      attempt: { id: String(attempt._id), number: attempt.number, token: quizzes.tokenFor(attempt) },
      passPercent: module.quiz.passPercent,
      attemptsLeft: await quizzes.attemptsLeft(userId(req), module),
      questions: quizView(attempt, lng, byId),
      chosen: {},
      unanswered: [],
      ...extra,
    });
  }

  return {
    /** GET /dashboard — the learner's home: progress per module, where to resume, the certificate */
    async dashboard(req: Request, res: Response) {
      const lng = currentLanguage(req);
      let certificate: { href: string } | undefined;
      try {
        certificate = await deps.dashboard?.certificate?.(userId(req));
      } catch (err) {
        // with the database gone the whole page answers 503; anything else costs only the link
        if (isDatabaseUnreachable(err)) throw err;
        req.log?.error({ err }, 'certificate check on the dashboard failed');
      }
      const { modules, progress: all, courseCompletion, lastLesson } = await progress.courseProgress(userId(req));
      res.render('learning/dashboard', {
        title: 'learning:dashboard.title',
        modules: modules.map((m, i) => summarizeProgress(m, all[i]!, lng, lastLesson)),
        course: courseSteps(all),
        next: nextStepView(modules, all, lastLesson, lng),
        courseCompleted: courseCompletion?.completedAt,
        certificate,
        cohortDiscussions: (await deps.dashboard?.discussions?.(userId(req))) ?? [],
      });
    },

    /** POST /modules/:module/lessons/:lesson/complete — mark a lesson done (idempotent) */
    async completeLesson(req: Request, res: Response) {
      const module = await moduleOr404(req);
      const lessonId = param(req, 'lesson');
      await progress.completeLesson(userId(req), module.moduleId, lessonId);
      setFlash(req, { type: 'success', messageKey: 'learning:lesson.markedComplete' });
      const next = module.lessons[(module.lessonIndex.get(lessonId) ?? -1) + 1];
      res.redirect(303, next ? `/modules/${module.moduleId}/lessons/${next.id}` : `/modules/${module.moduleId}`);
    },

    /** GET /modules/:module/quiz — resume the open attempt or draw a new one */
    async showQuiz(req: Request, res: Response) {
      const module = await moduleOr404(req);
      res.set('Cache-Control', 'no-store');
      const attempt = await quizzes.startOrResume(userId(req), module.moduleId).catch((err: unknown) => {
        if (err instanceof NoAttemptsLeftError) return undefined;
        throw err;
      });
      if (!attempt) return renderNoAttempts(req, res, module);
      await renderQuiz(req, res, module, attempt);
    },

    /** POST /modules/:module/quiz — grade an attempt on the server */
    async submitQuiz(req: Request, res: Response) {
      const module = await moduleOr404(req);
      const attemptId = (req.body as Record<string, unknown> | undefined)?.attemptId;
      if (typeof attemptId !== 'string') throw new BadRequestError('learning:quiz.invalidAnswer');
      const answers = readAnswers(req.body);
      const token = (req.body as Record<string, unknown>).attemptToken;
      const outcome = await quizzes.submit(userId(req), module.moduleId, attemptId, answers, token);
      if (!outcome.ok) {
        res.status(422);
        await renderQuiz(req, res, module, outcome.attempt, { chosen: answers, unanswered: outcome.unanswered });
        return;
      }
      res.redirect(303, `/modules/${module.moduleId}/quiz/attempts/${outcome.attemptId}`);
    },

    /** GET /modules/:module/quiz/attempts/:attempt — a graded attempt with explanations */
    async showResult(req: Request, res: Response) {
      const lng = currentLanguage(req);
      const module = await moduleOr404(req);
      const { grade, byId } = await quizzes.result(userId(req), module.moduleId, param(req, 'attempt'));
      res.render('learning/result', {
        title: 'learning:result.title',
        pageTitle: module.title[lng],
        module: { id: module.moduleId, title: module.title[lng], href: `/modules/${module.moduleId}` },
        grade: {
          number: grade.attemptNumber,
          scorePercent: grade.scorePercent,
          correctCount: grade.correctCount,
          total: grade.total,
          passed: grade.passed,
          passPercent: grade.passPercent,
        },
        questions: grade.questions.map((g, i) => {
          const q = byId.get(g.questionId)!;
          const text = (id: string) => q.options.find((o) => o.id === id)?.text[lng] ?? id;
          return {
            number: i + 1,
            prompt: q.prompt[lng],
            correct: g.correct,
            chosen: g.chosen.map(text),
            right: q.options.filter((o) => o.correct).map((o) => o.text[lng]),
            explanation: q.explanation[lng],
          };
        }),
        attemptsLeft: await quizzes.attemptsLeft(userId(req), module),
      });
    },

    /** GET /modules/:module/quiz/attempts — the learner's attempt history for this quiz */
    async history(req: Request, res: Response) {
      const lng = currentLanguage(req);
      const module = await moduleOr404(req);
      const rows = await quizzes.history(userId(req), module.moduleId);
      res.render('learning/history', {
        title: 'learning:history.title',
        pageTitle: module.title[lng],
        module: { id: module.moduleId, title: module.title[lng], href: `/modules/${module.moduleId}` },
        rows: rows.map(({ attempt, grade }) => ({
          number: attempt.number,
          startedAt: attempt.startedAt,
          href: grade ? `/modules/${module.moduleId}/quiz/attempts/${attempt._id}` : `/modules/${module.moduleId}/quiz`,
          scorePercent: grade?.scorePercent,
          passed: grade?.passed,
          open: !grade,
        })),
      });
    },
  };
}
