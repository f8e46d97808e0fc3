import { Handoff } from '../entities/handoff.entity';
import { OwnershipChange } from '../entities/ownership-change.entity';
import type { PlaybookField } from '../entities/playbook-parts';
import { Playbook } from '../entities/playbook.entity';
import { Task } from '../entities/task.entity';
import { returned, type Sql } from './sql';
import { oneRow } from '../../../../shared/db/rows';
import { COMMERCIALS_COLUMNS, type CommercialsFigures } from './handoff-value';

/** Column lists aliased to the entities' property names, so rows map with Object.assign. */
export const HANDOFF_COLUMNS = `h.id, h.customer_id AS "customerId", h.customer_name AS "customerName", h.moment, h.custom_moment AS "customMoment",
  h.state, h.from_partner_id AS "fromPartnerId", h.to_partner_id AS "toPartnerId", h.proposed_by_partner_id AS "proposedByPartnerId",
  h.to_partner_tier AS "toPartnerTier", h.customer_segment AS "customerSegment", h.customer_region AS "customerRegion",
  h.playbook_id AS "playbookId", h.playbook_version AS "playbookVersion", h.context_package AS "contextPackage",
  h.customer_message AS "customerMessage", h.data, h.required_data_complete AS "requiredDataComplete", h.on_hold AS "onHold",
  h.hold_reason AS "holdReason", h.reason_code AS "reasonCode", h.reason, h.deliverables, h.reassigned_from_id AS "reassignedFromId",
  h.routing, h.rerouted_from_id AS "reroutedFromId", h.value_amount::text AS "valueAmount", h.value_currency AS "valueCurrency", h.value_source AS "valueSource",
  h.proposed_at AS "proposedAt", h.accepted_at AS "acceptedAt", h.completed_at AS "completedAt", h.closed_at AS "closedAt",
  h.updated_at AS "updatedAt", h.proposed_by_person_id AS "proposedByPersonId", h.accepted_by_person_id AS "acceptedByPersonId",
  h.rejected_by_person_id AS "rejectedByPersonId", h.completed_by_person_id AS "completedByPersonId", h.customer_actions AS "customerActionState"`;

export const OWNERSHIP_COLUMNS = `o.id, o.customer_id AS "customerId", o.from_partner_id AS "fromPartnerId", o.to_partner_id AS "toPartnerId",
  o.handoff_id AS "handoffId", o.actor_partner_id AS "actorPartnerId", o.reason, o.at`;

export const TASK_COLUMNS = `t.id, t.handoff_id AS "handoffId", t.customer_id AS "customerId", t.assignee_partner_id AS "assigneePartnerId",
  t.title, t.description, t.status, t.due_at AS "dueAt", t.created_at AS "createdAt", t.completed_at AS "completedAt",
  t.assignee_person_id AS "assigneePersonId", t.assignee_role AS "assigneeRole", t.overdue_at AS "overdueAt"`;

export const PLAYBOOK_COLUMNS = `p.id, p.moment, p.custom_moment AS "customMoment", p.moment_key AS "momentKey", p.version, p.name, p.description,
  p.trigger, p.required_fields AS "requiredFields", p.responsible_role AS "responsibleRole",
  p.customer_facing_actions AS "customerFacingActions", p.tasks, p.deliverables, p.change_note AS "changeNote",
  p.published_at AS "publishedAt", p.published_by_partner_id AS "publishedByPartnerId", p.customer_visible_context AS "customerVisibleContext"`;

export const toHandoff = (row: object): Handoff => Object.assign(new Handoff(), row);
export const toOwnershipChange = (row: object): OwnershipChange => Object.assign(new OwnershipChange(), row);
export const toTask = (row: object): Task => Object.assign(new Task(), row);
/** Fields stored before customerVisible existed read as not visible. */
const withVisibility = (fields: PlaybookField[] | undefined) => (fields ?? []).map((f) => ({ ...f, customerVisible: f.customerVisible ?? false }));

