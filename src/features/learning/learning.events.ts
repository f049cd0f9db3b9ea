import { EventEmitter } from 'node:events';

export type CourseCompleted = { userId: string; completedAt: Date; moduleIds: string[] };

/**
 * In-process domain events. The inserted CourseCompletion document is the durable fact; this only
 * lets other features (certificates) act at once. A listener's failure is reported, never thrown
 * back into the learner's request.
 */
export function createLearningEvents(onListenerError: (err: unknown) => void = () => {}) {
  const emitter = new EventEmitter();
  return {
    onCourseCompleted(listener: (e: CourseCompleted) => Promise<void> | void) {
      emitter.on('courseCompleted', (e: CourseCompleted) => {
        Promise.resolve()
          .then(() => listener(e))
          .catch(onListenerError);
      });
    },
    emitCourseCompleted(e: CourseCompleted) {
      emitter.emit('courseCompleted', e);
    },
  };
}

export type LearningEvents = ReturnType<typeof createLearningEvents>;
