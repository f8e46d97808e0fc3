import { InitAccounts1732400000000 } from './1732400000000-init-accounts';

export const accountsMigrations = [InitAccounts1732400000000];
