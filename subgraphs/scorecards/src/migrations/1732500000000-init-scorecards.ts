import type { MigrationInterface, QueryRunner } from 'typeorm';
import { idempotencyTableSql } from '../../../../shared/db/idempotency';

/**
 * Two kinds of tables. Projection tables (handoff_facts, rollups) are derived from the
 * event log alone and can be truncated and replayed (`npm run scorecards:rebuild`).
 * Source-of-truth tables (feedback, feedback_revisions, customer_feedback_tokens) are
 * written by this subgraph's mutations and are never truncated.
 */
export class InitScorecards1732500000000 implements MigrationInterface {
  name = 'InitScorecards1732500000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per handoff: everything the rollups and access checks need, so a batch of
    // events is one read and one write here whatever its size.
    await q.query(`
      CREATE TABLE scorecards.handoff_facts (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        from_partner_id uuid,
        to_partner_id uuid NOT NULL,
        moment text NOT NULL,
        custom_moment text,
        segment text NOT NULL DEFAULT '',
        region text NOT NULL DEFAULT '',
        state text NOT NULL,
        on_hold boolean NOT NULL DEFAULT false,
        playbook_id uuid,
        required_data_complete boolean NOT NULL DEFAULT false,
        proposed_at timestamptz NOT NULL,
        accepted_at timestamptz,
        completed_at timestamptz,
        closed_at timestamptz,
        last_action_at timestamptz NOT NULL,
        due_at timestamptz,
        clocks jsonb NOT NULL DEFAULT '{}',
        feedback jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX handoff_facts_to_idx ON scorecards.handoff_facts (to_partner_id, proposed_at)`);
    await q.query(`CREATE INDEX handoff_facts_from_idx ON scorecards.handoff_facts (from_partner_id, proposed_at)`);
    // Stalled handoffs are counted at query time from the (few) open ones.
    await q.query(`CREATE INDEX handoff_facts_open_idx ON scorecards.handoff_facts (proposed_at) WHERE state IN ('PROPOSED', 'ACCEPTED')`);

    // Pre-aggregated cells: one row per period grain × period × partner × segment × region
    // × moment. Histograms make medians and p90 mergeable across cells; they are sparse
    // ({"bucket": [count, sum]}) because a cell holds few samples and JSON parses fast.
    await q.query(`
      CREATE TABLE scorecards.rollups (
        grain text NOT NULL CHECK (grain IN ('DAY', 'WEEK', 'MONTH', 'QUARTER')),
        period_start date NOT NULL,
        partner_id uuid NOT NULL,
        segment text NOT NULL,
        region text NOT NULL,
        moment text NOT NULL,
        proposed int NOT NULL DEFAULT 0,
        accepted int NOT NULL DEFAULT 0,
        completed int NOT NULL DEFAULT 0,
        rejected int NOT NULL DEFAULT 0,
        expired int NOT NULL DEFAULT 0,
        cancelled int NOT NULL DEFAULT 0,
        under_sla int NOT NULL DEFAULT 0,
        sla_met int NOT NULL DEFAULT 0,
        sla_breached int NOT NULL DEFAULT 0,
        under_playbook int NOT NULL DEFAULT 0,
        data_complete int NOT NULL DEFAULT 0,
        accept_business int NOT NULL DEFAULT 0,
        complete_business int NOT NULL DEFAULT 0,
        fb_customer_n int NOT NULL DEFAULT 0,
        fb_customer_sum int NOT NULL DEFAULT 0,
        fb_internal_n int NOT NULL DEFAULT 0,
        fb_internal_sum int NOT NULL DEFAULT 0,
        fb_partner_n int NOT NULL DEFAULT 0,
        fb_partner_sum int NOT NULL DEFAULT 0,
        fb_any int NOT NULL DEFAULT 0,
        fb_repeat int NOT NULL DEFAULT 0,
        fb_all_sides int NOT NULL DEFAULT 0,
        accept_hist jsonb NOT NULL DEFAULT '{}',
        complete_hist jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (grain, period_start, partner_id, segment, region, moment)
      ) WITH (fillfactor = 70)`);
    // The primary key is the only index: a range of periods (all partners, or one) is a
    // range of it, and the figures change in place (free space per page lets updates stay HOT).

    await q.query(`
      CREATE TABLE scorecards.feedback (
        id uuid PRIMARY KEY,
        handoff_id uuid NOT NULL,
        source text NOT NULL CHECK (source IN ('CUSTOMER', 'INTERNAL', 'PARTNER')),
        rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment text,
        tags text[] NOT NULL DEFAULT '{}',
        revision int NOT NULL DEFAULT 1,
        submitted_by_partner_id uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (handoff_id, source)
      )`);
    await q.query(`
      CREATE TABLE scorecards.feedback_revisions (
        feedback_id uuid NOT NULL REFERENCES scorecards.feedback(id),
        revision int NOT NULL,
        rating smallint NOT NULL,
        comment text,
        tags text[] NOT NULL,
        submitted_by_partner_id uuid,
        submitted_at timestamptz(3) NOT NULL,
        PRIMARY KEY (feedback_id, revision)
      )`);
    await q.query(`
      CREATE TABLE scorecards.customer_feedback_tokens (
        id uuid PRIMARY KEY,
        handoff_id uuid NOT NULL,
        issued_by_partner_id uuid,
        issued_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        used_at timestamptz(3)
      )`);
    await q.query(`CREATE INDEX customer_feedback_tokens_handoff_idx ON scorecards.customer_feedback_tokens (handoff_id)`);
    await q.query(idempotencyTableSql('scorecards'));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_keys', 'customer_feedback_tokens', 'feedback_revisions', 'feedback', 'rollups', 'handoff_facts']) {
      await q.query(`DROP TABLE IF EXISTS scorecards.${t}`);
    }
  }
}
