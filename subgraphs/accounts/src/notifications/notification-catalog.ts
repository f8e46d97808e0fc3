import {
  HANDOFF_ACCEPTED,
  HANDOFF_CANCELLED,
  HANDOFF_COMPLETED,
  HANDOFF_DUE_OPENED,
  HANDOFF_PROPOSED,
  HANDOFF_REJECTED,
  SLA_AT_RISK,
  SLA_BREACHED,
  SLA_DUE_AT_RISK,
  SLA_DUE_BREACHED,
  TASK_ASSIGNED,
  TASK_OVERDUE,
} from '../../../../shared/eventlog/events';

/** Who an event concerns: every person (and team channel) of these partners, and these people. */
export interface Concerned {
  partnerIds: string[];
  /** A person is notified only while it belongs to the partner named with it. */
  people: { personId: string; partnerId: string }[];
}

/** What a notification says, whatever the channel; the templates turn it into e-mail or chat. */
export interface Rendered {
  subject: string;
  headline: string;
  facts: { label: string; value: string }[];
  /** The dashboard item, relative to the hub's public URL. */
  link: { label: string; path: string };
}

/** Looks up what rendering may show of other parties (partner names). */
export interface RenderContext {
  partnerName(id: string | null | undefined): string;
}

/** One notifiable event type: who it concerns, who gets it by default, how it reads. */
export interface NotificationKind {
  /** For the preference list and docs/notifications.md. */
  description: string;
  /** Whether people of the concerned partner (or the concerned person) get it by e-mail unless they opt out. */
  emailByDefault: boolean;
  /** Whether a partner's Slack/Teams channels get it unless they opt out. */
  chatByDefault: boolean;
  concerns(payload: Record<string, unknown>): Concerned;
  /** Partner ids whose names {@link render} shows. */
  mentions(payload: Record<string, unknown>): (string | null)[];
  /**
   * What the concerned party may read of the event, and no more: the API's visibility
   * rules hold here too (e.g. no customer record for the receiver of a PROPOSED handoff).
   */
  render(payload: Record<string, unknown>, ctx: RenderContext): Rendered;
}

// Tolerant readers: events written before a field existed lack it.
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const ids = (...v: unknown[]): string[] => [...new Set(v.map(str).filter((s): s is string => s !== null))];

