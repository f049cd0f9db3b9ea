/**
 * What learners do, told to whoever listens: the port through which xAPI and LTI grade passback
 * learn of learning events without the features that own those events knowing about them.
 *
 * A feature awaits `record` in the request, right after it stored the fact; an observer only
 * inserts a document (its own durable queue) and never talks to another server there.
 */
export type GradedQuestion = { questionId: string; chosen: string[]; correct: boolean };

export type LearningActivity =
  | { type: 'registered'; userId: string; language: string; at: Date }
  | { type: 'lesson-experienced'; userId: string; moduleId: string; lessonId: string; at: Date }
  | { type: 'lesson-completed'; userId: string; moduleId: string; lessonId: string; at: Date }
  | { type: 'quiz-attempted'; userId: string; moduleId: string; attemptId: string; attemptNumber: number; at: Date }
  | {
      type: 'quiz-graded';
      userId: string;
      moduleId: string;
      attemptId: string;
      attemptNumber: number;
      correctCount: number;
      total: number;
      scorePercent: number;
      passPercent: number;
      passed: boolean;
      questions: GradedQuestion[];
      at: Date;
    }
  | { type: 'module-completed'; userId: string; moduleId: string; scorePercent: number; at: Date }
  | { type: 'course-completed'; userId: string; moduleIds: string[]; at: Date }
  | { type: 'certificate-earned'; userId: string; code: string; at: Date }
  | { type: 'worksheet-finished'; userId: string; moduleId: string; at: Date };

export type ActivityObserver = { record(activity: LearningActivity): Promise<void> };

/** Tells every observer, one after another; a failing one is reported and does not stop the others. */
export function observeAll(observers: ActivityObserver[], onError: (err: unknown, activity: LearningActivity) => void): ActivityObserver {
  return {
    async record(activity) {
      for (const observer of observers) {
        try {
          await observer.record(activity);
        } catch (err) {
          onError(err, activity);
        }
      }
    },
  };
}

/** The observer when nobody listens. */
export const noActivity: ActivityObserver = { record: async () => {} };
