import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { type Glossary, glossarySchema } from './content.schemas';
import { codeOfIssue, packageError } from './package-errors';
import { checkWorksheetRefs, loadModulePackage, type PackageError, type ParsedModule, readPackageFolder, worksheetOffer } from './package-loader';

/** Thrown when content does not pass validation; `errors` lists every problem. */
export class InvalidContentError extends Error {
  constructor(readonly errors: PackageError[]) {
    super(`${errors.length} problem(s) in the course content`);
    this.name = 'InvalidContentError';
  }
}

/**
 * Reads and checks modules/ (every NN-slug folder with a module.yaml, and glossary.yaml) without
 * touching the database: every module parsed, or InvalidContentError listing every problem at once.
 */
export function readCourseFolder(dir: string): {
  parsed: (ParsedModule & { folder: string })[];
  glossary: { data: Glossary; hash: string } | undefined;
} {
  const errors: PackageError[] = [];
  const parsed: (ParsedModule & { folder: string })[] = [];
  const folders = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'module.yaml')))
    .map((e) => e.name)
    .sort();
  for (const folder of folders) {
    const result = loadModulePackage(readPackageFolder(path.join(dir, folder)));
    if (result.ok) parsed.push({ ...result.module, folder });
    else errors.push(...result.errors.map((e) => ({ ...e, file: `${folder}/${e.file}` })));
  }
  const ids = parsed.map((m) => m.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) {
      errors.push(packageError(`${folders[i]}/module.yaml`, 'duplicateModuleId', `duplicate module id "${id}"`, { id }, { field: 'id' }));
    }
  });
  // `from:` in a worksheet names a field of another module's worksheet: checked across the folder
  const offer = worksheetOffer(parsed);
  for (const m of parsed) errors.push(...checkWorksheetRefs(m.worksheetRefs, offer, `${m.folder}/worksheet.yaml`));
  let glossary: { data: Glossary; hash: string } | undefined;
  const glossaryFile = path.join(dir, 'glossary.yaml');
  if (fs.existsSync(glossaryFile)) {
    const source = fs.readFileSync(glossaryFile, 'utf8');
    const result = glossarySchema.safeParse(parseDocument(source).toJS());
    if (result.success) glossary = { data: result.data, hash: crypto.createHash('sha256').update(source).digest('hex') };
    else {
      for (const i of result.error.issues) {
        const { code, params } = codeOfIssue(i);
        errors.push(packageError('glossary.yaml', code, i.message, params, { field: i.path.join('.') }));
      }
    }
  }
  if (errors.length > 0) throw new InvalidContentError(errors);
  return { parsed, glossary };
}
