import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { NotFoundError } from '../../platform/errors';
import { currentLanguage, type Language } from '../../platform/i18n';
import type { PublishedModule } from '../content';
import { funnelChart, histogram } from './cohort-charts';
import { csvStream, exportColumns, isoDate } from './cohort-export';
import { atRisk, inactiveDays, selectRows, summarize } from './cohort-figures';
import type { CohortReport } from './cohort-report.service';
import { type CohortsService, cohortOf, cohortView, formatDay } from '../cohorts';
import { type MatrixQuery, matrixQuery, SORTS, STATUS_FILTERS } from './cohort-reports.schemas';
import type { LearnerRow } from './learner-rows';

type Deps = {
  cohorts: CohortsService;
  report: CohortReport;
  baseUrl: string;
  clock: () => Date;
  /** attempts used and allowed per limited quiz, for the grant form on the drill-down */
  attemptLimits: (userId: string, modules: PublishedModule[], used: Map<string, number>) => Promise<{ moduleId: string; allowed: number; used: number; exhausted: boolean }[]>;
};

const DEFAULTS: MatrixQuery = matrixQuery.parse({});

/** The learner table's address with some parameters changed; defaults are left out to keep links short. */
export function matrixHref(base: string, query: MatrixQuery, change: Partial<MatrixQuery>): string {
  const merged = { ...query, ...change };
  const params = new URLSearchParams();
  for (const key of ['q', 'status', 'inactive', 'sort', 'dir', 'page'] as const) {
    if (merged[key] !== DEFAULTS[key]) params.set(key, String(merged[key]));
  }
  const text = params.toString();
  return `${base}${text ? `?${text}` : ''}#learners`;
}

function rowView(row: LearnerRow, base: string, lng: Language, now: Date) {
  return {
    ...row,
    href: `${base}/learners/${row.userId}`,
    lastActivityText: formatDay(row.lastActivity, lng),
    inactiveDays: inactiveDays(row, now),
  };
}

