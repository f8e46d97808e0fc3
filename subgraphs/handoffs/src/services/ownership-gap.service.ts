import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { badUserInput, forbidden } from '../../../../shared/errors';
import { appendEvent } from '../../../../shared/eventlog/event-log';
import { STAGE_LIMITS_SET, type StageLimitsSetPayload } from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import type { HandoffMoment, LifecycleStage } from '../entities/enums';
import { OwnershipGap, OwnershipGapRule, StageLimit, type OwnershipGapCount } from '../entities/ownership-gap.entity';
import { isPositiveIsoDuration } from '../entities/playbook-parts';
import type { Sql } from './sql';

/** A handoff's moment key, as playbook.service's momentKey writes it. */
const handoffMomentKey = (h: string) => `CASE WHEN ${h}.moment = 'CUSTOM' THEN 'CUSTOM:' || lower(btrim(${h}.custom_moment)) ELSE ${h}.moment END`;

/** One branch per rule: `$1` the rules asked for (null: all); each arm is dropped at once when its rule is not. */
const wants = (rule: OwnershipGapRule) => `($1::text[] IS NULL OR '${rule}' = ANY($1::text[]))`;

/**
 * Every ownership gap (docs/journeys.md, "No owner zones"), one arm per rule, as the caller's
 * own statement: every table is read under the caller's row-level security, so a partner's
 * arms see only the customers (handoffs, dues, breaches) it may see. Columns: rule,
 * customer_id, since, accountable_partner_id, owner_partner_id, handoff_id, due_id, moment,
 * custom_moment, moment_key, stage, detail (what the message says), key (unique per gap).
 *
 * - NO_OWNER: no owner; since ownerless_since (the projection and the customers_since trigger).
 * - OWNER_INACTIVE: the owner's directory status is not ACTIVE; since its status change.
 * - HANDOFF_MISSING: the customer's stage is the toStage of a current playbook's trigger that
 *   names a receiverKind, its owner is of another kind (no owner: DIRECT; an owner the
 *   directory does not know counts as a RESELLER, as routing counts it), it has no open
 *   handoff (one per customer: an open one is in motion, and STALLED_HANDOFF watches it) and
 *   no due of that moment is OPEN, or was DISMISSED since it entered the stage (someone
 *   decided); since it entered the stage.
 * - STALLED_HANDOFF: an open handoff with an SLA breach of the target it still waits for
 *   (ACCEPT while PROPOSED, COMPLETE while ACCEPTED); since the earliest such due time.
 * - STAGE_TOO_LONG: in its stage longer than the stage's limit (calendar time); since the limit ran out.
 * - NO_ROUTE: an OPEN due that routing left without a receiver (its suggestion, or the hub's
 *   own committing route: no_route_at); since it came due, or since the hub found nobody.
 */
