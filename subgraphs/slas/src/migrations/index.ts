import { InitSlas1732500000000 } from './1732500000000-init-slas';
import { AppliedEvents1732500000001 } from './1732500000001-applied-events';
import { SlasRowLevelSecurity1733000000003 } from './1733000000003-row-level-security';
import { ReassignByRouting1733300000001 } from './1733300000001-reassign-by-routing';

export const slasMigrations = [InitSlas1732500000000, AppliedEvents1732500000001, SlasRowLevelSecurity1733000000003, ReassignByRouting1733300000001];
