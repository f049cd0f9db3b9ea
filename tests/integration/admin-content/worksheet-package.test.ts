import type { Connection } from 'mongoose';
import { readPackageZip } from '../../../src/features/admin-content';
import { loadModulePackage } from '../../../src/features/content';
import { problemRows, stateOf, uploadPackage } from '../../helpers/admin-content';
import { decoded } from '../../helpers/build-app';
import { connectTestDatabase, seedCourse } from '../../helpers/database';
import { type SignedIn, signedInAgent } from '../../helpers/learner';
import { modulePackageSpec, toFiles } from '../../helpers/module-package';
import { zipOf } from '../../helpers/zip';

/*
 * A module package with a worksheet, as an admin uploads it: the preview shows the worksheet, the
 * translation report counts its texts, the export gives worksheet.yaml back, and a broken one is
 * refused naming the file, the line and the field.
 */

let connection: Connection;
let admin: SignedIn;

beforeAll(async () => {
  connection = await connectTestDatabase('_admin_worksheets');
  await seedCourse(connection);
  admin = await signedInAgent(connection, { role: 'admin', name: 'Ada Admin' });
});
afterAll(async () => {
  await connection.close();
});

// The Spanish hint and example of "note" and the French label of the "owner" column are left as in English.
const WORKSHEET = `title: { en: "Water plan", es: "Plan del agua", fr: "Plan de l'eau" }
intro: { en: "Plan the basin.", es: "Planifique la cuenca.", fr: "Planifiez le bassin." }
steps:
  - id: targets
    title: { en: "Targets", es: "Metas", fr: "Cibles" }
    intro: { en: "Start from module 1.", es: "Parta del módulo 1.", fr: "Partez du module 1." }
    fields:
      - id: objectives
        type: table
        required: true
        label: { en: "Objectives", es: "Objetivos", fr: "Objectifs" }
        maxRows: 4
        columns:
          - { id: target, label: { en: "Target", es: "Meta", fr: "Cible" } }
          - { id: owner, label: { en: "Owner", es: "Responsable", fr: "Owner" } }
        from: introduction.priorities
      - id: sdg
        type: choice
        multiple: true
        label: { en: "SDGs", es: "ODS", fr: "ODD" }
        options:
          - { id: "6", label: { en: "Water", es: "Agua", fr: "Eau" } }
          - { id: "11", label: { en: "Cities", es: "Ciudades", fr: "Villes" } }
      - id: note
        type: longtext
        label: { en: "Note", es: "Nota", fr: "Note" }
        hint: { en: "Who pays?", es: "Who pays?", fr: "Qui paie ?" }
        example: { en: "The utility.", es: "The utility.", fr: "Le service." }
`;

function worksheetPackage(id: string, options: { completion?: boolean; worksheet?: string | null } = {}) {
  const spec = modulePackageSpec({ id });
  const moduleYaml = options.completion ? { ...spec.moduleYaml, completion: { worksheet: 'required' } } : spec.moduleYaml;
  const files = toFiles({ ...spec, moduleYaml });
  if (options.worksheet !== null) files.set('worksheet.yaml', Buffer.from(options.worksheet ?? WORKSHEET));
  return files;
}

/** The words a reader sees: tags dropped (each as a space), spaces collapsed, none inside brackets or before a comma. */
const textOf = (html: string) =>
  decoded(html.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ ([),])/g, '$1');