const GAPS = `
  WITH pb AS (
    SELECT DISTINCT ON (moment_key) moment, custom_moment, moment_key, trigger FROM handoffs.playbooks ORDER BY moment_key, version DESC)
  SELECT g.*, g.rule || ':' || g.customer_id || ':' || coalesce(g.moment_key, '') || ':' || coalesce(g.handoff_id::text, g.due_id::text, '') AS key
    FROM (
      SELECT 'NO_OWNER'::text AS rule, c.id AS customer_id, COALESCE(c.ownerless_since, c.updated_at) AS since, NULL::uuid AS accountable_partner_id,
             c.owner_partner_id, NULL::uuid AS handoff_id, NULL::uuid AS due_id, NULL::text AS moment, NULL::text AS custom_moment,
             NULL::text AS moment_key, c.lifecycle_stage AS stage, NULL::jsonb AS detail
        FROM handoffs.customers c
       WHERE ${wants(OwnershipGapRule.NO_OWNER)} AND c.owner_partner_id IS NULL
      UNION ALL
      SELECT 'OWNER_INACTIVE', c.id, COALESCE(p.status_changed_at, p.updated_at), NULL, c.owner_partner_id, NULL, NULL, NULL, NULL, NULL, c.lifecycle_stage,
             jsonb_build_object('ownerName', p.name, 'status', p.status)
        FROM handoffs.partners p JOIN handoffs.customers c ON c.owner_partner_id = p.id
       WHERE ${wants(OwnershipGapRule.OWNER_INACTIVE)} AND p.status <> 'ACTIVE'
      UNION ALL
      SELECT 'HANDOFF_MISSING', c.id, COALESCE(c.stage_entered_at, c.updated_at), COALESCE(c.owner_partner_id, (pb.trigger->>'accountableTeamId')::uuid),
             c.owner_partner_id, NULL, NULL, pb.moment, pb.custom_moment, pb.moment_key, c.lifecycle_stage,
             jsonb_build_object('ownerName', o.name, 'ownerKind', k.kind, 'receiverKind', pb.trigger->>'receiverKind')
        FROM pb
        JOIN handoffs.customers c ON c.lifecycle_stage = pb.trigger->>'toStage'
        LEFT JOIN handoffs.partners o ON o.id = c.owner_partner_id
       CROSS JOIN LATERAL (SELECT CASE WHEN c.owner_partner_id IS NULL THEN 'DIRECT' ELSE COALESCE(o.kind, 'RESELLER') END AS kind) k
       WHERE ${wants(OwnershipGapRule.HANDOFF_MISSING)} AND pb.trigger->>'receiverKind' IS NOT NULL AND k.kind <> pb.trigger->>'receiverKind'
         AND NOT EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.customer_id = c.id AND h.state IN ('PROPOSED', 'ACCEPTED'))
         AND NOT EXISTS (SELECT 1 FROM handoffs.handoff_dues d WHERE d.customer_id = c.id AND d.moment_key = pb.moment_key
                           AND (d.state = 'OPEN' OR (d.state = 'DISMISSED' AND d.moved_at >= c.stage_entered_at)))
      UNION ALL
      SELECT 'STALLED_HANDOFF', c.id, b.due_at, b.accountable_partner_id, c.owner_partner_id, h.id, NULL, h.moment, h.custom_moment,
             ${handoffMomentKey('h')}, c.lifecycle_stage, jsonb_build_object('target', b.target, 'receiverName', r.name, 'state', h.state)
        FROM handoffs.handoffs h
        JOIN handoffs.customers c ON c.id = h.customer_id
       CROSS JOIN LATERAL (
             SELECT b.target, b.due_at, b.accountable_partner_id FROM handoffs.handoff_sla_breaches b
              WHERE b.handoff_id = h.id AND b.target = CASE WHEN h.state = 'PROPOSED' THEN 'ACCEPT' ELSE 'COMPLETE' END
              ORDER BY b.due_at LIMIT 1) b
        LEFT JOIN handoffs.partners r ON r.id = h.to_partner_id
       WHERE ${wants(OwnershipGapRule.STALLED_HANDOFF)} AND h.state IN ('PROPOSED', 'ACCEPTED')
      UNION ALL
      SELECT 'STAGE_TOO_LONG', c.id, c.stage_entered_at + l.max_age, c.owner_partner_id, c.owner_partner_id, NULL, NULL, NULL, NULL, NULL, c.lifecycle_stage,
             jsonb_build_object('limit', l.max_duration, 'enteredAt', c.stage_entered_at)
        FROM handoffs.stage_limits l
        JOIN handoffs.customers c ON c.lifecycle_stage = l.stage AND c.stage_entered_at < now() - l.max_age
       WHERE ${wants(OwnershipGapRule.STAGE_TOO_LONG)}
      UNION ALL
      SELECT 'NO_ROUTE', c.id, CASE WHEN d.suggested_partner_id IS NULL THEN d.opened_at ELSE d.no_route_at END, d.accountable_partner_id,
             c.owner_partner_id, NULL, d.id, d.moment, d.custom_moment, d.moment_key, c.lifecycle_stage, NULL
        FROM handoffs.handoff_dues d
        JOIN handoffs.customers c ON c.id = d.customer_id
       WHERE ${wants(OwnershipGapRule.NO_ROUTE)} AND d.state = 'OPEN' AND (d.suggested_partner_id IS NULL OR d.no_route_at IS NOT NULL)
    ) g`;

/**
 * What a caller sees of the gaps: internal teams all, a partner (under its row-level security,
 * which already leaves it only customers it may see) those it is accountable for or owns the
 * customer of. `$2` the partner (null: internal).
 */
const VISIBLE = `($2::uuid IS NULL OR $2::uuid IN (g.accountable_partner_id, g.owner_partner_id))`;

export interface GapQuery {
  rules: OwnershipGapRule[] | null;
  accountablePartnerId: string | null;
  moment: HandoffMoment | null;
  sinceBefore: Date | null;
}

