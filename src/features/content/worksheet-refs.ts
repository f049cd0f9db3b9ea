import { LineCounter, type Node, parseDocument } from 'yaml';
import { fieldPath, type PackageError, packageError } from './package-errors';
import { type FieldType, fromFits, type WorksheetYaml, worksheetFields } from './worksheet.schemas';

/** A `from:` in worksheet.yaml: the field it sits in, and where. */
export type WorksheetRef = { from: string; fieldId: string; type: FieldType; columns?: string[]; line?: number; field: string };

/** The `from:` references of a valid worksheet, each with the line it is written on. */
export function refsOf(worksheet: WorksheetYaml, source: string): WorksheetRef[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  const refs: WorksheetRef[] = [];
  worksheet.steps.forEach((step, i) => {
    step.fields.forEach((f, j) => {
      if (!f.from) return;
      const path = ['steps', i, 'fields', j, 'from'];
      const node = doc.getIn(path, true) as Node | undefined;
      const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
      const ref: WorksheetRef = { from: f.from, fieldId: f.id, type: f.type, field: fieldPath(path), ...(line ? { line } : {}) };
      if (f.columns) ref.columns = f.columns.map((c) => c.id);
      refs.push(ref);
    });
  });
  return refs;
}

/** What another module's worksheet offers to prefill from: field id → type (and table columns). */
export type WorksheetOffer = Map<string, Map<string, { type: FieldType; columns?: string[] }>>;

export function worksheetOffer(modules: { id: string; worksheet?: WorksheetYaml }[]): WorksheetOffer {
  const offer: WorksheetOffer = new Map();
  for (const m of modules) {
    if (!m.worksheet) continue;
    offer.set(m.id, new Map(worksheetFields(m.worksheet).map((f) => [f.id, { type: f.type, ...(f.columns ? { columns: f.columns.map((c) => c.id) } : {}) }])));
  }
  return offer;
}

/**
 * Checks each `from:` of a module's worksheet against the other modules' worksheets: the module and
 * field must exist, and the field's type must fit (the same type, or a long text from anything).
 */
export function checkWorksheetRefs(refs: WorksheetRef[], offer: WorksheetOffer, file = 'worksheet.yaml'): PackageError[] {
  const errors: PackageError[] = [];
  for (const ref of refs) {
    const [moduleId = '', fieldId = ''] = ref.from.split('.');
    const source = offer.get(moduleId)?.get(fieldId);
    const where = { line: ref.line, field: ref.field };
    if (!source) {
      const message = offer.has(moduleId)
        ? `prefills from "${ref.from}", but module "${moduleId}"'s worksheet has no field "${fieldId}"`
        : `prefills from "${ref.from}", but there is no module "${moduleId}" with a worksheet`;
      errors.push(packageError(file, 'unknownFrom', message, { from: ref.from }, where));
    } else if (!fromFits(ref.type, source.type)) {
      const message = `is a ${ref.type} field and cannot be prefilled from "${ref.from}", a ${source.type} field`;
      errors.push(packageError(file, 'fromTypeMismatch', message, { from: ref.from, type: ref.type, sourceType: source.type }, where));
    }
  }
  return errors;
}

/**
 * module.yaml's `completion: { worksheet: required }` needs the package's worksheet.yaml: without
 * one, module.yaml is refused at the line and field of the rule.
 */
export function completionRuleErrors(
  meta: { completion?: { worksheet: 'required' | 'optional' } } | undefined,
  moduleSource: string | null | undefined,
  hasWorksheet: boolean,
): PackageError[] {
  if (meta?.completion?.worksheet !== 'required' || hasWorksheet || typeof moduleSource !== 'string') return [];
  const lineCounter = new LineCounter();
  const node = parseDocument(moduleSource, { lineCounter }).getIn(['completion', 'worksheet'], true) as Node | undefined;
  const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const message = 'requires a finished worksheet to complete the module (completion.worksheet: required), but the package has no worksheet.yaml';
  return [packageError('module.yaml', 'worksheetRequiredMissing', message, undefined, { line, field: 'completion.worksheet' })];
}
