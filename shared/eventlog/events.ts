/**
 * The event contract between subgraphs. A subgraph learns what another one did only from
 * these events (or through federation), never from its tables. Add fields freely; rename
 * or remove nothing that a consumer reads. Every payload is JSON: dates are ISO strings.
 *
 * Visibility (`visibleTo` on the event row) lists the partners that may see an event;
 * internal callers see all. Writers set it; the change feed, webhooks and subscriptions
 * filter on it.
 */

/**
 * `source` of demo history (scorecards' seed writes months of handoff, SLA and feedback
 * events so the dashboard is alive on first start). Projections may fold these events;
 * consumers that act on an event (start SLA clocks, escalate, send webhooks, notify
 * subscribers) must skip them: they describe the past, not work to do.
 */
export const DEMO_EVENT_SOURCE = 'demo';

// ---- accounts ------------------------------------------------------------------------

export const PARTNER_CREATED = 'PartnerCreated';
export const CUSTOMER_CREATED = 'CustomerCreated';
export const CUSTOMER_UPDATED = 'CustomerUpdated';
/** A partner's sync met a customer someone else holds; internal teams resolve it (visibleTo: []). */
export const CUSTOMER_OWNERSHIP_CLAIMED = 'CustomerOwnershipClaimed';

export interface PartnerSnapshot {
  id: string;
  name: string;
  kind: 'RESELLER' | 'AGENCY' | 'SERVICE_PROVIDER' | 'INTERNAL_TEAM';
  tier: 'PLATINUM' | 'GOLD' | 'SILVER' | 'REGISTERED';
  region: string;
  status: string;
}

/** PartnerCreated: `{ partner }`. */
export interface PartnerEventPayload {
  partner: PartnerSnapshot;
}

export interface CustomerSnapshot {
  id: string;
  name: string;
  domain: string | null;
  segment: 'SMB' | 'MID_MARKET' | 'ENTERPRISE' | 'STRATEGIC';
  region: 'NA' | 'LATAM' | 'EMEA' | 'APAC';
  lifecycleStage: string;
  /** Owner at the time of the event (null = held directly by us). */
  ownerPartnerId: string | null;
  version: number;
  [more: string]: unknown;
}

/** CustomerOwnershipClaimed: `{ claim }`. */
export interface OwnershipClaimPayload {
  claim: { id: string; customerId: string; claimantPartnerId: string; ownerPartnerId: string | null; system: string; externalId: string; at: string };
}

/** CustomerCreated / CustomerUpdated: `{ customer, changed }` (changed: field names). */
export interface CustomerEventPayload {
  customer: CustomerSnapshot;
  changed: string[];
}

/** An API key stopped working (revoked, or replaced by rotation). Never carries the secret. */
export const API_KEY_REVOKED = 'ApiKeyRevoked';

/** ApiKeyRevoked: `{ apiKey: { id, partnerId, prefix, label }, reason, revokedAt, replacedBy }`. */
export interface ApiKeyRevokedPayload {
  apiKey: { id: string; partnerId: string; prefix: string; label: string };
  reason: 'REVOKED' | 'ROTATED';
  revokedAt: string;
  /** The new key's id when rotated. */
  replacedBy: string | null;
}

// ---- handoffs ------------------------------------------------------------------------

export const HANDOFF_PROPOSED = 'HandoffProposed';
export const HANDOFF_ACCEPTED = 'HandoffAccepted';
export const HANDOFF_REJECTED = 'HandoffRejected';
export const HANDOFF_CANCELLED = 'HandoffCancelled';
export const HANDOFF_COMPLETED = 'HandoffCompleted';
export const HANDOFF_EXPIRED = 'HandoffExpired';
export const HANDOFF_HELD = 'HandoffHeld';
export const HANDOFF_RESUMED = 'HandoffResumed';
export const OWNERSHIP_CHANGED = 'OwnershipChanged';
export const PLAYBOOK_PUBLISHED = 'PlaybookPublished';
/** Routing chose the receiver of a handoff: `{ handoffId, trigger, reroutedFromId, decision }`; visibleTo: []. */
export const HANDOFF_ROUTED = 'HandoffRouted';
/** Routing found no candidate, so nothing was proposed: `{ trigger, handoffId, reason, decision }`; visibleTo: []. */
export const NO_ROUTE_FOUND = 'NoRouteFound';
/** A routing rule got a new version: `{ rule }`; visibleTo: []. */
export const ROUTING_RULE_SET = 'RoutingRuleSet';

