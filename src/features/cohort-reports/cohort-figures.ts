import type { MatrixQuery } from './cohort-reports.schemas';
import type { LearnerRow } from './learner-rows';

/*
 * The figures a trainer reads, computed in code from the learners' rows (averages, maxima and
 * distributions are not left to the database: FerretDB v1's $group has $sum and $count only).
 */

const DAY = 24 * 3600 * 1000;
/** a learner with no activity for this many days is at risk */
export const INACTIVE_DAYS = 14;
/** a learner who failed one module's quiz this many times, without passing it since, is at risk */
export const FAILED_ATTEMPTS = 2;
/** score bins of ten points: 0–9, 10–19, …, 90–100 */
export const BINS = 10;
export const PER_PAGE = 50;

export type ModuleFigures = { moduleId: string; completed: number; scored: number; passedBest: number; bins: number[] };
export type Summary = { enrolled: number; started: number; certificates: number; modules: ModuleFigures[] };

export const binOf = (score: number) => Math.min(BINS - 1, Math.max(0, Math.floor(score / 10)));

export function summarize(rows: readonly LearnerRow[], modules: readonly { moduleId: string; passPercent: number }[]): Summary {
  const figures = modules.map((m) => ({ moduleId: m.moduleId, completed: 0, scored: 0, passedBest: 0, bins: new Array<number>(BINS).fill(0) }));
  let started = 0;
  let certificates = 0;
  for (const row of rows) {
    if (row.overall !== 'notStarted') started++;
    if (row.certificateAt) certificates++;
    row.modules.forEach((cell, i) => {
      const f = figures[i]!;
      if (cell.status === 'completed') f.completed++;
      if (cell.bestScore === undefined) return;
      f.scored++;
      f.bins[binOf(cell.bestScore)]!++;
      if (cell.bestScore >= modules[i]!.passPercent) f.passedBest++;
    });
  }
  return { enrolled: rows.length, started, certificates, modules: figures };
}

/** Whole days since the learner last did anything (or, with no activity yet, since they enrolled). */
export function inactiveDays(row: LearnerRow, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - (row.lastActivity ?? row.enrolledAt).getTime()) / DAY));
}

export type RiskReason = { kind: 'inactive'; days: number } | { kind: 'failedTwice'; moduleId: string; failed: number };

/** Learners who have not finished and are stuck: inactive for two weeks, or failing a quiz again and again. */
export function atRisk(rows: readonly LearnerRow[], now: Date): { row: LearnerRow; reasons: RiskReason[] }[] {
  const out = [];
  for (const row of rows) {
    if (row.overall === 'completed') continue;
    const reasons: RiskReason[] = [];
    const days = inactiveDays(row, now);
    if (days >= INACTIVE_DAYS) reasons.push({ kind: 'inactive', days });
    for (const cell of row.modules) {
      if (!cell.passed && cell.failed >= FAILED_ATTEMPTS) reasons.push({ kind: 'failedTwice', moduleId: cell.moduleId, failed: cell.failed });
    }
    if (reasons.length > 0) out.push({ row, reasons });
  }
  return out;
}

const progressKey = (row: LearnerRow) => [
  row.modules.filter((m) => m.status === 'completed').length,
  row.modules.reduce((sum, m) => sum + m.lessonsDone, 0),
  row.modules.reduce((sum, m) => sum + (m.bestScore ?? -1), 0),
];

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The learner table: filtered, sorted and cut into pages, all from the query string. */
export function selectRows(rows: readonly LearnerRow[], query: MatrixQuery, now: Date, lng: string) {
  const collator = new Intl.Collator(lng, { sensitivity: 'base' });
  const q = query.q.toLowerCase();
  const kept = rows.filter(
    (r) =>
      (query.status === 'all' || r.overall === query.status) &&
      (query.inactive === 0 || inactiveDays(r, now) >= query.inactive) &&
      (!q || r.name.toLowerCase().includes(q) || r.email.includes(q)),
  );
  const byName = (a: LearnerRow, b: LearnerRow) => collator.compare(a.name, b.name) || a.email.localeCompare(b.email);
  const compare: Record<MatrixQuery['sort'], (a: LearnerRow, b: LearnerRow) => number> = {
    name: byName,
    activity: (a, b) => (a.lastActivity?.getTime() ?? 0) - (b.lastActivity?.getTime() ?? 0),
    progress: (a, b) => compareTuples(progressKey(a), progressKey(b)),
    enrolled: (a, b) => a.enrolledAt.getTime() - b.enrolledAt.getTime(),
  };
  const sign = query.dir === 'desc' ? -1 : 1;
  kept.sort((a, b) => sign * compare[query.sort](a, b) || byName(a, b));
  const pages = Math.max(1, Math.ceil(kept.length / PER_PAGE));
  const page = Math.min(query.page, pages);
  return { rows: kept.slice((page - 1) * PER_PAGE, page * PER_PAGE), total: kept.length, page, pages };
}
