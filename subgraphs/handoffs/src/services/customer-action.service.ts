import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { oneRow } from '../../../../shared/db/rows';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/errors';
import { appendEvents } from '../../../../shared/eventlog/event-log';
import { CUSTOMER_ACTION_STATUS_SET, type CustomerActionStatusSetPayload } from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import { CustomerActionStatus, HandoffState } from '../entities/enums';
import type { CustomerActionState, Handoff } from '../entities/handoff.entity';
import type { HandoffCustomerAction } from '../entities/customer-journey.entity';
import type { Playbook } from '../entities/playbook.entity';
import { canSeeHandoff } from './access';
import { handoffNotice } from './handoff-events';
import { HANDOFF_COLUMNS, selectHandoff, toHandoff } from './handoff-store';
import { playbookById } from './playbook.service';
import { returned } from './sql';

/**
 * The status of a handoff's customer-facing actions. The playbook's actions are sentences
 * for the customer ("Kick-off meeting within 5 business days"), not tasks: a task is the new
 * owner's own work and a playbook's tasks need not match its actions one to one, so the
 * status cannot be derived from tasks. The new owner says when an action is done; the state
 * lives on the handoff row (customer_actions, keyed by the action's position in the
 * handoff's own playbook version, which never changes).
 */
export function customerActionsOf(h: Pick<Handoff, 'customerActionState'>, playbook: Pick<Playbook, 'customerFacingActions'> | null): HandoffCustomerAction[] {
  const state: CustomerActionState = h.customerActionState ?? {};
  return (playbook?.customerFacingActions ?? []).map((action, position) => {
    const done = state[String(position)];
    return { position, action, status: done ? CustomerActionStatus.DONE : CustomerActionStatus.OPEN, doneAt: done ? new Date(done.doneAt) : null };
  });
}

/**
 * Marks one customer-facing action DONE or OPEN again: the handoff's receiver once it has
 * accepted (it is the owner then), or an internal team. NOT_FOUND for a handoff the caller
 * cannot see; FORBIDDEN for its sender; CONFLICT before acceptance or once it is closed;
 * BAD_USER_INPUT for a position the playbook does not have. Setting the status it already
 * has changes nothing. Writes CustomerActionStatusSet.
 */
export async function setCustomerActionStatus(
  db: DataSource,
  identity: Identity,
  rawHandoffId: string,
  position: number,
  status: CustomerActionStatus,
  now = new Date(),
): Promise<Handoff> {
  const id = assertId(rawHandoffId, 'handoffId');
  return db.transaction(async (sql) => {
    const h = await selectHandoff(sql, id, true);
    if (!h || !canSeeHandoff(identity, h)) throw notFound('Handoff', id);
    if (!isInternal(identity) && identity.partnerId !== h.toPartnerId)
      throw forbidden(`Only the handoff's new owner (${h.toPartnerId}) or an internal team can set the status of its customer-facing actions`);
    if (h.state !== HandoffState.ACCEPTED && h.state !== HandoffState.COMPLETED)
      throw conflict(`Customer-facing actions are set once the handoff is accepted (it is ${h.state})`, { currentState: h.state });
    const playbook = h.playbookId ? await playbookById(sql, h.playbookId) : null;
    const actions = playbook?.customerFacingActions ?? [];
    if (!Number.isInteger(position) || position < 0 || position >= actions.length) {
      throw badUserInput(`position: the playbook has ${actions.length} customer-facing action(s) (positions 0–${Math.max(actions.length - 1, 0)})`, [
        { field: 'position', message: `must be from 0 to ${actions.length - 1}` },
      ]);
    }
    const state: CustomerActionState = { ...(h.customerActionState ?? {}) };
    const key = String(position);
    if ((status === CustomerActionStatus.DONE) === !!state[key]) return h;
    if (status === CustomerActionStatus.DONE) state[key] = { doneAt: now.toISOString(), byPartnerId: identity.partnerId ?? null };
    else delete state[key];
    const rows = returned<object>(
      await sql.query(`UPDATE handoffs.handoffs h SET customer_actions = $2::jsonb, updated_at = $3 WHERE h.id = $1 RETURNING ${HANDOFF_COLUMNS}`, [
        id,
        JSON.stringify(state),
        now,
      ]),
    );
    const updated = toHandoff(oneRow(rows, 'UPDATE handoffs.handoffs (customer actions)'));
    const payload: CustomerActionStatusSetPayload = { handoffId: id, position, action: actions[position]!, status, at: now.toISOString() };
    await appendEvents(sql, [handoffNotice(CUSTOMER_ACTION_STATUS_SET, h, payload, identity)]);
    return updated;
  });
}
