/**
 * A partner's integration with the hub, on the typed client (clients/typescript):
 *
 * 1. pushes its CRM's customers with one bulk upsert (safe to repeat: the same rows twice change nothing);
 * 2. reads the change feed from the cursor it keeps in a file, page by page, saving the cursor
 *    after each page, so that a run picks up exactly where the last one stopped;
 * 3. works through its inbox: it accepts a handoff that carries the data the playbook asks for
 *    (and what its own deal desk needs), and rejects one with MISSING_INFORMATION naming what
 *    is missing. The inbox, not the feed, says what is waiting: a run that died between the
 *    two misses nothing.
 *
 *   npm run example:partner-sync [-- <cursor file>]
 *
 * Environment: HUB_URL (default http://localhost:4000/graphql), HUB_API_KEY (default the demo
 * key hub_demo_acme_reseller), PARTNER_SYNC_CURSOR_FILE (default .data/partner-sync.cursor; the
 * first argument wins). The last line it prints is a JSON summary of the run.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AcceptHandoffDocument,
  ChangesDocument,
  createHubClient,
  HandoffAction,
  HandoffMoment,
  HubError,
  InboxDocument,
  LifecycleStage,
  RejectHandoffDocument,
  RejectionReasonCode,
  Region,
  Segment,
  UpsertCustomersDocument,
  type HandoffFieldsFragment,
  type HubClient,
  type InboxQuery,
  type UpsertCustomerInput,
} from '../clients/typescript/src';

/** Our CRM's name in the hub: external ids are unique per system. */
export const CRM_SYSTEM = 'acme-crm';

/** What our CRM holds today (in a real integration: a query against it). */
export const CRM_ROWS: UpsertCustomerInput[] = [
  {
    externalId: 'ACME-2001',
    name: 'Northwind Traders',
    domain: 'northwindtraders.com',
    segment: Segment.MidMarket,
    region: Region.Na,
    lifecycleStage: LifecycleStage.Sql,
    contacts: [{ name: 'Nancy Davolio', email: 'nancy@northwindtraders.com', role: 'champion' }],
    context: { goals: ['Replace three order tools with one'], painPoints: ['Re-keys every order'], timeline: 'This quarter' },
  },
  {
    // Already in the hub (Acme holds it): matched by domain, our context is added to it.
    externalId: 'ACME-2002',
    domain: 'contoso-pharma.com',
    context: { goals: ['SSO for 2,000 staff'], painPoints: [] },
  },
  {
    externalId: 'ACME-2003',
    name: 'Wide World Importers',
    domain: 'wideworldimporters.com',
    segment: Segment.Smb,
    region: Region.Emea,
  },
];

/** Data our deal desk needs on top of what the playbook requires, per moment. */
export const ALSO_REQUIRED: Partial<Record<HandoffMoment, string[]>> = {
  [HandoffMoment.DirectToPartner]: ['competitors'],
};

export interface RunSummary {
  upsert: { created: number; updated: number; matched: number; unchanged: number; conflicts: number; invalid: number };
  /** The cursor the run started after (null: the start of the feed). */
  resumedAfter: string | null;
  changesRead: number;
  firstChangeId: string | null;
  cursor: string | null;
  accepted: string[];
  rejected: string[];
}

function readCursor(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Written whole or not at all: a run killed mid-write leaves the previous cursor. */
function saveCursor(file: string, cursor: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, cursor + '\n');
  renameSync(`${file}.tmp`, file);
}

/** What the handoff lacks: the playbook's required fields, and ours for its moment. */
function missingData(h: HandoffFieldsFragment): { name: string; description: string }[] {
  const ours = ALSO_REQUIRED[h.moment] ?? [];
  return h.requiredDataChecklist.filter((c) => (c.required || ours.includes(c.name)) && !c.present);
}

