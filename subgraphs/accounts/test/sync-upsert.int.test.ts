import type { DataSource } from 'typeorm';
import type { Identity } from '../../../shared/auth/identity';
import { openDataSource } from '../../../shared/db/data-source';
import { withTenant } from '../../../shared/db/tenant-context';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity, partnerIdentity } from '../../../test/support/subgraph-client';
import { createAccountsDataSource } from '../src/data-source';
import { Region, Segment } from '../src/entities/enums';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../src/seed';
import { UpsertOutcome } from '../src/sync/upsert-result.types';
import type { UpsertCustomerInput } from '../src/sync/upsert.inputs';
import { upsertCustomers } from '../src/sync/upsert.service';
import { seedAccounts } from '../src/seed';

const id = (key: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(key))!.id;
const ACME = partnerIdentity(id('acme'));
const GLOBEX = partnerIdentity(id('globex'));
const INTERNAL = internalIdentity(id('revops'));
const acmeCustomer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === ACME.partnerId)!;

const row = (externalId: string, more: Partial<UpsertCustomerInput> = {}): UpsertCustomerInput =>
  ({
    externalId,
    name: `Company ${externalId}`,
    domain: `${externalId.toLowerCase()}.example.com`,
    segment: Segment.SMB,
    region: Region.NA,
    ...more,
  }) as UpsertCustomerInput;

