import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ParsedMail } from './mime';

/** A message the mailbox received, with its SMTP envelope. */
export interface ReceivedMail extends ParsedMail {
  id: number;
  receivedAt: Date;
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A local SMTP server that keeps what it receives in memory: `npm start` points the hub's
 * SMTP at it in development and the gateway shows it at /dev/mail; the tests use it as the
 * real receiver. No authentication, no TLS: it listens on loopback only. It can be stopped
 * and started again on the same port (an SMTP outage).
 */
export class DevMailbox {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  private nextId = 1;

  constructor(
    public port = 0,
    private readonly host = '127.0.0.1',
    /** Most messages kept; the oldest go first. */
    private readonly keep = 500,
  ) {}

  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.messages.push({
            id: this.nextId++,
            receivedAt: new Date(),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            raw,
            ...parseMail(raw),
          });
          if (this.messages.length > this.keep) this.messages.splice(0, this.messages.length - this.keep);
          callback();
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Serves the mailbox under `path`: an HTML list of messages (newest first), each message
   * at `path/<id>` with its HTML part, `path/<id>.txt` its text part, and `path.json` all of
   * them. Returns false for any other URL.
   */
  handler(path = '/dev/mail'): (req: IncomingMessage, res: ServerResponse) => boolean {
    return (req, res) => {
      const url = new URL(req.url ?? '/', 'http://local');
      if (req.method !== 'GET' || !(url.pathname === path || url.pathname.startsWith(`${path}/`) || url.pathname === `${path}.json`)) return false;
      const send = (status: number, type: string, body: string): true => {
        res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
        res.end(body);
        return true;
      };
      if (url.pathname === `${path}.json`) {
        return send(200, 'application/json', JSON.stringify(this.messages.map(({ raw: _raw, ...m }) => m)));
      }
      const one = /^\/(\d+)(\.txt)?$/.exec(url.pathname.slice(path.length));
      if (one) {
        const m = this.messages.find((x) => x.id === Number(one[1]));
        if (!m) return send(404, 'text/plain', 'no such message');
        return one[2] ? send(200, 'text/plain', m.text ?? '') : send(200, 'text/html', m.html ?? `<pre>${escape(m.text ?? '')}</pre>`);
      }
      if (url.pathname !== path && url.pathname !== `${path}/`) return send(404, 'text/plain', 'not found');
      const rows = [...this.messages]
        .reverse()
        .map(
          (m) =>
            `<tr><td>${escape(m.receivedAt.toISOString())}</td><td>${escape(m.envelopeTo.join(', '))}</td><td><a href="${path}/${m.id}">${escape(m.subject)}</a></td><td><a href="${path}/${m.id}.txt">text</a></td></tr>`,
        )
        .join('');
      return send(
        200,
        'text/html',
        `<!doctype html><html><head><title>Dev mailbox</title></head><body style="font-family: sans-serif"><h1>Dev mailbox</h1><p>${this.messages.length} message(s) the hub sent, kept in memory (development only). Port ${this.port}.</p><table border="1" cellpadding="4"><tr><th>Received (UTC)</th><th>To</th><th>Subject</th><th></th></tr>${rows}</table></body></html>`,
      );
    };
  }
}
