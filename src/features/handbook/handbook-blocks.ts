import SVGtoPDF from 'svg-to-pdfkit';
import type MarkdownIt from 'markdown-it';
import type { HandbookInput } from './handbook-pdf';

/** Drawing a lesson's markdown blocks (paragraphs, lists, tables, figures) into the handbook PDF. */
export type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

export const MARGIN = 56;
export const ACCENT = '#0b5a7a';
export const MUTED = '#4a5560';
export const BODY = 10.5;

type Inline = { text: string; bold: boolean };

/** The text runs of an inline token: strong is bold; links and emphasis print as their text. */
function inlineRuns(token: Token | undefined): Inline[] {
  const runs: Inline[] = [];
  let bold = 0;
  for (const c of token?.children ?? []) {
    if (c.type === 'strong_open') bold++;
    else if (c.type === 'strong_close') bold--;
    else if (c.type === 'text' || c.type === 'code_inline') runs.push({ text: c.content, bold: bold > 0 });
    else if (c.type === 'softbreak' || c.type === 'hardbreak') runs.push({ text: c.type === 'softbreak' ? ' ' : '\n', bold: bold > 0 });
  }
  return runs;
}

function images(token: Token | undefined): { src: string; alt: string }[] {
  return (token?.children ?? []).filter((c) => c.type === 'image').map((c) => ({ src: String(c.attrGet('src') ?? ''), alt: c.content }));
}

function writeRuns(doc: PDFKit.PDFDocument, all: Inline[], x: number, width: number, size = BODY, color = '#000') {
  // an empty last run would leave the line "continued" and the next block on top of it
  const runs = all.filter((r) => r.text !== '');
  if (runs.length === 0) return;
  doc.fillColor(color).fontSize(size);
  runs.forEach((r, i) => {
    doc.font(r.bold ? 'bold' : 'regular');
    const options = { width, lineGap: 1.5, continued: i < runs.length - 1 };
    if (i === 0) doc.text(r.text, x, doc.y, options);
    else doc.text(r.text, options);
  });
}