describe('upsertCustomers (bulk sync)', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createAccountsDataSource(database.url, 6));
    await seedAccounts(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  // As the server runs a request: as the caller's tenant, so row-level security applies.
  const upsertAs = (who: Identity, system: string, input: UpsertCustomerInput[]) => withTenant(who, () => upsertCustomers(db, who, system, input));
  const eventCount = async () => Number((await db.query(`SELECT count(*) AS n FROM eventlog.events`))[0].n);

  it('creates unknown rows owned by the caller, with events, and changes nothing when the same batch comes again', async () => {
    const batch = [row('C-1'), row('C-2', { contacts: [{ name: 'Ann', email: 'ann@c-2.example.com' }] as never }), row('C-3', { domain: null })];
    const before = await eventCount();
    const first = await upsertAs(ACME, 'acme-crm', batch);
    expect(first.rows.map((r) => r.outcome)).toEqual([UpsertOutcome.CREATED, UpsertOutcome.CREATED, UpsertOutcome.CREATED]);
    expect(first.created).toBe(3);
    const ids = first.rows.map((r) => r.customerId!);
    const owners: { owner_partner_id: string; kind: string }[] = await db.query(
      `SELECT c.owner_partner_id, a.kind FROM accounts.customers c JOIN accounts.customer_access a ON a.customer_id = c.id WHERE c.id = ANY($1)`,
      [ids],
    );
    expect(owners).toHaveLength(3);
    expect(owners.every((o) => o.owner_partner_id === ACME.partnerId && o.kind === 'OWNER')).toBe(true);
    const events: { type: string; visible_to: string[] }[] = await db.query(`SELECT type, visible_to FROM eventlog.events WHERE aggregate_id = ANY($1)`, [ids]);
    expect(events.map((e) => e.type)).toEqual(['CustomerCreated', 'CustomerCreated', 'CustomerCreated']);
    expect(events.every((e) => e.visible_to.length === 1 && e.visible_to[0] === ACME.partnerId)).toBe(true);
    expect(await eventCount()).toBe(before + 3);

    const again = await upsertAs(ACME, 'acme-crm', batch);
    expect(again.rows.map((r) => r.outcome)).toEqual([UpsertOutcome.UNCHANGED, UpsertOutcome.UNCHANGED, UpsertOutcome.UNCHANGED]);
    expect(again.rows.map((r) => r.customerId)).toEqual(ids);
    expect(again.rows.map((r) => r.version)).toEqual([1, 1, 1]);
    expect(await eventCount()).toBe(before + 3);
  });

  it('updates by external id (UPDATED, version moves, CustomerUpdated names the fields)', async () => {
    const res = await upsertAs(ACME, 'acme-crm', [row('C-1', { name: 'Company C-1 Renamed' })]);
    expect(res.rows[0]).toMatchObject({ outcome: UpsertOutcome.UPDATED, matchedBy: 'EXTERNAL_ID', changedFields: ['name'], version: 2 });
    const [event] = await db.query(`SELECT payload FROM eventlog.events WHERE aggregate_id = $1 AND type = 'CustomerUpdated'`, [res.rows[0]!.customerId]);
    expect(event.payload.changed).toEqual(['name']);
    expect(event.payload.customer.name).toBe('Company C-1 Renamed');
  });

  it('matches an existing record by normalized domain and links the external id (MATCHED)', async () => {
    const res = await upsertAs(ACME, 'acme-erp', [
      { externalId: 'ERP-9', domain: `https://www.${acmeCustomer.domain.toUpperCase()}/about` } as UpsertCustomerInput,
    ]);
    expect(res.rows[0]).toMatchObject({ outcome: UpsertOutcome.MATCHED, matchedBy: 'DOMAIN', customerId: acmeCustomer.id });
    const [link] = await db.query(`SELECT customer_id FROM accounts.customer_external_ids WHERE system = 'acme-erp' AND external_id = 'ERP-9'`);
    expect(link.customer_id).toBe(acmeCustomer.id);
    const again = await upsertAs(ACME, 'acme-erp', [{ externalId: 'ERP-9', domain: acmeCustomer.domain } as UpsertCustomerInput]);
    expect(again.rows[0]?.outcome).toBe(UpsertOutcome.UNCHANGED);
  });

  it('records an ownership claim, without touching the record or revealing it, when another partner registers the same company', async () => {
    const [before] = await db.query(`SELECT name, version FROM accounts.customers WHERE id = $1`, [acmeCustomer.id]);
    const res = await upsertAs(GLOBEX, 'globex-crm', [
      { externalId: 'G-1', name: 'Contoso (Globex view)', domain: acmeCustomer.domain, segment: Segment.SMB, region: Region.EMEA } as UpsertCustomerInput,
    ]);
    expect(res.rows[0]).toMatchObject({ outcome: UpsertOutcome.CONFLICT, reasonCode: 'OWNERSHIP_CLAIMED', customerId: null, version: null, current: null });
    const [after] = await db.query(`SELECT name, version FROM accounts.customers WHERE id = $1`, [acmeCustomer.id]);
    expect(after).toEqual(before);
    const claims = await db.query(
      `SELECT claimant_partner_id, owner_partner_id, system, external_id FROM accounts.customer_ownership_claims WHERE customer_id = $1`,
      [acmeCustomer.id],
    );
    expect(claims).toEqual([{ claimant_partner_id: GLOBEX.partnerId, owner_partner_id: ACME.partnerId, system: 'globex-crm', external_id: 'G-1' }]);
    const links = await db.query(`SELECT 1 FROM accounts.customer_external_ids WHERE system = 'globex-crm'`);
    expect(links).toHaveLength(0);
    const [claimEvent] = await db.query(`SELECT visible_to FROM eventlog.events WHERE type = 'CustomerOwnershipClaimed' AND aggregate_id = $1`, [
      acmeCustomer.id,
    ]);
    expect(claimEvent.visible_to).toEqual([]);
    // Replaying it records nothing new.
    const again = await upsertAs(GLOBEX, 'globex-crm', [{ externalId: 'G-1', domain: acmeCustomer.domain } as UpsertCustomerInput]);
    expect(again.rows[0]).toMatchObject({ outcome: UpsertOutcome.CONFLICT, reasonCode: 'OWNERSHIP_CLAIMED' });
    expect(await db.query(`SELECT 1 FROM accounts.customer_ownership_claims WHERE customer_id = $1`, [acmeCustomer.id])).toHaveLength(1);
  });

  it('refuses a stale expectedVersion with the current values (CONFLICT STALE_VERSION)', async () => {
    const res = await upsertAs(ACME, 'acme-crm', [row('C-1', { name: 'Lost update', expectedVersion: 1 })]);
    expect(res.rows[0]).toMatchObject({ outcome: UpsertOutcome.CONFLICT, reasonCode: 'STALE_VERSION', version: 2 });
    expect(res.rows[0]?.current).toMatchObject({ name: 'Company C-1 Renamed', version: 2 });
    const ok = await upsertAs(ACME, 'acme-crm', [row('C-1', { name: 'Applied on 2', expectedVersion: 2 })]);
    expect(ok.rows[0]).toMatchObject({ outcome: UpsertOutcome.UPDATED, version: 3 });
  });

  it('marks bad rows INVALID with the fields at fault and applies the rest of the batch', async () => {
    const res = await upsertAs(ACME, 'acme-crm', [
      row('OK-1'),
      row('BAD-DOMAIN', { domain: 'not a domain' }),
      { externalId: 'NO-NAME', segment: Segment.SMB, region: Region.NA } as UpsertCustomerInput,
      row('OK-1', { name: 'dup' }),
      row('  ', { domain: null }),
      row('BAD-EMAIL', { contacts: [{ name: 'X', email: 'not-an-email' }] as never }),
      row('OK-2'),
    ]);
    expect(res.rows.map((r) => r.outcome)).toEqual([
      UpsertOutcome.CREATED,
      UpsertOutcome.INVALID,
      UpsertOutcome.INVALID,
      UpsertOutcome.INVALID,
      UpsertOutcome.INVALID,
      UpsertOutcome.INVALID,
      UpsertOutcome.CREATED,
    ]);
    expect(res.rows[1]?.invalidFields).toEqual(['input[1].domain']);
    expect(res.rows[2]?.invalidFields).toEqual(['input[2].name']);
    expect(res.rows[3]?.reason).toMatch(/repeats input\[0\]/);
    expect(res.rows[4]?.invalidFields).toEqual(['input[4].externalId']);
    expect(res.rows[5]?.invalidFields).toEqual(['input[5].contacts[0].email']);
    expect(res.invalid).toBe(5);
    expect(res.created).toBe(2);
    const written = await db.query(
      `SELECT external_id FROM accounts.customer_external_ids WHERE system = 'acme-crm' AND external_id IN ('BAD-DOMAIN', 'NO-NAME', 'BAD-EMAIL')`,
    );
    expect(written).toEqual([]);
  });

  it('refuses more than 1,000 rows and a blank system as BAD_USER_INPUT', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => row(`M-${i}`));
    await expect(upsertAs(ACME, 'acme-crm', many)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input' }] } });
    await expect(upsertAs(ACME, ' ', [row('X')])).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'system' }] } });
  });

  it('applies the field-level merge rules: collaborators add knowledge, contacts and goals merge, nothing is erased', async () => {
    const created = await upsertAs(ACME, 'acme-crm', [
      row('MERGE-1', {
        contacts: [{ name: 'Ann', email: 'ann@merge.example.com', role: 'champion' }] as never,
        context: { goals: ['Grow'], painPoints: [] } as never,
      }),
    ]);
    const customerId = created.rows[0]!.customerId!;
    await db.query(`INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'COLLABORATOR')`, [customerId, GLOBEX.partnerId]);
    const res = await upsertAs(GLOBEX, 'globex-crm', [
      {
        externalId: 'GM-1',
        domain: 'merge-1.example.com',
        name: 'Collaborator rename',
        lifecycleStage: 'CHURNED',
        contacts: [{ name: 'Ann A.', email: 'ANN@merge.example.com', phone: '+1 555' }, { name: 'Bob' }],
        context: { goals: ['grow', 'Cut costs'], painPoints: ['Slow onboarding'], notes: 'From Globex' },
      } as never,
    ]);
    expect(res.rows[0]).toMatchObject({ outcome: UpsertOutcome.UPDATED, matchedBy: 'DOMAIN', customerId, version: 2 });
    expect(res.rows[0]?.changedFields.sort()).toEqual(['contacts', 'context']);
    expect(res.rows[0]?.ignoredFields.sort()).toEqual(['lifecycleStage', 'name']);
    const [c] = await db.query(`SELECT name, lifecycle_stage, contacts, context FROM accounts.customers WHERE id = $1`, [customerId]);
    expect(c.name).toBe('Company MERGE-1');
    expect(c.lifecycle_stage).toBe('LEAD');
    expect(c.contacts).toEqual([
      { name: 'Ann A.', email: 'ANN@merge.example.com', role: 'champion', phone: '+1 555' },
      { name: 'Bob', email: null, role: null, phone: null },
    ]);
    expect(c.context.goals).toEqual(['Grow', 'Cut costs']);
    expect(c.context.painPoints).toEqual(['Slow onboarding']);
    expect(c.context.notes).toBe('From Globex');
  });

  it('answers CONFLICT NO_ACCESS, revealing nothing, when an external id points to a customer handed away', async () => {
    const created = await upsertAs(ACME, 'acme-crm', [row('MOVED-1')]);
    const customerId = created.rows[0]!.customerId!;
    await db.query(`UPDATE accounts.customer_access SET partner_id = $2 WHERE customer_id = $1`, [customerId, GLOBEX.partnerId]);
    await db.query(`UPDATE accounts.customers SET owner_partner_id = $2 WHERE id = $1`, [customerId, GLOBEX.partnerId]);
    const res = await upsertAs(ACME, 'acme-crm', [row('MOVED-1', { name: 'Should not land' })]);
    expect(res.rows[0]).toMatchObject({ outcome: UpsertOutcome.CONFLICT, reasonCode: 'NO_ACCESS', customerId: null, current: null });
    const [c] = await db.query(`SELECT name FROM accounts.customers WHERE id = $1`, [customerId]);
    expect(c.name).toBe('Company MOVED-1');
  });

  it('lets internal callers write any record and create unowned ones', async () => {
    const res = await upsertAs(INTERNAL, 'hq-mdm', [
      row('HQ-1'),
      { externalId: 'HQ-2', domain: acmeCustomer.domain, segment: Segment.STRATEGIC } as UpsertCustomerInput,
    ]);
    expect(res.rows[0]?.outcome).toBe(UpsertOutcome.CREATED);
    expect(res.rows[1]).toMatchObject({ outcome: UpsertOutcome.UPDATED, customerId: acmeCustomer.id, changedFields: ['segment'] });
    const [c] = await db.query(`SELECT owner_partner_id FROM accounts.customers WHERE id = $1`, [res.rows[0]!.customerId]);
    expect(c.owner_partner_id).toBeNull();
  });

  it('settles rows of one batch that share a domain on one record', async () => {
    const res = await upsertAs(ACME, 'acme-crm', [
      row('SAME-1', { domain: 'same.example.com' }),
      row('SAME-2', { domain: 'www.same.example.com', name: 'Second name' }),
    ]);
    expect(res.rows.map((r) => r.outcome)).toEqual([UpsertOutcome.CREATED, UpsertOutcome.UPDATED]);
    expect(res.rows[0]?.customerId).toBe(res.rows[1]!.customerId);
    expect(res.rows[1]?.matchedBy).toBe('DOMAIN');
  });

  it('never half-writes a row when a writer outside sync races it: the round is rolled back and redone', async () => {
    // Another transaction links the same external id (to an Acme customer) and commits while the batch runs.
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`INSERT INTO accounts.customer_external_ids (system, external_id, customer_id, partner_id) VALUES ('acme-crm', 'RACE-1', $1, $2)`, [
      acmeCustomer.id,
      ACME.partnerId,
    ]);
    const pending = upsertAs(ACME, 'acme-crm', [row('RACE-1', { domain: 'race-one.example.com', name: 'Racing Co' }), row('RACER-2')]);
    // Wait until the batch is blocked on that uncommitted link, i.e. it planned a create for RACE-1.
    let blocked = false;
    for (let i = 0; i < 200 && !blocked; i++) {
      const waiting = await db.query(
        `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO accounts.customer_external_ids%'`,
      );
      blocked = waiting.length > 0;
      if (!blocked) await new Promise((r) => setTimeout(r, 25));
    }
    expect(blocked).toBe(true);
    await runner.commitTransaction();
    await runner.release();
    const res = await pending;
    expect(res.rows[0]).toMatchObject({ outcome: UpsertOutcome.UPDATED, matchedBy: 'EXTERNAL_ID', customerId: acmeCustomer.id });
    expect(res.rows[1]?.outcome).toBe(UpsertOutcome.CREATED);
    // The customer planned for RACE-1 before the race was rolled back with its round.
    expect(await db.query(`SELECT 1 FROM accounts.customers WHERE name = 'Racing Co' AND id <> $1`, [acmeCustomer.id])).toEqual([]);
  });

  it('ends with one record per company when two partners sync the same domains at the same time', async () => {
    const domains = Array.from({ length: 150 }, (_, i) => `race-${i}.example.com`);
    // Overlapping, in opposite orders: the lock order must not depend on input order.
    const a = domains.slice(0, 120).map((d, i) => row(`A-${i}`, { domain: d }));
    const b = domains
      .slice(30)
      .reverse()
      .map((d, i) => row(`B-${i}`, { domain: d }));
    const [ra, rb] = await Promise.all([upsertAs(ACME, 'acme-crm', a), upsertAs(GLOBEX, 'globex-crm', b)]);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM accounts.customers WHERE domain = ANY($1)`, [domains]);
    expect(n).toBe(150);
    const created = ra.created + rb.created;
    expect(created).toBe(150);
    const conflicts = [...ra.rows, ...rb.rows].filter((r) => r.outcome === UpsertOutcome.CONFLICT);
    expect(conflicts).toHaveLength(90);
    expect(conflicts.every((r) => r.reasonCode === 'OWNERSHIP_CLAIMED')).toBe(true);
    const [{ claims }] = await db.query(
      `SELECT count(*)::int AS claims FROM accounts.customer_ownership_claims k JOIN accounts.customers c ON c.id = k.customer_id WHERE c.domain = ANY($1)`,
      [domains],
    );
    expect(claims).toBe(90);
  });
});
