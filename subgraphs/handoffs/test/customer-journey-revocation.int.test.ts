import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IDENTITY_HEADER, signIdentity, type Identity } from '../../../shared/auth/identity';
import { readCustomerLinkToken, signCustomerLinkToken } from '../../../shared/auth/customer-link-token';
import { appDatabaseUrl, grantAppRole } from '../../../shared/db/app-role';
import { totalQueryCount } from '../../../shared/db/query-counter';
import { appendEvents } from '../../../shared/eventlog/event-log';
import { CUSTOMER_JOURNEY_LINK_ISSUED, CUSTOMER_JOURNEY_LINK_REVOKED, type CustomerJourneyLinkIssuedPayload } from '../../../shared/eventlog/events';
import { subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { HandoffsCustomerJourneyLinks1733960000000 } from '../src/migrations/1733960000000-customer-journey-links';
import type { HandoffsServer } from '../src/server';
import { startJourneyServer } from './journey-server';
import { CUSTOMER_JOURNEY_PATH } from '../src/services/customer-journey.routes';
import { proposeHandoff } from '../src/services/propose.service';
import { rejectHandoff } from '../src/services/transition.service';
import { asInternal, asPartner, eventsOf, proposal, publish, startHandoffsFixture, type HandoffsFixture } from './fixture';

const ISSUE = `mutation($id: ID!) { issueCustomerJourneyLink(handoffId: $id) { id url issuedAt expiresAt } }`;
const REVOKE = `mutation($id: ID!) { revokeCustomerJourneyLink(linkId: $id) { id issuedAt expiresAt issuedByPartnerId revokedAt revokedByPartnerId status } }`;
const LINKS = `query($id: ID!) { handoff(id: $id) { journeyLinks { id issuedAt expiresAt issuedByPartnerId revokedAt revokedByPartnerId status } } }`;

interface LinkRecord {
  id: string;
  issuedAt: string;
  expiresAt: string;
  issuedByPartnerId: string | null;
  revokedAt: string | null;
  revokedByPartnerId: string | null;
  status: 'ACTIVE' | 'EXPIRED' | 'REVOKED';
}

describe('handoffs: customer journey links revoked one by one', () => {
  let f: HandoffsFixture;
  let server: HandoffsServer;
  let url: string;
  let base: string;
  const q = (query: string, variables: Record<string, unknown>, who: Identity) => subgraphGql(url, query, variables, who);
  const gateway = () => signIdentity({ role: 'SERVICE', scopes: ['customer-journey'] }, TEST_IDENTITY_SECRET);
  const view = async (token: string) => {
    const res = await fetch(`${base}${CUSTOMER_JOURNEY_PATH}?token=${encodeURIComponent(token)}`, { headers: { [IDENTITY_HEADER]: gateway() } });
    return { status: res.status, body: (await res.json()) as { journey?: unknown; error?: { message: string; code: string; reason: string | null } } };
  };
  const tokenOf = (link: { url: string }) => new URL(link.url).searchParams.get('token')!;
  const issue = async (handoffId: string, who: Identity) => {
    const res = await q(ISSUE, { id: handoffId }, who);
    expect(res.errors).toBeUndefined();
    return res.data!.issueCustomerJourneyLink as { id: string; url: string; issuedAt: string; expiresAt: string };
  };
  const linksOf = async (handoffId: string, who: Identity): Promise<LinkRecord[]> => {
    const res = await q(LINKS, { id: handoffId }, who);
    expect(res.errors).toBeUndefined();
    return (res.data!.handoff as { journeyLinks: LinkRecord[] }).journeyLinks;
  };
  const revoke = (linkId: string, who: Identity) => q(REVOKE, { id: linkId }, who);
  const rowOf = async (id: string) => f.database.asAdmin(`SELECT * FROM handoffs.customer_journey_links WHERE id = $1`, [id]);
  /** A→B, PROPOSED: A is sender and proposer, B the receiver, C has nothing to do with it. */
  const newHandoff = async () => proposeHandoff(f.db, asPartner(f.A), proposal(await f.customer(f.A, 'Acme Corp'), f.B), null);

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I);
    ({ server, url, base } = await startJourneyServer(f.db));
  });
  afterAll(async () => {
    await server?.stop();
    await f?.stop();
  });

  it('lists an issued link as ACTIVE; the receiver revokes it: REVOKED, recorded once, the page answers 410 and shows nothing', async () => {
    const h = await newHandoff();
    const link = await issue(h.id, asPartner(f.A));
    expect(link.id).toBe(readCustomerLinkToken(tokenOf(link), TEST_IDENTITY_SECRET)!.tokenId);
    const listed: LinkRecord = {
      id: link.id,
      issuedAt: link.issuedAt,
      expiresAt: link.expiresAt,
      issuedByPartnerId: f.A,
      revokedAt: null,
      revokedByPartnerId: null,
      status: 'ACTIVE',
    };
    expect(await linksOf(h.id, asPartner(f.A))).toEqual([listed]);
    expect(await linksOf(h.id, asPartner(f.B))).toEqual([listed]);
    // Not on the handoff: no handoff, so no links.
    expect((await q(LINKS, { id: h.id }, asPartner(f.C))).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await view(tokenOf(link))).status).toBe(200);

    const revoked = await revoke(link.id, asPartner(f.B));
    expect(revoked.errors).toBeUndefined();
    const record = revoked.data!.revokeCustomerJourneyLink as LinkRecord;
    expect(record).toEqual({ ...listed, status: 'REVOKED', revokedAt: expect.any(String), revokedByPartnerId: f.B });
    expect(await linksOf(h.id, asPartner(f.A))).toEqual([record]);

    const events = await eventsOf(f.db, h.id, CUSTOMER_JOURNEY_LINK_REVOKED);
    expect(events).toHaveLength(1);
    expect(events[0]!.visible_to.sort()).toEqual([f.A, f.B].sort());
    expect(events[0]!.payload).toEqual({
      link: {
        id: link.id,
        handoffId: h.id,
        issuedByPartnerId: f.A,
        issuedAt: link.issuedAt,
        expiresAt: link.expiresAt,
        revokedAt: record.revokedAt,
        revokedByPartnerId: f.B,
      },
    });
    expect(JSON.stringify(events)).not.toContain(tokenOf(link).split('.')[1]);

    const page = await view(tokenOf(link));
    expect(page.status).toBe(410);
    expect(page.body).toEqual({ error: { message: expect.stringMatching(/^This link was withdrawn/), code: 'FORBIDDEN', reason: 'TOKEN_REVOKED' } });

    // Revoking again is idempotent: the link as it was, no second event.
    const again = await revoke(link.id, asPartner(f.A));
    expect(again.errors).toBeUndefined();
    expect(again.data!.revokeCustomerJourneyLink).toEqual(record);
    expect(await eventsOf(f.db, h.id, CUSTOMER_JOURNEY_LINK_REVOKED)).toHaveLength(1);
  });

  it('revoking one link leaves the handoff’s other links working', async () => {
    const h = await newHandoff();
    const first = await issue(h.id, asPartner(f.A));
    const second = await issue(h.id, asPartner(f.B));
    expect((await revoke(first.id, asPartner(f.A))).errors).toBeUndefined();
    expect((await linksOf(h.id, asPartner(f.B))).map((l) => [l.id, l.status])).toEqual([
      [first.id, 'REVOKED'],
      [second.id, 'ACTIVE'],
    ]);
    expect((await view(tokenOf(first))).status).toBe(410);
    expect((await view(tokenOf(second))).status).toBe(200);
  });

  it('anyone not on the handoff gets NOT_FOUND, as for an unknown id, and nothing changes; a malformed id is BAD_USER_INPUT', async () => {
    const h = await newHandoff();
    const link = await issue(h.id, asPartner(f.B));
    const before = await rowOf(link.id);
    for (const who of [asPartner(f.C), asPartner(randomUUID())]) {
      const res = await revoke(link.id, who);
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(res.errors?.[0]?.message).not.toContain(h.id);
    }
    const unknown = await revoke(randomUUID(), asInternal(f.I));
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await revoke('not-an-id', asPartner(f.B))).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Read access is not enough: revoking needs handoffs:write.
    const readOnly: Identity = { partnerId: f.B, role: 'PARTNER', scopes: ['handoffs:read'] };
    expect((await revoke(link.id, readOnly)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect(await rowOf(link.id)).toEqual(before);
    expect(await eventsOf(f.db, h.id, CUSTOMER_JOURNEY_LINK_REVOKED)).toEqual([]);
    expect((await view(tokenOf(link))).status).toBe(200);
  });

  it('an internal team may revoke, also once the handoff no longer goes ahead; an expired link reads EXPIRED until revoked', async () => {
    const h = await newHandoff();
    const link = await issue(h.id, asPartner(f.B));
    const old = await issue(h.id, asPartner(f.A));
    // As the hub (the fixture's own connection): a partner's session may not change a link's terms.
    await f.db.query(`UPDATE handoffs.customer_journey_links SET expires_at = now() - interval '1 minute' WHERE id = $1`, [old.id]);
    expect((await linksOf(h.id, asPartner(f.A))).map((l) => [l.id, l.status])).toEqual([
      [link.id, 'ACTIVE'],
      [old.id, 'EXPIRED'],
    ]);
    await rejectHandoff(f.db, asPartner(f.B), h.id, 'No capacity');
    const res = await revoke(link.id, asInternal(f.I));
    expect(res.errors).toBeUndefined();
    expect(res.data!.revokeCustomerJourneyLink).toMatchObject({ status: 'REVOKED', revokedByPartnerId: f.I });
    expect((await revoke(old.id, asPartner(f.A))).data!.revokeCustomerJourneyLink).toMatchObject({ status: 'REVOKED', revokedByPartnerId: f.A });
    expect(await eventsOf(f.db, h.id, CUSTOMER_JOURNEY_LINK_REVOKED)).toHaveLength(2);
  });

  it('a signed journey token the hub has no record of opens nothing', async () => {
    const h = await newHandoff();
    const { token } = signCustomerLinkToken(h.id, new Date(Date.now() + 86_400_000), TEST_IDENTITY_SECRET, { purpose: 'journey' });
    const page = await view(token);
    expect(page.status).toBe(400);
    expect(page.body.journey).toBeUndefined();
  });

  it('lists the links of a page of handoffs in a fixed number of statements, however many handoffs and links', async () => {
    const PAGE = `{ handoffs(first: 100) { nodes { id journeyLinks { id status issuedByPartnerId } } } }`;
    // C's own handoffs, each with two links: C's page holds only them.
    const add = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const h = await proposeHandoff(f.db, asPartner(f.C), proposal(await f.customer(f.C, `C customer ${i}`), f.B), null);
        await issue(h.id, asPartner(f.C));
        await issue(h.id, asPartner(f.B));
      }
    };
    const measure = async () => {
      const start = totalQueryCount();
      const res = await q(PAGE, {}, asPartner(f.C));
      expect(res.errors).toBeUndefined();
      const nodes = (res.data!.handoffs as { nodes: { journeyLinks: unknown[] }[] }).nodes;
      return { statements: totalQueryCount() - start, handoffs: nodes.length, links: nodes.reduce((n, h) => n + h.journeyLinks.length, 0) };
    };
    await add(2);
    const few = await measure();
    await add(6);
    const many = await measure();
    expect([few.handoffs, few.links, many.handoffs, many.links]).toEqual([2, 4, 8, 16]);
    expect(many.statements).toBe(few.statements);
  });

  it('the migration backfills links issued before the table existed from their events, and down() removes it', async () => {
    const h = await newHandoff();
    const kept = await issue(h.id, asPartner(f.A));
    const owner = new DataSource({ type: 'postgres', url: f.database.url });
    await owner.initialize();
    const migration = new HandoffsCustomerJourneyLinks1733960000000();
    const inTransaction = async (step: (runner: ReturnType<DataSource['createQueryRunner']>) => Promise<void>) => {
      const runner = owner.createQueryRunner();
      await runner.startTransaction();
      try {
        await step(runner);
        await runner.commitTransaction();
      } finally {
        await runner.release();
      }
    };
    try {
      await inTransaction((r) => migration.down(r));
      expect(await f.database.asAdmin(`SELECT to_regclass('handoffs.customer_journey_links') AS t`)).toEqual([{ t: null }]);

      // A link issued before the table: what the service appended then, the event and nothing else.
      const issuedAt = new Date();
      issuedAt.setUTCMilliseconds(0);
      const expiresAt = new Date(issuedAt.getTime() + 7 * 86_400_000);
      const before = signCustomerLinkToken(h.id, expiresAt, TEST_IDENTITY_SECRET, { purpose: 'journey' });
      const payload: CustomerJourneyLinkIssuedPayload = {
        link: { id: before.tokenId, handoffId: h.id, issuedByPartnerId: f.B, issuedAt: issuedAt.toISOString(), expiresAt: expiresAt.toISOString() },
      };
      await f.db.transaction((m) =>
        appendEvents(m, [
          {
            type: CUSTOMER_JOURNEY_LINK_ISSUED,
            source: 'handoffs',
            aggregateType: 'Handoff',
            aggregateId: h.id,
            payload: { ...payload },
            visibleTo: [f.A, f.B],
          },
        ]),
      );

      await inTransaction(async (r) => {
        await migration.up(r);
        // What openDataSource does after migrating: the services' role gets the new table.
        await grantAppRole(r, appDatabaseUrl(f.database.url), ['handoffs']);
      });
      const listed = await linksOf(h.id, asPartner(f.B));
      expect(listed.map((l) => [l.id, l.issuedByPartnerId, l.expiresAt, l.status]).sort()).toEqual(
        [
          [kept.id, f.A, kept.expiresAt, 'ACTIVE'],
          [before.tokenId, f.B, expiresAt.toISOString(), 'ACTIVE'],
        ].sort(),
      );
      expect((await view(before.token)).status).toBe(200);
      expect((await view(tokenOf(kept))).status).toBe(200);
      expect((await revoke(before.tokenId, asPartner(f.B))).data!.revokeCustomerJourneyLink).toMatchObject({ status: 'REVOKED' });
      expect((await view(before.token)).status).toBe(410);
    } finally {
      await owner.destroy();
    }
  });
});
