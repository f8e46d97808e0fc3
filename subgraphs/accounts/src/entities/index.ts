import { ApiKey } from './api-key.entity';
import { CustomerAccess } from './customer-access.entity';
import { CustomerExternalId } from './customer-external-id.entity';
import { Customer } from './customer.entity';
import { Partner } from './partner.entity';

export const accountsEntities = [Partner, Customer, CustomerAccess, CustomerExternalId, ApiKey];
