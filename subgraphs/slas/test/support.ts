import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Identity } from '../../../shared/auth/identity';
import { openDataSource } from '../../../shared/db/data-source';
import { appendEvents } from '../../../shared/eventlog/event-log';
import type { HandoffDueSnapshot, HandoffSnapshot } from '../../../shared/eventlog/events';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { ALWAYS_ON, type CalendarSpec } from '../src/calendar/business-calendar';
import { createSlasDataSource } from '../src/data-source';
import { HandoffMoment, SlaEscalationAction } from '../src/entities/enums';
import type { SlaPolicyInput } from '../src/resolvers/sla-policy.inputs';
import { setSlaPolicy } from '../src/services/policy.service';

export const log = createLogger('slas-test', 'silent');
export const SERVICE: Identity = { role: 'SERVICE', scopes: ['test'] };
export const HOUR = 3_600_000;

export interface SlasDb {
  db: DataSource;
  url: string;
  stop(): Promise<void>;
}

/** A fresh database with the slas schema migrated (and the shared event log). */
export async function startSlasDb(): Promise<SlasDb> {
  const database: TestDatabase = await createTestDatabase({ migrated: [{ name: 'slas', createDataSource: createSlasDataSource }], seeded: false });
  const db = await openDataSource(createSlasDataSource(database.url, 8));
  return {
    db,
    url: database.url,
    async stop() {
      await db.destroy();
      await database.drop();
    },
  };
}

export function policyInput(patch: Partial<Omit<SlaPolicyInput, 'calendar'>> & { calendar?: CalendarSpec } = {}): SlaPolicyInput {
  const { calendar, ...rest } = patch;
  return {
    moment: HandoffMoment.DIRECT_TO_PARTNER,
    partnerTier: null,
    customerSegment: null,
    acceptWithin: 'PT10H',
    completeWithin: 'PT20H',
    calendar: calendar ?? ALWAYS_ON('UTC'),
    warningThresholdPercent: 80,
    escalation: SlaEscalationAction.NOTIFY,
    reassignToPartnerId: null,
    applyToRunningClocks: false,
    ...rest,
  } as SlaPolicyInput;
}

export const setPolicy = (db: DataSource, patch: Parameters<typeof policyInput>[0] = {}, now?: Date) => setSlaPolicy(db, SERVICE, policyInput(patch), now);

export function handoff(patch: Partial<HandoffSnapshot> = {}): HandoffSnapshot {
  return {
    id: randomUUID(),
    customerId: randomUUID(),
    moment: 'DIRECT_TO_PARTNER',
    customMoment: null,
    state: 'PROPOSED',
    fromPartnerId: randomUUID(),
    toPartnerId: randomUUID(),
    toPartnerTier: 'GOLD',
    customerSegment: 'SMB',
    customerRegion: 'NA',
    playbookId: null,
    playbookVersion: null,
    requiredDataComplete: true,
    onHold: false,
    proposedAt: new Date().toISOString(),
    acceptedAt: null,
    completedAt: null,
    closedAt: null,
    ...patch,
  };
}

/** Appends a handoff event as the handoffs subgraph would (its own transaction). */
export async function emit(db: DataSource, type: string, h: HandoffSnapshot, extra: { at?: Date; reason?: string } = {}): Promise<void> {
  await db.transaction((m) =>
    appendEvents(m, [
      {
        type,
        source: 'handoffs',
        aggregateType: 'Handoff',
        aggregateId: h.id,
        payload: { handoff: h, reason: extra.reason ?? null, at: extra.at?.toISOString() ?? null },
        visibleTo: [h.fromPartnerId, h.toPartnerId].filter((p): p is string => !!p),
        actor: null,
      },
    ]),
  );
}

export async function clocksOf(db: DataSource, handoffId: string) {
  return db.query(`SELECT * FROM slas.clocks WHERE handoff_id = $1 ORDER BY started_at, target`, [handoffId]);
}

export async function eventsOf(db: DataSource, types: string[], handoffId?: string): Promise<{ type: string; payload: any; visible_to: string[] }[]> {
  return db.query(
    `SELECT type, payload, visible_to FROM eventlog.events WHERE type = ANY($1) AND ($2::text IS NULL OR payload->'handoff'->>'id' = $2) ORDER BY seq`,
    [types, handoffId ?? null],
  );
}

/** A HandoffDue as handoffs' HandoffDue* events carry it: OPEN, the stage move now unless given. */
export function due(patch: Partial<HandoffDueSnapshot> = {}): HandoffDueSnapshot {
  const at = patch.stageMove?.at ?? new Date().toISOString();
  return {
    id: randomUUID(),
    customerId: randomUUID(),
    moment: 'CLOSED_WON_TO_ONBOARDING',
    customMoment: null,
    playbookId: randomUUID(),
    playbookVersion: 1,
    stageMove: { fromStage: 'CLOSED_WON', toStage: 'ONBOARDING', eventId: randomUUID(), at },
    accountablePartnerId: randomUUID(),
    suggestedPartnerId: null,
    suggestionRuleId: null,
    proposeWithin: null,
    dueAt: null,
    autoPropose: false,
    missingData: [],
    state: 'OPEN',
    handoffId: null,
    dismissedReason: null,
    dismissedByPartnerId: null,
    supersededByEventId: null,
    openedAt: at,
    closedAt: null,
    ...patch,
  };
}

/** Appends HandoffDue* events as the handoffs subgraph would (one transaction, in order). */
export async function emitDues(db: DataSource, events: { type: string; due: HandoffDueSnapshot }[]): Promise<void> {
  await db.transaction((m) =>
    appendEvents(
      m,
      events.map(({ type, due: d }) => ({
        type,
        source: 'handoffs',
        aggregateType: 'HandoffDue',
        aggregateId: d.id,
        payload: { due: d },
        visibleTo: d.accountablePartnerId ? [d.accountablePartnerId] : [],
        actor: null,
      })),
    ),
  );
}