/** A customer's stage move made a handoff due (docs/journeys.md): `{ due }`; visibleTo: the accountable partner and the suggested receiver. */
export const HANDOFF_DUE_OPENED = 'HandoffDueOpened';
/** The accountable partner or an internal team dismissed a due, with a reason: `{ due }`. */
export const HANDOFF_DUE_DISMISSED = 'HandoffDueDismissed';
/** A later stage move of the customer replaced a due: `{ due }`. */
export const HANDOFF_DUE_SUPERSEDED = 'HandoffDueSuperseded';
/** A handoff of the customer at the due's moment was proposed: `{ due }` (due.handoffId links it). */
export const HANDOFF_DUE_PROPOSED = 'HandoffDueProposed';

export const HANDOFF_DUE_EVENT_TYPES = [HANDOFF_DUE_OPENED, HANDOFF_DUE_DISMISSED, HANDOFF_DUE_SUPERSEDED, HANDOFF_DUE_PROPOSED];

/** The due as every HandoffDue* event carries it, after the change. */
export interface HandoffDueSnapshot {
  id: string;
  customerId: string;
  moment: HandoffMomentName;
  customMoment: string | null;
  playbookId: string;
  playbookVersion: number;
  stageMove: { fromStage: string; toStage: string; eventId: string; at: string };
  accountablePartnerId: string | null;
  suggestedPartnerId: string | null;
  suggestionRuleId: string | null;
  proposeWithin: string | null;
  dueAt: string | null;
  autoPropose: boolean;
  state: 'OPEN' | 'PROPOSED' | 'DISMISSED' | 'SUPERSEDED';
  handoffId: string | null;
  dismissedReason: string | null;
  dismissedByPartnerId: string | null;
  supersededByEventId: string | null;
  openedAt: string;
  closedAt: string | null;
}

/** HandoffDueOpened / Dismissed / Superseded / Proposed. */
export interface HandoffDueEventPayload {
  due: HandoffDueSnapshot;
  [more: string]: unknown;
}

export const HANDOFF_EVENT_TYPES = [
  HANDOFF_PROPOSED,
  HANDOFF_ACCEPTED,
  HANDOFF_REJECTED,
  HANDOFF_CANCELLED,
  HANDOFF_COMPLETED,
  HANDOFF_EXPIRED,
  HANDOFF_HELD,
  HANDOFF_RESUMED,
];

export type HandoffMomentName = 'MQL_TO_SQL' | 'DIRECT_TO_PARTNER' | 'CLOSED_WON_TO_ONBOARDING' | 'ONBOARDING_TO_SUCCESS' | 'SUCCESS_TO_RENEWAL' | 'CUSTOM';

export type HandoffStateName = 'PROPOSED' | 'ACCEPTED' | 'COMPLETED' | 'REJECTED' | 'CANCELLED' | 'EXPIRED';

/** The handoff as it is after the change; every handoff event carries it. */
export interface HandoffSnapshot {
  id: string;
  customerId: string;
  moment: HandoffMomentName;
  /** Set when moment is CUSTOM. */
  customMoment: string | null;
  state: HandoffStateName;
  /** The sender (null = held directly by us, no partner). */
  fromPartnerId: string | null;
  toPartnerId: string;
  /** Tier of the receiving partner, for SLA policy selection and scorecards. */
  toPartnerTier: string | null;
  customerSegment: string | null;
  customerRegion: string | null;
  playbookId: string | null;
  playbookVersion: number | null;
  /** Every field the playbook requires was present and well-typed at proposal. */
  requiredDataComplete: boolean;
  /** Paused (waiting on the customer). */
  onHold: boolean;
  proposedAt: string;
  acceptedAt: string | null;
  completedAt: string | null;
  /** When it reached REJECTED, CANCELLED or EXPIRED. */
  closedAt: string | null;
  // Added by handoffs: the rest of the handoff, so that subscribers, the change
  // feed and webhooks need no read per event. Optional for readers of older events.
  customerName?: string;
  proposedByPartnerId?: string | null;
  contextPackage?: Record<string, unknown>;
  customerMessage?: string;
  data?: Record<string, unknown>;
  deliverables?: Record<string, unknown> | null;
  holdReason?: string | null;
  reasonCode?: string | null;
  reason?: string | null;
  /** The expired handoff an SLA escalation (REASSIGN) replaced with this one. */
  reassignedFromId?: string | null;
  updatedAt?: string;
  /** Added by handoffs (routing): the rule version that chose the receiver; null when the sender named it. */
  routing?: { ruleId: string; ruleVersion: number; rerouteOnReject: boolean } | null;
  /** The rejected handoff this one re-routes. */
  reroutedFromId?: string | null;
}

