import { InitHandoffs1732500000000 } from './1732500000000-init-handoffs';
import { HandoffsRowLevelSecurity1733000000002 } from './1733000000002-row-level-security';

export const handoffsMigrations = [InitHandoffs1732500000000, HandoffsRowLevelSecurity1733000000002];
