import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import {
  AFTER_DESCRIPTION,
  ConnectionType,
  decodeCursor,
  FIRST_DESCRIPTION,
  pageSize,
  sqlProbes,
  toConnection,
  type Connection,
} from '../../../../shared/graphql/pagination';
import { formatBusinessDuration } from '../calendar/business-duration';
import type { SlasContext } from '../context';
import { HandoffRef } from '../entities/handoff.stub';
import { SlaClock, SlaPause } from '../entities/sla-clock.entity';
import { SlaPolicyVersion } from '../entities/sla-policy.entity';
import { CLOCK_COLUMNS, toClock, type ClockRow, type LoadedClock } from '../services/clock-rows';
import { clockElapsedMs, clockPausedMs } from '../services/clock.service';
import { toSlaPolicyVersion } from '../services/policy-rows';
import { SlaClockFilter } from './sla-policy.inputs';
import { ORDER_BY_DESCRIPTION, Priority, priorityKey, priorityPage, WorkOrder } from '../../../../shared/graphql/priority';
import { CLOCK_PRIORITY_JOINS, clockPriority, clockScoreSql } from '../services/priority';

export const SlaClockConnection = ConnectionType(SlaClock, 'SlaClock');

const FAR_FUTURE = '9999-12-31T00:00:00.000Z';

@Resolver(() => SlaClock)
export class SlaClockResolver {
  @Query(() => SlaClock, { nullable: true, description: 'null with NOT_FOUND when it does not exist or the caller may not see its handoff.' })
  async slaClock(@Arg('id', () => ID, { description: 'The clock’s id.' }) id: string, @Ctx() ctx: SlasContext): Promise<SlaClock> {
    const clock = await ctx.loaders.clock.load(assertId(id, 'id'));
    if (!clock) throw notFound('SlaClock', id);
    return clock;
  }

  @Query(() => SlaClockConnection, {
    description:
      'Clocks on handoffs the caller sends or receives (internal: all), soonest due first (orderBy PRIORITY: the most valuable handoffs closest to or past their due time first). filter: { states: [AT_RISK] } lists handoffs at risk.',
  })
  async slaClocks(
    @Ctx() ctx: SlasContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
    @Arg('filter', () => SlaClockFilter, { nullable: true, description: 'Narrows the list; every field given must match.' }) filter?: SlaClockFilter,
    @Arg('orderBy', () => WorkOrder, { nullable: true, description: ORDER_BY_DESCRIPTION }) orderBy?: WorkOrder | null,
  ): Promise<Connection<SlaClock>> {
    const limit = pageSize(first);
    const priority = priorityPage(orderBy, after, ctx.loaders.asOf);
    const cursor = priority ? undefined : decodeCursor(after, 2);
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    if (!isInternal(ctx.identity)) where.push(`${param(ctx.identity.partnerId ?? null)}::uuid = ANY(h.participants)`);
    if (filter?.states?.length) where.push(`c.state = ANY(${param(filter.states)}::text[])`);
    if (filter?.target) where.push(`c.target = ${param(filter.target)}`);
    if (filter?.partnerId) where.push(`${param(assertId(filter.partnerId, 'filter.partnerId'))}::uuid = ANY(h.participants)`);
    if (filter?.handoffId) where.push(`c.handoff_id = ${param(assertId(filter.handoffId, 'filter.handoffId'))}`);
    if (filter?.dueBefore) where.push(`c.due_at < ${param(filter.dueBefore)}`);
    const dueKey = `coalesce(c.due_at, '${FAR_FUTURE}'::timestamptz)`;
    const from = `FROM slas.clocks c JOIN slas.policy_versions v ON v.policy_id = c.policy_id AND v.version = c.policy_version
         JOIN slas.handoffs h ON h.id = c.handoff_id`;
    const filtered = where.length ? `WHERE ${where.join(' AND ')}` : 'WHERE true';
    const filterParams = [...params];
    if (priority) {
      // Scored in SQL at the listing's instant (services/priority.ts), keyset on (score, startedAt, id), all descending.
      const scored = `FROM (SELECT c.*, v.calendar AS calendar_spec, ${clockScoreSql(`${param(priority.asOf)}::timestamptz`)} AS priority_score
                              ${from} ${CLOCK_PRIORITY_JOINS} ${filtered}) c`;
      const keyset = priority.after
        ? `(${param(priority.after[0])}::numeric, ${param(priority.after[1])}::timestamptz, ${param(priority.after[2])}::uuid)`
        : '';
      const keysetParams = [...params];
      const rows: (ClockRow & { priority_score: string })[] = await ctx.db.query(
        `SELECT ${CLOCK_COLUMNS.replace('v.calendar', 'c.calendar_spec AS calendar')}, c.priority_score::text AS priority_score ${scored}
          ${keyset ? `WHERE (c.priority_score, c.started_at, c.id) < ${keyset}` : ''}
          ORDER BY c.priority_score DESC, c.started_at DESC, c.id DESC LIMIT ${param(limit + 1)}`,
        params,
      );
      const asOf = new Date(priority.asOf);
      const clocks = rows.map((r) => Object.assign(toClock(r), { priorityScore: r.priority_score, priorityAsOf: asOf }));
      for (const c of clocks) ctx.loaders.clock.prime(c.id, c);
      return toConnection(
        clocks,
        limit,
        (c) => priorityKey(priority.asOf, c.priorityScore, c.startedAt, c.id),
        sqlProbes(
          ctx.db,
          [`SELECT 1 ${from} ${filtered}`, filterParams],
          keyset ? [`SELECT 1 ${scored} WHERE (c.priority_score, c.started_at, c.id) >= ${keyset}`, keysetParams] : undefined,
        ),
      );
    }
    const cursorAt = cursor ? `${param(cursor[0])}::timestamptz, ${param(cursor[1])}::uuid` : null;
    const cursorParams = [...params];
    const rows: ClockRow[] = await ctx.db.query(
      `SELECT ${CLOCK_COLUMNS} ${from}
        ${filtered} ${cursorAt ? `AND (${dueKey}, c.id) > (${cursorAt})` : ''}
        ORDER BY ${dueKey}, c.id
        LIMIT ${param(limit + 1)}`,
      params,
    );
    const clocks = rows.map(toClock);
    for (const c of clocks) ctx.loaders.clock.prime(c.id, c);
    return toConnection(
      clocks,
      limit,
      (c) => [(c.dueAt ?? new Date(FAR_FUTURE)).toISOString(), c.id],
      sqlProbes(
        ctx.db,
        [`SELECT 1 ${from} ${filtered}`, filterParams],
        cursorAt ? [`SELECT 1 ${from} ${filtered} AND (${dueKey}, c.id) <= (${cursorAt})`, cursorParams] : undefined,
      ),
    );
  }

