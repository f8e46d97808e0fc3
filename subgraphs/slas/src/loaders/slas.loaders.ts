import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { compileCalendar, type CalendarSpec } from '../calendar/business-calendar';
import { formatBusinessDuration } from '../calendar/business-duration';
import { businessMillisBetween } from '../calendar/business-time';
import { SlaPause } from '../entities/sla-clock.entity';
import type { SlaDueClock } from '../entities/sla-due-clock.entity';
import { DUE_CLOCK_COLUMNS, DUE_CLOCK_FROM, toDueClock, type DueClockRow } from '../services/due-clock-rows';
import { CLOCK_COLUMNS, toClock, type ClockRow, type LoadedClock } from '../services/clock-rows';
import { POLICY_COLUMNS, toPolicyRecord, type PolicyRecord, type PolicyRow } from '../services/policy-rows';
import { CLOCK_PRIORITY_INPUT_COLUMNS, CLOCK_PRIORITY_JOINS, type ClockPriorityInputs } from '../services/priority';

/** What slas knows about one handoff for the caller: whether it knows it, may show it, and its clocks. */
export interface HandoffClocks {
  known: boolean;
  visible: boolean;
  clocks: LoadedClock[];
}

export interface Attainment {
  met: number;
  breached: number;
}

export interface SlasLoaders {
  /** One statement for any number of handoffs: visibility and clocks together. */
  handoffClocks: DataLoader<string, HandoffClocks>;
  /** Clocks the caller may see; null for missing and hidden alike. */
  clock: DataLoader<string, LoadedClock | null>;
  /**
   * The PROPOSE clock of a due, by due id, when the caller may see it: internal teams, or the
   * due's accountable partner. null for a due without a clock and a hidden one alike.
   */
  dueClock: DataLoader<string, SlaDueClock | null>;
  pauses: DataLoader<string, SlaPause[]>;
  /** Keyed `${policyId}:${version}`. */
  policyVersion: DataLoader<string, PolicyRecord | null>;
  /** Current version by policy id. */
  policy: DataLoader<string, PolicyRecord | null>;
  /** Every version of a policy, newest first. */
  policyVersions: DataLoader<string, PolicyRecord[]>;
  /** The moment's default policy for a playbook slas has seen published. */
  playbookPolicy: DataLoader<string, PolicyRecord | null>;
  /** Keyed by partner id, per period (see {@link attainmentKey}). */
  attainment: DataLoader<string, Attainment>;
  /** What each clock's priority reads besides the clock (its handoff's value, the rate); one statement per batch. */
  clockPriority: DataLoader<string, ClockPriorityInputs | null>;
  /** The instant this request evaluates priorities at (a list ordered by PRIORITY: its first page's). */
  asOf: Date;
}

export const attainmentKey = (partnerId: string, from: Date, to: Date, target: string | null) =>
  JSON.stringify([partnerId, from.toISOString(), to.toISOString(), target]);

const byKey = <T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K) => {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
};

