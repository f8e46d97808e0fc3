import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { appendEvents } from '../../../../shared/eventlog/event-log';
import { CUSTOMER_OWNERSHIP_CLAIMED } from '../../../../shared/eventlog/events';
import { badUserInput, forbidden } from '../../../../shared/errors';
import type { Customer } from '../entities/customer.entity';
import { LifecycleStage } from '../entities/enums';
import { asHub } from '../../../../shared/db/tenant-context';
import { applyCommercials, readCommercials, writeCommercials, type CommercialsValue, type CommercialsWrite } from '../services/commercials';
import { CUSTOMER_CREATED, CUSTOMER_UPDATED, recordCustomerEvents } from '../services/customer-events';
import { CUSTOMER_COLUMNS, customerFromRow, type CustomerRow } from './customer-rows';
import { mergeCustomer, type MergeableFields, type WriterRole } from './merge-rules';
import { prepareRows, type PreparedRow } from './prepare-rows';
import { UpsertMatch, UpsertOutcome, UpsertResult, UpsertRowResult } from './upsert-result.types';
import type { UpsertCustomerInput } from './upsert.inputs';

export const MAX_UPSERT_ROWS = 1000;
const MAX_SYSTEM_LENGTH = 100;
/** Rounds that hit a race with a writer outside sync are redone from fresh reads, this often. */
const MAX_ROUND_RETRIES = 3;
const MAX_TX_RETRIES = 3;
const RETRYABLE = new Set(['40P01', '40001']);
const UNIQUE_VIOLATION = '23505';

class RoundRace extends Error {}

/** Carries a dry run's outcomes out of the transaction it rolls back. */
class DryRunRollback extends Error {
  constructor(readonly rows: UpsertRowResult[]) {
    super('dry run');
  }
}

/** Options for {@link upsertCustomers}. */
export interface UpsertOptions {
  /**
   * Compute every row's outcome with the same rules and statements, then roll the batch's
   * transaction back: no record, external id, claim or event is written.
   */
  dryRun?: boolean;
}

type Planned =
  | { kind: 'create'; row: PreparedRow; id: string; values: MergeableFields }
  | {
      kind: 'update';
      row: PreparedRow;
      customer: CustomerRow;
      matchedBy: UpsertMatch;
      next: MergeableFields;
      changed: string[];
      ignored: string[];
      link: boolean;
    }
  | { kind: 'keep'; row: PreparedRow; customer: CustomerRow; matchedBy: UpsertMatch; ignored: string[]; link: boolean }
  | { kind: 'claim'; row: PreparedRow; customer: CustomerRow };

const result = (index: number, externalId: string, outcome: UpsertOutcome, more: Partial<UpsertRowResult> = {}): UpsertRowResult =>
  Object.assign(new UpsertRowResult(), {
    index,
    externalId,
    outcome,
    customerId: null,
    version: null,
    matchedBy: null,
    changedFields: [],
    ignoredFields: [],
    invalidFields: [],
    reasonCode: null,
    reason: null,
    current: null,
    ...more,
  });

const fieldsOf = (c: CustomerRow, commercials: CommercialsValue | null): MergeableFields => ({
  name: c.name,
  domain: c.domain,
  segment: c.segment as MergeableFields['segment'],
  region: c.region as MergeableFields['region'],
  lifecycleStage: c.lifecycle_stage as MergeableFields['lifecycleStage'],
  contacts: c.contacts ?? [],
  context: c.context ?? { goals: [], painPoints: [] },
  commercials,
});

/**
 * Bulk sync from a partner system (see merge-rules.ts for what a row may write). Rows are
 * matched by (system, externalId), then by normalized domain, else created. Each row gets
 * its own outcome; a bad row never fails the batch.
 *
 * How it stays correct and fast: the whole batch is one transaction that first takes an
 * advisory lock on every external id and domain it touches (in one statement, in hash
 * order, so concurrent batches serialise on shared keys and cannot deadlock). It then works
 * in rounds of a few set-based statements; a row that collides with an earlier row of the
 * same round (same domain or same record) waits for the next round. Each round runs under a
 * savepoint: if a writer outside sync raced it (unique violation), the round is rolled back
 * and redone from fresh reads, so no row is ever half-written.
 */
