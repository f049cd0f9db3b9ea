import fs from 'node:fs';
import path from 'node:path';

/*
 * The image cannot be built here (no registry for base images), so these read the Dockerfile for
 * the promises that a build would keep, and tie its font list to the code that loads the fonts.
 */

const root = path.resolve(__dirname, '../../..');
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
const [, build = '', runtime = ''] = dockerfile.split(/^FROM /m);
const instructions = (stage: string, name: string) =>
  stage.split('\n').filter((line) => line.startsWith(`${name} `)).map((line) => line.slice(name.length + 1).trim());

describe('the Dockerfile', () => {
  it('when read, then both stages are on the current Node LTS and the runtime stage runs the compiled server as `node` under tini', () => {
    expect(build).toMatch(/^node:(24|22)-bookworm-slim AS build/);
    expect(runtime).toMatch(/^node:(24|22)-bookworm-slim\n/);
    expect(instructions(runtime, 'USER')).toEqual(['node']);
    expect(instructions(runtime, 'ENTRYPOINT')).toEqual(['["/usr/bin/tini", "--"]']);
    expect(instructions(runtime, 'CMD')).toEqual(['["node", "dist/src/server.js"]']);
    expect(instructions(runtime, 'VOLUME')).toEqual(['/data']);
    expect(runtime).toMatch(/ENV .*DATA_DIR=\/data/);
    expect(runtime).toContain('chown node:node /data');
  });

  it('when read, then dev dependencies are pruned in the build stage and nothing is installed from npm in the runtime stage', () => {
    expect(build).toContain('npm prune --omit=dev');
    expect(build).toContain('rm -rf node_modules/typescript');
    expect(runtime).not.toMatch(/npm (ci|install)/);
    expect(instructions(runtime, 'COPY').some((c) => c.includes('src ') || c.startsWith('tsconfig'))).toBe(false);
  });

  it('when read, then it keeps exactly the font files that certificate-fonts.ts loads, and they exist in their packages', () => {
    const kept = [...dockerfile.matchAll(/! -name (\S+)/g)].map((m) => m[1]!).sort();
    const code = fs.readFileSync(path.join(root, 'src/features/certificates/certificate-fonts.ts'), 'utf8');
    const loaded = [...new Set([...code.matchAll(/'([\w-]+\.(?:ttf|otf))'/g)].map((m) => m[1]!))].sort();
    expect(kept).toEqual(loaded);
    const folders = ['latin', 'arabic', 'sc', 'hebrew', 'kr'].map((p) => path.join(root, 'node_modules/@embedpdf', `fonts-${p}`, 'fonts'));
    for (const file of kept) expect(folders.some((dir) => fs.existsSync(path.join(dir, file)))).toBe(true);
  });
});

describe('package.json', () => {
  it('when read, then cli:prod runs the compiled command line, which the image ships in dist/', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['cli:prod']).toBe('node dist/src/cli.js');
    expect(pkg.scripts['start:prod']).toBe('node dist/src/server.js');
  });
});
