import { LANGS, type QuizYaml } from './content.schemas';
import type { PackageWarning } from './package-warnings';

/** Above this share of single-choice questions whose right option is strictly the longest, learners can guess by length. */
export const LONGEST_RIGHT_LIMIT = 0.4;

const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase();
const FILE = 'quiz.yaml';

/** Single-choice questions, per language, whose right option is strictly longer than every other one. */
export function longestRightShare(quiz: QuizYaml, lng: (typeof LANGS)[number]): { longest: number; single: number } {
  const singles = quiz.questions.filter((q) => q.type === 'single');
  const longest = singles.filter((q) => {
    const right = q.options.find((o) => o.correct);
    if (!right) return false;
    const len = [...right.text[lng]].length;
    return q.options.every((o) => o === right || [...o.text[lng]].length < len);
  }).length;
  return { longest, single: singles.length };
}

/**
 * An author's check of a question bank: the patterns that let learners pass without understanding.
 * Warnings, not errors: the bank still works, and only the author can judge the fix.
 */
export function checkQuestionBank(quiz: QuizYaml): PackageWarning[] {
  const warnings: PackageWarning[] = [];
  for (const lng of LANGS) {
    const { longest, single } = longestRightShare(quiz, lng);
    if (single > 0 && longest / single > LONGEST_RIGHT_LIMIT) {
      const percent = Math.round((100 * longest) / single);
      warnings.push({
        file: FILE,
        field: 'questions',
        code: 'rightOptionLongest',
        params: { lng, longest, single, percent, limit: LONGEST_RIGHT_LIMIT * 100 },
        message: `in ${lng}, the right option is the longest in ${longest} of ${single} single-choice questions (${percent} %, more than ${LONGEST_RIGHT_LIMIT * 100} %)`,
      });
    }
    const prompts = new Map<string, string>();
    const options = new Map<string, string>();
    quiz.questions.forEach((q, i) => {
      const prompt = norm(q.prompt[lng]);
      const same = prompts.get(prompt);
      if (same) {
        warnings.push({
          file: FILE,
          field: `questions[${i}].prompt.${lng}`,
          code: 'promptRepeated',
          params: { lng, id: q.id, other: same },
          message: `question ${q.id} asks the same as ${same} (${lng})`,
        });
      } else prompts.set(prompt, q.id);
      if (q.type === 'truefalse') return;
      const seenHere = new Set<string>();
      q.options.forEach((o, j) => {
        const text = norm(o.text[lng]);
        if (seenHere.has(text)) return;
        seenHere.add(text);
        const other = options.get(text);
        if (other && other !== q.id) {
          warnings.push({
            file: FILE,
            field: `questions[${i}].options[${j}].text.${lng}`,
            code: 'optionRepeated',
            params: { lng, id: q.id, other, text: o.text[lng] },
            message: `question ${q.id} repeats the option "${o.text[lng]}" of ${other} (${lng})`,
          });
        } else options.set(text, q.id);
      });
    });
  }
  const trueFalse = quiz.questions.filter((q) => q.type === 'truefalse');
  if (trueFalse.length >= 2 && trueFalse.every((q) => q.options.find((o) => o.correct)?.id === 'false')) {
    warnings.push({
      file: FILE,
      field: 'questions',
      code: 'trueFalseAllFalse',
      params: { count: trueFalse.length },
      message: `every one of the ${trueFalse.length} true/false statements is false`,
    });
  }
  return warnings;
}
