import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { OWNERSHIP_CHANGED, type OwnershipChangedPayload } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { planOnceArray } from '../../../../shared/db/prepared-statements';

export const OWNERSHIP_CONSUMER = 'accounts.ownership';

/** What a batch leaves of one (customer, partner) access row. */
interface AccessChange {
  customerId: string;
  partnerId: string;
  /** The row's kind at the end; null: no row. */
  kind: 'OWNER' | 'COLLABORATOR' | null;
  /** Removed at some point in the batch: a row written after that is a new grant (granted now). */
  removed: boolean;
}

/**
 * handoffs moves ownership; accounts learns it from OwnershipChanged and applies it to its
 * own access tables: the new owner becomes OWNER, the previous one a COLLABORATOR (or, when
 * the payload says `previousOwnerAccess: NONE` — reclaimed after an SLA breach — loses
 * access). Idempotent: replaying an event leaves the same rows.
 *
 * A batch costs four statements however many events it holds: the customers locked in one
 * read, the events folded in log order in memory (the last change of each customer's owner
 * and of each access row wins, as one event at a time left them), then one update of the
 * owners, one delete and one upsert of the access rows.
 */
export function createOwnershipConsumer(dataSource: DataSource, log: Logger, opts: { batchSize?: number } = {}): DurableConsumer {
  return new DurableConsumer({
    name: OWNERSHIP_CONSUMER,
    dataSource,
    log,
    batchSize: opts.batchSize,
    types: [OWNERSHIP_CHANGED],
    async handle(events, manager) {
      const changes = events.map((event) => ({ event, p: event.payload as unknown as OwnershipChangedPayload }));
      const found: { id: string }[] = await manager.query(
        `${BACKGROUND}SELECT id FROM accounts.customers WHERE id = ANY(${planOnceArray(1, 'uuid[]')}) ORDER BY id FOR UPDATE`,
        [[...new Set(changes.map(({ p }) => p.customerId.toLowerCase()))]],
      );
      const known = new Set(found.map((r) => r.id));
      const owners = new Map<string, string | null>();
      const access = new Map<string, AccessChange>();
      const grant = (customerId: string, partnerId: string, kind: AccessChange['kind']) => {
        const key = `${customerId}|${partnerId.toLowerCase()}`;
        const row = access.get(key) ?? { customerId, partnerId, kind: null, removed: false };
        row.kind = kind;
        if (kind === null) row.removed = true;
        access.set(key, row);
      };
      for (const { event, p } of changes) {
        const customerId = p.customerId.toLowerCase();
        if (!known.has(customerId)) {
          log.warn({ customerId: p.customerId, event: event.id }, 'OwnershipChanged for a customer accounts does not have; skipped');
          continue;
        }
        owners.set(customerId, p.toPartnerId);
        if (p.fromPartnerId && p.fromPartnerId !== p.toPartnerId) grant(customerId, p.fromPartnerId, p.previousOwnerAccess === 'NONE' ? null : 'COLLABORATOR');
        if (p.toPartnerId) grant(customerId, p.toPartnerId, 'OWNER');
      }
      if (owners.size === 0) return;
      await manager.query(
        `${BACKGROUND}UPDATE accounts.customers c SET owner_partner_id = u.owner FROM unnest(${planOnceArray(1, 'uuid[]')}, ${planOnceArray(2, 'uuid[]')}) AS u(id, owner) WHERE c.id = u.id`,
        [[...owners.keys()], [...owners.values()]],
      );
      const removed = [...access.values()].filter((a) => a.removed);
      if (removed.length > 0) {
        await manager.query(
          `${BACKGROUND}DELETE FROM accounts.customer_access a USING unnest($1::uuid[], $2::uuid[]) AS d(customer_id, partner_id)
            WHERE a.customer_id = d.customer_id AND a.partner_id = d.partner_id`,
          [removed.map((a) => a.customerId), removed.map((a) => a.partnerId)],
        );
      }
      const kept = [...access.values()].filter((a) => a.kind !== null);
      if (kept.length > 0) {
        await manager.query(
          `${BACKGROUND}INSERT INTO accounts.customer_access (customer_id, partner_id, kind) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])
           ON CONFLICT (customer_id, partner_id) DO UPDATE SET kind = EXCLUDED.kind`,
          [kept.map((a) => a.customerId), kept.map((a) => a.partnerId), kept.map((a) => a.kind)],
        );
      }
    },
  });
}
