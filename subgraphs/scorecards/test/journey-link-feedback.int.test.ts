import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { signCustomerLinkToken } from '../../../shared/auth/customer-link-token';
import { IDENTITY_HEADER, signIdentity } from '../../../shared/auth/identity';
import { openDataSource } from '../../../shared/db/data-source';
import type { NewEvent } from '../../../shared/eventlog/event-log';
import {
  CUSTOMER_JOURNEY_LINK_ISSUED,
  CUSTOMER_JOURNEY_LINK_REVOKED,
  type CustomerJourneyLinkIssuedPayload,
  type CustomerJourneyLinkRevokedPayload,
} from '../../../shared/eventlog/events';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { createCustomerJourneyLinksConsumer } from '../src/consumers/customer-journey-links.consumer';
import { createScorecardsDataSource } from '../src/data-source';
import { createScorecardsServer, type ScorecardsServer } from '../src/server';
import { CUSTOMER_FEEDBACK_PATH } from '../src/services/customer-feedback.routes';
import { A, appendHistory, fixedHistory, h, S } from './fixtures';

/** A journey link as handoffs issues it: the token, and the event scorecards learns of it from. */
function journeyLink(handoffId: string) {
  const issuedAt = new Date();
  issuedAt.setUTCMilliseconds(0);
  const expiresAt = new Date(issuedAt.getTime() + 7 * 86_400_000);
  const { token, tokenId } = signCustomerLinkToken(handoffId, expiresAt, TEST_IDENTITY_SECRET, { purpose: 'journey' });
  const link = { id: tokenId, handoffId, issuedByPartnerId: A, issuedAt: issuedAt.toISOString(), expiresAt: expiresAt.toISOString() };
  const event = (type: string, payload: CustomerJourneyLinkIssuedPayload | CustomerJourneyLinkRevokedPayload): NewEvent => ({
    type,
    source: 'handoffs',
    aggregateType: 'Handoff',
    aggregateId: handoffId,
    payload: { ...payload },
    visibleTo: [A, S],
  });
  return {
    token,
    issued: event(CUSTOMER_JOURNEY_LINK_ISSUED, { link }),
    revoked: (revokedAt = new Date()) => event(CUSTOMER_JOURNEY_LINK_REVOKED, { link: { ...link, revokedAt: revokedAt.toISOString(), revokedByPartnerId: A } }),
  };
}

describe('scorecards: a revoked customer journey link takes no feedback', () => {
  let database: TestDatabase;
  let db: DataSource;
  let server: ScorecardsServer;
  let base: string;
  const log = createLogger('t', 'silent');
  const gateway = signIdentity({ role: 'SERVICE', scopes: ['customer-feedback'] }, TEST_IDENTITY_SECRET, 600);
  const customer = (method: 'GET' | 'POST', token: string, body: Record<string, unknown> = {}) =>
    fetch(`${base}${CUSTOMER_FEEDBACK_PATH}${method === 'GET' ? `?token=${encodeURIComponent(token)}` : ''}`, {
      method,
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: gateway },
      body: method === 'POST' ? JSON.stringify({ token, ...body }) : undefined,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string; reason?: string; message: string } } }));
  const project = async (events: NewEvent[]) => {
    await appendHistory(db, events);
    await createCustomerJourneyLinksConsumer({ dataSource: db, log }).catchUp(15_000);
  };
  const customerFeedbackOf = async (handoffId: string) =>
    db.query(`SELECT rating FROM scorecards.feedback WHERE handoff_id = $1 AND source = 'CUSTOMER'`, [handoffId]) as Promise<{ rating: number }[]>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createScorecardsDataSource(database.url, 4));
    await appendHistory(db, fixedHistory());
    server = await createScorecardsServer({ dataSource: db, identitySecret: TEST_IDENTITY_SECRET, log });
    base = (await server.listen(0)).replace(/\/graphql$/, '');
    await server.consumer.drain();
  });
  afterAll(async () => {
    await server?.stop();
    await db?.destroy();
    await database?.drop();
  });

  it('answers a revoked link as withdrawn (410), before and at submission, and keeps no feedback from it; the handoff’s other link still works', async () => {
    const revoked = journeyLink(h(4));
    const other = journeyLink(h(4));
    await project([revoked.issued, other.issued]);
    expect((await customer('GET', revoked.token)).status).toBe(200);

    await project([revoked.revoked()]);
    const look = await customer('GET', revoked.token);
    expect(look).toMatchObject({ status: 410, body: { error: { code: 'FORBIDDEN', reason: 'TOKEN_REVOKED', message: expect.stringMatching(/withdrawn/) } } });
    const post = await customer('POST', revoked.token, { rating: 1, comment: 'sent to the wrong person' });
    expect(post).toMatchObject({ status: 410, body: { error: { reason: 'TOKEN_REVOKED' } } });
    expect(await customerFeedbackOf(h(4))).toEqual([]);

    expect((await customer('POST', other.token, { rating: 5 })).status).toBe(201);
    expect(await customerFeedbackOf(h(4))).toEqual([{ rating: 5 }]);
  });

  it('takes an issue and its revocation in one batch, keeps the first revocation on a replay, and records a revocation it saw no issue of', async () => {
    const both = journeyLink(h(5));
    await project([both.issued, both.revoked()]);
    expect(await customer('GET', both.token)).toMatchObject({ status: 410, body: { error: { reason: 'TOKEN_REVOKED' } } });

    const first = new Date(Date.now() - 60_000);
    first.setUTCMilliseconds(0);
    const twice = journeyLink(h(5));
    await project([twice.issued, twice.revoked(first), twice.revoked()]);
    const [row] = (await db.query(`SELECT revoked_at FROM scorecards.customer_feedback_tokens WHERE handoff_id = $1 AND revoked_at = $2`, [h(5), first])) as {
      revoked_at: Date;
    }[];
    expect(row?.revoked_at.toISOString()).toBe(first.toISOString());

    const orphan = journeyLink(h(5));
    await project([orphan.revoked()]);
    expect(await customer('POST', orphan.token, { rating: 4 })).toMatchObject({ status: 410, body: { error: { reason: 'TOKEN_REVOKED' } } });
    expect(await customerFeedbackOf(h(5))).toEqual([]);
  });
});
