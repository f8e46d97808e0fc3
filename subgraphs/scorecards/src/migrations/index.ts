import { InitScorecards1732500000000 } from './1732500000000-init-scorecards';
import { RowLevelSecurity1733000000004 } from './1733000000004-row-level-security';

export const scorecardsMigrations = [InitScorecards1732500000000, RowLevelSecurity1733000000004];
