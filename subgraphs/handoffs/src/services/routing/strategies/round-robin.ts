import { RoutingReasonCode } from '../../../entities/routing.entity';
import { returned } from '../../sql';
import { reason } from '../types';
import type { Ranker } from './strategy';

/**
 * ROUND_ROBIN: the candidates take turns in list order from the rule version's durable
 * position (routing_rotations.next_index). The turn goes to the first kept candidate at or
 * after the position, and the position moves to just after it — so a candidate skipped
 * (paused, at capacity) loses that turn without giving its neighbour a second one, and the
 * kept ones stay even among themselves.
 *
 * Committing locks the position row (FOR UPDATE) for the rest of the proposing transaction:
 * proposals on several hub instances take turns one after another, none reads a stale
 * position. A preview reads the position without locking or moving it.
 */
export const roundRobin: Ranker = async (kept, { sql, rule, commit }) => {
  const size = rule.candidates.length;
  let next = 0;
  if (commit) {
    await sql.query(`INSERT INTO handoffs.routing_rotations (rule_id, version) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [rule.id, rule.version]);
    const [row]: { next: number }[] = await sql.query(
      `SELECT next_index AS next FROM handoffs.routing_rotations WHERE rule_id = $1 AND version = $2 FOR UPDATE`,
      [rule.id, rule.version],
    );
    next = row?.next ?? 0;
  } else {
    const [row]: { next: number }[] = await sql.query(`SELECT next_index AS next FROM handoffs.routing_rotations WHERE rule_id = $1 AND version = $2`, [
      rule.id,
      rule.version,
    ]);
    next = row?.next ?? 0;
  }
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
    async commit(chosen) {
      returned(
        await sql.query(`UPDATE handoffs.routing_rotations SET next_index = $3, turns = turns + 1 WHERE rule_id = $1 AND version = $2`, [
          rule.id,
          rule.version,
          (chosen.index + 1) % size,
        ]),
      );
    },
  };
};
