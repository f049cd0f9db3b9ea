import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { Platform } from './platform';

/** The platform's own database (the local server it started), to check what a journey stored. */
export async function platformDatabase(platform: Platform) {
  const { uri } = JSON.parse(fs.readFileSync(path.join(platform.dataDir, 'localdb.json'), 'utf8')) as { uri: string };
  const client = await MongoClient.connect(uri);
  const db = client.db(new URL(uri).pathname.slice(1) || 'sdglearn');
  return { db, close: () => client.close() };
}
