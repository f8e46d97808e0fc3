import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../../shared/auth/identity';
import { asHub } from '../../../../../shared/db/tenant-context';
import { badUserInput, forbidden } from '../../../../../shared/errors';
import { appendEvent } from '../../../../../shared/eventlog/event-log';
import { ROUTING_RULE_SET } from '../../../../../shared/eventlog/events';
import { isUuid } from '../../../../../shared/graphql/ids';
import type { HandoffMoment } from '../../entities/enums';
import {
  FILTER_STRATEGIES,
  RANKING_STRATEGIES,
  RoutingCandidate,
  RoutingRule,
  type RoutingOwnerKind,
  type RoutingStrategy,
} from '../../entities/routing.entity';
import type { RoutingCandidateInput, RoutingRuleInput } from '../../resolvers/routing.inputs';
import type { FieldProblem } from '../playbook-validation';
import { customMomentOf, momentKey } from '../playbook.service';
import type { Sql } from '../sql';
import type { RuleVersion } from './types';

const RULE_COLUMNS = `r.id, v.version, r.moment, r.custom_moment AS "customMoment", r.customer_segment AS "customerSegment",
  r.customer_region AS "customerRegion", r.current_owner_kind AS "currentOwnerKind", v.strategies, v.candidates,
  v.reroute_on_reject AS "rerouteOnReject", v.min_sample AS "minSample", v.change_note AS "changeNote", v.created_at AS "createdAt",
  v.created_by_partner_id AS "createdByPartnerId"`;

const toRule = (row: object): RuleVersion => row as RuleVersion;

/** A rule version as the API shows it. */
export const toRoutingRule = (r: RuleVersion): RoutingRule =>
  Object.assign(new RoutingRule(), r, { candidates: r.candidates.map((c) => Object.assign(new RoutingCandidate(), c)) });

/** What picks a rule: the moment's key and the customer's narrowing facts. */
export interface RuleScope {
  key: string;
  segment: string | null;
  region: string | null;
  ownerKind: RoutingOwnerKind;
}

/**
 * The rule that applies to each scope: of the scopes of the moment whose narrowing fields
 * all match, the most specific (the most fields set; on a tie segment beats region beats
 * owner kind), at its current version. One statement for any number of scopes (the same
 * ordered lookup per scope, as a lateral join); null where no rule applies.
 */
export async function findRules(sql: Sql, scopes: RuleScope[]): Promise<(RuleVersion | null)[]> {
  if (!scopes.length) return [];
  const rows: ({ i: string } & object)[] = await sql.query(
    `SELECT q.i::int AS i, x.* FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS q(key, segment, region, kind, i)
      CROSS JOIN LATERAL (
        SELECT ${RULE_COLUMNS} FROM handoffs.routing_rules r JOIN handoffs.routing_rule_versions v ON v.rule_id = r.id AND v.version = r.current_version
         WHERE r.moment_key = q.key AND (r.customer_segment IS NULL OR r.customer_segment = q.segment) AND (r.customer_region IS NULL OR r.customer_region = q.region)
           AND (r.current_owner_kind IS NULL OR r.current_owner_kind = q.kind)
         ORDER BY (r.customer_segment IS NOT NULL)::int + (r.customer_region IS NOT NULL)::int + (r.current_owner_kind IS NOT NULL)::int DESC,
                  r.customer_segment IS NOT NULL DESC, r.customer_region IS NOT NULL DESC
         LIMIT 1) x`,
    [scopes.map((s) => s.key), scopes.map((s) => s.segment), scopes.map((s) => s.region), scopes.map((s) => s.ownerKind)],
  );
  const found: (RuleVersion | null)[] = scopes.map(() => null);
  for (const { i, ...rule } of rows) found[Number(i) - 1] = toRule(rule);
  return found;
}

/** The rule that applies to one customer (see {@link findRules}). */
export async function findRule(sql: Sql, key: string, customer: Omit<RuleScope, 'key'>): Promise<RuleVersion | null> {
  const [rule] = await findRules(sql, [{ key, ...customer }]);
  return rule ?? null;
}

