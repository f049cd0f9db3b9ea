import PDFDocument from 'pdfkit';
import { FAMILIES, type FontKey, type FontWeight, fontBytes, splitIntoRuns } from '../certificates';
import type { PlanView } from './plans.view-models';

/** The headings and labels of the plan document, already in the learner's language. */
export type PlanWording = { heading: string; preparedBy: string; notStarted: string; empty: string; generatedOn: string };

const MARGIN = 50;
const ACCENT = '#00577f';
const INK = '#1b1b1b';
const MUTED = '#4a4a4a';
const GRID = '#9a9a9a';

/** Writes a text that may mix scripts, each run in the certificate font that has its glyphs, wrapped. */
function write(doc: PDFKit.PDFDocument, text: string, size: number, weight: FontWeight = 'regular', color = INK, gapAfter = 4) {
  const runs = splitIntoRuns(text || ' ');
  doc.fillColor(color).fontSize(size);
  runs.forEach((run, i) => {
    doc.font(`${run.family}-${weight}` as FontKey).text(run.text, { continued: i < runs.length - 1, features: (run.family === 'latin' ? { ccmp: false } : {}) as unknown as PDFKit.Mixins.OpenTypeFeatures[] });
  });
  doc.moveDown(gapAfter / size);
}

/** The font a cell prints in: that of its first run (cells are short; a whole cell shares one font). */
const cellFont = (text: string, weight: FontWeight): FontKey => `${splitIntoRuns(text || ' ')[0]?.family ?? 'latin'}-${weight}` as FontKey;

/** A table with ruled cells; rows that do not fit move to the next page with the header repeated. */
function table(doc: PDFKit.PDFDocument, columns: string[], rows: string[][]) {
  const width = doc.page.width - 2 * MARGIN;
  const colWidth = width / columns.length;
  const pad = 4;
  const size = 9;
  const heightOf = (cells: string[], weight: FontWeight) =>
    Math.max(...cells.map((c) => doc.font(cellFont(c, weight)).fontSize(size).heightOfString(c || ' ', { width: colWidth - 2 * pad }))) + 2 * pad;
  const drawRow = (cells: string[], weight: FontWeight, fill?: string) => {
    const h = heightOf(cells, weight);
    if (doc.y + h > doc.page.height - MARGIN) doc.addPage();
    const y = doc.y;
    cells.forEach((c, i) => {
      const x = MARGIN + i * colWidth;
      if (fill) doc.rect(x, y, colWidth, h).fill(fill);
      doc.rect(x, y, colWidth, h).lineWidth(0.5).strokeColor(GRID).stroke();
      doc.fillColor(INK).font(cellFont(c, weight)).fontSize(size).text(c, x + pad, y + pad, { width: colWidth - 2 * pad });
    });
    doc.x = MARGIN;
    doc.y = y + h;
  };
  drawRow(columns, 'bold', '#e6f0f5');
  for (const row of rows) drawRow(row, 'regular');
  doc.moveDown(0.6);
}

/** The learner's localization plan as an A4 PDF, in the fonts of the certificate. */
export function renderPlanPdf(plan: PlanView, wording: PlanWording & { subtitle: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: wording.heading, Author: plan.learner.name } });
  for (const key of FAMILIES.flatMap((f) => [`${f}-regular`, `${f}-bold`]) as FontKey[]) {
    doc.registerFont(key, fontBytes(key));
  }
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  write(doc, wording.heading, 22, 'bold', ACCENT, 6);
  write(doc, wording.subtitle, 12, 'regular', INK, 2);
  write(doc, wording.preparedBy, 10, 'regular', MUTED, 2);
  write(doc, wording.generatedOn, 10, 'regular', MUTED, 14);
  for (const part of plan.parts) {
    write(doc, part.title, 16, 'bold', ACCENT, 6);
    if (!part.started) {
      write(doc, wording.notStarted, 10, 'regular', MUTED, 12);
      continue;
    }
    for (const step of part.steps) {
      write(doc, step.title, 12, 'bold', INK, 4);
      for (const f of step.fields) {
        write(doc, f.label, 10, 'bold', MUTED, 2);
        if (f.type === 'table') {
          if (f.rows.length === 0) write(doc, wording.empty, 10, 'regular', MUTED, 6);
          else table(doc, f.columns, f.rows);
        } else if (f.type === 'choice') {
          write(doc, f.items.length ? f.items.map((i) => `• ${i}`).join('\n') : wording.empty, 10, 'regular', f.items.length ? INK : MUTED, 6);
        } else write(doc, f.text || wording.empty, 10, 'regular', f.text ? INK : MUTED, 6);
      }
      for (const fb of step.feedback) write(doc, `${fb.trainer}: ${fb.body}`, 9, 'regular', ACCENT, 6);
    }
    doc.moveDown(0.8);
  }
  doc.end();
  return done;
}