describe('a package with a worksheet', () => {
  it('when an admin previews it in Spanish, then every step and field shows with its rules, and that completion requires it', async () => {
    expect((await uploadPackage(admin.agent, await zipOf(worksheetPackage('water-plan', { completion: true })))).status).toBe(303);
    const page = await admin.agent.get('/admin/content/water-plan/versions/1/preview/es');
    expect(page.status).toBe(200);
    const section = /<section aria-labelledby="worksheet-title" data-worksheet>[\s\S]*?<\/section>/.exec(page.text)?.[0];
    if (!section) throw new Error('no worksheet in the preview');
    expect(section).toContain('data-completion="worksheet-required"');
    const text = textOf(section);
    expect(text).toContain('Worksheet: Plan del agua');
    expect(text).toContain('Completing this module requires its worksheet marked as finished');
    expect(text).toContain('Planifique la cuenca.');
    expect(text).toContain('Metas (targets)');
    expect(text).toContain('Parta del módulo 1.');
    expect(text).toContain('Objetivos (objectives, Table, required to finish, rows: up to 4, prefilled from introduction.priorities)');
    expect(text).toContain('Columns: Meta (target) Responsable (owner)');
    expect(text).toContain('ODS (sdg, Choice, several may be chosen)');
    expect(text).toContain('Options: Agua (6) Ciudades (11)');
    expect(text).toContain('Nota (note, Long text)');
    expect(text).toContain('Hint: Who pays?');
    expect(text).toContain('Example: The utility.');
    // the content is marked as Spanish, the admin's words stay in the admin's language
    expect(section).toContain('<span lang="es">Plan del agua</span>');
  });

  it('when the version page is opened, then the translation report counts the worksheet texts and names those identical to English', async () => {
    const page = await admin.agent.get('/admin/content/water-plan/versions/1');
    const es = textOf(/<div data-report="es">[\s\S]*?<\/div>/.exec(page.text)![0]);
    // 18 texts of the module and quiz + 13 of the worksheet: title, intro, a step's title and intro,
    // 3 labels, 2 columns, 2 options, a hint and an example
    expect(es).toContain('Spanish: 0 missing and 2 identical to English, out of 31 texts.');
    expect(es).toContain('Hint of the worksheet field “note” · worksheet.yaml');
    expect(es).toContain('Example of the worksheet field “note” · worksheet.yaml');
    const fr = textOf(/<div data-report="fr">[\s\S]*?<\/div>/.exec(page.text)![0]);
    expect(fr).toContain('French: 0 missing and 2 identical to English, out of 31 texts.');
    expect(fr).toContain('Column “owner” of the worksheet field “objectives” · worksheet.yaml');
    expect(fr).toContain('Label of the worksheet field “note” · worksheet.yaml');
  });

  it('when the version is exported, then worksheet.yaml and module.yaml come back as uploaded', async () => {
    const uploaded = worksheetPackage('water-plan', { completion: true });
    const res = await admin.agent.get('/admin/content/water-plan/versions/1/export.zip').responseType('blob');
    expect(res.status).toBe(200);
    const exported = await readPackageZip(res.body as Buffer, 'water-plan-v1.zip');
    if (!exported.ok) throw new Error(JSON.stringify(exported.errors));
    expect(exported.files.get('worksheet.yaml')?.toString()).toBe(WORKSHEET);
    expect(exported.files.get('module.yaml')?.toString()).toBe(uploaded.get('module.yaml')!.toString());
    expect(exported.files.get('module.yaml')?.toString()).toContain('completion:\n  worksheet: required\n');
  });

  it('when a version stored before sources were kept is exported, then equivalent worksheet.yaml and module.yaml are written from its fields', async () => {
    await connection.collection('module_versions').updateOne({ moduleId: 'water-plan', version: 1 }, { $unset: { sources: '' } });
    const res = await admin.agent.get('/admin/content/water-plan/versions/1/export.zip').responseType('blob');
    const exported = await readPackageZip(res.body as Buffer, 'water-plan-v1.zip');
    if (!exported.ok) throw new Error(JSON.stringify(exported.errors));
    const again = loadModulePackage(exported.files);
    const original = loadModulePackage(worksheetPackage('water-plan', { completion: true }));
    if (!again.ok || !original.ok) throw new Error('the export does not load');
    expect(again.module.worksheet).toEqual(original.module.worksheet);
    expect(again.module.completion).toEqual({ worksheet: 'required' });
  });
});

describe('a broken worksheet package', () => {
  async function expectRefused(files: Map<string, Buffer>) {
    const before = await stateOf(connection);
    const res = await uploadPackage(admin.agent, await zipOf(files));
    expect(res.status).toBe(422);
    expect(await stateOf(connection)).toEqual(before);
    return problemRows(res.text);
  }

  it('when module.yaml requires a worksheet the package does not have, then module.yaml, the line and completion.worksheet are named', async () => {
    const rows = await expectRefused(worksheetPackage('no-sheet', { completion: true, worksheet: null }));
    expect(rows).toEqual([
      [
        'module.yaml',
        expect.stringMatching(/^\d+$/),
        'completion.worksheet',
        'It makes a finished worksheet part of completing the module (completion.worksheet: required), but the package has no worksheet.yaml.',
      ],
    ]);
  });

  it('when the completion rule is misspelt, then module.yaml, the line and the field are named', async () => {
    const files = worksheetPackage('bad-rule');
    files.set('module.yaml', Buffer.from(`${files.get('module.yaml')!.toString()}completion:\n  worksheet: always\n`));
    const rows = await expectRefused(files);
    const line = String(files.get('module.yaml')!.toString().split('\n').indexOf('  worksheet: always') + 1);
    expect(rows).toEqual([['module.yaml', line, 'completion.worksheet', expect.stringContaining('required, optional')]]);
  });

  it('when worksheet.yaml prefills from a field no published module has, has a bad field type and lacks a translation, then each is named with its line and field', async () => {
    const broken = WORKSHEET.replace('introduction.priorities', 'introduction.nothing');
    const lines = broken.split('\n');
    const fromLine = String(lines.findIndex((l) => l.includes('introduction.nothing')) + 1);
    // the package's own errors come first: then the cross-module check is not reached
    const typeAndLabel = broken.replace('type: longtext', 'type: paragraph').replace('label: { en: "Note", es: "Nota", fr: "Note" }', 'label: { en: "Note", es: "Nota" }');
    const first = await expectRefused(worksheetPackage('bad-sheet', { worksheet: typeAndLabel }));
    const typeLine = String(typeAndLabel.split('\n').findIndex((l) => l.includes('type: paragraph')) + 1);
    const labelLine = String(typeAndLabel.split('\n').findIndex((l) => l.includes('label: { en: "Note", es: "Nota" }')) + 1);
    expect(first).toEqual(
      expect.arrayContaining([
        ['worksheet.yaml', typeLine, 'steps[0].fields[2].type', expect.any(String)],
        ['worksheet.yaml', labelLine, 'steps[0].fields[2].label.fr', 'This field is missing.'],
      ]),
    );
    expect(first).toHaveLength(2);
    const second = await expectRefused(worksheetPackage('bad-sheet', { worksheet: broken }));
    expect(second).toEqual([['worksheet.yaml', fromLine, 'steps[0].fields[0].from', expect.stringContaining('introduction.nothing')]]);
  });
});
