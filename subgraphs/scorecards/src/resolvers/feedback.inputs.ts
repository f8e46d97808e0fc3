import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { FeedbackSource } from '../entities/enums';

@InputType({ description: 'One feedback per source per handoff: submitting again updates it (history is kept).' })
export class FeedbackInput {
  @Field(() => ID, { description: 'The handoff rated; one you are not part of is NOT_FOUND.' })
  handoffId!: string;

  @Field(() => FeedbackSource, { description: 'INTERNAL from internal teams, PARTNER from the handoff’s partners, CUSTOMER with `customerToken`.' })
  source!: FeedbackSource;

  @Field(() => Int, { description: '1 (poor) to 5 (excellent); anything else is BAD_USER_INPUT.' })
  @Min(1, { message: 'rating must be from 1 to 5' })
  @Max(5, { message: 'rating must be from 1 to 5' })
  rating!: number;

  @Field(() => String, { nullable: true, description: 'Free text, at most 2,000 characters.' })
  @IsOptional()
  @MaxLength(2000)
  comment?: string | null;

  @Field(() => [String], { nullable: true, description: 'Free tags; "had to repeat information", "late" and "clear next steps" feed the scorecards.' })
  @IsOptional()
  @ArrayMaxSize(10)
  @MaxLength(60, { each: true })
  tags?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Required for CUSTOMER feedback: the single-use token of the customer’s link.' })
  @IsOptional()
  @MaxLength(1000)
  customerToken?: string | null;
}
