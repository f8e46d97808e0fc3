import type { Credential } from '../api';
import { customerHref } from '../deep-link';
import { enumLabel, handoffMomentLabel, utcTime } from '../format';
import { LookupPending, useRecord } from '../lookup';
import { formatMoney } from '../money';
import { HANDOFF_QUERY, type HandoffDetailView } from '../work-queries';

/**
 * One handoff, opened from a notification's link (`?handoff=<id>`, optionally `&task=<id>`),
 * read through the API with the person's own credential: a handoff they may not see comes
 * back null (NOT_FOUND) and shows as not found, with nothing of it on the page.
 */
export function HandoffDetail({ credential, handoffId, taskId }: { credential: Credential; handoffId: string; taskId: string | null }) {
  const loaded = useRecord<HandoffDetailView>(credential, HANDOFF_QUERY, 'handoff', handoffId, 'handoff');
  if (loaded.status !== 'found') return <LookupPending lookup={loaded} label="Handoff" />;
  const h = loaded.record;
  const taskMissing = taskId !== null && !h.tasks.some((t) => t.id === taskId);
  return (
    <article class="detail" data-testid="handoff-detail" data-handoff-id={h.id}>
      <h2>
        {h.customer?.name ?? h.customerName} · {handoffMomentLabel(h.moment, h.customMoment)}
      </h2>
      <dl>
        <dt>State</dt>
        <dd data-testid="handoff-state">
          {enumLabel(h.state)}
          {h.onHold && ` · on hold${h.holdReason ? `: ${h.holdReason}` : ''}`}
          {h.reason && ` · ${h.reason}`}
        </dd>
        <dt>From</dt>
        <dd>{h.from?.name ?? 'Held directly by us'}</dd>
        <dt>To</dt>
        <dd data-testid="handoff-to">{h.to.name}</dd>
        <dt>Customer</dt>
        <dd>
          {h.customer ? (
            <a href={customerHref(h.customer.id)}>
              {h.customer.name} ({enumLabel(h.customer.lifecycleStage)})
            </a>
          ) : (
            `${h.customerName} (the record opens once the handoff is accepted)`
          )}
        </dd>
        <dt>Value</dt>
        <dd>{h.value ? `${formatMoney(h.value.amount, h.value.currency)}${h.valueSource ? ` (from ${enumLabel(h.valueSource)})` : ''}` : '—'}</dd>
        <dt>Priority</dt>
        <dd>
          <span data-testid="handoff-priority">{h.priority.score.toFixed(2)}</span>
          <ul class="reasons">
            {h.priority.reasons.map((r) => (
              <li>{r}</li>
            ))}
          </ul>
        </dd>
        <dt>Timeline</dt>
        <dd>
          proposed {utcTime(h.proposedAt)}
          {h.acceptedAt && ` · accepted ${utcTime(h.acceptedAt)}`}
          {h.completedAt && ` · completed ${utcTime(h.completedAt)}`}
          {h.closedAt && ` · closed ${utcTime(h.closedAt)}`}
        </dd>
      </dl>
      <h3>SLA clocks</h3>
      {h.slaClocks.length === 0 ? (
        <p>No SLA policy covers this handoff.</p>
      ) : (
        <table data-testid="sla-clocks">
          <thead>
            <tr>
              <th>Target</th>
              <th>State</th>
              <th>Due</th>
              <th>Used</th>
              <th>Left</th>
            </tr>
          </thead>
          <tbody>
            {h.slaClocks.map((c) => (
              <tr>
                <td>{enumLabel(c.target)}</td>
                <td>
                  {enumLabel(c.state)}
                  {c.pausedSince && ' (paused)'}
                </td>
                <td>{c.breachedAt ? `breached ${utcTime(c.breachedAt)}` : c.stoppedAt ? `stopped ${utcTime(c.stoppedAt)}` : utcTime(c.dueAt)}</td>
                <td>{c.businessTimeElapsed}</td>
                <td>{c.businessTimeRemaining}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Tasks</h3>
      {taskMissing && (
        <p class="error" role="alert" data-testid="task-not-found">
          The task this link names is not on this handoff (or not yours to see).
        </p>
      )}
      {h.tasks.length === 0 ? (
        <p>No tasks yet: the receiver gets the playbook’s tasks when it accepts.</p>
      ) : (
        <ul class="tasks" data-testid="handoff-tasks">
          {h.tasks.map((t) => (
            <li data-task-id={t.id} class={t.id === taskId ? 'highlight' : undefined} aria-current={t.id === taskId ? 'true' : undefined}>
              {t.title} · {enumLabel(t.state)} · {t.state === 'DONE' ? `done ${utcTime(t.completedAt)}` : `due ${utcTime(t.dueAt)}`}
              {t.assignee && ` · ${t.assignee.name}`}
            </li>
          ))}
        </ul>
      )}
      <h3>What the customer experiences</h3>
      {h.customerActions.length === 0 ? (
        <p>The playbook names no customer-facing actions.</p>
      ) : (
        <ul data-testid="customer-actions">
          {h.customerActions.map((a) => (
            <li>
              {a.action} · {a.status === 'DONE' ? `done ${utcTime(a.doneAt)}` : 'open'}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
