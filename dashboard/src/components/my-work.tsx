import { useEffect, useState } from 'preact/hooks';
import { gql, type ApiError, type Credential } from '../api';
import { handoffHref } from '../deep-link';
import { handoffMomentLabel, utcTime } from '../format';
import { formatMoney } from '../money';
import {
  INBOX_QUERY,
  myTasksQuery,
  TASK_VIEWS,
  taskHandoffsQuery,
  type Inbox,
  type InboxHandoff,
  type MyTask,
  type TaskHandoff,
  type TaskPage,
  type TaskView,
} from '../work-queries';

interface Tasks {
  tasks: MyTask[];
  total: number;
  handoffs: Map<string, TaskHandoff>;
}

/**
 * A signed-in person's own work: the tasks `myTasks` gives them (by view) and the handoffs
 * waiting for their partner to accept or reject, most urgent first, each with its priority's
 * reasons. Only shown when the credential acts as a person (Viewer.person).
 */
export function MyWork({ credential }: { credential: Credential }) {
  const [view, setView] = useState<TaskView>('OPEN');
  const [tasks, setTasks] = useState<Tasks | null>(null);
  const [inbox, setInbox] = useState<Inbox['me']['partner'] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const filters = TASK_VIEWS.find((v) => v.view === view)!.filters;
    const variables = Object.fromEntries(filters.map((f, i) => [`f${i}`, f]));
    setError(null);
    gql<Record<string, TaskPage>>(credential, myTasksQuery(filters.length), variables)
      .then(async (pages) => {
        const list = filters.flatMap((_, i) => pages[`t${i}`]?.nodes ?? []);
        const total = filters.reduce((sum, _, i) => sum + (pages[`t${i}`]?.totalCount ?? 0), 0);
        // One lookup per distinct handoff, in one request, for the moment and the customer's name.
        const ids = [...new Set(list.map((t) => t.handoffId))];
        const found = ids.length
          ? await gql<Record<string, TaskHandoff | null>>(credential, taskHandoffsQuery(ids.length), Object.fromEntries(ids.map((id, i) => [`h${i}`, id])))
          : {};
        const handoffs = new Map(Object.values(found).flatMap((h) => (h ? [[h.id, h] as const] : [])));
        if (!cancelled) setTasks({ tasks: list, total, handoffs });
      })
      .catch((err: ApiError) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
  }, [credential, view]);

  useEffect(() => {
    let cancelled = false;
    gql<Inbox>(credential, INBOX_QUERY)
      .then((d) => !cancelled && setInbox(d.me.partner))
      .catch((err: ApiError) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
  }, [credential]);

  return (
    <section class="my-work" data-testid="my-work" aria-labelledby="my-work-title">
      <h2 id="my-work-title">My work</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="grid">
        <section class="panel">
          <h2>My tasks</h2>
          <label>
            Show{' '}
            <select name="taskView" value={view} onChange={(e) => setView((e.target as HTMLSelectElement).value as TaskView)} data-testid="task-view">
              {TASK_VIEWS.map((v) => (
                <option value={v.view}>{v.label}</option>
              ))}
            </select>
          </label>
          {tasks && <TaskTable tasks={tasks} />}
        </section>
        <section class="panel">
          <h2>{inbox ? `${inbox.name}’s inbox` : 'Inbox'}</h2>
          {inbox?.inbox && <InboxList handoffs={inbox.inbox.nodes} total={inbox.inbox.totalCount} />}
        </section>
      </div>
    </section>
  );
}

function TaskTable({ tasks }: { tasks: Tasks }) {
  if (tasks.tasks.length === 0) return <p data-testid="my-tasks-empty">No tasks here.</p>;
  return (
    <>
      <table data-testid="my-tasks">
        <thead>
          <tr>
            <th>Task</th>
            <th>Handoff</th>
            <th>Customer</th>
            <th>Due</th>
          </tr>
        </thead>
        <tbody>
          {tasks.tasks.map((t) => {
            const h = tasks.handoffs.get(t.handoffId);
            return (
              <tr data-task-id={t.id}>
                <td>
                  <a href={handoffHref(t.handoffId, t.id)}>{t.title}</a>
                </td>
                <td>{h ? handoffMomentLabel(h.moment, h.customMoment) : '—'}</td>
                <td>{h ? (h.customer?.name ?? h.customerName) : '—'}</td>
                <td>
                  {t.state === 'DONE' ? `done ${utcTime(t.completedAt)}` : utcTime(t.dueAt)}{' '}
                  {t.overdue && (
                    <span class="badge overdue" data-testid="overdue-badge">
                      overdue
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {tasks.total > tasks.tasks.length && (
        <p class="note">
          Showing {tasks.tasks.length} of {tasks.total}.
        </p>
      )}
    </>
  );
}

function InboxList({ handoffs, total }: { handoffs: InboxHandoff[]; total: number }) {
  if (handoffs.length === 0) return <p data-testid="inbox-empty">Nothing is waiting for your partner.</p>;
  return (
    <>
      <ol class="inbox" data-testid="inbox">
        {handoffs.map((h) => (
          <li data-handoff-id={h.id}>
            <a href={handoffHref(h.id)}>
              {h.customerName} · {handoffMomentLabel(h.moment, h.customMoment)}
            </a>{' '}
            <span class="score" title="Priority score, 0–1">
              priority {h.priority.score.toFixed(2)}
            </span>
            <div class="note">
              from {h.from?.name ?? 'us directly'} · proposed {utcTime(h.proposedAt)}
              {h.value && ` · ${formatMoney(h.value.amount, h.value.currency)}`}
            </div>
            <ul class="reasons">
              {h.priority.reasons.map((r) => (
                <li>{r}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      {total > handoffs.length && (
        <p class="note">
          The {handoffs.length} most urgent of {total}.
        </p>
      )}
    </>
  );
}
