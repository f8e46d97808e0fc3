import type { Identity } from '../../../shared/auth/identity';
import { PERSON_ADDED, PERSON_DEACTIVATED, PERSON_UPDATED, API_KEY_REVOKED } from '../../../shared/eventlog/events';
import { startAccounts, type AccountsUnderTest } from '../../../test/support/accounts-subgraph';
import { internalIdentity, partnerIdentity, subgraphGql } from '../../../test/support/subgraph-client';
import { traceSql } from '../../../shared/db/sql-meter';
import { authenticateApiKey } from '../src/services/api-key.service';
import { DEMO_PARTNERS, DEMO_PEOPLE } from '../src/seed';

const demo = (keyPart: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(keyPart))!;
const A = demo('acme').id;
const B = demo('globex').id;
const HQ = demo('revops').id;
/** A partner's admin: its credential carries apikeys:manage (demo keys do). */
const adminOf = (partnerId: string): Identity => ({ ...partnerIdentity(partnerId), scopes: [...partnerIdentity(partnerId).scopes, 'apikeys:manage'] });
const ADMIN_A = adminOf(A);
const ADMIN_B = adminOf(B);
const INTERNAL = internalIdentity(HQ);
const PERSON = 'id partnerId name email role status createdAt updatedAt';

const ADD = `mutation($input: AddPersonInput!) { addPerson(input: $input) { ${PERSON} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { ${PERSON} } }`;
const DEACTIVATE = `mutation($id: ID!) { deactivatePerson(id: $id) { ${PERSON} } }`;
const PEOPLE = `query($partnerId: ID, $filter: PeopleFilter, $first: Int, $after: String) {
  people(partnerId: $partnerId, filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id name role status } } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id personId } } }`;

