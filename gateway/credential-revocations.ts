import { Client } from 'pg';
import { CREDENTIALS_CHANNEL, parseCredentialNotice, type CredentialRevokedNotice } from '../shared/auth/revocation';
import type { Logger } from '../shared/logger';

/** Options for {@link CredentialRevocations}. */
export interface CredentialRevocationsOptions {
  /** Postgres the credential owner (accounts) writes to; only LISTEN is used, no table is read. */
  databaseUrl: string;
  log: Logger;
  /** A credential was revoked: forget it and close what it opened. */
  onRevoked(notice: CredentialRevokedNotice): void;
  /**
   * The listening connection was (re)established after a gap in which notices may have been
   * lost: forget everything cached and re-check what is open.
   */
  onResync(): void;
  retryMs?: number;
}

/**
 * Every gateway instance LISTENs on {@link CREDENTIALS_CHANNEL}; accounts NOTIFYs in the
 * transaction that revokes a key, so all instances learn of it on commit.
 */
export class CredentialRevocations {
  private client: Client | undefined;
  private stopped = false;
  private connectedOnce = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly opts: CredentialRevocationsOptions) {}

  /** Resolves once listening (or after the first failure, retrying in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.opts.databaseUrl, application_name: 'hub-gateway-revocations' });
    client.on('notification', (msg) => {
      if (msg.channel !== CREDENTIALS_CHANNEL) return;
      const notice = parseCredentialNotice(msg.payload);
      if (notice) this.opts.onRevoked(notice);
    });
    client.on('error', (err) => {
      this.opts.log.warn({ err: err.message }, 'revocation listener lost its connection; reconnecting');
      this.dropAndRetry(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CREDENTIALS_CHANNEL}`);
      if (this.stopped) return void (await client.end().catch(() => undefined));
      this.client = client;
      if (this.connectedOnce) this.opts.onResync();
      this.connectedOnce = true;
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'revocation listener cannot connect yet; retrying');
      this.dropAndRetry(client);
    }
  }

  private dropAndRetry(client: Client) {
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
    if (this.stopped || this.retry) return;
    // Whatever was cached may be stale until we listen again.
    this.connectedOnce = true;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect().catch(() => undefined);
    }, this.opts.retryMs ?? 1000);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
