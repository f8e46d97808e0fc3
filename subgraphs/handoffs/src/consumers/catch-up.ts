import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import type { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { headPosition } from '../../../../shared/eventlog/event-log';

/** Options for {@link catchUp}. */
export interface CatchUpOptions {
  dataSource: DataSource;
  consumer: DurableConsumer;
  /** The event types the consumer handles (its position only moves past those). */
  types: string[];
  /** Give up after this long (the caller then answers from what it has). */
  timeoutMs?: number;
}

/**
 * Resolves once the consumer has applied every event of its types committed before the
 * call — also when another instance (another process, or another consumer object) holds
 * its position: `drain()` alone returns at once then (SKIP LOCKED), so this waits for it.
 */
export async function catchUp(opts: CatchUpOptions): Promise<void> {
  const { dataSource, consumer, types } = opts;
  const head = await headPosition(dataSource.manager);
  const deadline = Date.now() + (opts.timeoutMs ?? 2000);
  for (;;) {
    await consumer.drain();
    const [{ behind }]: { behind: boolean }[] = await dataSource.query(
      `${BACKGROUND}SELECT EXISTS (
         SELECT 1 FROM eventlog.events e, eventlog.consumers c
          WHERE c.name = $1 AND (e.tx, e.seq) > (c.tx, c.seq) AND (e.tx, e.seq) <= ($2::xid8, $3::bigint) AND e.type = ANY($4::text[])
       ) AS behind`,
      [consumer.name, head.tx, head.seq, types],
    );
    if (!behind || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
