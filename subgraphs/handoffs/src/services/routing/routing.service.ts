import type { EntityManager } from 'typeorm';
import { asHub } from '../../../../../shared/db/tenant-context';
import type { HandoffMoment } from '../../entities/enums';
import { RouteOutcome, RoutingOwnerKind, RoutingReasonCode, RoutingStrategy } from '../../entities/routing.entity';
import { momentKey } from '../playbook.service';
import { findRule } from './rules.service';
import { capacity } from './strategies/capacity';
import { listOrder } from './strategies/list-order';
import { roundRobin } from './strategies/round-robin';
import { scorecard } from './strategies/scorecard';
import { skip, type Filter, type Ranker, type StrategyContext } from './strategies/strategy';
import { territory } from './strategies/territory';
import { weighted } from './strategies/weighted';
import { reason, type Evaluated, type PartnerFacts, type RankedCandidate, type RoutedCustomer, type RoutingDecision } from './types';

export type { RoutingDecision } from './types';

export interface RouteRequest {
  customerId: string;
  moment: HandoffMoment;
  customMoment?: string | null;
  /** Never route to these (the receivers that rejected the customer, the one an SLA took it from). */
  excludePartnerIds?: string[];
}

export interface RouteOptions {
  /** A real proposal: advance ROUND_ROBIN and lock the chosen partner's row. false: a preview that changes nothing. */
  commit: boolean;
  now?: Date;
}

const FILTERS: Partial<Record<RoutingStrategy, Filter>> = {
  [RoutingStrategy.TERRITORY]: territory,
  [RoutingStrategy.CAPACITY]: capacity,
};
const RANKERS: Partial<Record<RoutingStrategy, Ranker>> = {
  [RoutingStrategy.ROUND_ROBIN]: roundRobin,
  [RoutingStrategy.WEIGHTED]: weighted,
  [RoutingStrategy.SCORECARD]: scorecard,
};

const OWNER_KINDS = new Set<string>(Object.values(RoutingOwnerKind));

async function routedCustomer(sql: EntityManager, customerId: string): Promise<RoutedCustomer | null> {
  const rows: { id: string; segment: string | null; region: string | null; owner: string | null; kind: string | null }[] = await sql.query(
    `SELECT c.id, c.segment, c.region, c.owner_partner_id AS owner, p.kind
       FROM handoffs.customers c LEFT JOIN handoffs.partners p ON p.id = c.owner_partner_id WHERE c.id = $1`,
    [customerId],
  );
  const row = rows[0];
  if (!row) return null;
  const ownerKind = row.owner ? (row.kind && OWNER_KINDS.has(row.kind) ? (row.kind as RoutingOwnerKind) : RoutingOwnerKind.RESELLER) : RoutingOwnerKind.DIRECT;
  return { id: row.id, segment: row.segment, region: row.region, ownerPartnerId: row.owner, ownerKind };
}

/** The checks every rule makes before its strategies: the partner exists, is active, is not the owner, is not excluded. */
function baseChecks(candidates: Evaluated[], customer: RoutedCustomer, exclude: Set<string>) {
  for (const e of candidates) {
    const id = e.candidate.partnerId;
    if (!e.partner) skip(e, reason(RoutingReasonCode.UNKNOWN_PARTNER, 'skipped: not in the partner directory'));
    else if (e.partner.status !== 'ACTIVE') skip(e, reason(RoutingReasonCode.INACTIVE, `skipped: ${e.partner.name} is ${e.partner.status.toLowerCase()}`));
    else if (id === customer.ownerPartnerId) skip(e, reason(RoutingReasonCode.CURRENT_OWNER, 'skipped: already owns the customer'));
    else if (exclude.has(id)) skip(e, reason(RoutingReasonCode.EXCLUDED, 'skipped: excluded from this routing (it already had this customer in this chain)'));
  }
}

