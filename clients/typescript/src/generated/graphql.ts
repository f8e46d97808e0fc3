/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What happened: the type of an event of the hub’s log. New types may be added; treat one you do not know as ignorable. */
export const ChangeType = {
  /** An API key stopped working: revoked, or replaced by rotation (`replacedBy`). Never carries the secret. */
  ApiKeyRevoked: 'ApiKeyRevoked',
  /** The new owner (or an internal team) marked one of a handoff’s customer-facing actions DONE or OPEN again; the customer’s journey page shows it. Payload: `{ handoffId, position, action, status, at }`. */
  CustomerActionStatusSet: 'CustomerActionStatusSet',
  /** A customer record was created (by a partner, an internal team or a sync). Payload: `{ customer, changed }`. */
  CustomerCreated: 'CustomerCreated',
  /** A customer journey link (the page that shows the customer its handoff) was issued by one of the handoff’s partners or an internal team. Payload: `{ link }` (id, handoffId, expiresAt; never the token). */
  CustomerJourneyLinkIssued: 'CustomerJourneyLinkIssued',
  /** One customer journey link was withdrawn by one of the handoff’s partners or an internal team: its page and its feedback form stop working at once. Payload: `{ link }` (id, handoffId, issuedAt, expiresAt, revokedAt, revokedByPartnerId; never the token). */
  CustomerJourneyLinkRevoked: 'CustomerJourneyLinkRevoked',
  /** A sync met a customer someone else holds; internal teams review the claim. Payload: `{ claim }`. */
  CustomerOwnershipClaimed: 'CustomerOwnershipClaimed',
  /** Fields of a customer record changed; `changed` names them. Payload: `{ customer, changed }`. */
  CustomerUpdated: 'CustomerUpdated',
  /** Internal teams set exchange rates into the reporting currency (per currency per day), as a new version. Internal teams only. */
  ExchangeRatesSet: 'ExchangeRatesSet',
  /** Feedback on a handoff was submitted or revised (by the customer, an internal team or a partner). */
  FeedbackSubmitted: 'FeedbackSubmitted',
  /** Internal teams set the gross margin that customer lifetime values use (hub-wide or for one segment), as a new version. Internal teams only. */
  GrossMarginSet: 'GrossMarginSet',
  /** The receiver accepted a handoff; ownership moved in the same transaction (see OwnershipChanged). */
  HandoffAccepted: 'HandoffAccepted',
  /** The sender or an internal team withdrew a proposed or accepted handoff. */
  HandoffCancelled: 'HandoffCancelled',
  /** The new owner completed a handoff with the deliverables its playbook asks back. */
  HandoffCompleted: 'HandoffCompleted',
  /** The accountable partner or an internal team dismissed a due handoff, with a reason. Payload: `{ due }`. */
  HandoffDueDismissed: 'HandoffDueDismissed',
  /** A customer’s lifecycle stage move matched a playbook’s trigger, so a handoff of that moment is due: the accountable party, the receiver routing suggests, the due time. Payload: `{ due }`. */
  HandoffDueOpened: 'HandoffDueOpened',
  /** A handoff of the customer at a due moment was proposed, which closes the due (`due.handoffId` links it). Payload: `{ due }`. */
  HandoffDueProposed: 'HandoffDueProposed',
  /** A later stage move of the customer replaced a due handoff. Payload: `{ due }`. */
  HandoffDueSuperseded: 'HandoffDueSuperseded',
  /** An SLA escalation ended a handoff (RECLAIM or REASSIGN); ownership stays with or returns to the sender. */
  HandoffExpired: 'HandoffExpired',
  /** A handoff was put on hold (waiting on the customer): its SLA clocks pause. */
  HandoffHeld: 'HandoffHeld',
  /** A handoff was proposed to a receiver, with its context package. Payload: `{ handoff }`. */
  HandoffProposed: 'HandoffProposed',
  /** The receiver rejected a handoff, with a reason code and a reason; ownership did not move. */
  HandoffRejected: 'HandoffRejected',
  /** A held handoff resumed: its SLA clocks run again. */
  HandoffResumed: 'HandoffResumed',
  /** Routing chose the receiver of a handoff: the rule version, every candidate kept or skipped and why (internal teams only). */
  HandoffRouted: 'HandoffRouted',
  /** Routing found no candidate for a customer at a moment, so nothing was proposed (internal teams only). */
  NoRouteFound: 'NoRouteFound',
  /** A customer got a new owner. Payload: the ownership change, with the handoff that caused it. */
  OwnershipChanged: 'OwnershipChanged',
  /** A partner (or internal team) joined the hub. Payload: `{ partner }`. */
  PartnerCreated: 'PartnerCreated',
  /** A partner’s status, tier, region or capacity changed; `changed` names the fields. Payload: `{ partner, changed }`. */
  PartnerUpdated: 'PartnerUpdated',
  /** A person joined a partner or internal team. Payload: `{ person, changed }`. */
  PersonAdded: 'PersonAdded',
  /** A person was deactivated: the API keys bound to them stopped working at once. Payload: `{ person, changed }`. */
  PersonDeactivated: 'PersonDeactivated',
  /** A person’s name, e-mail or role changed; `changed` names the fields. Payload: `{ person, changed }`. */
  PersonUpdated: 'PersonUpdated',
  /** A new version of a moment’s playbook was published. */
  PlaybookPublished: 'PlaybookPublished',
  /** A customer’s renewal outcome was recorded (RENEWED, EXPANDED, CONTRACTED or CHURNED, with the new ARR and effective date). Payload: `{ outcome }`. */
  RenewalOutcomeRecorded: 'RenewalOutcomeRecorded',
  /** A routing rule got a new version (internal teams only). */
  RoutingRuleSet: 'RoutingRuleSet',
  /** An SLA clock passed its policy’s warning threshold without being met. */
  SlaAtRisk: 'SlaAtRisk',
  /** An SLA clock passed its due time without being met; the policy’s escalation follows. */
  SlaBreached: 'SlaBreached',
  /** An SLA clock started on a handoff (time to accept, or to complete). */
  SlaClockStarted: 'SlaClockStarted',
  /** An SLA clock stopped: MET, BREACHED earlier, or CANCELLED with its handoff. */
  SlaClockStopped: 'SlaClockStopped',
  /** A PROPOSE clock passed its policy’s warning threshold with nothing proposed. */
  SlaDueAtRisk: 'SlaDueAtRisk',
  /** A PROPOSE clock passed its due time with nothing proposed; the policy’s escalation follows. */
  SlaDueBreached: 'SlaDueBreached',
  /** A PROPOSE clock started on a handoff that came due (time from the stage move to a proposal). */
  SlaDueClockStarted: 'SlaDueClockStarted',
  /** A PROPOSE clock stopped: MET by a proposal, or CANCELLED because the due was dismissed or superseded. */
  SlaDueClockStopped: 'SlaDueClockStopped',
  /** A PROPOSE breach asks handoffs to propose the due handoff itself (REASSIGN). */
  SlaDueEscalationRequested: 'SlaDueEscalationRequested',
  /** A breach asks handoffs to act by the policy (RECLAIM or REASSIGN). */
  SlaEscalationRequested: 'SlaEscalationRequested',
  /** An SLA policy got a new version (internal teams only). */
  SlaPolicySet: 'SlaPolicySet',
  /** Internal teams set or removed how long a customer may stay in lifecycle stages (ownership gaps: STAGE_TOO_LONG). Internal teams only. */
  StageLimitsSet: 'StageLimitsSet',
  /** A handoff task got a person to do it (assignTask, or on acceptance the one ACTIVE person with its playbook role), or went back to its partner (`assigneePersonId` null) when that person was deactivated. Payload: `{ task }`. */
  TaskAssigned: 'TaskAssigned',
  /** A handoff task was marked DONE. Payload: `{ task }`. */
  TaskCompleted: 'TaskCompleted',
  /** An OPEN handoff task passed its due time (appended once per task). Payload: `{ task }`. */
  TaskOverdue: 'TaskOverdue'
} as const;

