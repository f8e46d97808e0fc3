import { registerEnumType } from 'type-graphql';
import { EVENT_CATALOG } from '../../../../shared/eventlog/events';

/**
 * Every event type of the event contract's catalog (shared/eventlog/events.ts), so that a
 * type added there is at once in the feed's enum and subscribable by webhooks. Internal
 * teams receive every type; a partner, those of events addressed to it.
 * Sorted: the printed schema must not depend on how a compiler orders a module's exports.
 * A page holding a type accounts does not know could not be served: roll a new type out to
 * accounts before (or with) the service that first writes it.
 */
export const EVENT_TYPES: readonly string[] = Object.keys(EVENT_CATALOG).sort();

/** `Change.type`: the wire values are the event type names themselves (e.g. `CustomerUpdated`). */
export const ChangeType: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(EVENT_TYPES.map((t) => [t, t])));

registerEnumType(ChangeType, {
  name: 'ChangeType',
  description: 'What happened: the type of an event of the hub’s log. New types may be added; treat one you do not know as ignorable.',
  valuesConfig: Object.fromEntries(EVENT_TYPES.map((t) => [t, { description: EVENT_CATALOG[t]!.description }])),
});
