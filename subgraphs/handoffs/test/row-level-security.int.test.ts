import type { Identity } from '../../../shared/auth/identity';
import { withTenant } from '../../../shared/db/tenant-context';
import type { Handoff } from '../src/entities/handoff.entity';
import { RoutingStrategy } from '../src/entities/routing.entity';
import { DEFAULT_JOURNEY_CONFIG, issueCustomerJourneyLink } from '../src/services/customer-journey-link.service';
import { proposeHandoff } from '../src/services/propose.service';
import { setRoutingRule } from '../src/services/routing/rules.service';
import { completeTask } from '../src/services/task.service';
import { acceptHandoff, cancelHandoff, completeHandoff, holdHandoff, rejectHandoff, resumeHandoff } from '../src/services/transition.service';
import { asInternal, asPartner, proposal, publish, startHandoffsFixture, type HandoffsFixture } from './fixture';
import { present } from '../../../test/support/present';

/**
 * The database half of "partner isolation, enforced twice" for handoffs: with a session set
 * to a partner, a bare statement with no WHERE clause reads only that partner's rows, and a
 * write the partner may not make fails (42501) or touches nothing — whatever a resolver does.
 * The fixtures are written through the services as their callers, so every legitimate write
 * also passes the policies.
 */
describe('handoffs row-level security', () => {
  let f: HandoffsFixture;
  /** Customers owned by A, B, C at the start; cA2 stays with A and has no handoff. */
  let cA: string, cB: string, cC: string, cA2: string;
  /** h1: A → B on cA, ACCEPTED (B owns cA, A collaborates). h2: C → A on cC, PROPOSED. */
  let h1: Handoff, h2: Handoff;
  const none: Identity = { role: 'PARTNER', scopes: [] };
  const A = () => asPartner(f.A);
  const B = () => asPartner(f.B);
  const C = () => asPartner(f.C);
  const I = () => asInternal(f.I);

  /** Runs `fn` as `identity`, exactly as the subgraph server runs a request. */
  const as = <T>(identity: Identity, fn: () => Promise<T>): Promise<T> => withTenant(identity, fn);
  const sql = (identity: Identity, statement: string, params: unknown[] = []) => as(identity, () => f.db.query(statement, params));
  const column = async (identity: Identity, statement: string): Promise<string[]> =>
    ((await sql(identity, statement)) as { v: string }[]).map((r) => r.v).sort();
  /** Rows an UPDATE or DELETE touched (TypeORM answers [rows, count]). */
  const affected = async (identity: Identity, statement: string, params: unknown[] = []): Promise<number> => (await sql(identity, statement, params))[1];
  const refused = (identity: Identity, statement: string, params: unknown[] = []) =>
    expect(sql(identity, statement, params)).rejects.toMatchObject({ code: '42501' });

  const insertHandoff = (customer: string, from: string | null, to: string, proposedBy: string | null, state = 'PROPOSED'): [string, unknown[]] => [
    `INSERT INTO handoffs.handoffs (customer_id, customer_name, moment, state, from_partner_id, to_partner_id, proposed_by_partner_id,
                                    context_package, customer_message, required_data_complete)
     VALUES ($1, 'x', 'MQL_TO_SQL', $5, $2, $3, $4, '{}', 'x', true)`,
    [customer, from, to, proposedBy, state],
  ];

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I);
    [cA, cB, cC, cA2] = [await f.customer(f.A, 'A1'), await f.customer(f.B, 'B1'), await f.customer(f.C, 'C1'), await f.customer(f.A, 'A2')];
    h1 = await as(A(), () => proposeHandoff(f.db, A(), proposal(cA, f.B), 'key-a'));
    await as(B(), () => acceptHandoff(f.db, B(), h1.id));
    h2 = await as(C(), () => proposeHandoff(f.db, C(), proposal(cC, f.A), 'key-c'));
    // As the hub, like the people projection: one person each at A, B and C.
    for (const [partner, role] of [
      [f.A, 'SALES_REP'],
      [f.B, 'ONBOARDING_LEAD'],
      [f.C, 'ADMIN'],
    ]) {
      await f.db.query(`INSERT INTO handoffs.people (id, partner_id, role, status, updated_at) VALUES (gen_random_uuid(), $1, $2, 'ACTIVE', now())`, [
        partner,
        role,
      ]);
    }
  });
  afterAll(() => f?.stop());

  it('is enabled and forced on every handoffs table, with a policy for every command', async () => {
    const rows: { name: string; enabled: boolean; forced: boolean; commands: string[] }[] = await f.db.query(
      `SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              ARRAY(SELECT DISTINCT p.polcmd::text FROM pg_policy p WHERE p.polrelid = c.oid ORDER BY 1) AS commands
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'handoffs' AND c.relkind IN ('r', 'p') AND c.relname <> 'migrations' ORDER BY 1`,
    );
    expect(rows.map((r) => r.name)).toEqual([
      'customer_access',
      'customer_journey_links',
      'customers',
      'exchange_rate_settings',
      'exchange_rates',
      'handoff_dues',
      'handoff_sla_breaches',
      'handoff_sla_clocks',
      'handoffs',
      'idempotency_keys',
      'ownership_changes',
      'partners',
      'people',
      'playbooks',
      'routing_feedback',
      'routing_rotations',
      'routing_rule_versions',
      'routing_rules',
      'routing_stats_daily',
      'stage_limits',
      'tasks',
    ]);
    for (const r of rows) {
      expect({ table: r.name, enabled: r.enabled, forced: r.forced }).toEqual({ table: r.name, enabled: true, forced: true });
      // '*' = one policy for all commands (idempotency_keys); otherwise r, a, w, d.
      expect([['*'], ['a', 'd', 'r', 'w']]).toContainEqual(r.commands);
    }
  });

  describe('a bare SELECT (no WHERE) returns only what the caller may see', () => {
    const TABLES = {
      customers: `SELECT id::text AS v FROM handoffs.customers`,
      handoffs: `SELECT id::text AS v FROM handoffs.handoffs`,
      customer_access: `SELECT customer_id || ' ' || partner_id || ' ' || kind AS v FROM handoffs.customer_access`,
      ownership_changes: `SELECT customer_id || ' ' || coalesce(from_partner_id::text, '-') || ' ' || to_partner_id AS v FROM handoffs.ownership_changes`,
      tasks: `SELECT handoff_id || ' ' || assignee_partner_id AS v FROM handoffs.tasks`,
      idempotency_keys: `SELECT key AS v FROM handoffs.idempotency_keys`,
      people: `SELECT partner_id || ' ' || role AS v FROM handoffs.people`,
    } satisfies Record<string, string>;
    const grant = (customer: string, partner: string, kind: string) => `${customer} ${partner} ${kind}`;

    it('customers: owned, collaborated on, or named on one of its handoffs', async () => {
      expect(await column(A(), TABLES.customers)).toEqual([cA, cA2, cC].sort()); // collaborator, owner, receiver of h2
      expect(await column(B(), TABLES.customers)).toEqual([cA, cB].sort());
      expect(await column(C(), TABLES.customers)).toEqual([cC]);
    });

    it('handoffs: the ones it sent or received', async () => {
      expect(await column(A(), TABLES.handoffs)).toEqual([h1.id, h2.id].sort());
      expect(await column(B(), TABLES.handoffs)).toEqual([h1.id]);
      expect(await column(C(), TABLES.handoffs)).toEqual([h2.id]);
    });

    it('customer_access: its own grants, and while its accept is open, the grant of the partner that handed the customer on', async () => {
      expect(await column(A(), TABLES.customer_access)).toEqual([grant(cA, f.A, 'COLLABORATOR'), grant(cA2, f.A, 'OWNER')].sort());
      expect(await column(B(), TABLES.customer_access)).toEqual([grant(cA, f.A, 'COLLABORATOR'), grant(cA, f.B, 'OWNER'), grant(cB, f.B, 'OWNER')].sort());
      expect(await column(C(), TABLES.customer_access)).toEqual([grant(cC, f.C, 'OWNER')]);
    });

    it('ownership_changes: the history of customers it holds a grant on; a receiver before accepting sees none', async () => {
      const change = `${cA} ${f.A} ${f.B}`;
      expect(await column(A(), TABLES.ownership_changes)).toEqual([change]);
      expect(await column(B(), TABLES.ownership_changes)).toEqual([change]);
      expect(await column(C(), TABLES.ownership_changes)).toEqual([]);
    });

    it('tasks: those of its handoffs (sender and receiver alike)', async () => {
      const tasks = [`${h1.id} ${f.B}`, `${h1.id} ${f.B}`];
      expect(await column(A(), TABLES.tasks)).toEqual(tasks);
      expect(await column(B(), TABLES.tasks)).toEqual(tasks);
      expect(await column(C(), TABLES.tasks)).toEqual([]);
    });

    it('idempotency_keys: its own', async () => {
      expect(await column(A(), TABLES.idempotency_keys)).toEqual(['key-a']);
      expect(await column(B(), TABLES.idempotency_keys)).toEqual([]);
      expect(await column(C(), TABLES.idempotency_keys)).toEqual(['key-c']);
    });

    it('people: a partner sees its own people only, and writes none (the projection does)', async () => {
      expect(await column(A(), TABLES.people)).toEqual([`${f.A} SALES_REP`]);
      expect(await column(B(), TABLES.people)).toEqual([`${f.B} ONBOARDING_LEAD`]);
      await refused(A(), `INSERT INTO handoffs.people (id, partner_id, role, status, updated_at) VALUES (gen_random_uuid(), $1, 'ADMIN', 'ACTIVE', now())`, [
        f.A,
      ]);
      expect(await affected(A(), `UPDATE handoffs.people SET status = 'DEACTIVATED'`)).toBe(0);
      expect(await affected(A(), `DELETE FROM handoffs.people`)).toBe(0);
      expect(await column(I(), `SELECT status AS v FROM handoffs.people`)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    });

    it('internal teams see every row, as the hub does; a session with no tenant sees none', async () => {
      for (const [table, statement] of Object.entries(TABLES)) {
        // Outside any request: the hub itself (tenant system).
        const all = ((await f.db.query(statement)) as { v: string }[]).map((r) => r.v).sort();
        expect({ table, rows: await column(I(), statement) }).toEqual({ table, rows: all });
        expect({ table, rows: await column(none, statement) }).toEqual({ table, rows: [] });
      }
      // Both partners' rows are there, so the partner views above are filtered, not empty.
      expect(await column(I(), TABLES.customers)).toEqual(expect.arrayContaining([cA, cB, cC, cA2]));
      expect(await column(I(), TABLES.handoffs)).toEqual([h1.id, h2.id].sort());
    });
  });

  it('lets every caller read the reference data (partner directory, playbooks), and only the hub or internal teams write it', async () => {
    for (const who of [A(), C(), I()]) {
      expect(await column(who, `SELECT id::text AS v FROM handoffs.partners`)).toEqual([f.A, f.B, f.C, f.I].sort());
      expect(await column(who, `SELECT name AS v FROM handoffs.playbooks`)).toEqual(['Closed-won to onboarding']);
    }
    // A session with no tenant (a raw connection) reads nothing at all, reference data included.
    expect(await column(none, `SELECT id::text AS v FROM handoffs.partners`)).toEqual([]);
    expect(await column(none, `SELECT name AS v FROM handoffs.playbooks`)).toEqual([]);
    await refused(A(), `INSERT INTO handoffs.partners (id, name, kind, tier, region) VALUES (gen_random_uuid(), 'Rogue', 'RESELLER', 'GOLD', 'NA')`);
    await refused(I(), `INSERT INTO handoffs.partners (id, name, kind, tier, region) VALUES (gen_random_uuid(), 'Rogue', 'RESELLER', 'GOLD', 'NA')`);
    expect(await affected(A(), `UPDATE handoffs.partners SET status = 'SUSPENDED'`)).toBe(0);
    expect(await affected(A(), `DELETE FROM handoffs.partners`)).toBe(0);
    await refused(
      A(),
      `INSERT INTO handoffs.playbooks (moment, moment_key, version, name, responsible_role) VALUES ('MQL_TO_SQL', 'MQL_TO_SQL', 99, 'Rogue', 'x')`,
    );
    expect(await affected(A(), `UPDATE handoffs.playbooks SET name = 'Rogue'`)).toBe(0);
    expect(await affected(I(), `UPDATE handoffs.playbooks SET name = 'Rogue'`)).toBe(0); // versions are never rewritten
  });

  describe('refuses what a partner may not write, even as raw SQL', () => {
    it('handoffs: only of a customer it owns, as its sender, PROPOSED', async () => {
      await refused(A(), ...insertHandoff(cB, f.A, f.C, f.A)); // not A's customer
      await refused(A(), ...insertHandoff(cA2, f.B, f.C, f.A)); // naming another sender
      await refused(A(), ...insertHandoff(cA2, f.A, f.C, f.A, 'ACCEPTED'));
      await refused(A(), ...insertHandoff(cA2, f.A, f.C, null));
    });

    it('handoffs: a party moves it only as its role allows, never changes its terms; others touch nothing', async () => {
      await refused(C(), `UPDATE handoffs.handoffs SET state = 'ACCEPTED', accepted_at = now() WHERE id = $1`, [h2.id]); // the sender
      await refused(A(), `UPDATE handoffs.handoffs SET state = 'EXPIRED' WHERE id = $1`, [h2.id]); // only the hub expires
      await refused(A(), `UPDATE handoffs.handoffs SET state = 'CANCELLED' WHERE id = $1`, [h2.id]); // the receiver rejects instead
      await refused(A(), `UPDATE handoffs.handoffs SET customer_message = 'changed' WHERE id = $1`, [h2.id]);
      await refused(A(), `UPDATE handoffs.handoffs SET to_partner_id = $2 WHERE id = $1`, [h2.id, f.B]);
      expect(await affected(B(), `UPDATE handoffs.handoffs SET on_hold = true WHERE id = $1`, [h2.id])).toBe(0);
      expect(await affected(A(), `DELETE FROM handoffs.handoffs`)).toBe(0);
      expect(await column(I(), `SELECT state || ' ' || on_hold || ' ' || customer_message AS v FROM handoffs.handoffs WHERE id = '${h2.id}'`)).toEqual([
        `PROPOSED false ${h2.customerMessage}`,
      ]);
    });

    it("customers: only a receiver's accept moves the owner, to itself; no request rewrites the projection", async () => {
      await refused(A(), `INSERT INTO handoffs.customers (id, name) VALUES (gen_random_uuid(), 'Rogue')`);
      expect(await affected(C(), `UPDATE handoffs.customers SET owner_partner_id = $2 WHERE id = $1`, [cA, f.C])).toBe(0); // hidden from C
      await refused(A(), `UPDATE handoffs.customers SET owner_partner_id = $2 WHERE id = $1`, [cA, f.A]); // a collaborator
      await refused(A(), `UPDATE handoffs.customers SET owner_partner_id = $2 WHERE id = $1`, [cC, f.A]); // a receiver that has not accepted
      await refused(B(), `UPDATE handoffs.customers SET name = 'Renamed' WHERE id = $1`, [cA]); // the owner, on accounts' data
      expect(await affected(B(), `DELETE FROM handoffs.customers`)).toBe(0);
      expect(await column(I(), `SELECT name || ' ' || owner_partner_id AS v FROM handoffs.customers WHERE id IN ('${cA}', '${cC}')`)).toEqual(
        [`A1 ${f.B}`, `C1 ${f.C}`].sort(),
      );
    });

    it('customer_access, ownership_changes, tasks, idempotency_keys: no grant, history, task or key it has no part in', async () => {
      await refused(C(), `INSERT INTO handoffs.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER')`, [cA, f.C]);
      await refused(A(), `INSERT INTO handoffs.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER')`, [cC, f.A]);
      await refused(A(), `UPDATE handoffs.customer_access SET kind = 'OWNER' WHERE customer_id = $1 AND partner_id = $2`, [cA, f.A]);
      expect(await affected(C(), `UPDATE handoffs.customer_access SET kind = 'COLLABORATOR' WHERE customer_id = $1`, [cA])).toBe(0);
      expect(await affected(B(), `DELETE FROM handoffs.customer_access`)).toBe(0);

      await refused(
        A(),
        `INSERT INTO handoffs.ownership_changes (customer_id, from_partner_id, to_partner_id, handoff_id, actor_partner_id, reason)
         VALUES ($1, $2, $3, $4, $3, 'HANDOFF_ACCEPTED')`,
        [cC, f.C, f.A, h2.id],
      );

      await refused(C(), `INSERT INTO handoffs.tasks (handoff_id, customer_id, assignee_partner_id, title) VALUES ($1, $2, $3, 'Rogue')`, [h2.id, cC, f.C]);
      await refused(A(), `INSERT INTO handoffs.tasks (handoff_id, customer_id, assignee_partner_id, title) VALUES ($1, $2, $3, 'Rogue')`, [h1.id, cA, f.A]);
      await refused(A(), `UPDATE handoffs.tasks SET status = 'DONE' WHERE handoff_id = $1`, [h1.id]); // the sender, not the assignee
      expect(await affected(C(), `UPDATE handoffs.tasks SET status = 'DONE'`)).toBe(0);
      expect(await affected(B(), `DELETE FROM handoffs.tasks`)).toBe(0);

      await refused(
        A(),
        `INSERT INTO handoffs.idempotency_keys (caller, operation, key, request_hash, result_id) VALUES ($1, 'proposeHandoff', 'k', 'h', 'r')`,
        [f.C],
      );
      expect(await affected(A(), `DELETE FROM handoffs.idempotency_keys WHERE key = 'key-c'`)).toBe(0);
    });
  });

  describe('customer_journey_links: the links of the handoffs a partner is on; written only to issue or revoke one in its own name', () => {
    /** l1: on h1 (A → B), issued by A. l2: on h2 (C → A), issued by C. */
    let l1: string, l2: string;
    const links = `SELECT id::text AS v FROM handoffs.customer_journey_links`;
    const insertLink = (handoff: string, by: string, revoked = false): [string, unknown[]] => [
      `INSERT INTO handoffs.customer_journey_links (id, handoff_id, issued_by_partner_id, issued_at, expires_at, revoked_at, revoked_by_partner_id)
       VALUES (gen_random_uuid(), $1, $2, now(), now() + interval '1 day', ${revoked ? 'now(), $2' : 'NULL, NULL'})`,
      [handoff, by],
    ];
    const opts = { secret: 'rls-test-identity-secret-with-at-least-32-characters', config: DEFAULT_JOURNEY_CONFIG };

    beforeAll(async () => {
      l1 = (await as(A(), () => issueCustomerJourneyLink(f.db, A(), h1.id, 7, opts))).id;
      l2 = (await as(C(), () => issueCustomerJourneyLink(f.db, C(), h2.id, 7, opts))).id;
    });

    it('a bare SELECT returns the links of its handoffs only; internal teams all; no tenant none', async () => {
      expect(await column(A(), links)).toEqual([l1, l2].sort());
      expect(await column(B(), links)).toEqual([l1]);
      expect(await column(C(), links)).toEqual([l2]);
      expect(await column(I(), links)).toEqual(expect.arrayContaining([l1, l2]));
      expect(await column(none, links)).toEqual([]);
    });

    it('refuses a link on a handoff it is not on, in another’s name, or already revoked; a revocation of another’s handoff touches nothing', async () => {
      await refused(B(), ...insertLink(h2.id, f.B)); // not on h2
      await refused(B(), ...insertLink(h1.id, f.A)); // in A's name
      await refused(B(), ...insertLink(h1.id, f.B, true));
      expect(await affected(C(), `UPDATE handoffs.customer_journey_links SET revoked_at = now(), revoked_by_partner_id = $2 WHERE id = $1`, [l1, f.C])).toBe(0);
      await refused(B(), `UPDATE handoffs.customer_journey_links SET revoked_at = now(), revoked_by_partner_id = $2 WHERE id = $1`, [l1, f.A]); // in A's name
      await refused(B(), `UPDATE handoffs.customer_journey_links SET expires_at = now() + interval '1 year' WHERE id = $1`, [l1]); // its terms
      await refused(B(), `UPDATE handoffs.customer_journey_links SET handoff_id = $2 WHERE id = $1`, [l1, h2.id]);
      expect(await affected(B(), `DELETE FROM handoffs.customer_journey_links`)).toBe(0);
      expect(await affected(I(), `DELETE FROM handoffs.customer_journey_links`)).toBe(0); // only the hub itself deletes
      expect(
        await column(I(), `SELECT id || ' ' || coalesce(revoked_at::text, '-') AS v FROM handoffs.customer_journey_links WHERE id IN ('${l1}', '${l2}')`),
      ).toEqual([`${l1} -`, `${l2} -`].sort());
    });

    it('a party revokes a link in its own name, once: a revocation is not undone', async () => {
      expect(await affected(B(), `UPDATE handoffs.customer_journey_links SET revoked_at = now(), revoked_by_partner_id = $2 WHERE id = $1`, [l1, f.B])).toBe(1);
      await refused(B(), `UPDATE handoffs.customer_journey_links SET revoked_at = NULL, revoked_by_partner_id = NULL WHERE id = $1`, [l1]);
      await refused(A(), `UPDATE handoffs.customer_journey_links SET revoked_at = now(), revoked_by_partner_id = $2 WHERE id = $1`, [l1, f.A]);
      expect(await column(I(), `SELECT revoked_by_partner_id::text AS v FROM handoffs.customer_journey_links WHERE id = '${l1}'`)).toEqual([f.B]);
    });
  });

  describe('leaves the API as it was: every legitimate write passes, every answer keeps its code', () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'OK',
        (err: { extensions?: { code?: string } }) => err.extensions?.code ?? String(err),
      );

    it('keeps NOT_FOUND for what the caller may not see and FORBIDDEN for what it may see but not do', async () => {
      expect(await as(B(), () => code(proposeHandoff(f.db, B(), proposal(cC, f.A), null)))).toBe('NOT_FOUND');
      expect(await as(A(), () => code(proposeHandoff(f.db, A(), proposal(cA, f.C), null)))).toBe('FORBIDDEN'); // a collaborator
      expect(await as(C(), () => code(acceptHandoff(f.db, C(), h2.id)))).toBe('FORBIDDEN'); // the sender
      expect(await as(B(), () => code(acceptHandoff(f.db, B(), h2.id)))).toBe('NOT_FOUND');
      const task = present(
        ((await sql(B(), `SELECT id FROM handoffs.tasks WHERE handoff_id = $1 ORDER BY created_at, id`, [h1.id])) as { id: string }[])[0],
        "h1's first task",
      );
      expect(await as(A(), () => code(completeTask(f.db, A(), task.id)))).toBe('FORBIDDEN');
      expect(await as(C(), () => code(completeTask(f.db, C(), task.id)))).toBe('NOT_FOUND');
    });

    it('runs a whole life cycle as its callers: hold, resume, reject, complete, tasks, replays, an internal proposal', async () => {
      await as(A(), () => holdHandoff(f.db, A(), h2.id, 'waiting on the customer'));
      await as(C(), () => resumeHandoff(f.db, C(), h2.id));
      await as(A(), () => rejectHandoff(f.db, A(), h2.id, 'Not our segment'));

      await as(A(), () => holdHandoff(f.db, A(), h1.id, 'the sender pauses an accepted handoff')); // state stays ACCEPTED
      await as(A(), () => resumeHandoff(f.db, A(), h1.id));
      const task = present(
        ((await sql(B(), `SELECT id FROM handoffs.tasks WHERE handoff_id = $1 ORDER BY created_at, id`, [h1.id])) as { id: string }[])[0],
        "h1's first task",
      );
      expect(await as(B(), () => completeTask(f.db, B(), task.id))).toMatchObject({ status: 'DONE' });
      expect(await as(B(), () => completeHandoff(f.db, B(), h1.id, { kickoffDate: '2026-03-02' }))).toMatchObject({ state: 'COMPLETED' });
      // Its accept is over: the receiver no longer sees the grant of the partner it took cA from.
      expect(await column(B(), `SELECT partner_id::text AS v FROM handoffs.customer_access WHERE customer_id = '${cA}'`)).toEqual([f.B]);

      // Back to A, which holds a COLLABORATOR grant: the accept upserts both grants.
      const back = await as(B(), () => proposeHandoff(f.db, B(), proposal(cA, f.A), 'key-b'));
      expect((await as(B(), () => proposeHandoff(f.db, B(), proposal(cA, f.A), 'key-b'))).id).toBe(back.id);
      expect(await as(A(), () => acceptHandoff(f.db, A(), back.id))).toMatchObject({ state: 'ACCEPTED' });
      expect(await column(I(), `SELECT partner_id || ' ' || kind AS v FROM handoffs.customer_access WHERE customer_id = '${cA}'`)).toEqual(
        [`${f.A} OWNER`, `${f.B} COLLABORATOR`].sort(),
      );

      // An internal team proposes for B (tenant internal), the receiver cancels nothing and the sender withdraws.
      const forB = await as(I(), () => proposeHandoff(f.db, I(), proposal(cB, f.C), null));
      expect(forB).toMatchObject({ fromPartnerId: f.B, proposedByPartnerId: f.I });
      expect(await as(C(), () => code(cancelHandoff(f.db, C(), forB.id, 'no')))).toBe('FORBIDDEN');
      expect(await as(B(), () => cancelHandoff(f.db, B(), forB.id, 'Changed our mind'))).toMatchObject({ state: 'CANCELLED' });

      expect(await column(I(), `SELECT id || ' ' || state AS v FROM handoffs.handoffs`)).toEqual(
        [`${h1.id} COMPLETED`, `${h2.id} REJECTED`, `${back.id} ACCEPTED`, `${forB.id} CANCELLED`].sort(),
      );
      expect(await column(I(), `SELECT customer_id || ' ' || to_partner_id AS v FROM handoffs.ownership_changes`)).toEqual(
        [`${cA} ${f.B}`, `${cA} ${f.A}`].sort(),
      );
    });
  });
  describe('routing: internal configuration and figures, never a partner’s to read or write', () => {
    const ROUTING_TABLES = ['routing_rules', 'routing_rule_versions', 'routing_rotations', 'routing_stats_daily', 'routing_feedback'];
    let routed: Handoff;

    beforeAll(async () => {
      await as(I(), () =>
        setRoutingRule(f.db, I(), {
          moment: proposal(cA2, f.C).moment,
          customMoment: null,
          customerSegment: null,
          customerRegion: null,
          currentOwnerKind: null,
          strategies: [RoutingStrategy.CAPACITY, RoutingStrategy.ROUND_ROBIN],
          candidates: [{ partnerId: f.C, weight: 1, regions: [], segments: [], maxOpen: 10, paused: false }],
          rerouteOnReject: true,
          minSample: 10,
          changeNote: null,
        }),
      );
      // A partner's routed proposal reads the rule, counts open handoffs and moves the rotation as the hub.
      routed = await as(A(), () => proposeHandoff(f.db, A(), proposal(cA2, f.B, { toPartnerId: null }), null));
    });

    it('a routed proposal by a partner passes the policies', () => {
      expect(routed).toMatchObject({ toPartnerId: f.C, fromPartnerId: f.A, proposedByPartnerId: f.A });
    });

    it('a bare SELECT returns no routing row to any partner; internal teams read them', async () => {
      for (const table of ROUTING_TABLES) {
        for (const partner of [A(), B(), C()]) expect({ table, rows: await sql(partner, `SELECT * FROM handoffs.${table}`) }).toEqual({ table, rows: [] });
      }
      for (const table of ['routing_rules', 'routing_rule_versions', 'routing_rotations'])
        expect((await sql(I(), `SELECT * FROM handoffs.${table}`)).length).toBe(1);
    });

    it('refuses partners’ writes to rules, the rotation and the figures, and internal writes to the rotation and the figures', async () => {
      await refused(A(), `INSERT INTO handoffs.routing_rules (moment, moment_key) VALUES ('MQL_TO_SQL', 'MQL_TO_SQL')`);
      await refused(
        A(),
        `INSERT INTO handoffs.routing_stats_daily (moment_key, segment, partner_id, day, accepted) VALUES ('MQL_TO_SQL', '', $1, current_date, 99)`,
        [f.A],
      );
      await refused(
        I(),
        `INSERT INTO handoffs.routing_stats_daily (moment_key, segment, partner_id, day, accepted) VALUES ('MQL_TO_SQL', '', $1, current_date, 99)`,
        [f.A],
      );
      expect(await affected(A(), `UPDATE handoffs.routing_rotations SET next_index = 0`)).toBe(0);
      expect(await affected(I(), `UPDATE handoffs.routing_rotations SET next_index = 0`)).toBe(0);
      expect(await affected(A(), `UPDATE handoffs.routing_rules SET current_version = 0`)).toBe(0);
    });

    it('a party may not rewrite how its handoff was routed', async () => {
      await refused(A(), `UPDATE handoffs.handoffs SET routing = NULL WHERE id = $1`, [routed.id]);
      await refused(C(), `UPDATE handoffs.handoffs SET rerouted_from_id = $2 WHERE id = $1`, [routed.id, h1.id]);
    });
  });
  describe('handoff dues: the accountable partner and the suggested receiver, on customers they may see', () => {
    /** d1: B accountable, C suggested, on B's new customer (C does not see it). d2: the reverse. d3: on cB, which C sees (forB named it). */
    let d1: string, d2: string, d3: string;
    const insertDue = async (customer: string, accountable: string, suggested: string): Promise<string> =>
      (
        await f.db.query(
          `INSERT INTO handoffs.handoff_dues (customer_id, moment, moment_key, playbook_id, playbook_version, from_stage, to_stage, cause_event_id,
                                              moved_at, accountable_partner_id, suggested_partner_id, state)
           SELECT $1, p.moment, p.moment_key, p.id, p.version, 'CLOSED_WON', 'ONBOARDING', gen_random_uuid(), now(), $2, $3, 'OPEN'
             FROM handoffs.playbooks p ORDER BY p.version DESC LIMIT 1
           RETURNING id`,
          [customer, accountable, suggested],
        )
      )[0].id;
    const dismissal = `UPDATE handoffs.handoff_dues SET state = 'DISMISSED', dismissed_reason = 'no', dismissed_by_partner_id = $2, closed_at = now() WHERE id = $1`;

    beforeAll(async () => {
      const [cD, cE] = [await f.customer(f.B, 'D1'), await f.customer(f.C, 'E1')];
      [d1, d2, d3] = [await insertDue(cD, f.B, f.C), await insertDue(cE, f.C, f.B), await insertDue(cB, f.B, f.C)];
    });

    it('a bare SELECT returns the dues a partner is accountable for or suggested for, on customers it sees', async () => {
      const DUES = `SELECT id::text AS v FROM handoffs.handoff_dues`;
      expect(await column(A(), DUES)).toEqual([]);
      expect(await column(B(), DUES)).toEqual([d1, d3].sort());
      expect(await column(C(), DUES)).toEqual([d2, d3].sort());
      expect(await column(I(), DUES)).toEqual(expect.arrayContaining([d1, d2, d3]));
    });

    it('a partner neither inserts dues, nor dismisses one it is not accountable for, nor changes anything but its state', async () => {
      await refused(
        B(),
        `INSERT INTO handoffs.handoff_dues (customer_id, moment, moment_key, playbook_id, playbook_version, from_stage, to_stage, cause_event_id, moved_at, state)
         SELECT $1, p.moment, p.moment_key, p.id, p.version, 'LEAD', 'MQL', gen_random_uuid(), now(), 'OPEN' FROM handoffs.playbooks p LIMIT 1`,
        [cB],
      );
      expect(await affected(A(), dismissal, [d1, f.A])).toBe(0); // not visible to A
      await refused(C(), dismissal, [d3, f.C]); // C sees d3 as the suggested receiver, but B is accountable
      await refused(B(), `UPDATE handoffs.handoff_dues SET suggested_partner_id = $2 WHERE id = $1`, [d1, f.B]);
      await refused(B(), `UPDATE handoffs.handoff_dues SET no_route_at = now() WHERE id = $1`, [d3]); // the hub's record of its routing
      await refused(B(), `UPDATE handoffs.handoff_dues SET state = 'PROPOSED', handoff_id = $2, closed_at = now() WHERE id = $1`, [d1, h1.id]); // not B's proposal
      expect(await affected(B(), dismissal, [d1, f.B])).toBe(1);
      await refused(B(), `UPDATE handoffs.handoff_dues SET dismissed_reason = 'changed' WHERE id = $1`, [d1]); // closed
      expect(await affected(B(), `DELETE FROM handoffs.handoff_dues`)).toBe(0);
    });
  });
  describe('ownership gaps: stage limits are reference data internal teams write; SLA breaches are the parties’ to read and the hub’s to write', () => {
    const LIMITS = `SELECT stage || ' ' || max_duration AS v FROM handoffs.stage_limits`;
    const BREACHES = `SELECT handoff_id::text AS v FROM handoffs.handoff_sla_breaches`;
    const insertBreach = `INSERT INTO handoffs.handoff_sla_breaches (clock_id, handoff_id, target, due_at, breached_at, accountable_partner_id, event_id)
      VALUES (gen_random_uuid(), $1, 'ACCEPT', now(), now(), $2, gen_random_uuid())`;

    beforeAll(async () => {
      await as(I(), () => f.db.query(`INSERT INTO handoffs.stage_limits (stage, max_duration, max_age) VALUES ('ACTIVE', 'P30D', '30 days')`));
      // As the sla-clocks consumer writes them (the hub).
      await f.db.query(insertBreach, [h2.id, f.A]);
    });

    it('every caller reads the stage limits; only internal teams write them', async () => {
      for (const partner of [A(), B(), C(), I()]) expect(await column(partner, LIMITS)).toEqual(['ACTIVE P30D']);
      expect(await column(none, LIMITS)).toEqual([]);
      await refused(A(), `INSERT INTO handoffs.stage_limits (stage, max_duration, max_age) VALUES ('LEAD', 'P1D', '1 day')`);
      expect(await affected(A(), `UPDATE handoffs.stage_limits SET max_age = '1 day'`)).toBe(0);
      expect(await affected(A(), `DELETE FROM handoffs.stage_limits`)).toBe(0);
      expect(await affected(I(), `UPDATE handoffs.stage_limits SET max_duration = 'P31D', max_age = '31 days'`)).toBe(1);
    });

    it('a breach is seen by the parties of its handoff only, and written by the hub alone', async () => {
      expect(await column(A(), BREACHES)).toEqual([h2.id]);
      expect(await column(C(), BREACHES)).toEqual([h2.id]);
      expect(await column(B(), BREACHES)).toEqual([]);
      expect(await column(I(), BREACHES)).toEqual([h2.id]);
      await refused(C(), insertBreach, [h2.id, f.C]);
      await refused(I(), insertBreach, [h2.id, f.C]);
      expect(await affected(A(), `UPDATE handoffs.handoff_sla_breaches SET due_at = now()`)).toBe(0);
      expect(await affected(I(), `DELETE FROM handoffs.handoff_sla_breaches`)).toBe(0);
    });

    it('a request never rewrites when a customer entered its stage or lost its owner', async () => {
      const before = (await f.db.query(`SELECT stage_entered_at FROM handoffs.customers WHERE id = $1`, [cA2]))[0].stage_entered_at as Date;
      // A owns cA2 but has no accepted handoff of it: the policy refuses the row.
      await refused(A(), `UPDATE handoffs.customers SET stage_entered_at = now() - interval '400 days' WHERE id = $1`, [cA2]);
      expect((await f.db.query(`SELECT stage_entered_at FROM handoffs.customers WHERE id = $1`, [cA2]))[0].stage_entered_at).toEqual(before);
    });
  });

  describe('money: exchange rates are reference data the hub writes; SLA clock states are the parties’ to read; commercials and values are never a request’s to write', () => {
    const RATES = `SELECT currency || ' ' || rate AS v FROM handoffs.exchange_rates`;
    const CLOCKS = `SELECT handoff_id::text AS v FROM handoffs.handoff_sla_clocks`;
    const insertClock = `INSERT INTO handoffs.handoff_sla_clocks (clock_id, handoff_id, target, state, started_at, due_at, last_event_tx, last_event_seq)
      VALUES (gen_random_uuid(), $1, 'ACCEPT', 'RUNNING', now(), now() + interval '1 hour', 1, 1)`;

    beforeAll(async () => {
      // As the exchange-rates and sla-clocks consumers write them (the hub).
      await f.db.query(`INSERT INTO handoffs.exchange_rate_settings (reporting_currency, version) VALUES ('EUR', 1)`);
      await f.db.query(`INSERT INTO handoffs.exchange_rates (currency, day, rate, version) VALUES ('USD', '2026-12-01', 0.9, 1)`);
      await f.db.query(insertClock, [h2.id]);
    });

    it('every caller reads the rates (a partner’s list ordered by PRIORITY converts with them); no request writes them', async () => {
      for (const partner of [A(), B(), C(), I()]) expect(await column(partner, RATES)).toEqual(['USD 0.9']);
      expect(await column(none, RATES)).toEqual([]);
      await refused(I(), `INSERT INTO handoffs.exchange_rates (currency, day, rate, version) VALUES ('GBP', '2026-12-01', 1.1, 2)`);
      await refused(A(), `INSERT INTO handoffs.exchange_rate_settings (id, reporting_currency, version) VALUES (true, 'USD', 9)`);
      expect(await affected(I(), `UPDATE handoffs.exchange_rates SET rate = 1`)).toBe(0);
      expect(await affected(A(), `UPDATE handoffs.exchange_rate_settings SET reporting_currency = 'USD'`)).toBe(0);
      expect(await affected(I(), `DELETE FROM handoffs.exchange_rates`)).toBe(0);
    });

    it('a clock state is seen by the parties of its handoff only, and written by the hub alone', async () => {
      expect(await column(A(), CLOCKS)).toEqual([h2.id]);
      expect(await column(C(), CLOCKS)).toEqual([h2.id]);
      expect(await column(B(), CLOCKS)).toEqual([]);
      expect(await column(I(), CLOCKS)).toEqual([h2.id]);
      await refused(C(), insertClock, [h2.id]);
      await refused(I(), insertClock, [h2.id]);
      expect(await affected(A(), `UPDATE handoffs.handoff_sla_clocks SET due_at = now()`)).toBe(0);
      expect(await affected(I(), `DELETE FROM handoffs.handoff_sla_clocks`)).toBe(0);
    });

    it('no request rewrites a customer’s commercials, and nobody a handoff’s value', async () => {
      // B owns cA since it accepted h1: it may move the owner, never accounts’ figures.
      await refused(B(), `UPDATE handoffs.customers SET arr = 1, commercials_currency = 'EUR' WHERE id = $1`, [cA]);
      await refused(C(), `UPDATE handoffs.handoffs SET value_amount = 1, value_currency = 'EUR', value_source = 'ARR' WHERE id = $1`, [h2.id]);
      await refused(I(), `UPDATE handoffs.handoffs SET value_amount = 1, value_currency = 'EUR', value_source = 'ARR' WHERE id = $1`, [h2.id]);
    });
  });
});
