import { Client } from 'pg';
import { CREDENTIALS_CHANNEL, parseCredentialNotice, type CredentialRevokedNotice } from '../../../shared/auth/revocation';
import { PARTNER_UPDATED } from '../../../shared/eventlog/events';
import { startAccounts, type AccountsUnderTest } from '../../../test/support/accounts-subgraph';
import { internalIdentity, partnerIdentity, subgraphGql } from '../../../test/support/subgraph-client';
import { authenticateApiKey } from '../src/services/api-key.service';
import { DEMO_PARTNERS } from '../src/seed';

const demo = (keyPart: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(keyPart))!;
const INTERNAL = internalIdentity(demo('revops').id);
const UPDATE = `mutation($id: ID!, $input: UpdatePartnerInput!) { updatePartner(id: $id, input: $input) { id name tier region status } }`;

/** updatePartner: internal teams edit the directory; PartnerUpdated says what changed; suspension locks the partner out. */
describe('accounts subgraph: updatePartner', () => {
  let a: AccountsUnderTest;
  let listener: Client;
  const notices: CredentialRevokedNotice[] = [];
  const q = (variables: Record<string, unknown>, who = INTERNAL) => subgraphGql(a.url, UPDATE, variables, who);
  const updatesOf = async (id: string) =>
    (await a.db.query(`SELECT payload FROM eventlog.events WHERE type = $1 AND aggregate_id = $2 ORDER BY tx, seq`, [PARTNER_UPDATED, id])) as {
      payload: { partner: { status: string; tier: string; name: string }; changed: string[] };
    }[];

  beforeAll(async () => {
    a = await startAccounts();
    listener = new Client({ connectionString: a.databaseUrl });
    await listener.connect();
    listener.on('notification', (n) => {
      const notice = n.channel === CREDENTIALS_CHANNEL ? parseCredentialNotice(n.payload) : null;
      if (notice) notices.push(notice);
    });
    await listener.query(`LISTEN ${CREDENTIALS_CHANNEL}`);
  });
  afterAll(async () => {
    await listener?.end();
    await a?.stop();
  });

  it('changes the fields sent, records PartnerUpdated naming them, and a repeat changes nothing', async () => {
    const globex = demo('globex');
    const res = await q({ id: globex.id, input: { tier: 'PLATINUM', name: ' Globex Channel Group ' } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updatePartner).toEqual({ id: globex.id, name: 'Globex Channel Group', tier: 'PLATINUM', region: globex.region, status: 'ACTIVE' });
    expect((await q({ id: globex.id, input: { tier: 'PLATINUM' } })).errors).toBeUndefined();
    const updates = await updatesOf(globex.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.payload).toMatchObject({ partner: { name: 'Globex Channel Group', tier: 'PLATINUM', status: 'ACTIVE' }, changed: ['name', 'tier'] });
  });

  it('suspending a partner refuses its API key at once and tells the gateways to forget it; ACTIVE lets the same key back in', async () => {
    const acme = demo('acme');
    expect(await authenticateApiKey(a.db, acme.apiKey)).toMatchObject({ partnerId: acme.id });
    const res = await q({ id: acme.id, input: { status: 'SUSPENDED' } });
    expect(res.data!.updatePartner.status).toBe('SUSPENDED');
    expect(await authenticateApiKey(a.db, acme.apiKey)).toBeNull();
    for (let i = 0; i < 50 && !notices.some((n) => n.partnerId === acme.id); i++) await new Promise((r) => setTimeout(r, 20));
    expect(notices.filter((n) => n.partnerId === acme.id).length).toBeGreaterThan(0);
    expect((await updatesOf(acme.id)).map((u) => [u.payload.partner.status, u.payload.changed])).toEqual([['SUSPENDED', ['status']]]);

    expect((await q({ id: acme.id, input: { status: 'ACTIVE' } })).data!.updatePartner.status).toBe('ACTIVE');
    expect(await authenticateApiKey(a.db, acme.apiKey)).toMatchObject({ partnerId: acme.id });
  });

  it('refuses partners (FORBIDDEN), an unknown id (NOT_FOUND), an empty change or name and suspending oneself (BAD_USER_INPUT), changing nothing', async () => {
    const pixel = demo('pixelforge');
    const before = await a.db.query(`SELECT name, tier, status FROM accounts.partners WHERE id = $1`, [pixel.id]);
    const cases: [Record<string, unknown>, ReturnType<typeof partnerIdentity> | typeof INTERNAL, string][] = [
      [{ id: pixel.id, input: { tier: 'GOLD' } }, partnerIdentity(pixel.id), 'FORBIDDEN'],
      [{ id: '00000000-0000-4000-8000-0000000000ff', input: { tier: 'GOLD' } }, INTERNAL, 'NOT_FOUND'],
      [{ id: pixel.id, input: {} }, INTERNAL, 'BAD_USER_INPUT'],
      [{ id: pixel.id, input: { name: '   ', tier: 'GOLD' } }, INTERNAL, 'BAD_USER_INPUT'],
      [{ id: 'not-a-uuid', input: { tier: 'GOLD' } }, INTERNAL, 'BAD_USER_INPUT'],
      [{ id: INTERNAL.partnerId, input: { status: 'SUSPENDED' } }, INTERNAL, 'BAD_USER_INPUT'],
    ];
    for (const [variables, who, code] of cases) {
      const res = await q(variables, who);
      expect({ variables, code: res.errors?.[0]?.extensions?.code, data: res.data }).toEqual({ variables, code, data: null });
    }
    expect(await a.db.query(`SELECT name, tier, status FROM accounts.partners WHERE id = $1`, [pixel.id])).toEqual(before);
    expect(await updatesOf(pixel.id)).toEqual([]);
  });
});
