import type { ContextPackage } from '../entities/handoff-parts';
import type { PlaybookField } from '../entities/playbook-parts';
import { fieldSatisfied } from './playbook-validation';

/**
 * What handoffs knows of a customer when the hub proposes a due itself: the record as
 * accounts' last event carried it (handoffs.customers.record), and what earlier handoffs of
 * the customer carried (their data, and the deliverables of completed ones; newest first).
 */
export interface CustomerKnowledge {
  record: Record<string, unknown> | null;
  history: Record<string, unknown> | null;
}

/** Keys of the record that are bookkeeping, not data a playbook could ask for. */
const NOT_DATA = new Set(['id', 'ownerPartnerId', 'version', 'createdAt', 'updatedAt', 'context', 'contacts']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The value the record holds for a playbook field, by the field's name: the customer's own
 * context first (`context.budget`, `context.timeline`…), then the record's other fields, then
 * what earlier handoffs of the customer carried. The first value of the field's type wins; a
 * value of another type does not count (and the next place is tried).
 */
function valueFor(field: PlaybookField, known: CustomerKnowledge): unknown {
  const context = isObject(known.record?.context) ? known.record.context : {};
  const places: unknown[] = [context[field.name], NOT_DATA.has(field.name) ? undefined : known.record?.[field.name], known.history?.[field.name]];
  return places.find((v) => fieldSatisfied(field, v));
}

/**
 * The playbook's fields the record already holds (the proposal's `data`) and the names of
 * the required ones it does not (`HandoffDue.missingData`), in the playbook's order.
 */
export function dataFromRecord(fields: PlaybookField[], known: CustomerKnowledge): { data: Record<string, unknown>; missing: string[] } {
  const data: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const field of fields) {
    const value = valueFor(field, known);
    if (value !== undefined) data[field.name] = value;
    else if (field.required) missing.push(field.name);
  }
  return { data, missing };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim().length > 0) : []);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** Why the hub proposes a due itself. */
export type DueProposalTrigger = 'AUTO_PROPOSE' | 'DUE_ESCALATION';

/**
 * The context package of a handoff the hub proposes itself: the customer's own context
 * (goals, pain points, current solution, timeline, budget, notes) and contacts, as the record
 * holds them — so that the receiver does not ask again — with a summary of why now, and,
 * when required data is missing, a note naming it.
 */
export function contextFromRecord(
  due: { fromStage: string; toStage: string; movedAt: Date },
  customerName: string,
  playbookName: string,
  record: Record<string, unknown> | null,
  trigger: DueProposalTrigger,
  missing: string[],
): ContextPackage {
  const context = isObject(record?.context) ? record.context : {};
  const said = [...strings(context.painPoints)];
  const currentSolution = text(context.currentSolution);
  const timeline = text(context.timeline);
  const budget = text(context.budget);
  if (currentSolution) said.push(`Uses today: ${currentSolution}`);
  if (timeline) said.push(`Timeline: ${timeline}`);
  if (budget) said.push(`Budget: ${budget}`);
  const contacts = (Array.isArray(record?.contacts) ? record.contacts : [])
    .filter(isObject)
    .flatMap((c) => (text(c.name) ? [{ name: text(c.name)!, email: text(c.email), role: text(c.role), phone: text(c.phone) }] : []));
  const why =
    trigger === 'AUTO_PROPOSE' ? 'its playbook proposes the handoff as soon as it is due' : 'the time to propose it ran out and its SLA policy reassigns it';
  const notes = [
    text(context.notes),
    missing.length
      ? `Proposed with the playbook's required data incomplete: ${missing.join(', ')} — the record does not hold ${missing.length === 1 ? 'it' : 'them'}; ask the previous owner, not the customer.`
      : null,
  ].filter((n): n is string => !!n);
  return {
    summary: `${customerName} moved from ${due.fromStage} to ${due.toStage} on ${due.movedAt.toISOString().slice(0, 10)}; the hub proposed this ${playbookName} handoff because ${why}.`,
    customerSaid: said,
    goals: strings(context.goals),
    contacts,
    links: [],
    notes: notes.length ? notes.join('\n\n') : null,
  };
}

/** What the customer reads of a handoff the hub proposes itself. */
export const hubCustomerMessage = (receiverName: string, playbookName: string) =>
  `${receiverName} is taking over the next step with you (${playbookName}) and will be in touch.`;
