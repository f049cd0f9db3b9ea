/**
 * Time to render a certificate PDF (layout, font fallback, QR code, two weights of Noto Sans
 * subset and embedded), divided by the time pdfkit takes for a bare one-page document with the same
 * fonts and the same name, measured in the same run, interleaved so both see the same machine load.
 * Absolute times vary from machine to machine; the ratio is what to compare.
 *   npm run bench:certificate            (BENCH_ROUNDS=40 by default)
 */
import PDFDocument from 'pdfkit';
import { fontBytes } from '../src/features/certificates/certificate-fonts';
import { renderCertificatePdf } from '../src/features/certificates/certificate-pdf';
import { ratio } from './helpers';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const NAME = 'Nguyễn Thị Minh Khai-Øre Ñúñez';

function certificate(): Promise<Buffer> {
  return renderCertificatePdf({
    code: '7KQ2-M9XD-AAAA-BBBB-CCCC-DDDD-EEEE',
    verifyUrl: 'https://learn.example.org/verify/7KQ2-M9XD-AAAA-BBBB-CCCC-DDDD-EEEE',
    holderName: NAME,
    courseTitle: 'Localisation des ODD',
    moduleTitles: [
      'Localisation des ODD : introduction',
      'La planification territoriale au service des ODD',
      'Rendre compte : examens nationaux et locaux',
    ],
    issuer: { organisation: 'SDG Learn', signatory: 'The SDG Learn course team' },
    language: 'fr',
    issuedAt: new Date('2025-03-12T10:00:00Z'),
    wording: {
      heading: 'Certificat de réussite',
      certifies: 'Nous certifions que',
      completedCourse: 'a suivi avec succès le cours en ligne',
      modulesHeading: 'et ses trois modules :',
      completedOn: 'Terminé le 12 mars 2025',
      verifyAt: 'Vérifiez ce certificat sur',
      codeLabel: 'Code de vérification',
    },
  });
}

/** The baseline: one landscape page, the same two fonts registered and used, the name in each. */
function bare(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 0, info: { CreationDate: new Date('2025-03-12T10:00:00Z') } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
  });
  doc.registerFont('latin-regular', fontBytes('latin-regular'));
  doc.registerFont('latin-bold', fontBytes('latin-bold'));
  doc.font('latin-bold').fontSize(32).text(NAME, 100, 200);
  doc.font('latin-regular').fontSize(14).text(NAME, 100, 260);
  doc.end();
  return done;
}

async function timeOne(render: () => Promise<Buffer>): Promise<{ ms: number; bytes: number }> {
  const start = process.hrtime.bigint();
  const pdf = await render();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, bytes: pdf.length };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  // Warm up: font files read, JIT compiled, for both.
  for (let i = 0; i < 5; i++) {
    await certificate();
    await bare();
  }
  const cert: number[] = [];
  const base: number[] = [];
  let certBytes = 0;
  let baseBytes = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const c = await timeOne(certificate);
    const b = await timeOne(bare);
    cert.push(c.ms);
    base.push(b.ms);
    certBytes = c.bytes;
    baseBytes = b.bytes;
  }
  const certMedian = median(cert);
  const baseMedian = median(base);
  console.log(`certificate PDF: median ${certMedian.toFixed(1)} ms, ${certBytes} bytes (${ROUNDS} rounds)`);
  console.log(`bare pdfkit page, same fonts: median ${baseMedian.toFixed(1)} ms, ${baseBytes} bytes`);
  console.log(`ratio certificate / bare: ${ratio(certMedian, baseMedian)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