/**
 * Routes a customer at a moment: finds the rule that applies (rules.service findRule), runs
 * the base checks and the rule's filters in order, then its ranking, and returns every
 * candidate with its reasons — kept ones by rank, skipped ones after. Runs as the hub in the
 * caller's transaction (rules, open counts and figures are not the caller's to read); what
 * a partner may see of the result is redaction.ts's business.
 *
 * With `commit` (a proposal in this transaction) the chosen partner's row is locked FOR
 * SHARE and checked again — a partner suspended since the figures were read is skipped and
 * the next one taken — and ROUND_ROBIN's position moves. Returns `chosen: null` when no
 * candidate is left (the caller decides: NO_ROUTE, or the reclaim stands).
 */
export async function route(manager: EntityManager, req: RouteRequest, opts: RouteOptions): Promise<RoutingDecision> {
  const now = opts.now ?? new Date();
  const customMoment = req.customMoment ?? null;
  return asHub(manager, async () => {
    const customer = await routedCustomer(manager, req.customerId);
    const empty = (c: RoutedCustomer): RoutingDecision => ({ rule: null, customer: c, moment: req.moment, customMoment, candidates: [], chosen: null });
    if (!customer) return empty({ id: req.customerId, segment: null, region: null, ownerPartnerId: null, ownerKind: RoutingOwnerKind.DIRECT });
    const rule = await findRule(manager, momentKey(req.moment, customMoment), customer);
    if (!rule) return empty(customer);

    const ids = rule.candidates.map((c) => c.partnerId);
    const partners: PartnerFacts[] = await manager.query(`SELECT id, name, kind, tier, region, status FROM handoffs.partners WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    const byId = new Map(partners.map((p) => [p.id, p]));
    const evaluated: Evaluated[] = rule.candidates.map((candidate, index) => ({
      candidate,
      index,
      partner: byId.get(candidate.partnerId) ?? null,
      reasons: [],
      skipped: false,
      score: null,
    }));
    baseChecks(evaluated, customer, new Set(req.excludePartnerIds ?? []));

    const ctx: StrategyContext = { sql: manager, rule, customer, commit: opts.commit, now };
    for (const s of rule.strategies) await FILTERS[s]?.(evaluated, ctx);
    const ranker = rule.strategies.map((s) => RANKERS[s]).find((r) => r) ?? listOrder;
    const ranking = await ranker(
      evaluated.filter((e) => !e.skipped),
      ctx,
    );

    let ordered = ranking.ordered;
    if (opts.commit) {
      // Lock the first candidate still active; one suspended meanwhile drops out.
      while (ordered.length) {
        const first = ordered[0]!;
        const [row]: { status: string }[] = await manager.query(`SELECT status FROM handoffs.partners WHERE id = $1 FOR SHARE`, [first.candidate.partnerId]);
        if (row?.status === 'ACTIVE') break;
        skip(
          first,
          reason(RoutingReasonCode.INACTIVE, `skipped: ${first.partner?.name ?? first.candidate.partnerId} is ${(row?.status ?? 'gone').toLowerCase()}`),
        );
        ordered = ordered.slice(1);
      }
      if (ordered[0]) await ranking.commit?.(ordered[0]);
    }

    const ranked: RankedCandidate[] = ordered.map((e, i) => ({
      partnerId: e.candidate.partnerId,
      name: e.partner?.name ?? null,
      outcome: i === 0 ? RouteOutcome.CHOSEN : RouteOutcome.KEPT,
      rank: i + 1,
      score: e.score,
      reasons: [...e.reasons, ranking.reasonAt(e, i + 1)],
    }));
    const skipped: RankedCandidate[] = evaluated
      .filter((e) => e.skipped)
      .map((e) => ({
        partnerId: e.candidate.partnerId,
        name: e.partner?.name ?? null,
        outcome: RouteOutcome.SKIPPED,
        rank: null,
        score: e.score,
        reasons: e.reasons,
      }));
    return { rule, customer, moment: req.moment, customMoment, candidates: [...ranked, ...skipped], chosen: ranked[0] ?? null };
  });
}
