import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { withSystem } from '../../../shared/db/tenant-context';
import type { NewEvent } from '../../../shared/eventlog/event-log';
import {
  CUSTOMER_CREATED,
  CUSTOMER_UPDATED,
  HANDOFF_ACCEPTED,
  HANDOFF_DUE_OPENED,
  HANDOFF_PROPOSED,
  SLA_ESCALATION_REQUESTED,
  type CommercialsSnapshot,
  type SlaEscalationPayload,
  type CustomerEventPayload,
} from '../../../shared/eventlog/events';
import { HandoffMoment, LifecycleStage, PlaybookFieldRole, PlaybookFieldType } from '../src/entities/enums';
import type { PlaybookInput } from '../src/resolvers/playbook.inputs';
import { createSlaEscalationConsumer } from '../src/consumers/sla-escalation.consumer';
import { proposeDues } from '../src/services/due-proposal.service';
import { handoffSnapshot } from '../src/services/handoff-events';
import { publishPlaybook } from '../src/services/playbook.service';
import { proposeHandoff } from '../src/services/propose.service';
import { acceptHandoff } from '../src/services/transition.service';
import {
  accountsEvents,
  asInternal,
  asPartner,
  customerCreated,
  eventsOf,
  onboardingPlaybook,
  proposal,
  silentLog,
  startHandoffsFixture,
  validData,
  type HandoffsFixture,
} from './fixture';

async function failure(p: Promise<unknown>): Promise<GraphQLError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GraphQLError)) throw new Error(`expected a GraphQLError, got ${String(err)}`);
  return err;
}

const commercials = (over: Partial<CommercialsSnapshot> = {}): CommercialsSnapshot => ({
  currency: 'EUR',
  arr: '120000.50',
  pipelineValue: '45000',
  contractValue: null,
  contractTermMonths: 12,
  renewalDate: '2027-06-30',
  ...over,
});

/** accounts' CustomerCreated / CustomerUpdated with commercials (`undefined`: an event written before money was in the model). */
function customerEvent(type: string, id: string, owner: string, c: CommercialsSnapshot | null | undefined, stage = 'CLOSED_WON'): NewEvent {
  const base = customerCreated(id, `Customer ${id.slice(0, 4)}`, owner);
  const { customer } = base.payload as unknown as CustomerEventPayload;
  return {
    ...base,
    type,
    payload: {
      customer: { ...customer, lifecycleStage: stage, ...(c === undefined ? {} : { commercials: c }) },
      changed: type === CUSTOMER_CREATED ? [] : ['commercials'],
    },
  };
}

const VALUE_FIELD = { name: 'dealValue', type: PlaybookFieldType.MONEY, description: 'Deal value', required: false, role: PlaybookFieldRole.VALUE };

/** The onboarding playbook with an optional VALUE field. */
const valuedPlaybook = (over: Partial<PlaybookInput> = {}): PlaybookInput => ({
  ...onboardingPlaybook(),
  requiredFields: [...onboardingPlaybook().requiredFields, VALUE_FIELD],
  ...over,
});

/**
 * A handoff's value (docs/handoffs.md#value): the playbook's VALUE field (MONEY) when the data
 * carries it, else the customer's commercials by moment; fixed at proposal.
 */
