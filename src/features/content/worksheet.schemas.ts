import { z } from 'zod';
import { localized, type ModuleCompletionRule, stableId } from './content.schemas';

/*
 * worksheet.yaml: the module's worksheet as data (DESIGN.md, "Worksheets"). Field ids are unique in
 * the whole worksheet, because another module refers to them as `<moduleId>.<fieldId>` (`from`).
 */

export const FIELD_TYPES = ['text', 'longtext', 'choice', 'table'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const optionId = z
  .union([z.string(), z.number()], { error: (i) => (i.input === undefined ? 'is missing' : 'must be text') })
  .transform((v) => String(v))
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and hyphens'));

const fromRef = z
  .string({ error: 'must be text' })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}\.[a-z0-9][a-z0-9-]{0,62}$/, 'must be "<moduleId>.<fieldId>"');

function custom(ctx: z.RefinementCtx, path: (string | number)[], message: string, code: string, params: Record<string, string | number> = {}) {
  ctx.addIssue({ code: 'custom', path, message, params: { code, ...params } });
}

function unique(items: { id: string }[], ctx: z.RefinementCtx, what: string, code: string, prefix: (string | number)[] = []) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) custom(ctx, [...prefix, i, 'id'], `duplicate ${what} id "${item.id}"`, code, { id: item.id });
    seen.add(item.id);
  });
}

const field = z
  .strictObject({
    id: stableId,
    type: z.enum(FIELD_TYPES, { error: 'must be text, longtext, choice or table' }),
    label: localized,
    hint: localized.optional(),
    example: localized.optional(),
    required: z.boolean({ error: 'must be true or false' }).optional(),
    options: z.array(z.strictObject({ id: optionId, label: localized }), { error: 'must be a list of options' }).min(2).optional(),
    multiple: z.boolean({ error: 'must be true or false' }).optional(),
    columns: z.array(z.strictObject({ id: stableId, label: localized }), { error: 'must be a list of columns' }).min(1).optional(),
    maxRows: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(20, 'must be at most 20').optional(),
    from: fromRef.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.type === 'choice' && !f.options) custom(ctx, ['options'], 'a choice field needs options', 'fieldNeedsOptions');
    if (f.type !== 'choice' && f.options) custom(ctx, ['options'], `a ${f.type} field has no options`, 'fieldPartNotAllowed', { part: 'options' });
    if (f.type !== 'choice' && f.multiple !== undefined) custom(ctx, ['multiple'], `a ${f.type} field has no "multiple"`, 'fieldPartNotAllowed', { part: 'multiple' });
    if (f.type === 'table' && (!f.columns || f.maxRows === undefined)) custom(ctx, ['columns'], 'a table field needs columns and maxRows', 'fieldNeedsColumns');
    if (f.type !== 'table' && f.columns) custom(ctx, ['columns'], `a ${f.type} field has no columns`, 'fieldPartNotAllowed', { part: 'columns' });
    if (f.type !== 'table' && f.maxRows !== undefined) custom(ctx, ['maxRows'], `a ${f.type} field has no maxRows`, 'fieldPartNotAllowed', { part: 'maxRows' });
    if (f.options) unique(f.options, ctx, 'option', 'duplicateOptionId', ['options']);
    if (f.columns) unique(f.columns, ctx, 'column', 'duplicateColumnId', ['columns']);
  });

const step = z
  .strictObject({
    id: stableId,
    title: localized,
    intro: localized.optional(),
    fields: z.array(field, { error: 'must be a list of fields' }).min(1, 'must have at least one field'),
  })
  .superRefine((s, ctx) => unique(s.fields, ctx, 'field', 'duplicateFieldId', ['fields']));

export const worksheetSchema = z
  .strictObject({
    title: localized,
    intro: localized,
    steps: z.array(step, { error: 'must be a list of steps' }).min(1, 'must have at least one step'),
  })
  .superRefine((w, ctx) => {
    unique(w.steps, ctx, 'step', 'duplicateStepId', ['steps']);
    const seen = new Set<string>();
    w.steps.forEach((s, i) => {
      s.fields.forEach((f, j) => {
        if (seen.has(f.id) && !s.fields.slice(0, j).some((g) => g.id === f.id)) {
          custom(ctx, ['steps', i, 'fields', j, 'id'], `duplicate field id "${f.id}" (field ids are unique in the worksheet)`, 'duplicateFieldId', { id: f.id });
        }
        seen.add(f.id);
      });
    });
  });

export type WorksheetYaml = z.infer<typeof worksheetSchema>;
export type WorksheetStep = WorksheetYaml['steps'][number];
export type WorksheetField = WorksheetStep['fields'][number];

/** Every field of a worksheet, in page order, with the step it belongs to. */
export function worksheetFields(w: WorksheetYaml): (WorksheetField & { stepId: string })[] {
  return w.steps.flatMap((s) => s.fields.map((f) => ({ ...f, stepId: s.id })));
}

/** Which field types a field may be prefilled from: the same type, or a long text from anything. */
export function fromFits(target: FieldType, source: FieldType): boolean {
  return target === source || target === 'longtext';
}

/**
 * Whether completing a module needs its worksheet marked finished: module.yaml says
 * `completion: { worksheet: required }` (the loader refuses it without a worksheet.yaml).
 */
export function requiresWorksheet(module: { completion?: ModuleCompletionRule; worksheet?: unknown }): boolean {
  return module.completion?.worksheet === 'required' && module.worksheet !== undefined;
}
