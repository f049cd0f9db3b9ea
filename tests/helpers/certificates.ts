import { execFileSync } from 'node:child_process';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import type { Response } from 'superagent';
import type TestAgent from 'supertest/lib/agent';
import { createContentService } from '../../src/features/content';
import { csrfFrom } from './build-app';
import { answersFor, attemptIdFrom, formBody } from './quiz';

/** Completes the whole course as a learner does: every lesson marked complete, every quiz passed. */
export async function completeCourseThroughSite(connection: Connection, agent: TestAgent) {
  const modules = await createContentService({ connection }).modules();
  for (const module of modules) {
    for (const lesson of module.lessons) {
      const page = await agent.get(`/modules/${module.moduleId}/lessons/${lesson.id}`);
      await agent.post(`/modules/${module.moduleId}/lessons/${lesson.id}/complete`).type('form').send({ _csrf: csrfFrom(page.text) });
    }
    const quiz = await agent.get(`/modules/${module.moduleId}/quiz`);
    const attemptId = attemptIdFrom(quiz.text);
    const body = formBody({ ...(await answersFor(connection, attemptId, module.quiz.questionsPerAttempt)), _csrf: csrfFrom(quiz.text) });
    const graded = await agent.post(`/modules/${module.moduleId}/quiz`).type('form').send(body);
    if (graded.status !== 303) throw new Error(`quiz of ${module.moduleId} answered ${graded.status}`);
  }
}

/**
 * Records a course completion straight in the database, as the learning feature stores it (its
 * insert-only facts), without announcing it: what a completion whose event was lost looks like.
 */
export async function recordCourseCompletion(connection: Connection, userId: string, completedAt = new Date('2025-03-12T09:30:00Z')) {
  const modules = await createContentService({ connection }).modules();
  await connection.collection('module_completions').insertMany(
    modules.map((m) => ({
      userId,
      moduleId: m.moduleId,
      moduleVersion: m.version,
      completedAt,
      lessonIds: m.lessons.map((l) => l.id),
      passingAttemptId: new Types.ObjectId(),
    })),
  );
  await connection.collection('course_completions').insertOne({ userId, moduleIds: modules.map((m) => m.moduleId), completedAt });
}

/** Makes supertest hand back a binary body (a PDF) as a Buffer. */
export function binary(res: Response, callback: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** The PDF's text as poppler's pdftotext reads it (`apt-get install -y poppler-utils`). */
export function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
}

/** poppler's pdfinfo fields: Pages, Page size, Title, … */
export function pdfInfo(pdf: Buffer): Record<string, string> {
  const out = execFileSync('pdfinfo', ['-enc', 'UTF-8', '-'], { input: pdf }).toString('utf8');
  return Object.fromEntries(out.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
}

/** Waits for something that happens after the response (a listener of the course-completed event). */
export async function eventually<T>(probe: () => Promise<T | undefined | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The verification code printed on a page (`data-certificate-code`). */
export function codeFrom(html: string): string {
  const m = /data-certificate-code>([0-9A-Z-]+)</.exec(html);
  if (!m?.[1]) throw new Error('no certificate code in the page');
  return m[1];
}
