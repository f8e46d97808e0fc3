import { badUserInput } from '../../../../shared/errors';
import type { HandoffMoment } from '../entities/enums';
import type { HandoffDueSummary, RoutingCandidateShare, RoutingRuleDecisions } from '../entities/journey-summary.entity';
import { partnerRef } from '../entities/partner.stub';
import { DUE_COLUMNS, toDue } from './handoff-due.service';
import { listRoutingRules, toRoutingRule } from './routing/rules.service';
import type { Sql } from './sql';

export interface Window {
  from: Date;
  to: Date;
}

/** A window runs forward and spans at most two years: a dashboard asks for months, not all time by accident. */
export function checkWindow(from: Date, to: Date): Window {
  const problems: { field: string; message: string }[] = [];
  if (!(from.getTime() < to.getTime())) problems.push({ field: 'to', message: 'must be after from' });
  if (to.getTime() - from.getTime() > 2 * 366 * 86_400_000) problems.push({ field: 'to', message: 'the window spans at most two years' });
  if (problems.length)
    throw badUserInput(`The window ${from.toISOString()} – ${to.toISOString()} is not usable: ${problems.map((p) => p.message).join('; ')}`, problems);
  return { from, to };
}

/**
 * Dues per moment, as the caller's own query: row-level security on handoff_dues leaves a
 * partner the dues it is accountable for or suggested for, exactly as handoffsDue does.
 * Two statements: the counts (with each moment's longest-waiting OPEN due), and those dues.
 * `partnerId` narrows to the dues a partner is accountable for.
 */
export async function dueSummary(sql: Sql, window: Window, partnerId: string | null): Promise<HandoffDueSummary[]> {
  const rows: (Omit<HandoffDueSummary, 'oldestOpen'> & { oldestOpenId: string | null })[] = await sql.query(
    `SELECT d.moment, min(d.custom_moment) AS "customMoment",
            count(*) FILTER (WHERE d.state = 'OPEN')::int AS open,
            count(*) FILTER (WHERE d.state = 'OPEN' AND d.due_at < now())::int AS overdue,
            count(*) FILTER (WHERE d.opened_at >= $1 AND d.opened_at < $2)::int AS opened,
            count(*) FILTER (WHERE d.opened_at >= $1 AND d.opened_at < $2 AND d.state = 'PROPOSED')::int AS proposed,
            count(*) FILTER (WHERE d.opened_at >= $1 AND d.opened_at < $2 AND d.state = 'DISMISSED')::int AS dismissed,
            count(*) FILTER (WHERE d.opened_at >= $1 AND d.opened_at < $2 AND d.state = 'SUPERSEDED')::int AS superseded,
            (array_agg(d.id ORDER BY d.moved_at, d.id) FILTER (WHERE d.state = 'OPEN'))[1] AS "oldestOpenId"
       FROM handoffs.handoff_dues d
      WHERE (d.state = 'OPEN' OR (d.opened_at >= $1 AND d.opened_at < $2))
        AND ($3::uuid IS NULL OR d.accountable_partner_id = $3)
      GROUP BY d.moment_key, d.moment
      ORDER BY d.moment_key`,
    [window.from, window.to, partnerId],
  );
  const ids = rows.map((r) => r.oldestOpenId).filter((id): id is string => id !== null);
  const dues = ids.length
    ? ((await sql.query(`SELECT ${DUE_COLUMNS} FROM handoffs.handoff_dues d WHERE d.id = ANY($1::uuid[])`, [ids])) as object[]).map(toDue)
    : [];
  const byId = new Map(dues.map((d) => [d.id, d]));
  return rows.map(({ oldestOpenId, ...r }) => ({ ...r, oldestOpen: oldestOpenId ? (byId.get(oldestOpenId) ?? null) : null }));
}

/**
 * Per current routing rule (optionally of one moment): the handoffs it routed in the window
 * and each candidate's share against its weight. Two statements: the rules, and one
 * aggregate over routed handoffs (partial index on proposed_at where routing is set).
 */
export async function routingDecisions(sql: Sql, window: Window, moment: HandoffMoment | null): Promise<RoutingRuleDecisions[]> {
  const rules = await listRoutingRules(sql, moment, false);
  if (!rules.length) return [];
  const counts: { ruleId: string; partnerId: string; chosen: number }[] = await sql.query(
    `SELECT h.routing->>'ruleId' AS "ruleId", h.to_partner_id AS "partnerId", count(*)::int AS chosen
       FROM handoffs.handoffs h
      WHERE h.routing IS NOT NULL AND h.proposed_at >= $1 AND h.proposed_at < $2 AND h.routing->>'ruleId' = ANY($3::text[])
      GROUP BY 1, 2`,
    [window.from, window.to, rules.map((r) => r.id)],
  );
  const byRule = new Map<string, Map<string, number>>();
  for (const c of counts) {
    const m = byRule.get(c.ruleId) ?? new Map<string, number>();
    m.set(c.partnerId, c.chosen);
    byRule.set(c.ruleId, m);
  }
  return rules.map((rule) => {
    const chosen = byRule.get(rule.id) ?? new Map<string, number>();
    const routed = [...chosen.values()].reduce((a, b) => a + b, 0);
    const weights = rule.candidates.reduce((a, c) => a + c.weight, 0);
    const share = (partnerId: string, weight: number): RoutingCandidateShare => ({
      partnerId,
      partner: partnerRef(partnerId)!,
      weight,
      weightShare: weights ? weight / weights : 0,
      chosen: chosen.get(partnerId) ?? 0,
      share: routed ? (chosen.get(partnerId) ?? 0) / routed : null,
    });
    const current = new Set(rule.candidates.map((c) => c.partnerId));
    const former = [...chosen.keys()].filter((id) => !current.has(id)).sort();
    return {
      rule: toRoutingRule(rule),
      routed,
      candidates: [...rule.candidates.map((c) => share(c.partnerId, c.weight)), ...former.map((id) => share(id, 0))],
    };
  });
}