/**
 * Every handoff event: `{ handoff, reason?, reasonCode? }`. HandoffRejected carries
 * reasonCode + reason; HandoffCancelled, HandoffExpired and HandoffHeld carry reason.
 */
export interface HandoffEventPayload {
  handoff: HandoffSnapshot;
  reasonCode?: string | null;
  reason?: string | null;
  /**
   * When the change happened, when it differs from the event's occurredAt (imported or
   * demo history). Optional: consumers fall back to the snapshot's timestamps, then occurredAt.
   */
  at?: string | null;
}

/** OwnershipChanged: appended in the same transaction as the HandoffAccepted (or expiry return). */
export interface OwnershipChangedPayload {
  id: string;
  customerId: string;
  fromPartnerId: string | null;
  toPartnerId: string | null;
  handoffId: string | null;
  actorPartnerId: string | null;
  at: string;
  /** Added by handoffs: HANDOFF_ACCEPTED, or HANDOFF_RECLAIMED (an SLA escalation took it back). */
  reason?: 'HANDOFF_ACCEPTED' | 'HANDOFF_RECLAIMED';
  /**
   * Added by handoffs: what the previous owner keeps. COLLABORATOR after a handoff it made
   * (the default when absent); NONE when ownership was reclaimed from it after an SLA breach.
   */
  previousOwnerAccess?: 'COLLABORATOR' | 'NONE';
}

/** A routing decision as HandoffRouted and NoRouteFound carry it: every candidate, with its full reasons. */
export interface RoutingDecisionSnapshot {
  ruleId: string | null;
  ruleVersion: number | null;
  strategies: string[];
  customerId: string;
  moment: HandoffMomentName;
  customMoment: string | null;
  customerSegment: string | null;
  customerRegion: string | null;
  /** DIRECT, or the owner's partner kind. */
  currentOwnerKind: string;
  chosenPartnerId: string | null;
  candidates: {
    partnerId: string;
    outcome: 'CHOSEN' | 'KEPT' | 'SKIPPED';
    rank: number | null;
    score: number | null;
    reasons: { code: string; message: string }[];
  }[];
}

/** HandoffRouted. `trigger`: PROPOSE, REROUTE (a rejection, rule's rerouteOnReject) or SLA_REASSIGN. */
export interface HandoffRoutedPayload {
  handoffId: string;
  trigger: 'PROPOSE' | 'REROUTE' | 'SLA_REASSIGN';
  reroutedFromId: string | null;
  decision: RoutingDecisionSnapshot;
  [more: string]: unknown;
}

/** NoRouteFound. `handoffId`: the rejected or expired handoff a re-route started from, else null. */
export interface NoRouteFoundPayload {
  trigger: 'PROPOSE' | 'REROUTE' | 'SLA_REASSIGN';
  handoffId: string | null;
  reason: 'NO_RULE' | 'ALL_CANDIDATES_SKIPPED';
  decision: RoutingDecisionSnapshot;
  [more: string]: unknown;
}

// ---- slas ----------------------------------------------------------------------------

export const SLA_CLOCK_STARTED = 'SlaClockStarted';
export const SLA_AT_RISK = 'SlaAtRisk';
export const SLA_BREACHED = 'SlaBreached';
export const SLA_CLOCK_STOPPED = 'SlaClockStopped';
/** Asks handoffs to act on a breach; handoffs owns the EXPIRED state and ownership. */
export const SLA_ESCALATION_REQUESTED = 'SlaEscalationRequested';
/** A policy got a new version (slas): `{ policy }` (SlaPolicySnapshot); visibleTo: []. */
export const SLA_POLICY_SET = 'SlaPolicySet';