export async function upsertCustomers(
  db: DataSource,
  identity: Identity,
  rawSystem: string,
  input: UpsertCustomerInput[],
  opts: UpsertOptions = {},
): Promise<UpsertResult> {
  const system = (rawSystem ?? '').trim();
  if (!system || system.length > MAX_SYSTEM_LENGTH || system.includes('\u0000')) {
    throw badUserInput(`"system" must be 1 to ${MAX_SYSTEM_LENGTH} characters, e.g. "acme-reseller-crm"`, [{ field: 'system', message: 'invalid' }]);
  }
  if (input.length > MAX_UPSERT_ROWS) {
    throw badUserInput(`At most ${MAX_UPSERT_ROWS} rows per call (got ${input.length}); split the batch`, [
      { field: 'input', message: `at most ${MAX_UPSERT_ROWS} rows` },
    ]);
  }
  const internal = isInternal(identity);
  if (!internal && !identity.partnerId) throw forbidden('Only a partner or an internal team can sync customers');

  const { valid, invalid } = prepareRows(input);
  const base: UpsertRowResult[] = invalid.map((r) =>
    result(r.index, r.externalId, UpsertOutcome.INVALID, { invalidFields: r.fields, reasonCode: 'INVALID_INPUT', reason: r.reason }),
  );

  let rows: UpsertRowResult[];
  for (let attempt = 1; ; attempt++) {
    try {
      rows = await db.transaction(async (manager) => {
        const done = await new BatchUpsert(manager, identity, internal, system).run(valid);
        if (opts.dryRun) throw new DryRunRollback(done);
        return done;
      });
      break;
    } catch (err) {
      if (err instanceof DryRunRollback) {
        rows = err.rows;
        break;
      }
      if (attempt < MAX_TX_RETRIES && RETRYABLE.has((err as { code?: string }).code ?? '')) continue;
      throw err;
    }
  }
  const all = [...base, ...rows].sort((a, b) => a.index - b.index);
  const count = (o: UpsertOutcome) => all.filter((r) => r.outcome === o).length;
  return Object.assign(new UpsertResult(), {
    rows: all,
    created: count(UpsertOutcome.CREATED),
    updated: count(UpsertOutcome.UPDATED),
    matched: count(UpsertOutcome.MATCHED),
    unchanged: count(UpsertOutcome.UNCHANGED),
    conflicts: count(UpsertOutcome.CONFLICT),
    invalid: count(UpsertOutcome.INVALID),
  });
}

/** One batch inside one transaction. */
class BatchUpsert {
  private readonly results: UpsertRowResult[] = [];
  private readonly writer: string | null;

  constructor(
    private readonly manager: EntityManager,
    private readonly identity: Identity,
    private readonly internal: boolean,
    private readonly system: string,
  ) {
    this.writer = identity.partnerId ?? null;
  }

  async run(rows: PreparedRow[]): Promise<UpsertRowResult[]> {
    if (rows.length === 0) return [];
    await this.lockKeys(rows);
    let pending = rows;
    let retries = 0;
    // Each round settles at least one row per domain and record, so this bound is never the limit in practice.
    for (let round = 0; pending.length > 0; round++) {
      if (round > rows.length + MAX_ROUND_RETRIES) throw new Error('sync made no progress');
      await this.manager.query('SAVEPOINT sync_round');
      try {
        const { done, deferred } = await this.round(pending);
        await this.manager.query('RELEASE SAVEPOINT sync_round');
        this.results.push(...done);
        pending = deferred;
        retries = 0;
      } catch (err) {
        const raced = err instanceof RoundRace || (err as { code?: string }).code === UNIQUE_VIOLATION;
        if (!raced) throw err;
        await this.manager.query('ROLLBACK TO SAVEPOINT sync_round');
        if (++retries > MAX_ROUND_RETRIES) {
          for (const row of pending) {
            this.results.push(
              result(row.index, row.externalId, UpsertOutcome.CONFLICT, {
                reasonCode: 'BUSY',
                reason: 'The records this row touches kept changing concurrently; send the row again',
              }),
            );
          }
          pending = [];
        }
      }
    }
    return this.results;
  }

