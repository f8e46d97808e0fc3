import { InitSlas1732500000000 } from './1732500000000-init-slas';
import { AppliedEvents1732500000001 } from './1732500000001-applied-events';
import { SlasRowLevelSecurity1733000000003 } from './1733000000003-row-level-security';
import { ReassignByRouting1733300000001 } from './1733300000001-reassign-by-routing';
import { ProposeWithin1733600000000 } from './1733600000000-propose-within';
import { DueClocks1733600000001 } from './1733600000001-due-clocks';
import { SlasExchangeRates1733700000000 } from './1733700000000-exchange-rates';

export const slasMigrations = [
  InitSlas1732500000000,
  AppliedEvents1732500000001,
  SlasRowLevelSecurity1733000000003,
  ReassignByRouting1733300000001,
  ProposeWithin1733600000000,
  DueClocks1733600000001,
  SlasExchangeRates1733700000000,
];
