import type { Document } from 'mongodb';
import type { Connection } from 'mongoose';

/**
 * The queries a piece of work sends, captured over the wire, and whether the database answers each
 * from an index, asked with explain on the database the tests run on (the local database, or
 * MongoDB with MONGODB_URI set). The connection needs `monitorCommands: true`.
 */
export type Sent = { collection: string; command: string; filter: Document; limit?: number };

// The session store and the published-content cache (re-read every few seconds) are not a page's own.
const IGNORED = new Set(['sessions', 'module_releases', 'module_versions', 'glossary']);

/** What `work` sends to the database: finds and aggregates with their filters. */
export async function captureQueries(connection: Connection, work: () => Promise<unknown>): Promise<Sent[]> {
  const sent: Sent[] = [];
  const listener = (e: { commandName: string; command: Document }) => {
    const collection = String(e.command[e.commandName]);
    if (IGNORED.has(collection)) return;
    if (e.commandName === 'find') sent.push({ collection, command: 'find', filter: e.command.filter ?? {}, limit: e.command.limit });
    if (e.commandName === 'aggregate') sent.push({ collection, command: 'aggregate', filter: e.command.pipeline?.[0]?.$match ?? {} });
  };
  const client = connection.getClient();
  client.on('commandStarted', listener);
  try {
    await work();
  } finally {
    client.off('commandStarted', listener);
  }
  return sent;
}

/** Whether the database answers a find with this filter from an index: asked with explain, as a person would. */
export async function servedByIndex(connection: Connection, collection: string, filter: Document): Promise<{ indexed: boolean; plan: string }> {
  const explained = await connection.db!.command({ explain: { find: collection, filter }, verbosity: 'queryPlanner' });
  if ('filterPushdown' in explained) {
    // the local database: the filter went to SQLite, which searched an index
    const plan = JSON.stringify(explained.queryPlanner);
    return { indexed: explained.filterPushdown === true && /USING (COVERING )?INDEX/.test(plan) && !/\bSCAN\b/.test(plan), plan };
  }
  const plan = JSON.stringify(explained.queryPlanner?.winningPlan ?? explained);
  return { indexed: /IXSCAN|IDHACK|EXPRESS/.test(plan) && !/COLLSCAN/.test(plan), plan };
}

/** Fails on the first query no index serves. */
export async function expectIndexed(connection: Connection, sent: Sent[]) {
  expect(sent.length).toBeGreaterThan(0);
  for (const q of sent) {
    // "is there any document at all?" reads one document whatever the collection holds
    if (q.limit === 1 && Object.keys(q.filter).length === 0) continue;
    const { indexed, plan } = await servedByIndex(connection, q.collection, q.filter);
    if (!indexed) throw new Error(`${q.command} on ${q.collection} with ${JSON.stringify(q.filter)} is not served by an index: ${plan}`);
  }
}
