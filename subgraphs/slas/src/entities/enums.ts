import { registerEnumType } from 'type-graphql';

export { HandoffMoment, PartnerTier, Segment } from '../../../../shared/graphql/enums';

export enum SlaTarget {
  ACCEPT = 'ACCEPT',
  COMPLETE = 'COMPLETE',
  PROPOSE = 'PROPOSE',
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

registerEnumType(SlaTarget, {
  name: 'SlaTarget',
  description:
    'What a clock times: ACCEPT (proposed → accepted) or COMPLETE (accepted → completed) on a handoff, PROPOSE (came due → proposed) on a handoff that came due.',
  valuesConfig: {
    ACCEPT: { description: 'From proposal to acceptance.' },
    COMPLETE: { description: 'From acceptance to completion.' },
    PROPOSE: { description: 'From the customer’s stage move that made a handoff due to its proposal (HandoffDue.slaClock).' },
  },
});
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
  description: 'Where an SLA clock stands.',
});
registerEnumType(SlaEscalationAction, {
  name: 'SlaEscalationAction',
  valuesConfig: {
    NOTIFY: { description: 'Alert only.' },
    RECLAIM: { description: 'The handoff expires; ownership stays with, or returns to, the sender.' },
    REASSIGN: { description: 'The handoff goes to the policy’s reassignToPartner.' },
  },
  description: 'What a policy does when a clock breaches.',
});
registerEnumType(SlaAlertKind, {
  name: 'SlaAlertKind',
  description: 'What an SLA alert reports.',
  valuesConfig: {
    AT_RISK: { description: 'The clock passed the policy’s warning threshold; the target is still ahead.' },
    BREACHED: { description: 'The clock passed its target; the policy’s escalation runs.' },
  },
});
registerEnumType(Weekday, {
  name: 'Weekday',
  description: 'A day of the week, in the calendar’s time zone.',
  valuesConfig: {
    MONDAY: { description: 'Monday.' },
    TUESDAY: { description: 'Tuesday.' },
    WEDNESDAY: { description: 'Wednesday.' },
    THURSDAY: { description: 'Thursday.' },
    FRIDAY: { description: 'Friday.' },
    SATURDAY: { description: 'Saturday.' },
    SUNDAY: { description: 'Sunday.' },
  },
});