describe('accounts subgraph: people', () => {
  let a: AccountsUnderTest;
  const gql = (query: string, variables: Record<string, unknown>, who: Identity) => subgraphGql(a.url, query, variables, who);
  const codeOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.code;
  const eventsOf = async (id: string) =>
    (await a.db.query(`SELECT type, payload, visible_to FROM eventlog.events WHERE aggregate_id = $1 ORDER BY tx, seq`, [id])) as {
      type: string;
      payload: { person: { email: string; role: string; status: string }; changed: string[] };
      visible_to: string[];
    }[];
  const count = async () => ((await a.db.query(`SELECT count(*)::int AS n FROM accounts.people`)) as { n: number }[])[0]!.n;

  beforeAll(async () => {
    a = await startAccounts();
  });
  afterAll(async () => {
    await a?.stop();
  });

  it('seeds two or three people at every demo partner, one per role', async () => {
    for (const p of DEMO_PARTNERS) {
      const mine = DEMO_PEOPLE.filter((x) => x.partnerId === p.id);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(mine.length).toBeLessThanOrEqual(3);
      expect(new Set(mine.map((x) => x.role)).size).toBe(mine.length);
    }
    expect(await count()).toBe(DEMO_PEOPLE.length);
  });

  it('addPerson: a partner admin adds its own person, trimmed; PersonAdded is visible to that partner only', async () => {
    const res = await gql(ADD, { input: { name: ' Dana Doe ', email: ' Dana@Acme.example.com ', role: 'ONBOARDING_LEAD' } }, ADMIN_A);
    expect(res.errors).toBeUndefined();
    const person = res.data!.addPerson;
    expect(person).toMatchObject({ partnerId: A, name: 'Dana Doe', email: 'Dana@Acme.example.com', role: 'ONBOARDING_LEAD', status: 'ACTIVE' });
    const events = await eventsOf(person.id);
    expect(events.map((e) => [e.type, e.visible_to])).toEqual([[PERSON_ADDED, [A]]]);
    expect(events[0]!.payload.person).toMatchObject({ email: 'Dana@Acme.example.com', role: 'ONBOARDING_LEAD', status: 'ACTIVE' });
  });

  it('addPerson: internal admins add to any partner; refusals change nothing', async () => {
    const ok = await gql(ADD, { input: { partnerId: B, name: 'Eve', email: 'eve@globex.example.com', role: 'SALES_REP' } }, INTERNAL);
    expect(ok.data!.addPerson).toMatchObject({ partnerId: B, status: 'ACTIVE' });
    const before = await count();
    const personBoundNonAdmin: Identity = { ...ADMIN_A, personId: DEMO_PEOPLE.find((p) => p.partnerId === A && p.role === 'SALES_REP')!.id };
    const cases: [Record<string, unknown>, Identity, string][] = [
      // Duplicate e-mail, whatever the case (Dana above).
      [{ name: 'Dana 2', email: 'DANA@acme.example.com', role: 'SALES_REP' }, ADMIN_A, 'CONFLICT'],
      [{ name: 'Bad', email: 'not-an-email', role: 'SALES_REP' }, ADMIN_A, 'BAD_USER_INPUT'],
      [{ name: 'Bad', email: 'a@b', role: 'SALES_REP' }, ADMIN_A, 'BAD_USER_INPUT'],
      [{ name: 'Bad', email: 'a b@c.com', role: 'SALES_REP' }, ADMIN_A, 'BAD_USER_INPUT'],
      [{ name: '  ', email: 'blank@acme.example.com', role: 'SALES_REP' }, ADMIN_A, 'BAD_USER_INPUT'],
      // Cross-partner: A's admin adds to B.
      [{ partnerId: B, name: 'Spy', email: 'spy@globex.example.com', role: 'SALES_REP' }, ADMIN_A, 'FORBIDDEN'],
      // A partner credential without apikeys:manage is no admin.
      [{ name: 'Nope', email: 'nope@acme.example.com', role: 'SALES_REP' }, partnerIdentity(A), 'FORBIDDEN'],
      // A key bound to a person who is not an ADMIN.
      [{ name: 'Nope', email: 'nope@acme.example.com', role: 'SALES_REP' }, personBoundNonAdmin, 'FORBIDDEN'],
      [{ partnerId: '00000000-0000-4000-8000-0000000000ff', name: 'X', email: 'x@x.example.com', role: 'SALES_REP' }, INTERNAL, 'NOT_FOUND'],
      [{ partnerId: 'nope', name: 'X', email: 'x@x.example.com', role: 'SALES_REP' }, INTERNAL, 'BAD_USER_INPUT'],
    ];
    for (const [input, who, code] of cases) {
      const res = await gql(ADD, { input }, who);
      expect({ input, code: codeOf(res), data: res.data }).toEqual({ input, code, data: null });
    }
    expect(await count()).toBe(before);
    // The same e-mail at another partner is fine.
    expect((await gql(ADD, { input: { name: 'Dana B', email: 'dana@acme.example.com', role: 'SALES_REP' } }, ADMIN_B)).errors).toBeUndefined();
    // A person-bound key of an ADMIN person may manage.
    const adminPerson: Identity = { ...ADMIN_A, personId: DEMO_PEOPLE.find((p) => p.partnerId === A && p.role === 'ADMIN')!.id };
    expect((await gql(ADD, { input: { name: 'Fay', email: 'fay@acme.example.com', role: 'SUCCESS_MANAGER' } }, adminPerson)).errors).toBeUndefined();
  });

  it('updatePerson: changes only what differs and names it; refuses what it must, changing nothing', async () => {
    const id = (await gql(ADD, { input: { name: 'Gil', email: 'gil@acme.example.com', role: 'SALES_REP' } }, ADMIN_A)).data!.addPerson.id as string;
    const res = await gql(UPDATE, { id, input: { role: 'SUCCESS_MANAGER', name: 'Gil' } }, ADMIN_A);
    expect(res.data!.updatePerson).toMatchObject({ role: 'SUCCESS_MANAGER', name: 'Gil' });
    expect((await gql(UPDATE, { id, input: { role: 'SUCCESS_MANAGER' } }, ADMIN_A)).errors).toBeUndefined();
    const updates = (await eventsOf(id)).filter((e) => e.type === PERSON_UPDATED);
    expect(updates.map((e) => e.payload.changed)).toEqual([['role']]);

    const cases: [Record<string, unknown>, Identity, string][] = [
      [{ id, input: { email: 'dana@acme.example.com' } }, ADMIN_A, 'CONFLICT'],
      [{ id, input: { email: 'broken@' } }, ADMIN_A, 'BAD_USER_INPUT'],
      [{ id, input: {} }, ADMIN_A, 'BAD_USER_INPUT'],
      [{ id, input: { name: 'Hijack' } }, ADMIN_B, 'NOT_FOUND'],
      [{ id, input: { name: 'Hijack' } }, partnerIdentity(A), 'FORBIDDEN'],
      [{ id: '00000000-0000-4000-8000-0000000000ff', input: { name: 'X' } }, INTERNAL, 'NOT_FOUND'],
    ];
    for (const [variables, who, code] of cases) {
      const r = await gql(UPDATE, variables, who);
      expect({ variables, code: codeOf(r), data: r.data }).toEqual({ variables, code, data: null });
    }
    expect((await eventsOf(id)).filter((e) => e.type === PERSON_UPDATED)).toHaveLength(1);
    // Internal admins change anyone's.
    expect((await gql(UPDATE, { id, input: { email: 'gil.b@acme.example.com' } }, INTERNAL)).data!.updatePerson.email).toBe('gil.b@acme.example.com');
  });

  it("deactivatePerson: the person's keys stop working at once (revoked, ApiKeyRevoked); twice changes nothing; then CONFLICT on update", async () => {
    const id = (await gql(ADD, { input: { name: 'Hal', email: 'hal@acme.example.com', role: 'ONBOARDING_LEAD' } }, ADMIN_A)).data!.addPerson.id as string;
    const created = await gql(CREATE_KEY, { input: { label: 'hal laptop', personId: id } }, ADMIN_A);
    expect(created.errors).toBeUndefined();
    const { secret, apiKey } = created.data!.createApiKey as { secret: string; apiKey: { id: string; personId: string } };
    expect(apiKey.personId).toBe(id);
    const identity = await authenticateApiKey(a.db, secret);
    expect(identity).toMatchObject({ partnerId: A, personId: id, credentialId: apiKey.id });
    expect((await gql(`{ me { person { id name } } }`, {}, identity!)).data!.me.person).toEqual({ id, name: 'Hal' });
    expect((await gql(`{ me { person { id } } }`, {}, ADMIN_A)).data!.me.person).toBeNull();

    // Rotation keeps the binding; the rotated-out key is revoked as usual.
    const rotated = await gql(`mutation($id: ID!) { rotateApiKey(id: $id) { secret apiKey { id personId } } }`, { id: apiKey.id }, ADMIN_A);
    expect(rotated.data!.rotateApiKey.apiKey.personId).toBe(id);
    expect(await authenticateApiKey(a.db, secret)).toBeNull();
    const current = rotated.data!.rotateApiKey as { secret: string; apiKey: { id: string } };
    expect(await authenticateApiKey(a.db, current.secret)).toMatchObject({ personId: id });

    expect((await gql(DEACTIVATE, { id }, ADMIN_B)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await authenticateApiKey(a.db, current.secret)).not.toBeNull();
    const res = await gql(DEACTIVATE, { id }, ADMIN_A);
    expect(res.data!.deactivatePerson.status).toBe('DEACTIVATED');
    expect(await authenticateApiKey(a.db, current.secret)).toBeNull();
    const revoked: { type: string; payload: { reason: string } }[] = await a.db.query(`SELECT type, payload FROM eventlog.events WHERE aggregate_id = $1`, [
      current.apiKey.id,
    ]);
    expect(revoked.map((e) => [e.type, e.payload.reason])).toEqual([[API_KEY_REVOKED, 'REVOKED']]);
    expect((await gql(DEACTIVATE, { id }, ADMIN_A)).data!.deactivatePerson.status).toBe('DEACTIVATED');
    expect((await eventsOf(id)).map((e) => e.type)).toEqual([PERSON_ADDED, PERSON_DEACTIVATED]);
    expect(codeOf(await gql(UPDATE, { id, input: { name: 'Back' } }, ADMIN_A))).toBe('CONFLICT');
    // A deactivated person cannot get a new key; nor can a person of another partner.
    expect(codeOf(await gql(CREATE_KEY, { input: { label: 'again', personId: id } }, ADMIN_A))).toBe('BAD_USER_INPUT');
    const bPerson = DEMO_PEOPLE.find((p) => p.partnerId === B)!.id;
    expect(codeOf(await gql(CREATE_KEY, { input: { label: 'cross', personId: bPerson } }, ADMIN_A))).toBe('BAD_USER_INPUT');
  });

  it("people: a partner lists its own (filters, pages); another partner's is FORBIDDEN; internal any; Partner.people and _entities are partner-scoped", async () => {
    const all = await gql(PEOPLE, {}, ADMIN_A);
    expect(all.errors).toBeUndefined();
    const nodes = all.data!.people.nodes as { id: string; role: string; status: string }[];
    expect(nodes.length).toBe(all.data!.people.totalCount);
    expect(nodes.every((n) => DEMO_PEOPLE.some((p) => p.id === n.id && p.partnerId === A) || !DEMO_PEOPLE.some((p) => p.id === n.id))).toBe(true);
    const sales = await gql(PEOPLE, { filter: { role: 'SALES_REP', status: 'ACTIVE' } }, partnerIdentity(A));
    expect((sales.data!.people.nodes as { role: string; status: string }[]).every((n) => n.role === 'SALES_REP' && n.status === 'ACTIVE')).toBe(true);
    expect(sales.data!.people.nodes.length).toBeGreaterThan(0);
    const deactivated = await gql(PEOPLE, { filter: { status: 'DEACTIVATED' } }, ADMIN_A);
    expect(deactivated.data!.people.nodes.map((n: { name: string }) => n.name)).toEqual(['Hal']);
    const page1 = await gql(PEOPLE, { first: 2 }, ADMIN_A);
    const page2 = await gql(PEOPLE, { first: 2, after: page1.data!.people.pageInfo.endCursor }, ADMIN_A);
    expect([...page1.data!.people.nodes, ...page2.data!.people.nodes].map((n: { id: string }) => n.id)).toEqual(nodes.slice(0, 4).map((n) => n.id));
    expect(codeOf(await gql(PEOPLE, { partnerId: B }, ADMIN_A))).toBe('FORBIDDEN');
    expect((await gql(PEOPLE, { partnerId: B }, INTERNAL)).data!.people.totalCount).toBeGreaterThan(0);

    const PARTNER_PEOPLE = `query($a: ID!, $b: ID!) { a: partner(id: $a) { people { id partnerId } } b: partner(id: $b) { people { id } } }`;
    const asA = await gql(PARTNER_PEOPLE, { a: A, b: B }, partnerIdentity(A));
    expect(asA.errors).toBeUndefined();
    expect((asA.data!.a.people as { partnerId: string }[]).every((p) => p.partnerId === A)).toBe(true);
    expect(asA.data!.b.people).toBeNull();
    const asHq = await gql(PARTNER_PEOPLE, { a: A, b: B }, INTERNAL);
    expect(asHq.data!.b.people.length).toBeGreaterThan(0);

    const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { id partnerId } } }`;
    const aPerson = DEMO_PEOPLE.find((p) => p.partnerId === A)!.id;
    const bPerson = DEMO_PEOPLE.find((p) => p.partnerId === B)!.id;
    const reps = [aPerson, bPerson, 'garbage'].map((id) => ({ __typename: 'Person', id }));
    expect((await gql(ENTITIES, { reps }, partnerIdentity(A))).data!._entities).toEqual([{ id: aPerson, partnerId: A }, null, null]);
    expect((await gql(ENTITIES, { reps }, INTERNAL)).data!._entities).toEqual([{ id: aPerson, partnerId: A }, { id: bPerson, partnerId: B }, null]);
  });

  it('every partner with its people, and a batch of Person references, cost one statement each (no query per row)', async () => {
    const statements = async (query: string, variables: Record<string, unknown>) => {
      const stop = traceSql();
      const res = await gql(query, variables, INTERNAL);
      expect(res.errors).toBeUndefined();
      const sent = stop()
        .map((line) => line.slice(line.indexOf(': ') + 2))
        .filter((text) => !text.startsWith('/* background */') && !/^(START TRANSACTION|COMMIT|ROLLBACK|BEGIN|SELECT set_config)/i.test(text));
      return { data: res.data!, sent };
    };
    const directory = await statements(`{ partners(first: 100) { nodes { id people { id } } } }`, {});
    const withPeople = (directory.data.partners.nodes as { people: unknown[] }[]).filter((p) => p.people.length > 0);
    expect(withPeople.length).toBeGreaterThanOrEqual(DEMO_PARTNERS.length);
    expect(directory.sent.filter((text) => text.includes('FROM accounts.people'))).toHaveLength(1);
    const reps = DEMO_PEOPLE.map((p) => ({ __typename: 'Person', id: p.id }));
    const entities = await statements(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { id } } }`, { reps });
    expect((entities.data._entities as unknown[]).every((e) => e !== null)).toBe(true);
    expect(entities.sent).toHaveLength(1);
  });
});
