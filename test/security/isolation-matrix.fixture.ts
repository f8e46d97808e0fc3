import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import {
  DEMO_EVENT_SOURCE,
  CUSTOMER_CREATED,
  CUSTOMER_OWNERSHIP_CLAIMED,
  CUSTOMER_UPDATED,
  FEEDBACK_SUBMITTED,
  HANDOFF_ACCEPTED,
  HANDOFF_PROPOSED,
  OWNERSHIP_CHANGED,
} from '../../shared/eventlog/events';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { DEMO_HANDOFFS } from '../../subgraphs/handoffs/src/seed';
import { gql, type GraphQLResponse } from '../support/graphql-client';
import { present } from '../support/present';

/**
 * The isolation matrix's world: who A and B are, what B plants before A probes, and how
 * to tell from the database that A changed nothing of B's.
 */

export interface Party {
  name: string;
  id: string;
  apiKey: string;
}

export const party = (needle: string): Party => {
  const p = DEMO_PARTNERS.find((x) => x.apiKey.includes(needle));
  if (!p) throw new Error(`no demo partner ${needle}`);
  return { name: p.name, id: p.id, apiKey: p.apiKey };
};

export interface Scenario {
  title: string;
  /** The prober. */
  a: Party;
  /** Whose objects are probed. */
  b: Party;
  /** A partner B hands customers to and receives them from; unrelated to A. */
  third: Party;
}

/** Demo handoffs A and B are both named on (sender, proposer or receiver): A's to see. */
export function sharedHandoffs(s: Scenario): Set<string> {
  const owner = (customerId: string) => DEMO_CUSTOMERS.find((c) => c.id === customerId)?.ownerPartnerId ?? null;
  return new Set(
    DEMO_HANDOFFS.filter((h) => [h.proposer, h.to, owner(h.customerId)].includes(s.a.id) && [h.proposer, h.to, owner(h.customerId)].includes(s.b.id)).map(
      (h) => h.id,
    ),
  );
}

/** Customers of the shared demo handoffs that B owns: B writes secrets into their records. */
export const sharedCustomersOfB = (s: Scenario) =>
  DEMO_HANDOFFS.filter((h) => sharedHandoffs(s).has(h.id))
    .map((h) => h.customerId)
    .filter((c) => DEMO_CUSTOMERS.find((x) => x.id === c)?.ownerPartnerId === s.b.id);

const demoData = (moment: string) => DEMO_HANDOFFS.find((h) => h.moment === moment)!.data;

export const WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

/** A policy that breaches within seconds, only for what B proposes to the third party (REGISTERED tier, STRATEGIC segment). */
export const FAST_POLICY = {
  moment: 'MQL_TO_SQL',
  partnerTier: 'REGISTERED',
  customerSegment: 'STRATEGIC',
  acceptWithin: 'PT1S',
  completeWithin: 'PT1H',
  calendar: { timeZone: 'UTC', workingHours: WEEK.map((weekday) => ({ weekday, from: '00:00', to: '24:00' })) },
  warningThresholdPercent: 50,
  escalation: 'NOTIFY',
};

/**
 * The demo's default MQL → SQL policy with a PROPOSE target of seconds: B's due that stays
 * OPEN breaches, so slaDueAlert has something of B's to (not) deliver to A. Dues are timed by
 * the moment's default policy only (a due has no receiver tier yet).
 */
export const FAST_PROPOSE_POLICY = {
  moment: 'MQL_TO_SQL',
  acceptWithin: 'PT4H',
  completeWithin: 'P2D',
  proposeWithin: 'PT2S',
  calendar: { timeZone: 'UTC', workingHours: WEEK.map((weekday) => ({ weekday, from: '00:00', to: '24:00' })) },
  warningThresholdPercent: 50,
  escalation: 'NOTIFY',
};

/** Event types B's webhook takes: what B's own actions produce (not the SLA scheduler's, which follow wall time). */
export const B_WEBHOOK_EVENTS = [CUSTOMER_CREATED, CUSTOMER_UPDATED, HANDOFF_PROPOSED, HANDOFF_ACCEPTED, OWNERSHIP_CHANGED, FEEDBACK_SUBMITTED];

export class Caller {
  constructor(
    private readonly url: string,
    readonly party: Party,
  ) {}

