import type { DataSource } from 'typeorm';
import type { WebhookConfig } from '../../../../shared/config';

/** Settings the sync features read at request time (from HubConfig; see shared/config.ts). */
export interface SyncSettings {
  /** Change feed retention in days; 0 = forever. */
  changeFeedRetentionDays: number;
  webhooks: WebhookConfig;
}

/** Production-safe defaults: no private targets, 3-day retry horizon (what loadConfig({}) gives). */
export const DEFAULT_WEBHOOK_CONFIG: WebhookConfig = {
  allowLoopback: false,
  allowPrivate: false,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  retryBaseMs: 10_000,
  retryMaxDelayMs: 3_600_000,
  retryHorizonMs: 3 * 24 * 3_600_000,
  disableAfterMs: 24 * 3_600_000,
  disableAfterFailures: 10,
  concurrency: 8,
  pollMs: 1000,
};

// Keyed by the subgraph's DataSource, which every resolver already has in its context.
const byDataSource = new WeakMap<DataSource, SyncSettings>();

export function configureSync(db: DataSource, settings: SyncSettings): void {
  byDataSource.set(db, settings);
}

export function syncSettingsFor(db: DataSource): SyncSettings {
  return byDataSource.get(db) ?? { changeFeedRetentionDays: 0, webhooks: DEFAULT_WEBHOOK_CONFIG };
}
