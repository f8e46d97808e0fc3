import { Field, ID, InputType } from 'type-graphql';
import { HandoffDueState, HandoffMoment } from '../entities/enums';

@InputType({ description: 'Narrows the list of handoffs that came due; every field given must match.' })
export class HandoffDueFilter {
  @Field(() => HandoffMoment, { nullable: true, description: 'Only dues of this moment.' })
  moment?: HandoffMoment | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only dues this partner is accountable for or is the suggested receiver of. A partner may name only itself (FORBIDDEN otherwise).',
  })
  partnerId?: string | null;

  @Field(() => HandoffDueState, { nullable: true, description: 'Only dues in this state.' })
  state?: HandoffDueState | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only OPEN dues whose dueAt has passed; false: only those that are not (closed, not yet due, or without dueAt).',
  })
  overdue?: boolean | null;
}
