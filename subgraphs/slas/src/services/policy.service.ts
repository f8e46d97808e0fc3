import type { DataSource, EntityManager } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import { isInternal } from '../../../../shared/auth/identity';
import { badUserInput, forbidden } from '../../../../shared/errors';
import { appendEvent } from '../../../../shared/eventlog/event-log';
import { SLA_POLICY_SET } from '../../../../shared/eventlog/events';
import { isUuid } from '../../../../shared/graphql/ids';
import { compileCalendar, normalizeCalendar, validateCalendar, type CalendarSpec, type FieldProblem } from '../calendar/business-calendar';
import { parseBusinessDuration } from '../calendar/business-duration';
import type { HandoffMoment } from '../entities/enums';
import { SlaEscalationAction } from '../entities/enums';
import type { SlaPolicyInput } from '../resolvers/sla-policy.inputs';
import { reevaluateClocks } from './clock.service';
import { reevaluateDueClocks } from './due-clock.service';
import { CURRENT_POLICY_FROM, POLICY_COLUMNS, policySnapshot, toPolicyRecord, type PolicyRecord, type PolicyRow } from './policy-rows';
import { oneRow } from '../../../../shared/db/rows';

type Query = Pick<EntityManager, 'query'>;

/**
 * The policy that governs a handoff: the current version of the most specific policy of
 * its moment. Precedence, most specific first:
 *   1. moment + partner tier + customer segment
 *   2. moment + partner tier       (any segment)
 *   3. moment + customer segment   (any tier)
 *   4. moment alone                (the moment's default)
 * Tier outranks segment because an SLA is an agreement with the receiving partner, whose
 * tier is what it signed up to; the customer's segment refines the moment's default.
 * Null when no policy covers the moment: such handoffs run no clock.
 */
export async function selectPolicy(q: Query, moment: string, partnerTier: string | null, customerSegment: string | null): Promise<PolicyRecord | null> {
  const rows: PolicyRow[] = await q.query(
    `SELECT ${POLICY_COLUMNS} FROM ${CURRENT_POLICY_FROM}
      WHERE p.moment = $1
        AND (p.partner_tier IS NULL OR p.partner_tier = $2)
        AND (p.customer_segment IS NULL OR p.customer_segment = $3)
      ORDER BY (p.partner_tier IS NOT NULL) DESC, (p.customer_segment IS NOT NULL) DESC
      LIMIT 1`,
    [moment, partnerTier, customerSegment],
  );
  return rows[0] ? toPolicyRecord(rows[0]) : null;
}

/** The current version of every policy of these moments (for {@link pickPolicy}: one read for a whole batch). */
export async function currentPolicies(q: Query, moments: string[]): Promise<PolicyRecord[]> {
  const rows: PolicyRow[] = await q.query(`SELECT ${POLICY_COLUMNS} FROM ${CURRENT_POLICY_FROM} WHERE p.moment = ANY($1::text[])`, [moments]);
  return rows.map(toPolicyRecord);
}

/** {@link selectPolicy} among policies already read: the same precedence, in memory. */
export function pickPolicy(
  policies: PolicyRecord[],
  moment: string,
  partnerTier: string | null | undefined,
  customerSegment: string | null | undefined,
): PolicyRecord | null {
  let best: PolicyRecord | null = null;
  let bestRank = -1;
  for (const p of policies) {
    if (p.moment !== moment) continue;
    if (p.partnerTier !== null && p.partnerTier !== partnerTier) continue;
    if (p.customerSegment !== null && p.customerSegment !== customerSegment) continue;
    // Tier outranks segment; a scope is unique, so no two candidates tie.
    const rank = (p.partnerTier !== null ? 2 : 0) + (p.customerSegment !== null ? 1 : 0);
    if (rank > bestRank) {
      best = p;
      bestRank = rank;
    }
  }
  return best;
}

export async function listPolicies(q: Query, moment: HandoffMoment | null | undefined): Promise<PolicyRecord[]> {
  const rows: PolicyRow[] = await q.query(
    `SELECT ${POLICY_COLUMNS} FROM ${CURRENT_POLICY_FROM}
      WHERE ($1::text IS NULL OR p.moment = $1)
      ORDER BY p.moment, p.partner_tier NULLS FIRST, p.customer_segment NULLS FIRST`,
    [moment ?? null],
  );
  return rows.map(toPolicyRecord);
}

interface ValidTerms {
  acceptMs: number;
  completeMs: number;
  proposeMs: number | null;
  calendar: CalendarSpec;
  reassignToPartnerId: string | null;
}

