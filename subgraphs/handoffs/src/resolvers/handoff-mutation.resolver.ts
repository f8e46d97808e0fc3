import { JSONScalar } from '../../../../shared/graphql/json';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { RequireScopes } from '../../../../shared/auth/scopes';
import type { HandoffsContext } from '../context';
import { RejectionReasonCode } from '../entities/enums';
import { Handoff } from '../entities/handoff.entity';
import { Task } from '../entities/task.entity';
import { proposeHandoff } from '../services/propose.service';
import { completeTask } from '../services/task.service';
import { acceptHandoff, cancelHandoff, completeHandoff, holdHandoff, rejectHandoff, resumeHandoff } from '../services/transition.service';
import { ProposeHandoffInput } from './handoff.inputs';

@Resolver(() => Handoff)
export class HandoffMutationResolver {
  @RequireScopes('handoffs:write')
  @Mutation(() => Handoff, {
    description:
      "The customer's owner (or an internal team) proposes it to a receiving partner. BAD_USER_INPUT lists every missing or ill-typed field the playbook requires; CONFLICT when the customer already has an open handoff. Replaying the same idempotencyKey with the same input returns the same handoff.",
  })
  proposeHandoff(
    @Arg('input', () => ProposeHandoffInput, { description: 'The customer, the receiver, the moment and what the receiver needs to take over.' })
    input: ProposeHandoffInput,
    @Ctx() ctx: HandoffsContext,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description:
        'Any string up to 200 characters unique to this proposal. A retry with the same key and input returns the handoff proposed first; the same key with a different input is BAD_USER_INPUT.',
    })
    idempotencyKey?: string,
  ): Promise<Handoff> {
    return proposeHandoff(ctx.db, ctx.identity, input, idempotencyKey, { catchUp: ctx.catchUp });
  }

  @RequireScopes('handoffs:write')
  @Mutation(() => Handoff, {
    description: 'The receiver accepts: it becomes the owner, in the same transaction, and gets the playbook’s tasks. CONFLICT unless PROPOSED.',
  })
  acceptHandoff(
    @Arg('id', () => ID, { description: 'The handoff to accept; only its receiver may (FORBIDDEN otherwise).' }) id: string,
    @Ctx() ctx: HandoffsContext,
  ): Promise<Handoff> {
    return acceptHandoff(ctx.db, ctx.identity, id);
  }

  @RequireScopes('handoffs:write')
  @Mutation(() => Handoff, { description: 'The receiver declines, with a reason (and a code scorecards group by).' })
  rejectHandoff(
    @Arg('id', () => ID, { description: 'The handoff to reject; only its receiver may, while it is PROPOSED.' }) id: string,
    @Arg('reason', { description: 'Why, in words the sender can act on; 1–2,000 characters.' }) reason: string,
    @Ctx() ctx: HandoffsContext,
    @Arg('reasonCode', () => RejectionReasonCode, { nullable: true, description: 'Defaults to OTHER.' }) reasonCode?: RejectionReasonCode,
  ): Promise<Handoff> {
    return rejectHandoff(ctx.db, ctx.identity, id, reason, reasonCode);
  }

  @RequireScopes('handoffs:write')
  @Mutation(() => Handoff, {
    description: 'The new owner closes the handoff with the deliverables the playbook asks back (BAD_USER_INPUT lists what is missing).',
  })
  completeHandoff(
    @Arg('id', () => ID, { description: 'The handoff to complete; only its receiver (now the owner) may, while it is ACCEPTED.' }) id: string,
    @Ctx() ctx: HandoffsContext,
    @Arg('deliverables', () => JSONScalar, {
      nullable: true,
      description: 'What the playbook asks back, keyed by field name (see Playbook.deliverables); checked like proposal data.',
    })
    deliverables?: unknown,
  ): Promise<Handoff> {
    return completeHandoff(ctx.db, ctx.identity, id, deliverables);
  }

  @RequireScopes('handoffs:write')
  @Mutation(() => Handoff, { description: 'The sender (or an internal team) withdraws a PROPOSED handoff.' })
  cancelHandoff(
    @Arg('id', () => ID, { description: 'The handoff to cancel; its sender or an internal team may, while it is PROPOSED (the receiver rejects instead).' })
    id: string,
    @Arg('reason', { description: 'Why, for the receiver and the log; 1–2,000 characters.' }) reason: string,
    @Ctx() ctx: HandoffsContext,
  ): Promise<Handoff> {
    return cancelHandoff(ctx.db, ctx.identity, id, reason);
  }

  @RequireScopes('handoffs:write')
  @Mutation(() => Handoff, {
    description:
      'Pauses an open handoff (and its SLA clocks) while waiting on the customer. Its sender, its receiver or an internal team may; CONFLICT when it is closed or already on hold.',
  })
  holdHandoff(
    @Arg('id', () => ID, { description: 'The open handoff to pause.' }) id: string,
    @Arg('reason', { description: 'What you are waiting for, e.g. "customer budget review next week"; 1–2,000 characters.' }) reason: string,
    @Ctx() ctx: HandoffsContext,
  ): Promise<Handoff> {
    return holdHandoff(ctx.db, ctx.identity, id, reason);
  }

  @RequireScopes('handoffs:write')
  @Mutation(() => Handoff, {
    description: 'Ends a hold: the handoff and its SLA clocks run again. Its sender, its receiver or an internal team may; CONFLICT when it is not on hold.',
  })
  resumeHandoff(@Arg('id', () => ID, { description: 'The handoff on hold.' }) id: string, @Ctx() ctx: HandoffsContext): Promise<Handoff> {
    return resumeHandoff(ctx.db, ctx.identity, id);
  }

  @RequireScopes('handoffs:write')
  @Mutation(() => Task, {
    description:
      'Marks one of your handoff tasks done. Only its assignee (or an internal team) may (FORBIDDEN otherwise); a task already DONE is CONFLICT; a task of a handoff you are not part of is NOT_FOUND.',
  })
  completeTask(@Arg('id', () => ID, { description: 'The task’s id (see Handoff.tasks).' }) id: string, @Ctx() ctx: HandoffsContext): Promise<Task> {
    return completeTask(ctx.db, ctx.identity, id);
  }
}
