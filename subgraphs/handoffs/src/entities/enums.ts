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
}

export enum TaskStatus {
  OPEN = 'OPEN',
  DONE = 'DONE',
}

export enum OwnershipChangeReason {
  HANDOFF_ACCEPTED = 'HANDOFF_ACCEPTED',
  /** An SLA escalation took the customer back from a receiver that had accepted it. */
  HANDOFF_RECLAIMED = 'HANDOFF_RECLAIMED',
}

registerEnumType(HandoffState, { name: 'HandoffState', description: 'PROPOSED → ACCEPTED → COMPLETED, or PROPOSED → REJECTED / CANCELLED / EXPIRED.' });
registerEnumType(RejectionReasonCode, { name: 'RejectionReasonCode' });
registerEnumType(HandoffAction, { name: 'HandoffAction' });
registerEnumType(PlaybookFieldType, { name: 'PlaybookFieldType', description: 'How a required data field or deliverable is checked.' });
registerEnumType(TaskStatus, { name: 'TaskStatus' });
registerEnumType(OwnershipChangeReason, { name: 'OwnershipChangeReason' });
