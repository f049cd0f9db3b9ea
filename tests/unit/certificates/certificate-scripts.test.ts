import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { renderCertificatePdf } from '../../../src/features/certificates/certificate-pdf';

/* Names in Korean, Hebrew and Chinese print in their own fonts, bold like a Latin name; the PDFs and a PNG of each go to test-artifacts/. */
const artifacts = path.join(__dirname, '../../../test-artifacts');

function render(holderName: string, language: 'en' | 'es' | 'fr' = 'en') {
  return renderCertificatePdf({
    code: '7KQ2-M9XD-AAAA-BBBB-CCCC-DDDD-EEEE',
    verifyUrl: 'https://learn.example.org/verify/7KQ2-M9XD-AAAA-BBBB-CCCC-DDDD-EEEE',
    holderName,
    courseTitle: 'Localizing the SDGs',
    moduleTitles: ['Localizing the SDGs: introduction', 'Territorial planning to achieve the SDGs', 'Reporting: national and local reviews'],
    issuer: { organisation: 'SDG Learn', signatory: 'The SDG Learn course team' },
    language,
    issuedAt: new Date('2026-11-29T10:00:00Z'),
    wording: {
      heading: 'Certificate of completion',
      certifies: 'This certifies that',
      completedCourse: 'has completed the online course',
      modulesHeading: 'and its three modules:',
      completedOn: 'Completed on 29 November 2026',
      verifyAt: 'Check this certificate at',
      codeLabel: 'Verification code',
    },
  });
}

const text = (pdf: Buffer) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
const fonts = (pdf: Buffer) => execFileSync('pdffonts', ['-'], { input: pdf }).toString('utf8');

function keep(name: string, pdf: Buffer) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `certificate-${name}.pdf`);
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, path.join(artifacts, `certificate-${name}`)]);
}

describe('names in every script', () => {
  it('when the name is Korean, then it prints in bold Noto Sans KR and reads back, with no code points', async () => {
    const pdf = await render('김민준');
    keep('korean', pdf);
    expect(fonts(pdf)).toMatch(/NotoSansKR-Bold/);
    expect(text(pdf)).toContain('김민준');
    expect(text(pdf)).not.toContain('U+');
  });

  it('when the name is Hebrew, then it prints in bold Noto Sans Hebrew, right to left, with no code points', async () => {
    const pdf = await render('דוד כהן');
    keep('hebrew', pdf);
    expect(fonts(pdf)).toMatch(/NotoSansHebrew-Bold/);
    const read = text(pdf);
    expect(read).not.toContain('U+');
    // pdftotext reorders right-to-left text into reading order: the first name comes first
    expect(read).toContain('דוד כהן');
  });

  it('when the name is Chinese, then it is bold like the other scripts', async () => {
    const pdf = await render('张伟');
    keep('chinese', pdf);
    expect(fonts(pdf)).toMatch(/NotoSansHans-Bold/);
  });
});