export type ChangeType = typeof ChangeType[keyof typeof ChangeType];
/** A customer’s commercial figures, all in `currency`. updateCustomer: a figure left out stays, null clears it. upsertCustomers: a figure left out or null stays. A change of currency must restate every amount the record holds. */
export type CommercialsInput = {
  /** Annual recurring revenue, a decimal string ("120000.00"); not negative. */
  arr?: string | null | undefined;
  /** Length of the contract in months, 1–1200. */
  contractTermMonths?: number | null | undefined;
  /** Total contract value, a decimal string; not negative. */
  contractValue?: string | null | undefined;
  /** ISO 4217 currency of every amount ("EUR", "USD", "JPY"). */
  currency: string;
  /** Value of the open opportunity, a decimal string; not negative. */
  pipelineValue?: string | null | undefined;
  /** When the contract comes up for renewal, YYYY-MM-DD. */
  renewalDate?: string | null | undefined;
};

/** A person at the customer. */
export type ContactInput = {
  /** Their e-mail address; upsertCustomers merges contacts on it. */
  email?: string | null | undefined;
  /** The person’s full name. */
  name: string;
  /** Their phone number, as given. */
  phone?: string | null | undefined;
  /** e.g. "economic buyer", "champion", "admin" */
  role?: string | null | undefined;
};

/** What the receiver needs to take over without asking the customer again; visible to it before it accepts. */
export type ContextPackageInput = {
  /** Whom the receiver should talk to. */
  contacts?: Array<HandoffContactInput>;
  /** What the customer already told us, in its words. */
  customerSaid?: Array<string>;
  /** What the customer wants to achieve. */
  goals?: Array<string>;
  /** Links to documents, call recordings, proposals. */
  links?: Array<string>;
  /** Anything else the receiver should know. */
  notes?: string | null | undefined;
  /** One paragraph: who the customer is and why it is being handed over now. */
  summary: string;
};

/** A new customer record. Its domain must be free: a customer with the same normalized domain is CONFLICT. */
export type CreateCustomerInput = {
  /** Its commercial figures (ARR, pipeline and contract value, term, renewal date); only its owner and internal teams read them. */
  commercials?: CommercialsInput | null | undefined;
  /** People at the customer. */
  contacts?: Array<ContactInput> | null | undefined;
  /** What the customer already told you. */
  context?: CustomerContextInput | null | undefined;
  /** e.g. "acme.com"; normalized before it is stored. */
  domain?: string | null | undefined;
  /** Your systems’ ids for it, so that upsertCustomers and customerByExternalId find it. */
  externalIds?: Array<ExternalIdInput> | null | undefined;
  /** Where it is now. Default: LEAD. */
  lifecycleStage?: LifecycleStage;
  /** The customer’s name; must not be empty. */
  name: string;
  /** Internal callers only: who owns it. A partner always creates customers it owns. */
  ownerPartnerId?: string | number | null | undefined;
  /** Its sales region. */
  region: Region;
  /** Its market segment. */
  segment: Segment;
};

/** What the customer already told you, so that nobody asks again. */
export type CustomerContextInput = {
  /** What they said about budget, as free text, e.g. "approved up to 50k EUR". */
  budget?: string | null | undefined;
  /** What they use today. */
  currentSolution?: string | null | undefined;
  /** What the customer wants to achieve, in its words. */
  goals: Array<string>;
  /** Anything else worth knowing. */
  notes?: string | null | undefined;
  /** What hurts today, in its words. */
  painPoints: Array<string>;
  /** When they need it, as they said it, e.g. "live before Q3". */
  timeline?: string | null | undefined;
};

/** Narrows a customer list; every field given must match. */
export type CustomerFilter = {
  /** Only customers at this stage. */
  lifecycleStage?: LifecycleStage | null | undefined;
  /** Only customers this partner owns. */
  ownerPartnerId?: string | number | null | undefined;
  /** Only customers of this region. */
  region?: Region | null | undefined;
  /** Case-insensitive match on name or domain. */
  search?: string | null | undefined;
  /** Only customers of this segment. */
  segment?: Segment | null | undefined;
};

/** Your system’s id for a customer. */
export type ExternalIdInput = {
  /** The customer’s id in that system; unique within it (a taken one is CONFLICT). */
  externalId: string;
  /** Your system’s name, e.g. "acme-reseller-crm"; the same one you pass to upsertCustomers. */
  system: string;
};

/** What the caller may do with a handoff right now (see Handoff.allowedActions). */
export const HandoffAction = {
  /** acceptHandoff: the receiver, while PROPOSED. */
  Accept: 'ACCEPT',
  /** cancelHandoff: the sender or an internal team, while PROPOSED. */
  Cancel: 'CANCEL',
  /** completeHandoff: the receiver, while ACCEPTED. */
  Complete: 'COMPLETE',
  /** holdHandoff: while open and not on hold. */
  Hold: 'HOLD',
  /** rejectHandoff: the receiver, while PROPOSED. */
  Reject: 'REJECT',
  /** resumeHandoff: while on hold. */
  Resume: 'RESUME'
} as const;

export type HandoffAction = typeof HandoffAction[keyof typeof HandoffAction];
/** A person at the customer the receiver should talk to. */
export type HandoffContactInput = {
  /** Their e-mail address. */
  email?: string | null | undefined;
  /** Their full name. */
  name: string;
  /** Their phone number, as given. */
  phone?: string | null | undefined;
  /** e.g. "economic buyer", "champion", "admin" */
  role?: string | null | undefined;
};

/** A moment where ownership of a customer changes hands. */
export const HandoffMoment = {
  /** Sales hands a signed customer to onboarding. */
  ClosedWonToOnboarding: 'CLOSED_WON_TO_ONBOARDING',
  /** Any other moment; name it in customMoment. */
  Custom: 'CUSTOM',
  /** Our direct team hands a customer to a partner. */
  DirectToPartner: 'DIRECT_TO_PARTNER',
  /** Marketing hands a qualified lead to sales. */
  MqlToSql: 'MQL_TO_SQL',
  /** Onboarding hands a live customer to customer success. */
  OnboardingToSuccess: 'ONBOARDING_TO_SUCCESS',
  /** Customer success hands a customer to whoever runs its renewal. */
  SuccessToRenewal: 'SUCCESS_TO_RENEWAL'
} as const;

