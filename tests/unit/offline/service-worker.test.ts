import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { bundleServiceWorker, SW_BUNDLE } from '../../../tools/build-sw';

const SCRIPT = path.resolve(__dirname, '../../../public/js/offline.js');

describe('the service worker bundle', () => {
  it('when the sources are bundled again, then public/sw.js is what they give (run npm run build:sw after a change)', async () => {
    expect(fs.readFileSync(SW_BUNDLE, 'utf8')).toBe(await bundleServiceWorker());
  }, 30_000);

  it('when a page uses offline reading, then the service worker and its registration script are under 10 KB gzipped together, from our origin only', () => {
    const sw = zlib.gzipSync(fs.readFileSync(SW_BUNDLE), { level: 9 }).length;
    const script = zlib.gzipSync(fs.readFileSync(SCRIPT), { level: 9 }).length;
    fs.mkdirSync(path.resolve(__dirname, '../../../test-artifacts'), { recursive: true });
    fs.writeFileSync(path.resolve(__dirname, '../../../test-artifacts/service-worker-size.txt'), `sw.js ${sw} B gzip, offline.js ${script} B gzip, total ${sw + script} B\n`);
    expect(sw + script).toBeLessThanOrEqual(10 * 1024);
    for (const file of [SW_BUNDLE, SCRIPT]) expect(fs.readFileSync(file, 'utf8')).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });
});
