import type { ActivityObserver } from '../../platform/activity';
import type { Request } from 'express';
import { currentLanguage } from '../../platform/i18n';
import type { PublishedModule } from '../content';
import { summarizeProgress } from './learning.controller';
import { courseSteps, nextStepView } from './next-step';
import type { ProgressService } from './progress.service';

/* What learning adds to other features' pages: content's module and lesson pages, the home page. */

/** What content's module and lesson pages show of the signed-in learner's progress (content's PageExtras). */
export function learningPageExtras(progress: ProgressService, activity?: ActivityObserver) {
  return {
    /** the learner's progress in the module, with the records that explain it */
    async module(req: Request, module: PublishedModule) {
      if (!req.user) return {};
      const lng = currentLanguage(req);
      const p = await progress.moduleProgress(req.user.id, module);
      return {
        progress: {
          ...summarizeProgress(module, p, lng),
          lessons: module.lessons.map((l) => ({ id: l.id, completedAt: p.completedLessons.get(l.id) })),
          passingGrade: p.passingGrade && {
            href: `/modules/${module.moduleId}/quiz/attempts/${p.passingGrade.attemptId}`,
            scorePercent: p.passingGrade.scorePercent,
            gradedAt: p.passingGrade.gradedAt,
            number: p.passingGrade.attemptNumber,
          },
          completedAt: p.completion?.completedAt,
        },
      };
    },
    async lesson(req: Request, module: PublishedModule, lessonId: string) {
      if (!req.user) return {};
      await progress.lessonOpened(req.user.id, module.moduleId, lessonId);
      await activity?.record({ type: 'lesson-experienced', userId: req.user.id, moduleId: module.moduleId, lessonId, at: new Date() });
      return { lessonCompletedAt: (await progress.lessonCompletedAt(req.user.id, module.moduleId, lessonId)) ?? null };
    },
    /** what the home page shows a signed-in learner: how far through the course, and the next step */
    async home(req: Request) {
      if (!req.user) return {};
      const lng = currentLanguage(req);
      const { modules, progress: all, lastLesson } = await progress.courseProgress(req.user.id);
      return { course: courseSteps(all), next: nextStepView(modules, all, lastLesson, lng) };
    },
  };
}