export type HandoffMoment = typeof HandoffMoment[keyof typeof HandoffMoment];
/** PROPOSED → ACCEPTED → COMPLETED, or PROPOSED → REJECTED / CANCELLED / EXPIRED. */
export const HandoffState = {
  /** The receiver accepted and owns the customer; it completes the handoff with the deliverables. */
  Accepted: 'ACCEPTED',
  /** The sender or an internal team withdrew it before acceptance. Final. */
  Cancelled: 'CANCELLED',
  /** The receiver delivered what the playbook asks back. Final. */
  Completed: 'COMPLETED',
  /** An SLA escalation closed it (RECLAIM, or REASSIGN into a new handoff). Final. */
  Expired: 'EXPIRED',
  /** Waiting for the receiver to accept or reject; the sender still owns the customer. */
  Proposed: 'PROPOSED',
  /** The receiver declined (see reasonCode and reason). Final. */
  Rejected: 'REJECTED'
} as const;

export type HandoffState = typeof HandoffState[keyof typeof HandoffState];
/** Where the customer is in its life with us. */
export const LifecycleStage = {
  /** Live and using the product. */
  Active: 'ACTIVE',
  /** No longer a customer. */
  Churned: 'CHURNED',
  /** The deal is signed. */
  ClosedWon: 'CLOSED_WON',
  /** Known to us, not yet qualified (the default for a new customer). */
  Lead: 'LEAD',
  /** Marketing-qualified lead. */
  Mql: 'MQL',
  /** Being set up and trained. */
  Onboarding: 'ONBOARDING',
  /** An open deal. */
  Opportunity: 'OPPORTUNITY',
  /** Its contract is up for renewal. */
  Renewal: 'RENEWAL',
  /** Sales-qualified lead: sales has accepted it. */
  Sql: 'SQL'
} as const;

export type LifecycleStage = typeof LifecycleStage[keyof typeof LifecycleStage];
/** Why a customer’s owner changed. */
export const OwnershipChangeReason = {
  /** The receiver of a handoff accepted it and became the owner. */
  HandoffAccepted: 'HANDOFF_ACCEPTED',
  /** An SLA escalation took the customer back from a receiver that had accepted it. */
  HandoffReclaimed: 'HANDOFF_RECLAIMED'
} as const;

export type OwnershipChangeReason = typeof OwnershipChangeReason[keyof typeof OwnershipChangeReason];
/** What a partner is to us. */
export const PartnerKind = {
  /** Generates and qualifies demand for us (marketing, lead generation). */
  Agency: 'AGENCY',
  /** One of our own teams (sales, success, revenue operations); sees every record. */
  InternalTeam: 'INTERNAL_TEAM',
  /** Resells our product and owns the customers it brings. */
  Reseller: 'RESELLER',
  /** Implements, onboards and supports customers. */
  ServiceProvider: 'SERVICE_PROVIDER'
} as const;

export type PartnerKind = typeof PartnerKind[keyof typeof PartnerKind];
/** A partner’s programme tier, from the highest; SLA policies can be narrowed to one. */
export const PartnerTier = {
  /** The second tier. */
  Gold: 'GOLD',
  /** The highest tier. */
  Platinum: 'PLATINUM',
  /** Signed up, no tier earned yet (the default for a new partner). */
  Registered: 'REGISTERED',
  /** The third tier. */
  Silver: 'SILVER'
} as const;

export type PartnerTier = typeof PartnerTier[keyof typeof PartnerTier];
/** How a required data field or deliverable is checked. */
export const PlaybookFieldType = {
  /** true or false. */
  Boolean: 'BOOLEAN',
  /** A calendar date as a string, "YYYY-MM-DD", e.g. "2025-01-31". */
  Date: 'DATE',
  /** An ISO 8601 date-time string with its time, e.g. "2025-01-31T09:00:00Z". */
  Datetime: 'DATETIME',
  /** An e-mail address. */
  Email: 'EMAIL',
  /** A whole number. */
  Integer: 'INTEGER',
  /** An amount of money: `{ "amount": "48000.00", "currency": "EUR" }`, the amount an exact decimal string (a JSON number is refused: it may not be exact), the currency an ISO 4217 code. */
  Money: 'MONEY',
  /** A finite number. */
  Number: 'NUMBER',
  /** A JSON object. */
  Object: 'OBJECT',
  /** A non-empty string. */
  String: 'STRING',
  /** A non-empty list of non-empty strings. */
  StringList: 'STRING_LIST',
  /** A URL with its scheme, e.g. "https://docs.example.com/plan". */
  Url: 'URL'
} as const;

export type PlaybookFieldType = typeof PlaybookFieldType[keyof typeof PlaybookFieldType];
/** Hands a customer from its owner to a receiving partner or team. */
export type ProposeHandoffInput = {
  /** What the receiver needs to take over without asking the customer again. */
  contextPackage: ContextPackageInput;
  /** Required when moment is CUSTOM: the name of the moment, e.g. "Partner-led expansion". */
  customMoment?: string | null | undefined;
  /** The customer to hand over; you must own it (or be an internal team). CONFLICT when it already has an open handoff. */
  customerId: string | number;
  /** What the customer is told about the change (the customer-facing message). */
  customerMessage: string;
  /** The playbook's required data, keyed by field name (see Playbook.requiredFields). */
  data?: unknown;
  /** Which handoff moment this is; picks the playbook and the SLA policy. */
  moment: HandoffMoment;
  /** Run under this playbook version instead of the moment's current one. */
  playbookId?: string | number | null | undefined;
  /** The receiving partner or internal team. Leave it out to let the routing rule of the moment pick it (see routeCandidates); the handoff then records the rule and the reasons in `routing`. BAD_USER_INPUT with extensions.reason NO_ROUTE when routing finds no candidate. */
  toPartnerId?: string | number | null | undefined;
};

/** A sales region. */
export const Region = {
  /** Asia-Pacific. */
  Apac: 'APAC',
  /** Europe, the Middle East and Africa. */
  Emea: 'EMEA',
  /** Latin America. */
  Latam: 'LATAM',
  /** North America. */
  Na: 'NA'
} as const;

export type Region = typeof Region[keyof typeof Region];
/** Why a receiver declined a handoff; scorecards group leakage by it. */
export const RejectionReasonCode = {
  /** The customer is not ready for this step. */
  CustomerNotReady: 'CUSTOMER_NOT_READY',
  /** The handoff lacks what the receiver needs. */
  MissingInformation: 'MISSING_INFORMATION',
  /** The customer is not one the receiver serves. */
  NotAFit: 'NOT_A_FIT',
  /** The receiver cannot take it on now. */
  NoCapacity: 'NO_CAPACITY',
  /** Any other reason (explain it in `reason`). */
  Other: 'OTHER',
  /** The customer is outside the receiver’s region. */
  WrongRegion: 'WRONG_REGION',
  /** The customer is outside the segments the receiver serves. */
  WrongSegment: 'WRONG_SEGMENT'
} as const;

