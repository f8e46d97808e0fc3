import { RoutingReasonCode } from '../../../entities/routing.entity';
import type { Sql } from '../../sql';
import { reason, type RuleVersion } from '../types';
import { rotationKey, type Ranker } from './strategy';

/**
 * The rotation positions of the ROUND_ROBIN rule versions a set of routings applies, in one
 * statement (two when committing). Committing creates the missing position rows and locks
 * them all (FOR UPDATE, in key order) for the rest of the proposing transaction: proposals on
 * several hub instances take turns one after another, none reads a stale position. A
 * preview reads the positions without locking or moving them.
 */
export async function loadRotations(sql: Sql, rules: RuleVersion[], commit: boolean): Promise<Map<string, number>> {
  const positions = new Map<string, number>();
  if (!rules.length) return positions;
  const ids = rules.map((r) => r.id);
  const versions = rules.map((r) => r.version);
  if (commit) {
    await sql.query(
      `INSERT INTO handoffs.routing_rotations (rule_id, version)
       SELECT * FROM unnest($1::uuid[], $2::int[]) ORDER BY 1, 2 ON CONFLICT DO NOTHING`,
      [ids, versions],
    );
  }
  const rows: { rule: string; version: number; next: number }[] = await sql.query(
    `SELECT rule_id AS rule, version, next_index AS next FROM handoffs.routing_rotations
      WHERE (rule_id, version) IN (SELECT * FROM unnest($1::uuid[], $2::int[])) ORDER BY rule_id, version${commit ? ' FOR UPDATE' : ''}`,
    [ids, versions],
  );
  for (const r of rows) positions.set(rotationKey({ id: r.rule, version: r.version }), r.next);
  return positions;
}

/** Writes the positions a committing batch moved, with the turns it took: one statement. */
export async function saveRotations(sql: Sql, moved: { rule: RuleVersion; next: number; turns: number }[]): Promise<void> {
  if (!moved.length) return;
  await sql.query(
    `UPDATE handoffs.routing_rotations r SET next_index = m.next, turns = r.turns + m.turns
       FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[]) AS m(rule_id, version, next, turns)
      WHERE r.rule_id = m.rule_id AND r.version = m.version`,
    [moved.map((m) => m.rule.id), moved.map((m) => m.rule.version), moved.map((m) => m.next), moved.map((m) => m.turns)],
  );
}

/**
 * ROUND_ROBIN: the candidates take turns in list order from the rule version's durable
 * position (routing_rotations.next_index, read by loadRotations). The turn goes to the first
 * kept candidate at or after the position, and the position moves to just after it — so a
 * candidate skipped (paused, at capacity) loses that turn without giving its neighbour a
 * second one, and the kept ones stay even among themselves.
 */
export const roundRobin: Ranker = (kept, { rule, facts }) => {
  const size = rule.candidates.length;
  const key = rotationKey(rule);
  const next = facts.rotations.get(key) ?? 0;
  const distance = (index: number) => (index - (next % size) + size) % size;
  return {
    ordered: [...kept].sort((a, b) => distance(a.index) - distance(b.index)),
    reasonAt: (_e, rank) =>
      reason(
        RoutingReasonCode.ROTATION,
        rank === 1 ? 'rank 1: next in the rotation' : `rank ${rank}: ${rank - 1} turn${rank > 2 ? 's' : ''} later in the rotation`,
        RoutingReasonCode.ROTATION,
        `rank ${rank}`,
      ),
    commit(chosen) {
      facts.rotations.set(key, (chosen.index + 1) % size);
    },
  };
};
