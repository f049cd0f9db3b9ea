import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { PlanWording } from './plan-pdf';
import type { PlanView } from './plans.view-models';

const para = (text: string, options: { bold?: boolean; color?: string } = {}) =>
  new Paragraph({ children: text.split('\n').map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, ...options })) });

function table(columns: string[], rows: string[][]): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '9A9A9A' };
  const borders = { top: border, bottom: border, left: border, right: border };
  const cell = (text: string, header: boolean) =>
    new TableCell({
      borders,
      ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'E6F0F5', color: 'auto' } } : {}),
      children: [para(text, { bold: header })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: columns.map((c) => cell(c, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c, false)) })),
    ],
  });
}

/** The plan as an editable Word document (.docx), for the learner to take to their council. */
export function renderPlanDocx(plan: PlanView, wording: PlanWording & { subtitle: string }): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(wording.heading)] }),
    para(wording.subtitle),
    para(wording.preparedBy, { color: '4A4A4A' }),
    para(wording.generatedOn, { color: '4A4A4A' }),
  ];
  for (const part of plan.parts) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(part.title)] }));
    if (!part.started) {
      children.push(para(wording.notStarted, { color: '4A4A4A' }));
      continue;
    }
    for (const step of part.steps) {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(step.title)] }));
      for (const f of step.fields) {
        children.push(para(f.label, { bold: true }));
        if (f.type === 'table') children.push(f.rows.length ? table(f.columns, f.rows) : para(wording.empty));
        else if (f.type === 'choice') children.push(...(f.items.length ? f.items.map((i) => new Paragraph({ text: i, bullet: { level: 0 } })) : [para(wording.empty)]));
        else children.push(para(f.text || wording.empty));
      }
      for (const fb of step.feedback) children.push(new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun({ text: `${fb.trainer}: ${fb.body}`, italics: true, color: '00577F' })] }));
    }
  }
  const doc = new Document({
    creator: plan.learner.name,
    title: wording.heading,
    styles: { default: { document: { run: { font: 'Noto Sans', size: 21 } } } },
    sections: [{ properties: {}, children }],
  });
  return Packer.toBuffer(doc);
}