async function workThroughInbox(hub: HubClient, log: (line: string) => void, summary: RunSummary): Promise<void> {
  let after: string | null = null;
  const waiting: HandoffFieldsFragment[] = [];
  do {
    const result: InboxQuery = await hub.request(InboxDocument, { first: 50, after });
    const page = result.me.partner?.inbox;
    if (!page) return;
    waiting.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);

  for (const h of waiting) {
    if (!h.allowedActions.includes(HandoffAction.Accept)) continue;
    const missing = missingData(h);
    try {
      if (missing.length) {
        const reason = `Missing ${missing.map((m) => `${m.name} (${m.description})`).join(', ')}; please propose again with that data`;
        await hub.request(RejectHandoffDocument, { id: h.id, reason, reasonCode: RejectionReasonCode.MissingInformation });
        summary.rejected.push(h.id);
        log(`inbox: rejected ${h.moment} handoff of ${h.customerName} (${h.id}): ${reason}`);
      } else {
        await hub.request(AcceptHandoffDocument, { id: h.id });
        summary.accepted.push(h.id);
        // The playbook's data is what our CRM's new deal starts from: nobody asks the customer again.
        const data = h.requiredDataChecklist.filter((c) => c.present).map((c) => `${c.name}=${JSON.stringify(c.value)}`);
        log(
          `inbox: accepted ${h.moment} handoff of ${h.customerName} (${h.id}) from ${h.from?.name ?? 'the hub'}; into our CRM: ${data.join(', ') || 'no playbook data'}`,
        );
      }
    } catch (err) {
      // Someone else moved it first (cancelled, expired): the next run sees what became of it.
      if (err instanceof HubError && err.is('CONFLICT')) log(`inbox: ${h.id} changed meanwhile: ${err.message}`);
      else throw err;
    }
  }
}

export async function runPartnerSync(opts: { url: string; apiKey: string; cursorFile: string }): Promise<RunSummary> {
  const log = (line: string) => console.log(line);
  const hub = createHubClient({ url: opts.url, apiKey: opts.apiKey });
  try {
    const { upsertCustomers: upserted } = await hub.request(UpsertCustomersDocument, { system: CRM_SYSTEM, input: CRM_ROWS });
    const { rows, ...counts } = upserted;
    log(
      `upsert into "${CRM_SYSTEM}": ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}`,
    );
    for (const row of rows) if (row.reason) log(`  ${row.externalId}: ${row.outcome} ${row.reasonCode ?? ''} ${row.reason}`);

    const resumedAfter = readCursor(opts.cursorFile);
    const summary: RunSummary = { upsert: counts, resumedAfter, changesRead: 0, firstChangeId: null, cursor: resumedAfter, accepted: [], rejected: [] };
    log(resumedAfter ? `feed: resuming after the cursor in ${opts.cursorFile}` : `feed: no cursor in ${opts.cursorFile}; reading from the start`);
    const types = new Map<string, number>();
    for (;;) {
      const { changes } = await hub.request(ChangesDocument, { after: summary.cursor, first: 250 });
      if (changes.truncated) log('feed: the cursor is older than the feed keeps: changes were lost, resync from the hub');
      // A real integration applies each change to its CRM here, before the cursor moves past it.
      for (const change of changes.nodes) {
        summary.firstChangeId ??= change.id;
        types.set(change.type, (types.get(change.type) ?? 0) + 1);
      }
      summary.changesRead += changes.nodes.length;
      if (changes.pageInfo.endCursor && changes.pageInfo.endCursor !== summary.cursor) {
        summary.cursor = changes.pageInfo.endCursor;
        saveCursor(opts.cursorFile, summary.cursor);
      }
      if (!changes.pageInfo.hasNextPage) break;
    }
    log(
      `feed: ${summary.changesRead} changes${types.size ? ` (${[...types].map(([t, n]) => `${t} ×${n}`).join(', ')})` : ''}; cursor saved to ${opts.cursorFile}`,
    );

    await workThroughInbox(hub, log, summary);
    return summary;
  } finally {
    await hub.close();
  }
}

if (require.main === module) {
  runPartnerSync({
    url: process.env.HUB_URL ?? 'http://localhost:4000/graphql',
    apiKey: process.env.HUB_API_KEY ?? 'hub_demo_acme_reseller',
    cursorFile: process.argv[2] ?? process.env.PARTNER_SYNC_CURSOR_FILE ?? '.data/partner-sync.cursor',
  }).then(
    (summary) => console.log(JSON.stringify(summary)),
    (err: unknown) => {
      console.error(err instanceof HubError ? `${err.code}: ${err.message}` : err);
      process.exit(1);
    },
  );
}
