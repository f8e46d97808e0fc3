/**
 * The links notification e-mails carry (docs/notifications.md): `/dashboard/?handoff=<id>`,
 * `/dashboard/?handoff=<id>&task=<id>` and `/dashboard/?customer=<id>`. Ids are UUIDs; a
 * garbled one is refused here, before the API is asked, so a mistyped link never costs a query.
 * Whether the person may see the record is the API's answer, never decided in the browser.
 */
export type DeepLink =
  { kind: 'handoff'; handoffId: string; taskId: string | null } | { kind: 'customer'; customerId: string } | { kind: 'invalid'; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the page's query string links to; null when it names no handoff or customer. */
export function parseDeepLink(search: string): DeepLink | null {
  const params = new URLSearchParams(search);
  const handoff = params.get('handoff');
  const customer = params.get('customer');
  const task = params.get('task');
  if (handoff !== null && customer !== null) return { kind: 'invalid', message: 'This link names both a handoff and a customer; open one at a time.' };
  if (handoff !== null) {
    if (!UUID.test(handoff.trim())) return { kind: 'invalid', message: 'This link’s handoff id is not a valid id; check that the whole link was copied.' };
    if (task !== null && !UUID.test(task.trim()))
      return { kind: 'invalid', message: 'This link’s task id is not a valid id; check that the whole link was copied.' };
    return { kind: 'handoff', handoffId: handoff.trim().toLowerCase(), taskId: task === null ? null : task.trim().toLowerCase() };
  }
  if (customer !== null) {
    if (!UUID.test(customer.trim())) return { kind: 'invalid', message: 'This link’s customer id is not a valid id; check that the whole link was copied.' };
    return { kind: 'customer', customerId: customer.trim().toLowerCase() };
  }
  if (task !== null) return { kind: 'invalid', message: 'This link names a task without its handoff; open it from the notification e-mail again.' };
  return null;
}

/** The dashboard address of a handoff (optionally one of its tasks) or a customer, as the e-mails write it. */
export const handoffHref = (handoffId: string, taskId?: string) =>
  `/dashboard/?handoff=${encodeURIComponent(handoffId)}${taskId ? `&task=${encodeURIComponent(taskId)}` : ''}`;
export const customerHref = (customerId: string) => `/dashboard/?customer=${encodeURIComponent(customerId)}`;
