import type { CalendarSpec } from '../calendar/business-calendar';
import type { HandoffMoment, PartnerTier, Segment, SlaEscalationAction } from '../entities/enums';
import { SlaPolicy, SlaPolicyVersion, type SlaTerms } from '../entities/sla-policy.entity';
import type { SlaPolicySnapshot } from '../../../../shared/eventlog/events';

/** Policy scope (alias p) with one of its versions (alias v). */
export const POLICY_COLUMNS = `p.id, v.version, p.moment, p.partner_tier, p.customer_segment, v.accept_within, v.accept_ms, v.complete_within,
  v.complete_ms, v.propose_within, v.propose_ms, v.calendar, v.warning_percent, v.escalation, v.reassign_to_partner_id, v.created_at`;

export const CURRENT_POLICY_FROM = `slas.policies p JOIN slas.policy_versions v ON v.policy_id = p.id AND v.version = p.current_version`;

export interface PolicyRow {
  id: string;
  version: number;
  moment: HandoffMoment;
  partner_tier: PartnerTier | null;
  customer_segment: Segment | null;
  accept_within: string;
  accept_ms: string;
  complete_within: string;
  complete_ms: string;
  propose_within: string | null;
  propose_ms: string | null;
  calendar: CalendarSpec;
  warning_percent: number;
  escalation: SlaEscalationAction;
  reassign_to_partner_id: string | null;
  created_at: Date;
}

/** A policy version as the services use it. */
export interface PolicyRecord {
  id: string;
  version: number;
  moment: HandoffMoment;
  partnerTier: PartnerTier | null;
  customerSegment: Segment | null;
  acceptWithin: string;
  acceptMs: number;
  completeWithin: string;
  completeMs: number;
  /** The PROPOSE target of dues; null: no PROPOSE clock. */
  proposeWithin: string | null;
  proposeMs: number | null;
  calendar: CalendarSpec;
  warningPercent: number;
  escalation: SlaEscalationAction;
  reassignToPartnerId: string | null;
  createdAt: Date;
}

export const toPolicyRecord = (r: PolicyRow): PolicyRecord => ({
  id: r.id,
  version: r.version,
  moment: r.moment,
  partnerTier: r.partner_tier,
  customerSegment: r.customer_segment,
  acceptWithin: r.accept_within,
  acceptMs: Number(r.accept_ms),
  completeWithin: r.complete_within,
  completeMs: Number(r.complete_ms),
  proposeWithin: r.propose_within,
  proposeMs: r.propose_ms === null ? null : Number(r.propose_ms),
  calendar: r.calendar,
  warningPercent: r.warning_percent,
  escalation: r.escalation,
  reassignToPartnerId: r.reassign_to_partner_id,
  createdAt: r.created_at,
});

function terms(p: PolicyRecord): SlaTerms {
  return {
    version: p.version,
    moment: p.moment,
    partnerTier: p.partnerTier,
    customerSegment: p.customerSegment,
    acceptWithin: p.acceptWithin,
    acceptWithinSeconds: Math.round(p.acceptMs / 1000),
    completeWithin: p.completeWithin,
    completeWithinSeconds: Math.round(p.completeMs / 1000),
    proposeWithin: p.proposeWithin,
    proposeWithinSeconds: p.proposeMs === null ? null : Math.round(p.proposeMs / 1000),
    calendar: p.calendar as SlaTerms['calendar'],
    warningThresholdPercent: p.warningPercent,
    escalation: p.escalation,
    reassignToPartnerId: p.reassignToPartnerId,
    createdAt: p.createdAt,
  };
}

export const toSlaPolicy = (p: PolicyRecord): SlaPolicy => Object.assign(new SlaPolicy(), terms(p), { id: p.id });
export const toSlaPolicyVersion = (p: PolicyRecord): SlaPolicyVersion => Object.assign(new SlaPolicyVersion(), terms(p), { policyId: p.id });

export const policySnapshot = (p: PolicyRecord): SlaPolicySnapshot => ({
  id: p.id,
  version: p.version,
  moment: p.moment,
  partnerTier: p.partnerTier,
  customerSegment: p.customerSegment,
  acceptWithin: p.acceptWithin,
  completeWithin: p.completeWithin,
  acceptWithinSeconds: Math.round(p.acceptMs / 1000),
  completeWithinSeconds: Math.round(p.completeMs / 1000),
  proposeWithin: p.proposeWithin,
  proposeWithinSeconds: p.proposeMs === null ? null : Math.round(p.proposeMs / 1000),
  calendar: p.calendar,
  warningThresholdPercent: p.warningPercent,
  escalation: p.escalation,
  reassignToPartnerId: p.reassignToPartnerId,
  createdAt: p.createdAt.toISOString(),
});
