import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { IDENTITY_HEADER, signIdentity } from '../../../shared/auth/identity';
import { openDataSource } from '../../../shared/db/data-source';
import { totalQueryCount } from '../../../shared/db/query-counter';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity, partnerIdentity, subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { createScorecardsDataSource } from '../src/data-source';
import { createScorecardsServer, type ScorecardsServer } from '../src/server';
import { CUSTOMER_FEEDBACK_PATH } from '../src/services/customer-feedback.routes';
import { A, appendHistory, B, fixedHistory, h, S } from './fixtures';
import { firstError } from '../../../test/support/graphql-client';

const SUBMIT = `mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id source rating tags revision history { revision rating } } }`;
const ISSUE = `mutation($id: ID!, $hours: Int) { issueCustomerFeedbackToken(handoffId: $id, expiresInHours: $hours) { token path expiresAt handoffId } }`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Handoff { id feedback { source rating } } } }`;

describe('feedback and access through the scorecards subgraph', () => {
  let database: TestDatabase;
  let db: DataSource;
  let server: ScorecardsServer;
  let url: string;
  let base: string;
  const gateway = signIdentity({ role: 'SERVICE', scopes: ['customer-feedback'] }, TEST_IDENTITY_SECRET, 600);
  const customer = (method: 'GET' | 'POST', body?: Record<string, unknown>, query = '') =>
    fetch(`${base}${CUSTOMER_FEEDBACK_PATH}${query}`, {
      method,
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: gateway },
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createScorecardsDataSource(database.url, 4));
    await appendHistory(db, fixedHistory());
    server = await createScorecardsServer({ dataSource: db, identitySecret: TEST_IDENTITY_SECRET, log: createLogger('t', 'silent') });
    url = await server.listen(0);
    base = url.replace(/\/graphql$/, '');
    await server.consumer.drain();
  });
  afterAll(async () => {
    await server?.stop();
    await db?.destroy();
    await database?.drop();
  });

  it('keeps one feedback per source per handoff, with its history', async () => {
    const input = { handoffId: h(6), source: 'PARTNER', rating: 2, tags: ['late'] };
    const first = await subgraphGql(url, SUBMIT, { input }, partnerIdentity(S));
    expect(first.errors).toBeUndefined();
    const second = await subgraphGql(url, SUBMIT, { input: { ...input, rating: 4, tags: ['clear next steps', ' clear next steps '] } }, partnerIdentity(A));
    expect(second.errors).toBeUndefined();
    expect(second.data!.submitFeedback).toMatchObject({
      id: first.data!.submitFeedback.id,
      rating: 4,
      tags: ['clear next steps'],
      revision: 2,
      history: [
        { revision: 1, rating: 2 },
        { revision: 2, rating: 4 },
      ],
    });
    await server.consumer.drain();
    const [fact] = await db.query(`SELECT feedback FROM scorecards.handoff_facts WHERE id = $1`, [h(6)]);
    expect(fact.feedback).toEqual({ PARTNER: { rating: 4, repeat: false } });
  });

  it('refuses feedback from outside the handoff, from the wrong source and out of range', async () => {
    const input = { handoffId: h(6), source: 'PARTNER', rating: 3 };
    const outsider = await subgraphGql(url, SUBMIT, { input }, partnerIdentity(B));
    expect(firstError(outsider).extensions!.code).toBe('NOT_FOUND');
    const wrongSource = await subgraphGql(url, SUBMIT, { input: { ...input, source: 'INTERNAL' } }, partnerIdentity(A));
    expect(firstError(wrongSource).extensions!.code).toBe('FORBIDDEN');
    const bad = await subgraphGql(url, SUBMIT, { input: { ...input, rating: 7, tags: Array(11).fill('x') } }, partnerIdentity(A));
    expect(firstError(bad).extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(
      firstError(bad)
        .extensions!.fields.map((f: any) => f.field)
        .sort(),
    ).toEqual(['input.rating', 'input.tags']);
    const noToken = await subgraphGql(url, SUBMIT, { input: { ...input, source: 'CUSTOMER' } }, internalIdentity(S));
    expect(firstError(noToken).extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.customerToken' }] });
    const unknown = await subgraphGql(url, SUBMIT, { input: { ...input, handoffId: '00000000-0000-4000-a000-000000000999' } }, internalIdentity(S));
    expect(firstError(unknown).extensions!.code).toBe('NOT_FOUND');
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM scorecards.feedback`);
    expect(count).toBe(1);
  });

  it('lets the customer give feedback once with a signed link; reuse, expiry and forgery are refused', async () => {
    const hidden = await subgraphGql(url, ISSUE, { id: h(1) }, partnerIdentity(B));
    expect(firstError(hidden).extensions!.code).toBe('NOT_FOUND');
    const issued = await subgraphGql(url, ISSUE, { id: h(1) }, partnerIdentity(A));
    expect(issued.errors).toBeUndefined();
    const { token, path } = issued.data!.issueCustomerFeedbackToken;
    expect(path).toBe(`/feedback?token=${encodeURIComponent(token)}`);

    const look = await customer('GET', undefined, `?token=${encodeURIComponent(token)}`);
    expect(look).toMatchObject({ status: 200, body: { handoffId: h(1), moment: 'MQL_TO_SQL' } });
    const badFields = await customer('POST', { token, rating: 0 });
    expect(badFields.status).toBe(400);
    const ok = await customer('POST', { token, rating: 5, comment: 'Nobody asked me twice', tags: ['clear next steps'] });
    expect(ok).toMatchObject({ status: 201, body: { feedback: { handoffId: h(1), rating: 5 } } });
    const reuse = await customer('POST', { token, rating: 1 });
    expect(reuse).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', reason: 'TOKEN_USED' } } });
    const reuseGraphql = await subgraphGql(
      url,
      SUBMIT,
      { input: { handoffId: h(1), source: 'CUSTOMER', rating: 1, customerToken: token } },
      partnerIdentity(A),
    );
    expect(firstError(reuseGraphql).extensions).toMatchObject({ code: 'CONFLICT', reason: 'TOKEN_USED' });

    const late = (await subgraphGql(url, ISSUE, { id: h(2), hours: 1 }, internalIdentity(S))).data!.issueCustomerFeedbackToken.token;
    await db.query(`UPDATE scorecards.customer_feedback_tokens SET expires_at = now() - interval '1 minute' WHERE handoff_id = $1`, [h(2)]);
    expect(await customer('POST', { token: late, rating: 3 })).toMatchObject({ status: 410, body: { error: { reason: 'TOKEN_EXPIRED' } } });
    const forged = `${token.slice(0, -3)}abc`;
    expect((await customer('POST', { token: forged, rating: 3 })).status).toBe(400);
    const badHours = await subgraphGql(url, ISSUE, { id: h(2), hours: 100000 }, internalIdentity(S));
    expect(firstError(badHours).extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'expiresInHours' }] });

    const viaGraphql = (await subgraphGql(url, ISSUE, { id: h(3) }, internalIdentity(S))).data!.issueCustomerFeedbackToken.token;
    const submitted = await subgraphGql(
      url,
      SUBMIT,
      { input: { handoffId: h(3), source: 'CUSTOMER', rating: 3, customerToken: viaGraphql } },
      partnerIdentity(A),
    );
    expect(submitted.data!.submitFeedback).toMatchObject({ source: 'CUSTOMER', rating: 3 });
  });

  it('refuses the customer routes to anything but the gateway', async () => {
    const res = await fetch(`${base}${CUSTOMER_FEEDBACK_PATH}?token=x`);
    expect(res.status).toBe(401);
    const asPartner = await fetch(`${base}${CUSTOMER_FEEDBACK_PATH}?token=x`, {
      headers: { [IDENTITY_HEADER]: signIdentity(partnerIdentity(A), TEST_IDENTITY_SECRET) },
    });
    expect(asPartner.status).toBe(401);
  });

  it('resolves Handoff.feedback through _entities only for the handoff’s partners and internal callers, in one batch', async () => {
    const reps = [h(1), h(8)].map((id) => ({ __typename: 'Handoff', id }));
    const before = totalQueryCount();
    const asA = await subgraphGql(url, ENTITIES, { reps }, partnerIdentity(A));
    // One statement for the handoffs' access, one for their feedback, whatever the batch size.
    expect(totalQueryCount() - before).toBe(2);
    expect(asA.data!._entities[0]).toEqual({ id: h(1), feedback: [{ source: 'CUSTOMER', rating: 5 }] });
    expect(asA.data!._entities[1]).toBeNull();
    const asInternal = await subgraphGql(url, ENTITIES, { reps }, internalIdentity(S));
    expect(asInternal.data!._entities.map((e: any) => e?.id)).toEqual([h(1), h(8)]);
  });

  it('answers maturity for the caller’s own partner and hides other partners', async () => {
    const query = `query($id: ID!) { maturity(partnerId: $id) { partnerId handoffs overallStage dimensions { dimension stage evidence { metric value sampleSize stage2Threshold stage3Threshold } } } }`;
    const own = await subgraphGql(url, query, { id: A }, partnerIdentity(A));
    expect(own.errors).toBeUndefined();
    expect(own.data!.maturity.dimensions.map((d: any) => d.dimension)).toEqual([
      'HANDOFF_DESIGN',
      'DATA_AND_SYSTEMS',
      'SLAS_AND_PLAYBOOKS',
      'CUSTOMER_EXPERIENCE',
      'MEASUREMENT_AND_ACCOUNTABILITY',
    ]);
    const other = await subgraphGql(url, query, { id: B }, partnerIdentity(A));
    expect(firstError(other).extensions!.code).toBe('NOT_FOUND');
    const partnerField = await subgraphGql(
      url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Partner { scorecard(filter: { period: QUARTER, from: "2024-01-01T00:00:00Z", to: "2024-04-01T00:00:00Z", groupBy: [] }) { level proposed } } } }`,
      {
        reps: [
          { __typename: 'Partner', id: A },
          { __typename: 'Partner', id: B },
        ],
      },
      partnerIdentity(A),
    );
    expect(partnerField.data!._entities[0].scorecard).toEqual([
      { level: 'PERIOD_TOTAL', proposed: 7 },
      { level: 'GRAND_TOTAL', proposed: 7 },
    ]);
    expect(partnerField.data!._entities[1]).toEqual({ scorecard: null });
    expect(firstError(partnerField).extensions!.code).toBe('NOT_FOUND');
  });
});
