import { type Request, Router } from 'express';
import { currentLanguage } from '../../platform/i18n';
import { type ContentService, moduleMinutes } from '../content';

export function homeRouter(deps: {
  content: ContentService;
  /** a signed-in learner's course progress and next step (learning), or {} for a visitor */
  learnerExtras: (req: Request) => Promise<Record<string, unknown>>;
}): Router {
  const router = Router();
  /** GET / — what the course is, what it gives, and (signed in) how far the learner is and what comes next */
  router.get('/', async (req, res) => {
    const lng = currentLanguage(req);
    const modules = (await deps.content.modules()).map((m, i) => ({
      number: i + 1,
      href: `/modules/${m.moduleId}`,
      title: m.title[lng],
      summary: m.summary[lng],
      lessonCount: m.lessons.length,
      minutes: moduleMinutes(m, lng).total,
    }));
    const extras = req.user ? await deps.learnerExtras(req) : {};
    res.render('home/index', { title: 'common:home.title', modules, ...extras });
  });
  return router;
}
