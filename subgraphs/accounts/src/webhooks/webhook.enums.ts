import { registerEnumType } from 'type-graphql';

export enum WebhookStatus {
  ACTIVE = 'ACTIVE',
  /** Paused by its owner: events still queue, nothing is sent until resumed. */
  PAUSED = 'PAUSED',
  /** Disabled by the hub after continuous failure; `disabledReason` says why. Resume to retry. */
  DISABLED = 'DISABLED',
}

export enum DeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  /** Retried until the retry horizon (3 days by default) passed; `redeliver` sends it again. */
  FAILED = 'FAILED',
}

registerEnumType(WebhookStatus, {
  name: 'WebhookStatus',
  description: 'Whether a webhook is sending.',
  valuesConfig: {
    ACTIVE: { description: 'Sending: deliveries go out in order as events commit.' },
    PAUSED: { description: 'Paused by its owner: events queue and go out, in order, on resume.' },
    DISABLED: {
      description:
        'Stopped by the hub after failing for too long (by default at least 10 consecutive failures over at least 24 hours); events queue until resumeWebhook.',
    },
  },
});
registerEnumType(DeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Queued or being retried, with a backoff that doubles per attempt.' },
    SUCCEEDED: { description: 'Your endpoint answered 2xx.' },
    FAILED: { description: 'Retries ran out (by default after 3 days); redeliver sends it again.' },
  },
});
