import { IDENTITY_HEADER, signIdentity } from '../shared/auth/identity';
import type { Logger } from '../shared/logger';
import type { CostBuckets } from './cost';

/** Options for {@link CostBudgetSync}. */
export interface CostBudgetSyncOptions {
  buckets: CostBuckets;
  /** The accounts subgraph's base URL (no /graphql): it keeps the shared buckets. */
  accountsBaseUrl: string;
  identitySecret: string;
  /** How often charges are settled, in ms. */
  intervalMs: number;
  log: Logger;
}

/**
 * Settles this gateway's cost charges against the partners' shared buckets in accounts,
 * one request per interval whatever the traffic, and adopts the shared levels. When
 * accounts cannot be reached the charges wait for the next settlement and this instance
 * keeps deciding from its own copy (degraded to per-instance budgets, never to none).
 */
export class CostBudgetSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: CostBudgetSyncOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.settle(), this.opts.intervalMs);
    this.timer.unref();
  }

  /** One settlement (concurrent calls share it); tests call it to skip the wait. */
  settle(): Promise<void> {
    this.running ??= this.settleOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async settleOnce(): Promise<void> {
    const { buckets } = this.opts;
    const charges = buckets.takeCharges();
    if (charges.size === 0) return;
    try {
      const res = await fetch(`${this.opts.accountsBaseUrl}/internal/cost-budgets`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: signIdentity({ role: 'SERVICE', scopes: ['cost'] }, this.opts.identitySecret),
        },
        body: JSON.stringify({ capacity: buckets.capacity, restoreRate: buckets.restoreRate, spent: Object.fromEntries(charges) }),
        signal: AbortSignal.timeout(Math.max(1000, this.opts.intervalMs * 4)),
      });
      if (res.status !== 200) throw new Error(`accounts answered ${res.status}`);
      const { available } = (await res.json()) as { available: Record<string, number> };
      for (const [key, level] of Object.entries(available)) buckets.adopt(key, level);
    } catch (err) {
      buckets.restoreCharges(charges);
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      this.opts.log.warn({ err: (err as Error).message, cause }, 'cost budget settlement failed; deciding from this instance until it works');
    }
  }

  /** Stops the timer and settles what is left, so no charge is lost on shutdown. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.settle();
  }
}