export type RejectionReasonCode = typeof RejectionReasonCode[keyof typeof RejectionReasonCode];
/** Where a candidate ended up in a routing decision. */
export const RouteOutcome = {
  /** Ranked first: the proposal goes to it. */
  Chosen: 'CHOSEN',
  /** Passed every filter; ranked after the chosen one. */
  Kept: 'KEPT',
  /** Left out by a check or a filter (see its reasons). */
  Skipped: 'SKIPPED'
} as const;

export type RouteOutcome = typeof RouteOutcome[keyof typeof RouteOutcome];
/** Why a routing candidate was kept, skipped or ranked where it is. A partner sees other partners’ reasons without their private figures: AT_CAPACITY and PAUSED read UNAVAILABLE, SCORECARD and BELOW_MINIMUM_SAMPLE read RANKED. */
export const RoutingReasonCode = {
  /** Skipped by CAPACITY: it holds maxOpen open handoffs. */
  AtCapacity: 'AT_CAPACITY',
  /** Ranked after the scored candidates: fewer decided handoffs in the window than the rule’s minSample. */
  BelowMinimumSample: 'BELOW_MINIMUM_SAMPLE',
  /** Skipped: it already owns the customer. */
  CurrentOwner: 'CURRENT_OWNER',
  /** Skipped: excluded for this routing (it rejected the customer, or an SLA escalation took the customer from it). */
  Excluded: 'EXCLUDED',
  /** Kept by CAPACITY: below its maxOpen. */
  HasCapacity: 'HAS_CAPACITY',
  /** Skipped: the partner is suspended and cannot receive customers. */
  Inactive: 'INACTIVE',
  /** Kept by TERRITORY: it serves the customer’s region and segment. */
  InTerritory: 'IN_TERRITORY',
  /** Ranked by its position in the rule’s list (no ranking strategy). */
  ListOrder: 'LIST_ORDER',
  /** Skipped by CAPACITY: paused in the rule. */
  Paused: 'PAUSED',
  /** Ranked (what another partner sees instead of SCORECARD or BELOW_MINIMUM_SAMPLE). */
  Ranked: 'RANKED',
  /** Ranked by ROUND_ROBIN: its place in the rotation. */
  Rotation: 'ROTATION',
  /** Ranked by SCORECARD: its score over the window. */
  Scorecard: 'SCORECARD',
  /** Skipped by CAPACITY (what another partner sees instead of AT_CAPACITY or PAUSED). */
  Unavailable: 'UNAVAILABLE',
  /** Skipped: no such partner in the directory. */
  UnknownPartner: 'UNKNOWN_PARTNER',
  /** Ranked by WEIGHTED: its place in the weighted draw. */
  WeightedDraw: 'WEIGHTED_DRAW',
  /** Skipped by TERRITORY: it does not serve the customer’s region. */
  WrongRegion: 'WRONG_REGION',
  /** Skipped by TERRITORY: it does not serve the customer’s segment. */
  WrongSegment: 'WRONG_SEGMENT'
} as const;

export type RoutingReasonCode = typeof RoutingReasonCode[keyof typeof RoutingReasonCode];
/** One step of a routing rule. Filters (TERRITORY, CAPACITY) run first, in any order; then at most one ranking (ROUND_ROBIN, WEIGHTED, SCORECARD). Without a ranking the candidates keep the rule’s list order, so TERRITORY alone picks the first candidate whose regions and segments match. */
export const RoutingStrategy = {
  /** Filter: skips candidates that are paused in the rule or already hold maxOpen open (PROPOSED or ACCEPTED) handoffs. */
  Capacity: 'CAPACITY',
  /** Ranking: takes turns over the candidates in list order; a skipped candidate loses its turn, the others stay even. The position is durable and shared by every hub instance. */
  RoundRobin: 'ROUND_ROBIN',
  /** Ranking: by each candidate’s own figures for the customer’s segment and the moment over the last 90 days (docs/routing.md gives the formula); candidates below the rule’s minSample come after the scored ones. */
  Scorecard: 'SCORECARD',
  /** Filter: keeps candidates whose regions (default: the partner’s own region) and segments (default: any) include the customer’s. */
  Territory: 'TERRITORY',
  /** Ranking: a draw in proportion to each candidate’s weight, stable per customer (weighted rendezvous hashing). */
  Weighted: 'WEIGHTED'
} as const;

export type RoutingStrategy = typeof RoutingStrategy[keyof typeof RoutingStrategy];
/** A customer’s market segment, from the smallest. */
export const Segment = {
  /** Large companies. */
  Enterprise: 'ENTERPRISE',
  /** Mid-sized companies. */
  MidMarket: 'MID_MARKET',
  /** Small and medium businesses. */
  Smb: 'SMB',
  /** Named accounts we manage most closely. */
  Strategic: 'STRATEGIC'
} as const;

export type Segment = typeof Segment[keyof typeof Segment];
/** Only the fields you send change. */
export type UpdateCustomerInput = {
  /** Changes its commercial figures (owner and internal teams only, else FORBIDDEN): a figure left out stays, null clears it; a new currency must restate every amount held. */
  commercials?: CommercialsInput | null | undefined;
  /** Replaces the whole contact list. */
  contacts?: Array<ContactInput> | null | undefined;
  /** Replaces the whole context. */
  context?: CustomerContextInput | null | undefined;
  /** A new domain, normalized before it is stored; one another customer has is CONFLICT. */
  domain?: string | null | undefined;
  /** A new stage. */
  lifecycleStage?: LifecycleStage | null | undefined;
  /** A new name; must not be empty. */
  name?: string | null | undefined;
  /** A new region. */
  region?: Region | null | undefined;
  /** A new segment. */
  segment?: Segment | null | undefined;
};

/** One customer as a partner system has it. Fields left out (or null) are left as they are. */
export type UpsertCustomerInput = {
  /** Commercial figures: the owner’s and internal teams’ (a collaborator’s are ignored); a figure left out or null stays; a new currency must restate every amount held, else the figures are ignored. */
  commercials?: CommercialsInput | null | undefined;
  /** Merged into the record’s contacts by e-mail (else name); none is removed. */
  contacts?: Array<ContactInput> | null | undefined;
  /** goals and painPoints are added to; other fields overwrite when non-null. */
  context?: CustomerContextInput | null | undefined;
  /** Matched on (normalized) when the external id is unknown. */
  domain?: string | null | undefined;
  /** Apply only if the record is still at this version (else CONFLICT with the current values). */
  expectedVersion?: number | null | undefined;
  /** The partner system's id for the customer (unique within `system`). */
  externalId: string;
  /** LEAD when creating without one. */
  lifecycleStage?: LifecycleStage | null | undefined;
  /** Required to create. */
  name?: string | null | undefined;
  /** Required to create. */
  region?: Region | null | undefined;
  /** Required to create. */
  segment?: Segment | null | undefined;
};

