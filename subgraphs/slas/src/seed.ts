import type { DataSource } from 'typeorm';
import { appendEvents, type NewEvent } from '../../../shared/eventlog/event-log';
import { SLA_POLICY_SET } from '../../../shared/eventlog/events';
import { OFFICE_HOURS, compileCalendar, normalizeCalendar } from './calendar/business-calendar';
import { parseBusinessDuration } from './calendar/business-duration';
import { HandoffMoment, PartnerTier, Segment, SlaEscalationAction } from './entities/enums';
import { CURRENT_POLICY_FROM, POLICY_COLUMNS, policySnapshot, toPolicyRecord, type PolicyRow } from './services/policy-rows';
import { oneRow } from '../../../shared/db/rows';

/** Office hours at HQ (New York), closed on the US federal holidays that fall on weekdays. */
export const DEMO_CALENDAR = normalizeCalendar(
  OFFICE_HOURS('America/New_York', ['2025-12-25', '2026-01-01', '2026-05-25', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25', '2027-01-01']),
);

/**
 * Demo policies, fixed ids: one default per moment, plus a narrower tier policy and a
 * narrower segment policy so that precedence shows in the demo. Idempotent: policies that
 * exist (whatever their version) are left alone.
 */
/** `propose`: the PROPOSE target of the moment's default policy (time from a stage move to the proposal); the demo times MQL → SQL and onboarding. */
export const DEMO_POLICIES = [
  {
    id: '00000000-0000-4000-f200-000000000001',
    moment: HandoffMoment.MQL_TO_SQL,
    tier: null,
    segment: null,
    accept: 'PT4H',
    complete: 'P2D',
    propose: 'PT8H',
    warn: 75,
    escalation: SlaEscalationAction.NOTIFY,
  },
  {
    id: '00000000-0000-4000-f200-000000000002',
    moment: HandoffMoment.DIRECT_TO_PARTNER,
    tier: null,
    segment: null,
    accept: 'P1D',
    complete: 'P10D',
    propose: null,
    warn: 80,
    escalation: SlaEscalationAction.RECLAIM,
  },
  {
    id: '00000000-0000-4000-f200-000000000003',
    moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
    tier: null,
    segment: null,
    accept: 'PT8H',
    complete: 'P5D',
    propose: 'P1D',
    warn: 80,
    escalation: SlaEscalationAction.NOTIFY,
  },
  {
    id: '00000000-0000-4000-f200-000000000004',
    moment: HandoffMoment.ONBOARDING_TO_SUCCESS,
    tier: null,
    segment: null,
    accept: 'P2D',
    complete: 'P10D',
    propose: null,
    warn: 80,
    escalation: SlaEscalationAction.NOTIFY,
  },
  {
    id: '00000000-0000-4000-f200-000000000005',
    moment: HandoffMoment.SUCCESS_TO_RENEWAL,
    tier: null,
    segment: null,
    accept: 'P3D',
    complete: 'P4W',
    propose: null,
    warn: 80,
    escalation: SlaEscalationAction.NOTIFY,
  },
  {
    id: '00000000-0000-4000-f200-000000000006',
    moment: HandoffMoment.DIRECT_TO_PARTNER,
    tier: PartnerTier.PLATINUM,
    segment: null,
    accept: 'PT4H',
    complete: 'P5D',
    propose: null,
    warn: 75,
    escalation: SlaEscalationAction.RECLAIM,
  },
  {
    id: '00000000-0000-4000-f200-000000000007',
    moment: HandoffMoment.MQL_TO_SQL,
    tier: null,
    segment: Segment.ENTERPRISE,
    accept: 'PT2H',
    complete: 'P1D',
    propose: null,
    warn: 75,
    escalation: SlaEscalationAction.NOTIFY,
  },
] as const;

export async function seedSlas(db: DataSource): Promise<void> {
  const cal = compileCalendar(DEMO_CALENDAR);
  const ms = (iso: string) => (parseBusinessDuration(iso, cal) as { ms: number }).ms;
  await db.transaction(async (manager) => {
    const events: NewEvent[] = [];
    for (const p of DEMO_POLICIES) {
      const created: unknown[] = await manager.query(
        `INSERT INTO slas.policies (id, moment, partner_tier, customer_segment, current_version) VALUES ($1, $2, $3, $4, 1)
         ON CONFLICT DO NOTHING RETURNING id`,
        [p.id, p.moment, p.tier, p.segment],
      );
      if (created.length === 0) continue;
      await manager.query(
        `INSERT INTO slas.policy_versions (policy_id, version, accept_within, accept_ms, complete_within, complete_ms, calendar, warning_percent, escalation, created_by, propose_within, propose_ms)
         VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          p.id,
          p.accept,
          ms(p.accept),
          p.complete,
          ms(p.complete),
          JSON.stringify(DEMO_CALENDAR),
          p.warn,
          p.escalation,
          JSON.stringify({ role: 'SERVICE', scopes: ['seed'] }),
          p.propose,
          p.propose ? ms(p.propose) : null,
        ],
      );
      const row = oneRow<PolicyRow>(await manager.query(`SELECT ${POLICY_COLUMNS} FROM ${CURRENT_POLICY_FROM} WHERE p.id = $1`, [p.id]), 'current policy');
      events.push({
        type: SLA_POLICY_SET,
        source: 'slas',
        aggregateType: 'SlaPolicy',
        aggregateId: p.id,
        payload: { policy: policySnapshot(toPolicyRecord(row)) } as unknown as Record<string, unknown>,
        visibleTo: [],
        actor: { role: 'SERVICE', scopes: ['seed'] },
      });
    }
    await appendEvents(manager, events);
  });
}
