import { InitScorecards1732500000000 } from './1732500000000-init-scorecards';
import { RowLevelSecurity1733000000004 } from './1733000000004-row-level-security';
import { PartnerLevelRollups1733200000000 } from './1733200000000-partner-level-rollups';
import { StallableCounts1733200000001 } from './1733200000001-stallable-counts';

export const scorecardsMigrations = [
  InitScorecards1732500000000,
  RowLevelSecurity1733000000004,
  PartnerLevelRollups1733200000000,
  StallableCounts1733200000001,
];
