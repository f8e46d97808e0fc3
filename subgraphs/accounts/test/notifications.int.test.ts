import { randomUUID } from 'node:crypto';
import type { Identity } from '../../../shared/auth/identity';
import { loadConfig } from '../../../shared/config';
import { DevMailbox, type ReceivedMail } from '../../../shared/dev/dev-mailbox';
import { appendEvents } from '../../../shared/eventlog/event-log';
import { HANDOFF_COMPLETED, HANDOFF_PROPOSED, TASK_ASSIGNED } from '../../../shared/eventlog/events';
import { startAccounts, type AccountsUnderTest } from '../../../test/support/accounts-subgraph';
import { internalIdentity, partnerIdentity, subgraphGql } from '../../../test/support/subgraph-client';
import { NOTIFICATION_FANOUT_CONSUMER } from '../src/consumers/notification-fanout.consumer';
import { DEMO_PARTNERS, DEMO_PEOPLE } from '../src/seed';
import { TestReceiver, until } from './webhook-receiver';

const demo = (keyPart: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(keyPart))!;
const ACME = demo('acme');
const GLOBEX = demo('globex');
const HQ = demo('revops').id;
const peopleOf = (partnerId: string) => DEMO_PEOPLE.filter((p) => p.partnerId === partnerId);
const ACME_PEOPLE = peopleOf(ACME.id);
const ACME_ADMIN = ACME_PEOPLE.find((p) => p.role === 'ADMIN')!;
const ACME_OTHER = ACME_PEOPLE.find((p) => p.role !== 'ADMIN')!;
const GLOBEX_ADMIN = peopleOf(GLOBEX.id).find((p) => p.role === 'ADMIN')!;
const asPerson = (p: { id: string; partnerId: string }, admin = false): Identity => ({
  ...partnerIdentity(p.partnerId),
  personId: p.id,
  scopes: [...partnerIdentity(p.partnerId).scopes, ...(admin ? ['apikeys:manage'] : [])],
});
const ADMIN_A = asPerson(ACME_ADMIN, true);
const PERSON_A = asPerson(ACME_OTHER);
const ADMIN_B = asPerson(GLOBEX_ADMIN, true);
const INTERNAL = internalIdentity(HQ);
const PUBLIC_URL = 'http://hub.test';
const SECRET_CUSTOMER = 'Zebulon Secret Holdings';

const SET_PREF = `mutation($input: SetNotificationPreferenceInput!) { setNotificationPreference(input: $input) { eventType channel personId channelId enabled digest isDefault } }`;
const PREFS = `query($personId: ID, $channelId: ID, $partnerId: ID) { notificationPreferences(personId: $personId, channelId: $channelId, partnerId: $partnerId) { eventType channel personId channelId enabled digest isDefault } }`;
const ADD_CHANNEL = `mutation($input: AddNotificationChannelInput!) { addNotificationChannel(input: $input) { id partnerId kind label target } }`;
const CHANNELS = `query($partnerId: ID) { notificationChannels(partnerId: $partnerId) { id kind label target } }`;
const REMOVE_CHANNEL = `mutation($id: ID!) { removeNotificationChannel(id: $id) }`;
const LOG = `query($filter: NotificationFilter, $first: Int, $after: String) { notifications(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id partnerId channel personId channelId recipient eventId eventType subject status attempts lastError sentAt } } }`;

interface LogNode {
  id: string;
  partnerId: string;
  channel: string;
  personId: string | null;
  recipient: string;
  eventId: string | null;
  eventType: string;
  subject: string;
  status: string;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}

const proposal = (id = randomUUID()) => ({
  handoff: {
    id,
    customerId: randomUUID(),
    moment: 'CLOSED_WON_TO_ONBOARDING',
    customMoment: null,
    state: 'PROPOSED',
    fromPartnerId: GLOBEX.id,
    toPartnerId: ACME.id,
    proposedByPartnerId: GLOBEX.id,
    customerName: SECRET_CUSTOMER,
    customerSegment: 'ENTERPRISE',
    customerMessage: 'Call Zebulon on their private line',
    contextPackage: { notes: 'Zebulon pricing is confidential' },
    proposedAt: new Date().toISOString(),
  },
});