/** How an upsertCustomers row found its record. */
export const UpsertMatch = {
  /** By the customer’s normalized domain. */
  Domain: 'DOMAIN',
  /** By (system, externalId), linked before. */
  ExternalId: 'EXTERNAL_ID'
} as const;

export type UpsertMatch = typeof UpsertMatch[keyof typeof UpsertMatch];
/** What one upsertCustomers row did. */
export const UpsertOutcome = {
  /** Not applied: see reasonCode. */
  Conflict: 'CONFLICT',
  /** No record matched: a new customer, owned by the caller. */
  Created: 'CREATED',
  /** Not applied: the row is malformed; see invalidFields. */
  Invalid: 'INVALID',
  /** A record matched by domain; the external id is now linked to it and nothing else changed. */
  Matched: 'MATCHED',
  /** The row matched by external id and changes nothing. */
  Unchanged: 'UNCHANGED',
  /** A record matched and the row changed it (its version moved). */
  Updated: 'UPDATED'
} as const;

export type UpsertOutcome = typeof UpsertOutcome[keyof typeof UpsertOutcome];
/** How the hub treats a caller. */
export const ViewerRole = {
  /** One of our internal teams: sees every record. */
  Internal: 'INTERNAL',
  /** A partner: sees the customers it owns, collaborates on, or is named on a handoff of. */
  Partner: 'PARTNER',
  /** One of the hub’s own services. */
  Service: 'SERVICE'
} as const;

export type ViewerRole = typeof ViewerRole[keyof typeof ViewerRole];
export type CustomerFieldsFragment = { id: string, name: string, domain: string | null, segment: Segment, region: Region, lifecycleStage: LifecycleStage, version: number, updatedAt: string, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }>, context: { goals: Array<string>, painPoints: Array<string>, currentSolution: string | null, timeline: string | null, budget: string | null, notes: string | null }, externalIds: Array<{ system: string, externalId: string }>, owner: { id: string, name: string } | null };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { role: ViewerRole, scopes: Array<string>, partner: { id: string, name: string, kind: PartnerKind, tier: PartnerTier, region: Region } | null } };

export type CustomersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: CustomerFilter | null | undefined;
}>;


export type CustomersQuery = { customers: { nodes: Array<{ id: string, name: string, domain: string | null, segment: Segment, region: Region, lifecycleStage: LifecycleStage, version: number, updatedAt: string, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }>, context: { goals: Array<string>, painPoints: Array<string>, currentSolution: string | null, timeline: string | null, budget: string | null, notes: string | null }, externalIds: Array<{ system: string, externalId: string }>, owner: { id: string, name: string } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CustomerQueryVariables = Exact<{
  id: string | number;
}>;


export type CustomerQuery = { customer: { id: string, name: string, domain: string | null, segment: Segment, region: Region, lifecycleStage: LifecycleStage, version: number, updatedAt: string, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }>, context: { goals: Array<string>, painPoints: Array<string>, currentSolution: string | null, timeline: string | null, budget: string | null, notes: string | null }, externalIds: Array<{ system: string, externalId: string }>, owner: { id: string, name: string } | null } | null };

export type CustomerByExternalIdQueryVariables = Exact<{
  system: string;
  externalId: string;
}>;


export type CustomerByExternalIdQuery = { customerByExternalId: { id: string, name: string, domain: string | null, segment: Segment, region: Region, lifecycleStage: LifecycleStage, version: number, updatedAt: string, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }>, context: { goals: Array<string>, painPoints: Array<string>, currentSolution: string | null, timeline: string | null, budget: string | null, notes: string | null }, externalIds: Array<{ system: string, externalId: string }>, owner: { id: string, name: string } | null } | null };

export type CreateCustomerMutationVariables = Exact<{
  input: CreateCustomerInput;
  idempotencyKey?: string | null | undefined;
}>;


export type CreateCustomerMutation = { createCustomer: { id: string, name: string, domain: string | null, segment: Segment, region: Region, lifecycleStage: LifecycleStage, version: number, updatedAt: string, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }>, context: { goals: Array<string>, painPoints: Array<string>, currentSolution: string | null, timeline: string | null, budget: string | null, notes: string | null }, externalIds: Array<{ system: string, externalId: string }>, owner: { id: string, name: string } | null } };

export type UpdateCustomerMutationVariables = Exact<{
  id: string | number;
  expectedVersion: number;
  input: UpdateCustomerInput;
}>;


export type UpdateCustomerMutation = { updateCustomer: { id: string, name: string, domain: string | null, segment: Segment, region: Region, lifecycleStage: LifecycleStage, version: number, updatedAt: string, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }>, context: { goals: Array<string>, painPoints: Array<string>, currentSolution: string | null, timeline: string | null, budget: string | null, notes: string | null }, externalIds: Array<{ system: string, externalId: string }>, owner: { id: string, name: string } | null } };

export type PlaybookFieldFieldsFragment = { name: string, type: PlaybookFieldType, description: string, required: boolean };

export type HandoffFieldsFragment = { id: string, state: HandoffState, moment: HandoffMoment, customMoment: string | null, customerId: string, customerName: string, fromPartnerId: string | null, toPartnerId: string, customerMessage: string, data: unknown, requiredDataComplete: boolean, allowedActions: Array<HandoffAction>, onHold: boolean, reasonCode: RejectionReasonCode | null, reason: string | null, deliverables: unknown, proposedAt: string, acceptedAt: string | null, completedAt: string | null, closedAt: string | null, updatedAt: string, from: { id: string, name: string } | null, contextPackage: { summary: string, customerSaid: Array<string>, goals: Array<string>, links: Array<string>, notes: string | null, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }> }, requiredDataChecklist: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean, present: boolean, value: unknown }>, playbook: { id: string, name: string, version: number, deliverables: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean }> } | null };

export type PlaybooksQueryVariables = Exact<{
  moment?: HandoffMoment | null | undefined;
}>;


export type PlaybooksQuery = { playbooks: Array<{ id: string, moment: HandoffMoment, customMoment: string | null, version: number, name: string, responsibleRole: string, requiredFields: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean }>, deliverables: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean }> }> };

export type HandoffQueryVariables = Exact<{
  id: string | number;
}>;


export type HandoffQuery = { handoff: { id: string, state: HandoffState, moment: HandoffMoment, customMoment: string | null, customerId: string, customerName: string, fromPartnerId: string | null, toPartnerId: string, customerMessage: string, data: unknown, requiredDataComplete: boolean, allowedActions: Array<HandoffAction>, onHold: boolean, reasonCode: RejectionReasonCode | null, reason: string | null, deliverables: unknown, proposedAt: string, acceptedAt: string | null, completedAt: string | null, closedAt: string | null, updatedAt: string, from: { id: string, name: string } | null, contextPackage: { summary: string, customerSaid: Array<string>, goals: Array<string>, links: Array<string>, notes: string | null, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }> }, requiredDataChecklist: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean, present: boolean, value: unknown }>, playbook: { id: string, name: string, version: number, deliverables: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean }> } | null } | null };

