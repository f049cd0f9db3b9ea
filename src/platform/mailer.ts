import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from './logger';

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType?: string }[];
  /** extra headers, e.g. `List-Unsubscribe` (RFC 2369, 8058) */
  headers?: Record<string, string>;
};

export type Mailer = {
  send(message: MailMessage): Promise<void>;
  /** where messages go when there is no SMTP server: `DATA_DIR/outbox`, or undefined when SMTP is used */
  readonly outboxDir: string | undefined;
};

/**
 * Sends e-mail through the SMTP server in `SMTP_URL`. Without one (development, tests) every
 * message is written as a JSON file to `DATA_DIR/outbox/` and its links are logged, so a developer
 * can follow a password-reset link without a mail server. Creating it opens no connection.
 */
export function createMailer(options: { smtpUrl?: string; from: string; dataDir: string; logger: Logger }): Mailer {
  const { smtpUrl, from, logger } = options;
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
    return {
      outboxDir: undefined,
      async send(message) {
        await transport.sendMail({ from, ...message });
      },
    };
  }

  const outboxDir = path.join(options.dataDir, 'outbox');
  const transport = nodemailer.createTransport({ jsonTransport: true });
  return {
    outboxDir,
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      await fs.mkdir(outboxDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(outboxDir, `${stamp}-${crypto.randomBytes(4).toString('hex')}.json`);
      await fs.writeFile(file, info.message);
      const links = message.text.match(/https?:\/\/\S+/g) ?? [];
      logger.info({ to: message.to, subject: message.subject, file, links }, 'e-mail written to the outbox (no SMTP_URL)');
    },
  };
}
