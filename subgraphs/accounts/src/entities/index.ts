import { ApiKey } from './api-key.entity';
import { CustomerAccess } from './customer-access.entity';
import { CustomerExternalId } from './customer-external-id.entity';
import { Customer } from './customer.entity';
import { Partner } from './partner.entity';
import { OwnershipClaim } from '../sync/ownership-claim.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { Webhook } from '../webhooks/webhook.entity';

export const accountsEntities = [Partner, Customer, CustomerAccess, CustomerExternalId, ApiKey, OwnershipClaim, Webhook, WebhookDelivery];
