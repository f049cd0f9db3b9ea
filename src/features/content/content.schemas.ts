import { z } from 'zod';

export const LANGS = ['en', 'es', 'fr'] as const;
export type Lang = (typeof LANGS)[number];
export type Localized = Record<Lang, string>;

const text = z
  .string({ error: (i) => (i.input === undefined ? 'is missing' : 'must be text') })
  .trim()
  .min(1, 'is empty');

/** A text in all three languages: a missing language is named precisely ("title.fr is missing"). */
export const localized = z.strictObject(
  { en: text, es: text, fr: text },
  { error: (i) => (i.input === undefined ? 'is missing' : 'must have en, es and fr texts') },
);

export const stableId = z
  .string({ error: (i) => (i.input === undefined ? 'is missing' : 'must be text') })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and hyphens (at most 63)');

const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: (i) => (i.input === undefined ? 'is missing' : 'must be a number') })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const DUPLICATE_CODES = {
  lesson: 'duplicateLessonId',
  option: 'duplicateOptionId',
  question: 'duplicateQuestionId',
  term: 'duplicateTermId',
} as const;

function uniqueIds<T extends { id: string }>(items: T[], ctx: z.RefinementCtx, what: keyof typeof DUPLICATE_CODES, prefix: string[] = []) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) {
      ctx.addIssue({
        code: 'custom',
        path: [...prefix, i, 'id'],
        message: `duplicate ${what} id "${item.id}"`,
        params: { code: DUPLICATE_CODES[what], id: item.id },
      });
    }
    seen.add(item.id);
  });
}

export const moduleSchema = z.strictObject({
  id: stableId,
  order: wholeNumber(1, 999),
  estimatedMinutes: wholeNumber(1, 10_000),
  title: localized,
  summary: localized,
  lessons: z
    .array(z.strictObject({ id: stableId, title: localized }), { error: 'must be a list of lessons' })
    .min(1, 'must list at least one lesson')
    .superRefine((lessons, ctx) => uniqueIds(lessons, ctx, 'lesson')),
  /** what completes the module besides its lessons and quiz: `worksheet: required` adds a finished worksheet */
  completion: z
    .strictObject(
      { worksheet: z.enum(['required', 'optional'], { error: 'must be required or optional' }) },
      { error: 'must be a set of named fields (worksheet: required)' },
    )
    .optional(),
});

const option = z.strictObject({
  id: z
    .union([z.string(), z.boolean()], { error: 'is missing' })
    .transform((v) => String(v))
    .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and hyphens')),
  text: localized,
  correct: z.boolean({ error: 'must be true or false' }),
});

const question = z
  .strictObject({
    id: stableId,
    type: z.enum(['single', 'multiple', 'truefalse'], { error: 'must be single, multiple or truefalse' }),
    prompt: localized,
    options: z.array(option, { error: 'must be a list of options' }).min(2, 'must have at least two options'),
    explanation: localized,
  })
  .superRefine((q, ctx) => {
    uniqueIds(q.options, ctx, 'option', ['options']);
    const correct = q.options.filter((o) => o.correct).length;
    if (correct === 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'has no correct option', params: { code: 'noCorrectOption' } });
    if (q.type !== 'multiple' && correct > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `a ${q.type} question must have exactly one correct option`,
        params: { code: 'tooManyCorrect', type: q.type },
      });
    }
    if (q.type === 'truefalse') {
      const ids = q.options.map((o) => o.id).sort();
      if (ids.length !== 2 || ids[0] !== 'false' || ids[1] !== 'true') {
        ctx.addIssue({
          code: 'custom',
          path: ['options'],
          message: 'a truefalse question has exactly the options "true" and "false"',
          params: { code: 'trueFalseOptions' },
        });
      }
    }
  });

export const quizSchema = z
  .strictObject({
    passPercent: wholeNumber(1, 100),
    questionsPerAttempt: wholeNumber(1, 200),
    maxAttempts: wholeNumber(0, 1000),
    questions: z
      .array(question, { error: 'must be a list of questions' })
      .min(1, 'must have at least one question')
      .superRefine((qs, ctx) => uniqueIds(qs, ctx, 'question')),
  })
  .superRefine((quiz, ctx) => {
    if (quiz.questionsPerAttempt > quiz.questions.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['questionsPerAttempt'],
        message: `is ${quiz.questionsPerAttempt} but the bank has only ${quiz.questions.length} questions`,
        params: { code: 'notEnoughQuestions', requested: quiz.questionsPerAttempt, available: quiz.questions.length },
      });
    }
  });

export const glossarySchema = z.strictObject({
  terms: z
    .array(z.strictObject({ id: stableId, term: localized, definition: localized }))
    .min(1, 'must have at least one term')
    .superRefine((terms, ctx) => uniqueIds(terms, ctx, 'term')),
});

export type ModuleYaml = z.infer<typeof moduleSchema>;
export type ModuleCompletionRule = NonNullable<ModuleYaml['completion']>;
export type QuizYaml = z.infer<typeof quizSchema>;
export type Question = QuizYaml['questions'][number];
export type Glossary = z.infer<typeof glossarySchema>;
