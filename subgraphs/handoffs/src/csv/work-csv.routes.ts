import type { Express, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { csvCaller, queryParam, refuseError, streamCsvExport, type CsvCell } from '../../../../shared/csv/csv-http';
import { withTenant } from '../../../../shared/db/tenant-context';
import { badUserInput, forbidden } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import { MAX_PAGE_SIZE } from '../../../../shared/graphql/pagination';
import type { Logger } from '../../../../shared/logger';
import { TaskState } from '../entities/enums';
import { taskState } from '../entities/task.entity';
import { createHandoffsLoaders } from '../loaders/handoffs.loaders';
import { partnerTasks } from '../services/task-list.service';

export const INBOX_EXPORT_PATH = '/export/inbox.csv';
export const TASKS_EXPORT_PATH = '/export/tasks.csv';

/** The inbox export's columns: the handoffs waiting for the partner (PROPOSED to it), oldest first, as Partner.inbox lists them. */
export const INBOX_EXPORT_COLUMNS = [
  'handoffId',
  'customerId',
  'customerName',
  'moment',
  'customMoment',
  'state',
  'fromPartnerId',
  'toPartnerId',
  'proposedAt',
  'requiredDataComplete',
  'onHold',
  'value.amount',
  'value.currency',
  'playbookVersion',
] as const;

/** The tasks export's columns: the partner's tasks, oldest first, as `tasks` lists them. */
export const TASKS_EXPORT_COLUMNS = [
  'taskId',
  'handoffId',
  'customerId',
  'title',
  'state',
  'dueAt',
  'createdAt',
  'completedAt',
  'assigneePartnerId',
  'assigneePersonId',
  'assigneeRole',
] as const;

const PAGE = 250;

/** Whose inbox: the caller's, or (internal teams) the one named; a partner naming another is FORBIDDEN, as Partner.inbox. */
function inboxOwner(identity: Identity, requested: string | undefined): string {
  const partnerId = requested ? assertId(requested, 'partnerId') : identity.partnerId;
  if (!partnerId) throw badUserInput('partnerId is required for a caller that acts for no partner', [{ field: 'partnerId', message: 'required' }]);
  if (partnerId !== identity.partnerId && !isInternal(identity)) throw forbidden(`Only partner ${partnerId} and internal teams can read its inbox`);
  return partnerId;
}

async function* inboxPages(db: DataSource, identity: Identity, partnerId: string): AsyncGenerator<CsvCell[][]> {
  let after: [string, string] | undefined;
  for (;;) {
    // A loader set per page, as per request: the page is one statement.
    const rows = await createHandoffsLoaders(db, identity).inbox.load({ partnerId, limit: PAGE, after });
    const page = rows.slice(0, PAGE);
    yield page.map((h) => [
      h.id,
      h.customerId,
      h.customerName,
      h.moment,
      h.customMoment,
      h.state,
      h.fromPartnerId,
      h.toPartnerId,
      h.proposedAt,
      h.requiredDataComplete,
      h.onHold,
      h.valueAmount,
      h.valueCurrency,
      h.playbookVersion,
    ]);
    if (rows.length <= PAGE) return;
    const last = page[page.length - 1]!;
    after = [last.proposedAt.toISOString(), last.id];
  }
}

async function* taskPages(db: DataSource, identity: Identity, partnerId: string | undefined, state: TaskState | undefined): AsyncGenerator<CsvCell[][]> {
  let after: string | undefined;
  for (;;) {
    // The list's own page limit: the export walks the pages `tasks` would give.
    const page = await partnerTasks(db, identity, partnerId, { first: MAX_PAGE_SIZE, after, state });
    yield page.edges.map(({ node: t }) => [
      t.id,
      t.handoffId,
      t.customerId,
      t.title,
      taskState(t),
      t.dueAt,
      t.createdAt,
      t.completedAt,
      t.assigneePartnerId,
      t.assigneePersonId,
      t.assigneeRole,
    ]);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}

/** The CSV exports of handoffs, beside /graphql; only the gateway reaches them, with the caller's signed identity. */
export function mountWorkCsvRoutes(app: Express, opts: { db: DataSource; identitySecret: string; log: Logger }): void {
  const { db, log } = opts;
  app.get(INBOX_EXPORT_PATH, (req: Request, res: Response) => {
    const identity = csvCaller(req, res, opts.identitySecret, 'handoffs:read');
    if (!identity) return;
    let partnerId: string;
    try {
      partnerId = inboxOwner(identity, queryParam(req, 'partnerId'));
    } catch (err) {
      return refuseError(res, err, log);
    }
    return withTenant(identity, () => streamCsvExport(res, 'inbox.csv', INBOX_EXPORT_COLUMNS, inboxPages(db, identity, partnerId), log));
  });
  app.get(TASKS_EXPORT_PATH, (req: Request, res: Response) => {
    const identity = csvCaller(req, res, opts.identitySecret, 'handoffs:read');
    if (!identity) return;
    const rawState = queryParam(req, 'state');
    if (rawState !== undefined && !(Object.values(TaskState) as string[]).includes(rawState)) {
      return refuseError(res, badUserInput(`state must be one of ${Object.values(TaskState).join(', ')}`, [{ field: 'state', message: 'unknown state' }]), log);
    }
    return withTenant(identity, () =>
      streamCsvExport(res, 'tasks.csv', TASKS_EXPORT_COLUMNS, taskPages(db, identity, queryParam(req, 'partnerId'), rawState as TaskState | undefined), log),
    );
  });
}
