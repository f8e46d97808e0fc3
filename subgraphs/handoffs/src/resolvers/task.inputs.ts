import { IsOptional, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { TaskState } from '../entities/enums';

@InputType({ description: 'Which tasks to list; leave a field out not to filter on it. The filters combine (AND).' })
export class TaskFilter {
  @Field(() => TaskState, { nullable: true, description: 'OPEN (open, not past due), OVERDUE (open, past due) or DONE.' })
  @IsOptional()
  state?: TaskState | null;

  @Field(() => String, {
    nullable: true,
    description:
      'An ISO-8601 duration ("P3D", "PT12H"): only OPEN tasks due no later than now plus this, overdue ones included. BAD_USER_INPUT for anything else.',
  })
  @IsOptional()
  @MaxLength(40)
  dueWithin?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only tasks open past their due time; false: only the others.' })
  @IsOptional()
  overdue?: boolean | null;
}
