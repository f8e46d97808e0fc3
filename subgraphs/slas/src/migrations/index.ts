import { InitSlas1732500000000 } from './1732500000000-init-slas';
import { AppliedEvents1732500000001 } from './1732500000001-applied-events';

export const slasMigrations = [InitSlas1732500000000, AppliedEvents1732500000001];
