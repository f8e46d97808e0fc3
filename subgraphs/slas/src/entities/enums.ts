import { registerEnumType } from 'type-graphql';

/** Same values as the handoffs subgraph's enum (federation merges them; keep them identical). */
export enum HandoffMoment {
  MQL_TO_SQL = 'MQL_TO_SQL',
  DIRECT_TO_PARTNER = 'DIRECT_TO_PARTNER',
  CLOSED_WON_TO_ONBOARDING = 'CLOSED_WON_TO_ONBOARDING',
  ONBOARDING_TO_SUCCESS = 'ONBOARDING_TO_SUCCESS',
  SUCCESS_TO_RENEWAL = 'SUCCESS_TO_RENEWAL',
  CUSTOM = 'CUSTOM',
}

/** Same values as accounts' PartnerTier. */
export enum PartnerTier {
  PLATINUM = 'PLATINUM',
  GOLD = 'GOLD',
  SILVER = 'SILVER',
  REGISTERED = 'REGISTERED',
}

/** Same values as accounts' Segment. */
export enum Segment {
  SMB = 'SMB',
  MID_MARKET = 'MID_MARKET',
  ENTERPRISE = 'ENTERPRISE',
  STRATEGIC = 'STRATEGIC',
}

export enum SlaTarget {
  ACCEPT = 'ACCEPT',
  COMPLETE = 'COMPLETE',
}

export enum SlaClockState {
  RUNNING = 'RUNNING',
  PAUSED = 'PAUSED',
  AT_RISK = 'AT_RISK',
  MET = 'MET',
  BREACHED = 'BREACHED',
  CANCELLED = 'CANCELLED',
}

export enum SlaEscalationAction {
  NOTIFY = 'NOTIFY',
  RECLAIM = 'RECLAIM',
  REASSIGN = 'REASSIGN',
}

export enum SlaAlertKind {
  AT_RISK = 'AT_RISK',
  BREACHED = 'BREACHED',
}

export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}

registerEnumType(HandoffMoment, { name: 'HandoffMoment', description: 'A moment where ownership of a customer changes hands.' });
registerEnumType(PartnerTier, { name: 'PartnerTier' });
registerEnumType(Segment, { name: 'Segment' });
registerEnumType(SlaTarget, { name: 'SlaTarget', description: 'What a clock times: ACCEPT (proposed → accepted) or COMPLETE (accepted → completed).' });
registerEnumType(SlaClockState, {
  name: 'SlaClockState',
  valuesConfig: {
    RUNNING: { description: 'Counting business time.' },
    PAUSED: { description: 'On hold (waiting on the customer); business time does not count.' },
    AT_RISK: { description: 'Past the policy’s warning threshold, not yet due.' },
    MET: { description: 'Stopped within its target.' },
    BREACHED: { description: 'Past its target; stays BREACHED once stopped.' },
    CANCELLED: { description: 'Stopped because the handoff was rejected, cancelled or expired before breaching.' },
  },
});
registerEnumType(SlaEscalationAction, {
  name: 'SlaEscalationAction',
  valuesConfig: {
    NOTIFY: { description: 'Alert only.' },
    RECLAIM: { description: 'The handoff expires; ownership stays with, or returns to, the sender.' },
    REASSIGN: { description: 'The handoff goes to the policy’s reassignToPartner.' },
  },
});
registerEnumType(SlaAlertKind, { name: 'SlaAlertKind' });
registerEnumType(Weekday, { name: 'Weekday' });
