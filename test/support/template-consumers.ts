import type { DataSource } from 'typeorm';
import type { SubgraphName } from '../../shared/config';
import type { DurableConsumer } from '../../shared/eventlog/durable-consumer';
import type { SubgraphEvents } from '../../shared/eventlog/event-backbone';
import { withSystem } from '../../shared/db/tenant-context';
import { createLogger, type Logger } from '../../shared/logger';
import { ACCOUNTS_EVENTS } from '../../subgraphs/accounts/src/consumers';
import { NOTIFICATION_FANOUT_CONSUMER } from '../../subgraphs/accounts/src/consumers/notification-fanout.consumer';
import { WEBHOOK_FANOUT_CONSUMER } from '../../subgraphs/accounts/src/consumers/webhook-fanout.consumer';
import { HANDOFFS_EVENTS } from '../../subgraphs/handoffs/src/consumers';
import { SCORECARDS_EVENTS } from '../../subgraphs/scorecards/src/consumers';
import { SLAS_EVENTS } from '../../subgraphs/slas/src/consumers';

/**
 * Created but not drained: the fan-outs write what workers then deliver outside the database
 * (e-mail, HTTP), built from the starting hub's own configuration (the public URL in a
 * notification's links) and followed by a wake-up of that hub's sender. Created, each stores
 * its position at the head of the log, as it does on a fresh database (nobody is told of what
 * happened before it ran): the end of the seeds, where a hub starting on an undrained copy
 * put it. What the other consumers append while they drain (a due proposed, a clock's
 * events) is then after it, and the starting hub fans it out as it did before.
 */
const NOT_DRAINED_IN_TEMPLATES: ReadonlySet<string> = new Set([WEBHOOK_FANOUT_CONSUMER, NOTIFICATION_FANOUT_CONSUMER]);

const notDrained = () => {
  throw new Error('the fan-outs are not drained in a template');
};

async function declared<Deps>(events: SubgraphEvents<Deps>, deps: Deps): Promise<DurableConsumer[]> {
  const consumers: DurableConsumer[] = [];
  for (const declaration of events.consumers) consumers.push(await declaration.create(deps));
  return consumers;
}

/**
 * Each subgraph's durable consumers as its server creates them from its registry
 * (src/consumers/index.ts), with no reader and nothing to wake: the breach scheduler reads the
 * next due clock from the database when the hub starts. The fan-outs' public URL and wake-ups
 * are never used (they handle nothing here).
 */
const CONSUMERS: Record<SubgraphName, (db: DataSource, log: Logger) => Promise<DurableConsumer[]>> = {
  accounts: (db, log) => declared(ACCOUNTS_EVENTS, { db, log, publicUrl: '', onWebhookDeliveries: notDrained, onNotifications: notDrained }),
  handoffs: (db, log) => declared(HANDOFFS_EVENTS, { db, log }),
  slas: (db, log) => declared(SLAS_EVENTS, { db, log, onNextDue: () => undefined }),
  scorecards: (db, log) => declared(SCORECARDS_EVENTS, { db, log }),
};

/** Passes at most: a consumer may append events that another (or itself) handles, e.g. a due proposed, a task given back. */
const MAX_PASSES = 10;

/** How long one consumer may wait for what an open transaction elsewhere in the cluster holds back. */
const DRAIN_TIMEOUT_MS = 60_000;

/**
 * Brings the durable consumers of the given subgraphs (their DataSources on the template) up
 * to the end of the event log, as the hub's start-up would: creates every one in the hub's
 * order, then drains all but the fan-outs, pass after pass until none has an event of its
 * types left, then stops them. Throws when one does not catch up (a failing batch is logged
 * and retried by the consumer, not thrown).
 */
export async function drainTemplateConsumers(subgraphs: readonly { name: SubgraphName; dataSource: DataSource }[]): Promise<void> {
  const log = createLogger('test-template', 'error');
  const consumers: DurableConsumer[] = [];
  try {
    for (const { name, dataSource } of subgraphs) consumers.push(...(await CONSUMERS[name](dataSource, log)));
    const drained = consumers.filter((c) => !NOT_DRAINED_IN_TEMPLATES.has(c.name));
    const [first] = subgraphs;
    if (!first || drained.length === 0) return;
    const names = drained.map((c) => c.name);
    let behind: string[] = names;
    for (let pass = 0; pass < MAX_PASSES && behind.length > 0; pass++) {
      for (const consumer of drained) await consumer.drain(DRAIN_TIMEOUT_MS);
      behind = await consumersBehind(first.dataSource, names);
    }
    if (behind.length > 0) throw new Error(`template: consumers not caught up after ${MAX_PASSES} passes: ${behind.join(', ')}`);
  } finally {
    for (const consumer of consumers) await consumer.stop();
  }
}

/** The named consumers with an event of their types after their stored position (or no position yet). */
async function consumersBehind(db: DataSource, names: string[]): Promise<string[]> {
  const rows: { name: string }[] = await withSystem(() =>
    db.query(
      `SELECT n.name FROM unnest($1::text[]) AS n(name) LEFT JOIN eventlog.consumers c ON c.name = n.name
      WHERE c.name IS NULL OR EXISTS (
        SELECT 1 FROM eventlog.events e WHERE (e.tx, e.seq) > (c.tx, c.seq) AND (c.types IS NULL OR e.type = ANY(c.types)))`,
      [names],
    ),
  );
  return rows.map((r) => r.name);
}
