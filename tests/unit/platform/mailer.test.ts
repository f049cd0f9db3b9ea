import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../src/platform/logger';
import { createMailer } from '../../../src/platform/mailer';

describe('the mailer without SMTP', () => {
  it('when a message is sent, then it is written to DATA_DIR/outbox as JSON and its link is logged', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-mailer-'));
    const logger = createLogger('silent');
    const info = jest.spyOn(logger, 'info');
    const mailer = createMailer({ from: 'SDG Learn <learn@example.org>', dataDir, logger });

    await mailer.send({ to: 'ana@example.org', subject: 'Réinitialiser', text: 'Ouvrez https://learn.example.org/password/reset/abc pour continuer.' });

    const files = fs.readdirSync(path.join(dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    const message = JSON.parse(fs.readFileSync(path.join(dataDir, 'outbox', files[0]!), 'utf8'));
    expect(message).toMatchObject({ subject: 'Réinitialiser', from: { address: 'learn@example.org', name: 'SDG Learn' }, to: [{ address: 'ana@example.org' }] });
    expect(info).toHaveBeenCalledWith(expect.objectContaining({ links: ['https://learn.example.org/password/reset/abc'] }), expect.any(String));
    expect(mailer.outboxDir).toBe(path.join(dataDir, 'outbox'));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when SMTP_URL is set, then no outbox is used and nothing connects until a message is sent', () => {
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'a@example.org', dataDir: '/nonexistent', logger: createLogger('silent') });
    expect(mailer.outboxDir).toBeUndefined();
  });
});