export const toPlaybook = (row: object): Playbook => {
  const p = Object.assign(new Playbook(), row);
  p.requiredFields = withVisibility(p.requiredFields);
  p.deliverables = withVisibility(p.deliverables);
  p.customerVisibleContext = p.customerVisibleContext ?? [];
  return p;
};

/** One handoff, optionally locked for the rest of the transaction (state changes serialise on it). */
export async function selectHandoff(sql: Sql, id: string, lock: boolean): Promise<Handoff | null> {
  const rows: object[] = await sql.query(`SELECT ${HANDOFF_COLUMNS} FROM handoffs.handoffs h WHERE h.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toHandoff(rows[0]) : null;
}

const COLUMN_OF: Partial<Record<keyof Handoff, string>> = {
  state: 'state',
  onHold: 'on_hold',
  holdReason: 'hold_reason',
  reasonCode: 'reason_code',
  reason: 'reason',
  deliverables: 'deliverables',
  acceptedAt: 'accepted_at',
  completedAt: 'completed_at',
  closedAt: 'closed_at',
  acceptedByPersonId: 'accepted_by_person_id',
  rejectedByPersonId: 'rejected_by_person_id',
  completedByPersonId: 'completed_by_person_id',
};

/** Writes the changed fields and returns the handoff as stored. */
export async function updateHandoff(sql: Sql, id: string, changes: Partial<Handoff>): Promise<Handoff> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [key, value] of Object.entries(changes)) {
    const column = COLUMN_OF[key as keyof Handoff];
    if (!column) throw new Error(`updateHandoff: ${key} is not updatable`);
    params.push(key === 'deliverables' && value !== null ? JSON.stringify(value) : value);
    sets.push(`${column} = $${params.length}`);
  }
  const rows = returned<object>(
    await sql.query(`UPDATE handoffs.handoffs h SET ${sets.join(', ')}, updated_at = now() WHERE h.id = $1 RETURNING ${HANDOFF_COLUMNS}`, params),
  );
  return toHandoff(oneRow(rows, 'UPDATE handoffs.handoffs'));
}

/** The customer as handoffs knows it, locked when ownership may move. */
export interface CustomerRow extends CommercialsFigures {
  id: string;
  name: string;
  segment: string | null;
  region: string | null;
  lifecycleStage: string | null;
  ownerPartnerId: string | null;
}

export async function selectCustomer(sql: Sql, id: string, lock: boolean): Promise<CustomerRow | null> {
  const rows: CustomerRow[] = await sql.query(
    `SELECT c.id, c.name, c.segment, c.region, c.lifecycle_stage AS "lifecycleStage", c.owner_partner_id AS "ownerPartnerId", ${COMMERCIALS_COLUMNS}
       FROM handoffs.customers c WHERE c.id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export interface PartnerRow {
  id: string;
  name: string;
  kind: string;
  tier: string;
  status: string;
}

export async function selectPartner(sql: Sql, id: string): Promise<PartnerRow | null> {
  const rows: PartnerRow[] = await sql.query(`SELECT id, name, kind, tier, status FROM handoffs.partners WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** The caller's relation to a customer: its access grant, and whether a handoff names it. */
export async function customerRelation(sql: Sql, customerId: string, partnerId: string): Promise<{ access: 'OWNER' | 'COLLABORATOR' | null; named: boolean }> {
  const rows: { access: 'OWNER' | 'COLLABORATOR' | null; named: boolean }[] = await sql.query(
    `SELECT (SELECT kind FROM handoffs.customer_access WHERE customer_id = $1 AND partner_id = $2) AS access,
            EXISTS (SELECT 1 FROM handoffs.handoffs WHERE customer_id = $1 AND $2 IN (from_partner_id, to_partner_id, proposed_by_partner_id)) AS named`,
    [customerId, partnerId],
  );
  return oneRow(rows, 'customerRelation');
}
