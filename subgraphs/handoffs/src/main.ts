import { runService } from '../../../scripts/run-service';

runService('handoffs');
