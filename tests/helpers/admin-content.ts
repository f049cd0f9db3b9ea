import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mongoose';
import type TestAgent from 'supertest/lib/agent';
import { csrfFrom, testDataDir } from './build-app';

/** Everything an upload could change: content, media in GridFS, the audit log. */
export const CONTENT_COLLECTIONS = ['module_versions', 'module_releases', 'media.files', 'media.chunks', 'audit_events'];

/** The database collections above and the files under the app's DATA_DIR, to compare before and after. */
export async function stateOf(connection: Connection) {
  const db: Record<string, unknown[]> = {};
  for (const name of CONTENT_COLLECTIONS) {
    db[name] = JSON.parse(JSON.stringify(await connection.collection(name).find().sort({ _id: 1 }).toArray()));
  }
  const dir = testDataDir();
  const files = fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).sort() : [];
  const sizes = files.map((f) => {
    const stat = fs.statSync(path.join(dir, f));
    return `${f}:${stat.isDirectory() ? 'dir' : stat.size}`;
  });
  return { db, disk: sizes };
}

/** Posts a package as the upload form does: the CSRF field first, then the file. */
export async function uploadPackage(agent: TestAgent, zip: Buffer, options: { name?: string; csrf?: string | null } = {}) {
  const token = options.csrf === undefined ? csrfFrom((await agent.get('/admin/content')).text) : options.csrf;
  const req = agent.post('/admin/content');
  if (token !== null) req.field('_csrf', token);
  return req.attach('package', zip, { filename: options.name ?? 'module.zip', contentType: 'application/zip' });
}

/** The rows of the refused-package table, as the admin reads them: file, line, field, problem. */
export function problemRows(html: string): string[][] {
  return [...html.matchAll(/<tr data-problem>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/&#39;/g, "'")
        .replace(/&#34;|&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
        .trim(),
    ),
  );
}