/** Every problem with the input at once, each named by field. */
function validate(input: SlaPolicyInput): ValidTerms {
  const spec: CalendarSpec = {
    timeZone: input.calendar.timeZone,
    workingHours: input.calendar.workingHours.map((h) => ({ weekday: h.weekday, from: h.from, to: h.to })),
    holidays: input.calendar.holidays ?? [],
  };
  const problems: FieldProblem[] = validateCalendar(spec, 'input.calendar');
  let acceptMs = 0;
  let completeMs = 0;
  let proposeMs: number | null = null;
  if (problems.length === 0) {
    const cal = compileCalendar(normalizeCalendar(spec));
    const accept = parseBusinessDuration(input.acceptWithin, cal);
    const complete = parseBusinessDuration(input.completeWithin, cal);
    if ('error' in accept) problems.push({ field: 'input.acceptWithin', message: accept.error });
    else acceptMs = accept.ms;
    if ('error' in complete) problems.push({ field: 'input.completeWithin', message: complete.error });
    else completeMs = complete.ms;
    if (input.proposeWithin != null) {
      const propose = parseBusinessDuration(input.proposeWithin, cal);
      if ('error' in propose) problems.push({ field: 'input.proposeWithin', message: propose.error });
      else proposeMs = propose.ms;
    }
  }
  const reassign = input.reassignToPartnerId ?? null;
  // REASSIGN without a partner leaves the choice to handoffs' routing rule of the moment.
  if (input.escalation !== SlaEscalationAction.REASSIGN && reassign) {
    problems.push({ field: 'input.reassignToPartnerId', message: 'is only allowed when escalation is REASSIGN' });
  } else if (reassign && !isUuid(reassign)) {
    problems.push({ field: 'input.reassignToPartnerId', message: 'not a valid id' });
  }
  if (problems.length > 0) {
    throw badUserInput(`Invalid input: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  }
  return { acceptMs, completeMs, proposeMs, calendar: normalizeCalendar(spec), reassignToPartnerId: reassign?.toLowerCase() ?? null };
}

const sameTerms = (a: PolicyRecord, input: SlaPolicyInput, t: ValidTerms) =>
  a.acceptWithin === input.acceptWithin &&
  a.completeWithin === input.completeWithin &&
  a.proposeWithin === (input.proposeWithin ?? null) &&
  // jsonb does not keep key order: compare canonical forms.
  JSON.stringify(normalizeCalendar(a.calendar)) === JSON.stringify(t.calendar) &&
  a.warningPercent === input.warningThresholdPercent &&
  a.escalation === input.escalation &&
  a.reassignToPartnerId === t.reassignToPartnerId;

/**
 * setSlaPolicy (internal callers only): the scope's next version, or the current one
 * unchanged when the input repeats it (so a retry creates no version). Running clocks keep
 * their version unless `applyToRunningClocks`.
 */
export async function setSlaPolicy(db: DataSource, identity: Identity, input: SlaPolicyInput, now = new Date()): Promise<PolicyRecord> {
  if (!isInternal(identity)) throw forbidden('Only internal teams can set SLA policies');
  const terms = validate(input);
  return db.transaction(async (manager) => {
    const tier = input.partnerTier ?? null;
    const segment = input.customerSegment ?? null;
    await manager.query(
      `INSERT INTO slas.policies (moment, partner_tier, customer_segment, current_version) VALUES ($1, $2, $3, 0)
       ON CONFLICT (moment, coalesce(partner_tier, ''), coalesce(customer_segment, '')) DO NOTHING`,
      [input.moment, tier, segment],
    );
    // The INSERT above made the scope's row if it was missing.
    const scope = oneRow<{ id: string; current_version: number }>(
      await manager.query(
        `SELECT id, current_version FROM slas.policies
          WHERE moment = $1 AND coalesce(partner_tier, '') = coalesce($2, '') AND coalesce(customer_segment, '') = coalesce($3, '') FOR UPDATE`,
        [input.moment, tier, segment],
      ),
      'SELECT slas.policies (scope)',
    );
    if (scope.current_version > 0) {
      const current = toPolicyRecord(
        oneRow<PolicyRow>(await manager.query(`SELECT ${POLICY_COLUMNS} FROM ${CURRENT_POLICY_FROM} WHERE p.id = $1`, [scope.id]), 'current policy'),
      );
      if (sameTerms(current, input, terms) && !input.applyToRunningClocks) return current;
    }
    const version = scope.current_version + 1;
    await manager.query(
      `INSERT INTO slas.policy_versions (policy_id, version, accept_within, accept_ms, complete_within, complete_ms, propose_within, propose_ms,
                                        calendar, warning_percent, escalation, reassign_to_partner_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        scope.id,
        version,
        input.acceptWithin,
        terms.acceptMs,
        input.completeWithin,
        terms.completeMs,
        input.proposeWithin ?? null,
        terms.proposeMs,
        JSON.stringify(terms.calendar),
        input.warningThresholdPercent,
        input.escalation,
        terms.reassignToPartnerId,
        JSON.stringify(identity),
      ],
    );
    await manager.query(`UPDATE slas.policies SET current_version = $2, updated_at = now() WHERE id = $1`, [scope.id, version]);
    const policy = toPolicyRecord(
      oneRow<PolicyRow>(await manager.query(`SELECT ${POLICY_COLUMNS} FROM ${CURRENT_POLICY_FROM} WHERE p.id = $1`, [scope.id]), 'new policy version'),
    );
    await appendEvent(manager, {
      type: SLA_POLICY_SET,
      source: 'slas',
      aggregateType: 'SlaPolicy',
      aggregateId: policy.id,
      payload: { policy: policySnapshot(policy) } as unknown as Record<string, unknown>,
      visibleTo: [],
      actor: identity,
    });
    if (input.applyToRunningClocks) {
      await reevaluateClocks(manager, policy, now);
      await reevaluateDueClocks(manager, policy, now);
    }
    return policy;
  });
}