  @FieldResolver(() => String, { description: 'Business time used so far (in total once stopped), ISO-8601, e.g. "PT3H20M".' })
  businessTimeElapsed(@Root() clock: SlaClock): string {
    return formatBusinessDuration(clockElapsedMs(clock as LoadedClock, new Date()));
  }

  @FieldResolver(() => Int, { description: 'businessTimeElapsed in seconds.' })
  businessSecondsElapsed(@Root() clock: SlaClock): number {
    return Math.floor(clockElapsedMs(clock as LoadedClock, new Date()) / 1000);
  }

  @FieldResolver(() => String, { description: 'Business time left before the target ("PT0S" once reached).' })
  businessTimeRemaining(@Root() clock: SlaClock): string {
    return formatBusinessDuration(clock.targetMs - clockElapsedMs(clock as LoadedClock, new Date()));
  }

  @FieldResolver(() => String, { description: 'Business time taken out by pauses, the current one included, ISO-8601.' })
  pausedTotal(@Root() clock: SlaClock): string {
    return formatBusinessDuration(clockPausedMs(clock as LoadedClock, new Date()));
  }

  @FieldResolver(() => Int, { description: 'pausedTotal in seconds.' })
  pausedSeconds(@Root() clock: SlaClock): number {
    return Math.floor(clockPausedMs(clock as LoadedClock, new Date()) / 1000);
  }

  @FieldResolver(() => [SlaPause], { description: 'Every pause with its reason, oldest first.' })
  pauses(@Root() clock: SlaClock, @Ctx() ctx: SlasContext): Promise<SlaPause[]> {
    return ctx.loaders.pauses.load(clock.id);
  }

  @FieldResolver(() => SlaPolicyVersion, { description: 'The policy version the clock runs under.' })
  async policy(@Root() clock: SlaClock, @Ctx() ctx: SlasContext): Promise<SlaPolicyVersion> {
    return toSlaPolicyVersion((await ctx.loaders.policyVersion.load(`${clock.policyId}:${clock.policyVersion}`))!);
  }

  @FieldResolver(() => Priority, {
    description:
      'How urgent it is: its handoff’s value at stake (fixed at proposal, converted at the proposal day’s rate) and the risk of missing its due time (docs/slas.md#priority). Evaluated now, or at the instant a PRIORITY listing is scored at.',
  })
  async priority(@Root() clock: SlaClock, @Ctx() ctx: SlasContext): Promise<Priority> {
    const inputs = (await ctx.loaders.clockPriority.load(clock.id)) ?? { id: clock.id, value: null, proposedAt: null, reportingCurrency: null, rate: null };
    return clockPriority(clock as LoadedClock, inputs, clock.priorityAsOf ?? ctx.loaders.asOf);
  }

  @FieldResolver(() => HandoffRef, { description: 'The handoff it times.' })
  handoff(@Root() clock: SlaClock): HandoffRef {
    return { id: clock.handoffId };
  }
}
