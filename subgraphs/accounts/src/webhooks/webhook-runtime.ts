import type { DataSource } from 'typeorm';
import type { WebhookConfig } from '../../../../shared/config';
import type { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { EventRelay } from '../../../../shared/eventlog/event-relay';
import type { Logger } from '../../../../shared/logger';
import { WebhookWorker } from './delivery-worker';
import { createWebhookFanout } from './webhook-fanout';

/** The webhook machinery one accounts process runs: fan-out consumer and delivery worker. */
export interface WebhookRuntime {
  fanout: DurableConsumer;
  worker: WebhookWorker;
  stop(): Promise<void>;
}

/**
 * Starts both, woken by the process's event relay (a commit anywhere in the hub, or its
 * poll), so a new event reaches its endpoints without waiting for a timer. Safe to run in
 * every instance: the consumer and the worker coordinate through Postgres.
 */
export async function startWebhookRuntime(opts: { dataSource: DataSource; log: Logger; relay: EventRelay; config: WebhookConfig }): Promise<WebhookRuntime> {
  const log = opts.log.child({ component: 'webhooks' });
  const fanout = await createWebhookFanout(opts.dataSource, log);
  const worker = new WebhookWorker({ dataSource: opts.dataSource, log, config: opts.config });
  const pump = () => void fanout.drain().then(() => worker.kick());
  const offWake = opts.relay.onWake(pump);
  worker.start();
  pump();
  return {
    fanout,
    worker,
    async stop() {
      offWake();
      await fanout.stop();
      await worker.stop();
    },
  };
}
