import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { badUserInput } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import type { ScorecardsContext } from '../context';
import { FeedbackSource } from '../entities/enums';
import { FeedbackRevision } from '../entities/feedback-revision.entity';
import { Feedback } from '../entities/feedback.entity';
import { issueCustomerToken, submitCustomerFeedback, submitFeedbackAs, TOKEN_HOURS } from '../services/feedback.service';
import { FeedbackInput } from './feedback.inputs';

@ObjectType({ description: 'A single-use link for the customer to rate a handoff without an account.' })
export class CustomerFeedbackLink {
  @Field(() => ID, { description: 'The handoff the customer rates.' })
  handoffId!: string;

  @Field({ description: 'Give it to the customer; it works once, until expiresAt.' })
  token!: string;

  @Field({ description: 'The gateway path of the customer feedback page with the token: prefix it with the hub’s public URL.' })
  path!: string;

  @Field({ description: 'After this instant (UTC) the link no longer works.' })
  expiresAt!: Date;
}

@Resolver(() => Feedback)
export class FeedbackResolver {
  @Mutation(() => Feedback, {
    description: 'Feedback on a handoff; a second submission from the same source updates it and keeps the earlier one in `history`.',
  })
  submitFeedback(
    @Arg('input', () => FeedbackInput, { description: 'The handoff, who speaks, the rating and the comment.' }) input: FeedbackInput,
    @Ctx() ctx: ScorecardsContext,
  ): Promise<Feedback> {
    const handoffId = assertId(input.handoffId, 'input.handoffId');
    const fields = { rating: input.rating, comment: input.comment, tags: input.tags };
    if (input.source === FeedbackSource.CUSTOMER) {
      if (!input.customerToken) {
        throw badUserInput('CUSTOMER feedback needs the customer’s single-use token (issueCustomerFeedbackToken)', [
          { field: 'input.customerToken', message: 'required for CUSTOMER feedback' },
        ]);
      }
      return submitCustomerFeedback(ctx.db, input.customerToken, fields, ctx.identitySecret).then((f) => {
        if (f.handoffId !== handoffId)
          throw badUserInput('The token was issued for another handoff', [{ field: 'input.customerToken', message: 'issued for another handoff' }]);
        return f;
      });
    }
    if (input.customerToken)
      throw badUserInput('customerToken is only for CUSTOMER feedback', [{ field: 'input.customerToken', message: 'only for CUSTOMER feedback' }]);
    return submitFeedbackAs(ctx.db, ctx.identity, handoffId, input.source, fields);
  }

  @Mutation(() => CustomerFeedbackLink, { description: 'Internal teams and the handoff’s partners: a single-use feedback link for the customer.' })
  issueCustomerFeedbackToken(
    @Arg('handoffId', () => ID, { description: 'The handoff the customer rates; one you are not part of is NOT_FOUND.' }) handoffId: string,
    @Ctx() ctx: ScorecardsContext,
    @Arg('expiresInHours', () => Int, { defaultValue: TOKEN_HOURS.default, description: 'How long the link works, 1–720 hours (default 168, one week).' })
    expiresInHours: number,
  ): Promise<CustomerFeedbackLink> {
    return issueCustomerToken(ctx.db, ctx.identity, assertId(handoffId, 'handoffId'), expiresInHours, ctx.identitySecret);
  }

  @FieldResolver(() => [FeedbackRevision], { description: 'Every revision, oldest first (the last one is the current).' })
  history(@Root() feedback: Feedback, @Ctx() ctx: ScorecardsContext): Promise<FeedbackRevision[]> {
    return ctx.loaders.revisions.load(feedback.id);
  }
}
