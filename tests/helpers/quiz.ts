import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { createContentService } from '../../src/features/content';

/** Reads the attempt id out of a rendered quiz form. */
export function attemptIdFrom(html: string): string {
  const m = /name="attemptId" value="([0-9a-f]{24})"/.exec(html);
  if (!m?.[1]) throw new Error('no attemptId in the page');
  return m[1];
}

/** Reads the signed copy of the attempt a quiz form carries (sent back as a browser would). */
export function attemptTokenFrom(html: string): string {
  const m = /name="attemptToken" value="([\w.-]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no attemptToken in the page');
  return m[1];
}

/**
 * Builds a form body answering an attempt, reading the bank on the server side as a test may:
 * `right` questions answered correctly, the rest wrongly.
 */
export async function answersFor(connection: Connection, attemptId: string, right: number): Promise<Record<string, string | string[]>> {
  const attempt = await connection.collection('quiz_attempts').findOne({ _id: new Types.ObjectId(attemptId) });
  if (!attempt) throw new Error('attempt not found');
  const module = await createContentService({ connection }).getVersion(attempt.moduleId, attempt.moduleVersion);
  const body: Record<string, string | string[]> = { attemptId };
  (attempt.questions as { questionId: string }[]).forEach((d, i) => {
    const q = module!.quiz.questions.find((x) => x.id === d.questionId)!;
    const good = q.options.filter((o) => o.correct).map((o) => o.id);
    const bad = q.options.filter((o) => !o.correct).map((o) => o.id);
    const chosen = i < right ? good : [bad[0]!];
    body[`q.${q.id}`] = q.type === 'multiple' ? chosen : chosen[0]!;
  });
  return body;
}

/** How many of `questions` an attempt must get right to pass with `passPercent`. */
export function rightToPass(questions: number, passPercent: number): number {
  return Math.ceil((questions * passPercent) / 100);
}

/** Encodes a form as a browser does: repeated keys for checkboxes, no brackets. */
export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  return params.toString();
}
