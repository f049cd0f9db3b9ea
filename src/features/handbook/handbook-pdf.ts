import MarkdownIt from 'markdown-it';
import PDFDocument from 'pdfkit';
import { fontBytes } from '../certificates';
import { ACCENT, BODY, MARGIN, MUTED, renderBlocks } from './handbook-blocks';

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
