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
/** A partner's status, tier, region or capacity changed (accounts): `{ partner, changed }`. */
export const PARTNER_UPDATED = 'PartnerUpdated';
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

/** PartnerCreated: `{ partner }`; PartnerUpdated: `{ partner, changed }` (the fields that changed). */
export interface PartnerEventPayload {
  partner: PartnerSnapshot;
  changed?: string[];
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
  /** The customer's commercial figures (null: none recorded). Absent in events written before money was in the model. */
  commercials?: CommercialsSnapshot | null;
  [more: string]: unknown;
}

/**
 * Customer.commercials as events carry it. Every amount is a decimal string in `currency`
 * (exact; never a number); a figure not known is null.
 */
export interface CommercialsSnapshot {
  /** ISO 4217. */
  currency: string;
  /** Annual recurring revenue today. */
  arr: string | null;
  /** Value of the open opportunity (pre-sale). */
  pipelineValue: string | null;
  /** Total contract value. */
  contractValue: string | null;
  contractTermMonths: number | null;
  /** YYYY-MM-DD. */
  renewalDate: string | null;
}

/** Where a handoff's value snapshot came from. */
export type HandoffValueSource = 'PLAYBOOK_FIELD' | 'PIPELINE' | 'ARR';

/** A handoff's value, fixed at proposal (HandoffSnapshot.value, HandoffDueSnapshot.value). */
export interface ValueSnapshot {
  amount: string;
  currency: string;
  source: HandoffValueSource;
}

/** Exchange rates got a new version (internal teams only: visibleTo []). */
export const EXCHANGE_RATES_SET = 'ExchangeRatesSet';

/**
 * ExchangeRatesSet: `{ version, reportingCurrency, rates, setByPartnerId, at }`. `rate` is
 * how many units of `reportingCurrency` one unit of `currency` was worth on `day`
 * (YYYY-MM-DD), a decimal string. The rates in force for a (currency, day) are those of the
 * newest version that gives them, among the versions of the current reporting currency; a
 * version with another reporting currency replaces every earlier rate.
 */
export interface ExchangeRatesSetPayload {
  version: number;
  reportingCurrency: string;
  rates: { currency: string; day: string; rate: string }[];
  setByPartnerId: string | null;
  at: string;
}

/** A renewal's outcome was recorded (visibleTo: the customer's owner at the time). */
export const RENEWAL_OUTCOME_RECORDED = 'RenewalOutcomeRecorded';

export type RenewalOutcomeKind = 'RENEWED' | 'EXPANDED' | 'CONTRACTED' | 'CHURNED';

