import { registerEnumType } from 'type-graphql';

export { HandoffMoment, PartnerTier, Segment } from '../../../../shared/graphql/enums';

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
