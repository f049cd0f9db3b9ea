import MarkdownIt from 'markdown-it';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { fontBytes } from '../certificates';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

const md = new MarkdownIt({ html: false });

/** What a handbook prints: one module in one language, everything already translated. */
export type HandbookInput = {
  language: string;
  courseTitle: string;
  moduleTitle: string;
  summary: string;
  version: number;
  publishedAt: Date;
  lessons: { id: string; title: string; body: string }[];
  glossary: { term: string; definition: string }[];
  /** the bytes and type of each media file a lesson shows, by its name in media/ */
  media: Map<string, { contentType: string; bytes: Buffer }>;
  words: {
    contents: string;
    lesson: (n: number) => string;
    glossary: string;
    figure: string;
    page: (n: number, total: number) => string;
    version: (version: number, date: Date) => string;
    fillIn: string;
  };
};

const MARGIN = 56;
const ACCENT = '#0b5a7a';
const MUTED = '#4a5560';
const BODY = 10.5;

/**
 * Renders a module handbook as an A4 PDF: a title page, a table of contents with page numbers and
 * links, every lesson from a new page (headings, paragraphs, lists, tables, figures with their alt
 * text as captions), the worksheet's empty table rows tall enough to write in, the glossary, and a
 * page number on every page. Same fonts as the certificates (Noto Sans), embedded as subsets.
 */
export function renderHandbookPdf(input: HandbookInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: input.language,
    displayTitle: true,
    info: { Title: input.moduleTitle, Subject: input.courseTitle, CreationDate: input.publishedAt, ModDate: input.publishedAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fontBytes('latin-regular'));
  doc.registerFont('bold', fontBytes('latin-bold'));
  const width = doc.page.width - 2 * MARGIN;
  const { words } = input;

  // Title page
  doc.font('regular').fontSize(12).fillColor(MUTED).text(input.courseTitle, MARGIN, 180, { width });
  doc.moveDown(0.6).font('bold').fontSize(26).fillColor(ACCENT).text(input.moduleTitle, { width });
  doc.moveDown(0.8).font('regular').fontSize(12).fillColor('#000').text(input.summary, { width, lineGap: 2 });
  doc.moveDown(2).fontSize(9.5).fillColor(MUTED).text(words.version(input.version, input.publishedAt), { width });

  // The contents page is drawn last, once the page of every section is known.
  doc.addPage();
  const contentsPage = 1;
  const sections: { title: string; page: number; dest: string }[] = [];

  input.lessons.forEach((lesson, i) => {
    doc.addPage();
    const dest = `lesson-${lesson.id}`;
    doc.addNamedDestination(dest);
    sections.push({ title: `${i + 1}. ${lesson.title}`, page: pageNumber(doc), dest });
    doc.outline.addItem(`${i + 1}. ${lesson.title}`);
    doc.font('regular').fontSize(9.5).fillColor(MUTED).text(words.lesson(i + 1), { width });
    doc.moveDown(0.2).font('bold').fontSize(19).fillColor(ACCENT).text(lesson.title, { width });
    if (lesson.id === 'worksheet') doc.moveDown(0.2).font('regular').fontSize(BODY).fillColor(MUTED).text(words.fillIn, { width });
    doc.moveDown(0.6);
    renderBlocks(doc, md.parse(lesson.body, {}), input, lesson.id === 'worksheet');
  });

  if (input.glossary.length > 0) {
    doc.addPage();
    doc.addNamedDestination('glossary');
    sections.push({ title: words.glossary, page: pageNumber(doc), dest: 'glossary' });
    doc.outline.addItem(words.glossary);
    doc.font('bold').fontSize(19).fillColor(ACCENT).text(words.glossary, { width });
    doc.moveDown(0.6);
    for (const entry of input.glossary) {
      doc.font('bold').fontSize(BODY).fillColor('#000').text(entry.term, { width });
      doc.font('regular').fontSize(BODY).text(entry.definition, { width, lineGap: 1.5 });
      doc.moveDown(0.6);
    }
  }

  doc.switchToPage(contentsPage);
  doc.font('bold').fontSize(19).fillColor(ACCENT).text(words.contents, MARGIN, MARGIN, { width });
  doc.moveDown(0.8);
  for (const s of sections) {
    const y = doc.y;
    doc.font('regular').fontSize(12).fillColor('#000').text(s.title, MARGIN, y, { width: width - 50, goTo: s.dest });
    doc.text(String(s.page), MARGIN + width - 40, y, { width: 40, align: 'right', goTo: s.dest });
    doc.moveDown(0.5);
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not start a new page
    doc
      .font('regular')
      .fontSize(8.5)
      .fillColor(MUTED)
      .text(`${input.moduleTitle} · ${words.page(i + 1, range.count)}`, MARGIN, doc.page.height - MARGIN + 8, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function pageNumber(doc: PDFKit.PDFDocument): number {
  const range = doc.bufferedPageRange();
  return range.start + range.count;
}

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
function renderBlocks(doc: PDFKit.PDFDocument, tokens: Token[], input: HandbookInput, fillable: boolean) {
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