  /** Runs an operation that must succeed. */
  async ok<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await gql(this.url, query, variables, this.party.apiKey);
    if (res.errors?.length || !res.data) throw new Error(`${this.party.name}: ${query.slice(0, 80)} failed: ${JSON.stringify(res.errors)}`);
    return res.data as T;
  }

  /** Like ok, retried while the answer is NOT_FOUND: another subgraph learns of new records from the event log a moment later. */
  async okEventually<T = any>(query: string, variables: Record<string, unknown> = {}, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await gql(this.url, query, variables, this.party.apiKey);
      if (!res.errors?.length && res.data) return res.data as T;
      const pending = res.errors?.every((e) => e.extensions?.code === 'NOT_FOUND');
      if (!pending || Date.now() > deadline) throw new Error(`${this.party.name}: ${query.slice(0, 80)} failed: ${JSON.stringify(res.errors)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  raw(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> {
    return gql(this.url, query, variables, this.party.apiKey);
  }
}

/** Strings B plants all carry one marker, so that any trace of them is recognisable. */
export const newMarker = () => `zq${randomBytes(5).toString('hex')}`;

export const plantedCustomer = (marker: string, tag: string, segment: string) => ({
  name: `${marker} ${tag} Holdings`,
  domain: `${marker}-${tag}.example`,
  segment,
  region: 'EMEA',
  lifecycleStage: 'MQL',
  contacts: [{ name: `${marker} ${tag} Buyer`, email: `buyer@${marker}-${tag}.example`, role: 'economic buyer', phone: `+1-555-${tag}` }],
  context: {
    goals: [`${marker} ${tag} goal`],
    painPoints: [`${marker} ${tag} pain`],
    currentSolution: `${marker} ${tag} tools`,
    budget: `${marker} ${tag} budget`,
    notes: `${marker} ${tag} notes`,
  },
  externalIds: [{ system: `${marker}-crm`, externalId: `${marker}-${tag}-ext` }],
});

/**
 * A handoff value only this scenario's handoff `tag` carries (the demo playbooks' VALUE field):
 * an amount A must never read back, Handoff.value or Priority.valueAtStake alike.
 */
export const markerValue = (marker: string, tag: string) => ({
  amount: `${(parseInt(marker.slice(2, 9), 16) % 900_000_000) + 100_000_000}.${String(tag.length + 10).slice(-2)}`,
  currency: 'EUR',
});

export const proposal = (marker: string, tag: string, customerId: string, toPartnerId: string, moment: string) => ({
  customerId,
  toPartnerId,
  moment,
  contextPackage: {
    summary: `${marker} ${tag} summary`,
    customerSaid: [`${marker} ${tag} said`],
    goals: [`${marker} ${tag} goal`],
    notes: `${marker} ${tag} context notes`,
  },
  customerMessage: `${marker} ${tag} message`,
  data: demoData(moment),
});

export const OPS = {
  createWebhook: `mutation($url: String!, $events: [String!]!, $secret: String) { createWebhook(url: $url, events: $events, secret: $secret) { secret webhook { id } } }`,
  createApiKey: `mutation($label: String!) { createApiKey(input: { label: $label }) { secret apiKey { id prefix } } }`,
  createCustomer: `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id version } }`,
  customerVersion: `query($id: ID!) { customer(id: $id) { version context { goals painPoints currentSolution timeline budget notes } } }`,
  updateCustomer: `mutation($id: ID!, $v: Int!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, expectedVersion: $v, input: $input) { version } }`,
  propose: `mutation($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id } }`,
  accept: `mutation($id: ID!) { acceptHandoff(id: $id) { id tasks { id } } }`,
  reject: `mutation($id: ID!, $reason: String!) { rejectHandoff(id: $id, reason: $reason) { id state } }`,
  feedback: `mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id } }`,
  feedbackToken: `mutation($id: ID!) { issueCustomerFeedbackToken(handoffId: $id) { token } }`,
  journeyLink: `mutation($id: ID!) { issueCustomerJourneyLink(handoffId: $id) { id url } }`,
  setPolicy: `mutation($input: SlaPolicyInput!) { setSlaPolicy(input: $input) { id } }`,
  addChannel: `mutation($input: AddNotificationChannelInput!) { addNotificationChannel(input: $input) { id target } }`,
  setPreference: `mutation($input: SetNotificationPreferenceInput!) { setNotificationPreference(input: $input) { eventType } }`,
};

/** B writes a planted note into one of its customers (so every subscriber of it gets an event). */
export async function plantNote(b: Caller, customerId: string, note: string): Promise<void> {
  const { customer } = await b.ok(OPS.customerVersion, { id: customerId });
  const { __typename: _t, ...context } = customer.context;
  await b.ok(OPS.updateCustomer, { id: customerId, v: customer.version, input: { context: { ...context, notes: note } } });
}

/**
 * B moves its customer to a lifecycle stage that matches a playbook's trigger, and waits until
 * handoffs has opened the due (docs/journeys.md): a handoff proposed before that would make
 * the move open none.
 */
export async function makeDue(b: Caller, customerId: string, lifecycleStage: string): Promise<void> {
  const { customer } = await b.ok(OPS.customerVersion, { id: customerId });
  await b.ok(OPS.updateCustomer, { id: customerId, v: customer.version, input: { lifecycleStage } });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { handoffsDue } = await b.ok(`query { handoffsDue(filter: { state: OPEN }, first: 100) { nodes { customerId } } }`);
    if ((handoffsDue.nodes as { customerId: string }[]).some((d) => d.customerId === customerId)) return;
    if (Date.now() > deadline) throw new Error(`${b.party.name}: no handoff due for customer ${customerId} after moving it to ${lifecycleStage}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- "changes nothing of B's": B's rows, straight from the database -------------------

