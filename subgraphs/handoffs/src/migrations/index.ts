import { InitHandoffs1732500000000 } from './1732500000000-init-handoffs';
import { HandoffsRowLevelSecurity1733000000002 } from './1733000000002-row-level-security';
import { HandoffsRouting1733300000000 } from './1733300000000-routing';
import { HandoffsDues1733400000000 } from './1733400000000-handoff-dues';

export const handoffsMigrations = [InitHandoffs1732500000000, HandoffsRowLevelSecurity1733000000002, HandoffsRouting1733300000000, HandoffsDues1733400000000];
