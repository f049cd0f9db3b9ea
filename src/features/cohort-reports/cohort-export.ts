import { Readable, type Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { TFunction } from 'i18next';
import type { PublishedModule } from '../content';
import type { LearnerRow } from './learner-rows';

/** A column of the export: its heading (already in the trainer's language) and its value for a learner. */
export type ExportColumn = { header: string; value: (row: LearnerRow) => string | number | undefined };

/** 2024-03-05: a date every spreadsheet program reads, in any language. */
export const isoDate = (d: Date | undefined) => (d ? d.toISOString().slice(0, 10) : '');

/**
 * The export as a stream: UTF-8 with a byte-order mark (so Excel shows accents), one row per learner,
 * written as the rows arrive; backpressure from the client holds the database cursors. Names and
 * e-mail addresses are typed by users, so a cell a spreadsheet would run as a formula (= + - @, their
 * full-width forms, tab, carriage return) gets a leading apostrophe (`escape_formulas`, OWASP's
 * advice for CSV injection); numbers are left alone.
 */
export function csvStream(rows: AsyncIterable<LearnerRow>, columns: readonly ExportColumn[]): { source: Readable; csv: Transform } {
  const source = Readable.from(
    (async function* () {
      for await (const row of rows) yield columns.map((c) => c.value(row) ?? '');
    })(),
  );
  const csv = stringify({ bom: true, header: true, columns: columns.map((c) => c.header), record_delimiter: 'windows', escape_formulas: true });
  return { source, csv };
}

/** The export's columns, headed in the trainer's language. */
export function exportColumns(t: TFunction, modules: readonly PublishedModule[], lng: string): ExportColumn[] {
  const lang = lng as 'en' | 'es' | 'fr';
  const columns: ExportColumn[] = [
    { header: t('cohorts:export.name'), value: (r) => r.name },
    { header: t('cohorts:export.email'), value: (r) => r.email },
    { header: t('cohorts:export.language'), value: (r) => t(`cohorts:languages.${r.language}`) },
    { header: t('cohorts:export.enrolled'), value: (r) => isoDate(r.enrolledAt) },
    { header: t('cohorts:export.status'), value: (r) => t(`cohorts:overall.${r.overall}`) },
    { header: t('cohorts:export.lastActivity'), value: (r) => isoDate(r.lastActivity) },
  ];
  modules.forEach((m, i) => {
    const vars = { module: m.title[lang], total: m.lessons.length };
    columns.push(
      { header: t('cohorts:export.lessonsDone', vars), value: (r) => r.modules[i]!.lessonsDone },
      { header: t('cohorts:export.bestScore', vars), value: (r) => r.modules[i]!.bestScore },
      { header: t('cohorts:export.attempts', vars), value: (r) => r.modules[i]!.attempts },
      { header: t('cohorts:export.moduleStatus', vars), value: (r) => t(`cohorts:status.${r.modules[i]!.status}`) },
    );
  });
  columns.push(
    { header: t('cohorts:export.courseCompleted'), value: (r) => isoDate(r.courseCompletedAt) },
    { header: t('cohorts:export.certificate'), value: (r) => isoDate(r.certificateAt) },
  );
  return columns;
}