export type InboxQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type InboxQuery = { me: { partner: { id: string, inbox: { nodes: Array<{ id: string, state: HandoffState, moment: HandoffMoment, customMoment: string | null, customerId: string, customerName: string, fromPartnerId: string | null, toPartnerId: string, customerMessage: string, data: unknown, requiredDataComplete: boolean, allowedActions: Array<HandoffAction>, onHold: boolean, reasonCode: RejectionReasonCode | null, reason: string | null, deliverables: unknown, proposedAt: string, acceptedAt: string | null, completedAt: string | null, closedAt: string | null, updatedAt: string, from: { id: string, name: string } | null, contextPackage: { summary: string, customerSaid: Array<string>, goals: Array<string>, links: Array<string>, notes: string | null, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }> }, requiredDataChecklist: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean, present: boolean, value: unknown }>, playbook: { id: string, name: string, version: number, deliverables: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean }> } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null } | null } };

export type ProposeHandoffMutationVariables = Exact<{
  input: ProposeHandoffInput;
  idempotencyKey?: string | null | undefined;
}>;


export type ProposeHandoffMutation = { proposeHandoff: { id: string, state: HandoffState, moment: HandoffMoment, customMoment: string | null, customerId: string, customerName: string, fromPartnerId: string | null, toPartnerId: string, customerMessage: string, data: unknown, requiredDataComplete: boolean, allowedActions: Array<HandoffAction>, onHold: boolean, reasonCode: RejectionReasonCode | null, reason: string | null, deliverables: unknown, proposedAt: string, acceptedAt: string | null, completedAt: string | null, closedAt: string | null, updatedAt: string, from: { id: string, name: string } | null, contextPackage: { summary: string, customerSaid: Array<string>, goals: Array<string>, links: Array<string>, notes: string | null, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }> }, requiredDataChecklist: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean, present: boolean, value: unknown }>, playbook: { id: string, name: string, version: number, deliverables: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean }> } | null } };

export type AcceptHandoffMutationVariables = Exact<{
  id: string | number;
}>;


export type AcceptHandoffMutation = { acceptHandoff: { id: string, state: HandoffState, moment: HandoffMoment, customMoment: string | null, customerId: string, customerName: string, fromPartnerId: string | null, toPartnerId: string, customerMessage: string, data: unknown, requiredDataComplete: boolean, allowedActions: Array<HandoffAction>, onHold: boolean, reasonCode: RejectionReasonCode | null, reason: string | null, deliverables: unknown, proposedAt: string, acceptedAt: string | null, completedAt: string | null, closedAt: string | null, updatedAt: string, from: { id: string, name: string } | null, contextPackage: { summary: string, customerSaid: Array<string>, goals: Array<string>, links: Array<string>, notes: string | null, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }> }, requiredDataChecklist: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean, present: boolean, value: unknown }>, playbook: { id: string, name: string, version: number, deliverables: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean }> } | null } };

export type RejectHandoffMutationVariables = Exact<{
  id: string | number;
  reason: string;
  reasonCode?: RejectionReasonCode | null | undefined;
}>;


export type RejectHandoffMutation = { rejectHandoff: { id: string, state: HandoffState, moment: HandoffMoment, customMoment: string | null, customerId: string, customerName: string, fromPartnerId: string | null, toPartnerId: string, customerMessage: string, data: unknown, requiredDataComplete: boolean, allowedActions: Array<HandoffAction>, onHold: boolean, reasonCode: RejectionReasonCode | null, reason: string | null, deliverables: unknown, proposedAt: string, acceptedAt: string | null, completedAt: string | null, closedAt: string | null, updatedAt: string, from: { id: string, name: string } | null, contextPackage: { summary: string, customerSaid: Array<string>, goals: Array<string>, links: Array<string>, notes: string | null, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }> }, requiredDataChecklist: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean, present: boolean, value: unknown }>, playbook: { id: string, name: string, version: number, deliverables: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean }> } | null } };

export type CompleteHandoffMutationVariables = Exact<{
  id: string | number;
  deliverables?: unknown;
}>;


export type CompleteHandoffMutation = { completeHandoff: { id: string, state: HandoffState, moment: HandoffMoment, customMoment: string | null, customerId: string, customerName: string, fromPartnerId: string | null, toPartnerId: string, customerMessage: string, data: unknown, requiredDataComplete: boolean, allowedActions: Array<HandoffAction>, onHold: boolean, reasonCode: RejectionReasonCode | null, reason: string | null, deliverables: unknown, proposedAt: string, acceptedAt: string | null, completedAt: string | null, closedAt: string | null, updatedAt: string, from: { id: string, name: string } | null, contextPackage: { summary: string, customerSaid: Array<string>, goals: Array<string>, links: Array<string>, notes: string | null, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }> }, requiredDataChecklist: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean, present: boolean, value: unknown }>, playbook: { id: string, name: string, version: number, deliverables: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean }> } | null } };

export type RouteCandidatesQueryVariables = Exact<{
  customerId: string | number;
  moment: HandoffMoment;
  customMoment?: string | null | undefined;
}>;


export type RouteCandidatesQuery = { routeCandidates: { ruleId: string | null, ruleVersion: number | null, strategies: Array<RoutingStrategy>, chosenPartnerId: string | null, customer: { id: string, name: string }, candidates: Array<{ partnerId: string, outcome: RouteOutcome, rank: number | null, score: number | null, partner: { id: string, name: string }, reasons: Array<{ code: RoutingReasonCode, message: string }> }> } };

export type HandoffRoutingQueryVariables = Exact<{
  id: string | number;
}>;


export type HandoffRoutingQuery = { handoff: { id: string, toPartnerId: string, reroutedFromId: string | null, routing: { ruleId: string, ruleVersion: number, strategies: Array<RoutingStrategy>, reasons: Array<{ code: RoutingReasonCode, message: string }> } | null } | null };

export type OwnershipChangedSubscriptionVariables = Exact<{
  customerId?: string | number | null | undefined;
  partnerId?: string | number | null | undefined;
}>;


export type OwnershipChangedSubscription = { ownershipChanged: { id: string, customerId: string, fromPartnerId: string | null, toPartnerId: string | null, handoffId: string | null, actorPartnerId: string | null, reason: OwnershipChangeReason, at: string } };

export type HandoffUpdatedSubscriptionVariables = Exact<{
  customerId?: string | number | null | undefined;
  partnerId?: string | number | null | undefined;
}>;


