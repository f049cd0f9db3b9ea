import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { createContentService, type WorksheetYaml, worksheetFields } from '../../src/features/content';
import { modulesDir } from '../../src/platform/paths';
import { csrfFrom } from './build-app';
import type { SignedIn } from './learner';

/** A complete answer to module 1's worksheet (every required field), as the form posts it. */
export function introAnswers(mark = 'Water'): Record<string, string | string[]> {
  return {
    'w.sdgs': ['6', '11'],
    'w.priorities.0.sdg': 'SDG 6',
    'w.priorities.0.target': `6.3 ${mark} treatment`,
    'w.priorities.0.competence': 'Sanitation services',
    'w.priorities.0.plan': 'Municipal sanitation plan',
    'w.gap': 'Target 11.6 on air quality',
    'w.audiences.0.who': 'Council',
    'w.audiences.0.message': 'Why the SDGs matter here',
    'w.roadmap-step': 'monitoring',
    'w.action': 'Agree three indicators with the statistics office',
  };
}

function flat(fields: Record<string, string | string[]>): [string, string][] {
  return Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
}

/** Posts a form as the browser does, with the CSRF token of `page` (the form's own page by default). */
export async function postForm(learner: SignedIn, url: string, fields: Record<string, string | string[]>, page = url) {
  const csrf = csrfFrom((await learner.agent.get(page)).text);
  return learner.agent.post(url).type('form').send(new URLSearchParams(flat({ ...fields, _csrf: csrf })).toString());
}

/** Saves a worksheet: `save` keeps a draft, `finish` marks it finished. */
export const saveWorksheet = (learner: SignedIn, moduleId: string, fields: Record<string, string | string[]>, action: 'save' | 'finish' = 'save') =>
  postForm(learner, `/modules/${moduleId}/worksheet`, { ...fields, action });

/**
 * Seeds the shipped course with `completion: { worksheet: required }` added to the module.yaml of
 * the given folders (e.g. `01-introduction`), as an author turns the rule on.
 */
export async function seedCourseRequiringWorksheets(connection: Connection, folders: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-worksheet-rule-'));
  try {
    fs.cpSync(modulesDir, dir, { recursive: true });
    for (const folder of folders) fs.appendFileSync(path.join(dir, folder, 'module.yaml'), 'completion:\n  worksheet: required\n');
    return await createContentService({ connection }).seedFromFolder(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Form fields answering every field of a worksheet with `text`: texts and tables (every column of
 * the first row) get the text, choices every option (and the text, which the form must drop).
 */
export function answersFilling(worksheet: WorksheetYaml, text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const f of worksheetFields(worksheet)) {
    if (f.type === 'text' || f.type === 'longtext') fields[`w.${f.id}`] = text;
    else if (f.type === 'choice') fields[`w.${f.id}`] = [...(f.options ?? []).map((o) => o.id).slice(0, f.multiple ? undefined : 1), text];
    else for (const c of f.columns ?? []) fields[`w.${f.id}.0.${c.id}`] = text;
  }
  return fields;
}
