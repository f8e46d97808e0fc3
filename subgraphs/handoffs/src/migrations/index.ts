import { InitHandoffs1732500000000 } from './1732500000000-init-handoffs';
import { HandoffsRowLevelSecurity1733000000002 } from './1733000000002-row-level-security';
import { HandoffsRouting1733300000000 } from './1733300000000-routing';
import { HandoffsDues1733400000000 } from './1733400000000-handoff-dues';
import { HandoffsJourneySummary1733450000000 } from './1733450000000-journey-summary';
import { HandoffsDueProposals1733500000000 } from './1733500000000-due-proposals';
import { HandoffsOwnershipGaps1733600000000 } from './1733600000000-ownership-gaps';
import { HandoffsMoney1733700000000 } from './1733700000000-money';
import { HandoffsPeople1733800000000 } from './1733800000000-people';
import { HandoffsCustomerJourney1733920000000 } from './1733920000000-customer-journey';
import { HandoffsRoutingStatsStripes1733940000000 } from './1733940000000-routing-stats-stripes';
import { HandoffsCustomerJourneyLinks1733960000000 } from './1733960000000-customer-journey-links';

export const handoffsMigrations = [
  InitHandoffs1732500000000,
  HandoffsRowLevelSecurity1733000000002,
  HandoffsRouting1733300000000,
  HandoffsDues1733400000000,
  HandoffsJourneySummary1733450000000,
  HandoffsDueProposals1733500000000,
  HandoffsOwnershipGaps1733600000000,
  HandoffsMoney1733700000000,
  HandoffsPeople1733800000000,
  HandoffsCustomerJourney1733920000000,
  HandoffsRoutingStatsStripes1733940000000,
  HandoffsCustomerJourneyLinks1733960000000,
];
