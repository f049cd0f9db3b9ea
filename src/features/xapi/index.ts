/**
 * xAPI out: learning activities become statements in a durable queue (xapi_statements), which a
 * worker in each server process sends to the LRS named by XAPI_ENDPOINT; /admin/xapi shows it.
 */
import type { Connection } from 'mongoose';
import type { ActivityObserver } from '../../platform/activity';
import { xapiAdminRouter } from './xapi-admin';
import { createStatementRecorder, statementQueue } from './xapi-delivery';

export { createStatementBuilder, statementId, VERBS } from './statements';
export { createLrsSender, createStatementWorker, statementProblems, statementQueue, XAPI_QUEUE, type LrsSettings } from './xapi-delivery';

export function createXapi(deps: { connection: Connection; baseUrl: string; endpoint: string | undefined }) {
  const queue = statementQueue(deps.connection);
  return {
    /** undefined without an LRS: nothing is recorded then */
    observer: deps.endpoint ? (createStatementRecorder({ queue, baseUrl: deps.baseUrl }) as ActivityObserver) : undefined,
    router: xapiAdminRouter({ queue, endpoint: deps.endpoint }),
  };
}

export async function createXapiIndexes(connection: Connection): Promise<void> {
  await statementQueue(connection).createIndexes();
}
