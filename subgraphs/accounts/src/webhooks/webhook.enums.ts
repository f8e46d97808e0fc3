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

registerEnumType(WebhookStatus, { name: 'WebhookStatus' });
registerEnumType(DeliveryStatus, { name: 'WebhookDeliveryStatus' });
