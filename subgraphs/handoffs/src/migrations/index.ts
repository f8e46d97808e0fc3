import { InitHandoffs1732500000000 } from './1732500000000-init-handoffs';

export const handoffsMigrations = [InitHandoffs1732500000000];
