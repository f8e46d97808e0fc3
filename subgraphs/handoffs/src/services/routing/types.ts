import type { RoutingTriggerName } from '../../../../../shared/eventlog/events';
import type { HandoffMoment } from '../../entities/enums';
import type { RouteOutcome, RoutingCandidate, RoutingOwnerKind, RoutingReasonCode, RoutingStrategy } from '../../entities/routing.entity';

/**
 * One reason as routing decides it: the full message (internal teams, and the candidate
 * itself), and what any other partner may read about the candidate — ranks and public facts,
 * no figures of it (docs/routing.md, "Who reads which reasons").
 */
export interface StoredReason {
  code: RoutingReasonCode;
  message: string;
  publicCode: RoutingReasonCode;
  publicMessage: string;
}

/** A rule version as route() applies it. */
export interface RuleVersion {
  id: string;
  version: number;
  moment: HandoffMoment;
  customMoment: string | null;
  customerSegment: string | null;
  customerRegion: string | null;
  currentOwnerKind: RoutingOwnerKind | null;
  strategies: RoutingStrategy[];
  candidates: RoutingCandidate[];
  rerouteOnReject: boolean;
  minSample: number;
  changeNote: string | null;
  createdAt: Date;
  createdByPartnerId: string | null;
}

/** The customer facts routing reads (handoffs' projection of accounts). */
export interface RoutedCustomer {
  id: string;
  segment: string | null;
  region: string | null;
  ownerPartnerId: string | null;
  ownerKind: RoutingOwnerKind;
}

/** The partner facts routing reads (handoffs' projection of accounts' directory). */
export interface PartnerFacts {
  id: string;
  name: string;
  kind: string;
  tier: string;
  region: string;
  status: string;
}

/** A candidate on its way through the chain. */
export interface Evaluated {
  candidate: RoutingCandidate;
  /** Its position in the rule's list (ROUND_ROBIN turns, ties). */
  index: number;
  partner: PartnerFacts | null;
  reasons: StoredReason[];
  skipped: boolean;
  score: number | null;
}

export interface RankedCandidate {
  partnerId: string;
  name: string | null;
  outcome: RouteOutcome;
  rank: number | null;
  score: number | null;
  reasons: StoredReason[];
}

/** What route() decided, with every candidate's reasons (unredacted: see redaction.ts). */
export interface RoutingDecision {
  rule: RuleVersion | null;
  customer: RoutedCustomer;
  moment: HandoffMoment;
  customMoment: string | null;
  candidates: RankedCandidate[];
  chosen: RankedCandidate | null;
}

/** What a routed handoff keeps of its routing (handoffs.routing). */
export interface RoutingRecord {
  ruleId: string;
  ruleVersion: number;
  strategies: RoutingStrategy[];
  rerouteOnReject: boolean;
  reasons: StoredReason[];
}

/** Why a routing ran: a proposal, a re-route after a rejection, an SLA reassignment, a due the hub proposes itself. */
export type RoutingTrigger = RoutingTriggerName;

export const reason = (code: RoutingReasonCode, message: string, publicCode: RoutingReasonCode = code, publicMessage: string = message): StoredReason => ({
  code,
  message,
  publicCode,
  publicMessage,
});
