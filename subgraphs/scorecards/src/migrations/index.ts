import { InitScorecards1732500000000 } from './1732500000000-init-scorecards';

export const scorecardsMigrations = [InitScorecards1732500000000];
