import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Identity } from '../../../shared/auth/identity';
import { openDataSource } from '../../../shared/db/data-source';
import { appendEvents, type NewEvent } from '../../../shared/eventlog/event-log';
import { CUSTOMER_CREATED, PARTNER_CREATED } from '../../../shared/eventlog/events';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { createAccountsProjectionConsumer } from '../src/consumers/accounts-projection.consumer';
import { createHandoffsDataSource } from '../src/data-source';
import { HandoffMoment, PlaybookFieldType } from '../src/entities/enums';
import type { ProposeHandoffInput } from '../src/resolvers/handoff.inputs';
import type { PlaybookInput } from '../src/resolvers/playbook.inputs';
import { publishPlaybook } from '../src/services/playbook.service';

export const silentLog = createLogger('handoffs-test', 'silent');

export const partnerId = () => randomUUID();
export const asPartner = (partnerId: string): Identity => ({ partnerId, role: 'PARTNER', scopes: ['handoffs:read', 'handoffs:write'] });
export const asInternal = (partnerId: string): Identity => ({ partnerId, role: 'INTERNAL', scopes: ['handoffs:read', 'handoffs:write', 'admin'] });

export interface HandoffsFixture {
  db: DataSource;
  database: TestDatabase;
  /** Partners A, B, C (resellers) and I (an internal team). */
  A: string;
  B: string;
  C: string;
  I: string;
  /** Writes accounts' events for a new customer owned by `owner` and projects them. */
  customer(owner: string | null, name?: string): Promise<string>;
  /** Drains handoffs' accounts projection. */
  project(): Promise<void>;
  stop(): Promise<void>;
}

/** Pretends to be accounts: writes the events accounts would, never touching its tables. */
export async function accountsEvents(db: DataSource, events: NewEvent[]) {
  await db.transaction((m) => appendEvents(m, events));
}

export const partnerCreated = (id: string, name: string, kind = 'RESELLER', tier = 'GOLD'): NewEvent => ({
  type: PARTNER_CREATED,
  source: 'accounts',
  aggregateType: 'Partner',
  aggregateId: id,
  payload: { partner: { id, name, kind, tier, region: 'NA', status: 'ACTIVE' } },
  visibleTo: [id],
});

export const customerCreated = (id: string, name: string, owner: string | null): NewEvent => ({
  type: CUSTOMER_CREATED,
  source: 'accounts',
  aggregateType: 'Customer',
  aggregateId: id,
  payload: {
    customer: { id, name, domain: null, segment: 'ENTERPRISE', region: 'EMEA', lifecycleStage: 'CLOSED_WON', ownerPartnerId: owner, version: 1 },
    changed: [],
  },
  visibleTo: owner ? [owner] : [],
});

/** A fresh database with handoffs migrated, four partners and nothing else. */
export async function startHandoffsFixture(): Promise<HandoffsFixture> {
  const database = await createTestDatabase({ migrated: [{ name: 'handoffs', createDataSource: createHandoffsDataSource }], seeded: false });
  const db = await openDataSource(createHandoffsDataSource(database.url, 8));
  const projection = createAccountsProjectionConsumer(db, silentLog);
  const [A, B, C, I] = [partnerId(), partnerId(), partnerId(), partnerId()];
  await accountsEvents(db, [
    partnerCreated(A, 'Partner A'),
    partnerCreated(B, 'Partner B', 'SERVICE_PROVIDER', 'PLATINUM'),
    partnerCreated(C, 'Partner C'),
    partnerCreated(I, 'Internal team', 'INTERNAL_TEAM', 'PLATINUM'),
  ]);
  const project = () => projection.catchUp(15_000);
  await project();
  let n = 0;
  return {
    db,
    database,
    A,
    B,
    C,
    I,
    async customer(owner, name) {
      const id = randomUUID();
      await accountsEvents(db, [customerCreated(id, name ?? `Customer ${++n}`, owner)]);
      await project();
      return id;
    },
    project,
    async stop() {
      await projection.stop();
      await db.destroy();
      await database.drop();
    },
  };
}

/** An onboarding playbook with required data and deliverables. */
export const onboardingPlaybook = (): PlaybookInput => ({
  moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
  name: 'Closed-won to onboarding',
  description: null,
  trigger: null,
  requiredFields: [
    { name: 'contractValue', type: PlaybookFieldType.NUMBER, description: 'ACV in USD', required: true },
    { name: 'startDate', type: PlaybookFieldType.DATE, description: 'Contracted start date', required: true },
    { name: 'sponsor', type: PlaybookFieldType.EMAIL, description: 'Executive sponsor', required: true },
    { name: 'notes', type: PlaybookFieldType.STRING, description: 'Anything else', required: false },
  ],
  responsibleRole: 'Onboarding manager',
  customerFacingActions: ['Welcome email'],
  tasks: [
    { title: 'Send the welcome email', description: null, dueInDays: 1 },
    { title: 'Run the kick-off', description: 'Replay the success criteria', dueInDays: 5 },
  ],
  deliverables: [{ name: 'kickoffDate', type: PlaybookFieldType.DATE, description: 'When the kick-off happened', required: true }],
  changeNote: null,
});

export const publish = (db: DataSource, internal: string, input: PlaybookInput = onboardingPlaybook()) => publishPlaybook(db, asInternal(internal), input);

export const validData = { contractValue: 12000, startDate: '2026-03-01', sponsor: 'ceo@example.com' };

export const proposal = (customerId: string, toPartnerId: string, over: Partial<ProposeHandoffInput> = {}): ProposeHandoffInput => ({
  customerId,
  toPartnerId,
  moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
  customMoment: null,
  playbookId: null,
  contextPackage: {
    summary: 'Signed; wants to go live in March',
    customerSaid: ['We need SSO'],
    goals: ['Live in March'],
    contacts: [],
    links: [],
    notes: null,
  },
  customerMessage: 'Your onboarding partner will contact you today.',
  data: validData,
  ...over,
});

/** Events of a type about an aggregate, in log order. */
export async function eventsOf(
  db: DataSource,
  aggregateId: string,
  type?: string,
): Promise<{ type: string; tx: string; payload: any; visible_to: string[] }[]> {
  return db.query(
    `SELECT type, tx::text AS tx, payload, visible_to FROM eventlog.events WHERE aggregate_id = $1 ${type ? 'AND type = $2' : ''} ORDER BY tx, seq`,
    type ? [aggregateId, type] : [aggregateId],
  );
}
