import { ConfigError, loadConfig } from '../../../shared/config';
import { decodeHeader, parseMail } from '../../../shared/dev/mime';
import { EVENT_CATALOG } from '../../../shared/eventlog/events';
import { digestCutoff } from '../src/notifications/digest';
import { NOTIFICATION_CATALOG, NOTIFIABLE_EVENT_TYPES } from '../src/notifications/notification-catalog';
import { NotificationChannelKind } from '../src/notifications/notification.enums';
import { effectivePreference } from '../src/notifications/preferences';
import { absolute, renderEmail, renderSlack, renderTeams } from '../src/notifications/templates';

const P = '00000000-0000-4000-8000-0000000000a1';
const Q = '00000000-0000-4000-8000-0000000000b2';
const PERSON = '00000000-0000-4000-8000-0000000000c3';
const ctx = { partnerName: (id: string | null | undefined) => (id === P ? 'Proposer Co' : id === Q ? 'Receiver Co' : 'A partner') };
const handoff = {
  id: 'h-1',
  customerId: 'c-1',
  moment: 'MQL_TO_SQL',
  toPartnerId: Q,
  fromPartnerId: P,
  proposedByPartnerId: P,
  customerName: 'Hidden Customer',
  customerMessage: 'hidden message',
  contextPackage: { notes: 'hidden context' },
  proposedAt: '2026-12-01T09:30:00.000Z',
};
const task = { id: 't-1', handoffId: 'h-1', assigneePartnerId: Q, assigneePersonId: PERSON, title: 'Call them', dueAt: '2026-12-02T10:00:00.000Z' };
const clock = { target: 'ACCEPT', dueAt: '2026-12-02T10:00:00.000Z', accountablePartnerId: Q };
const due = { id: 'd-1', customerId: 'c-1', moment: 'CUSTOM', customMoment: 'Upsell', accountablePartnerId: Q, dueAt: '2026-12-03T10:00:00.000Z' };
const PAYLOADS: Record<string, Record<string, unknown>> = {
  HandoffProposed: { handoff },
  HandoffAccepted: { handoff },
  HandoffRejected: { handoff, reason: 'No capacity' },
  HandoffCompleted: { handoff },
  HandoffCancelled: { handoff },
  TaskAssigned: { task },
  TaskOverdue: { task },
  SlaAtRisk: { clock, handoff },
  SlaBreached: { clock, handoff },
  HandoffDueOpened: { due },
  SlaDueAtRisk: { clock, due },
  SlaDueBreached: { clock, due },
};

describe('the notification catalog', () => {
  it('names only event types of the event catalog, each with a payload here', () => {
    expect(NOTIFIABLE_EVENT_TYPES.filter((t) => !EVENT_CATALOG[t])).toEqual([]);
    expect(Object.keys(PAYLOADS).sort()).toEqual([...NOTIFIABLE_EVENT_TYPES].sort());
  });

  it.each(NOTIFIABLE_EVENT_TYPES)('%s concerns one party and renders a subject, facts and a dashboard link', (type) => {
    const kind = NOTIFICATION_CATALOG[type]!;
    const payload = PAYLOADS[type]!;
    const concerned = kind.concerns(payload);
    expect(concerned.partnerIds.length + concerned.people.length).toBe(1);
    const r = kind.render(payload, ctx);
    expect(r.subject.length).toBeGreaterThan(5);
    expect(r.link.path).toMatch(/^\/dashboard\/\?(handoff|customer)=/);
  });

  it('sends each event to whom it concerns', () => {
    const who = (type: string) => NOTIFICATION_CATALOG[type]!.concerns(PAYLOADS[type]!);
    expect(who('HandoffProposed')).toEqual({ partnerIds: [Q], people: [] });
    expect(who('HandoffAccepted')).toEqual({ partnerIds: [P], people: [] });
    expect(who('HandoffRejected')).toEqual({ partnerIds: [P], people: [] });
    expect(who('TaskAssigned')).toEqual({ partnerIds: [], people: [{ personId: PERSON, partnerId: Q }] });
    expect(who('SlaBreached')).toEqual({ partnerIds: [Q], people: [] });
    expect(who('HandoffDueOpened')).toEqual({ partnerIds: [Q], people: [] });
    // A proposal sent by nobody's partner (held directly by us) tells no proposer.
    expect(NOTIFICATION_CATALOG.HandoffAccepted!.concerns({ handoff: { ...handoff, proposedByPartnerId: null, fromPartnerId: null } })).toEqual({
      partnerIds: [],
      people: [],
    });
  });

  it('shows the receiver of a proposal nothing of the customer', () => {
    for (const type of ['HandoffProposed', 'HandoffCancelled']) {
      const text = JSON.stringify(NOTIFICATION_CATALOG[type]!.render(PAYLOADS[type]!, ctx));
      for (const hidden of ['Hidden Customer', 'hidden message', 'hidden context', 'c-1']) expect(text).not.toContain(hidden);
      expect(text).toContain('Proposer Co');
    }
    // The proposer owns the record: the answer names its customer.
    expect(JSON.stringify(NOTIFICATION_CATALOG.HandoffRejected!.render(PAYLOADS.HandoffRejected!, ctx))).toContain('Hidden Customer');
  });

  it('applies the catalog default until someone chooses', () => {
    const proposed = NOTIFICATION_CATALOG.HandoffProposed!;
    const assigned = NOTIFICATION_CATALOG.TaskAssigned!;
    expect(effectivePreference(proposed, NotificationChannelKind.EMAIL, undefined)).toEqual({ enabled: true, digest: false, isDefault: true });
    expect(effectivePreference(assigned, NotificationChannelKind.SLACK, undefined)).toEqual({ enabled: false, digest: false, isDefault: true });
    expect(effectivePreference(proposed, NotificationChannelKind.EMAIL, { enabled: false, digest: true })).toEqual({
      enabled: false,
      digest: true,
      isDefault: false,
    });
  });
});

