import type { AddressInfo } from 'node:net';
import express from 'express';
import { createHttpServer } from '../../../src/platform/http-server';

it('when the app is served by createHttpServer, then requests and responses are made as the app’s own and Express never switches their prototype', async () => {
  const app = express();
  const seen: Record<string, unknown> = {};
  app.get('/check', (req, res) => {
    res.locals.note = 'kept';
    seen.sameRequest = Object.getPrototypeOf(req) === app.request;
    seen.sameResponse = Object.getPrototypeOf(res) === app.response;
    seen.app = req.app === app && res.app === app;
    seen.expressMethods = typeof req.get === 'function' && typeof res.json === 'function';
    res.json({ host: req.get('host')?.startsWith('127.0.0.1'), path: req.path, query: req.query.x, locals: res.locals.note });
  });
  const before: boolean[] = [];
  const server = createHttpServer(app, (req, res) => {
    // as the server hands them over, before Express sees them
    before.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response);
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/check?x=1`);
    expect(await res.json()).toEqual({ host: true, path: '/check', query: '1', locals: 'kept' });
    expect(before).toEqual([true, true]);
    expect(seen).toEqual({ sameRequest: true, sameResponse: true, app: true, expressMethods: true });
    const missing = await fetch(`http://127.0.0.1:${port}/nowhere`);
    expect(missing.status).toBe(404);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
