import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { type FontKey, type FontWeight, fontBytes, splitIntoRuns, type TextRun } from './certificate-fonts';

/** The sentences printed on a certificate, already translated into the learner's language. */
export type CertificateWording = {
  heading: string;
  certifies: string;
  completedCourse: string;
  modulesHeading: string;
  completedOn: string;
  verifyAt: string;
  codeLabel: string;
};

export type CertificatePdfInput = {
  /** the code as printed, in groups */
  code: string;
  verifyUrl: string;
  holderName: string;
  courseTitle: string;
  moduleTitles: string[];
  issuer: { organisation: string; signatory: string };
  language: string;
  issuedAt: Date;
  wording: CertificateWording;
};

// A4 landscape, in points
const WIDTH = 841.89;
const HEIGHT = 595.28;
const ACCENT = '#00577f';
const INK = '#1b1b1b';
const MUTED = '#4a4a4a';

/**
 * OpenType features for a run, as a fresh object each call (fontkit adds to the one it is given).
 * Passing any makes pdfkit shape the run as a whole: without, it shapes word by word, which puts
 * the words of an Arabic name in the wrong order. Latin runs turn `ccmp` off: Noto Sans's splits
 * precomposed letters such as "ị" into a base and a mark, and as a PDF maps each glyph to one text,
 * "i" would then read back as "ị" (or "ị" as "i") when the text is copied or searched.
 */
function features(run: TextRun): PDFKit.Mixins.OpenTypeFeatures[] {
  return (run.family === 'latin' ? { ccmp: false } : {}) as unknown as PDFKit.Mixins.OpenTypeFeatures[];
}

type Line = { text: string; y: number; size: number; weight?: FontWeight; color?: string; maxWidth?: number; minSize?: number };

/**
 * Draws one line centred on `centerX` (or from `left`), each run in the font that has its glyphs,
 * on one baseline. A line too wide for `maxWidth` is set smaller, never cut or wrapped.
 */
function drawLine(doc: PDFKit.PDFDocument, line: Line, position: { centerX?: number; left?: number; right?: number }) {
  const weight = line.weight ?? 'regular';
  const runs = splitIntoRuns(line.text);
  const widthAt = (size: number) =>
    runs.reduce(
      (sum, run) => sum + doc.font(`${run.family}-${weight}` as FontKey).fontSize(size).widthOfString(run.text, { features: features(run) }),
      0,
    );
  let size = line.size;
  const maxWidth = line.maxWidth ?? WIDTH - 140;
  const natural = widthAt(size);
  if (natural > maxWidth) size = Math.max(line.minSize ?? 9, (size * maxWidth) / natural);
  const total = widthAt(size);
  let x = position.left ?? (position.right !== undefined ? position.right - total : (position.centerX ?? WIDTH / 2) - total / 2);
  doc.fillColor(line.color ?? INK);
  for (const run of runs) {
    doc.font(`${run.family}-${weight}` as FontKey).fontSize(size);
    doc.text(run.text, x, line.y, { lineBreak: false, baseline: 'alphabetic', features: features(run) });
    x += doc.widthOfString(run.text, { features: features(run) });
  }
}

/** The QR code as vector squares (crisp at any zoom, a few hundred bytes), one rectangle per dark stretch. */
function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number) {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const cell = size / count;
  for (let row = 0; row < count; row++) {
    let start = -1;
    for (let col = 0; col <= count; col++) {
      const dark = col < count && qr.modules.get(row, col);
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        doc.rect(x + start * cell, y + row * cell, (col - start) * cell, cell);
        start = -1;
      }
    }
  }
  doc.fillColor('#000000').fill();
}

function registerFonts(doc: PDFKit.PDFDocument, texts: string[]) {
  const families = new Set(texts.flatMap((t) => splitIntoRuns(t).map((r) => r.family)));
  families.add('latin');
  for (const family of families) {
    for (const weight of ['regular', 'bold'] as const) doc.registerFont(`${family}-${weight}`, fontBytes(`${family}-${weight}`));
  }
}

/** A one-page landscape certificate. Fonts are embedded as subsets, so the file stays small. */
export function renderCertificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  const { wording } = input;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    autoFirstPage: true,
    lang: input.language,
    displayTitle: true,
    info: {
      Title: `${wording.heading} — ${input.holderName}`,
      Author: input.issuer.organisation,
      Subject: input.courseTitle,
      Keywords: input.code,
      CreationDate: input.issuedAt,
      ModDate: input.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  registerFonts(doc, [input.holderName, input.issuer.organisation, input.issuer.signatory, input.courseTitle, ...input.moduleTitles]);

  doc.lineWidth(3).strokeColor(ACCENT).rect(22, 22, WIDTH - 44, HEIGHT - 44).stroke();
  doc.lineWidth(0.75).rect(32, 32, WIDTH - 64, HEIGHT - 64).stroke();

  drawLine(doc, { text: input.issuer.organisation, y: 78, size: 14, color: MUTED }, {});
  drawLine(doc, { text: wording.heading, y: 128, size: 34, weight: 'bold', color: ACCENT }, {});
  drawLine(doc, { text: wording.certifies, y: 170, size: 14, color: MUTED }, {});
  drawLine(doc, { text: input.holderName, y: 218, size: 32, weight: 'bold', maxWidth: 700, minSize: 14 }, {});
  doc.lineWidth(0.75).strokeColor('#9aa5ad').moveTo(170, 232).lineTo(WIDTH - 170, 232).stroke();
  drawLine(doc, { text: wording.completedCourse, y: 262, size: 14, color: MUTED }, {});
  drawLine(doc, { text: input.courseTitle, y: 294, size: 22, weight: 'bold', color: ACCENT }, {});
  drawLine(doc, { text: wording.modulesHeading, y: 326, size: 11, color: MUTED }, {});
  input.moduleTitles.forEach((title, i) => {
    drawLine(doc, { text: `${i + 1}. ${title}`, y: 346 + i * 18, size: 12, maxWidth: 640 }, {});
  });
  drawLine(doc, { text: wording.completedOn, y: 420, size: 13 }, {});

  // The signature block, bottom left
  doc.lineWidth(0.75).strokeColor(INK).moveTo(80, 486).lineTo(330, 486).stroke();
  drawLine(doc, { text: input.issuer.signatory, y: 504, size: 12, maxWidth: 250 }, { left: 80 });
  drawLine(doc, { text: input.issuer.organisation, y: 520, size: 10, color: MUTED, maxWidth: 250 }, { left: 80 });

  // Verification, bottom right: the QR code, the address and the code in text
  const qrSize = 92;
  const qrX = WIDTH - 64 - qrSize;
  const qrY = HEIGHT - 64 - qrSize;
  drawQr(doc, input.verifyUrl, qrX, qrY, qrSize);
  const right = qrX - 14;
  drawLine(doc, { text: wording.verifyAt, y: qrY + 30, size: 9, color: MUTED, maxWidth: 330 }, { right });
  drawLine(doc, { text: input.verifyUrl, y: qrY + 44, size: 8, color: MUTED, maxWidth: 330, minSize: 5 }, { right });
  drawLine(doc, { text: wording.codeLabel, y: qrY + 66, size: 9, color: MUTED, maxWidth: 330 }, { right });
  drawLine(doc, { text: input.code, y: qrY + 82, size: 11, weight: 'bold', maxWidth: 330 }, { right });

  doc.end();
  return done;
}
