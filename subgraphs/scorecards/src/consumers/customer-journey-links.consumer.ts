import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import {
  CUSTOMER_JOURNEY_LINK_ISSUED,
  CUSTOMER_JOURNEY_LINK_REVOKED,
  type CustomerJourneyLinkIssuedPayload,
  type CustomerJourneyLinkRevokedPayload,
} from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';

export const CUSTOMER_JOURNEY_LINKS_CONSUMER = 'scorecards-customer-journey-links';
export const CUSTOMER_JOURNEY_LINK_EVENT_TYPES = [CUSTOMER_JOURNEY_LINK_ISSUED, CUSTOMER_JOURNEY_LINK_REVOKED];

/**
 * A customer journey link (issued by handoffs) is also its customer's feedback link: the
 * journey page's feedback form posts the link's own token to /feedback/api. So each issued
 * link becomes a row of customer_feedback_tokens, with the link's id and expiry, and the
 * existing single-use check applies to it unchanged; a revoked link's row gets revoked_at
 * and takes no feedback any more. One statement per batch; a replay changes
 * nothing (a revocation keeps its first time). A revocation whose issue this consumer never
 * saw still writes the row, revoked, so that the link cannot start taking feedback later.
 */
export function createCustomerJourneyLinksConsumer(opts: { dataSource: DataSource; log: Logger }): DurableConsumer {
  return new DurableConsumer({
    name: CUSTOMER_JOURNEY_LINKS_CONSUMER,
    dataSource: opts.dataSource,
    log: opts.log,
    types: CUSTOMER_JOURNEY_LINK_EVENT_TYPES,
    batchSize: 500,
    async handle(events, manager) {
      const rows = events.map((e) => {
        const { link } = e.payload as unknown as CustomerJourneyLinkIssuedPayload | CustomerJourneyLinkRevokedPayload;
        return {
          id: link.id,
          handoff_id: link.handoffId,
          issued_by_partner_id: link.issuedByPartnerId,
          issued_at: link.issuedAt,
          expires_at: link.expiresAt,
          revoked_at: e.type === CUSTOMER_JOURNEY_LINK_REVOKED ? (link as CustomerJourneyLinkRevokedPayload['link']).revokedAt : null,
        };
      });
      // One row per link (a batch may hold a link's issue and its revocation: the revocation
      // wins); an existing row only ever gains its first revocation.
      await manager.query(
        `${BACKGROUND}INSERT INTO scorecards.customer_feedback_tokens AS t (id, handoff_id, issued_by_partner_id, issued_at, expires_at, revoked_at)
         SELECT DISTINCT ON (id) id, handoff_id, issued_by_partner_id, issued_at, expires_at, revoked_at
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, handoff_id uuid, issued_by_partner_id uuid, issued_at timestamptz, expires_at timestamptz, revoked_at timestamptz)
          ORDER BY id, revoked_at NULLS LAST
         ON CONFLICT (id) DO UPDATE SET revoked_at = EXCLUDED.revoked_at
          WHERE t.revoked_at IS NULL AND EXCLUDED.revoked_at IS NOT NULL`,
        [JSON.stringify(rows)],
      );
    },
  });
}
