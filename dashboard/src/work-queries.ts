/**
 * The queries of a signed-in person's own work: their tasks, their partner's inbox, one
 * handoff or customer opened from a notification's link, and their notification settings.
 * Each asks only for what its view shows (every object and every page counts against the
 * credential's cost budget, docs/api.md#cost-and-rate-limits): pages are small and nothing
 * is fetched twice.
 */

export interface MoneyValue {
  amount: string;
  currency: string;
}

export interface PriorityView {
  score: number;
  reasons: string[];
}

export interface MyTask {
  id: string;
  handoffId: string;
  customerId: string;
  title: string;
  state: 'OPEN' | 'OVERDUE' | 'DONE';
  overdue: boolean;
  dueAt: string | null;
  completedAt: string | null;
}

/** What a task row shows of its handoff (looked up once per distinct handoff). */
export interface TaskHandoff {
  id: string;
  moment: string;
  customMoment: string | null;
  customerName: string;
  customer: { name: string } | null;
}

export interface TaskPage {
  totalCount: number;
  nodes: MyTask[];
}

/** The task views: each is one or more TaskFilters, listed in that order. */
export type TaskView = 'OPEN' | 'DUE_SOON' | 'OVERDUE' | 'DONE';
export const TASK_VIEWS: { view: TaskView; label: string; filters: Record<string, unknown>[] }[] = [
  // "Open" is everything still to do: the overdue ones first, then those not yet due.
  { view: 'OPEN', label: 'Open', filters: [{ state: 'OVERDUE' }, { state: 'OPEN' }] },
  { view: 'DUE_SOON', label: 'Due within 7 days', filters: [{ dueWithin: 'P7D' }] },
  { view: 'OVERDUE', label: 'Overdue', filters: [{ state: 'OVERDUE' }] },
  { view: 'DONE', label: 'Done', filters: [{ state: 'DONE' }] },
];
export const TASK_PAGE = 20;

const TASK_FIELDS = 'id handoffId customerId title state overdue dueAt completedAt';

/** One aliased myTasks page per filter of the view (t0, t1, …), in one request. */
export function myTasksQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$f${i}: TaskFilter`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `t${i}: myTasks(first: ${TASK_PAGE}, filter: $f${i}) { totalCount nodes { ${TASK_FIELDS} } }`).join(
    '\n  ',
  );
  return `query MyTasks(${vars}) {\n  ${fields}\n}`;
}

/** The handoffs of a page of tasks, one aliased lookup per distinct handoff (h0, h1, …). */
export function taskHandoffsQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$h${i}: ID!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `h${i}: handoff(id: $h${i}) { id moment customMoment customerName customer { name } }`).join('\n  ');
  return `query TaskHandoffs(${vars}) {\n  ${fields}\n}`;
}

export interface InboxHandoff {
  id: string;
  moment: string;
  customMoment: string | null;
  customerName: string;
  proposedAt: string;
  from: { name: string } | null;
  value: MoneyValue | null;
  priority: PriorityView;
}

export interface Inbox {
  me: { partner: { id: string; name: string; inbox: { totalCount: number; nodes: InboxHandoff[] } | null } | null };
}
export const INBOX_PAGE = 10;
export const INBOX_QUERY = `query Inbox {
  me { partner { id name inbox(orderBy: PRIORITY, first: ${INBOX_PAGE}) { totalCount nodes {
    id moment customMoment customerName proposedAt from { name } value { amount currency } priority { score reasons }
  } } } }
}`;

export interface SlaClockView {
  id: string;
  target: string;
  state: string;
  startedAt: string;
  dueAt: string | null;
  breachedAt: string | null;
  stoppedAt: string | null;
  pausedSince: string | null;
  businessTimeElapsed: string;
  businessTimeRemaining: string;
}

export interface HandoffDetailView {
  id: string;
  moment: string;
  customMoment: string | null;
  state: string;
  onHold: boolean;
  holdReason: string | null;
  reason: string | null;
  customerId: string;
  customerName: string;
  proposedAt: string;
  acceptedAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  from: { id: string; name: string } | null;
  to: { id: string; name: string };
  customer: { id: string; name: string; lifecycleStage: string } | null;
  value: MoneyValue | null;
  valueSource: string | null;
  priority: PriorityView;
  slaClocks: SlaClockView[];
  tasks: { id: string; title: string; state: string; dueAt: string | null; completedAt: string | null; assignee: { name: string } | null }[];
  customerActions: { position: number; action: string; status: string; doneAt: string | null }[];
}

export const HANDOFF_QUERY = `query HandoffDetail($id: ID!) {
  handoff(id: $id) {
    id moment customMoment state onHold holdReason reason customerId customerName proposedAt acceptedAt completedAt closedAt
    from { id name } to { id name } customer { id name lifecycleStage }
    value { amount currency } valueSource priority { score reasons }
    slaClocks { id target state startedAt dueAt breachedAt stoppedAt pausedSince businessTimeElapsed businessTimeRemaining }
    tasks { id title state dueAt completedAt assignee { name } }
    customerActions { position action status doneAt }
  }
}`;

export interface CustomerDetailView {
  id: string;
  name: string;
  domain: string | null;
  segment: string;
  region: string;
  lifecycleStage: string;
  owner: { id: string; name: string } | null;
  commercials: {
    currency: string;
    arr: MoneyValue | null;
    pipelineValue: MoneyValue | null;
    contractValue: MoneyValue | null;
    contractTermMonths: number | null;
    renewalDate: string | null;
  } | null;
  handoffs: {
    id: string;
    moment: string;
    customMoment: string | null;
    state: string;
    proposedAt: string;
    from: { name: string } | null;
    to: { name: string };
  }[];
}

export const CUSTOMER_QUERY = `query CustomerDetail($id: ID!) {
  customer(id: $id) {
    id name domain segment region lifecycleStage owner { id name }
    commercials { currency arr { amount currency } pipelineValue { amount currency } contractValue { amount currency } contractTermMonths renewalDate }
    handoffs { id moment customMoment state proposedAt from { name } to { name } }
  }
}`;

/** States in which a handoff still waits for someone. */
export const OPEN_HANDOFF_STATES = ['PROPOSED', 'ACCEPTED'];

export interface Preference {
  eventType: string;
  description: string;
  channel: string;
  enabled: boolean;
  digest: boolean;
  isDefault: boolean;
}

export interface Delivery {
  id: string;
  eventType: string;
  subject: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export const DELIVERY_PAGE = 10;
const PREFERENCE_FIELDS = 'eventType description channel enabled digest isDefault';
export const NOTIFICATION_SETTINGS_QUERY = `query NotificationSettings($personId: ID!) {
  notificationPreferences { ${PREFERENCE_FIELDS} }
  notifications(first: ${DELIVERY_PAGE}, filter: { personId: $personId }) { totalCount nodes { id eventType subject status attempts lastError createdAt sentAt } }
}`;

export const SET_PREFERENCE_MUTATION = `mutation SetNotificationPreference($input: SetNotificationPreferenceInput!) {
  setNotificationPreference(input: $input) { ${PREFERENCE_FIELDS} }
}`;
