import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/errors';
import type { NewEvent } from '../../../../shared/eventlog/event-log';
import {
  HANDOFF_DUE_DISMISSED,
  HANDOFF_DUE_OPENED,
  HANDOFF_DUE_PROPOSED,
  HANDOFF_DUE_SUPERSEDED,
  type HandoffDueEventPayload,
  type HandoffDueSnapshot,
} from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import { HandoffDueState } from '../entities/enums';
import { HandoffDue } from '../entities/handoff-due.entity';
import type { Handoff } from '../entities/handoff.entity';
import { routeMany } from './routing/routing.service';
import { dataFromRecord, type CustomerKnowledge } from './due-data';
import type { PlaybookField } from '../entities/playbook-parts';
import { recordEvents } from './handoff-events';
import { commercialsValueSql, valueOfRow } from './handoff-value';
import { returned, type Sql } from './sql';

export const DUE_COLUMNS = `d.id, d.customer_id AS "customerId", d.moment, d.custom_moment AS "customMoment", d.moment_key AS "momentKey",
  d.playbook_id AS "playbookId", d.playbook_version AS "playbookVersion", d.from_stage AS "fromStage", d.to_stage AS "toStage",
  d.cause_event_id AS "causeEventId", d.moved_at AS "movedAt", d.accountable_partner_id AS "accountablePartnerId",
  d.suggested_partner_id AS "suggestedPartnerId", d.suggestion_rule_id AS "suggestionRuleId", d.propose_within AS "proposeWithin",
  d.due_at AS "dueAt", d.auto_propose AS "autoPropose", d.missing_data AS "missingData", d.state, d.handoff_id AS "handoffId", d.dismissed_reason AS "dismissedReason",
  d.dismissed_by_partner_id AS "dismissedByPartnerId", d.superseded_by_event_id AS "supersededByEventId", d.opened_at AS "openedAt",
  d.closed_at AS "closedAt", d.value_amount::text AS "valueAmount", d.value_currency AS "valueCurrency", d.value_source AS "valueSource"`;

export const toDue = (row: object): HandoffDue => Object.assign(new HandoffDue(), row);

/**
 * What handoffs knows of the customer `c` (services/due-data.ts): its record, and the data of
 * its earlier handoffs and the deliverables of the completed ones, the newest winning a key.
 */
export const KNOWLEDGE_COLUMNS = `c.record,
  (SELECT jsonb_object_agg(kv.key, kv.value ORDER BY h.proposed_at, h.id)
     FROM handoffs.handoffs h
    CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(h.data) = 'object' THEN h.data ELSE '{}'::jsonb END
       || CASE WHEN h.state = 'COMPLETED' AND jsonb_typeof(h.deliverables) = 'object' THEN h.deliverables ELSE '{}'::jsonb END) kv
    WHERE h.customer_id = c.id) AS history`;

