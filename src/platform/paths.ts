import fs from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The project folder, found from this file so it is the same under tsx, jest and the compiled dist/. */
export const projectRoot = findRoot(__dirname);
export const viewsDir = path.join(projectRoot, 'views');
export const localesDir = path.join(projectRoot, 'locales');
export const publicDir = path.join(projectRoot, 'public');
export const modulesDir = path.join(projectRoot, 'modules');
