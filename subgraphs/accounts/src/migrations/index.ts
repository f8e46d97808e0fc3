import { InitAccounts1732400000000 } from './1732400000000-init-accounts';
import { PartnerSync1732470000000 } from './1732470000000-partner-sync';
import { AccountsRowLevelSecurity1733000000001 } from './1733000000001-row-level-security';
import { CostBudgets1733000000010 } from './1733000000010-cost-budgets';
import { ApiKeyCursorPrecision1733000000020 } from './1733000000020-api-key-cursor-precision';
import { Revenue1733000000030 } from './1733000000030-revenue';
import { People1733800000000 } from './1733800000000-people';
import { Sessions1733900000000 } from './1733900000000-sessions';
import { Notifications1733910000000 } from './1733910000000-notifications';

export const accountsMigrations = [
  InitAccounts1732400000000,
  PartnerSync1732470000000,
  AccountsRowLevelSecurity1733000000001,
  CostBudgets1733000000010,
  ApiKeyCursorPrecision1733000000020,
  Revenue1733000000030,
  People1733800000000,
  Sessions1733900000000,
  Notifications1733910000000,
];