/**
 * Tables left out of the before/after comparison, and why:
 * - bookkeeping of consumers (positions move with every event of anyone);
 * - slas.clocks and slas.due_clocks: the breach scheduler flips clocks as wall time passes
 *   (what A could do to a clock, it does through a handoff or a due, whose rows are compared);
 * - scorecards' projections (handoff_facts, rollups, value_cells, value_rollups): rebuilt from events, which are compared;
 * - ownership claims: upsertCustomers records a claim on a domain someone else holds, for
 *   internal review, by design; it changes nothing of the holder's;
 * - accounts.cost_budgets: every gateway re-settles each partner it served lately, so B's
 *   budget row refills with wall time (budgets are per partner key: scale-out e2e).
 * - accounts.notifications: written from events (which are compared) by the notification
 *   fan-out, and by its sender as wall time passes (the SLA scheduler's alerts, retries,
 *   attempts); B's channels and preferences are compared.
 */
const SKIPPED_TABLES = new Set([
  'eventlog.consumers',
  'slas.applied_events',
  'slas.clocks',
  'slas.due_clocks',
  'scorecards.handoff_facts',
  'scorecards.rollups',
  'scorecards.value_cells',
  'scorecards.value_rollups',
  'accounts.customer_ownership_claims',
  'accounts.cost_budgets',
  'accounts.notifications',
]);
/** The scheduler's events follow wall time; claims are the review records above. */
const SKIPPED_EVENTS = `NOT (t.source = 'slas' OR t.type = '${CUSTOMER_OWNERSHIP_CLAIMED}')`;

export interface RowsSnapshot {
  /** Per table, a digest of the rows that mention B. */
  tables: Record<string, string>;
  /** Per table, a cheap fingerprint of all its rows (count and newest xmin): unchanged means nothing to digest. */
  marks: Record<string, string>;
  /** The event log is append-only: where it ended. */
  seq: string;
}

export class BRows {
  private tables: string[] = [];

  private constructor(private readonly pg: PgClient) {}

  static async open(databaseUrl: string): Promise<BRows> {
    const pg = new PgClient({ connectionString: databaseUrl });
    await pg.connect();
    const rows = new BRows(pg);
    const res = await pg.query<{ t: string }>(
      `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema IN ('accounts', 'handoffs', 'slas', 'scorecards', 'eventlog') ORDER BY 1`,
    );
    rows.tables = res.rows.map((r) => r.t).filter((t) => !SKIPPED_TABLES.has(t) && !t.endsWith('.idempotency_keys') && t !== 'eventlog.events');
    return rows;
  }

  private static patterns = (ids: string[]) => ids.map((id) => `%${id.replace(/[^0-9a-f-]/gi, '')}%`);

  private async marks(): Promise<{ marks: Record<string, string>; seq: string }> {
    const parts = this.tables.map((t) => `SELECT '${t}' AS t, count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text AS h FROM ${t}`);
    parts.push(`SELECT 'eventlog.events' AS t, coalesce(max(seq), 0)::text AS h FROM eventlog.events`);
    const res = await this.pg.query<{ t: string; h: string }>(parts.join(' UNION ALL '));
    const marks = Object.fromEntries(res.rows.map((r) => [r.t, r.h]));
    const seq = present(marks['eventlog.events'], 'the event log mark');
    delete marks['eventlog.events'];
    return { marks, seq };
  }

  private async digests(tables: string[], ids: string[]): Promise<Record<string, string>> {
    if (tables.length === 0) return {};
    const parts = tables.map(
      (t) =>
        `SELECT '${t}' AS t, count(*)::text || ':' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS h FROM ${t} t WHERE t::text LIKE ANY($1::text[])`,
    );
    const res = await this.pg.query<{ t: string; h: string }>(parts.join(' UNION ALL '), [BRows.patterns(ids)]);
    return Object.fromEntries(res.rows.map((r) => [r.t, r.h]));
  }

