import WebSocket from 'ws';

/** A bare graphql-transport-ws socket, to test what well-behaved clients never send. */
export class RawGraphQLSocket {
  readonly messages: Record<string, any>[] = [];
  closed: { code: number; reason: string } | undefined;
  private readonly socket: WebSocket;
  private readonly opened: Promise<void>;
  private waiters: (() => void)[] = [];

  /** `headers`: what a browser would add to the upgrade (Cookie, Origin). */
  constructor(url: string, headers: Record<string, string> = {}) {
    this.socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)));
      this.flush();
    });
    this.socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.flush();
    });
  }

  private flush() {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  async send(message: Record<string, unknown>): Promise<void> {
    await this.opened;
    this.socket.send(JSON.stringify(message));
  }

  /** Resolves when `predicate` holds (checked on every message and on close), or rejects after `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; messages: ${JSON.stringify(this.messages)}; closed: ${JSON.stringify(this.closed)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for the close and returns its code. */
  async closeCode(timeoutMs = 5000): Promise<number> {
    await this.until(() => this.closed !== undefined, timeoutMs);
    return this.closed!.code;
  }

  async init(payload: Record<string, unknown>): Promise<'ack' | number> {
    await this.send({ type: 'connection_init', payload });
    await this.until(() => this.closed !== undefined || this.messages.some((m) => m.type === 'connection_ack'));
    return this.messages.some((m) => m.type === 'connection_ack') ? 'ack' : this.closed!.code;
  }

  close() {
    this.socket.terminate();
  }
}