describe('handoffs: the value a handoff carries (real Postgres)', () => {
  let f: HandoffsFixture;
  const valuedCustomer = async (c: CommercialsSnapshot | null, owner = f.A) => {
    const id = randomUUID();
    await accountsEvents(f.db, [customerEvent(CUSTOMER_CREATED, id, owner, c)]);
    await f.project();
    return id;
  };
  const stored = async (id: string) =>
    (await f.db.query(`SELECT value_amount::text AS amount, value_currency AS currency, value_source AS source FROM handoffs.handoffs WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publishPlaybook(f.db, asInternal(f.I), valuedPlaybook());
  });
  afterAll(() => f?.stop());

  it("keeps the customer's commercials in its projection, as numeric; an event without them leaves them, a null clears them", async () => {
    const id = await valuedCustomer(commercials());
    const row = async () =>
      (
        await f.db.query(
          `SELECT commercials_currency AS currency, arr::text, pipeline_value::text AS pipeline, pg_typeof(arr)::text AS type, renewal_date::text AS renewal
             FROM handoffs.customers WHERE id = $1`,
          [id],
        )
      )[0];
    expect(await row()).toEqual({ currency: 'EUR', arr: '120000.50', pipeline: '45000', type: 'numeric', renewal: '2027-06-30' });
    await accountsEvents(f.db, [customerEvent(CUSTOMER_UPDATED, id, f.A, undefined)]);
    await f.project();
    expect(await row()).toMatchObject({ currency: 'EUR', arr: '120000.50' });
    await accountsEvents(f.db, [customerEvent(CUSTOMER_UPDATED, id, f.A, commercials({ currency: 'USD', arr: '99', pipelineValue: null }))]);
    await f.project();
    expect(await row()).toMatchObject({ currency: 'USD', arr: '99', pipeline: null });
    await accountsEvents(f.db, [customerEvent(CUSTOMER_UPDATED, id, f.A, null)]);
    await f.project();
    expect(await row()).toMatchObject({ currency: null, arr: null, pipeline: null, renewal: null });
  });

  it('takes the VALUE field when the data carries it, exactly as written, over the commercials', async () => {
    const id = await valuedCustomer(commercials());
    const h = await proposeHandoff(
      f.db,
      asPartner(f.A),
      proposal(id, f.B, { data: { ...validData, dealValue: { amount: '48000.10', currency: 'USD' } } }),
      null,
    );
    expect(await stored(h.id)).toEqual({ amount: '48000.10', currency: 'USD', source: 'PLAYBOOK_FIELD' });
    const [event] = await eventsOf(f.db, h.id, HANDOFF_PROPOSED);
    expect(event!.payload.handoff.value).toEqual({ amount: '48000.10', currency: 'USD', source: 'PLAYBOOK_FIELD' });
  });

  it('without the VALUE field: ARR for a post-sale moment, the pipeline value for a pre-sale one', async () => {
    const post = await proposeHandoff(f.db, asPartner(f.A), proposal(await valuedCustomer(commercials()), f.B), null);
    expect(await stored(post.id)).toEqual({ amount: '120000.50', currency: 'EUR', source: 'ARR' });
    const pre = await proposeHandoff(
      f.db,
      asPartner(f.A),
      proposal(await valuedCustomer(commercials()), f.B, { moment: HandoffMoment.MQL_TO_SQL, data: {} }),
      null,
    );
    expect(await stored(pre.id)).toEqual({ amount: '45000', currency: 'EUR', source: 'PIPELINE' });
  });

  it('no value when the figure of the moment is unknown, or the customer has no commercials', async () => {
    const noArr = await proposeHandoff(f.db, asPartner(f.A), proposal(await valuedCustomer(commercials({ arr: null })), f.B), null);
    expect(await stored(noArr.id)).toEqual({ amount: null, currency: null, source: null });
    const none = await proposeHandoff(f.db, asPartner(f.A), proposal(await valuedCustomer(null), f.B), null);
    expect(await stored(none.id)).toEqual({ amount: null, currency: null, source: null });
    const [event] = await eventsOf(f.db, none.id, HANDOFF_PROPOSED);
    expect(event!.payload.handoff.value).toBeNull();
  });

  it('CUSTOM moments: only the VALUE field gives a value, never the commercials', async () => {
    const custom: PlaybookInput = { ...valuedPlaybook(), moment: HandoffMoment.CUSTOM, customMoment: 'Partner-led expansion', requiredFields: [VALUE_FIELD] };
    await publishPlaybook(f.db, asInternal(f.I), custom);
    const input = (customerId: string, data: unknown) =>
      proposal(customerId, f.B, { moment: HandoffMoment.CUSTOM, customMoment: 'Partner-led expansion', data: data as Record<string, unknown> });
    const without = await proposeHandoff(f.db, asPartner(f.A), input(await valuedCustomer(commercials()), {}), null);
    expect(await stored(without.id)).toEqual({ amount: null, currency: null, source: null });
    const withField = await proposeHandoff(
      f.db,
      asPartner(f.A),
      input(await valuedCustomer(commercials()), { dealValue: { amount: '7', currency: 'JPY' } }),
      null,
    );
    expect(await stored(withField.id)).toEqual({ amount: '7', currency: 'JPY', source: 'PLAYBOOK_FIELD' });
  });

  it('keeps the value it was proposed with when the commercials change, through acceptance, and refuses a rewrite even by the hub', async () => {
    const id = await valuedCustomer(commercials());
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(id, f.B), null);
    await accountsEvents(f.db, [customerEvent(CUSTOMER_UPDATED, id, f.A, commercials({ arr: '1' }))]);
    await f.project();
    await acceptHandoff(f.db, asPartner(f.B), h.id);
    expect(await stored(h.id)).toEqual({ amount: '120000.50', currency: 'EUR', source: 'ARR' });
    const [accepted] = await eventsOf(f.db, h.id, HANDOFF_ACCEPTED);
    expect(accepted!.payload.handoff.value).toEqual({ amount: '120000.50', currency: 'EUR', source: 'ARR' });
    await expect(withSystem(() => f.db.query(`UPDATE handoffs.handoffs SET value_amount = 1 WHERE id = $1`, [h.id]))).rejects.toThrow(
      /value is a snapshot taken once/,
    );
  });

  it('an SLA REASSIGN proposes afresh with the value at that proposal; the expired handoff keeps its own', async () => {
    const id = await valuedCustomer(commercials({ arr: '100' }));
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(id, f.B), null);
    await accountsEvents(f.db, [customerEvent(CUSTOMER_UPDATED, id, f.A, commercials({ arr: '200' }))]);
    await f.project();
    const payload: SlaEscalationPayload = {
      clock: {
        id: randomUUID(),
        handoffId: h.id,
        policyId: randomUUID(),
        policyVersion: 1,
        target: 'ACCEPT',
        state: 'BREACHED',
        startedAt: h.proposedAt.toISOString(),
        dueAt: new Date().toISOString(),
        stoppedAt: null,
        businessSecondsElapsed: 100,
        targetBusinessSeconds: 50,
      },
      handoff: handoffSnapshot(h),
      action: 'REASSIGN',
      reassignToPartnerId: f.C,
    };
    await accountsEvents(f.db, [
      { type: SLA_ESCALATION_REQUESTED, source: 'slas', aggregateType: 'SlaClock', aggregateId: payload.clock.id, payload: payload as never, visibleTo: [] },
    ]);
    const consumer = createSlaEscalationConsumer(f.db, silentLog);
    await consumer.drain();
    await consumer.stop();
    const [next] = await f.db.query(`SELECT id FROM handoffs.handoffs WHERE reassigned_from_id = $1`, [h.id]);
    expect(await stored(next.id)).toEqual({ amount: '200', currency: 'EUR', source: 'ARR' });
    expect(await stored(h.id)).toEqual({ amount: '100', currency: 'EUR', source: 'ARR' });
  });

  it('MONEY: a JSON number, a bad currency, extra keys or a non-decimal are BAD_USER_INPUT naming the field, and nothing is written', async () => {
    const id = await valuedCustomer(commercials());
    const before = (await f.db.query(`SELECT count(*)::int AS n FROM handoffs.handoffs`))[0].n;
    const cases: [unknown, RegExp][] = [
      [{ amount: 48000, currency: 'EUR' }, /never a JSON number/],
      [{ amount: '48000', currency: 'EURO' }, /not an ISO 4217 currency code/],
      [{ amount: '48000', currency: 'XYZ' }, /not an ISO 4217 currency code/],
      [{ amount: '48000', currency: 'EUR', note: 'x' }, /only "amount" and "currency"/],
      [{ amount: '4.8e4', currency: 'EUR' }, /at most 18 digits before the point and 6 after/],
      [{ amount: '48000' }, /a "currency"/],
      ['48000 EUR', /an object/],
    ];
    for (const [dealValue, message] of cases) {
      const err = await failure(proposeHandoff(f.db, asPartner(f.A), proposal(id, f.B, { data: { ...validData, dealValue } }), null));
      expect(err.extensions.code).toBe('BAD_USER_INPUT');
      expect(err.extensions.fields).toEqual([{ field: 'input.data.dealValue', message: expect.stringMatching(message) }]);
    }
    expect((await f.db.query(`SELECT count(*)::int AS n FROM handoffs.handoffs`))[0].n).toBe(before);
  });

  it('publishPlaybook: one VALUE field at most, of type MONEY, among the required data only', async () => {
    const twice = await failure(
      publishPlaybook(f.db, asInternal(f.I), valuedPlaybook({ requiredFields: [VALUE_FIELD, { ...VALUE_FIELD, name: 'otherValue' }] })),
    );
    expect(twice.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.requiredFields.1.role', message: expect.stringMatching(/only one VALUE field/) }],
    });
    const notMoney = await failure(
      publishPlaybook(f.db, asInternal(f.I), valuedPlaybook({ requiredFields: [{ ...VALUE_FIELD, type: PlaybookFieldType.NUMBER }] })),
    );
    expect(notMoney.extensions.fields).toEqual([{ field: 'input.requiredFields.0.role', message: expect.stringMatching(/must be of type MONEY/) }]);
    const deliverable = await failure(publishPlaybook(f.db, asInternal(f.I), valuedPlaybook({ deliverables: [VALUE_FIELD] })));
    expect(deliverable.extensions.fields).toEqual([{ field: 'input.deliverables.0.role', message: expect.stringMatching(/no role/) }]);
    // The playbook in force is still the one published first, with its role.
    const [current] = await f.db.query(
      `SELECT version, required_fields FROM handoffs.playbooks WHERE moment_key = 'CLOSED_WON_TO_ONBOARDING' ORDER BY version DESC LIMIT 1`,
    );
    expect(current.version).toBe(1);
    expect(current.required_fields).toContainEqual(expect.objectContaining({ name: 'dealValue', type: 'MONEY', role: 'VALUE' }));
  });

  it('a due takes its value from the commercials when it opens; the handoff the hub proposes from it takes its own at proposal', async () => {
    await publishPlaybook(
      f.db,
      asInternal(f.I),
      valuedPlaybook({ trigger: { fromStage: LifecycleStage.CLOSED_WON, toStage: LifecycleStage.ONBOARDING, proposeWithin: 'P1D' } }),
    );
    const id = await valuedCustomer(commercials({ arr: '100' }));
    await accountsEvents(f.db, [customerEvent(CUSTOMER_UPDATED, id, f.A, commercials({ arr: '100' }), 'ONBOARDING')]);
    await f.project();
    const [due] = await f.db.query(
      `SELECT id, value_amount::text AS amount, value_currency AS currency, value_source AS source FROM handoffs.handoff_dues WHERE customer_id = $1`,
      [id],
    );
    expect(due).toMatchObject({ amount: '100', currency: 'EUR', source: 'ARR' });
    const [opened] = await eventsOf(f.db, due.id, HANDOFF_DUE_OPENED);
    expect(opened!.payload.due.value).toEqual({ amount: '100', currency: 'EUR', source: 'ARR' });

    await accountsEvents(f.db, [customerEvent(CUSTOMER_UPDATED, id, f.A, commercials({ arr: '150' }), 'ONBOARDING')]);
    await f.project();
    const [outcome] = await withSystem(() =>
      f.db.transaction((m) => proposeDues(m, [{ dueId: due.id, customerId: id, trigger: 'DUE_ESCALATION', toPartnerId: f.B }])),
    );
    expect(outcome).toMatchObject({ outcome: 'PROPOSED' });
    const handoffId = (outcome as { handoffId: string }).handoffId;
    expect(await stored(handoffId)).toEqual({ amount: '150', currency: 'EUR', source: 'ARR' });
    const [after] = await f.db.query(`SELECT state, value_amount::text AS amount FROM handoffs.handoff_dues WHERE id = $1`, [due.id]);
    expect(after).toEqual({ state: 'PROPOSED', amount: '100' });
  });
});
