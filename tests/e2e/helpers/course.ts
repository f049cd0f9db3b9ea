import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Page } from 'playwright-core';

type Lng = 'en' | 'es' | 'fr';
type Bank = { questions: { id: string; prompt: Record<Lng, string>; options: { id: string; text: Record<Lng, string>; correct: boolean }[] }[] };

const modulesDir = path.resolve(__dirname, '../../../modules');
export const MODULE_FOLDERS = { introduction: '01-introduction', 'territorial-planning': '02-territorial-planning', reporting: '03-reporting' } as const;
export type ModuleId = keyof typeof MODULE_FOLDERS;

export function lessonIds(moduleId: ModuleId): string[] {
  const meta = parse(fs.readFileSync(path.join(modulesDir, MODULE_FOLDERS[moduleId], 'module.yaml'), 'utf8')) as { lessons: { id: string }[] };
  return meta.lessons.map((l) => l.id);
}

function bank(moduleId: ModuleId): Bank {
  return parse(fs.readFileSync(path.join(modulesDir, MODULE_FOLDERS[moduleId], 'quiz.yaml'), 'utf8')) as Bank;
}

/**
 * Answers the quiz on the page as a learner would, by reading each question and ticking options:
 * the right ones for the first `right` questions, a wrong one for the rest. The test knows the
 * answers from quiz.yaml; the page never tells.
 */
export async function answerQuiz(page: Page, moduleId: ModuleId, lng: Lng, right: number, options: { keyboard?: boolean } = {}) {
  const questions = bank(moduleId).questions;
  const fieldsets = page.locator('form.quiz fieldset');
  const count = await fieldsets.count();
  for (let i = 0; i < count; i++) {
    const fieldset = fieldsets.nth(i);
    const legend = (await fieldset.locator('legend').innerText()).replace(/\s+/g, ' ');
    const q = questions.find((x) => legend.includes(x.prompt[lng].replace(/\s+/g, ' ').trim()));
    if (!q) throw new Error(`question not found in the bank: ${legend}`);
    const wanted = i < right ? q.options.filter((o) => o.correct) : [q.options.find((o) => !o.correct)!];
    for (const o of wanted) {
      const input = fieldset.locator(`input[value="${o.id}"]`);
      if (options.keyboard) {
        await input.focus();
        await page.keyboard.press('Space');
      } else {
        await input.check();
      }
    }
  }
  return count;
}
