import fs from 'node:fs';
import path from 'node:path';

/**
 * The house rules that keep features apart, checked on every `npm test`: a feature is reached only
 * through its index.ts, and no source file grows past 250 lines.
 */
const src = path.resolve(__dirname, '../../../src');
const features = path.join(src, 'features');
const MAX_LINES = 250;

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every module specifier a file names: `import … from`, `export … from`, `import('…')`, `require('…')`. */
function specifiersOf(code: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(pattern)) found.push(m[1]!);
  return found;
}

/** The feature a path lies in, and the path inside it (`cohorts`, `cohorts.service`). */
function featureOf(file: string): { feature: string; inside: string } | undefined {
  const rel = path.relative(features, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const [feature, ...rest] = rel.split(path.sep);
  return { feature: feature!, inside: rest.join('/').replace(/\.ts$/, '') };
}

/** The imports in `files` that reach into another feature past its index.ts. */
function boundaryViolations(files: string[], read = (f: string) => fs.readFileSync(f, 'utf8')): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const from = featureOf(file);
    for (const spec of specifiersOf(read(file))) {
      if (!spec.startsWith('.')) continue;
      const target = featureOf(path.resolve(path.dirname(file), spec));
      if (!target || target.feature === from?.feature) continue;
      if (target.inside === '' || target.inside === 'index') continue;
      problems.push(`${path.relative(src, file)} imports '${spec}' (only features/${target.feature}/index.ts may be imported)`);
    }
  }
  return problems;
}

describe('the shape of src/', () => {
  const files = sourceFiles(src);

  it('when a file imports another feature, then it imports that feature’s index.ts only', () => {
    expect(boundaryViolations(files)).toEqual([]);
  });

  it('when a file reaches into another feature’s internals, then the check names it', () => {
    const file = path.join(features, 'plans', 'plans.service.ts');
    const code = [
      "import { x } from '../cohorts';",
      "import type { y } from '../cohorts/index';",
      "import { z } from '../cohorts/cohorts.service';",
      "export { w } from '../content/content.model';",
      "const v = await import('../learning/quiz.service');",
      "import { u } from './plans.model';",
    ].join('\n');
    expect(boundaryViolations([file], () => code)).toEqual([
      "features/plans/plans.service.ts imports '../cohorts/cohorts.service' (only features/cohorts/index.ts may be imported)",
      "features/plans/plans.service.ts imports '../content/content.model' (only features/content/index.ts may be imported)",
      "features/plans/plans.service.ts imports '../learning/quiz.service' (only features/learning/index.ts may be imported)",
    ]);
  });

  it(`when a source file is counted, then it has at most ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => ({ file: path.relative(src, f), lines: fs.readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
