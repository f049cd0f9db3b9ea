import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import supertest from 'supertest';
import { connectWithRetry, type LocalDatabase, startLocalDatabase } from '../../../src/platform/database';
import { canConnect } from '../../../src/platform/database/local-server';
import { buildApp } from '../../helpers/build-app';

const quiet = { info: () => {}, warn: () => {} };

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

describe('the local database launcher', () => {
  let dataDir: string;
  let first: LocalDatabase | undefined;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-localdb-'));
  });
  afterAll(async () => {
    await first?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a second process asks for the same DATA_DIR, then it reuses the running server', async () => {
    first = await startLocalDatabase({ dataDir, log: quiet });
    expect(first.owned).toBe(true);
    const second = await startLocalDatabase({ dataDir, log: quiet });
    expect(second.owned).toBe(false);
    expect(second.uri).toBe(first.uri);
    const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'localdb.json'), 'utf8'));
    expect(state.uri).toBe(first.uri);
  });

  it('when the owner stops it, then the server is gone and the state file removed', async () => {
    const uri = first!.uri;
    await first!.stop();
    first = undefined;
    expect(await canConnect(uri)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'localdb.json'))).toBe(false);
  });

  it('when the state file names a dead server, then a new one is started', async () => {
    fs.writeFileSync(path.join(dataDir, 'localdb.json'), JSON.stringify({ pid: 999999, uri: 'mongodb://127.0.0.1:1/', kind: 'ferretdb' }));
    first = await startLocalDatabase({ dataDir, log: quiet });
    expect(first.owned).toBe(true);
    expect(first.uri).not.toBe('mongodb://127.0.0.1:1/');
  });
});

describe('/readyz follows the database', () => {
  let dataDir: string;
  let db: LocalDatabase | undefined;
  let connection: Connection | undefined;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-readyz-'));
  });
  afterAll(async () => {
    await connection?.close(true);
    await db?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the database stops, then /readyz is 503; when it returns, then 200 again without restarting the app', async () => {
    db = await startLocalDatabase({ dataDir, log: quiet });
    const port = Number(new URL(db.uri).port);
    connection = await connectWithRetry(db.uri, {
      dbName: 'readyz',
      log: { warn: () => {} },
      serverSelectionTimeoutMS: 1000,
    });
    const app = buildApp(connection);
    expect((await supertest(app).get('/readyz')).status).toBe(200);

    await db.stop();
    const down = await supertest(app).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.database).toBe('down');
    // the process itself is still up
    expect((await supertest(app).get('/healthz')).status).toBe(200);

    db = await startLocalDatabase({ dataDir, port, log: quiet });
    const back = await until(async () => (await supertest(app).get('/readyz')).status === 200, 20000);
    expect(back).toBe(true);
  });
});

describe('lookups by _id on the local FerretDB', () => {
  const onFerret = !process.env.MONGODB_URI;
  (onFerret ? it : it.skip)('when a collection holds thousands of documents, then a lookup by _id does not scan them all', async () => {
    const connection = await connectWithRetry(process.env.TEST_MONGODB_URI!, { dbName: `idlookup_${process.env.TEST_RUN_ID}_${process.env.JEST_WORKER_ID}`, log: { warn: () => {} } });
    try {
      await connection.dropDatabase();
      const things = connection.collection<{ _id: string; key: string; pad: string }>('things');
      const docs = Array.from({ length: 8000 }, (_, i) => ({ _id: `id-${i}`, key: `key-${i}`, pad: 'x'.repeat(400) }));
      for (let i = 0; i < docs.length; i += 2000) await things.insertMany(docs.slice(i, i + 2000));
      // wait until the _id index serves the lookup (immediate with our patch; the first local
      // database program added it in a pass every 2 s, which this test used to sleep through)
      const servedByIdIndex = async () =>
        /USING INDEX \S+__id_/.test(JSON.stringify((await things.find({ _id: 'id-7777' }).explain()).queryPlanner));
      expect(await until(servedByIdIndex, 5000)).toBe(true);
      const time = async (f: () => Promise<unknown>) => {
        const start = performance.now();
        for (let i = 0; i < 20; i++) await f();
        return performance.now() - start;
      };
      const byId = await time(() => things.findOne({ _id: 'id-7777' }));
      const byScan = await time(() => things.findOne({ key: 'key-7777' }));
      expect(await things.findOne({ _id: 'id-7777' })).toMatchObject({ key: 'key-7777' });
      expect(byId * 5).toBeLessThan(byScan);
    } finally {
      await connection.dropDatabase();
      await connection.close();
    }
  });
});