const MOMENTS: Record<string, string> = {
  MQL_TO_SQL: 'MQL → SQL',
  DIRECT_TO_PARTNER: 'Direct → partner',
  CLOSED_WON_TO_ONBOARDING: 'Closed-won → onboarding',
  ONBOARDING_TO_SUCCESS: 'Onboarding → success',
  SUCCESS_TO_RENEWAL: 'Success → renewal',
};
const momentOf = (h: Record<string, unknown>) => (h.moment === 'CUSTOM' ? (str(h.customMoment) ?? 'Custom') : (MOMENTS[String(h.moment)] ?? String(h.moment)));
const utc = (v: unknown) => {
  const s = str(v);
  return s ? `${new Date(s).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—';
};
const handoff = (p: Record<string, unknown>) => obj(p.handoff);
/** The proposing partner: who proposed it, else its sender. */
const proposer = (h: Record<string, unknown>) => str(h.proposedByPartnerId) ?? str(h.fromPartnerId);
const handoffLink = (h: Record<string, unknown>) => ({ label: 'Open the handoff', path: `/dashboard/?handoff=${encodeURIComponent(String(h.id))}` });

/** Handoff outcomes the proposer hears about: the customer name is its own record. */
const outcome =
  (verb: string) =>
  (p: Record<string, unknown>, ctx: RenderContext): Rendered => {
    const h = handoff(p);
    const facts = [
      { label: 'Moment', value: momentOf(h) },
      { label: 'Customer', value: str(h.customerName) ?? String(h.customerId) },
      { label: 'Receiver', value: ctx.partnerName(str(h.toPartnerId)) },
    ];
    const reason = str(p.reason) ?? str(h.reason);
    if (reason) facts.push({ label: 'Reason', value: reason });
    return {
      subject: `${ctx.partnerName(str(h.toPartnerId))} ${verb} your ${momentOf(h)} handoff`,
      headline: `Handoff ${verb}`,
      facts,
      link: handoffLink(h),
    };
  };

const taskRender =
  (what: string) =>
  (p: Record<string, unknown>): Rendered => {
    const t = obj(p.task);
    return {
      subject: `${what}: ${str(t.title) ?? 'a handoff task'}`,
      headline: what,
      facts: [
        { label: 'Task', value: str(t.title) ?? '—' },
        { label: 'Due', value: utc(t.dueAt) },
      ],
      link: { label: 'Open the task', path: `/dashboard/?handoff=${encodeURIComponent(String(t.handoffId))}&task=${encodeURIComponent(String(t.id))}` },
    };
  };
const taskConcerns = (p: Record<string, unknown>): Concerned => {
  const t = obj(p.task);
  const personId = str(t.assigneePersonId);
  const partnerId = str(t.assigneePartnerId);
  return { partnerIds: [], people: personId && partnerId ? [{ personId, partnerId }] : [] };
};

const slaRender =
  (what: string) =>
  (p: Record<string, unknown>): Rendered => {
    const c = obj(p.clock);
    const h = handoff(p);
    return {
      subject: `SLA ${what}: ${c.target === 'ACCEPT' ? 'accept' : 'complete'} the ${momentOf(h)} handoff by ${utc(c.dueAt)}`,
      headline: `SLA ${what}`,
      facts: [
        { label: 'Moment', value: momentOf(h) },
        { label: 'Target', value: String(c.target ?? '—') },
        { label: 'Due', value: utc(c.dueAt) },
      ],
      link: handoffLink(h),
    };
  };
const slaConcerns = (p: Record<string, unknown>): Concerned => ({ partnerIds: ids(obj(p.clock).accountablePartnerId ?? handoff(p).toPartnerId), people: [] });

const dueRender =
  (what: string, dueAt: (p: Record<string, unknown>) => unknown) =>
  (p: Record<string, unknown>): Rendered => {
    const d = obj(p.due);
    return {
      subject: `${what}: propose the ${momentOf(d)} handoff by ${utc(dueAt(p))}`,
      headline: what,
      facts: [
        { label: 'Moment', value: momentOf(d) },
        { label: 'Propose by', value: utc(dueAt(p)) },
      ],
      link: { label: 'Open the customer’s journey', path: `/dashboard/?customer=${encodeURIComponent(String(d.customerId))}` },
    };
  };
const dueConcerns = (p: Record<string, unknown>): Concerned => ({ partnerIds: ids(obj(p.due).accountablePartnerId), people: [] });

/**
 * Every notifiable event type, keyed by type. The notification consumer handles exactly
 * these types, preferences accept exactly these, and adding a type is one entry here.
 */
export const NOTIFICATION_CATALOG: Readonly<Record<string, NotificationKind>> = {
  [HANDOFF_PROPOSED]: {
    description: 'A handoff was proposed to your partner. Concerns the receiving partner.',
    emailByDefault: true,
    chatByDefault: true,
    concerns: (p) => ({ partnerIds: ids(handoff(p).toPartnerId), people: [] }),
    mentions: (p) => [proposer(handoff(p))],
    // Before accepting, the receiver may see the handoff but not the customer record: the
    // moment, who proposes, when, and the link; nothing of the customer or its context.
    render: (p, ctx) => {
      const h = handoff(p);
      return {
        subject: `New ${momentOf(h)} handoff proposed by ${ctx.partnerName(proposer(h))}`,
        headline: 'A handoff was proposed to you',
        facts: [
          { label: 'Moment', value: momentOf(h) },
          { label: 'Proposed by', value: ctx.partnerName(proposer(h)) },
          { label: 'Proposed at', value: utc(h.proposedAt) },
        ],
        link: { label: 'Review and accept or reject', path: handoffLink(h).path },
      };
    },
  },
  [HANDOFF_ACCEPTED]: {
    description: 'The receiver accepted a handoff you proposed. Concerns the proposing partner.',
    emailByDefault: true,
    chatByDefault: true,
    concerns: (p) => ({ partnerIds: ids(proposer(handoff(p))), people: [] }),
    mentions: (p) => [str(handoff(p).toPartnerId)],
    render: outcome('accepted'),
  },
  [HANDOFF_REJECTED]: {
    description: 'The receiver rejected a handoff you proposed, with its reason. Concerns the proposing partner.',
    emailByDefault: true,
    chatByDefault: true,
    concerns: (p) => ({ partnerIds: ids(proposer(handoff(p))), people: [] }),
    mentions: (p) => [str(handoff(p).toPartnerId)],
    render: outcome('rejected'),
  },
  [HANDOFF_COMPLETED]: {
    description: 'The new owner completed a handoff you proposed. Concerns the proposing partner.',
    emailByDefault: false,
    chatByDefault: false,
    concerns: (p) => ({ partnerIds: ids(proposer(handoff(p))), people: [] }),
    mentions: (p) => [str(handoff(p).toPartnerId)],
    render: outcome('completed'),
  },
  [HANDOFF_CANCELLED]: {
    description: 'The sender withdrew a handoff proposed to your partner. Concerns the receiving partner.',
    emailByDefault: false,
    chatByDefault: false,
    concerns: (p) => ({ partnerIds: ids(handoff(p).toPartnerId), people: [] }),
    mentions: (p) => [proposer(handoff(p))],
    // The receiver may never have held the record: like the proposal, no customer.
    render: (p, ctx) => {
      const h = handoff(p);
      return {
        subject: `${ctx.partnerName(proposer(h))} withdrew a ${momentOf(h)} handoff`,
        headline: 'A handoff was withdrawn',
        facts: [
          { label: 'Moment', value: momentOf(h) },
          { label: 'Proposed by', value: ctx.partnerName(proposer(h)) },
        ],
        link: handoffLink(h),
      };
    },
  },
  [TASK_ASSIGNED]: {
    description: 'A handoff task was assigned to you. Concerns the assignee.',
    emailByDefault: true,
    chatByDefault: false,
    concerns: taskConcerns,
    mentions: () => [],
    render: taskRender('Task assigned to you'),
  },
  [TASK_OVERDUE]: {
    description: 'A task of yours passed its due time. Concerns the assignee.',
    emailByDefault: true,
    chatByDefault: false,
    concerns: taskConcerns,
    mentions: () => [],
    render: taskRender('Task overdue'),
  },
  [SLA_AT_RISK]: {
    description: 'An SLA clock on a handoff you hold passed its warning threshold. Concerns the accountable partner.',
    emailByDefault: true,
    chatByDefault: true,
    concerns: slaConcerns,
    mentions: () => [],
    render: slaRender('at risk'),
  },
  [SLA_BREACHED]: {
    description: 'An SLA clock on a handoff you hold passed its due time. Concerns the accountable partner.',
    emailByDefault: true,
    chatByDefault: true,
    concerns: slaConcerns,
    mentions: () => [],
    render: slaRender('breached'),
  },
  [HANDOFF_DUE_OPENED]: {
    description: 'A handoff came due for a customer you are accountable for. Concerns the accountable partner.',
    emailByDefault: true,
    chatByDefault: false,
    concerns: dueConcerns,
    mentions: () => [],
    render: dueRender('Handoff due', (p) => obj(p.due).dueAt),
  },
  [SLA_DUE_AT_RISK]: {
    description: 'A due handoff is close to its propose-by time with nothing proposed. Concerns the accountable partner.',
    emailByDefault: true,
    chatByDefault: true,
    concerns: dueConcerns,
    mentions: () => [],
    render: dueRender('Handoff due soon', (p) => obj(p.clock).dueAt),
  },
  [SLA_DUE_BREACHED]: {
    description: 'A due handoff passed its propose-by time with nothing proposed (overdue). Concerns the accountable partner.',
    emailByDefault: true,
    chatByDefault: true,
    concerns: dueConcerns,
    mentions: () => [],
    render: dueRender('Handoff overdue', (p) => obj(p.clock).dueAt),
  },
};

export const NOTIFIABLE_EVENT_TYPES: readonly string[] = Object.keys(NOTIFICATION_CATALOG);

/** The event type a daily digest is logged under. */
export const DAILY_DIGEST = 'DailyDigest';
