import type { EntityManager } from 'typeorm';
import { asHub } from '../../../../../shared/db/tenant-context';
import type { HandoffMoment } from '../../entities/enums';
import { RouteOutcome, RoutingOwnerKind, RoutingReasonCode, RoutingStrategy } from '../../entities/routing.entity';
import { momentKey } from '../playbook.service';
import { findRules, type RuleScope } from './rules.service';
import { capacity, limitedCandidates, loadOpenHandoffs } from './strategies/capacity';
import { listOrder } from './strategies/list-order';
import { loadRotations, roundRobin, saveRotations } from './strategies/round-robin';
import { loadFigures, scorecard } from './strategies/scorecard';
import { rotationKey, skip, type Filter, type Ranker, type Ranking, type RoutingFacts, type StrategyContext } from './strategies/strategy';
import { territory } from './strategies/territory';
import { weighted } from './strategies/weighted';
import { reason, type Evaluated, type PartnerFacts, type RankedCandidate, type RoutedCustomer, type RoutingDecision, type RuleVersion } from './types';

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

/** The routed customers, one statement for all (handoffs' projection of accounts). */
async function routedCustomers(sql: EntityManager, ids: string[]): Promise<Map<string, RoutedCustomer>> {
  const rows: { id: string; segment: string | null; region: string | null; owner: string | null; kind: string | null }[] = await sql.query(
    `SELECT c.id, c.segment, c.region, c.owner_partner_id AS owner, p.kind
       FROM handoffs.customers c LEFT JOIN handoffs.partners p ON p.id = c.owner_partner_id WHERE c.id = ANY($1::uuid[])`,
    [[...new Set(ids)]],
  );
  const customers = new Map<string, RoutedCustomer>();
  for (const row of rows) {
    const ownerKind = row.owner
      ? row.kind && OWNER_KINDS.has(row.kind)
        ? (row.kind as RoutingOwnerKind)
        : RoutingOwnerKind.RESELLER
      : RoutingOwnerKind.DIRECT;
    customers.set(row.id, { id: row.id, segment: row.segment, region: row.region, ownerPartnerId: row.owner, ownerKind });
  }
  return customers;
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

/** Runs one rule's chain for one customer on facts read beforehand: no SQL. */
function decide(
  req: RouteRequest,
  customer: RoutedCustomer,
  rule: RuleVersion,
  partners: Map<string, PartnerFacts>,
  facts: RoutingFacts,
  opts: { commit: boolean; now: Date },
): { decision: RoutingDecision; chosen: Evaluated | null; ranking: Ranking } {
  const evaluated: Evaluated[] = rule.candidates.map((candidate, index) => ({
    candidate,
    index,
    partner: partners.get(candidate.partnerId) ?? null,
    reasons: [],
    skipped: false,
    score: null,
  }));
  baseChecks(evaluated, customer, new Set(req.excludePartnerIds ?? []));
  const ctx: StrategyContext = { rule, customer, facts, commit: opts.commit, now: opts.now };
  for (const s of rule.strategies) FILTERS[s]?.(evaluated, ctx);
  const ranker = rule.strategies.map((s) => RANKERS[s]).find((r) => r) ?? listOrder;
  const ranking = ranker(
    evaluated.filter((e) => !e.skipped),
    ctx,
  );
  const ranked: RankedCandidate[] = ranking.ordered.map((e, i) => ({
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
  const decision = {
    rule,
    customer,
    moment: req.moment,
    customMoment: req.customMoment ?? null,
    candidates: [...ranked, ...skipped],
    chosen: ranked[0] ?? null,
  };
  return { decision, chosen: ranking.ordered[0] ?? null, ranking };
}

/**
 * Routes a set of customers, each at its moment, set-based: the customers, the rules that
 * apply, the candidates' partner rows and the facts their strategies rank by (open handoffs,
 * figures, rotation positions) are each read once for the whole set — at most seven
 * statements however many routings, eight when committing (rules.service findRules,
 * strategies/*.ts) — then each routing runs its rule's chain in memory: the base checks,
 * the filters in order, one ranking; kept candidates by rank, skipped ones after.
 *
 * A preview (`commit: false`) changes nothing, so each routing of the set decides exactly as
 * route() alone would. With `commit` (proposals in this transaction, in the order given) the
 * candidates' partner rows are read FOR SHARE — a partner suspended since the figures were
 * read is seen suspended (INACTIVE) and the next candidate taken, and a suspension that comes
 * while the proposals run waits for them — the rotation rows are locked, and each routing
 * sees the ones before it: the rotation moves and the chosen receiver's open handoffs count
 * one more, as if proposed one by one; the positions are written back in one statement.
 * Every routing the caller commits must become a proposal (or the transaction roll back).
 * Runs as the hub in the caller's transaction (rules, open counts and figures are not the
 * caller's to read); what a partner may see of the result is redaction.ts's business.
 * Returns `chosen: null` when no candidate is left (the caller decides: NO_ROUTE, or the
 * reclaim stands).
 */
export async function routeMany(manager: EntityManager, reqs: RouteRequest[], opts: RouteOptions): Promise<RoutingDecision[]> {
  if (!reqs.length) return [];
  const now = opts.now ?? new Date();
  return asHub(manager, async () => {
    const customers = await routedCustomers(
      manager,
      reqs.map((r) => r.customerId),
    );
    const scopes = new Map<string, RuleScope>();
    const scopeOf = (req: RouteRequest): string | null => {
      const c = customers.get(req.customerId);
      if (!c) return null;
      const scope: RuleScope = { key: momentKey(req.moment, req.customMoment ?? null), segment: c.segment, region: c.region, ownerKind: c.ownerKind };
      const id = JSON.stringify([scope.key, scope.segment, scope.region, scope.ownerKind]);
      if (!scopes.has(id)) scopes.set(id, scope);
      return id;
    };
    const scopeIds = reqs.map(scopeOf);
    const found = await findRules(manager, [...scopes.values()]);
    const ruleOf = new Map([...scopes.keys()].map((id, i) => [id, found[i] ?? null]));
    const rules = new Map<string, RuleVersion>();
    for (const r of ruleOf.values()) if (r) rules.set(rotationKey(r), r);
    const ruleList = [...rules.values()];

    const partnerIds = [...new Set(ruleList.flatMap((r) => r.candidates.map((c) => c.partnerId)))].sort();
    const partnerRows: PartnerFacts[] = partnerIds.length
      ? await manager.query(
          `SELECT id, name, kind, tier, region, status FROM handoffs.partners WHERE id = ANY($1::uuid[]) ORDER BY id${opts.commit ? ' FOR SHARE' : ''}`,
          [partnerIds],
        )
      : [];
    const partners = new Map(partnerRows.map((p) => [p.id, p]));

    const using = (s: RoutingStrategy) => ruleList.filter((r) => r.strategies.includes(s));
    const scored = new Map<string, { momentKey: string; segment: string | null; partnerIds: string[] }>();
    reqs.forEach((req, i) => {
      const rule = scopeIds[i] ? ruleOf.get(scopeIds[i]!) : null;
      const customer = customers.get(req.customerId);
      if (!rule || !customer || !rule.strategies.includes(RoutingStrategy.SCORECARD)) return;
      const key = momentKey(rule.moment, rule.customMoment);
      const id = `${rotationKey(rule)}|${customer.segment ?? ''}`;
      if (!scored.has(id)) scored.set(id, { momentKey: key, segment: customer.segment, partnerIds: rule.candidates.map((c) => c.partnerId) });
    });
    const facts: RoutingFacts = {
      openHandoffs: await loadOpenHandoffs(manager, using(RoutingStrategy.CAPACITY).flatMap(limitedCandidates)),
      figures: await loadFigures(manager, [...scored.values()], now),
      rotations: await loadRotations(manager, using(RoutingStrategy.ROUND_ROBIN), opts.commit),
    };

    const turns = new Map<string, number>();
    const decisions = reqs.map((req, i): RoutingDecision => {
      const customMoment = req.customMoment ?? null;
      const customer = customers.get(req.customerId);
      if (!customer) {
        const unknown: RoutedCustomer = { id: req.customerId, segment: null, region: null, ownerPartnerId: null, ownerKind: RoutingOwnerKind.DIRECT };
        return { rule: null, customer: unknown, moment: req.moment, customMoment, candidates: [], chosen: null };
      }
      const rule = ruleOf.get(scopeIds[i]!) ?? null;
      if (!rule) return { rule: null, customer, moment: req.moment, customMoment, candidates: [], chosen: null };
      const { decision, chosen, ranking } = decide(req, customer, rule, partners, facts, { commit: opts.commit, now });
      if (opts.commit && chosen) {
        ranking.commit?.(chosen);
        facts.openHandoffs.set(chosen.candidate.partnerId, (facts.openHandoffs.get(chosen.candidate.partnerId) ?? 0) + 1);
        if (rule.strategies.includes(RoutingStrategy.ROUND_ROBIN)) turns.set(rotationKey(rule), (turns.get(rotationKey(rule)) ?? 0) + 1);
      }
      return decision;
    });
    if (opts.commit) {
      await saveRotations(
        manager,
        [...turns].map(([key, n]) => ({ rule: rules.get(key)!, next: facts.rotations.get(key) ?? 0, turns: n })),
      );
    }
    return decisions;
  });
}

/**
 * Routes one customer at a moment: {@link routeMany} with one request (the same statements,
 * the same decision). `commit: true` inside a proposing transaction; false for a preview.
 */
export async function route(manager: EntityManager, req: RouteRequest, opts: RouteOptions): Promise<RoutingDecision> {
  const [decision] = await routeMany(manager, [req], opts);
  return decision!;
}