describe('notification templates', () => {
  const content = absolute('https://hub.example.com', {
    subject: 'A <b>bold</b> subject',
    headline: 'Head <script>alert(1)</script>',
    facts: [{ label: 'Moment', value: 'x & y' }],
    link: { label: 'Open', path: '/dashboard/?handoff=h-1' },
  });

  it('renders text and HTML e-mail parts, escaping every value in HTML', () => {
    const mail = renderEmail(content);
    expect(mail.text).toContain('Head <script>alert(1)</script>');
    expect(mail.text).toContain('Open: https://hub.example.com/dashboard/?handoff=h-1');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('x &amp; y');
  });

  it('renders Slack blocks and a Teams message card with the link', () => {
    const slack = renderSlack(content);
    expect(slack.text).toBe('A <b>bold</b> subject — https://hub.example.com/dashboard/?handoff=h-1');
    expect(JSON.stringify(slack.blocks)).toContain('"url":"https://hub.example.com/dashboard/?handoff=h-1"');
    const teams = renderTeams(content);
    expect(teams['@type']).toBe('MessageCard');
    expect(teams.potentialAction).toEqual([
      { '@type': 'OpenUri', name: 'Open', targets: [{ os: 'default', uri: 'https://hub.example.com/dashboard/?handoff=h-1' }] },
    ]);
  });
});

describe('the digest clock', () => {
  it('sends a day’s held notifications the next day from the digest hour on', () => {
    expect(digestCutoff(new Date('2026-12-04T07:59:59Z'), 8)).toBe('2026-12-02');
    expect(digestCutoff(new Date('2026-12-04T08:00:00Z'), 8)).toBe('2026-12-03');
    expect(digestCutoff(new Date('2027-01-01T00:00:00Z'), 0)).toBe('2026-12-31');
  });
});

describe('the MIME reader of the dev mailbox', () => {
  it('decodes encoded-word headers and quoted-printable and base64 parts', () => {
    expect(decodeHeader('=?UTF-8?Q?New_Closed-won_=E2=86=92?= =?UTF-8?Q?_onboarding?=')).toBe('New Closed-won → onboarding');
    const raw = [
      'Subject: =?UTF-8?B?SGVsbG8g4oCZ?=',
      'To: a@example.com',
      'Content-Type: multipart/alternative; boundary="--b"',
      '',
      '----b',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=C3=A9 =',
      'ok',
      '----b',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>Café</p>').toString('base64'),
      '----b--',
      '',
    ].join('\r\n');
    const mail = parseMail(raw);
    expect(mail.subject).toBe('Hello ’');
    expect(mail.to).toBe('a@example.com');
    expect(mail.text?.trim()).toBe('Café ok');
    expect(mail.html?.trim()).toBe('<p>Café</p>');
  });
});

describe('SMTP settings', () => {
  it('reads host, port, from, auth and TLS from the environment, with safe defaults', () => {
    const config = loadConfig({});
    const defaults = config.notifications;
    expect(defaults.smtp).toMatchObject({ host: undefined, port: 587, tls: 'starttls', rejectUnauthorized: true });
    // One origin for every link the hub sends: notifications and customer journey pages.
    expect(defaults.publicUrl).toBe('http://127.0.0.1:4000');
    expect(config.customerJourney.publicUrl).toBe(defaults.publicUrl);
    expect(loadConfig({ HUB_PUBLIC_URL: 'https://hub.example.com/' }).customerJourney.publicUrl).toBe('https://hub.example.com');
    const set = loadConfig({
      HUB_SMTP_HOST: 'smtp.example.com',
      HUB_SMTP_PORT: '465',
      HUB_SMTP_FROM: 'Hub <hub@example.com>',
      HUB_SMTP_USER: 'hub',
      HUB_SMTP_PASSWORD: 'pw',
      HUB_SMTP_TLS: 'tls',
      HUB_PUBLIC_URL: 'https://hub.example.com/',
      HUB_NOTIFY_DIGEST_HOUR: '6',
    }).notifications;
    expect(set).toMatchObject({
      smtp: { host: 'smtp.example.com', port: 465, from: 'Hub <hub@example.com>', user: 'hub', password: 'pw', tls: 'tls' },
      publicUrl: 'https://hub.example.com',
      digestHourUtc: 6,
    });
    expect(() => loadConfig({ HUB_SMTP_TLS: 'sometimes' })).toThrow(ConfigError);
    expect(() => loadConfig({ HUB_NOTIFY_DIGEST_HOUR: '24' })).toThrow(ConfigError);
  });
});
