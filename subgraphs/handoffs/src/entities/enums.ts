import { registerEnumType } from 'type-graphql';

export { HandoffMoment, LifecycleStage } from '../../../../shared/graphql/enums';

export enum HandoffState {
  PROPOSED = 'PROPOSED',
  ACCEPTED = 'ACCEPTED',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}

/** Why a receiver said no; scorecards group leakage by it. */
export enum RejectionReasonCode {
  NOT_A_FIT = 'NOT_A_FIT',
  NO_CAPACITY = 'NO_CAPACITY',
  MISSING_INFORMATION = 'MISSING_INFORMATION',
  WRONG_REGION = 'WRONG_REGION',
  WRONG_SEGMENT = 'WRONG_SEGMENT',
  CUSTOMER_NOT_READY = 'CUSTOMER_NOT_READY',
  OTHER = 'OTHER',
}

/** What the caller may do with a handoff right now. */
export enum HandoffAction {
  ACCEPT = 'ACCEPT',
  REJECT = 'REJECT',
  CANCEL = 'CANCEL',
  COMPLETE = 'COMPLETE',
  HOLD = 'HOLD',
  RESUME = 'RESUME',
}

export enum PlaybookFieldType {
  STRING = 'STRING',
  NUMBER = 'NUMBER',
  INTEGER = 'INTEGER',
  BOOLEAN = 'BOOLEAN',
  DATE = 'DATE',
  DATETIME = 'DATETIME',
  EMAIL = 'EMAIL',
  URL = 'URL',
  STRING_LIST = 'STRING_LIST',
  OBJECT = 'OBJECT',
  MONEY = 'MONEY',
}

/** What a playbook field stands for, beyond its data (services/handoff-value.ts). */
export enum PlaybookFieldRole {
  VALUE = 'VALUE',
}

export enum TaskStatus {
  OPEN = 'OPEN',
  DONE = 'DONE',
}

/** What a task's assignee sees: still to do, late, or done. */
export enum TaskState {
  OPEN = 'OPEN',
  OVERDUE = 'OVERDUE',
  DONE = 'DONE',
}

export enum OwnershipChangeReason {
  HANDOFF_ACCEPTED = 'HANDOFF_ACCEPTED',
  HANDOFF_RECLAIMED = 'HANDOFF_RECLAIMED',
}

registerEnumType(HandoffState, {
  name: 'HandoffState',
  description: 'PROPOSED → ACCEPTED → COMPLETED, or PROPOSED → REJECTED / CANCELLED / EXPIRED.',
  valuesConfig: {
    PROPOSED: { description: 'Waiting for the receiver to accept or reject; the sender still owns the customer.' },
    ACCEPTED: { description: 'The receiver accepted and owns the customer; it completes the handoff with the deliverables.' },
    COMPLETED: { description: 'The receiver delivered what the playbook asks back. Final.' },
    REJECTED: { description: 'The receiver declined (see reasonCode and reason). Final.' },
    CANCELLED: { description: 'The sender or an internal team withdrew it before acceptance. Final.' },
    EXPIRED: { description: 'An SLA escalation closed it (RECLAIM, or REASSIGN into a new handoff). Final.' },
  },
});
registerEnumType(RejectionReasonCode, {
  name: 'RejectionReasonCode',
  description: 'Why a receiver declined a handoff; scorecards group leakage by it.',
  valuesConfig: {
    NOT_A_FIT: { description: 'The customer is not one the receiver serves.' },
    NO_CAPACITY: { description: 'The receiver cannot take it on now.' },
    MISSING_INFORMATION: { description: 'The handoff lacks what the receiver needs.' },
    WRONG_REGION: { description: 'The customer is outside the receiver’s region.' },
    WRONG_SEGMENT: { description: 'The customer is outside the segments the receiver serves.' },
    CUSTOMER_NOT_READY: { description: 'The customer is not ready for this step.' },
    OTHER: { description: 'Any other reason (explain it in `reason`).' },
  },
});
registerEnumType(HandoffAction, {
  name: 'HandoffAction',
  description: 'What the caller may do with a handoff right now (see Handoff.allowedActions).',
  valuesConfig: {
    ACCEPT: { description: 'acceptHandoff: the receiver, while PROPOSED.' },
    REJECT: { description: 'rejectHandoff: the receiver, while PROPOSED.' },
    CANCEL: { description: 'cancelHandoff: the sender or an internal team, while PROPOSED.' },
    COMPLETE: { description: 'completeHandoff: the receiver, while ACCEPTED.' },
    HOLD: { description: 'holdHandoff: while open and not on hold.' },
    RESUME: { description: 'resumeHandoff: while on hold.' },
  },
});
registerEnumType(PlaybookFieldType, {
  name: 'PlaybookFieldType',
  description: 'How a required data field or deliverable is checked.',
  valuesConfig: {
    STRING: { description: 'A non-empty string.' },
    NUMBER: { description: 'A finite number.' },
    INTEGER: { description: 'A whole number.' },
    BOOLEAN: { description: 'true or false.' },
    DATE: { description: 'A calendar date as a string, "YYYY-MM-DD", e.g. "2025-01-31".' },
    DATETIME: { description: 'An ISO 8601 date-time string with its time, e.g. "2025-01-31T09:00:00Z".' },
    EMAIL: { description: 'An e-mail address.' },
    URL: { description: 'A URL with its scheme, e.g. "https://docs.example.com/plan".' },
    STRING_LIST: { description: 'A non-empty list of non-empty strings.' },
    OBJECT: { description: 'A JSON object.' },
    MONEY: {
      description:
        'An amount of money: `{ "amount": "48000.00", "currency": "EUR" }`, the amount an exact decimal string (a JSON number is refused: it may not be exact), the currency an ISO 4217 code.',
    },
  },
});
registerEnumType(PlaybookFieldRole, {
  name: 'PlaybookFieldRole',
  description: 'What a required data field stands for. A playbook has at most one field of each role.',
  valuesConfig: {
    VALUE: {
      description:
        'The handoff’s value: the amount a proposal carries in this MONEY field becomes Handoff.value (valueSource PLAYBOOK_FIELD); without it the customer’s commercials give the value.',
    },
  },
});
registerEnumType(TaskState, {
  name: 'TaskState',
  description: 'Where a task stands, computed against now: OPEN, OVERDUE (open past its due time) or DONE.',
  valuesConfig: {
    OPEN: { description: 'Still to do, not yet due (or with no due time).' },
    OVERDUE: { description: 'Still to do and past its due time.' },
    DONE: { description: 'Done.' },
  },
});
registerEnumType(TaskStatus, {
  name: 'TaskStatus',
  description: 'Whether a task is done.',
  valuesConfig: {
    OPEN: { description: 'Still to do.' },
    DONE: { description: 'Done.' },
  },
});
registerEnumType(OwnershipChangeReason, {
  name: 'OwnershipChangeReason',
  description: 'Why a customer’s owner changed.',
  valuesConfig: {
    HANDOFF_ACCEPTED: { description: 'The receiver of a handoff accepted it and became the owner.' },
    HANDOFF_RECLAIMED: { description: 'An SLA escalation took the customer back from a receiver that had accepted it.' },
  },
});