export interface SlaPolicySnapshot {
  id: string;
  version: number;
  moment: HandoffMomentName;
  partnerTier: string | null;
  customerSegment: string | null;
  acceptWithin: string;
  completeWithin: string;
  acceptWithinSeconds: number;
  completeWithinSeconds: number;
  calendar: { timeZone: string; workingHours: { weekday: string; from: string; to: string }[]; holidays: string[] };
  warningThresholdPercent: number;
  escalation: 'NOTIFY' | 'RECLAIM' | 'REASSIGN';
  reassignToPartnerId: string | null;
  createdAt: string;
}

export interface SlaClockSnapshot {
  id: string;
  handoffId: string;
  policyId: string;
  policyVersion: number;
  target: 'ACCEPT' | 'COMPLETE';
  state: 'RUNNING' | 'PAUSED' | 'AT_RISK' | 'MET' | 'BREACHED' | 'CANCELLED';
  startedAt: string;
  dueAt: string | null;
  stoppedAt: string | null;
  /** Business seconds elapsed so far (or in total once stopped). */
  businessSecondsElapsed: number;
  targetBusinessSeconds: number;
  // Added by slas; optional for readers of older events.
  /** The receiver the clock holds to account (scorecards' SLA attainment). */
  accountablePartnerId?: string;
  warningAt?: string | null;
  atRiskAt?: string | null;
  breachedAt?: string | null;
  /** Business seconds taken out by pauses. */
  pausedBusinessSeconds?: number;
}

/** Every SLA event: `{ clock, handoff }` (the handoff snapshot the clock last saw). */
export interface SlaEventPayload {
  clock: SlaClockSnapshot;
  handoff: HandoffSnapshot;
}

/** SlaEscalationRequested: `{ clock, handoff, action, reassignToPartnerId }`. */
export interface SlaEscalationPayload extends SlaEventPayload {
  action: 'RECLAIM' | 'REASSIGN';
  reassignToPartnerId: string | null;
}

// ---- scorecards ----------------------------------------------------------------------

export const FEEDBACK_SUBMITTED = 'FeedbackSubmitted';

export type FeedbackSourceName = 'CUSTOMER' | 'INTERNAL' | 'PARTNER';

/** The feedback as it is after the submission (a resubmission raises `revision`). */
export interface FeedbackSnapshot {
  id: string;
  handoffId: string;
  source: FeedbackSourceName;
  rating: number;
  comment: string | null;
  tags: string[];
  revision: number;
  submittedByPartnerId: string | null;
  submittedAt: string;
}

/** FeedbackSubmitted: `{ feedback }`; visible to the handoff's sender and receiver. */
export interface FeedbackEventPayload {
  feedback: FeedbackSnapshot;
}

// ---- catalog -------------------------------------------------------------------------

/** What the catalog says of one event type. */
export interface EventTypeEntry {
  /** The subgraph that appends it. */
  producer: 'accounts' | 'handoffs' | 'slas' | 'scorecards';
  /** What happened, in a partner's words: `ChangeType`'s value description (feed, webhooks). */
  description: string;
}

/**
 * Every event type: who appends it and what it means. The change feed's `ChangeType` enum
 * (and the event types webhooks accept) and docs/events.md's table are generated from this
 * and the subgraphs' consumer registries (src/consumers/index.ts); a type added above needs
 * its entry here before a consumer may declare it or a partner receive it (tests fail
 * otherwise).
 */