  /** Serialises concurrent syncs that share an external id or a domain (hash order: no deadlock). */
  private async lockKeys(rows: PreparedRow[]) {
    const keys = rows.flatMap((r) => [`x\u001f${this.system}\u001f${r.externalId}`, ...(r.fields.domain ? [`d\u001f${r.fields.domain}`] : [])]);
    await this.manager.query(
      `SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtextextended(k, 7) AS h FROM unnest($1::text[]) k ORDER BY h OFFSET 0) s`,
      [keys],
    );
  }

  /**
   * What the round's rows meet: their external ids' customers, the customers holding their
   * domains, and those customers (locked) with the writer's access to each. Run as the hub:
   * matching is across every partner's customers, so that a row meeting one the writer may
   * not see becomes a CONFLICT (NO_ACCESS, or an ownership claim) instead of a duplicate.
   * Nothing of such a customer reaches the writer beyond that outcome.
   */
  private async lookUp(pending: PreparedRow[]) {
    const m = this.manager;
    const mappings: { external_id: string; customer_id: string }[] = await m.query(
      `SELECT external_id, customer_id FROM accounts.customer_external_ids WHERE system = $1 AND external_id = ANY($2::text[])`,
      [this.system, pending.map((r) => r.externalId)],
    );
    const mapped = new Map(mappings.map((r) => [r.external_id, r.customer_id]));
    const domains = [...new Set(pending.map((r) => r.fields.domain).filter((d): d is string => !!d))];
    const byDomainRows: { id: string; domain: string }[] = domains.length
      ? await m.query(`SELECT id, domain FROM accounts.customers WHERE domain = ANY($1::text[])`, [domains])
      : [];
    const byDomain = new Map(byDomainRows.map((r) => [r.domain, r.id]));
    const ids = [...new Set([...mapped.values(), ...byDomain.values()])];
    const found: (CustomerRow & { access_kind: string | null })[] = ids.length
      ? await m.query(
          `SELECT ${CUSTOMER_COLUMNS.split(', ')
            .map((c) => `c.${c}`)
            .join(', ')}, a.kind AS access_kind
             FROM accounts.customers c
             LEFT JOIN accounts.customer_access a ON a.customer_id = c.id AND a.partner_id = $2
            WHERE c.id = ANY($1::uuid[])
            ORDER BY c.id
              FOR UPDATE OF c`,
          [ids, this.writer],
        )
      : [];
    const customers = new Map(found.map((c) => [c.id, c]));
    // The figures of the records met: to merge a row's commercials, and for the events.
    const commercials = await readCommercials(m, [...customers.keys()], { lock: true });
    return { mapped, byDomain, customers, commercials };
  }

