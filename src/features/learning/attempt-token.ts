import { Types } from 'mongoose';
import { signerFor } from '../../platform/signing';
import type { DrawnQuestion, QuizAttemptDoc } from './learning.model';

/** What grading needs of an attempt: everything but when it started. */
export type GradableAttempt = Omit<QuizAttemptDoc, 'startedAt'>;

// far above a real attempt's (about 1 KB for ten questions); a longer field is not read at all
const MAX_TOKEN_LENGTH = 16_384;

/**
 * The quiz form carries its attempt (owner, module, version, number, drawn questions and their
 * options), signed with a key derived from the session secret. An attempt never changes once drawn,
 * so a submission whose token is genuine is graded from it without reading the attempt back: one
 * database round trip less on the busiest write learners make. The grade's primary key is still the
 * attempt's id, so a token sent twice counts once; and a token that is missing, altered, signed with
 * another secret or for another attempt id is simply not used (the attempt is read as before).
 * Only a secret nobody else knows makes this safe: under the public development secret the app
 * makes no tokens at all (see createLearning), since anyone could sign an attempt never drawn.
 */
export function createAttemptTokens(secret: string) {
  const signer = signerFor(secret, 'quiz-attempt-token');

  return {
    make(attempt: GradableAttempt): string {
      const body = [String(attempt._id), attempt.userId, attempt.moduleId, attempt.moduleVersion, attempt.number, attempt.questions.map((q) => [q.questionId, q.optionIds])];
      const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
      return `${payload}.${signer.sign(payload)}`;
    },

    /** The attempt a genuine token for `attemptId` carries; undefined for anything else. */
    read(token: unknown, attemptId: string): GradableAttempt | undefined {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
      const dot = token.lastIndexOf('.');
      if (dot < 1) return undefined;
      const payload = token.slice(0, dot);
      if (!signer.verifies(payload, token.slice(dot + 1))) return undefined;
      const [id, userId, moduleId, moduleVersion, number, questions] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [
        string,
        string,
        string,
        number,
        number,
        [string, string[]][],
      ];
      if (id !== attemptId) return undefined;
      const drawn: DrawnQuestion[] = questions.map(([questionId, optionIds]) => ({ questionId, optionIds }));
      return { _id: new Types.ObjectId(id), userId, moduleId, moduleVersion, number, questions: drawn };
    },
  };
}

export type AttemptTokens = ReturnType<typeof createAttemptTokens>;
