import http from 'node:http';
import type { AddressInfo } from 'node:net';
import validate from 'xapi-validation';

/**
 * A learning record store on loopback that enforces the xAPI 1.0.3 REST rules our sender relies on:
 * the X-Experience-API-Version header, Basic authentication, statements validated with
 * xapi-validation, and statement ids — the same id again with the same statement stores nothing
 * new (204), with a different statement is 409 Conflict. It can be told to fail, or to store and
 * then fail (a lost answer), and be stopped and started again on the same port.
 */
export type StoredStatement = { id: string; body: Record<string, unknown> };

export async function startLrsReceiver(options: { username: string; password: string }) {
  const stored = new Map<string, StoredStatement>();
  const requests: { method: string; status: number; id?: string }[] = [];
  let failures: Record<string, number> = {};
  let failEvery = 0;
  let lostAnswers = 0;
  const expectedAuth = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body?: unknown, id?: string) => {
        requests.push({ method: req.method ?? '', status, id });
        res.writeHead(status, { 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://lrs');
      if (url.pathname !== '/xapi/statements' || (req.method !== 'POST' && req.method !== 'PUT')) return answer(404, { message: 'no such resource' });
      if (!/^1\.0(\.\d+)?$/.test(String(req.headers['x-experience-api-version'] ?? ''))) return answer(400, { message: 'X-Experience-API-Version missing' });
      if (req.headers.authorization !== expectedAuth) return answer(401, { message: 'unauthorized' });
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(400, { message: 'not JSON' });
      }
      const statements = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
      if (req.method === 'PUT') statements[0] = { ...statements[0], id: url.searchParams.get('statementId') ?? statements[0]?.id };
      for (const s of statements) {
        const problems = validate(s);
        if (problems.length) return answer(400, { message: problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ') });
        if (typeof s.id !== 'string') return answer(400, { message: 'this receiver wants statement ids' });
      }
      const id = statements[0]!.id as string;
      if (failEvery > 0 && (failures[id] ?? 0) < failEvery) {
        failures[id] = (failures[id] ?? 0) + 1;
        return answer(503, { message: 'try again later' }, id);
      }
      for (const s of statements) {
        const before = stored.get(s.id as string);
        if (before && JSON.stringify(before.body) !== JSON.stringify(s)) return answer(409, { message: `${s.id} is conflicting` }, id);
      }
      for (const s of statements) if (!stored.has(s.id as string)) stored.set(s.id as string, { id: s.id as string, body: s });
      if (lostAnswers > 0) {
        lostAnswers--;
        return answer(502, { message: 'stored, but the answer was lost on the way' }, id);
      }
      return req.method === 'PUT' ? answer(204, undefined, id) : answer(200, statements.map((s) => s.id), id);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}/xapi/`,
    stored,
    requests,
    /** answers 503 to the first `n` requests for each statement */
    failEachStatement(n: number) {
      failEvery = n;
      failures = {};
    },
    /** stores the next `n` statements but answers 502, as when an answer is lost */
    loseAnswers(n: number) {
      lostAnswers = n;
    },
    async down() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async up() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
