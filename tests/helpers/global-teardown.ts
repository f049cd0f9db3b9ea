import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { runsDir, testDataDir } from './global-setup';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function globalTeardown() {
  const uri = process.env.TEST_MONGODB_URI;
  const runId = process.env.TEST_RUN_ID;
  if (uri && runId) {
    const connection = await mongoose.createConnection(uri).asPromise();
    try {
      const { databases } = await connection.db!.admin().listDatabases();
      for (const { name } of databases) {
        if (name.includes(runId)) await connection.useDb(name).dropDatabase();
      }
    } finally {
      await connection.close();
    }
  }
  if (process.env.MONGODB_URI) return;
  fs.rmSync(path.join(runsDir(), String(process.pid)), { force: true });
  const others = fs.existsSync(runsDir())
    ? fs.readdirSync(runsDir()).filter((pid) => isAlive(Number(pid)))
    : [];
  if (others.length > 0) return;
  // The last run out stops the server, whichever run started it.
  const stateFile = path.join(testDataDir(), 'localdb.json');
  try {
    const { pid } = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { pid: number };
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    fs.rmSync(stateFile, { force: true });
  } catch {
    // no server or already gone
  }
}
