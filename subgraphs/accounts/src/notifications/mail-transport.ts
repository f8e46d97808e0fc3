import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpConfig } from '../../../../shared/config';

/** What one send came to. */
export interface SendResult {
  ok: boolean;
  error: string | null;
}

/** One e-mail: text and HTML parts of the same message. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends notification e-mail over SMTP (nodemailer), with the settings of shared/config.ts. */
export class MailTransport {
  private transporter: Transporter | undefined;

  constructor(private readonly config: SmtpConfig) {}

  private transport(): Transporter | undefined {
    const c = this.config;
    if (!c.host) return undefined;
    this.transporter ??= nodemailer.createTransport({
      host: c.host,
      port: c.port,
      secure: c.tls === 'tls',
      requireTLS: c.tls === 'starttls',
      ignoreTLS: c.tls === 'none',
      auth: c.user ? { user: c.user, pass: c.password ?? '' } : undefined,
      tls: { rejectUnauthorized: c.rejectUnauthorized },
      connectionTimeout: c.timeoutMs,
      greetingTimeout: c.timeoutMs,
      socketTimeout: c.timeoutMs,
    });
    return this.transporter;
  }

  async send(mail: Mail): Promise<SendResult> {
    const transport = this.transport();
    if (!transport) return { ok: false, error: 'no SMTP server configured (HUB_SMTP_HOST)' };
    try {
      await transport.sendMail({ from: this.config.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
      return { ok: true, error: null };
    } catch (err) {
      return { ok: false, error: `SMTP: ${(err as Error).message}` };
    }
  }

  close(): void {
    this.transporter?.close();
  }
}
