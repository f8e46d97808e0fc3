import { InitAccounts1732400000000 } from './1732400000000-init-accounts';
import { PartnerSync1732470000000 } from './1732470000000-partner-sync';

export const accountsMigrations = [InitAccounts1732400000000, PartnerSync1732470000000];