function ensureSpace(doc: PDFKit.PDFDocument, height: number) {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function renderFigure(doc: PDFKit.PDFDocument, image: { src: string; alt: string }, input: HandbookInput, x: number, width: number) {
  const file = input.media.get(image.src.replace(/^media\//, ''));
  const height = Math.min(300, width * aspectRatio(file));
  ensureSpace(doc, height + 40);
  const top = doc.y;
  if (file?.contentType === 'image/svg+xml') {
    SVGtoPDF(doc, file.bytes.toString('utf8'), x, top, { width, height, preserveAspectRatio: 'xMidYMid meet', assumePt: false });
    doc.y = top + height;
  } else if (file && /^image\/(png|jpeg)$/.test(file.contentType)) {
    doc.image(file.bytes, x, top, { fit: [width, height], align: 'center' });
    doc.y = top + height;
  }
  doc.moveDown(0.3);
  doc.font('regular').fontSize(8.5).fillColor(MUTED).text(`${input.words.figure} ${image.alt}`, x, doc.y, { width, lineGap: 1 });
  doc.moveDown(0.6);
}

/** height ÷ width of an image: an SVG's viewBox, a PNG's header; 0.6 when unknown */
function aspectRatio(file: { contentType: string; bytes: Buffer } | undefined): number {
  if (file?.contentType === 'image/svg+xml') {
    const box = /viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(file.bytes.toString('utf8', 0, 2000));
    if (box) return Number(box[2]) / Number(box[1]);
  }
  if (file?.contentType === 'image/png' && file.bytes.length > 24) return file.bytes.readUInt32BE(20) / file.bytes.readUInt32BE(16);
  return 0.6;
}

function renderTable(doc: PDFKit.PDFDocument, rows: { cells: Inline[][]; header: boolean }[], x: number, width: number, fillable: boolean) {
  const columns = Math.max(...rows.map((r) => r.cells.length));
  const colWidth = width / columns;
  const pad = 4;
  const size = 9;
  for (const row of rows) {
    const empty = row.cells.every((c) => c.every((r) => !r.text.trim()));
    const heights = row.cells.map((cell) => {
      doc.font(row.header ? 'bold' : 'regular').fontSize(size);
      return doc.heightOfString(cell.map((r) => r.text).join('') || ' ', { width: colWidth - 2 * pad });
    });
    // on paper, an empty row of a worksheet needs room for handwriting
    const rowHeight = Math.max(...heights, 0) + 2 * pad + (empty && fillable ? 30 : 0);
    ensureSpace(doc, rowHeight);
    const top = doc.y;
    if (row.header) doc.rect(x, top, width, rowHeight).fill('#e8eff3');
    row.cells.forEach((cell, i) => {
      doc.rect(x + i * colWidth, top, colWidth, rowHeight).lineWidth(0.5).strokeColor('#8a959e').stroke();
      doc.y = top + pad;
      writeRuns(doc, cell.map((r) => ({ ...r, bold: r.bold || row.header })), x + i * colWidth + pad, colWidth - 2 * pad, size);
    });
    doc.x = x;
    doc.y = top + rowHeight;
  }
  doc.moveDown(0.8);
}

/** Walks a lesson's Markdown blocks and prints them in order. */
export function renderBlocks(doc: PDFKit.PDFDocument, tokens: Token[], input: HandbookInput, fillable: boolean) {
  const x0 = MARGIN;
  const fullWidth = doc.page.width - 2 * MARGIN;
  const lists: { ordered: boolean; n: number }[] = [];
  let quote = 0;
  let table: { cells: Inline[][]; header: boolean }[] | undefined;
  let inHead = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const indent = lists.length * 16 + quote * 14;
    const x = x0 + indent;
    const width = fullWidth - indent;
    switch (t.type) {
      case 'heading_open': {
        const size = t.tag === 'h2' ? 14 : 12;
        ensureSpace(doc, 60);
        doc.moveDown(0.4);
        writeRuns(doc, inlineRuns(tokens[i + 1]).map((r) => ({ ...r, bold: true })), x0, fullWidth, size, ACCENT);
        doc.moveDown(0.3);
        i += 2;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: t.type === 'ordered_list_open', n: Number(t.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (lists.length === 0) doc.moveDown(0.4);
        break;
      case 'blockquote_open':
        quote++;
        break;
      case 'blockquote_close':
        quote--;
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1]!;
        const marker = list.ordered ? `${list.n++}.` : '•';
        ensureSpace(doc, 20);
        doc.font('regular').fontSize(BODY).fillColor('#000').text(marker, x - 12, doc.y, { width: 12, lineBreak: false });
        doc.x = x;
        break;
      }
      case 'table_open':
        table = [];
        break;
      case 'thead_open':
        inHead = true;
        break;
      case 'thead_close':
        inHead = false;
        break;
      case 'tr_open':
        table?.push({ cells: [], header: inHead });
        break;
      case 'inline':
        if (table && (tokens[i - 1]?.type === 'th_open' || tokens[i - 1]?.type === 'td_open')) {
          table[table.length - 1]!.cells.push(inlineRuns(t));
        } else if (tokens[i - 1]?.type === 'paragraph_open') {
          const figures = images(t);
          if (figures.length > 0) for (const f of figures) renderFigure(doc, f, input, x0, fullWidth);
          else {
            ensureSpace(doc, 30);
            writeRuns(doc, inlineRuns(t), x, width, BODY, quote ? MUTED : '#000');
            doc.moveDown(lists.length > 0 ? 0.15 : 0.5);
          }
        }
        break;
      case 'table_close':
        if (table) renderTable(doc, table, x0, fullWidth, fillable);
        table = undefined;
        break;
      case 'hr':
        doc.moveDown(0.3).lineWidth(0.5).strokeColor('#8a959e').moveTo(x0, doc.y).lineTo(x0 + fullWidth, doc.y).stroke();
        doc.moveDown(0.6);
        break;
      case 'fence':
      case 'code_block':
        writeRuns(doc, [{ text: t.content, bold: false }], x, width, 9);
        doc.moveDown(0.5);
        break;
      default:
        break;
    }
  }
}