/** Where a handoff that came due stands (entities/handoff-due.entity.ts). */
export enum HandoffDueState {
  OPEN = 'OPEN',
  PROPOSED = 'PROPOSED',
  DISMISSED = 'DISMISSED',
  SUPERSEDED = 'SUPERSEDED',
}

registerEnumType(HandoffDueState, {
  name: 'HandoffDueState',
  description:
    'OPEN until a handoff of the customer at the moment is proposed (PROPOSED), someone accountable dismisses it (DISMISSED), or a later stage move replaces it (SUPERSEDED).',
  valuesConfig: {
    OPEN: { description: 'The stage move happened and no handoff of the customer at this moment has been proposed yet.' },
    PROPOSED: { description: 'A handoff of the customer at this moment was proposed; `handoff` links it. Final.' },
    DISMISSED: { description: 'The accountable partner or an internal team decided no handoff is needed, with a reason. Final.' },
    SUPERSEDED: { description: 'A later stage move of the customer replaced it (it opened a new due or left the trigger). Final.' },
  },
});

/** Where a handoff's (or a due's) value came from (shared/eventlog/events.ts HandoffValueSource). */
export enum HandoffValueSource {
  PLAYBOOK_FIELD = 'PLAYBOOK_FIELD',
  PIPELINE = 'PIPELINE',
  ARR = 'ARR',
}

registerEnumType(HandoffValueSource, {
  name: 'HandoffValueSource',
  description: 'Where a handoff’s value was taken from when it was proposed (a due’s: when it opened).',
  valuesConfig: {
    PLAYBOOK_FIELD: { description: 'The playbook’s VALUE field (a MONEY field) in the handoff’s data.' },
    PIPELINE: { description: 'The customer’s pipeline value (pre-sale moments: MQL_TO_SQL, DIRECT_TO_PARTNER).' },
    ARR: { description: 'The customer’s ARR (post-sale moments: CLOSED_WON_TO_ONBOARDING, ONBOARDING_TO_SUCCESS, SUCCESS_TO_RENEWAL).' },
  },
});

/** The parts of a handoff's context package a playbook may show the customer (Playbook.customerVisibleContext). */
export enum CustomerContextPart {
  SUMMARY = 'SUMMARY',
  GOALS = 'GOALS',
  CUSTOMER_SAID = 'CUSTOMER_SAID',
}

registerEnumType(CustomerContextPart, {
  name: 'CustomerContextPart',
  description: 'A part of the context package the customer may see on its journey page, so it is not asked again. Contacts, links and notes are never shown.',
  valuesConfig: {
    SUMMARY: { description: 'ContextPackage.summary: who the customer is and why it is handed over now.' },
    GOALS: { description: 'ContextPackage.goals: what the customer wants to achieve.' },
    CUSTOMER_SAID: { description: 'ContextPackage.customerSaid: what the customer already told us, in its words.' },
  },
});

/** Where one of a handoff's customer-facing actions stands. */
export enum CustomerActionStatus {
  OPEN = 'OPEN',
  DONE = 'DONE',
}

registerEnumType(CustomerActionStatus, {
  name: 'CustomerActionStatus',
  description: 'Where a customer-facing action of a handoff stands (setCustomerActionStatus).',
  valuesConfig: {
    OPEN: { description: 'Not done yet (every action starts so).' },
    DONE: { description: 'The new owner (or an internal team) marked it done.' },
  },
});

/** Whether a customer journey link still opens its page (derived from its expiry and revocation). */
export enum JourneyLinkStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}

registerEnumType(JourneyLinkStatus, {
  name: 'JourneyLinkStatus',
  description: 'Whether a customer journey link still works (revokeCustomerJourneyLink, expiresAt).',
  valuesConfig: {
    ACTIVE: { description: 'Not revoked and not expired: the page opens (unless the handoff no longer goes ahead).' },
    EXPIRED: { description: 'Past its expiry and never revoked: the page says the link has expired.' },
    REVOKED: { description: 'Withdrawn (revokeCustomerJourneyLink): the page says so and shows nothing, whatever its expiry.' },
  },
});