  private async round(pending: PreparedRow[]): Promise<{ done: UpsertRowResult[]; deferred: PreparedRow[] }> {
    const m = this.manager;
    const { mapped, byDomain, customers, commercials } = await asHub(m, () => this.lookUp(pending));

    const done: UpsertRowResult[] = [];
    const deferred: PreparedRow[] = [];
    const plans: Planned[] = [];
    const usedTargets = new Set<string>();
    const usedDomains = new Set<string>();

    for (const row of pending) {
      const mappedTo = mapped.get(row.externalId);
      const targetId = mappedTo ?? (row.fields.domain ? byDomain.get(row.fields.domain) : undefined);
      if (!targetId) {
        const missing = (['name', 'segment', 'region'] as const).filter((f) => row.fields[f] === undefined);
        if (missing.length > 0) {
          done.push(
            result(row.index, row.externalId, UpsertOutcome.INVALID, {
              invalidFields: missing.map((f) => `input[${row.index}].${f}`),
              reasonCode: 'INVALID_INPUT',
              reason: `No customer matches this row, and creating one needs ${missing.join(', ')}`,
            }),
          );
          continue;
        }
        if (row.fields.domain) {
          if (usedDomains.has(row.fields.domain)) {
            deferred.push(row);
            continue;
          }
          usedDomains.add(row.fields.domain);
        }
        plans.push({
          kind: 'create',
          row,
          id: randomUUID(),
          values: {
            name: row.fields.name!,
            domain: row.fields.domain ?? null,
            segment: row.fields.segment!,
            region: row.fields.region!,
            lifecycleStage: row.fields.lifecycleStage ?? LifecycleStage.LEAD,
            contacts: row.fields.contacts ?? [],
            context: mergeCustomerContextDefaults(row.fields.context),
            commercials: row.fields.commercials ? applyCommercials(null, row.fields.commercials, 'sync').next : null,
          },
        });
        continue;
      }
      const customer = customers.get(targetId);
      if (!customer || usedTargets.has(targetId)) {
        // Deleted since the lookup, or another row of this round already writes it.
        deferred.push(row);
        continue;
      }
      usedTargets.add(targetId);
      const matchedBy = mappedTo ? UpsertMatch.EXTERNAL_ID : UpsertMatch.DOMAIN;
      const role: WriterRole | null = this.internal ? 'INTERNAL' : (customer.access_kind as WriterRole | null);
      if (!role) {
        if (mappedTo) {
          done.push(
            result(row.index, row.externalId, UpsertOutcome.CONFLICT, {
              reasonCode: 'NO_ACCESS',
              reason: `${this.system}/${row.externalId} is linked to a customer you can no longer see (it was handed on); nothing was written`,
            }),
          );
        } else {
          plans.push({ kind: 'claim', row, customer });
        }
        continue;
      }
      if (row.expectedVersion !== null && row.expectedVersion !== customer.version) {
        done.push(
          result(row.index, row.externalId, UpsertOutcome.CONFLICT, {
            customerId: customer.id,
            version: customer.version,
            matchedBy,
            reasonCode: 'STALE_VERSION',
            reason: `The record is at version ${customer.version}, not ${row.expectedVersion}: merge with \`current\` and send the new version`,
            current: customerFromRow(customer),
          }),
        );
        continue;
      }
      const domainTaken = !!row.fields.domain && byDomain.has(row.fields.domain) && byDomain.get(row.fields.domain) !== customer.id;
      const merged = mergeCustomer(fieldsOf(customer, commercials.get(customer.id) ?? null), row.fields, role, domainTaken);
      if (merged.changed.includes('domain')) {
        if (usedDomains.has(merged.next.domain!)) {
          usedTargets.delete(targetId);
          deferred.push(row);
          continue;
        }
        usedDomains.add(merged.next.domain!);
      }
      if (merged.changed.length > 0) {
        plans.push({ kind: 'update', row, customer, matchedBy, next: merged.next, changed: merged.changed, ignored: merged.ignored, link: !mappedTo });
      } else {
        plans.push({ kind: 'keep', row, customer, matchedBy, ignored: merged.ignored, link: !mappedTo });
      }
    }
    const figuresNow = (plan: Planned) => (plan.kind === 'create' ? plan.values.commercials : plan.kind === 'update' ? plan.next.commercials : null);

    const created = await this.insertCreates(plans.filter((p): p is Extract<Planned, { kind: 'create' }> => p.kind === 'create'));
    const updated = await this.applyUpdates(plans.filter((p): p is Extract<Planned, { kind: 'update' }> => p.kind === 'update'));
    await this.linkExternalIds(plans, created);
    const claimed = await this.recordClaims(plans.filter((p): p is Extract<Planned, { kind: 'claim' }> => p.kind === 'claim'));
    await this.writeFigures(plans, created, updated);

    const events: { type: string; customer: Customer; changed?: string[]; commercials: CommercialsValue | null }[] = [];
    for (const plan of plans) {
      const { index, externalId } = plan.row;
      switch (plan.kind) {
        case 'create': {
          const row = created.get(plan.id);
          if (!row) {
            // The domain appeared since the lookup (a writer outside sync): match it next round.
            deferred.push(plan.row);
            break;
          }
          events.push({
            type: CUSTOMER_CREATED,
            customer: customerFromRow(row),
            changed: plan.values.commercials ? ['commercials'] : [],
            commercials: figuresNow(plan),
          });
          done.push(result(index, externalId, UpsertOutcome.CREATED, { customerId: row.id, version: row.version }));
          break;
        }
        case 'update': {
          const row = updated.get(plan.customer.id)!;
          events.push({ type: CUSTOMER_UPDATED, customer: customerFromRow(row), changed: plan.changed, commercials: figuresNow(plan) });
          done.push(
            result(index, externalId, UpsertOutcome.UPDATED, {
              customerId: row.id,
              version: row.version,
              matchedBy: plan.matchedBy,
              changedFields: plan.changed,
              ignoredFields: plan.ignored,
            }),
          );
          break;
        }
        case 'keep':
          done.push(
            result(index, externalId, plan.link ? UpsertOutcome.MATCHED : UpsertOutcome.UNCHANGED, {
              customerId: plan.customer.id,
              version: plan.customer.version,
              matchedBy: plan.matchedBy,
              ignoredFields: plan.ignored,
            }),
          );
          break;
        case 'claim':
          done.push(
            result(index, externalId, UpsertOutcome.CONFLICT, {
              matchedBy: UpsertMatch.DOMAIN,
              reasonCode: 'OWNERSHIP_CLAIMED',
              reason: claimed.has(plan.customer.id)
                ? `Another partner already holds the customer with domain "${plan.row.fields.domain}"; your claim was recorded for review and nothing else was written`
                : `Another partner already holds the customer with domain "${plan.row.fields.domain}"; your claim is already under review`,
            }),
          );
          break;
      }
    }
    await recordCustomerEvents(m, events, this.identity);
    return { done, deferred };
  }

