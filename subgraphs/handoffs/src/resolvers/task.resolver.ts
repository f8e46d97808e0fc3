import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RequireScopes } from '../../../../shared/auth/scopes';
import { AFTER_DESCRIPTION, ConnectionType, FIRST_DESCRIPTION, type Connection } from '../../../../shared/graphql/pagination';
import type { HandoffsContext } from '../context';
import { TaskState } from '../entities/enums';
import { personRef, PersonRef } from '../entities/person.stub';
import { isOverdue, Task, taskState } from '../entities/task.entity';
import { myTasks, partnerTasks, type TaskQuery } from '../services/task-list.service';
import { assignTask } from '../services/task.service';
import { TaskFilter } from './task.inputs';

export const TaskConnection = ConnectionType(Task, 'Task');

const query = (filter: TaskFilter | undefined, first: number | undefined, after: string | undefined): TaskQuery => ({
  state: filter?.state,
  dueWithin: filter?.dueWithin,
  overdue: filter?.overdue,
  first,
  after,
});

/** Tasks for people (docs/people.md): who does each, what is due, what is late. */
@Resolver(() => Task)
export class TaskResolver {
  @FieldResolver(() => PersonRef, {
    nullable: true,
    description:
      "The person doing it: a person of the assignee partner, or null while it is the partner's to assign. Resolved by accounts: visible to that partner and internal teams.",
  })
  assignee(@Root() t: Task): PersonRef | null {
    return personRef(t.assigneePersonId);
  }

  @FieldResolver(() => Boolean, { description: 'Open past its due time, now (a TaskOverdue event is appended once when it passes).' })
  overdue(@Root() t: Task): boolean {
    return isOverdue(t);
  }

  @FieldResolver(() => TaskState, { description: 'OPEN, OVERDUE (open past its due time, now) or DONE.' })
  state(@Root() t: Task): TaskState {
    return taskState(t);
  }

  @Query(() => TaskConnection, {
    description:
      'The calling person’s tasks, oldest first. Needs a credential bound to a person (an API key created with personId); FORBIDDEN for a partner-wide one.',
  })
  @RequireScopes('handoffs:read')
  myTasks(
    @Ctx() ctx: HandoffsContext,
    @Arg('filter', () => TaskFilter, { nullable: true, description: 'State, due window, overdue.' }) filter?: TaskFilter,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<Task>> {
    return myTasks(ctx.db, ctx.identity, query(filter, first, after));
  }

  @Query(() => TaskConnection, {
    description: "A partner's tasks (those it must do), oldest first. A partner lists only its own (FORBIDDEN otherwise); internal teams any partner's.",
  })
  @RequireScopes('handoffs:read')
  tasks(
    @Ctx() ctx: HandoffsContext,
    @Arg('partnerId', () => ID, { nullable: true, description: 'Whose tasks; default: the caller’s partner.' }) partnerId?: string,
    @Arg('filter', () => TaskFilter, { nullable: true, description: 'State, due window, overdue.' }) filter?: TaskFilter,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<Task>> {
    return partnerTasks(ctx.db, ctx.identity, partnerId, query(filter, first, after));
  }

  @Mutation(() => Task, {
    description:
      "Gives a task to a person of its assignee partner; writes TaskAssigned (the same person again changes nothing). By that partner (any of its credentials, its people's included) or an internal team: FORBIDDEN for anyone else who sees the task, NOT_FOUND for who does not. BAD_USER_INPUT when the person is not an ACTIVE person of the task's partner (a person of another partner reads as unknown); CONFLICT for a DONE task.",
  })
  @RequireScopes('handoffs:write')
  assignTask(
    @Arg('taskId', () => ID, { description: 'The task (see Handoff.tasks, tasks).' }) taskId: string,
    @Arg('personId', () => ID, { description: 'An ACTIVE person of the task’s partner (see people).' }) personId: string,
    @Ctx() ctx: HandoffsContext,
  ): Promise<Task> {
    return assignTask(ctx.db, ctx.identity, taskId, personId);
  }
}
