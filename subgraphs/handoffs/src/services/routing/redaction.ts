import { isInternal, type Identity } from '../../../../../shared/auth/identity';
import { HandoffRouting, RouteCandidate, RoutingDecision as RoutingDecisionView, RoutingReason } from '../../entities/routing.entity';
import type { RankedCandidate, RoutingDecision, RoutingRecord, StoredReason } from './types';

/**
 * What a caller reads of routing (docs/routing.md, "Who reads which reasons"): internal teams
 * read every reason and figure; a partner reads its own in full, and of every other candidate
 * its outcome, its rank and the public form of each reason (no open counts, no scorecard
 * figures, no weights; capacity reads "not available").
 */
const seesFiguresOf = (viewer: Identity, partnerId: string) => isInternal(viewer) || viewer.partnerId === partnerId;

const reasonFor = (r: StoredReason, full: boolean): RoutingReason =>
  Object.assign(new RoutingReason(), full ? { code: r.code, message: r.message } : { code: r.publicCode, message: r.publicMessage });

function candidateFor(viewer: Identity, c: RankedCandidate): RouteCandidate {
  const full = seesFiguresOf(viewer, c.partnerId);
  return Object.assign(new RouteCandidate(), {
    partnerId: c.partnerId,
    outcome: c.outcome,
    rank: c.rank,
    score: full ? c.score : null,
    reasons: c.reasons.map((r) => reasonFor(r, full)),
  });
}

export function decisionFor(viewer: Identity, d: RoutingDecision): RoutingDecisionView {
  return Object.assign(new RoutingDecisionView(), {
    customerId: d.customer.id,
    ruleId: d.rule?.id ?? null,
    ruleVersion: d.rule?.version ?? null,
    strategies: d.rule?.strategies ?? [],
    chosenPartnerId: d.chosen?.partnerId ?? null,
    candidates: d.candidates.map((c) => candidateFor(viewer, c)),
  });
}

/** Handoff.routing: the reasons are the receiver's; its sender (a partner) reads their public form. */
export function handoffRoutingFor(viewer: Identity, receiverId: string, r: RoutingRecord): HandoffRouting {
  const full = seesFiguresOf(viewer, receiverId);
  return Object.assign(new HandoffRouting(), {
    ruleId: r.ruleId,
    ruleVersion: r.ruleVersion,
    strategies: r.strategies,
    reasons: r.reasons.map((x) => reasonFor(x, full)),
  });
}
