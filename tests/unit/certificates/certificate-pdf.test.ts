import { execFileSync } from 'node:child_process';
import { renderCertificatePdf } from '../../../src/features/certificates/certificate-pdf';

const wording = {
  heading: 'Certificate of completion',
  certifies: 'This certifies that',
  completedCourse: 'has completed the online course',
  modulesHeading: 'and its three modules:',
  completedOn: 'Completed on March 12, 2025',
  verifyAt: 'Check this certificate at',
  codeLabel: 'Verification code',
};

function render(holderName: string) {
  return renderCertificatePdf({
    code: '7KQ2-M9XD-AAAA-BBBB-CCCC-DDDD-EEEE',
    verifyUrl: 'https://learn.example.org/verify/7KQ2-M9XD-AAAA-BBBB-CCCC-DDDD-EEEE',
    holderName,
    courseTitle: 'Localizing the SDGs',
    moduleTitles: ['One', 'Two', 'Three'],
    issuer: { organisation: 'SDG Learn', signatory: 'The SDG Learn course team' },
    language: 'en',
    issuedAt: new Date('2025-03-12T10:00:00Z'),
    wording,
  });
}

const text = (pdf: Buffer) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
const fonts = (pdf: Buffer) => execFileSync('pdffonts', ['-'], { input: pdf }).toString('utf8');

describe('rendering a certificate', () => {
  it('when the same certificate is rendered twice, then the bytes are the same (fonts subset, dates fixed)', async () => {
    const [a, b] = await Promise.all([render('Ana'), render('Ana')]);
    expect(a.equals(b)).toBe(true);
    expect(a.length).toBeLessThan(100_000);
  });

  it('when a name needs the Chinese font, then only then is it embedded, and the text reads back', async () => {
    const latin = await render('Ana Lopes');
    expect(fonts(latin)).not.toContain('NotoSansHans');
    const mixed = await render('Ana 张伟');
    expect(fonts(mixed)).toContain('NotoSansHans');
    expect(text(mixed)).toContain('Ana 张伟');
  });

  it('when a name has characters no bundled font has, then the page prints their code points', async () => {
    const pdf = await render('Ana สมชาย');
    expect(text(pdf)).toContain('Ana U+0E2A U+0E21 U+0E0A U+0E32 U+0E22');
  });

  it('when a name is very long, then it is set smaller on one line rather than cut', async () => {
    const name = 'Maria del Carmen Esperanza de los Ángeles Fernández-Villavicencio y Rodríguez de la Concepción';
    expect(text(await render(name))).toContain(name);
  });
});
