import { conflict } from '../../../../shared/errors';
import type { Handoff } from '../entities/handoff.entity';
import { HandoffState } from '../entities/enums';

const { PROPOSED, ACCEPTED, COMPLETED, REJECTED, CANCELLED, EXPIRED } = HandoffState;

/** Every transition there is. Anything else is refused with the current and allowed states. */
export const TRANSITIONS: Record<HandoffState, HandoffState[]> = {
  [PROPOSED]: [ACCEPTED, REJECTED, CANCELLED, EXPIRED],
  [ACCEPTED]: [COMPLETED, EXPIRED],
  [COMPLETED]: [],
  [REJECTED]: [],
  [CANCELLED]: [],
  [EXPIRED]: [],
};

/** States in which a customer's handoff still blocks another one (mirrors the partial unique index). */
export const OPEN_STATES = [PROPOSED, ACCEPTED];
export const isOpen = (state: HandoffState) => OPEN_STATES.includes(state);

const describe = (states: HandoffState[]) => (states.length ? states.join(', ') : 'nothing (it is closed)');

/**
 * CONFLICT unless `handoff` may move to `target`; the message and extensions name the
 * current state, the states the operation needs, and where the handoff can go from here.
 */
export function assertTransition(handoff: Handoff, target: HandoffState, operation: string): void {
  if (TRANSITIONS[handoff.state].includes(target)) return;
  const needs = (Object.keys(TRANSITIONS) as HandoffState[]).filter((s) => TRANSITIONS[s].includes(target));
  throw conflict(
    `Handoff ${handoff.id} is ${handoff.state}; ${operation} needs it to be ${needs.join(' or ')}. From ${handoff.state} it can move to: ${describe(TRANSITIONS[handoff.state])}`,
    { currentState: handoff.state, allowedStates: needs, nextStates: TRANSITIONS[handoff.state] },
  );
}

/** Holding and resuming are not transitions; they need an open handoff in the right hold state. */
export function assertHoldable(handoff: Handoff, hold: boolean): void {
  const operation = hold ? 'holdHandoff' : 'resumeHandoff';
  if (!isOpen(handoff.state)) {
    throw conflict(`Handoff ${handoff.id} is ${handoff.state}; ${operation} needs it to be ${OPEN_STATES.join(' or ')}`, {
      currentState: handoff.state,
      allowedStates: OPEN_STATES,
      nextStates: TRANSITIONS[handoff.state],
    });
  }
  if (handoff.onHold === hold) {
    throw conflict(`Handoff ${handoff.id} is ${hold ? 'already on hold' : 'not on hold'}`, { currentState: handoff.state, onHold: handoff.onHold });
  }
}