  /**
   * The commercial figures of created and updated records, and their history (two
   * statements for the round). As the caller: only owners and internal teams get here
   * (merge rules), and row-level security holds them to it.
   */
  private async writeFigures(plans: Planned[], created: Map<string, CustomerRow>, updated: Map<string, CustomerRow>) {
    const writes: CommercialsWrite[] = [];
    for (const p of plans) {
      if (p.kind === 'create' && p.values.commercials) {
        const row = created.get(p.id);
        if (row) writes.push({ customerId: row.id, customerVersion: row.version, value: p.values.commercials });
      }
      if (p.kind === 'update' && p.changed.includes('commercials') && p.next.commercials) {
        const row = updated.get(p.customer.id)!;
        writes.push({ customerId: row.id, customerVersion: row.version, value: p.next.commercials });
      }
    }
    await writeCommercials(this.manager, writes, 'SYNC', this.writer);
  }

  private async insertCreates(plans: Extract<Planned, { kind: 'create' }>[]): Promise<Map<string, CustomerRow>> {
    if (plans.length === 0) return new Map();
    const owner = this.internal ? null : this.writer;
    const rows: CustomerRow[] = await this.manager.query(
      `INSERT INTO accounts.customers (id, name, domain, segment, region, lifecycle_stage, contacts, context, owner_partner_id)
       SELECT x.id, x.name, x.domain, x.segment, x.region, x.lifecycle_stage, x.contacts, x.context, $2::uuid
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, name text, domain text, segment text, region text, lifecycle_stage text, contacts jsonb, context jsonb)
       ON CONFLICT (domain) DO NOTHING
       RETURNING ${CUSTOMER_COLUMNS}`,
      [
        JSON.stringify(
          plans.map((p) => ({
            id: p.id,
            name: p.values.name,
            domain: p.values.domain,
            segment: p.values.segment,
            region: p.values.region,
            lifecycle_stage: p.values.lifecycleStage,
            contacts: p.values.contacts,
            context: p.values.context,
          })),
        ),
        owner,
      ],
    );
    if (owner && rows.length > 0) {
      await this.manager.query(`INSERT INTO accounts.customer_access (customer_id, partner_id, kind) SELECT id, $2::uuid, 'OWNER' FROM unnest($1::uuid[]) id`, [
        rows.map((r) => r.id),
        owner,
      ]);
    }
    return new Map(rows.map((r) => [r.id, r]));
  }