/** A stage move the accounts projection saw: one CustomerUpdated whose lifecycle stage differs from the one before it. */
export interface StageMoveFact {
  customerId: string;
  fromStage: string;
  toStage: string;
  eventId: string;
  at: Date;
  /** The event of the same customer's next move in the same batch, which supersedes whatever this one opens. */
  supersededBy: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function dueSnapshot(d: HandoffDue): HandoffDueSnapshot {
  return {
    id: d.id,
    customerId: d.customerId,
    moment: d.moment,
    customMoment: d.customMoment,
    playbookId: d.playbookId,
    playbookVersion: d.playbookVersion,
    stageMove: { fromStage: d.fromStage, toStage: d.toStage, eventId: d.causeEventId, at: d.movedAt.toISOString() },
    accountablePartnerId: d.accountablePartnerId,
    suggestedPartnerId: d.suggestedPartnerId,
    suggestionRuleId: d.suggestionRuleId,
    proposeWithin: d.proposeWithin,
    dueAt: iso(d.dueAt),
    autoPropose: d.autoPropose,
    missingData: d.missingData,
    value: valueOfRow(d),
    state: d.state,
    handoffId: d.handoffId,
    dismissedReason: d.dismissedReason,
    dismissedByPartnerId: d.dismissedByPartnerId,
    supersededByEventId: d.supersededByEventId,
    openedAt: d.openedAt.toISOString(),
    closedAt: iso(d.closedAt),
  };
}

/**
 * HandoffDue* events go to the accountable partner (internal teams see every event). The
 * suggested receiver is not told: a suggestion is not an offer, and it may not see the
 * customer; it hears of the customer when a handoff is proposed to it.
 */
export function dueEvent(type: string, d: HandoffDue, actor: Identity | null): NewEvent {
  return {
    type,
    source: 'handoffs',
    aggregateType: 'HandoffDue',
    aggregateId: d.id,
    payload: { due: dueSnapshot(d) } satisfies HandoffDueEventPayload,
    visibleTo: d.accountablePartnerId ? [d.accountablePartnerId] : [],
    actor,
  };
}

/** How a due opened and superseded in the same batch looked when it opened. */
const OPENED_VIEW: Partial<HandoffDue> = { state: HandoffDueState.OPEN, supersededByEventId: null, closedAt: null };

/**
 * Opens the dues a batch of stage moves calls for, set-based (consumers/accounts-projection):
 *
 * 1. every OPEN due of a moved customer that this batch did not open is SUPERSEDED by the
 *    customer's first move in the batch (a later move leaves the trigger or opens anew);
 * 2. each move that matches the trigger (fromStage → toStage; a trigger that names neither
 *    stage never fires on its own) of a moment's current playbook opens a due, unless a
 *    handoff of the customer at that moment is already open — OPEN when it
 *    is the customer's last move in the batch, SUPERSEDED at once otherwise. The unique key
 *    (cause event, moment) makes a replayed or doubly delivered event open nothing new; the
 *    partial unique index keeps one OPEN per customer and moment when moves race;
 * 3. routing suggests a receiver per OPEN due (a preview: `commit: false` moves no
 *    rotation), stored in one statement;
 * 4. the events, in one statement.
 *
 * Steps 1, 2 and 4 cost one statement each however many moves the batch holds; step 3 is
 * route()'s own statements per due opened, and nothing for moves that open none.
 */
export async function openDuesForMoves(sql: Sql, moves: StageMoveFact[]): Promise<HandoffDue[]> {
  if (moves.length === 0) return [];
  // What the handoff would carry, from the customer's commercials as the projection holds them now.
  const value = commercialsValueSql('p.moment');
  const firstMove = new Map<string, string>();
  for (const m of moves) if (!firstMove.has(m.customerId)) firstMove.set(m.customerId, m.eventId);

  const superseded = returned<object>(
    await sql.query(
      `UPDATE handoffs.handoff_dues d SET state = 'SUPERSEDED', superseded_by_event_id = m.event_id, closed_at = now()
         FROM unnest($1::uuid[], $2::uuid[]) AS m(customer_id, event_id)
        WHERE d.customer_id = m.customer_id AND d.state = 'OPEN' AND d.cause_event_id <> ALL($3::uuid[])
       RETURNING ${DUE_COLUMNS}`,
      [[...firstMove.keys()], [...firstMove.values()], moves.map((m) => m.eventId)],
    ),
  ).map(toDue);

  const openedRows = (await sql.query(
    `WITH m AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS m(customer_id uuid, from_stage text, to_stage text, event_id uuid, at timestamptz, superseded_by uuid)),
       p AS (SELECT DISTINCT ON (moment_key) id, moment, custom_moment, moment_key, version, trigger FROM handoffs.playbooks ORDER BY moment_key, version DESC),
       inserted AS (
         INSERT INTO handoffs.handoff_dues AS d (customer_id, moment, custom_moment, moment_key, playbook_id, playbook_version, from_stage, to_stage,
             cause_event_id, moved_at, accountable_partner_id, propose_within, due_at, auto_propose, state, superseded_by_event_id, closed_at,
             value_amount, value_currency, value_source)
         SELECT m.customer_id, p.moment, p.custom_moment, p.moment_key, p.id, p.version, m.from_stage, m.to_stage, m.event_id, m.at,
                COALESCE(c.owner_partner_id, (p.trigger->>'accountableTeamId')::uuid), p.trigger->>'proposeWithin',
                m.at + (p.trigger->>'proposeWithin')::interval, COALESCE((p.trigger->>'autoPropose')::boolean, false),
                CASE WHEN m.superseded_by IS NULL THEN 'OPEN' ELSE 'SUPERSEDED' END, m.superseded_by,
                CASE WHEN m.superseded_by IS NULL THEN NULL ELSE now() END, ${value.amount}, ${value.currency}, ${value.source}
           FROM m
           JOIN p ON (p.trigger->>'fromStage' IS NOT NULL OR p.trigger->>'toStage' IS NOT NULL)
                 AND (p.trigger->>'fromStage' IS NULL OR p.trigger->>'fromStage' = m.from_stage)
                 AND (p.trigger->>'toStage' IS NULL OR p.trigger->>'toStage' = m.to_stage)
           JOIN handoffs.customers c ON c.id = m.customer_id
          WHERE NOT EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.customer_id = m.customer_id AND h.state IN ('PROPOSED', 'ACCEPTED')
                              AND CASE WHEN h.moment = 'CUSTOM' THEN 'CUSTOM:' || lower(btrim(h.custom_moment)) ELSE h.moment END = p.moment_key)
         ON CONFLICT DO NOTHING
         RETURNING d.*)
       SELECT ${DUE_COLUMNS}, ${KNOWLEDGE_COLUMNS}, pb.required_fields AS "requiredFields"
         FROM inserted d JOIN handoffs.customers c ON c.id = d.customer_id JOIN handoffs.playbooks pb ON pb.id = d.playbook_id
        ORDER BY d.moved_at, d.moment_key`,
    [
      JSON.stringify(
        moves.map((m) => ({
          customer_id: m.customerId,
          from_stage: m.fromStage,
          to_stage: m.toStage,
          event_id: m.eventId,
          at: m.at.toISOString(),
          superseded_by: m.supersededBy,
        })),
      ),
    ],
  )) as (object & CustomerKnowledge & { requiredFields: PlaybookField[] })[];
  const opened: HandoffDue[] = [];
  const missingOf = new Map<HandoffDue, string[]>();
  for (const { record, history, requiredFields, ...row } of openedRows) {
    const due = toDue(row);
    opened.push(due);
    missingOf.set(due, dataFromRecord(requiredFields, { record, history }).missing);
  }

  // Routing's suggestions, set-based: one routeMany preview for every due opened (a preview
  // moves nothing, so each decides as route() alone would).
  const open = opened.filter((d) => d.state === HandoffDueState.OPEN);
  const decisions = await routeMany(
    sql,
    open.map((d) => ({ customerId: d.customerId, moment: d.moment, customMoment: d.customMoment })),
    { commit: false },
  );
  const updates: { id: string; partner_id: string | null; rule_id: string | null; missing: string[] }[] = [];
  open.forEach((due, i) => {
    const decision = decisions[i]!;
    due.suggestedPartnerId = decision.chosen?.partnerId ?? null;
    due.suggestionRuleId = decision.rule?.id ?? null;
    due.missingData = missingOf.get(due) ?? [];
    if (due.suggestedPartnerId || due.suggestionRuleId || due.missingData.length) {
      updates.push({ id: due.id, partner_id: due.suggestedPartnerId, rule_id: due.suggestionRuleId, missing: due.missingData });
    }
  });
  if (updates.length) {
    await sql.query(
      `UPDATE handoffs.handoff_dues d SET suggested_partner_id = s.partner_id, suggestion_rule_id = s.rule_id, missing_data = s.missing
         FROM jsonb_to_recordset($1::jsonb) AS s(id uuid, partner_id uuid, rule_id uuid, missing text[]) WHERE d.id = s.id`,
      [JSON.stringify(updates)],
    );
  }

  const events: NewEvent[] = superseded.map((d) => dueEvent(HANDOFF_DUE_SUPERSEDED, d, null));
  for (const d of opened) {
    events.push(dueEvent(HANDOFF_DUE_OPENED, d.state === HandoffDueState.OPEN ? d : Object.assign(toDue({}), d, OPENED_VIEW), null));
    if (d.state === HandoffDueState.SUPERSEDED) events.push(dueEvent(HANDOFF_DUE_SUPERSEDED, d, null));
  }
  await recordEvents(sql, events);
  return opened;
}

/**
 * Closes the OPEN due of the customer at the handoff's moment, in the proposing transaction:
 * PROPOSED, linked to the handoff. Returns the HandoffDueProposed events for the caller to
 * record with the handoff's own. One statement, whether or not a due was open.
 */
export async function closeDueByProposal(sql: Sql, handoff: Handoff, momentKey: string, actor: Identity | null): Promise<NewEvent[]> {
  const rows = returned<object>(
    await sql.query(
      `UPDATE handoffs.handoff_dues d SET state = 'PROPOSED', handoff_id = $1, closed_at = now()
        WHERE d.customer_id = $2 AND d.moment_key = $3 AND d.state = 'OPEN'
       RETURNING ${DUE_COLUMNS}`,
      [handoff.id, handoff.customerId, momentKey],
    ),
  );
  return rows.map((r) => dueEvent(HANDOFF_DUE_PROPOSED, toDue(r), actor));
}

/**
 * dismissHandoffDue: the accountable partner or an internal team, while OPEN, with a reason.
 * A due the caller may not see is NOT_FOUND; one it sees only as the suggested receiver is
 * FORBIDDEN; one no longer OPEN is CONFLICT naming its state.
 */
export async function dismissHandoffDue(db: DataSource, identity: Identity, id: string, reason: string): Promise<HandoffDue> {
  const dueId = assertId(id, 'id');
  const why = reason.trim();
  if (!why) throw badUserInput('reason must not be empty: say why no handoff is needed', [{ field: 'reason', message: 'must not be empty' }]);
  if (why.length > 2000) throw badUserInput('reason is longer than 2000 characters', [{ field: 'reason', message: 'at most 2000 characters' }]);
  return db.transaction(async (manager) => {
    const [row]: object[] = await manager.query(`SELECT ${DUE_COLUMNS} FROM handoffs.handoff_dues d WHERE d.id = $1 FOR UPDATE`, [dueId]);
    if (!row) throw notFound('HandoffDue', dueId);
    const due = toDue(row);
    if (!isInternal(identity) && due.accountablePartnerId !== identity.partnerId) {
      throw forbidden(`Only the party accountable for handoff due ${due.id} (or an internal team) can dismiss it`);
    }
    if (due.state !== HandoffDueState.OPEN) {
      throw conflict(`Handoff due ${due.id} is ${due.state}; only an OPEN due can be dismissed`, { state: due.state, allowed: [] });
    }
    const [updated] = returned<object>(
      await manager.query(
        `UPDATE handoffs.handoff_dues d SET state = 'DISMISSED', dismissed_reason = $2, dismissed_by_partner_id = $3, closed_at = now()
          WHERE d.id = $1 RETURNING ${DUE_COLUMNS}`,
        [due.id, why, identity.partnerId ?? null],
      ),
    );
    const dismissed = toDue(updated!);
    await recordEvents(manager, [dueEvent(HANDOFF_DUE_DISMISSED, dismissed, identity)]);
    return dismissed;
  });
}