/** RenewalOutcomeRecorded: `{ outcome }`. ARR before is the customer's ARR when it was recorded. */
export interface RenewalOutcomePayload {
  outcome: {
    id: string;
    customerId: string;
    /** Owner of the customer when the outcome took effect (null = held directly by us). */
    ownerPartnerId: string | null;
    kind: RenewalOutcomeKind;
    /** Decimal strings in `currency`; previousArr null when no ARR was recorded before. CHURNED: newArr "0". */
    previousArr: string | null;
    newArr: string;
    currency: string;
    /** YYYY-MM-DD. */
    effectiveDate: string;
    /** The SUCCESS_TO_RENEWAL handoff whose completion recorded it, if any. */
    handoffId: string | null;
    recordedByPartnerId: string | null;
    recordedAt: string;
  };
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

/** A person joined a partner (or internal team) on the hub. */
export const PERSON_ADDED = 'PersonAdded';
/** A person's name, e-mail or role changed. */
export const PERSON_UPDATED = 'PersonUpdated';
/** A person left: its API keys stopped working in the same transaction. */
export const PERSON_DEACTIVATED = 'PersonDeactivated';

/** A person as the events carry it (times ISO 8601 UTC). */
export interface PersonSnapshot {
  id: string;
  partnerId: string;
  name: string;
  email: string;
  role: 'PARTNER_MANAGER' | 'ONBOARDING_LEAD' | 'SUCCESS_MANAGER' | 'SALES_REP' | 'ADMIN';
  status: 'ACTIVE' | 'DEACTIVATED';
  createdAt: string;
  updatedAt: string;
}

/** PersonAdded / PersonUpdated / PersonDeactivated: `{ person, changed }` (changed: field names). */
export interface PersonEventPayload {
  person: PersonSnapshot;
  changed: string[];
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
/** Internal teams set how long a customer may stay in a lifecycle stage: `{ limits, removed }` (StageLimitsSetPayload); visibleTo: []. */
export const STAGE_LIMITS_SET = 'StageLimitsSet';

/** StageLimitsSet: the limits set (stage, ISO-8601 duration) and the stages whose limit was removed. */
export interface StageLimitsSetPayload {
  limits: { stage: string; maxDuration: string }[];
  removed: string[];
}

/** A customer's stage move made a handoff due (docs/journeys.md): `{ due }`; visibleTo: the accountable partner and the suggested receiver. */
export const HANDOFF_DUE_OPENED = 'HandoffDueOpened';
/** The accountable partner or an internal team dismissed a due, with a reason: `{ due }`. */
export const HANDOFF_DUE_DISMISSED = 'HandoffDueDismissed';
/** A later stage move of the customer replaced a due: `{ due }`. */
export const HANDOFF_DUE_SUPERSEDED = 'HandoffDueSuperseded';
/** A handoff of the customer at the due's moment was proposed: `{ due }` (due.handoffId links it). */
export const HANDOFF_DUE_PROPOSED = 'HandoffDueProposed';
/** A handoff task got a person to do it (assignTask, or its playbook role on acceptance). */
export const TASK_ASSIGNED = 'TaskAssigned';
/** A handoff task was marked DONE. */
export const TASK_COMPLETED = 'TaskCompleted';
/** An OPEN task passed its due time (once per task, by handoffs' overdue sweep). */
export const TASK_OVERDUE = 'TaskOverdue';
export const TASK_EVENT_TYPES = [TASK_ASSIGNED, TASK_COMPLETED, TASK_OVERDUE];

/** A task as its events carry it (times ISO 8601 UTC). */
export interface TaskSnapshot {
  id: string;
  handoffId: string;
  customerId: string;
  assigneePartnerId: string;
  assigneePersonId: string | null;
  assigneeRole: string | null;
  title: string;
  status: 'OPEN' | 'DONE';
  dueAt: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** TaskAssigned / TaskCompleted / TaskOverdue: `{ task }`. */
export interface TaskEventPayload {
  task: TaskSnapshot;
}

/** A customer journey link was issued for a handoff (docs/customer-journey.md): `{ link }`; never carries the token. */
export const CUSTOMER_JOURNEY_LINK_ISSUED = 'CustomerJourneyLinkIssued';
/** One customer journey link was withdrawn (revokeCustomerJourneyLink): `{ link }`; never carries the token. */
export const CUSTOMER_JOURNEY_LINK_REVOKED = 'CustomerJourneyLinkRevoked';
/** The new owner marked one of a handoff's customer-facing actions DONE or OPEN again: `{ handoffId, position, action, status, at }`. */
export const CUSTOMER_ACTION_STATUS_SET = 'CustomerActionStatusSet';

/** CustomerJourneyLinkIssued: the link as issued (times ISO 8601 UTC); the signed token itself is never logged. */
export interface CustomerJourneyLinkIssuedPayload {
  link: { id: string; handoffId: string; issuedByPartnerId: string | null; issuedAt: string; expiresAt: string };
}

/**
 * CustomerJourneyLinkRevoked: the link as recorded after its revocation (times ISO 8601 UTC;
 * `revokedByPartnerId` names who withdrew it, the partner or internal team). Never the token.
 */
export interface CustomerJourneyLinkRevokedPayload {
  link: CustomerJourneyLinkIssuedPayload['link'] & { revokedAt: string; revokedByPartnerId: string | null };
}

/** CustomerActionStatusSet: `position` is the action's index (from 0) in the handoff's playbook version. */
export interface CustomerActionStatusSetPayload {
  handoffId: string;
  position: number;
  action: string;
  status: 'OPEN' | 'DONE';
  at: string;
}

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
  /** The playbook's required fields the customer's record lacks (HandoffDue.missingData); absent in events written before it existed. */
  missingData?: string[];
  /** What the handoff would carry, from the customer's commercials by moment (pipeline pre-sale, ARR post-sale); null when unknown. */
  value?: ValueSnapshot | null;
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
  /** The people who proposed, accepted, rejected and completed it, when a person did (a person-bound key). */
  proposedByPersonId?: string | null;
  acceptedByPersonId?: string | null;
  rejectedByPersonId?: string | null;
  completedByPersonId?: string | null;
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
  /** Added by handoffs: the value fixed at proposal (never changes afterwards); null when neither the playbook's VALUE field nor the commercials gave one. */
  value?: ValueSnapshot | null;
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

/**
 * Why routing ran: PROPOSE, REROUTE (a rejection, rule's rerouteOnReject), SLA_REASSIGN, and
 * for a due the hub proposes itself AUTO_PROPOSE (its trigger's autoPropose) or DUE_ESCALATION
 * (its SLA PROPOSE target breached under REASSIGN).
 */
export type RoutingTriggerName = 'PROPOSE' | 'REROUTE' | 'SLA_REASSIGN' | 'AUTO_PROPOSE' | 'DUE_ESCALATION';

/** HandoffRouted. `trigger`: see {@link RoutingTriggerName}. */
export interface HandoffRoutedPayload {
  handoffId: string;
  trigger: RoutingTriggerName;
  reroutedFromId: string | null;
  decision: RoutingDecisionSnapshot;
  [more: string]: unknown;
}

/** NoRouteFound. `handoffId`: the rejected or expired handoff a re-route started from, else null. */
export interface NoRouteFoundPayload {
  trigger: RoutingTriggerName;
  /** For AUTO_PROPOSE and DUE_ESCALATION: the due that stays OPEN. */
  dueId?: string;
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

/*
 * The PROPOSE target: a clock on a HandoffDue (time from the stage move to a proposal), in
 * business time under the moment's policy calendar. Its own event types, because a due has
 * no handoff: readers of the handoff clock events above keep their payload shape, and a
 * consumer of handoff clocks costs nothing on due clocks.
 */
export const SLA_DUE_CLOCK_STARTED = 'SlaDueClockStarted';
export const SLA_DUE_AT_RISK = 'SlaDueAtRisk';
export const SLA_DUE_BREACHED = 'SlaDueBreached';
export const SLA_DUE_CLOCK_STOPPED = 'SlaDueClockStopped';
/** A PROPOSE breach under a REASSIGN policy asks handoffs to propose the due handoff itself. */
export const SLA_DUE_ESCALATION_REQUESTED = 'SlaDueEscalationRequested';

export const SLA_DUE_EVENT_TYPES = [SLA_DUE_CLOCK_STARTED, SLA_DUE_AT_RISK, SLA_DUE_BREACHED, SLA_DUE_CLOCK_STOPPED, SLA_DUE_ESCALATION_REQUESTED];

export interface SlaDueClockSnapshot {
  id: string;
  dueId: string;
  customerId: string;
  moment: HandoffMomentName;
  policyId: string;
  policyVersion: number;
  target: 'PROPOSE';
  state: 'RUNNING' | 'AT_RISK' | 'MET' | 'BREACHED' | 'CANCELLED';
  startedAt: string;
  dueAt: string | null;
  stoppedAt: string | null;
  businessSecondsElapsed: number;
  targetBusinessSeconds: number;
  /** The party accountable for proposing (the due's accountable partner; null: internal teams). */
  accountablePartnerId: string | null;
  warningAt: string | null;
  atRiskAt: string | null;
  breachedAt: string | null;
}

/** Every SlaDue* event: `{ clock, due }` (the due snapshot the clock last saw). */
export interface SlaDueEventPayload {
  clock: SlaDueClockSnapshot;
  due: HandoffDueSnapshot;
  /** SlaDueBreached: what the policy does about it (REASSIGN: SlaDueEscalationRequested follows; else NOTIFY); null when the breach is found as the due closes. */
  escalation?: 'NOTIFY' | 'REASSIGN' | null;
}

/** SlaDueEscalationRequested: propose to `reassignToPartnerId`, or to the routed receiver when null. */
export interface SlaDueEscalationPayload extends SlaDueEventPayload {
  action: 'REASSIGN';
  reassignToPartnerId: string | null;
}

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
  /** The PROPOSE target of dues; null (or absent, in events written before it existed): none. */
  proposeWithin?: string | null;
  proposeWithinSeconds?: number | null;
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

/** Internal teams set the gross margin lifetime values use (scorecards), as a new version: `{ margin }`; visibleTo: []. */
export const GROSS_MARGIN_SET = 'GrossMarginSet';

/** GrossMarginSet: a new version of the gross margin, hub-wide (segment null) or for one customer segment. */
export interface GrossMarginSetPayload {
  margin: {
    version: number;
    /** The customer segment it applies to; null: every segment without one of its own. */
    segment: CustomerSnapshot['segment'] | null;
    /** A decimal fraction as a string: "0.72" is 72 %. */
    margin: string;
    setByPartnerId: string | null;
    setAt: string;
  };
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
  [PARTNER_UPDATED]: {
    producer: 'accounts',
    description: 'A partner’s status, tier, region or capacity changed; `changed` names the fields. Payload: `{ partner, changed }`.',
  },
  [CUSTOMER_CREATED]: {
    producer: 'accounts',
    description: 'A customer record was created (by a partner, an internal team or a sync). Payload: `{ customer, changed }`.',
  },
  [CUSTOMER_UPDATED]: { producer: 'accounts', description: 'Fields of a customer record changed; `changed` names them. Payload: `{ customer, changed }`.' },
  [CUSTOMER_OWNERSHIP_CLAIMED]: {
    producer: 'accounts',
    description: 'A sync met a customer someone else holds; internal teams review the claim. Payload: `{ claim }`.',
  },
  [EXCHANGE_RATES_SET]: {
    producer: 'accounts',
    description: 'Internal teams set exchange rates into the reporting currency (per currency per day), as a new version. Internal teams only.',
  },
  [RENEWAL_OUTCOME_RECORDED]: {
    producer: 'accounts',
    description:
      'A customer’s renewal outcome was recorded (RENEWED, EXPANDED, CONTRACTED or CHURNED, with the new ARR and effective date). Payload: `{ outcome }`.',
  },
  [API_KEY_REVOKED]: {
    producer: 'accounts',
    description: 'An API key stopped working: revoked, or replaced by rotation (`replacedBy`). Never carries the secret.',
  },
  [PERSON_ADDED]: { producer: 'accounts', description: 'A person joined a partner or internal team. Payload: `{ person, changed }`.' },
  [PERSON_UPDATED]: {
    producer: 'accounts',
    description: 'A person’s name, e-mail or role changed; `changed` names the fields. Payload: `{ person, changed }`.',
  },
  [PERSON_DEACTIVATED]: {
    producer: 'accounts',
    description: 'A person was deactivated: the API keys bound to them stopped working at once. Payload: `{ person, changed }`.',
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
  [STAGE_LIMITS_SET]: {
    producer: 'handoffs',
    description: 'Internal teams set or removed how long a customer may stay in lifecycle stages (ownership gaps: STAGE_TOO_LONG). Internal teams only.',
  },
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
  [TASK_ASSIGNED]: {
    producer: 'handoffs',
    description:
      'A handoff task got a person to do it (assignTask, or on acceptance the one ACTIVE person with its playbook role), or went back to its partner (`assigneePersonId` null) when that person was deactivated. Payload: `{ task }`.',
  },
  [TASK_COMPLETED]: { producer: 'handoffs', description: 'A handoff task was marked DONE. Payload: `{ task }`.' },
  [TASK_OVERDUE]: { producer: 'handoffs', description: 'An OPEN handoff task passed its due time (appended once per task). Payload: `{ task }`.' },
  [CUSTOMER_JOURNEY_LINK_ISSUED]: {
    producer: 'handoffs',
    description:
      'A customer journey link (the page that shows the customer its handoff) was issued by one of the handoff’s partners or an internal team. Payload: `{ link }` (id, handoffId, expiresAt; never the token).',
  },
  [CUSTOMER_JOURNEY_LINK_REVOKED]: {
    producer: 'handoffs',
    description:
      'One customer journey link was withdrawn by one of the handoff’s partners or an internal team: its page and its feedback form stop working at once. Payload: `{ link }` (id, handoffId, issuedAt, expiresAt, revokedAt, revokedByPartnerId; never the token).',
  },
  [CUSTOMER_ACTION_STATUS_SET]: {
    producer: 'handoffs',
    description:
      'The new owner (or an internal team) marked one of a handoff’s customer-facing actions DONE or OPEN again; the customer’s journey page shows it. Payload: `{ handoffId, position, action, status, at }`.',
  },
  [SLA_CLOCK_STARTED]: { producer: 'slas', description: 'An SLA clock started on a handoff (time to accept, or to complete).' },
  [SLA_AT_RISK]: { producer: 'slas', description: 'An SLA clock passed its policy’s warning threshold without being met.' },
  [SLA_BREACHED]: { producer: 'slas', description: 'An SLA clock passed its due time without being met; the policy’s escalation follows.' },
  [SLA_CLOCK_STOPPED]: { producer: 'slas', description: 'An SLA clock stopped: MET, BREACHED earlier, or CANCELLED with its handoff.' },
  [SLA_ESCALATION_REQUESTED]: { producer: 'slas', description: 'A breach asks handoffs to act by the policy (RECLAIM or REASSIGN).' },
  [SLA_POLICY_SET]: { producer: 'slas', description: 'An SLA policy got a new version (internal teams only).' },
  [SLA_DUE_CLOCK_STARTED]: { producer: 'slas', description: 'A PROPOSE clock started on a handoff that came due (time from the stage move to a proposal).' },
  [SLA_DUE_AT_RISK]: { producer: 'slas', description: 'A PROPOSE clock passed its policy’s warning threshold with nothing proposed.' },
  [SLA_DUE_BREACHED]: { producer: 'slas', description: 'A PROPOSE clock passed its due time with nothing proposed; the policy’s escalation follows.' },
  [SLA_DUE_CLOCK_STOPPED]: {
    producer: 'slas',
    description: 'A PROPOSE clock stopped: MET by a proposal, or CANCELLED because the due was dismissed or superseded.',
  },
  [SLA_DUE_ESCALATION_REQUESTED]: { producer: 'slas', description: 'A PROPOSE breach asks handoffs to propose the due handoff itself (REASSIGN).' },
  [FEEDBACK_SUBMITTED]: {
    producer: 'scorecards',
    description: 'Feedback on a handoff was submitted or revised (by the customer, an internal team or a partner).',
  },
  [GROSS_MARGIN_SET]: {
    producer: 'scorecards',
    description: 'Internal teams set the gross margin that customer lifetime values use (hub-wide or for one segment), as a new version. Internal teams only.',
  },
};

/** Every event type and the subgraph that appends it. */
export const EVENT_PRODUCERS: Readonly<Record<string, EventTypeEntry['producer']>> = Object.fromEntries(
  Object.entries(EVENT_CATALOG).map(([t, e]) => [t, e.producer]),
);
