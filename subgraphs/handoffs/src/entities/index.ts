import { HandoffDue } from './handoff-due.entity';
import { Handoff } from './handoff.entity';
import { OwnershipChange } from './ownership-change.entity';
import { Playbook } from './playbook.entity';
import { CustomerAccessProjection, CustomerProjection, PartnerProjection } from './projections.entity';
import { Task } from './task.entity';

export const handoffsEntities = [Handoff, HandoffDue, OwnershipChange, Task, Playbook, PartnerProjection, CustomerProjection, CustomerAccessProjection];