/** One loader set per request (or subscription event): one SQL statement per batch, rows in key order. */
export function createSlasLoaders(db: DataSource, identity: Identity, now: () => Date = () => new Date()): SlasLoaders {
  const internal = isInternal(identity);
  const partner = identity.partnerId ?? null;
  return {
    asOf: now(),
    clockPriority: new DataLoader(async (ids) => {
      const rows: ClockPriorityInputs[] = await db.query(
        `SELECT ${CLOCK_PRIORITY_INPUT_COLUMNS} FROM slas.clocks c JOIN slas.handoffs h ON h.id = c.handoff_id ${CLOCK_PRIORITY_JOINS}
          WHERE c.id = ANY($1::uuid[])`,
        [ids],
      );
      return byKey(ids, rows, (r) => r.id);
    }),
    handoffClocks: new DataLoader(async (ids) => {
      const rows: (ClockRow & { key: string; known: boolean; visible: boolean; clock_id: string | null })[] = await db.query(
        `SELECT k.id AS key, h.id IS NOT NULL AS known, (h.id IS NOT NULL AND ($2::boolean OR $3::uuid = ANY(h.participants))) AS visible,
                c.id AS clock_id, ${CLOCK_COLUMNS}
           FROM unnest($1::uuid[]) AS k(id)
           LEFT JOIN slas.handoffs h ON h.id = k.id
           LEFT JOIN (slas.clocks c JOIN slas.policy_versions v ON v.policy_id = c.policy_id AND v.version = c.policy_version)
                  ON c.handoff_id = h.id AND ($2::boolean OR $3::uuid = ANY(h.participants))
          ORDER BY k.id, c.started_at, c.target`,
        [ids, internal, partner],
      );
      const grouped = new Map<string, HandoffClocks>();
      for (const r of rows) {
        const entry = grouped.get(r.key) ?? { known: r.known, visible: r.visible, clocks: [] };
        if (r.clock_id) entry.clocks.push(toClock(r));
        grouped.set(r.key, entry);
      }
      return ids.map((id) => grouped.get(id) ?? { known: false, visible: false, clocks: [] });
    }),
    clock: new DataLoader(async (ids) => {
      const rows: ClockRow[] = await db.query(
        `SELECT ${CLOCK_COLUMNS}
           FROM slas.clocks c JOIN slas.policy_versions v ON v.policy_id = c.policy_id AND v.version = c.policy_version
           JOIN slas.handoffs h ON h.id = c.handoff_id
          WHERE c.id = ANY($1::uuid[]) AND ($2::boolean OR $3::uuid = ANY(h.participants))`,
        [ids, internal, partner],
      );
      return byKey(ids, rows.map(toClock), (c) => c.id);
    }),
    dueClock: new DataLoader(async (dueIds) => {
      const rows: DueClockRow[] = await db.query(
        `SELECT ${DUE_CLOCK_COLUMNS} FROM ${DUE_CLOCK_FROM} WHERE c.due_id = ANY($1::uuid[]) AND ($2::boolean OR c.accountable_partner_id = $3::uuid)`,
        [dueIds, internal, partner],
      );
      return byKey(dueIds, rows.map(toDueClock), (c) => c.dueId);
    }),
    pauses: new DataLoader(async (clockIds) => {
      const rows: { clock_id: string; paused_at: Date; resumed_at: Date | null; reason: string | null; business_ms: string | null; calendar: CalendarSpec }[] =
        await db.query(
          `SELECT p.clock_id, p.paused_at, p.resumed_at, p.reason, p.business_ms, v.calendar
           FROM slas.clock_pauses p JOIN slas.clocks c ON c.id = p.clock_id
           JOIN slas.policy_versions v ON v.policy_id = c.policy_id AND v.version = c.policy_version
          WHERE p.clock_id = ANY($1::uuid[]) ORDER BY p.paused_at`,
          [clockIds],
        );
      const grouped = new Map<string, SlaPause[]>();
      for (const r of rows) {
        const ms =
          r.business_ms !== null
            ? Number(r.business_ms)
            : businessMillisBetween(compileCalendar(r.calendar), r.paused_at.getTime(), Math.max(now().getTime(), r.paused_at.getTime()));
        const list = grouped.get(r.clock_id) ?? [];
        list.push(
          Object.assign(new SlaPause(), {
            clockId: r.clock_id,
            pausedAt: r.paused_at,
            resumedAt: r.resumed_at,
            reason: r.reason,
            businessTime: formatBusinessDuration(ms),
          }),
        );
        grouped.set(r.clock_id, list);
      }
      return clockIds.map((id) => grouped.get(id) ?? []);
    }),
    policyVersion: new DataLoader(async (keys) => {
      const pairs = keys.map((k) => k.split(':'));
      const rows: PolicyRow[] = await db.query(
        `SELECT ${POLICY_COLUMNS} FROM slas.policy_versions v JOIN slas.policies p ON p.id = v.policy_id
          WHERE (v.policy_id, v.version) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))`,
        [pairs.map((p) => p[0]), pairs.map((p) => Number(p[1]))],
      );
      return byKey(keys, rows.map(toPolicyRecord), (p) => `${p.id}:${p.version}`);
    }),
    policy: new DataLoader(async (ids) => {
      const rows: PolicyRow[] = await db.query(
        `SELECT ${POLICY_COLUMNS} FROM slas.policies p JOIN slas.policy_versions v ON v.policy_id = p.id AND v.version = p.current_version WHERE p.id = ANY($1::uuid[])`,
        [ids],
      );
      return byKey(ids, rows.map(toPolicyRecord), (p) => p.id);
    }),
    policyVersions: new DataLoader(async (ids) => {
      const rows: PolicyRow[] = await db.query(
        `SELECT ${POLICY_COLUMNS} FROM slas.policy_versions v JOIN slas.policies p ON p.id = v.policy_id WHERE p.id = ANY($1::uuid[]) ORDER BY v.version DESC`,
        [ids],
      );
      const grouped = new Map<string, PolicyRecord[]>();
      for (const r of rows.map(toPolicyRecord)) grouped.set(r.id, [...(grouped.get(r.id) ?? []), r]);
      return ids.map((id) => grouped.get(id) ?? []);
    }),
    playbookPolicy: new DataLoader(async (ids) => {
      const rows: (PolicyRow & { playbook_id: string })[] = await db.query(
        `SELECT b.id AS playbook_id, ${POLICY_COLUMNS}
           FROM slas.playbooks b
           JOIN slas.policies p ON p.moment = b.moment AND p.partner_tier IS NULL AND p.customer_segment IS NULL
           JOIN slas.policy_versions v ON v.policy_id = p.id AND v.version = p.current_version
          WHERE b.id = ANY($1::uuid[])`,
        [ids],
      );
      const map = new Map(rows.map((r) => [r.playbook_id, toPolicyRecord(r)]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    attainment: new DataLoader(async (keys) => {
      // One statement per distinct (period, target); a page of partners shares one. PROPOSE
      // clocks (dues') live in their own table; the default (no target) stays handoffs' clocks.
      const parsed = keys.map((k) => JSON.parse(k) as [string, string, string, string | null]);
      const groups = new Map<string, string[]>();
      for (const [partnerId, from, to, target] of parsed) {
        const g = JSON.stringify([from, to, target]);
        groups.set(g, [...(groups.get(g) ?? []), partnerId]);
      }
      const results = new Map<string, Attainment>();
      for (const [g, partnerIds] of groups) {
        const [from, to, target] = JSON.parse(g) as [string, string, string | null];
        const propose = target === 'PROPOSE';
        const rows: { partner_id: string; met: string; breached: string }[] = await db.query(
          `SELECT accountable_partner_id AS partner_id, count(*) FILTER (WHERE state = 'MET') AS met, count(*) FILTER (WHERE state = 'BREACHED') AS breached
             FROM ${propose ? 'slas.due_clocks' : 'slas.clocks'}
            WHERE accountable_partner_id = ANY($1::uuid[]) AND decided_at >= $2 AND decided_at < $3 ${propose ? '' : 'AND ($4::text IS NULL OR target = $4)'}
            GROUP BY accountable_partner_id`,
          propose ? [partnerIds, from, to] : [partnerIds, from, to, target],
        );
        const byPartner = new Map(rows.map((r) => [r.partner_id, r]));
        for (const p of partnerIds) {
          const r = byPartner.get(p);
          results.set(JSON.stringify([p, from, to, target]), { met: Number(r?.met ?? 0), breached: Number(r?.breached ?? 0) });
        }
      }
      return keys.map((k) => results.get(k) ?? { met: 0, breached: 0 });
    }),
  };
}
