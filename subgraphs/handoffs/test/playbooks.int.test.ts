import { GraphQLError } from 'graphql';
import { PLAYBOOK_PUBLISHED } from '../../../shared/eventlog/events';
import { HandoffMoment, PlaybookFieldType } from '../src/entities/enums';
import { publishPlaybook } from '../src/services/playbook.service';
import { proposeHandoff } from '../src/services/propose.service';
import { acceptHandoff, completeHandoff } from '../src/services/transition.service';
import { asInternal, asPartner, onboardingPlaybook, proposal, publish, startHandoffsFixture, validData, type HandoffsFixture } from './fixture';

async function failure(p: Promise<unknown>): Promise<GraphQLError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GraphQLError)) throw new Error(`expected a GraphQLError, got ${String(err)}`);
  return err;
}

describe('playbooks', () => {
  let f: HandoffsFixture;
  const counts = async () =>
    (
      await f.db.query(
        `SELECT (SELECT count(*) FROM handoffs.handoffs)::int AS h, (SELECT count(*) FROM eventlog.events)::int AS e, (SELECT count(*) FROM handoffs.idempotency_keys)::int AS k`,
      )
    )[0];

  beforeAll(async () => {
    f = await startHandoffsFixture();
  });
  afterAll(() => f?.stop());

  it('publishes versions, internal teams only; running handoffs keep the version they started under', async () => {
    expect((await failure(publishPlaybook(f.db, asPartner(f.A), onboardingPlaybook()))).extensions.code).toBe('FORBIDDEN');
    const v1 = await publish(f.db, f.I);
    expect(v1).toMatchObject({ version: 1, moment: 'CLOSED_WON_TO_ONBOARDING', responsibleRole: 'Onboarding manager', publishedByPartnerId: f.I });
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    expect(h).toMatchObject({ playbookId: v1.id, playbookVersion: 1 });

    const v2 = await publish(f.db, f.I, { ...onboardingPlaybook(), deliverables: [], changeNote: 'No deliverables needed any more' });
    expect(v2.version).toBe(2);
    expect((await f.db.query(`SELECT count(*)::int AS n FROM eventlog.events WHERE type = $1`, [PLAYBOOK_PUBLISHED]))[0].n).toBe(2);
    // The running handoff still needs v1's deliverables.
    await acceptHandoff(f.db, asPartner(f.B), h.id);
    const err = await failure(completeHandoff(f.db, asPartner(f.B), h.id, {}));
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'deliverables.kickoffDate' }] });
    // A new one runs under v2.
    const other = await f.customer(f.A);
    expect(await proposeHandoff(f.db, asPartner(f.A), proposal(other, f.B), null)).toMatchObject({ playbookId: v2.id, playbookVersion: 2 });
  });

  it('lists every missing or ill-typed required field at proposal, and writes nothing', async () => {
    const customer = await f.customer(f.A);
    const before = await counts();
    const err = await failure(
      proposeHandoff(
        f.db,
        asPartner(f.A),
        proposal(customer, f.B, { data: { contractValue: 'twelve thousand', startDate: '2026-13-45', notes: 42 } }),
        'key-bad',
      ),
    );
    expect(err.extensions.code).toBe('BAD_USER_INPUT');
    expect(err.extensions.fields).toEqual([
      { field: 'input.data.contractValue', message: expect.stringMatching(/must be a number/) },
      { field: 'input.data.startDate', message: expect.stringMatching(/must be a date/) },
      { field: 'input.data.sponsor', message: expect.stringMatching(/is required: Executive sponsor/) },
      { field: 'input.data.notes', message: expect.stringMatching(/must be a non-empty string/) },
    ]);
    expect(err.message).toMatch(/input\.data\.contractValue.*input\.data\.startDate.*input\.data\.sponsor/);
    expect(await counts()).toEqual(before);
    // The same key is free again: the failed attempt left nothing behind.
    expect((await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B, { data: validData }), 'key-bad')).state).toBe('PROPOSED');
  });

  it('reports an unknown receiver together with the data problems', async () => {
    const customer = await f.customer(f.A);
    const err = await failure(proposeHandoff(f.db, asPartner(f.A), proposal(customer, '00000000-0000-4000-8000-0000000000ff', { data: {} }), null));
    expect((err.extensions.fields as { field: string }[]).map((x) => x.field)).toEqual([
      'input.toPartnerId',
      'input.data.contractValue',
      'input.data.startDate',
      'input.data.sponsor',
    ]);
  });

  it('validates deliverables at completion, naming each one', async () => {
    const customer = await f.customer(f.A);
    await publish(f.db, f.I, {
      ...onboardingPlaybook(),
      moment: HandoffMoment.CUSTOM,
      customMoment: 'Partner-led expansion',
      requiredFields: [],
      deliverables: [
        { name: 'expansionArr', type: PlaybookFieldType.NUMBER, description: 'New ARR', required: true },
        { name: 'planUrl', type: PlaybookFieldType.URL, description: 'Expansion plan', required: true },
      ],
    });
    const h = await proposeHandoff(
      f.db,
      asPartner(f.A),
      proposal(customer, f.B, { moment: HandoffMoment.CUSTOM, customMoment: 'Partner-led expansion', data: {} }),
      null,
    );
    expect(h).toMatchObject({ customMoment: 'Partner-led expansion', playbookVersion: 1 });
    await acceptHandoff(f.db, asPartner(f.B), h.id);
    const err = await failure(completeHandoff(f.db, asPartner(f.B), h.id, { planUrl: 'not a url' }));
    expect(err.extensions.fields).toEqual([
      { field: 'deliverables.expansionArr', message: expect.stringMatching(/is required/) },
      { field: 'deliverables.planUrl', message: expect.stringMatching(/must be a URL/) },
    ]);
    const [row] = await f.db.query(`SELECT state FROM handoffs.handoffs WHERE id = $1`, [h.id]);
    expect(row.state).toBe('ACCEPTED');
    const done = await completeHandoff(f.db, asPartner(f.B), h.id, { expansionArr: 50000, planUrl: 'https://docs.example.com/plan' });
    expect(done.state).toBe('COMPLETED');
  });

  it('requires a name for CUSTOM moments and refuses one for named moments', async () => {
    const customer = await f.customer(f.A);
    const missing = await failure(proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B, { moment: HandoffMoment.CUSTOM, customMoment: '  ' }), null));
    expect(missing.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.customMoment' }] });
    const extra = await failure(proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B, { customMoment: 'x' }), null));
    expect(extra.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.customMoment' }] });
    const dup = await failure(
      publishPlaybook(f.db, asInternal(f.I), {
        ...onboardingPlaybook(),
        requiredFields: [...onboardingPlaybook().requiredFields, onboardingPlaybook().requiredFields[0]!],
      }),
    );
    expect(dup.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.requiredFields.4.name' }] });
  });
});
