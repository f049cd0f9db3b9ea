import type { Lang, WorksheetField, WorksheetYaml } from '../content';
import { worksheetFields } from '../content';
import type { FieldValue, WorksheetValues } from './plans.model';

/** Limits on what a learner may write, in characters. */
export const LIMITS = { text: 300, longtext: 5000, cell: 500 } as const;

/** field id (or `<tableId>.<row>.<columnId>`) → i18n key of what is wrong */
export type FormErrors = Record<string, string>;

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

/**
 * Reads the `w.<fieldId>` and `w.<tableId>.<row>.<columnId>` inputs of a worksheet form. Only the
 * worksheet's own fields, options and rows are kept; texts are trimmed and checked against LIMITS.
 * Empty table rows are dropped.
 */
export function readWorksheetForm(body: unknown, worksheet: WorksheetYaml): { values: WorksheetValues; errors: FormErrors } {
  const input = (body ?? {}) as Record<string, unknown>;
  const values: WorksheetValues = {};
  const errors: FormErrors = {};
  for (const f of worksheetFields(worksheet)) {
    if (f.type === 'text' || f.type === 'longtext') {
      const v = str(input[`w.${f.id}`]).trim().replace(/\r\n/g, '\n');
      values[f.id] = v;
      if (v.length > LIMITS[f.type]) errors[f.id] = f.type === 'text' ? 'plans:errors.tooLongText' : 'plans:errors.tooLongLongtext';
    } else if (f.type === 'choice') {
      const raw = input[`w.${f.id}`];
      const picked = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
      const known = new Set(f.options?.map((o) => o.id));
      const chosen = [...new Set(picked.filter((v) => known.has(v)))];
      values[f.id] = f.multiple ? chosen : chosen.slice(0, 1);
    } else {
      const rows: Record<string, string>[] = [];
      for (let r = 0; r < (f.maxRows ?? 1); r++) {
        const row: Record<string, string> = {};
        for (const c of f.columns ?? []) {
          const v = str(input[`w.${f.id}.${r}.${c.id}`]).trim();
          if (v.length > LIMITS.cell) errors[`${f.id}.${r}.${c.id}`] = 'plans:errors.tooLongCell';
          row[c.id] = v;
        }
        if (Object.values(row).some((v) => v !== '')) rows.push(row);
      }
      values[f.id] = rows;
      if (Object.keys(errors).some((k) => k.startsWith(`${f.id}.`))) errors[f.id] = 'plans:errors.tooLongCell';
    }
  }
  return { values, errors };
}

export function isEmpty(v: FieldValue | undefined): boolean {
  return v === undefined || v.length === 0;
}

/** The required fields left empty: what stops a worksheet from being marked finished. */
export function missingRequired(worksheet: WorksheetYaml, values: WorksheetValues): FormErrors {
  const errors: FormErrors = {};
  for (const f of worksheetFields(worksheet)) {
    if (f.required && isEmpty(values[f.id])) errors[f.id] = f.type === 'choice' ? 'plans:errors.requiredChoice' : 'plans:errors.required';
  }
  return errors;
}

/** A value as text, for a long text prefilled from another kind of field. */
function asText(source: WorksheetField, value: FieldValue, lng: Lang): string {
  if (typeof value === 'string') return value;
  if (source.type === 'choice') {
    const labels = new Map(source.options?.map((o) => [o.id, o.label[lng]]));
    return (value as string[]).map((id) => labels.get(id) ?? id).join('\n');
  }
  return (value as Record<string, string>[])
    .map((row) => (source.columns ?? []).map((c) => row[c.id]).filter(Boolean).join(' · '))
    .join('\n');
}

/** The value `target` takes from `source` (see fromFits): tables keep the columns both have. */
export function prefillValue(target: WorksheetField, source: WorksheetField, value: FieldValue, lng: Lang): FieldValue | undefined {
  if (isEmpty(value)) return undefined;
  if (target.type === 'longtext' && source.type !== 'longtext') return asText(source, value, lng);
  if (target.type === 'table') {
    const columns = new Set(target.columns?.map((c) => c.id));
    const rows = (value as Record<string, string>[])
      .map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => columns.has(k))))
      .filter((row) => Object.values(row).some(Boolean));
    return rows.slice(0, target.maxRows ?? rows.length);
  }
  if (target.type === 'choice') {
    const known = new Set(target.options?.map((o) => o.id));
    return (value as string[]).filter((id) => known.has(id));
  }
  return value;
}