/** The filtered gaps as `FROM … WHERE …`, with its parameters (`$1` rules, `$2` viewer, then the filter's). */
export function gapsWhere(identity: Identity, q: GapQuery): { from: string; params: unknown[] } {
  // A partner without a partner id sees nothing (a nil id matches no row).
  const viewer = isInternal(identity) ? null : (identity.partnerId ?? '00000000-0000-0000-0000-000000000000');
  const params: unknown[] = [q.rules && q.rules.length ? q.rules : null, viewer];
  const where = [VISIBLE];
  if (q.accountablePartnerId) {
    params.push(q.accountablePartnerId);
    where.push(`g.accountable_partner_id = $${params.length}::uuid`);
  }
  if (q.moment) {
    params.push(q.moment);
    where.push(`g.moment = $${params.length}`);
  }
  if (q.sinceBefore) {
    params.push(q.sinceBefore);
    where.push(`g.since < $${params.length}::timestamptz`);
  }
  return { from: `FROM (${GAPS}) g WHERE ${where.join(' AND ')}`, params };
}

/** Checks the filter's partner: a partner may name only itself (FORBIDDEN otherwise). */
export function accountableFilter(identity: Identity, partnerId: string | null | undefined): string | null {
  if (!partnerId) return null;
  const id = assertId(partnerId, 'filter.partnerId');
  if (!isInternal(identity) && id !== identity.partnerId) throw forbidden('A partner lists only the ownership gaps it is accountable for');
  return id;
}

export const GAP_COLUMNS = `g.rule, g.customer_id, g.since, g.accountable_partner_id, g.owner_partner_id, g.handoff_id, g.due_id, g.moment,
  g.custom_moment, g.stage, g.detail, g.key`;

export interface GapRow {
  rule: OwnershipGapRule;
  customer_id: string;
  since: Date;
  accountable_partner_id: string | null;
  owner_partner_id: string | null;
  handoff_id: string | null;
  due_id: string | null;
  moment: HandoffMoment | null;
  custom_moment: string | null;
  stage: LifecycleStage | null;
  detail: Record<string, string | null> | null;
  key: string;
}

const momentName = (r: GapRow) => (r.moment === 'CUSTOM' ? `"${r.custom_moment ?? ''}"` : (r.moment ?? ''));

/** The row's message: what is wrong, and what to do about it. */
function messageOf(r: GapRow): string {
  const d = r.detail ?? {};
  const since = r.since.toISOString();
  const stage = r.stage ?? 'no stage';
  switch (r.rule) {
    case OwnershipGapRule.NO_OWNER:
      return `Nobody owns this customer (${stage}) since ${since}: an internal team should take it or hand it on.`;
    case OwnershipGapRule.OWNER_INACTIVE:
      return `Its owner ${d.ownerName ?? ''} is ${d.status ?? 'inactive'} since ${since}: an internal team should hand the customer to an active owner.`;
    case OwnershipGapRule.HANDOFF_MISSING:
      return `In ${stage} since ${since}, held by ${d.ownerName ? `${d.ownerName} (${d.ownerKind})` : 'us directly (DIRECT)'}; the ${momentName(r)} playbook hands it to a ${d.receiverKind} and no such handoff is open or due: propose it.`;
    case OwnershipGapRule.STALLED_HANDOFF:
      return d.target === 'COMPLETE'
        ? `The ${momentName(r)} handoff to ${d.receiverName ?? 'its receiver'} was accepted but not completed by its SLA due time (${since}).`
        : `The ${momentName(r)} handoff to ${d.receiverName ?? 'its receiver'} was not accepted by its SLA due time (${since}).`;
    case OwnershipGapRule.STAGE_TOO_LONG:
      return `In ${stage} since ${d.enteredAt ? new Date(d.enteredAt).toISOString() : '?'}, longer than the stage's limit of ${d.limit ?? '?'} (passed ${since}).`;
    case OwnershipGapRule.NO_ROUTE:
      return `The ${momentName(r)} handoff is due and routing found no receiver (since ${since}): propose it to a partner by hand, or fix the routing rule.`;
  }
}

export function toGap(r: GapRow): OwnershipGap {
  return Object.assign(new OwnershipGap(), {
    customerId: r.customer_id,
    rule: r.rule,
    since: r.since,
    message: messageOf(r),
    moment: r.moment,
    customMoment: r.custom_moment,
    stage: r.stage,
    accountablePartnerId: r.accountable_partner_id,
    ownerPartnerId: r.owner_partner_id,
    handoffId: r.handoff_id,
    dueId: r.due_id,
    key: r.key,
  });
}

