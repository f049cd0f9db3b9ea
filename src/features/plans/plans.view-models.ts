import type { Lang, WorksheetField, worksheetFields } from '../content';
import type { FieldValue, WorksheetValues } from './plans.model';
import type { Plan } from './plans.service';

/** One field as the plan shows it: a text, a list of chosen labels, or a table. */
export type ShownField =
  | { id: string; type: 'text' | 'longtext'; label: string; text: string }
  | { id: string; type: 'choice'; label: string; items: string[] }
  | { id: string; type: 'table'; label: string; columns: string[]; rows: string[][] };

export function showField(f: WorksheetField, value: FieldValue | undefined, lng: Lang): ShownField {
  const label = f.label[lng];
  if (f.type === 'choice') {
    const labels = new Map(f.options?.map((o) => [o.id, o.label[lng]]));
    return { id: f.id, type: 'choice', label, items: ((value as string[] | undefined) ?? []).map((id) => labels.get(id) ?? id) };
  }
  if (f.type === 'table') {
    const cols = f.columns ?? [];
    const rows = ((value as Record<string, string>[] | undefined) ?? []).map((row) => cols.map((c) => row[c.id] ?? ''));
    return { id: f.id, type: 'table', label, columns: cols.map((c) => c.label[lng]), rows };
  }
  return { id: f.id, type: f.type, label, text: typeof value === 'string' ? value : '' };
}

export type PlanView = ReturnType<typeof planView>;

/** The whole plan in the reader's language: parts, steps, fields, and each step's feedback. */
export function planView(plan: Plan, lng: Lang) {
  const feedbackByStep = new Map<string, Plan['feedback']>();
  for (const f of plan.feedback) feedbackByStep.set(f.step, [...(feedbackByStep.get(f.step) ?? []), f]);
  return {
    learner: plan.learner,
    shared: plan.shared,
    parts: plan.parts.map(({ module, revision }) => {
      const values: WorksheetValues = revision?.values ?? {};
      return {
        moduleId: module.moduleId,
        title: module.worksheet.title[lng],
        moduleTitle: module.title[lng],
        href: `/modules/${module.moduleId}/worksheet`,
        started: revision !== undefined,
        finished: revision?.finished === true,
        savedAt: revision?.createdAt,
        steps: module.worksheet.steps.map((s) => ({
          key: `${module.moduleId}.${s.id}`,
          title: s.title[lng],
          fields: s.fields.map((f) => showField(f, values[f.id], lng)),
          feedback: (feedbackByStep.get(`${module.moduleId}.${s.id}`) ?? []).map((f) => ({ trainer: f.trainerName, body: f.body, at: f.createdAt })),
        })),
      };
    }),
  };
}

/** The form's fields in the learner's language, with the values to show. */
export function formView(fields: ReturnType<typeof worksheetFields>, values: WorksheetValues, lng: Lang) {
  return fields.map((f) => ({
    id: f.id,
    type: f.type,
    stepId: f.stepId,
    label: f.label[lng],
    hint: f.hint?.[lng],
    example: f.example?.[lng],
    required: f.required === true,
    multiple: f.multiple === true,
    options: f.options?.map((o) => ({ id: o.id, label: o.label[lng] })) ?? [],
    columns: f.columns?.map((c) => ({ id: c.id, label: c.label[lng] })) ?? [],
    maxRows: f.maxRows ?? 0,
    value: values[f.id],
  }));
}