  /** Per table, a digest of the rows that mention any of `ids` (B's partner id and objects); the end of the event log. */
  async snapshot(ids: string[]): Promise<RowsSnapshot> {
    const { marks, seq } = await this.marks();
    return { tables: await this.digests(this.tables, ids), marks, seq };
  }

  /** Tables whose rows of B's changed since `before` (new events mentioning B included), and the new snapshot. */
  async changedSince(before: RowsSnapshot, ids: string[]): Promise<{ changed: string[]; after: RowsSnapshot }> {
    const { marks, seq } = await this.marks();
    // Only tables someone wrote to since are digested again.
    const touched = this.tables.filter((t) => marks[t] !== before.marks[t]);
    const after: RowsSnapshot = { tables: { ...before.tables, ...(await this.digests(touched, ids)) }, marks, seq };
    const changed = diff(before.tables, after.tables);
    if (seq !== before.seq) {
      const events = await this.pg.query<{ n: string }>(
        `SELECT count(*) AS n FROM eventlog.events t WHERE seq > $2::bigint AND seq <= $3::bigint AND t::text LIKE ANY($1::text[]) AND ${SKIPPED_EVENTS}`,
        [BRows.patterns(ids), before.seq, seq],
      );
      if (Number(events.rows[0]!.n) > 0) changed.push('eventlog.events');
    }
    return { changed, after };
  }

  /** Waits until B's rows stop changing (projections, deliveries and consumers caught up). */
  async settle(ids: string[], timeoutMs = 20_000): Promise<RowsSnapshot> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.snapshot(ids);
    let stable = 0;
    while (stable < 3) {
      await new Promise((r) => setTimeout(r, 150));
      const { changed, after } = await this.changedSince(last, ids);
      if (changed.length && Date.now() > deadline) throw new Error(`B's rows kept changing: ${changed.join(', ')}`);
      stable = changed.length === 0 ? stable + 1 : 0;
      last = after;
    }
    return last;
  }

  /** B's scorecard-only demo handoffs (history projected from demo events), not involving A. */
  async scorecardHandoffs(b: string, a: string, limit: number): Promise<string[]> {
    const res = await this.pg.query<{ id: string }>(
      `SELECT id FROM scorecards.handoff_facts WHERE $1::uuid IN (from_partner_id, to_partner_id) AND $2::uuid IS DISTINCT FROM from_partner_id AND $2::uuid <> to_partner_id ORDER BY id LIMIT $3`,
      [b, a, limit],
    );
    return res.rows.map((r) => r.id);
  }

  /**
   * What A learns from the demo history (scorecards' seed writes months of `demo` events
   * that name customers regardless of who owns them today): the events A and B both
   * took part in (shared), and every id those visible to A mention (known to A).
   */
  async demoHistoryOf(a: string, b: string): Promise<{ sharedEvents: string[]; sharedHandoffs: string[]; known: string[] }> {
    const shared = await this.pg.query<{ id: string; aggregate_id: string; aggregate_type: string }>(
      `SELECT id::text, aggregate_id, aggregate_type FROM eventlog.events WHERE source = '${DEMO_EVENT_SOURCE}' AND visible_to @> ARRAY[$1, $2]::uuid[]`,
      [a, b],
    );
    const known = await this.pg.query<{ id: string }>(
      `SELECT DISTINCT m[1] AS id FROM eventlog.events e, regexp_matches(e.payload::text, '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})', 'g') AS m
        WHERE e.source = '${DEMO_EVENT_SOURCE}' AND $1::uuid = ANY(e.visible_to)`,
      [a],
    );
    return {
      sharedEvents: shared.rows.map((r) => r.id),
      sharedHandoffs: shared.rows.filter((r) => r.aggregate_type === 'Handoff').map((r) => r.aggregate_id),
      known: known.rows.map((r) => r.id),
    };
  }

  /** Of `eventIds`, those whose audience (visible_to) leaves `partner` out: never that partner's to receive. */
  async eventsHiddenFrom(partner: string, eventIds: string[]): Promise<string[]> {
    const res = await this.pg.query<{ id: string }>(`SELECT id::text FROM eventlog.events WHERE id = ANY($1::uuid[]) AND NOT ($2::uuid = ANY(visible_to))`, [
      eventIds,
      partner,
    ]);
    return res.rows.map((r) => r.id);
  }

  close() {
    return this.pg.end();
  }
}

export const diff = (before: Record<string, string>, after: Record<string, string>) =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]);