/** Gaps per rule the caller may see, every rule listed (zero when none): one statement. */
export async function gapSummary(sql: Sql, identity: Identity): Promise<OwnershipGapCount[]> {
  const { from, params } = gapsWhere(identity, { rules: null, accountablePartnerId: null, moment: null, sinceBefore: null });
  const rows: { rule: OwnershipGapRule; count: number; oldest: Date | null }[] = await sql.query(
    `SELECT g.rule, count(*)::int AS count, min(g.since) AS oldest ${from} GROUP BY g.rule`,
    params,
  );
  const byRule = new Map(rows.map((r) => [r.rule, r]));
  return Object.values(OwnershipGapRule).map((rule) => ({ rule, count: byRule.get(rule)?.count ?? 0, oldestSince: byRule.get(rule)?.oldest ?? null }));
}

// ---- stage limits ------------------------------------------------------------------------

export const STAGE_LIMIT_COLUMNS = `l.stage, l.max_duration AS "maxDuration", l.updated_at AS "updatedAt", l.updated_by_partner_id AS "updatedByPartnerId"`;
const toLimit = (row: object): StageLimit => Object.assign(new StageLimit(), row);

export async function listStageLimits(sql: Sql): Promise<StageLimit[]> {
  return ((await sql.query(`SELECT ${STAGE_LIMIT_COLUMNS} FROM handoffs.stage_limits l ORDER BY l.stage`)) as object[]).map(toLimit);
}

export interface StageLimitChange {
  stage: LifecycleStage;
  maxDays?: number | null;
  maxDuration?: string | null;
}

/** The most days a limit may be: ten years is not a limit anyone waits for. */
const MAX_DAYS = 3650;

/**
 * setStageLimits (internal teams; FORBIDDEN for partners): each stage named gets the limit
 * given (maxDays, or an ISO-8601 duration; exactly one) or, with neither, loses its limit.
 * All or nothing: any bad item is BAD_USER_INPUT and nothing changes. One transaction: the
 * change, StageLimitsSet, and every limit as it now stands.
 */
export async function setStageLimits(db: DataSource, identity: Identity, input: StageLimitChange[]): Promise<StageLimit[]> {
  if (!isInternal(identity)) throw forbidden('Only internal teams set stage limits');
  const problems: { field: string; message: string }[] = [];
  if (input.length === 0) problems.push({ field: 'input', message: 'name at least one stage' });
  const seen = new Set<string>();
  const limits: { stage: string; maxDuration: string }[] = [];
  const removed: string[] = [];
  input.forEach((item, i) => {
    const field = `input.${i}`;
    if (seen.has(item.stage)) problems.push({ field: `${field}.stage`, message: `${item.stage} is named twice` });
    seen.add(item.stage);
    const days = item.maxDays ?? null;
    const duration = item.maxDuration?.trim() ?? null;
    if (days !== null && duration !== null) {
      problems.push({ field, message: 'give maxDays or maxDuration, not both' });
    } else if (days !== null) {
      if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)
        problems.push({ field: `${field}.maxDays`, message: `must be a whole number of days, 1–${MAX_DAYS}` });
      else limits.push({ stage: item.stage, maxDuration: `P${days}D` });
    } else if (duration !== null) {
      if (!isPositiveIsoDuration(duration)) {
        problems.push({ field: `${field}.maxDuration`, message: `"${duration}" is not a positive ISO-8601 duration (e.g. "P30D", "P2W", "PT36H")` });
      } else limits.push({ stage: item.stage, maxDuration: duration });
    } else removed.push(item.stage);
  });
  if (problems.length) throw badUserInput(`Invalid stage limits: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);

  return db.transaction(async (manager) => {
    await manager.query(
      `WITH removed AS (DELETE FROM handoffs.stage_limits WHERE stage = ANY($2::text[]))
       INSERT INTO handoffs.stage_limits AS l (stage, max_duration, max_age, updated_at, updated_by_partner_id)
       SELECT r.stage, r.max_duration, r.max_duration::interval, now(), $3 FROM jsonb_to_recordset($1::jsonb) AS r(stage text, max_duration text)
       ON CONFLICT (stage) DO UPDATE SET max_duration = EXCLUDED.max_duration, max_age = EXCLUDED.max_age, updated_at = now(),
         updated_by_partner_id = EXCLUDED.updated_by_partner_id`,
      [JSON.stringify(limits.map((l) => ({ stage: l.stage, max_duration: l.maxDuration }))), removed, identity.partnerId ?? null],
    );
    await appendEvent(manager, {
      type: STAGE_LIMITS_SET,
      source: 'handoffs',
      aggregateType: 'StageLimits',
      aggregateId: 'stage-limits',
      payload: { limits, removed } satisfies StageLimitsSetPayload as unknown as Record<string, unknown>,
      visibleTo: [],
      actor: identity,
    });
    return listStageLimits(manager);
  });
}
