import { randomUUID } from 'node:crypto';
import { IDENTITY_HEADER, signIdentity, type Identity } from '../../../shared/auth/identity';
import { readCustomerLinkToken, signCustomerLinkToken } from '../../../shared/auth/customer-link-token';
import { CUSTOMER_ACTION_STATUS_SET, CUSTOMER_JOURNEY_LINK_ISSUED, PERSON_ADDED, type PersonSnapshot } from '../../../shared/eventlog/events';
import type { NewEvent } from '../../../shared/eventlog/event-log';
import { PersonRole } from '../../../shared/graphql/enums';
import { subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { CustomerContextPart, PlaybookFieldType } from '../src/entities/enums';
import type { HandoffsServer } from '../src/server';
import { startJourneyServer } from './journey-server';
import { CUSTOMER_JOURNEY_PATH } from '../src/services/customer-journey.routes';
import { proposeHandoff } from '../src/services/propose.service';
import { acceptHandoff, cancelHandoff, completeHandoff, rejectHandoff } from '../src/services/transition.service';
import { accountsEvents, asInternal, asPartner, eventsOf, onboardingPlaybook, proposal, publish, startHandoffsFixture, type HandoffsFixture } from './fixture';

const ISSUE = `mutation($id: ID!, $days: Int) { issueCustomerJourneyLink(handoffId: $id, expiresInDays: $days) { url expiresAt } }`;
const SET = `mutation($id: ID!, $p: Int!, $s: CustomerActionStatus!) { setCustomerActionStatus(handoffId: $id, position: $p, status: $s) { customerActions { position action status doneAt } } }`;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface JourneyJson {
  journey?: Record<string, unknown> & { actions: { action: string; status: string; doneAt: string | null }[] };
  error?: { message: string; code: string; reason: string | null };
}

describe('handoffs: the customer journey link and page data', () => {
  let f: HandoffsFixture;
  let server: HandoffsServer;
  let url: string;
  let base: string;
  const bea = randomUUID();
  const asPerson = (partnerId: string, personId: string): Identity => ({ ...asPartner(partnerId), personId });
  const q = (query: string, variables: Record<string, unknown>, who: Identity) => subgraphGql(url, query, variables, who);
  const gateway = () => signIdentity({ role: 'SERVICE', scopes: ['customer-journey'] }, TEST_IDENTITY_SECRET);
  const view = async (token: string, identity: string | null = gateway()) => {
    const res = await fetch(`${base}${CUSTOMER_JOURNEY_PATH}?token=${encodeURIComponent(token)}`, { headers: identity ? { [IDENTITY_HEADER]: identity } : {} });
    return { status: res.status, cache: res.headers.get('cache-control'), text: await res.clone().text(), body: (await res.json()) as JourneyJson };
  };
  const tokenOf = (link: { url: string }) => new URL(link.url).searchParams.get('token')!;
  const issue = async (handoffId: string, who: Identity, days?: number) => {
    const res = await q(ISSUE, { id: handoffId, days }, who);
    expect(res.errors).toBeUndefined();
    return res.data!.issueCustomerJourneyLink as { url: string; expiresAt: string };
  };
  const codeOf = async (query: string, variables: Record<string, unknown>, who: Identity) => (await q(query, variables, who)).errors?.[0]?.extensions?.code;
  const newHandoff = async () => proposeHandoff(f.db, asPartner(f.A), proposal(await f.customer(f.A, 'Acme Corp'), f.B, JOURNEY_PROPOSAL), null);

  const JOURNEY_PROPOSAL = {
    contextPackage: {
      summary: 'INTERNAL: margin is thin, handle with care',
      customerSaid: ['We need SSO before anyone logs in'],
      goals: ['Live in March'],
      contacts: [{ name: 'Cleo Customer', email: 'cleo@acme.example', role: 'admin' }],
      links: ['https://crm.example/deal/42'],
      notes: 'INTERNAL NOTE: the sponsor is difficult',
    },
    customerMessage: 'Welcome! Northwind Onboarding takes it from here.',
    data: { contractValue: 12000, startDate: '2026-03-01', sponsor: 'ceo@acme.example', notes: 'INTERNAL: discount 30%' },
  };

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I, {
      ...onboardingPlaybook(),
      requiredFields: onboardingPlaybook().requiredFields.map((field) => ({ ...field, customerVisible: field.name === 'startDate' })),
      deliverables: [
        { name: 'kickoffDate', type: PlaybookFieldType.DATE, description: 'When the kick-off happened', required: true, customerVisible: true },
        { name: 'internalScore', type: PlaybookFieldType.INTEGER, description: 'Internal risk score', required: false },
      ],
      customerFacingActions: ['Welcome email from your onboarding manager', 'Kick-off meeting'],
      customerVisibleContext: [CustomerContextPart.GOALS, CustomerContextPart.CUSTOMER_SAID],
    });
    ({ server, url, base } = await startJourneyServer(f.db));
    const at = new Date().toISOString();
    const person: PersonSnapshot = {
      id: bea,
      partnerId: f.B,
      name: 'Bea Onboarding',
      email: 'bea@b.example',
      role: PersonRole.ONBOARDING_LEAD,
      status: 'ACTIVE',
      createdAt: at,
      updatedAt: at,
    };
    const added: NewEvent = {
      type: PERSON_ADDED,
      source: 'accounts',
      aggregateType: 'Person',
      aggregateId: bea,
      payload: { person, changed: [] },
      visibleTo: [f.B],
    };
    await accountsEvents(f.db, [added]);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await f.db.query(`SELECT 1 FROM handoffs.people WHERE id = $1 AND name IS NOT NULL`, [bea])).length === 0)
      await new Promise((r) => setTimeout(r, 25));
  });
  afterAll(async () => {
    await server?.stop();
    await f?.stop();
  });

  it('shows the customer only what the playbook marks as its own, with no identifier, and follows the handoff to completion', async () => {
    const h = await newHandoff();
    const link = await issue(h.id, asPartner(f.A));
    expect(link.url).toMatch(/^https:\/\/hub\.example\/journey\?token=cft_/);
    const token = tokenOf(link);

    const proposed = await view(token);
    expect(proposed.status).toBe(200);
    expect(proposed.cache).toBe('no-store');
    expect(proposed.body.journey).toEqual({
      title: 'Closed-won to onboarding',
      customerName: 'Acme Corp',
      stage: 'PROPOSED',
      message: 'Welcome! Northwind Onboarding takes it from here.',
      newOwner: { name: 'Partner B', responsibleRole: 'Onboarding manager' },
      contact: null,
      actions: [
        { action: 'Welcome email from your onboarding manager', status: 'OPEN', doneAt: null },
        { action: 'Kick-off meeting', status: 'OPEN', doneAt: null },
      ],
      known: { summary: null, goals: ['Live in March'], customerSaid: ['We need SSO before anyone logs in'] },
      details: [{ label: 'Contracted start date', value: '2026-03-01' }],
      deliverables: [],
      feedback: false,
      linkExpiresAt: link.expiresAt,
    });
    // Nothing hidden, and no id of anything, anywhere in the answer.
    for (const hidden of ['INTERNAL', '12000', 'ceo@acme.example', 'cleo@acme.example', 'crm.example', h.id, f.A, f.B, h.customerId]) {
      expect(proposed.text).not.toContain(hidden);
    }
    expect(proposed.text).not.toMatch(UUID);

    // Accepted by Bea (a person-bound key): she is the contact; the owner marks the kick-off done.
    await acceptHandoff(f.db, asPerson(f.B, bea), h.id);
    const set = await q(SET, { id: h.id, p: 1, s: 'DONE' }, asPartner(f.B));
    expect(set.errors).toBeUndefined();
    expect(set.data!.setCustomerActionStatus.customerActions).toEqual([
      { position: 0, action: 'Welcome email from your onboarding manager', status: 'OPEN', doneAt: null },
      { position: 1, action: 'Kick-off meeting', status: 'DONE', doneAt: expect.any(String) },
    ]);
    const accepted = (await view(token)).body.journey!;
    expect(accepted).toMatchObject({ stage: 'ACCEPTED', contact: { name: 'Bea Onboarding', email: 'bea@b.example' }, feedback: false, deliverables: [] });
    expect(accepted.actions.map((a) => a.status)).toEqual(['OPEN', 'DONE']);

    await completeHandoff(f.db, asPartner(f.B), h.id, { kickoffDate: '2026-03-02', internalScore: 3 });
    const done = await view(token);
    expect(done.body.journey).toMatchObject({
      stage: 'COMPLETED',
      feedback: true,
      deliverables: [{ label: 'When the kick-off happened', value: '2026-03-02' }],
    });
    expect(done.text).not.toContain('Internal risk score');
    expect(done.text).not.toMatch(UUID);
  });

  it('the contact is the first task’s assignee when nobody person-bound accepted', async () => {
    const h = await newHandoff();
    await acceptHandoff(f.db, asPartner(f.B), h.id);
    const token = tokenOf(await issue(h.id, asPartner(f.B)));
    expect((await view(token)).body.journey!.contact).toBeNull();
    const [first]: { id: string }[] = await f.db.query(`SELECT id FROM handoffs.tasks WHERE handoff_id = $1 ORDER BY created_at, id LIMIT 1`, [h.id]);
    const assigned = await q(`mutation($t: ID!, $p: ID!) { assignTask(taskId: $t, personId: $p) { id } }`, { t: first!.id, p: bea }, asPartner(f.B));
    expect(assigned.errors).toBeUndefined();
    expect((await view(token)).body.journey!.contact).toEqual({ name: 'Bea Onboarding', email: 'bea@b.example' });
  });

  it('refuses tampered, swapped, expired, feedback-only and closed-handoff tokens with an error and no data', async () => {
    const h = await newHandoff();
    const other = await newHandoff();
    const token = tokenOf(await issue(h.id, asInternal(f.I)));
    const [payload, mac] = token.slice('cft_'.length).split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const reencode = (c: Record<string, unknown>) => `cft_${Buffer.from(JSON.stringify(c)).toString('base64url')}.${mac}`;
    const flipped = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const expired = signCustomerLinkToken(h.id, new Date(Date.now() - 1000), TEST_IDENTITY_SECRET, { purpose: 'journey' }).token;
    const feedbackOnly = signCustomerLinkToken(h.id, new Date(Date.now() + 86_400_000), TEST_IDENTITY_SECRET).token;
    const foreign = signCustomerLinkToken(h.id, new Date(Date.now() + 86_400_000), 'another-hub-secret-with-at-least-32-characters', {
      purpose: 'journey',
    }).token;
    const cases: [string, string, number][] = [
      ['swapped handoff id', reencode({ ...claims, h: other.id }), 400],
      ['later expiry', reencode({ ...claims, e: Number(claims.e) + 86_400 * 365 }), 400],
      ['flipped MAC', flipped, 400],
      ['another secret', foreign, 400],
      ['feedback-only link', feedbackOnly, 400],
      ['garbage', 'hello', 400],
      ['empty', '', 400],
      ['expired', expired, 410],
    ];
    for (const [what, bad, status] of cases) {
      const res = await view(bad);
      expect([what, res.status]).toEqual([what, status]);
      expect(res.body.journey).toBeUndefined();
      expect(res.body.error!.message).toMatch(/link/);
      expect(res.text).not.toContain('Acme');
    }
    // Only the gateway may ask.
    expect((await view(token, null)).status).toBe(401);
    expect((await view(token, signIdentity(asPartner(f.A), TEST_IDENTITY_SECRET))).status).toBe(401);
    expect((await view(token)).status).toBe(200);
    // A handoff that no longer goes ahead shows nothing.
    await cancelHandoff(f.db, asPartner(f.A), h.id, 'Customer changed its mind');
    const closed = await view(token);
    expect(closed.status).toBe(410);
    expect(closed.body).toEqual({ error: { message: expect.stringMatching(/no longer active/), code: 'FORBIDDEN', reason: 'HANDOFF_CLOSED' } });
  });

  it('issueCustomerJourneyLink: the handoff’s partners and internal teams; NOT_FOUND for others and unknown ids; lifetimes checked; recorded without the token', async () => {
    const h = await newHandoff();
    expect(await codeOf(ISSUE, { id: h.id }, asPartner(f.C))).toBe('NOT_FOUND');
    expect(await codeOf(ISSUE, { id: randomUUID() }, asInternal(f.I))).toBe('NOT_FOUND');
    expect(await codeOf(ISSUE, { id: 'not-an-id' }, asInternal(f.I))).toBe('BAD_USER_INPUT');
    expect(await codeOf(ISSUE, { id: h.id, days: 0 }, asPartner(f.A))).toBe('BAD_USER_INPUT');
    expect(await codeOf(ISSUE, { id: h.id, days: 91 }, asPartner(f.A))).toBe('BAD_USER_INPUT');
    expect(await eventsOf(f.db, h.id, CUSTOMER_JOURNEY_LINK_ISSUED)).toEqual([]);

    const before = Date.now();
    const byB = await issue(h.id, asPartner(f.B));
    const days = (Date.parse(byB.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThanOrEqual(30);
    const byI = await issue(h.id, asInternal(f.I), 90);
    expect(Date.parse(byI.expiresAt) - before).toBeGreaterThan(89.99 * 86_400_000);

    const events = await eventsOf(f.db, h.id, CUSTOMER_JOURNEY_LINK_ISSUED);
    expect(events).toHaveLength(2);
    expect(events[0]!.visible_to.sort()).toEqual([f.A, f.B].sort());
    const claims = readCustomerLinkToken(tokenOf(byB), TEST_IDENTITY_SECRET)!;
    expect(events[0]!.payload).toEqual({
      link: { id: claims.tokenId, handoffId: h.id, issuedByPartnerId: f.B, issuedAt: expect.any(String), expiresAt: byB.expiresAt },
    });
    expect(JSON.stringify(events)).not.toContain(tokenOf(byB).split('.')[1]);

    const rejected = await newHandoff();
    await rejectHandoff(f.db, asPartner(f.B), rejected.id, 'No capacity');
    expect(await codeOf(ISSUE, { id: rejected.id }, asPartner(f.A))).toBe('CONFLICT');
  });

  it('setCustomerActionStatus: the new owner or internal teams, after acceptance; the sender is FORBIDDEN, others NOT_FOUND', async () => {
    const h = await newHandoff();
    expect(await codeOf(SET, { id: h.id, p: 0, s: 'DONE' }, asPartner(f.B))).toBe('CONFLICT'); // not accepted yet
    await acceptHandoff(f.db, asPartner(f.B), h.id);
    expect(await codeOf(SET, { id: h.id, p: 0, s: 'DONE' }, asPartner(f.A))).toBe('FORBIDDEN');
    expect(await codeOf(SET, { id: h.id, p: 0, s: 'DONE' }, asPartner(f.C))).toBe('NOT_FOUND');
    expect(await codeOf(SET, { id: randomUUID(), p: 0, s: 'DONE' }, asInternal(f.I))).toBe('NOT_FOUND');
    expect(await codeOf(SET, { id: h.id, p: 2, s: 'DONE' }, asPartner(f.B))).toBe('BAD_USER_INPUT');
    expect(await codeOf(SET, { id: h.id, p: -1, s: 'DONE' }, asPartner(f.B))).toBe('BAD_USER_INPUT');
    expect(await eventsOf(f.db, h.id, CUSTOMER_ACTION_STATUS_SET)).toEqual([]);

    expect((await q(SET, { id: h.id, p: 0, s: 'DONE' }, asInternal(f.I))).errors).toBeUndefined();
    expect((await q(SET, { id: h.id, p: 0, s: 'DONE' }, asPartner(f.B))).errors).toBeUndefined(); // unchanged: no event
    const reopened = await q(SET, { id: h.id, p: 0, s: 'OPEN' }, asPartner(f.B));
    expect(reopened.data!.setCustomerActionStatus.customerActions[0]).toMatchObject({ status: 'OPEN', doneAt: null });
    const events = await eventsOf(f.db, h.id, CUSTOMER_ACTION_STATUS_SET);
    expect(events.map((e) => [e.payload.position, e.payload.status, e.visible_to.length])).toEqual([
      [0, 'DONE', 2],
      [0, 'OPEN', 2],
    ]);
  });

  it('journey links follow a rotation of HUB_IDENTITY_SECRET: the first secret signs, every listed one verifies', () => {
    const old = 'old-identity-secret-with-at-least-32-characters';
    const rotated = `new-identity-secret-with-at-least-32-characters,${old}`;
    const expiresAt = new Date(Date.now() + 3_600_000);
    const before = signCustomerLinkToken(randomUUID(), expiresAt, old, { purpose: 'journey' }).token;
    expect(readCustomerLinkToken(before, rotated)?.purpose).toBe('journey');
    const after = signCustomerLinkToken(randomUUID(), expiresAt, rotated, { purpose: 'journey' }).token;
    expect(readCustomerLinkToken(after, 'new-identity-secret-with-at-least-32-characters')).not.toBeNull();
    expect(readCustomerLinkToken(after, old)).toBeNull();
  });
});
