import path from 'node:path';
import {
  checkWorksheetRefs,
  formatPackageError,
  loadModulePackage,
  type PackageError,
  readPackageFolder,
  worksheetOffer,
} from '../../../src/features/content';
import { modulesDir } from '../../../src/platform/paths';
import { modulePackageSpec, toFiles } from '../../helpers/module-package';

const WORKSHEET = `title: { en: "Plan", es: "Plan", fr: "Plan" }
intro: { en: "Intro", es: "Intro", fr: "Intro" }
steps:
  - id: data
    title: { en: "Data", es: "Datos", fr: "Données" }
    fields:
      - id: indicators
        type: table
        label: { en: "Indicators", es: "Indicadores", fr: "Indicateurs" }
        maxRows: 3
        columns:
          - { id: indicator, label: { en: "Indicator", es: "Indicador", fr: "Indicateur" } }
        from: introduction.priorities
      - id: note
        type: longtext
        label: { en: "Note", es: "Nota", fr: "Note" }
`;

function load(worksheet: string) {
  return loadModulePackage(toFiles(modulePackageSpec(), { 'worksheet.yaml': worksheet }));
}

function errorsOf(worksheet: string): PackageError[] {
  const result = load(worksheet);
  if (result.ok) throw new Error('expected the package to be refused');
  return result.errors;
}

describe('worksheet.yaml in a module package', () => {
  it('when it is valid, then the module carries the worksheet and its from: references with their lines', () => {
    const result = load(WORKSHEET);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.module.worksheet?.steps[0]?.fields.map((f) => f.id)).toEqual(['indicators', 'note']);
    expect(result.module.worksheetRefs).toEqual([
      expect.objectContaining({ from: 'introduction.priorities', fieldId: 'indicators', line: 13, field: 'steps[0].fields[0].from' }),
    ]);
    expect(result.module.sources.worksheetYaml).toBe(WORKSHEET);
  });

  it('when a field has an unknown type, then worksheet.yaml, the line and the field are named', () => {
    const errors = errorsOf(WORKSHEET.replace('type: longtext', 'type: paragraph'));
    expect(errors).toEqual([expect.objectContaining({ file: 'worksheet.yaml', line: 15, field: 'steps[0].fields[1].type', code: 'notOneOf' })]);
    expect(formatPackageError(errors[0]!)).toBe('worksheet.yaml:15 (steps[0].fields[1].type): must be text, longtext, choice or table');
  });

  it('when a label lacks its French translation, then the file, the line and label.fr are named', () => {
    const errors = errorsOf(WORKSHEET.replace('label: { en: "Note", es: "Nota", fr: "Note" }', 'label: { en: "Note", es: "Nota" }'));
    expect(errors).toEqual([expect.objectContaining({ file: 'worksheet.yaml', line: 16, field: 'steps[0].fields[1].label.fr', code: 'missing' })]);
  });

  it('when a choice has no options or a table no columns, then each is named', () => {
    const errors = errorsOf(WORKSHEET.replace('type: longtext', 'type: choice').replace(/ {8}maxRows: 3\n {8}columns:\n.*\n/, ''));
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['steps[0].fields[0].columns', 'fieldNeedsColumns'],
      ['steps[0].fields[1].options', 'fieldNeedsOptions'],
    ]);
  });

  it('when from: names a field no other module has, then the file, its line and field are named', () => {
    const result = load(WORKSHEET.replace('introduction.priorities', 'introduction.nothing'));
    if (!result.ok) throw new Error('the package alone is valid');
    const offer = worksheetOffer([{ id: 'introduction', worksheet: result.module.worksheet }]);
    const errors = checkWorksheetRefs(result.module.worksheetRefs, offer);
    expect(errors).toEqual([expect.objectContaining({ file: 'worksheet.yaml', line: 13, field: 'steps[0].fields[0].from', code: 'unknownFrom' })]);
    expect(errors[0]?.message).toBe(`prefills from "introduction.nothing", but module "introduction"'s worksheet has no field "nothing"`);
  });

  it('when from: names a field of another type, then it is refused as a type mismatch', () => {
    const result = load(WORKSHEET);
    if (!result.ok) throw new Error('valid');
    const offer = worksheetOffer([{ id: 'introduction', worksheet: { ...result.module.worksheet!, steps: [{ id: 's', title: result.module.worksheet!.title, fields: [{ id: 'priorities', type: 'text', label: result.module.worksheet!.title }] }] } }]);
    expect(checkWorksheetRefs(result.module.worksheetRefs, offer)).toEqual([expect.objectContaining({ code: 'fromTypeMismatch', line: 13 })]);
  });

  it('when the shipped course is read, then each module has a worksheet and module 2 and 3 prefill from earlier modules', () => {
    const modules = ['01-introduction', '02-territorial-planning', '03-reporting'].map((f) => {
      const r = loadModulePackage(readPackageFolder(path.join(modulesDir, f)));
      if (!r.ok) throw new Error(r.errors.map(formatPackageError).join('\n'));
      return r.module;
    });
    const offer = worksheetOffer(modules);
    for (const m of modules) expect(checkWorksheetRefs(m.worksheetRefs, offer)).toEqual([]);
    expect(modules.map((m) => m.worksheetRefs.map((r) => r.from))).toEqual([
      [],
      ['introduction.priorities'],
      ['introduction.priorities', 'territorial-planning.indicators'],
    ]);
  });
});

describe('completion: { worksheet: required } in module.yaml', () => {
  const withRule = (rule: string, worksheet?: string) => {
    const files = toFiles(modulePackageSpec(), worksheet ? { 'worksheet.yaml': worksheet } : {});
    const moduleYaml = `${files.get('module.yaml')!.toString()}completion:\n  worksheet: ${rule}\n`;
    files.set('module.yaml', Buffer.from(moduleYaml));
    return { result: loadModulePackage(files), line: moduleYaml.split('\n').indexOf(`  worksheet: ${rule}`) + 1 };
  };

  it('when the module has a worksheet, then the rule is kept with the module', () => {
    const { result } = withRule('required', WORKSHEET);
    if (!result.ok) throw new Error(result.errors.map(formatPackageError).join('\n'));
    expect(result.module.completion).toEqual({ worksheet: 'required' });
  });

  it('when the package has no worksheet.yaml, then module.yaml, the line and completion.worksheet are named', () => {
    const { result, line } = withRule('required');
    if (result.ok) throw new Error('expected the package to be refused');
    expect(result.errors).toEqual([expect.objectContaining({ file: 'module.yaml', line, field: 'completion.worksheet', code: 'worksheetRequiredMissing' })]);
    expect(formatPackageError(result.errors[0]!)).toBe(
      `module.yaml:${line} (completion.worksheet): requires a finished worksheet to complete the module (completion.worksheet: required), but the package has no worksheet.yaml`,
    );
  });

  it('when the rule is neither required nor optional, then the line and field are named', () => {
    const { result, line } = withRule('always', WORKSHEET);
    if (result.ok) throw new Error('expected the package to be refused');
    expect(result.errors).toEqual([expect.objectContaining({ file: 'module.yaml', line, field: 'completion.worksheet', code: 'notOneOf' })]);
  });

  it('when optional, or absent as in the shipped course, then no module requires its worksheet', () => {
    const { result } = withRule('optional');
    expect(result.ok && result.module.completion).toEqual({ worksheet: 'optional' });
    for (const f of ['01-introduction', '02-territorial-planning', '03-reporting']) {
      const r = loadModulePackage(readPackageFolder(path.join(modulesDir, f)));
      expect(r.ok && r.module.completion).toBeUndefined();
    }
  });
});
