import type { Lang } from './content.schemas';
import { type WorksheetYaml, worksheetFields } from './worksheet.schemas';

/*
 * The one rule for "how long will this take", used by every page that shows a time: a lesson is
 * its words read at 200 a minute; the quiz 1.5 minutes a question drawn; the worksheet by what its
 * fields ask for. A module is the sum, rounded up to 5 minutes. `estimatedMinutes` in module.yaml
 * is kept in the package format but no longer shown: it disagreed with the lessons' own times.
 */
export const WORDS_PER_MINUTE = 200;
export const QUIZ_MINUTES_PER_QUESTION = 1.5;
const FIELD_MINUTES = { text: 2, choice: 2, longtext: 8, table: 10 } as const;

type Estimable = {
  lessons: readonly { words: Partial<Record<Lang, number>> }[];
  quiz: { questionsPerAttempt: number };
  worksheet?: WorksheetYaml;
};

export function lessonMinutes(words: number | undefined): number {
  return Math.max(1, Math.ceil((words ?? 0) / WORDS_PER_MINUTE));
}

export function worksheetMinutes(worksheet: WorksheetYaml | undefined): number {
  if (!worksheet) return 0;
  return worksheetFields(worksheet).reduce((sum, f) => sum + (FIELD_MINUTES[f.type as keyof typeof FIELD_MINUTES] ?? 2), 0);
}

/** A module's time in one language, and its parts, so a page can say where the time goes. */
export function moduleMinutes(module: Estimable, lng: Lang) {
  const reading = module.lessons.reduce((sum, l) => sum + lessonMinutes(l.words[lng]), 0);
  const quiz = Math.ceil(module.quiz.questionsPerAttempt * QUIZ_MINUTES_PER_QUESTION);
  const worksheet = worksheetMinutes(module.worksheet);
  return { total: Math.ceil((reading + quiz + worksheet) / 5) * 5, reading, quiz, worksheet };
}
