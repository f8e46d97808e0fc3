import type { DataSource } from 'typeorm';
import type { SubgraphEvents } from '../../../../shared/eventlog/event-backbone';
import { CUSTOMER_UPDATED, HANDOFF_COMPLETED, OWNERSHIP_CHANGED } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { createOwnershipConsumer, OWNERSHIP_CONSUMER } from './ownership.consumer';
import { createRenewalOutcomeConsumer, RENEWAL_OUTCOME_CONSUMER } from './renewal-outcome.consumer';
import { createWebhookFanout, WEBHOOK_FANOUT_CONSUMER } from './webhook-fanout.consumer';
import { createNotificationFanout, NOTIFICATION_FANOUT_CONSUMER } from './notification-fanout.consumer';
import { NOTIFIABLE_EVENT_TYPES } from '../notifications/notification-catalog';
import type { NotificationChannelKind } from '../notifications/notification.enums';

/** What accounts' consumers need from the server. */
export interface AccountsConsumerDeps {
  db: DataSource;
  log: Logger;
  /** The fan-out wrote deliveries: wake the delivery worker. */
  onWebhookDeliveries(): void;
  /** Where notification links point (HUB_PUBLIC_URL). */
  publicUrl: string;
  /** The notification fan-out wrote notifications to send, over these channels: wake the sender. */
  onNotifications(kinds: NotificationChannelKind[]): void;
}

/** Every event accounts reacts to (docs/events.md is generated from the subgraphs' registries). */
export const ACCOUNTS_EVENTS: SubgraphEvents<AccountsConsumerDeps> = {
  subgraph: 'accounts',
  consumers: [
    {
      name: OWNERSHIP_CONSUMER,
      types: [OWNERSHIP_CHANGED],
      does: 'applies the new owner to the customer and its access rows (previous owner: collaborator, or no access when reclaimed)',
      create: ({ db, log }) => createOwnershipConsumer(db, log),
    },
    {
      name: RENEWAL_OUTCOME_CONSUMER,
      types: [HANDOFF_COMPLETED],
      does: 'records the renewal outcome a completed SUCCESS_TO_RENEWAL handoff delivers (renewalOutcome, newArr, effectiveDate), once per handoff, and sets the customer’s ARR',
      create: ({ db, log }) => createRenewalOutcomeConsumer(db, log.child({ component: 'renewal-outcomes' })),
    },
    {
      name: WEBHOOK_FANOUT_CONSUMER,
      types: { dependsOn: 'the types some webhook subscribes to (none: it costs nothing)' },
      does: 'writes one delivery row per webhook that wants the event; the delivery worker sends them',
      create: ({ db, log, onWebhookDeliveries }) => createWebhookFanout(db, log.child({ component: 'webhooks' }), { onDeliveries: onWebhookDeliveries }),
    },
    {
      name: NOTIFICATION_FANOUT_CONSUMER,
      types: [...NOTIFIABLE_EVENT_TYPES],
      does: 'writes one notification per recipient whose preferences want the event (the notification catalog, docs/notifications.md); the notification sender e-mails or posts them',
      create: ({ db, log, publicUrl, onNotifications }) =>
        createNotificationFanout(db, log.child({ component: 'notifications' }), { publicUrl, onNotifications }),
    },
  ],
  subscriptions: [{ field: 'customerUpdated', types: [CUSTOMER_UPDATED] }],
};
