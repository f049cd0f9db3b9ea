import express, { type Router } from 'express';
import supertest from 'supertest';
import { byPrefix } from '../../../src/platform/route-prefix';

// route paths of the shapes the features use: literal, parameters, a parameter with a suffix, dots
const ROUTES = [
  '/',
  '/admin/users',
  '/admin/users/:id/role',
  '/certificates/:code.pdf',
  '/.well-known/jwks.json',
  '/modules/:module/quiz',
  '/modules/:module/quiz/attempts/:attempt',
  '/trainer/cohorts/:id/learners/:userId',
  '/plan',
  '/plan.pdf',
  '/sitemap.xml',
];

function featureRouter(): Router {
  const router = express.Router();
  for (const path of ROUTES) {
    router.get(path, (req, res) => {
      res.json({ route: path, params: req.params });
    });
    router.post(path, (_req, res) => {
      res.status(201).json({ posted: path });
    });
  }
  return router;
}

function appWith(guard: boolean) {
  const app = express();
  app.use(guard ? byPrefix(featureRouter()) : featureRouter());
  app.use((req, res) => {
    res.status(404).json({ fellThrough: req.path });
  });
  return app;
}

const REQUESTS = [
  '/admin/users',
  '/Admin/USERS/',
  '/admin/users/42/role',
  '/admin/users/42/role/',
  '/admin',
  '/admin/user',
  '/adminx/users',
  '/certificates/AB12.pdf',
  '/certificates/.pdf',
  '/CERTIFICATES/x.PDF',
  '/.well-known/jwks.json',
  '/.WELL-KNOWN/jwks.json',
  '/modules/introduction/quiz',
  '/modules/introduction/quiz/attempts/65a1b2c3d4e5f60718293a4b',
  '/modules/intro%20duction/quiz',
  '/modules//quiz',
  '/%61dmin/users',
  '/trainer/cohorts/c1/learners/u1',
  '/plan',
  '/plan.pdf',
  '/plan/',
  '/planx',
  '/sitemap.xml',
  '/',
  '//',
  '/plan//',
  '/PLAN.PDF/',
  '/sitemap.xml/x',
  '//admin/users',
  '/unknown',
];

describe('a feature router mounted by prefix', () => {
  it('when any path is requested with GET or POST, then the answer is the same as with the router mounted plainly', async () => {
    const plain = supertest(appWith(false));
    const guarded = supertest(appWith(true));
    for (const path of REQUESTS) {
      for (const method of ['get', 'post'] as const) {
        const [a, b] = await Promise.all([plain[method](path), guarded[method](path)]);
        expect({ path, method, status: b.status, body: b.body }).toEqual({ path, method, status: a.status, body: a.body });
      }
    }
  });

  it('when a request cannot match any of its routes, then none of them is tried', async () => {
    const router = featureRouter();
    const tried: string[] = [];
    for (const layer of router.stack as unknown as { match: (p: string) => boolean }[]) {
      const match = layer.match.bind(layer);
      layer.match = (p: string) => {
        tried.push(p);
        return match(p);
      };
    }
    const app = express();
    app.use(byPrefix(router));
    app.use((_req, res) => {
      res.status(404).end();
    });
    expect((await supertest(app).get('/dashboard')).status).toBe(404);
    expect(tried).toEqual([]);
    expect((await supertest(app).get('/plan.pdf')).status).toBe(200);
    expect(tried.length).toBeGreaterThan(0);
  });

  it('when the router has middleware of its own, or a route added after mounting, then it still sees every request it would', async () => {
    const router = express.Router();
    router.use((_req, res, next) => {
      res.set('x-seen', 'yes');
      next();
    });
    router.get('/a', (_req, res) => {
      res.send('a');
    });
    const late = express.Router();
    const app = express();
    app.use(byPrefix(router));
    app.use(byPrefix(late));
    late.get('/late/:x', (req, res) => {
      res.send(`late ${req.params.x}`);
    });
    const other = await supertest(app).get('/b');
    expect(other.status).toBe(404);
    expect(other.headers['x-seen']).toBe('yes');
    expect((await supertest(app).get('/late/1')).text).toBe('late 1');
  });
});

describe('several feature routers mounted by prefix together', () => {
  function app() {
    const first = express.Router();
    first.get('/shared/:x', (req, res, next) => {
      if (req.params.x === 'pass') return next();
      res.send('first');
    });
    first.get('/boom', () => {
      throw new Error('boom');
    });
    const second = express.Router();
    second.get('/shared/:x', (_req, res) => {
      res.send('second');
    });
    second.get('/only-second', (_req, res) => {
      res.send('only second');
    });
    const a = express();
    a.use(byPrefix(first, second));
    a.use((_req, res) => {
      res.status(404).send('none');
    });
    a.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(`handled ${err.message}`);
    });
    return supertest(a);
  }

  it('when two routers could serve a path, then the earlier one does, and the later one only when the earlier passes it on', async () => {
    expect((await app().get('/shared/a')).text).toBe('first');
    expect((await app().get('/shared/pass')).text).toBe('second');
    expect((await app().get('/only-second')).text).toBe('only second');
    expect((await app().get('/elsewhere')).text).toBe('none');
  });

  it('when a route throws, then the error reaches the app’s error handler, not the next router', async () => {
    const res = await app().get('/boom');
    expect(res.status).toBe(500);
    expect(res.text).toBe('handled boom');
  });
});