export const EVENT_CATALOG: Readonly<Record<string, EventTypeEntry>> = {
  [PARTNER_CREATED]: { producer: 'accounts', description: 'A partner (or internal team) joined the hub. Payload: `{ partner }`.' },
  [CUSTOMER_CREATED]: {
    producer: 'accounts',
    description: 'A customer record was created (by a partner, an internal team or a sync). Payload: `{ customer, changed }`.',
  },
  [CUSTOMER_UPDATED]: { producer: 'accounts', description: 'Fields of a customer record changed; `changed` names them. Payload: `{ customer, changed }`.' },
  [CUSTOMER_OWNERSHIP_CLAIMED]: {
    producer: 'accounts',
    description: 'A sync met a customer someone else holds; internal teams review the claim. Payload: `{ claim }`.',
  },
  [API_KEY_REVOKED]: {
    producer: 'accounts',
    description: 'An API key stopped working: revoked, or replaced by rotation (`replacedBy`). Never carries the secret.',
  },
  [HANDOFF_PROPOSED]: { producer: 'handoffs', description: 'A handoff was proposed to a receiver, with its context package. Payload: `{ handoff }`.' },
  [HANDOFF_ACCEPTED]: { producer: 'handoffs', description: 'The receiver accepted a handoff; ownership moved in the same transaction (see OwnershipChanged).' },
  [HANDOFF_REJECTED]: { producer: 'handoffs', description: 'The receiver rejected a handoff, with a reason code and a reason; ownership did not move.' },
  [HANDOFF_CANCELLED]: { producer: 'handoffs', description: 'The sender or an internal team withdrew a proposed or accepted handoff.' },
  [HANDOFF_COMPLETED]: { producer: 'handoffs', description: 'The new owner completed a handoff with the deliverables its playbook asks back.' },
  [HANDOFF_EXPIRED]: {
    producer: 'handoffs',
    description: 'An SLA escalation ended a handoff (RECLAIM or REASSIGN); ownership stays with or returns to the sender.',
  },
  [HANDOFF_HELD]: { producer: 'handoffs', description: 'A handoff was put on hold (waiting on the customer): its SLA clocks pause.' },
  [HANDOFF_RESUMED]: { producer: 'handoffs', description: 'A held handoff resumed: its SLA clocks run again.' },
  [OWNERSHIP_CHANGED]: { producer: 'handoffs', description: 'A customer got a new owner. Payload: the ownership change, with the handoff that caused it.' },
  [PLAYBOOK_PUBLISHED]: { producer: 'handoffs', description: 'A new version of a moment’s playbook was published.' },
  [HANDOFF_ROUTED]: {
    producer: 'handoffs',
    description: 'Routing chose the receiver of a handoff: the rule version, every candidate kept or skipped and why (internal teams only).',
  },
  [NO_ROUTE_FOUND]: {
    producer: 'handoffs',
    description: 'Routing found no candidate for a customer at a moment, so nothing was proposed (internal teams only).',
  },
  [ROUTING_RULE_SET]: { producer: 'handoffs', description: 'A routing rule got a new version (internal teams only).' },
  [HANDOFF_DUE_OPENED]: {
    producer: 'handoffs',
    description:
      'A customer’s lifecycle stage move matched a playbook’s trigger, so a handoff of that moment is due: the accountable party, the receiver routing suggests, the due time. Payload: `{ due }`.',
  },
  [HANDOFF_DUE_DISMISSED]: {
    producer: 'handoffs',
    description: 'The accountable partner or an internal team dismissed a due handoff, with a reason. Payload: `{ due }`.',
  },
  [HANDOFF_DUE_SUPERSEDED]: { producer: 'handoffs', description: 'A later stage move of the customer replaced a due handoff. Payload: `{ due }`.' },
  [HANDOFF_DUE_PROPOSED]: {
    producer: 'handoffs',
    description: 'A handoff of the customer at a due moment was proposed, which closes the due (`due.handoffId` links it). Payload: `{ due }`.',
  },
  [SLA_CLOCK_STARTED]: { producer: 'slas', description: 'An SLA clock started on a handoff (time to accept, or to complete).' },
  [SLA_AT_RISK]: { producer: 'slas', description: 'An SLA clock passed its policy’s warning threshold without being met.' },
  [SLA_BREACHED]: { producer: 'slas', description: 'An SLA clock passed its due time without being met; the policy’s escalation follows.' },
  [SLA_CLOCK_STOPPED]: { producer: 'slas', description: 'An SLA clock stopped: MET, BREACHED earlier, or CANCELLED with its handoff.' },
  [SLA_ESCALATION_REQUESTED]: { producer: 'slas', description: 'A breach asks handoffs to act by the policy (RECLAIM or REASSIGN).' },
  [SLA_POLICY_SET]: { producer: 'slas', description: 'An SLA policy got a new version (internal teams only).' },
  [FEEDBACK_SUBMITTED]: {
    producer: 'scorecards',
    description: 'Feedback on a handoff was submitted or revised (by the customer, an internal team or a partner).',
  },
};

/** Every event type and the subgraph that appends it. */
export const EVENT_PRODUCERS: Readonly<Record<string, EventTypeEntry['producer']>> = Object.fromEntries(
  Object.entries(EVENT_CATALOG).map(([t, e]) => [t, e.producer]),
);