const task = (assigneePartnerId: string, assigneePersonId: string, title: string) => ({
  task: {
    id: randomUUID(),
    handoffId: randomUUID(),
    customerId: randomUUID(),
    assigneePartnerId,
    assigneePersonId,
    assigneeRole: null,
    title,
    status: 'OPEN',
    dueAt: '2026-12-20T10:00:00.000Z',
    createdAt: new Date().toISOString(),
    completedAt: null,
  },
});

describe('notifications: e-mail and chat from the event log', () => {
  let a: AccountsUnderTest;
  let now = new Date();
  const mailbox = new DevMailbox();
  const slack = new TestReceiver();
  const gql = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity) => subgraphGql<T>(a.url, query, variables, who);
  const codeOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.code;
  const emit = async (type: string, payload: Record<string, unknown>, visibleTo: string[]): Promise<string> => {
    const aggregateId = randomUUID();
    await a.db.transaction((m) => appendEvents(m, [{ type, source: 'handoffs', aggregateType: 'Handoff', aggregateId, payload, visibleTo, actor: null }]));
    const [row]: { id: string }[] = await a.db.query(`SELECT id FROM eventlog.events WHERE aggregate_id = $1`, [aggregateId]);
    await a.server.events.consumer(NOTIFICATION_FANOUT_CONSUMER).drain();
    return row!.id;
  };
  const rowsOf = (eventId: string) =>
    a.db.query(`SELECT recipient, person_id, channel_kind, status, attempts, last_error FROM accounts.notifications WHERE event_id = $1 ORDER BY recipient`, [
      eventId,
    ]) as Promise<{ recipient: string; person_id: string | null; channel_kind: string; status: string; attempts: number; last_error: string | null }[]>;
  const mailFor = (handoffId: string): ReceivedMail[] => mailbox.messages.filter((m) => (m.text ?? '').includes(handoffId));

  beforeAll(async () => {
    await mailbox.start();
    await slack.up();
    a = await startAccounts({
      sync: {
        webhooks: { ...loadConfig({}).webhooks, allowLoopback: true, retryBaseMs: 40, retryMaxDelayMs: 150, pollMs: 30, leaseMs: 3000, timeoutMs: 2000 },
      },
      notifications: {
        smtp: { ...loadConfig({}).notifications.smtp, host: '127.0.0.1', port: mailbox.port, tls: 'none', timeoutMs: 2000 },
        publicUrl: PUBLIC_URL,
        digestHourUtc: 8,
        digestPollMs: 3_600_000,
      },
      clock: () => now,
    });
  });
  afterAll(async () => {
    await a?.stop();
    await mailbox.stop();
    await slack.down();
  });

  it('e-mails a proposal to every person of the receiving partner, text and HTML with one link, and nothing of the customer record', async () => {
    const handoffId = randomUUID();
    const eventId = await emit(HANDOFF_PROPOSED, proposal(handoffId), [ACME.id, GLOBEX.id]);
    await until(() => mailFor(handoffId).length === ACME_PEOPLE.length, 10000, 'one e-mail per Acme person');
    const mails = mailFor(handoffId);
    expect(mails.flatMap((m) => m.envelopeTo).sort()).toEqual(ACME_PEOPLE.map((p) => p.email).sort());
    const link = `${PUBLIC_URL}/dashboard/?handoff=${handoffId}`;
    for (const m of mails) {
      expect(m.subject).toBe(`New Closed-won → onboarding handoff proposed by ${GLOBEX.name}`);
      expect(m.text).toContain(link);
      // Handlebars escapes every value in the HTML part (`=` as &#x3D;); a browser reads it back.
      expect(m.html?.replace(/&#x3D;/g, '=')).toContain(`href="${link}"`);
      expect(m.text).toContain(`Proposed by: ${GLOBEX.name}`);
      // Before accepting, the receiver may not see the customer record or its context.
      for (const secret of ['Zebulon', 'ENTERPRISE', 'private line']) expect(m.raw).not.toContain(secret);
    }
    // Nobody at the proposer (or anywhere else) got it.
    expect(mails.some((m) => m.envelopeTo.some((to) => !to.endsWith('@acme-reseller.example.com')))).toBe(false);
    await until(async () => (await rowsOf(eventId)).every((r) => r.status === 'SENT'), 5000, 'the log says SENT');
    const log = await gql<{ notifications: { totalCount: number; nodes: LogNode[] } }>(LOG, { filter: { eventType: HANDOFF_PROPOSED } }, ADMIN_A);
    expect(log.errors).toBeUndefined();
    const mine = log.data!.notifications.nodes.filter((n) => n.eventId === eventId);
    expect(mine).toHaveLength(ACME_PEOPLE.length);
    expect(mine.every((n) => n.channel === 'EMAIL' && n.status === 'SENT' && n.attempts === 1 && n.sentAt && n.lastError === null)).toBe(true);
  });

  it('sends nothing for an event type nobody is subscribed to, nor to a person who opted out', async () => {
    const completed = await emit(HANDOFF_COMPLETED, proposal(), [ACME.id, GLOBEX.id]);
    expect(await rowsOf(completed)).toEqual([]);

    const opt = await gql(SET_PREF, { input: { eventType: HANDOFF_PROPOSED, enabled: false } }, PERSON_A);
    expect(opt.errors).toBeUndefined();
    expect(opt.data).toEqual({
      setNotificationPreference: {
        eventType: HANDOFF_PROPOSED,
        channel: 'EMAIL',
        personId: ACME_OTHER.id,
        channelId: null,
        enabled: false,
        digest: false,
        isDefault: false,
      },
    });
    const handoffId = randomUUID();
    const eventId = await emit(HANDOFF_PROPOSED, proposal(handoffId), [ACME.id, GLOBEX.id]);
    await until(async () => (await rowsOf(eventId)).every((r) => r.status === 'SENT'), 10000, 'sent');
    expect((await rowsOf(eventId)).map((r) => r.person_id)).not.toContain(ACME_OTHER.id);
    await until(() => mailFor(handoffId).length === ACME_PEOPLE.length - 1, 5000, 'the others’ e-mails');
    expect(mailFor(handoffId).flatMap((m) => m.envelopeTo)).not.toContain(ACME_OTHER.email);
    // Back on, for the tests below.
    await gql(SET_PREF, { input: { eventType: HANDOFF_PROPOSED, enabled: true } }, PERSON_A);
  });

  it('retries while the SMTP server is down, logs the failure, and delivers each e-mail once when it is back', async () => {
    await mailbox.stop();
    const handoffId = randomUUID();
    const eventId = await emit(HANDOFF_PROPOSED, proposal(handoffId), [ACME.id, GLOBEX.id]);
    await until(async () => (await rowsOf(eventId)).every((r) => r.attempts >= 2), 10000, 'failed attempts');
    const failing = await rowsOf(eventId);
    expect(failing.every((r) => r.status === 'PENDING' && /ECONNREFUSED/.test(r.last_error ?? ''))).toBe(true);
    const log = await gql<{ notifications: { nodes: LogNode[] } }>(LOG, { filter: { status: 'PENDING' } }, ADMIN_A);
    expect(log.data!.notifications.nodes.filter((n) => n.eventId === eventId).every((n) => /SMTP: .*ECONNREFUSED/.test(n.lastError ?? ''))).toBe(true);

    await mailbox.start();
    await until(async () => (await rowsOf(eventId)).every((r) => r.status === 'SENT'), 10000, 'delivered after the outage');
    expect(
      mailFor(handoffId)
        .flatMap((m) => m.envelopeTo)
        .sort(),
    ).toEqual(ACME_PEOPLE.map((p) => p.email).sort());
    expect((await rowsOf(eventId)).every((r) => r.last_error === null)).toBe(true);
  });

  it('holds digest subscriptions and sends one digest per recipient per day, once', async () => {
    const set = await gql(SET_PREF, { input: { personId: ACME_OTHER.id, eventType: TASK_ASSIGNED, enabled: true, digest: true } }, ADMIN_A);
    expect(set.errors).toBeUndefined();
    const first = await emit(TASK_ASSIGNED, task(ACME.id, ACME_OTHER.id, 'Kick-off call'), [ACME.id]);
    const second = await emit(TASK_ASSIGNED, task(ACME.id, ACME_OTHER.id, 'Send the welcome pack'), [ACME.id]);
    expect((await rowsOf(first)).map((r) => r.status)).toEqual(['HELD']);
    expect((await rowsOf(second)).map((r) => r.status)).toEqual(['HELD']);
    const today = new Date().toISOString().slice(0, 10);
    const digests = () => mailbox.messages.filter((m) => m.subject.startsWith(`Your hub digest for ${today}`));

    // The same day, and the next day before the digest hour: held.
    now = new Date(`${today}T23:00:00Z`);
    expect(await a.server.notifications.digest()).toBe(0);
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    now = new Date(`${tomorrow}T07:59:00Z`);
    expect(await a.server.notifications.digest()).toBe(0);
    // At the digest hour: one message with both items; again: nothing.
    now = new Date(`${tomorrow}T08:00:00Z`);
    expect(await a.server.notifications.digest()).toBe(1);
    expect(await a.server.notifications.digest()).toBe(0);
    await until(() => digests().length === 1, 10000, 'the digest');
    await new Promise((r) => setTimeout(r, 200));
    const [digest] = digests();
    expect(digests()).toHaveLength(1);
    expect(digest!.envelopeTo).toEqual([ACME_OTHER.email]);
    expect(digest!.subject).toBe(`Your hub digest for ${today}: 2 notifications`);
    expect(digest!.text).toContain('Task assigned to you: Kick-off call');
    expect(digest!.html).toContain('Task assigned to you: Send the welcome pack');
    expect((await rowsOf(first)).map((r) => r.status)).toEqual(['DIGESTED']);
  });

  it('e-mails only within the partner that owns the person', async () => {
    // A task naming an Acme person as the assignee of a Globex task reaches nobody.
    const eventId = await emit(TASK_ASSIGNED, task(GLOBEX.id, ACME_ADMIN.id, 'Cross-partner task'), [GLOBEX.id]);
    expect(await rowsOf(eventId)).toEqual([]);
    // And the database refuses a notification of one partner to another partner's person.
    await expect(
      a.db.query(
        `INSERT INTO accounts.notifications (partner_id, person_id, channel_kind, recipient_key, recipient, event_type, status, content)
         VALUES ($1, $2, 'EMAIL', 'person:x', 'x', 'TaskAssigned', 'PENDING', '{}')`,
        [GLOBEX.id, ACME_ADMIN.id],
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it('posts to a Slack channel through the durable worker, retrying on 500', async () => {
    slack.status = 500;
    const added = await gql<{ addNotificationChannel: { id: string; kind: string; target: string } }>(
      ADD_CHANNEL,
      { input: { kind: 'SLACK', label: '#onboarding', url: `${slack.url}/T000/B000/secretpart` } },
      ADMIN_A,
    );
    expect(added.errors).toBeUndefined();
    const channel = added.data!.addNotificationChannel;
    expect(channel.target).toBe(`http://127.0.0.1:${slack.port}/…part`);
    const handoffId = randomUUID();
    const eventId = await emit(HANDOFF_PROPOSED, proposal(handoffId), [ACME.id, GLOBEX.id]);
    await until(() => slack.received.length >= 2, 10000, 'retried posts');
    const slackRow = async () => (await rowsOf(eventId)).find((r) => r.channel_kind === 'SLACK')!;
    expect((await slackRow()).last_error).toBe('HTTP 500');
    slack.status = 200;
    await until(async () => (await slackRow()).status === 'SENT', 10000, 'sent to Slack');
    const body = slack.received.at(-1)!.json as unknown as { text: string; blocks: unknown[] };
    expect(body.text).toContain(`${PUBLIC_URL}/dashboard/?handoff=${handoffId}`);
    expect(JSON.stringify(body)).not.toContain('Zebulon');
    expect((await slackRow()).recipient).toBe('#onboarding');

    // Teams: a message card through the same worker.
    const teams = await gql<{ addNotificationChannel: { id: string } }>(
      ADD_CHANNEL,
      { input: { kind: 'TEAMS', label: 'Onboarding team', url: `${slack.url}/teams/secretpart` } },
      ADMIN_A,
    );
    expect(teams.errors).toBeUndefined();
    const teamsHandoff = randomUUID();
    const teamsEvent = await emit(HANDOFF_PROPOSED, proposal(teamsHandoff), [ACME.id, GLOBEX.id]);
    await until(async () => (await rowsOf(teamsEvent)).find((r) => r.channel_kind === 'TEAMS')?.status === 'SENT', 10000, 'sent to Teams');
    const card = slack.received
      .map((r) => r.json as unknown as Record<string, unknown>)
      .find((b) => b['@type'] === 'MessageCard' && JSON.stringify(b).includes(teamsHandoff));
    expect(card?.summary).toBe(`New Closed-won → onboarding handoff proposed by ${GLOBEX.name}`);
    await gql(REMOVE_CHANNEL, { id: teams.data!.addNotificationChannel.id }, ADMIN_A);

    const list = await gql<{ notificationChannels: { id: string }[] }>(CHANNELS, {}, ADMIN_A);
    expect(list.data!.notificationChannels.map((c) => c.id)).toEqual([channel.id]);
    // Removing a channel keeps its log, without the channel.
    const removed = await gql(REMOVE_CHANNEL, { id: channel.id }, ADMIN_A);
    expect(removed.data).toEqual({ removeNotificationChannel: channel.id });
    const kept: { channel_id: string | null; status: string }[] = await a.db.query(
      `SELECT channel_id, status FROM accounts.notifications WHERE event_id = $1 AND channel_kind = 'SLACK'`,
      [eventId],
    );
    expect(kept).toEqual([{ channel_id: null, status: 'SENT' }]);
  });

  describe('access and bad input', () => {
    const prefCount = async () => ((await a.db.query(`SELECT count(*)::int AS n FROM accounts.notification_preferences`)) as { n: number }[])[0]!.n;

    it('shows a person their own preferences with the defaults, and a partner’s to its admins and internal teams', async () => {
      const mine = await gql<{ notificationPreferences: { eventType: string; enabled: boolean; isDefault: boolean }[] }>(PREFS, {}, ADMIN_A);
      expect(mine.errors).toBeUndefined();
      const byType = new Map(mine.data!.notificationPreferences.map((p) => [p.eventType, p]));
      expect(byType.get(HANDOFF_PROPOSED)).toMatchObject({ enabled: true, isDefault: true });
      expect(byType.get(HANDOFF_COMPLETED)).toMatchObject({ enabled: false, isDefault: true });
      const partner = await gql<{ notificationPreferences: { personId: string }[] }>(PREFS, { partnerId: ACME.id }, INTERNAL);
      expect(new Set(partner.data!.notificationPreferences.map((p) => p.personId))).toEqual(new Set(ACME_PEOPLE.map((p) => p.id)));
      expect(codeOf(await gql(PREFS, { partnerId: ACME.id }, PERSON_A))).toBe('FORBIDDEN');
      expect(codeOf(await gql(PREFS, { partnerId: ACME.id }, ADMIN_B))).toBe('FORBIDDEN');
    });

    it('hides another partner’s people and channels, and keeps a person to their own', async () => {
      const before = await prefCount();
      expect(codeOf(await gql(PREFS, { personId: ACME_OTHER.id }, ADMIN_B))).toBe('NOT_FOUND');
      expect(codeOf(await gql(SET_PREF, { input: { personId: ACME_OTHER.id, eventType: HANDOFF_PROPOSED, enabled: false } }, ADMIN_B))).toBe('NOT_FOUND');
      expect(codeOf(await gql(SET_PREF, { input: { personId: ACME_ADMIN.id, eventType: HANDOFF_PROPOSED, enabled: false } }, PERSON_A))).toBe('FORBIDDEN');
      expect(codeOf(await gql(SET_PREF, { input: { eventType: 'CustomerUpdated', enabled: true } }, PERSON_A))).toBe('BAD_USER_INPUT');
      expect(codeOf(await gql(SET_PREF, { input: { eventType: HANDOFF_PROPOSED, enabled: true } }, partnerIdentity(ACME.id)))).toBe('BAD_USER_INPUT');
      expect(codeOf(await gql(CHANNELS, { partnerId: ACME.id }, ADMIN_B))).toBe('FORBIDDEN');
      expect(await prefCount()).toBe(before);
    });

    it('refuses bad channels', async () => {
      const add = (input: Record<string, unknown>, who: Identity = ADMIN_A) => gql(ADD_CHANNEL, { input }, who);
      expect(codeOf(await add({ kind: 'EMAIL', label: 'x', url: 'https://hooks.slack.com/x' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await add({ kind: 'SLACK', label: ' ', url: 'https://hooks.slack.com/x' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await add({ kind: 'TEAMS', label: 'x', url: 'ftp://example.com/x' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await add({ kind: 'TEAMS', label: 'x', url: 'http://10.0.0.1/x' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await add({ kind: 'SLACK', label: 'x', url: 'http://127.0.0.1:9/x' }, PERSON_A))).toBe('FORBIDDEN');
      expect(codeOf(await add({ kind: 'SLACK', label: 'x', url: 'http://127.0.0.1:9/x', partnerId: ACME.id }, ADMIN_B))).toBe('FORBIDDEN');
      expect(codeOf(await gql(REMOVE_CHANNEL, { id: randomUUID() }, ADMIN_A))).toBe('NOT_FOUND');
      const left: { n: number }[] = await a.db.query(`SELECT count(*)::int AS n FROM accounts.notification_channels`);
      expect(left[0]!.n).toBe(0);
    });

    it('shows the log to a partner’s admins, a person only their own, and pages it', async () => {
      const own = await gql<{ notifications: { nodes: LogNode[] } }>(LOG, { first: 100 }, PERSON_A);
      expect(own.errors).toBeUndefined();
      expect(own.data!.notifications.nodes.length).toBeGreaterThan(0);
      expect(own.data!.notifications.nodes.every((n) => n.personId === ACME_OTHER.id)).toBe(true);
      expect(codeOf(await gql(LOG, { filter: { personId: ACME_ADMIN.id } }, PERSON_A))).toBe('FORBIDDEN');
      expect(codeOf(await gql(LOG, { filter: { partnerId: ACME.id } }, ADMIN_B))).toBe('FORBIDDEN');
      const theirs = await gql<{ notifications: { nodes: LogNode[] } }>(LOG, { first: 100 }, ADMIN_B);
      expect(theirs.data!.notifications.nodes.every((n) => n.partnerId === GLOBEX.id)).toBe(true);

      const page1 = await gql<{ notifications: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: LogNode[] } }>(
        LOG,
        { first: 2 },
        ADMIN_A,
      );
      expect(page1.data!.notifications.pageInfo.hasNextPage).toBe(true);
      const page2 = await gql<{ notifications: { nodes: LogNode[] } }>(LOG, { first: 2, after: page1.data!.notifications.pageInfo.endCursor }, ADMIN_A);
      const ids = [...page1.data!.notifications.nodes, ...page2.data!.notifications.nodes].map((n) => n.id);
      expect(new Set(ids).size).toBe(4);
    });
  });
});