/** The current version of each rule (optionally of one moment); with allVersions, every version, newest first. */
export async function listRoutingRules(sql: Sql, moment: HandoffMoment | null, allVersions: boolean): Promise<RuleVersion[]> {
  const rows: object[] = await sql.query(
    `SELECT ${RULE_COLUMNS} FROM handoffs.routing_rules r JOIN handoffs.routing_rule_versions v ON v.rule_id = r.id
      WHERE ($1::text IS NULL OR r.moment = $1) ${allVersions ? '' : 'AND v.version = r.current_version'}
      ORDER BY r.moment_key, r.customer_segment NULLS FIRST, r.customer_region NULLS FIRST, r.current_owner_kind NULLS FIRST, v.version DESC`,
    [moment],
  );
  return rows.map(toRule);
}

interface NormalizedRule {
  strategies: RoutingStrategy[];
  candidates: RoutingCandidate[];
}

/** Every problem with the chain and the candidates, at once (partners are checked separately). */
function normalize(input: RoutingRuleInput): NormalizedRule & { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const seen = new Set<RoutingStrategy>();
  input.strategies.forEach((s, i) => {
    if (seen.has(s)) problems.push({ field: `input.strategies.${i}`, message: `${s} appears twice` });
    seen.add(s);
  });
  const rankings = input.strategies.filter((s) => RANKING_STRATEGIES.includes(s));
  if (rankings.length > 1) problems.push({ field: 'input.strategies', message: `at most one ranking strategy, got ${rankings.join(' and ')}` });
  // Filters in the order given, then the ranking: the chain's order is the meaning.
  const strategies = [...new Set([...input.strategies.filter((s) => FILTER_STRATEGIES.includes(s)), ...rankings])];

  if (!input.candidates.length) problems.push({ field: 'input.candidates', message: 'needs at least one candidate' });
  const ids = new Set<string>();
  const candidates = input.candidates.map((c, i) => {
    const field = `input.candidates.${i}`;
    if (!isUuid(c.partnerId)) problems.push({ field: `${field}.partnerId`, message: 'not a valid id' });
    const partnerId = c.partnerId.toLowerCase();
    if (ids.has(partnerId)) problems.push({ field: `${field}.partnerId`, message: `${partnerId} appears twice` });
    ids.add(partnerId);
    const weight = c.weight ?? 1;
    if (!Number.isInteger(weight) || weight < 1 || weight > 1000) problems.push({ field: `${field}.weight`, message: 'must be a whole number from 1 to 1000' });
    const maxOpen = c.maxOpen ?? null;
    if (maxOpen !== null && (!Number.isInteger(maxOpen) || maxOpen < 0))
      problems.push({ field: `${field}.maxOpen`, message: 'must be a whole number, 0 or more' });
    return Object.assign(new RoutingCandidate(), {
      partnerId,
      weight,
      regions: [...new Set(c.regions ?? [])],
      segments: [...new Set(c.segments ?? [])],
      maxOpen,
      paused: c.paused ?? false,
    });
  });
  const minSample = input.minSample ?? 10;
  if (!Number.isInteger(minSample) || minSample < 1 || minSample > 10000)
    problems.push({ field: 'input.minSample', message: 'must be a whole number from 1 to 10000' });
  return { strategies, candidates, problems };
}

/** jsonb keeps no key order: compare candidates field by field. */
const canonical = (cs: (RoutingCandidate | RoutingCandidateInput)[]) =>
  JSON.stringify(cs.map((c) => [c.partnerId, c.weight, c.regions, c.segments, c.maxOpen ?? null, c.paused]));

const sameTerms = (r: RuleVersion, n: NormalizedRule, input: RoutingRuleInput) =>
  JSON.stringify(r.strategies) === JSON.stringify(n.strategies) &&
  canonical(r.candidates) === canonical(n.candidates) &&
  r.rerouteOnReject === (input.rerouteOnReject ?? false) &&
  r.minSample === (input.minSample ?? 10);

export interface SetRoutingRuleOptions {
  /** Brings the partner projection up to date (a partner created a moment ago). */
  catchUp?: () => Promise<void>;
}

/**
 * setRoutingRule (internal teams only): the scope's next version, or the current one when
 * the input repeats it. Unknown partners are BAD_USER_INPUT, naming each. ROUND_ROBIN's
 * position carries over to the new version (to the same partner, if it is still listed),
 * so editing a rule — pausing a candidate, say — does not restart the rotation.
 */
