import XAPI, { type Statement } from '@xapi/xapi';

type AdapterFunction = NonNullable<ConstructorParameters<typeof XAPI>[0]['adapter']>;
import validate from 'xapi-validation';
import type { Connection } from 'mongoose';
import type { ActivityObserver } from '../../platform/activity';
import { createDeliveryQueue, createDeliveryWorker, type DeliveryQueue } from '../../platform/delivery-queue';
import type { Logger } from '../../platform/logger';
import type { RetryPolicy } from '../../platform/outbox';
import { createStatementBuilder } from './statements';

export const XAPI_QUEUE = 'xapi_statements';
export type LrsSettings = { endpoint: string; username: string; password: string };

export const statementQueue = (connection: Connection): DeliveryQueue<Statement> => createDeliveryQueue<Statement>(connection, XAPI_QUEUE);

/** The problems xapi-validation finds in a statement, one line each (empty: valid). */
export function statementProblems(statement: unknown): string[] {
  return validate(statement).map((w) => `${w.path.join('.')}: ${(w as { message?: string }).message ?? w.constructor.name}`);
}

/**
 * The observer that turns learning activities into statements and queues them. An invalid
 * statement (a bug of ours) is queued as failed with the validator's findings, so the admins see it.
 */
export function createStatementRecorder(deps: { queue: DeliveryQueue<Statement>; baseUrl: string }): ActivityObserver {
  const builder = createStatementBuilder({ baseUrl: deps.baseUrl });
  return {
    async record(activity) {
      for (const { id, statement, label } of builder.build(activity)) {
        const problems = statementProblems(statement);
        await deps.queue.enqueue(id, statement, label, problems.length ? { failed: `invalid statement: ${problems.join('; ')}` } : undefined);
      }
    },
  };
}

/** fetch with a time limit, answering what @xapi/xapi expects of an adapter; non-2xx answers throw. */
function fetchAdapter(timeoutMs: number): AdapterFunction {
  return (async ({ url, method, headers, data }: { url: string; method: string; headers?: Record<string, string>; data?: unknown }) => {
    const res = await fetch(url, {
      method,
      headers,
      body: data === undefined ? undefined : typeof data === 'string' ? data : JSON.stringify(data),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw Object.assign(new Error(`LRS answered ${res.status}: ${text.slice(0, 200)}`), { status: res.status });
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // a non-JSON body is kept as text
    }
    return { data: body, headers: Object.fromEntries(res.headers), status: res.status };
  }) as AdapterFunction;
}

/** Sends one statement to the LRS with @xapi/xapi. A 409 means the LRS already holds this id: done. */
export function createLrsSender(lrs: LrsSettings, timeoutMs = 15_000) {
  const xapi = new XAPI({ endpoint: lrs.endpoint, auth: XAPI.toBasicAuth(lrs.username, lrs.password), adapter: fetchAdapter(timeoutMs) });
  return async (statement: Statement) => {
    try {
      await xapi.sendStatement({ statement });
    } catch (err) {
      if ((err as { status?: number }).status === 409) return;
      throw err;
    }
  };
}

/** The background worker that sends queued statements, with retries and back-off. */
export function createStatementWorker(options: {
  connection: Connection;
  lrs: LrsSettings;
  logger: Logger;
  retry?: RetryPolicy;
  pollMs?: number;
  clock?: () => Date;
}) {
  const send = createLrsSender(options.lrs);
  return createDeliveryWorker<Statement>({
    queue: statementQueue(options.connection),
    send: (statement) => send(statement),
    logger: options.logger,
    what: 'xAPI statement',
    retry: options.retry,
    pollMs: options.pollMs,
    clock: options.clock,
  });
}
