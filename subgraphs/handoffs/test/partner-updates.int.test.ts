import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { PARTNER_UPDATED } from '../../../shared/eventlog/events';
import { proposeHandoff } from '../src/services/propose.service';
import { accountsEvents, asPartner, partnerCreated, proposal, publish, startHandoffsFixture, type HandoffsFixture } from './fixture';

/** handoffs' projection of the partner directory follows PartnerUpdated: a suspended partner receives nothing. */
describe('handoffs: PartnerUpdated in the accounts projection', () => {
  let f: HandoffsFixture;
  const updated = (id: string, name: string, status: string, tier = 'PLATINUM') => ({
    ...partnerCreated(id, name, 'SERVICE_PROVIDER', tier),
    type: PARTNER_UPDATED,
    payload: { partner: { id, name, kind: 'SERVICE_PROVIDER', tier, region: 'NA', status }, changed: ['status'] },
  });
  const status = async (id: string) => (await f.db.query(`SELECT status, tier FROM handoffs.partners WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I);
  });
  afterAll(() => f?.stop());

  it('a suspended receiver is refused (BAD_USER_INPUT, nothing written); let back in, it receives again', async () => {
    await accountsEvents(f.db, [updated(f.B, 'Partner B', 'SUSPENDED')]);
    await f.project();
    expect(await status(f.B)).toEqual({ status: 'SUSPENDED', tier: 'PLATINUM' });
    const customerId = await f.customer(f.A);
    const err = (await proposeHandoff(f.db, asPartner(f.A), proposal(customerId, f.B), null).catch((e) => e)) as GraphQLError;
    expect(err.extensions?.code).toBe('BAD_USER_INPUT');
    expect(err.message).toContain('suspended');
    expect(await f.db.query(`SELECT 1 FROM handoffs.handoffs WHERE customer_id = $1`, [customerId])).toHaveLength(0);

    await accountsEvents(f.db, [updated(f.B, 'Partner B', 'ACTIVE')]);
    await f.project();
    expect((await proposeHandoff(f.db, asPartner(f.A), proposal(customerId, f.B), null)).toPartnerId).toBe(f.B);
  });

  it('several updates of one partner in a batch leave the last; a partner first seen through an update is added', async () => {
    const newcomer = randomUUID();
    await accountsEvents(f.db, [
      updated(f.C, 'Partner C', 'SUSPENDED', 'GOLD'),
      updated(f.C, 'Partner C', 'ACTIVE', 'SILVER'),
      updated(newcomer, 'Newcomer', 'ACTIVE'),
    ]);
    await f.project();
    expect(await status(f.C)).toEqual({ status: 'ACTIVE', tier: 'SILVER' });
    expect(await status(newcomer)).toEqual({ status: 'ACTIVE', tier: 'PLATINUM' });
  });
});