export type HandoffUpdatedSubscription = { handoffUpdated: { id: string, state: HandoffState, moment: HandoffMoment, customMoment: string | null, customerId: string, customerName: string, fromPartnerId: string | null, toPartnerId: string, customerMessage: string, data: unknown, requiredDataComplete: boolean, allowedActions: Array<HandoffAction>, onHold: boolean, reasonCode: RejectionReasonCode | null, reason: string | null, deliverables: unknown, proposedAt: string, acceptedAt: string | null, completedAt: string | null, closedAt: string | null, updatedAt: string, from: { id: string, name: string } | null, contextPackage: { summary: string, customerSaid: Array<string>, goals: Array<string>, links: Array<string>, notes: string | null, contacts: Array<{ name: string, email: string | null, role: string | null, phone: string | null }> }, requiredDataChecklist: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean, present: boolean, value: unknown }>, playbook: { id: string, name: string, version: number, deliverables: Array<{ name: string, type: PlaybookFieldType, description: string, required: boolean }> } | null } };

export type UpsertCustomersMutationVariables = Exact<{
  system: string;
  input: Array<UpsertCustomerInput> | UpsertCustomerInput;
}>;


export type UpsertCustomersMutation = { upsertCustomers: { created: number, updated: number, matched: number, unchanged: number, conflicts: number, invalid: number, rows: Array<{ index: number, externalId: string, outcome: UpsertOutcome, customerId: string | null, version: number | null, matchedBy: UpsertMatch | null, changedFields: Array<string>, ignoredFields: Array<string>, invalidFields: Array<string>, reasonCode: string | null, reason: string | null, current: { id: string, version: number } | null }> } };

