import { stringify } from 'yaml';
import type { PackageFiles } from '../../src/features/content';

const words = (lng: string, n: number) =>
  Array.from({ length: n }, (_, i) => (({ en: 'planning', es: 'planificación', fr: 'planification' }) as Record<string, string>)[lng] + String(i)).join(' ');

export type PackageSpec = {
  id?: string;
  lessons?: string[];
  questions?: number;
  lessonBody?: (lessonId: string, lng: string) => string;
};

const L = (s: string) => ({ en: `${s} (en)`, es: `${s} (es)`, fr: `${s} (fr)` });

/** A small, valid module package, as plain objects so a test can break one thing. */
export function modulePackageSpec(spec: PackageSpec = {}) {
  const id = spec.id ?? 'sample-module';
  const lessons = spec.lessons ?? ['first-lesson', 'second-lesson'];
  const moduleYaml = {
    id,
    order: 9,
    estimatedMinutes: 30,
    title: L('Sample module'),
    summary: L('A module used by the tests'),
    lessons: lessons.map((l) => ({ id: l, title: L(`Lesson ${l}`) })),
  };
  const quizYaml = {
    passPercent: 70,
    questionsPerAttempt: Math.min(2, spec.questions ?? 3),
    maxAttempts: 0,
    questions: Array.from({ length: spec.questions ?? 3 }, (_, i) => ({
      id: `q${i + 1}`,
      type: 'single',
      prompt: L(`Question ${i + 1}?`),
      options: [
        { id: 'a', text: L('Right answer'), correct: true },
        { id: 'b', text: L('Wrong answer'), correct: false },
      ],
      explanation: L('Because the first answer is right.'),
    })),
  };
  const body = spec.lessonBody ?? ((l: string, lng: string) => `## ${l}\n\n${words(lng, 120)}\n`);
  const lessonFiles: Record<string, string> = {};
  for (const l of lessons) for (const lng of ['en', 'es', 'fr']) lessonFiles[`lessons/${l}.${lng}.md`] = body(l, lng);
  return { moduleYaml, quizYaml, lessonFiles };
}

export function toFiles(spec: ReturnType<typeof modulePackageSpec>, extra: Record<string, string | Buffer> = {}): PackageFiles {
  const files: PackageFiles = new Map();
  files.set('module.yaml', Buffer.from(stringify(spec.moduleYaml)));
  files.set('quiz.yaml', Buffer.from(stringify(spec.quizYaml)));
  for (const [name, text] of Object.entries(spec.lessonFiles)) files.set(name, Buffer.from(text));
  for (const [name, data] of Object.entries(extra)) files.set(name, Buffer.isBuffer(data) ? data : Buffer.from(data));
  return files;
}

/** A real 1×1 PNG. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