export function monitoringController(deps: Deps) {
  const { cohorts, report, baseUrl, clock } = deps;

  return {
    /** GET /trainer/cohorts/:id — headline figures, charts and the learner table */
    async show(req: Request, res: Response) {
      const cohort = cohortOf(res);
      const view = cohortView(cohort, baseUrl, clock());
      const lng = currentLanguage(req);
      const now = clock();
      const query = matrixQuery.parse(req.query);
      const { modules, rows } = await report.overview(cohort.id);
      const plans = await report.planFigures(rows.map((r) => r.userId), modules);
      const summary = summarize(rows, modules.map((m) => ({ moduleId: m.moduleId, passPercent: m.quiz.passPercent })));
      const titles = modules.map((m) => m.title[lng]);
      const funnel = funnelChart([
        { label: req.t('cohorts:funnel.enrolled'), value: summary.enrolled },
        { label: req.t('cohorts:funnel.started'), value: summary.started },
        ...titles.map((title, i) => ({ label: req.t('cohorts:funnel.completed', { module: title }), value: summary.modules[i]!.completed })),
        { label: req.t('cohorts:funnel.certificates'), value: summary.certificates },
      ]);
      const selected = selectRows(rows, query, now, lng);
      const base = view.links.overview;
      res.render('cohorts/cohort', {
        title: 'cohorts:cohort.title',
        pageTitle: cohort.name,
        cohort: view,
        summary,
        plans,
        modules: modules.map((m, i) => ({
          id: m.moduleId,
          title: titles[i],
          passPercent: m.quiz.passPercent,
          figures: summary.modules[i]!,
          chart: histogram(summary.modules[i]!.bins, m.quiz.passPercent),
        })),
        funnel,
        matrix: {
          ...selected,
          rows: selected.rows.map((r) => rowView(r, base, lng, now)),
          query,
          sorts: SORTS,
          statuses: STATUS_FILTERS,
          href: (change: Partial<MatrixQuery>) => matrixHref(base, query, change),
          filtered: query.status !== 'all' || query.inactive > 0 || query.q !== '',
        },
      });
    },

    /** GET /trainer/cohorts/:id/at-risk — who has gone quiet or keeps failing a quiz */
    async atRisk(req: Request, res: Response) {
      const cohort = cohortOf(res);
      const lng = currentLanguage(req);
      const now = clock();
      const { modules, rows } = await report.overview(cohort.id);
      const titles = new Map(modules.map((m) => [m.moduleId, m.title[lng]]));
      const view = cohortView(cohort, baseUrl, now);
      const subject = req.t('cohorts:atRisk.mailSubject', { cohort: cohort.name });
      const learners = atRisk(rows, now).map(({ row, reasons }) => ({
        ...rowView(row, view.links.overview, lng, now),
        reasons: reasons.map((r) =>
          r.kind === 'inactive'
            ? req.t('cohorts:atRisk.inactive', { days: r.days })
            : req.t('cohorts:atRisk.failedTwice', { module: titles.get(r.moduleId) ?? r.moduleId, failed: r.failed }),
        ),
        mailto: `mailto:${encodeURI(row.email)}?subject=${encodeURIComponent(subject)}`,
      }));
      const all = learners.map((l) => encodeURI(l.email)).join(',');
      res.render('cohorts/at-risk', {
        title: 'cohorts:atRisk.title',
        pageTitle: cohort.name,
        cohort: view,
        learners,
        mailAll: learners.length > 0 && learners.length <= 50 ? `mailto:?bcc=${all}&subject=${encodeURIComponent(subject)}` : undefined,
      });
    },

    /** GET /trainer/cohorts/:id/questions — share of right answers per question, by the learners' language */
    async questions(req: Request, res: Response) {
      const cohort = cohortOf(res);
      const lng = currentLanguage(req);
      const stats = await report.questionStats(cohort.id);
      const percent = (f: { answered: number; correct: number }) => (f.answered > 0 ? Math.round((f.correct / f.answered) * 100) : undefined);
      res.render('cohorts/questions', {
        title: 'cohorts:questions.title',
        pageTitle: cohort.name,
        cohort: cohortView(cohort, baseUrl, clock()),
        modules: stats.map(({ module, questions }) => ({
          id: module.moduleId,
          title: module.title[lng],
          questions: questions
            .map((q) => ({
              id: q.questionId,
              prompt: q.prompt?.[lng],
              answered: q.answered,
              correct: q.correct,
              percent: percent(q),
              byLanguage: Object.entries(q.byLanguage).map(([language, f]) => ({ language, ...f, percent: percent(f) })),
            }))
            .sort((a, b) => (a.percent ?? 101) - (b.percent ?? 101)),
        })),
      });
    },

    /** GET /trainer/cohorts/:id/learners/:userId — one learner's progress records, in order */
    async learner(req: Request, res: Response) {
      const cohort = cohortOf(res);
      const lng = currentLanguage(req);
      const found = await report.timeline(cohort.id, String(req.params.userId ?? ''));
      if (!found) throw new NotFoundError();
      const moduleTitle = new Map(found.modules.map((m) => [m.moduleId, m.title[lng]]));
      const lessonTitle = new Map(found.modules.flatMap((m) => m.lessons.map((l) => [`${m.moduleId}/${l.id}`, l.title[lng]])));
      const view = cohortView(cohort, baseUrl, clock());
      res.render('cohorts/learner', {
        title: 'cohorts:learner.title',
        pageTitle: found.row.name,
        cohort: view,
        learner: rowView(found.row, view.links.overview, lng, clock()),
        modules: found.modules.map((m) => ({ id: m.moduleId, title: m.title[lng] })),
        attemptLimits: await deps.attemptLimits(found.row.userId, found.modules, new Map(found.row.modules.map((c) => [c.moduleId, c.attempts]))),
        events: found.events.map((e) => ({
          ...e,
          module: e.moduleId ? (moduleTitle.get(e.moduleId) ?? e.moduleId) : undefined,
          lesson: e.lessonId ? (lessonTitle.get(`${e.moduleId}/${e.lessonId}`) ?? e.lessonId) : undefined,
        })),
      });
    },

    /** GET /trainer/cohorts/:id/export.csv — one row per learner, streamed, headed in the trainer's language */
    async exportCsv(req: Request, res: Response) {
      const cohort = cohortOf(res);
      const { modules, rows } = await report.stream(cohort.id);
      await cohorts.recordExport(req.user!, cohort);
      const day = isoDate(clock());
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="cohort-${day}.csv"; filename*=UTF-8''${encodeURIComponent(`${cohort.name}-${day}.csv`)}`,
      );
      const { source, csv } = csvStream(rows, exportColumns(req.t, modules, currentLanguage(req)));
      await pipeline(source, csv, res).catch((err: { code?: string }) => {
        // the trainer cancelled the download: nothing went wrong on our side
        if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
      });
    },
  };
}