  private async applyUpdates(plans: Extract<Planned, { kind: 'update' }>[]): Promise<Map<string, CustomerRow>> {
    if (plans.length === 0) return new Map();
    const raw: CustomerRow[] | [CustomerRow[], number] = await this.manager.query(
      `UPDATE accounts.customers c
          SET name = x.name, domain = x.domain, segment = x.segment, region = x.region, lifecycle_stage = x.lifecycle_stage,
              contacts = x.contacts, context = x.context, version = c.version + 1, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, name text, domain text, segment text, region text, lifecycle_stage text, contacts jsonb, context jsonb)
        WHERE c.id = x.id
        RETURNING ${CUSTOMER_COLUMNS.split(', ')
          .map((col) => `c.${col}`)
          .join(', ')}`,
      [
        JSON.stringify(
          plans.map((p) => ({
            id: p.customer.id,
            name: p.next.name,
            domain: p.next.domain,
            segment: p.next.segment,
            region: p.next.region,
            lifecycle_stage: p.next.lifecycleStage,
            contacts: p.next.contacts,
            context: p.next.context,
          })),
        ),
      ],
    );
    // TypeORM hands back [rows, affected] for an UPDATE ... RETURNING.
    const rows = (Array.isArray(raw[0]) ? raw[0] : raw) as CustomerRow[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** New mappings for created and domain-matched rows; one missing means a writer outside sync raced us. */
  private async linkExternalIds(plans: Planned[], created: Map<string, CustomerRow>) {
    const links: { externalId: string; customerId: string }[] = [];
    for (const p of plans) {
      if (p.kind === 'create' && created.has(p.id)) links.push({ externalId: p.row.externalId, customerId: p.id });
      if ((p.kind === 'update' || p.kind === 'keep') && p.link) links.push({ externalId: p.row.externalId, customerId: p.customer.id });
    }
    if (links.length === 0) return;
    const inserted: unknown[] = await this.manager.query(
      `INSERT INTO accounts.customer_external_ids (system, external_id, customer_id, partner_id)
       SELECT $1, x.e, x.c, $4::uuid FROM unnest($2::text[], $3::uuid[]) AS x(e, c)
       ON CONFLICT (system, external_id) DO NOTHING RETURNING 1`,
      [this.system, links.map((l) => l.externalId), links.map((l) => l.customerId), this.writer],
    );
    if (inserted.length !== links.length) throw new RoundRace('external id linked concurrently');
  }

  /** Returns the customers for which a new claim was recorded (an existing open claim is not repeated). */
  private async recordClaims(plans: Extract<Planned, { kind: 'claim' }>[]): Promise<Set<string>> {
    if (plans.length === 0) return new Set();
    // As the hub: a claim is for internal review and names the owner, whom the claimant
    // may not see (the claims table is internal-only).
    const rows: { id: string; customer_id: string; owner_partner_id: string | null; external_id: string; created_at: Date }[] = await asHub(this.manager, () =>
      this.manager.query(
        `INSERT INTO accounts.customer_ownership_claims (customer_id, claimant_partner_id, owner_partner_id, system, external_id)
         SELECT x.c, $1::uuid, x.o, $2, x.e FROM unnest($3::uuid[], $4::uuid[], $5::text[]) AS x(c, o, e)
         ON CONFLICT (customer_id, claimant_partner_id) DO NOTHING
         RETURNING id, customer_id, owner_partner_id, external_id, created_at`,
        [this.writer, this.system, plans.map((p) => p.customer.id), plans.map((p) => p.customer.owner_partner_id), plans.map((p) => p.row.externalId)],
      ),
    );
    await appendEvents(
      this.manager,
      rows.map((r) => ({
        type: CUSTOMER_OWNERSHIP_CLAIMED,
        source: 'accounts',
        aggregateType: 'Customer',
        aggregateId: r.customer_id,
        payload: {
          claim: {
            id: r.id,
            customerId: r.customer_id,
            claimantPartnerId: this.writer,
            ownerPartnerId: r.owner_partner_id,
            system: this.system,
            externalId: r.external_id,
            at: new Date(r.created_at).toISOString(),
          },
        },
        // Internal teams resolve claims; neither partner sees the other's interest.
        visibleTo: [],
        actor: this.identity,
      })),
    );
    return new Set(rows.map((r) => r.customer_id));
  }
}

const mergeCustomerContextDefaults = (c: MergeableFields['context'] | Partial<MergeableFields['context']> | undefined): MergeableFields['context'] => ({
  goals: c?.goals ?? [],
  painPoints: c?.painPoints ?? [],
  currentSolution: c?.currentSolution ?? null,
  timeline: c?.timeline ?? null,
  budget: c?.budget ?? null,
  notes: c?.notes ?? null,
});
