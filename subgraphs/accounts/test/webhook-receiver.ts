import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; occurredAt: string; payload: Record<string, unknown> };
}

/**
 * A webhook receiver on 127.0.0.1 for tests: answers `status` (200 by default), records
 * every request, and can be down (not listening) and come up again on the same port.
 * Given a Standard Webhooks secret, it verifies each request as a partner would, with the
 * `standardwebhooks` library, and answers 401 to one that does not verify.
 */
export class TestReceiver {
  readonly received: Received[] = [];
  /** Requests refused because the library did not verify them, with its reason. */
  readonly refused: { headers: IncomingHttpHeaders; reason: string }[] = [];
  status = 200;
  /** The Standard Webhooks secret to verify with; unset: no verification. */
  standardWebhooksSecret: string | undefined;
  private server: Server | undefined;

  constructor(public port = 0) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async up(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (this.standardWebhooksSecret) {
          try {
            new Webhook(this.standardWebhooksSecret).verify(body, req.headers as Record<string, string>);
          } catch (err) {
            this.refused.push({ headers: req.headers, reason: (err as Error).message });
            res.statusCode = 401;
            return void res.end('bad signature');
          }
        }
        this.received.push({ headers: req.headers, body, json: JSON.parse(body) });
        res.statusCode = this.status;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Distinct event ids, in the order they first arrived. */
  firstArrivals(): string[] {
    const seen = new Set<string>();
    for (const r of this.received) seen.add(r.json.id);
    return [...seen];
  }
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 15000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
