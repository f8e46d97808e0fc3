import { InitScorecards1732500000000 } from './1732500000000-init-scorecards';
import { RowLevelSecurity1733000000004 } from './1733000000004-row-level-security';
import { PartnerLevelRollups1733200000000 } from './1733200000000-partner-level-rollups';
import { StallableCounts1733200000001 } from './1733200000001-stallable-counts';
import { HandoffDues1733300000000 } from './1733300000000-handoff-dues';
import { RevenueRetention1733400000000 } from './1733400000000-revenue-retention';
import { ValueFigures1733400000000 } from './1733400000000-value-figures';
import { RevokedFeedbackTokens1733960000000 } from './1733960000000-revoked-feedback-tokens';

export const scorecardsMigrations = [
  InitScorecards1732500000000,
  RowLevelSecurity1733000000004,
  PartnerLevelRollups1733200000000,
  StallableCounts1733200000001,
  HandoffDues1733300000000,
  RevenueRetention1733400000000,
  ValueFigures1733400000000,
  RevokedFeedbackTokens1733960000000,
];
