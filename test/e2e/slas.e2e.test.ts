import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { codes, firstError, gql, Subscription, wsClient } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const INTERNAL = partner('revops').apiKey;
const ACME = partner('acme');
const GLOBEX = partner('globex'); // SILVER
const PIXELFORGE = partner('pixelforge');
const WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

const SET_POLICY = `mutation($input: SlaPolicyInput!) { setSlaPolicy(input: $input) { id version acceptWithinSeconds escalation } }`;
const PROPOSE = `mutation($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id state } }`;

describe('slas through the gateway: a partner ignores a handoff, it breaches, RECLAIM expires it', () => {
  let hub: TestHub;
  const clients: { dispose(): Promise<void> | void }[] = [];

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'slas', 'gateway'] });
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await hub?.stop();
  });

  it('refuses setSlaPolicy to partners and bad durations field by field', async () => {
    const input = {
      moment: 'DIRECT_TO_PARTNER',
      partnerTier: 'SILVER',
      acceptWithin: 'PT2S',
      completeWithin: 'PT1H',
      calendar: { timeZone: 'UTC', workingHours: WEEK.map((weekday) => ({ weekday, from: '00:00', to: '24:00' })) },
      escalation: 'RECLAIM',
    };
    expect(codes(await gql(hub.gatewayUrl, SET_POLICY, { input }, ACME.apiKey))).toEqual(['FORBIDDEN']);
    const bad = await gql(
      hub.gatewayUrl,
      SET_POLICY,
      { input: { ...input, acceptWithin: 'P1M', calendar: { ...input.calendar, timeZone: 'Mars/Base' } } },
      INTERNAL,
    );
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(firstError(bad).extensions!.fields.map((f: { field: string }) => f.field)).toEqual(['input.calendar.timeZone']);
    const badDuration = await gql(hub.gatewayUrl, SET_POLICY, { input: { ...input, acceptWithin: 'P1M' } }, INTERNAL);
    expect(firstError(badDuration).extensions!.fields.map((f: { field: string }) => f.field)).toEqual(['input.acceptWithin']);
  });

  it('alerts AT_RISK and BREACHED over WebSocket, expires the handoff, and reports the clock', async () => {
    const input = {
      moment: 'DIRECT_TO_PARTNER',
      partnerTier: 'SILVER',
      // Long enough that a scheduler slowed by a loaded machine still sees the clock at risk
      // before it is due (a late sweep finds it past due and announces only the breach).
      acceptWithin: 'PT6S',
      completeWithin: 'PT1H',
      calendar: { timeZone: 'UTC', workingHours: WEEK.map((weekday) => ({ weekday, from: '00:00', to: '24:00' })) },
      warningThresholdPercent: 50,
      escalation: 'RECLAIM',
    };
    const policy = await gql(hub.gatewayUrl, SET_POLICY, { input }, INTERNAL);
    expect(policy.errors).toBeUndefined();
    expect(policy.data!.setSlaPolicy).toMatchObject({ acceptWithinSeconds: 6, escalation: 'RECLAIM' });

    const globexWs = wsClient(hub.gatewayUrl, { authorization: `Bearer ${GLOBEX.apiKey}` });
    const outsiderWs = wsClient(hub.gatewayUrl, { authorization: `Bearer ${PIXELFORGE.apiKey}` });
    clients.push(globexWs, outsiderWs);
    const alerts = new Subscription(globexWs, `subscription { slaAlert { kind escalation handoff { id } clock { target state } } }`);
    const updates = new Subscription(globexWs, `subscription { handoffUpdated { id state } }`);
    const outsider = new Subscription(outsiderWs, `subscription { slaAlert { kind } }`);
    await Subscription.settle(500);

    let handoffId: string | undefined;
    for (const customer of DEMO_CUSTOMERS.filter((c) => c.ownerPartnerId === ACME.id)) {
      const res = await gql(
        hub.gatewayUrl,
        PROPOSE,
        {
          input: {
            customerId: customer.id,
            toPartnerId: GLOBEX.id,
            moment: 'DIRECT_TO_PARTNER',
            contextPackage: { summary: 'A regional deal Globex is better placed to win.' },
            customerMessage: 'Globex will take it from here.',
            data: { dealSize: 50000, products: ['Hub'], closeDate: '2026-12-31' },
          },
        },
        ACME.apiKey,
      );
      if (!res.errors) {
        handoffId = res.data!.proposeHandoff.id;
        break;
      }
    }
    expect(handoffId).toBeDefined();

    const atRisk = await alerts.waitFor(1, 10_000);
    expect(atRisk.data!.slaAlert).toMatchObject({ kind: 'AT_RISK', escalation: null, handoff: { id: handoffId } });
    const breached = await alerts.waitFor(2, 10_000);
    expect(breached.data!.slaAlert).toMatchObject({
      kind: 'BREACHED',
      escalation: 'RECLAIM',
      handoff: { id: handoffId },
      clock: { target: 'ACCEPT', state: 'BREACHED' },
    });

    const deadline = Date.now() + 10_000;
    let expired = false;
    for (let n = 1; !expired && Date.now() < deadline; n++) {
      const u = await updates.waitFor(n, Math.max(1, deadline - Date.now()));
      expired = u.data!.handoffUpdated.id === handoffId && u.data!.handoffUpdated.state === 'EXPIRED';
    }
    expect(expired).toBe(true);

    // slas learns of the expiry from the event log a moment later: the clock then stops, still BREACHED.
    const VIEW = `query($id: ID!) { handoff(id: $id) { state slaClocks { target state businessSecondsElapsed targetBusinessSeconds breachedAt stoppedAt } } }`;
    let view = await gql(hub.gatewayUrl, VIEW, { id: handoffId }, ACME.apiKey);
    for (let i = 0; i < 50 && !view.data?.handoff?.slaClocks?.[0]?.stoppedAt; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = await gql(hub.gatewayUrl, VIEW, { id: handoffId }, ACME.apiKey);
    }
    expect(view.errors).toBeUndefined();
    expect(view.data!.handoff.state).toBe('EXPIRED');
    expect(view.data!.handoff.slaClocks).toEqual([
      expect.objectContaining({ target: 'ACCEPT', state: 'BREACHED', targetBusinessSeconds: 6, breachedAt: expect.any(String), stoppedAt: expect.any(String) }),
    ]);

    // Handoffs at risk or breached, per caller: the receiver sees it, an outsider does not.
    const list = `query { slaClocks(filter: { states: [BREACHED] }, first: 100) { nodes { handoff { id } } } }`;
    const mine = await gql(hub.gatewayUrl, list, {}, GLOBEX.apiKey);
    expect(mine.data!.slaClocks.nodes.map((n: any) => n.handoff.id)).toContain(handoffId);
    const theirs = await gql(hub.gatewayUrl, list, {}, PIXELFORGE.apiKey);
    expect(theirs.data!.slaClocks.nodes.map((n: any) => n.handoff.id)).not.toContain(handoffId);
    expect(outsider.received.filter((r) => r.data?.slaAlert)).toHaveLength(0);

    // Attainment: the partner itself (and internal teams) only.
    const attainment = `query($id: ID!) { partner(id: $id) { slaAttainment(period: "LAST_7_DAYS") { met breached percent } } }`;
    const own = await gql(hub.gatewayUrl, attainment, { id: GLOBEX.id }, GLOBEX.apiKey);
    expect(own.errors).toBeUndefined();
    expect(own.data!.partner.slaAttainment.breached).toBeGreaterThanOrEqual(1);
    expect(codes(await gql(hub.gatewayUrl, attainment, { id: GLOBEX.id }, ACME.apiKey))).toEqual(['FORBIDDEN']);
    alerts.close();
    updates.close();
    outsider.close();
  });
});
