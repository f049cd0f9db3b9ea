/**
 * Bundles the service worker (client/sw.js + the Workbox modules it imports from npm) into
 * public/sw.js, minified, with Workbox's development logging left out. Run by `npm run build:sw`;
 * the bundle is committed, and a test checks that it matches its sources.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export const SW_SOURCE = path.resolve(__dirname, '../client/sw.js');
export const SW_BUNDLE = path.resolve(__dirname, '../public/sw.js');

export async function bundleServiceWorker(): Promise<string> {
  const result = await build({
    entryPoints: [SW_SOURCE],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
  });
  return result.outputFiles[0]!.text;
}

if (require.main === module) {
  bundleServiceWorker()
    .then((code) => fs.writeFileSync(SW_BUNDLE, code))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
