import { readChanges } from '../subgraphs/accounts/src/feed/change-feed.service';
import { Region, Segment } from '../subgraphs/accounts/src/entities/enums';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import type { UpsertCustomerInput } from '../subgraphs/accounts/src/sync/upsert.inputs';
import { upsertCustomers } from '../subgraphs/accounts/src/sync/upsert.service';
import { runSyncBench, seconds } from './sync-support';

/**
 * Change feed read throughput: 50,000 events from two partners interleaved, read from the
 * start to the end with first=250 (the maximum) by one partner (sees half) and by an internal team (all).
 * `npm run build && node dist/bench/sync-feed.js`.
 */
const PER_PARTNER = 25_000;
const partner = (key: string) => ({ partnerId: DEMO_PARTNERS.find((p) => p.apiKey.includes(key))!.id, role: 'PARTNER' as const, scopes: ['customers:write'] });
const acme = partner('acme');
const globex = partner('globex');
const internal = { partnerId: DEMO_PARTNERS[0].id, role: 'INTERNAL' as const, scopes: ['admin'] };

void runSyncBench('sync-feed', async (db) => {
  for (let b = 0; b < PER_PARTNER / 1000; b++) {
    for (const [who, identity] of [
      ['a', acme],
      ['g', globex],
    ] as const) {
      const rows = Array.from(
        { length: 1000 },
        (_, i) => ({ externalId: `${who}${b}-${i}`, name: `Feed ${who}${b}-${i}`, segment: Segment.SMB, region: Region.EMEA }) as UpsertCustomerInput,
      );
      await upsertCustomers(db, identity, `feed-${who}`, rows);
    }
  }
  const readAll = async (identity: typeof acme | typeof internal, first: number) => {
    const started = performance.now();
    let after: string | null = null;
    let events = 0;
    let pages = 0;
    for (;;) {
      const page = await readChanges(db, identity, { after, first, retentionDays: 0 });
      events += page.nodes.length;
      pages++;
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    const s = seconds(started);
    return { reader: identity.role, first, events, pages, seconds: Number(s.toFixed(2)), eventsPerSecond: Math.round(events / s) };
  };
  return { reads: [await readAll(acme, 250), await readAll(internal, 250), await readAll(acme, 100)] };
});
