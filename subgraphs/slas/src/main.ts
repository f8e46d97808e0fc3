import { runService } from '../../../scripts/run-service';

runService('slas');