export type ChangesQueryVariables = Exact<{
  after?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type ChangesQuery = { changes: { truncated: boolean, nodes: Array<{ id: string, type: ChangeType, occurredAt: string, aggregateType: string, aggregateId: string, source: string, payload: unknown }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export const CustomerFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"segment"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"context"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"painPoints"}},{"kind":"Field","name":{"kind":"Name","value":"currentSolution"}},{"kind":"Field","name":{"kind":"Name","value":"timeline"}},{"kind":"Field","name":{"kind":"Name","value":"budget"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CustomerFieldsFragment, unknown>;
export const PlaybookFieldFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlaybookFieldFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PlaybookField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}}]} as unknown as DocumentNode<PlaybookFieldFieldsFragment, unknown>;
export const HandoffFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HandoffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Handoff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"moment"}},{"kind":"Field","name":{"kind":"Name","value":"customMoment"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"fromPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerMessage"}},{"kind":"Field","name":{"kind":"Name","value":"contextPackage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"customerSaid"}},{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"links"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataComplete"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataChecklist"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}},{"kind":"Field","name":{"kind":"Name","value":"present"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"playbook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlaybookFieldFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"allowedActions"}},{"kind":"Field","name":{"kind":"Name","value":"onHold"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"}},{"kind":"Field","name":{"kind":"Name","value":"proposedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acceptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlaybookFieldFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PlaybookField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}}]} as unknown as DocumentNode<HandoffFieldsFragment, unknown>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"partner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"region"}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const CustomersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Customers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"segment"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"context"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"painPoints"}},{"kind":"Field","name":{"kind":"Name","value":"currentSolution"}},{"kind":"Field","name":{"kind":"Name","value":"timeline"}},{"kind":"Field","name":{"kind":"Name","value":"budget"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CustomersQuery, CustomersQueryVariables>;
export const CustomerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Customer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"segment"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"context"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"painPoints"}},{"kind":"Field","name":{"kind":"Name","value":"currentSolution"}},{"kind":"Field","name":{"kind":"Name","value":"timeline"}},{"kind":"Field","name":{"kind":"Name","value":"budget"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CustomerQuery, CustomerQueryVariables>;
export const CustomerByExternalIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CustomerByExternalId"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"system"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"externalId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerByExternalId"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"system"},"value":{"kind":"Variable","name":{"kind":"Name","value":"system"}}},{"kind":"Argument","name":{"kind":"Name","value":"externalId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"externalId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"segment"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"context"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"painPoints"}},{"kind":"Field","name":{"kind":"Name","value":"currentSolution"}},{"kind":"Field","name":{"kind":"Name","value":"timeline"}},{"kind":"Field","name":{"kind":"Name","value":"budget"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CustomerByExternalIdQuery, CustomerByExternalIdQueryVariables>;
export const CreateCustomerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateCustomer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateCustomerInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createCustomer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"segment"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"context"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"painPoints"}},{"kind":"Field","name":{"kind":"Name","value":"currentSolution"}},{"kind":"Field","name":{"kind":"Name","value":"timeline"}},{"kind":"Field","name":{"kind":"Name","value":"budget"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CreateCustomerMutation, CreateCustomerMutationVariables>;
export const UpdateCustomerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateCustomer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateCustomerInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateCustomer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"segment"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"context"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"painPoints"}},{"kind":"Field","name":{"kind":"Name","value":"currentSolution"}},{"kind":"Field","name":{"kind":"Name","value":"timeline"}},{"kind":"Field","name":{"kind":"Name","value":"budget"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"externalIds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<UpdateCustomerMutation, UpdateCustomerMutationVariables>;
export const PlaybooksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Playbooks"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"moment"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"HandoffMoment"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"playbooks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"moment"},"value":{"kind":"Variable","name":{"kind":"Name","value":"moment"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"moment"}},{"kind":"Field","name":{"kind":"Name","value":"customMoment"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"responsibleRole"}},{"kind":"Field","name":{"kind":"Name","value":"requiredFields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlaybookFieldFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlaybookFieldFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlaybookFieldFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PlaybookField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}}]} as unknown as DocumentNode<PlaybooksQuery, PlaybooksQueryVariables>;
export const HandoffDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Handoff"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"handoff"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HandoffFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlaybookFieldFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PlaybookField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HandoffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Handoff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"moment"}},{"kind":"Field","name":{"kind":"Name","value":"customMoment"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"fromPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerMessage"}},{"kind":"Field","name":{"kind":"Name","value":"contextPackage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"customerSaid"}},{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"links"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataComplete"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataChecklist"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}},{"kind":"Field","name":{"kind":"Name","value":"present"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"playbook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlaybookFieldFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"allowedActions"}},{"kind":"Field","name":{"kind":"Name","value":"onHold"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"}},{"kind":"Field","name":{"kind":"Name","value":"proposedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acceptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<HandoffQuery, HandoffQueryVariables>;
export const InboxDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Inbox"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"partner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"inbox"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HandoffFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlaybookFieldFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PlaybookField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HandoffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Handoff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"moment"}},{"kind":"Field","name":{"kind":"Name","value":"customMoment"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"fromPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerMessage"}},{"kind":"Field","name":{"kind":"Name","value":"contextPackage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"customerSaid"}},{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"links"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataComplete"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataChecklist"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}},{"kind":"Field","name":{"kind":"Name","value":"present"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"playbook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlaybookFieldFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"allowedActions"}},{"kind":"Field","name":{"kind":"Name","value":"onHold"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"}},{"kind":"Field","name":{"kind":"Name","value":"proposedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acceptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<InboxQuery, InboxQueryVariables>;
export const ProposeHandoffDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ProposeHandoff"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ProposeHandoffInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"proposeHandoff"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HandoffFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlaybookFieldFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PlaybookField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HandoffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Handoff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"moment"}},{"kind":"Field","name":{"kind":"Name","value":"customMoment"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"fromPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerMessage"}},{"kind":"Field","name":{"kind":"Name","value":"contextPackage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"customerSaid"}},{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"links"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataComplete"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataChecklist"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}},{"kind":"Field","name":{"kind":"Name","value":"present"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"playbook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlaybookFieldFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"allowedActions"}},{"kind":"Field","name":{"kind":"Name","value":"onHold"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"}},{"kind":"Field","name":{"kind":"Name","value":"proposedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acceptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<ProposeHandoffMutation, ProposeHandoffMutationVariables>;
export const AcceptHandoffDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AcceptHandoff"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acceptHandoff"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HandoffFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlaybookFieldFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PlaybookField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HandoffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Handoff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"moment"}},{"kind":"Field","name":{"kind":"Name","value":"customMoment"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"fromPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerMessage"}},{"kind":"Field","name":{"kind":"Name","value":"contextPackage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"customerSaid"}},{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"links"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataComplete"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataChecklist"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}},{"kind":"Field","name":{"kind":"Name","value":"present"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"playbook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlaybookFieldFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"allowedActions"}},{"kind":"Field","name":{"kind":"Name","value":"onHold"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"}},{"kind":"Field","name":{"kind":"Name","value":"proposedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acceptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<AcceptHandoffMutation, AcceptHandoffMutationVariables>;
export const RejectHandoffDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RejectHandoff"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reasonCode"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"RejectionReasonCode"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rejectHandoff"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}},{"kind":"Argument","name":{"kind":"Name","value":"reasonCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reasonCode"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HandoffFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlaybookFieldFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PlaybookField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HandoffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Handoff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"moment"}},{"kind":"Field","name":{"kind":"Name","value":"customMoment"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"fromPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerMessage"}},{"kind":"Field","name":{"kind":"Name","value":"contextPackage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"customerSaid"}},{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"links"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataComplete"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataChecklist"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}},{"kind":"Field","name":{"kind":"Name","value":"present"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"playbook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlaybookFieldFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"allowedActions"}},{"kind":"Field","name":{"kind":"Name","value":"onHold"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"}},{"kind":"Field","name":{"kind":"Name","value":"proposedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acceptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<RejectHandoffMutation, RejectHandoffMutationVariables>;
export const CompleteHandoffDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompleteHandoff"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deliverables"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completeHandoff"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"deliverables"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deliverables"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HandoffFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlaybookFieldFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PlaybookField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HandoffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Handoff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"moment"}},{"kind":"Field","name":{"kind":"Name","value":"customMoment"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"fromPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerMessage"}},{"kind":"Field","name":{"kind":"Name","value":"contextPackage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"customerSaid"}},{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"links"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataComplete"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataChecklist"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}},{"kind":"Field","name":{"kind":"Name","value":"present"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"playbook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlaybookFieldFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"allowedActions"}},{"kind":"Field","name":{"kind":"Name","value":"onHold"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"}},{"kind":"Field","name":{"kind":"Name","value":"proposedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acceptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CompleteHandoffMutation, CompleteHandoffMutationVariables>;
export const RouteCandidatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RouteCandidates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"moment"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"HandoffMoment"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customMoment"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"routeCandidates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"customerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"moment"},"value":{"kind":"Variable","name":{"kind":"Name","value":"moment"}}},{"kind":"Argument","name":{"kind":"Name","value":"customMoment"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customMoment"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ruleId"}},{"kind":"Field","name":{"kind":"Name","value":"ruleVersion"}},{"kind":"Field","name":{"kind":"Name","value":"strategies"}},{"kind":"Field","name":{"kind":"Name","value":"chosenPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"candidates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"partnerId"}},{"kind":"Field","name":{"kind":"Name","value":"partner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"rank"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RouteCandidatesQuery, RouteCandidatesQueryVariables>;
export const HandoffRoutingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"HandoffRouting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"handoff"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"toPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"reroutedFromId"}},{"kind":"Field","name":{"kind":"Name","value":"routing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ruleId"}},{"kind":"Field","name":{"kind":"Name","value":"ruleVersion"}},{"kind":"Field","name":{"kind":"Name","value":"strategies"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<HandoffRoutingQuery, HandoffRoutingQueryVariables>;
export const OwnershipChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"OwnershipChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"partnerId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ownershipChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"customerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"partnerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"partnerId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"fromPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"toPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"handoffId"}},{"kind":"Field","name":{"kind":"Name","value":"actorPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}}]} as unknown as DocumentNode<OwnershipChangedSubscription, OwnershipChangedSubscriptionVariables>;
export const HandoffUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"HandoffUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"partnerId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"handoffUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"customerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"partnerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"partnerId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HandoffFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PlaybookFieldFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PlaybookField"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HandoffFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Handoff"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"moment"}},{"kind":"Field","name":{"kind":"Name","value":"customMoment"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerName"}},{"kind":"Field","name":{"kind":"Name","value":"fromPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"toPartnerId"}},{"kind":"Field","name":{"kind":"Name","value":"customerMessage"}},{"kind":"Field","name":{"kind":"Name","value":"contextPackage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"customerSaid"}},{"kind":"Field","name":{"kind":"Name","value":"goals"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}},{"kind":"Field","name":{"kind":"Name","value":"links"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataComplete"}},{"kind":"Field","name":{"kind":"Name","value":"requiredDataChecklist"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"required"}},{"kind":"Field","name":{"kind":"Name","value":"present"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"playbook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PlaybookFieldFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"allowedActions"}},{"kind":"Field","name":{"kind":"Name","value":"onHold"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"deliverables"}},{"kind":"Field","name":{"kind":"Name","value":"proposedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acceptedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<HandoffUpdatedSubscription, HandoffUpdatedSubscriptionVariables>;
export const UpsertCustomersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpsertCustomers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"system"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpsertCustomerInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"upsertCustomers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"system"},"value":{"kind":"Variable","name":{"kind":"Name","value":"system"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"matched"}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"}},{"kind":"Field","name":{"kind":"Name","value":"conflicts"}},{"kind":"Field","name":{"kind":"Name","value":"invalid"}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"customerId"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"matchedBy"}},{"kind":"Field","name":{"kind":"Name","value":"changedFields"}},{"kind":"Field","name":{"kind":"Name","value":"ignoredFields"}},{"kind":"Field","name":{"kind":"Name","value":"invalidFields"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"current"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]}}]}}]} as unknown as DocumentNode<UpsertCustomersMutation, UpsertCustomersMutationVariables>;
export const ChangesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Changes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"aggregateType"}},{"kind":"Field","name":{"kind":"Name","value":"aggregateId"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"truncated"}}]}}]}}]} as unknown as DocumentNode<ChangesQuery, ChangesQueryVariables>;