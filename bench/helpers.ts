import path from 'node:path';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import type { Connection } from 'mongoose';
import { createApp } from '../src/app';
import { ensureIndexes } from '../src/bootstrap';
import { loadConfig } from '../src/config';
import { connectWithRetry, startLocalDatabase } from '../src/platform/database';
import { createLogger } from '../src/platform/logger';

/** The benchmark's own database: MONGODB_URI if set, else the local server under .bench-data/. */
export async function benchDatabase(name: string) {
  const quiet = { info: () => {}, warn: (m: string) => console.warn(m) };
  const local = process.env.MONGODB_URI ? undefined : await startLocalDatabase({ dataDir: path.resolve('.bench-data'), log: quiet });
  const uri = process.env.MONGODB_URI ?? local!.uri;
  const connection = await connectWithRetry(uri, { dbName: `sdglearn_bench_${name}`, log: { warn: () => {} } });
  await connection.dropDatabase();
  await ensureIndexes(connection);
  return {
    connection,
    async close() {
      await connection.close();
      await local?.stop();
    },
  };
}

/** The real app on an ephemeral loopback port. */
export async function benchServer(connection: Connection) {
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'bench-secret-bench-secret' });
  const app = createApp({ config, connection, logger: createLogger('silent') });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export function ratio(a: number, b: number): string {
  return (a / b).toFixed(3);
}