export async function setRoutingRule(db: DataSource, identity: Identity, input: RoutingRuleInput, opts: SetRoutingRuleOptions = {}): Promise<RuleVersion> {
  if (!isInternal(identity)) throw forbidden('Only internal teams can set routing rules');
  const customMoment = customMomentOf(input.moment, input.customMoment, 'input.customMoment');
  const key = momentKey(input.moment, customMoment);
  const normalized = normalize(input);
  const { problems } = normalized;
  if (problems.length) throw badUserInput(`Invalid routing rule: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);

  const unknown = async () => {
    const ids = normalized.candidates.map((c) => c.partnerId);
    const rows: { id: string }[] = await db.query(`SELECT id FROM handoffs.partners WHERE id = ANY($1::uuid[])`, [ids]);
    const known = new Set(rows.map((r) => r.id));
    return normalized.candidates.map((c, i) => ({ c, i })).filter(({ c }) => !known.has(c.partnerId));
  };
  let missing = await unknown();
  if (missing.length && opts.catchUp) {
    await opts.catchUp();
    missing = await unknown();
  }
  if (missing.length) {
    const fields = missing.map(({ c, i }) => ({ field: `input.candidates.${i}.partnerId`, message: `no partner ${c.partnerId}` }));
    throw badUserInput(`Invalid routing rule: ${fields.map((p) => `${p.field} ${p.message}`).join('; ')}`, fields);
  }

  return db.transaction(async (manager) => {
    const scope = [key, input.customerSegment ?? null, input.customerRegion ?? null, input.currentOwnerKind ?? null];
    await manager.query(
      `INSERT INTO handoffs.routing_rules (moment, custom_moment, moment_key, customer_segment, customer_region, current_owner_kind)
       VALUES ($5, $6, $1, $2, $3, $4)
       ON CONFLICT (moment_key, coalesce(customer_segment, ''), coalesce(customer_region, ''), coalesce(current_owner_kind, '')) DO NOTHING`,
      [...scope, input.moment, customMoment],
    );
    const [rule]: { id: string; current: number }[] = await manager.query(
      `SELECT id, current_version AS current FROM handoffs.routing_rules
        WHERE moment_key = $1 AND coalesce(customer_segment, '') = coalesce($2, '') AND coalesce(customer_region, '') = coalesce($3, '')
          AND coalesce(current_owner_kind, '') = coalesce($4, '') FOR UPDATE`,
      scope,
    );
    const byId = async (version: number) => {
      const rows: object[] = await manager.query(
        `SELECT ${RULE_COLUMNS} FROM handoffs.routing_rules r JOIN handoffs.routing_rule_versions v ON v.rule_id = r.id WHERE r.id = $1 AND v.version = $2`,
        [rule!.id, version],
      );
      return toRule(rows[0]!);
    };
    const previous = rule!.current > 0 ? await byId(rule!.current) : null;
    if (previous && sameTerms(previous, normalized, input)) return previous;
    const version = rule!.current + 1;
    await manager.query(
      `INSERT INTO handoffs.routing_rule_versions (rule_id, version, strategies, candidates, reroute_on_reject, min_sample, change_note, created_by_partner_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        rule!.id,
        version,
        JSON.stringify(normalized.strategies),
        JSON.stringify(normalized.candidates),
        input.rerouteOnReject ?? false,
        input.minSample ?? 10,
        input.changeNote ?? null,
        identity.partnerId ?? null,
      ],
    );
    await manager.query(`UPDATE handoffs.routing_rules SET current_version = $2, updated_at = now() WHERE id = $1`, [rule!.id, version]);
    if (previous) {
      // The rotation is the hub's state (RLS: system only); carried in the same transaction.
      await asHub(manager, async () => {
        const [turn]: { next: number }[] = await manager.query(
          `SELECT next_index AS next FROM handoffs.routing_rotations WHERE rule_id = $1 AND version = $2`,
          [rule!.id, previous.version],
        );
        const nextPartner = turn ? previous.candidates[turn.next % previous.candidates.length]?.partnerId : undefined;
        const at = nextPartner ? normalized.candidates.findIndex((c) => c.partnerId === nextPartner) : -1;
        if (at > 0) await manager.query(`INSERT INTO handoffs.routing_rotations (rule_id, version, next_index) VALUES ($1, $2, $3)`, [rule!.id, version, at]);
      });
    }
    const saved = await byId(version);
    await appendEvent(manager, {
      type: ROUTING_RULE_SET,
      source: 'handoffs',
      aggregateType: 'RoutingRule',
      aggregateId: saved.id,
      payload: { rule: { ...saved, createdAt: saved.createdAt.toISOString() } } as unknown as Record<string, unknown>,
      visibleTo: [],
      actor: identity,
    });
    return saved;
  });
}
