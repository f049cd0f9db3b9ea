import type { Language } from '../../platform/i18n';
import type { PublishedModule } from '../content';
import type { ModuleProgress } from './learner-records';

/*
 * Where "continue where you left off" leads, and how far through the course a learner is. One rule
 * for the dashboard and the home page: the last lesson opened if it is not finished, else the first
 * unfinished lesson in reading order, else a quiz not yet passed.
 */

export type LastLesson = { moduleId: string; lessonId: string } | undefined;

/** The lesson to resume in one module. */
export function resumeLessonId(module: PublishedModule, p: ModuleProgress, last: LastLesson): string | undefined {
  if (last && last.moduleId === module.moduleId && module.lessonIndex.has(last.lessonId) && !p.completedLessons.has(last.lessonId)) {
    return last.lessonId;
  }
  return p.resumeLessonId;
}

/** The next thing to do in the course, or undefined when it is complete. */
export function courseNextStep(modules: PublishedModule[], progress: ModuleProgress[], last: LastLesson) {
  const lastIndex = last ? modules.findIndex((m) => m.moduleId === last.moduleId) : -1;
  if (lastIndex >= 0) {
    const m = modules[lastIndex]!;
    const p = progress[lastIndex]!;
    if (m.lessonIndex.has(last!.lessonId) && !p.completedLessons.has(last!.lessonId)) return { kind: 'lesson' as const, module: m, lessonId: last!.lessonId };
  }
  for (const [i, m] of modules.entries()) {
    const p = progress[i]!;
    if (p.status === 'completed') continue;
    if (p.resumeLessonId) return { kind: 'lesson' as const, module: m, lessonId: p.resumeLessonId };
    if (!p.passingGrade) return { kind: 'quiz' as const, module: m };
  }
  return undefined;
}

/**
 * How far through the course: each lesson and each module's quiz is one step. A module completed
 * under an earlier version counts whole.
 */
export function courseSteps(progress: ModuleProgress[]) {
  let done = 0;
  let total = 0;
  for (const p of progress) {
    total += p.lessonsTotal + 1;
    done += p.completion ? p.lessonsTotal + 1 : p.lessonsDone + (p.passingGrade ? 1 : 0);
  }
  return { done, total, percent: total ? Math.floor((done / total) * 100) : 0 };
}

/** The course's next step as a page shows it: a link and what it leads to. */
export function nextStepView(modules: PublishedModule[], progress: ModuleProgress[], last: LastLesson, lng: Language) {
  const next = courseNextStep(modules, progress, last);
  if (!next) return undefined;
  const base = `/modules/${next.module.moduleId}`;
  if (next.kind === 'quiz') return { kind: next.kind, href: `${base}/quiz`, module: next.module.title[lng] };
  const lesson = next.module.lessons[next.module.lessonIndex.get(next.lessonId)!]!;
  return { kind: next.kind, href: `${base}/lessons/${lesson.id}`, module: next.module.title[lng], title: lesson.title[lng] };
}
