import { duration, momentLabel, pct } from '../format';
import type { DueSummary, GapCount, Row, RuleDecisions } from '../queries';
import { ChartCanvas, PALETTE } from './chart';

/** Handoffs due per moment: open and overdue now, and how the window's dues ended. */
export function DuesByMoment({ rows }: { rows: DueSummary[] }) {
  if (rows.length === 0) return <p class="empty">No handoffs came due in this range.</p>;
  return (
    <>
      <ChartCanvas
        label="Handoffs due per moment: open and overdue now"
        config={{
          type: 'bar',
          data: {
            labels: rows.map((r) => momentLabel(r.moment)),
            datasets: [
              { label: 'Open, on time', data: rows.map((r) => r.open - r.overdue), backgroundColor: PALETTE[0] },
              { label: 'Overdue', data: rows.map((r) => r.overdue), backgroundColor: PALETTE[3] },
            ],
          },
          options: { maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } },
        }}
      />
      <table data-testid="dues-by-moment">
        <thead>
          <tr>
            <th>Moment</th>
            <th>Open</th>
            <th>Overdue</th>
            <th>Came due</th>
            <th>Proposed</th>
            <th>Dismissed</th>
            <th>Superseded</th>
            <th>Waiting longest</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.moment}:${r.customMoment ?? ''}`}>
              <th>{r.customMoment ?? momentLabel(r.moment)}</th>
              <td>{r.open}</td>
              <td class={r.overdue ? 'bad' : undefined}>{r.overdue}</td>
              <td>{r.opened}</td>
              <td>
                {r.proposed}
                <small>{pct(r.opened ? r.proposed / r.opened : null)}</small>
              </td>
              <td>{r.dismissed}</td>
              <td>{r.superseded}</td>
              <td>
                {r.oldestOpen ? (r.oldestOpen.customer?.name ?? '—') : '—'}
                {r.oldestOpen && <small>{duration((Date.now() - Date.parse(r.oldestOpen.stageMove.at)) / 1000)}</small>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

const ruleLabel = (d: RuleDecisions) =>
  [momentLabel(d.rule.moment), d.rule.customerSegment?.toLowerCase(), d.rule.customerRegion, d.rule.currentOwnerKind?.toLowerCase()]
    .filter(Boolean)
    .join(' · ');

/** Per routing rule: decisions, and each candidate's share against the share its weight asks for. */
export function RoutingView({ rules, names }: { rules: RuleDecisions[]; names: Map<string, string> }) {
  if (rules.length === 0) return <p class="empty">No routing rules.</p>;
  return (
    <table data-testid="routing-view">
      <thead>
        <tr>
          <th>Rule</th>
          <th>Strategy</th>
          <th>Routed</th>
          <th>Share per candidate (weight asks for)</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((d) => (
          <tr key={d.rule.id}>
            <th>
              {ruleLabel(d)} <small>v{d.rule.version}</small>
            </th>
            <td>{d.rule.strategies.join(' → ').toLowerCase()}</td>
            <td>{d.routed}</td>
            <td class="shares">
              {d.candidates.map((c) => (
                <span key={c.partnerId} class="share" title={`${c.chosen} of ${d.routed} routed; weight ${c.weight}`}>
                  {names.get(c.partnerId) ?? c.partner.name ?? c.partnerId.slice(0, 8)} {pct(c.share)} <small>({pct(c.weightShare)})</small>
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const GAP_LABELS: Record<string, string> = {
  NO_OWNER: 'No owner',
  OWNER_INACTIVE: 'Owner suspended or deactivated',
  HANDOFF_MISSING: 'Handoff missing for the stage',
  STALLED_HANDOFF: 'Handoff stalled past its SLA',
  STAGE_TOO_LONG: 'Too long in the stage',
  NO_ROUTE: 'Due, but routing found nobody',
};

/** No-owner zones: customers per rule the journey does not allow, and how long the oldest has waited. */
export function GapsByRule({ rows }: { rows: GapCount[] }) {
  return (
    <table data-testid="gaps-by-rule">
      <thead>
        <tr>
          <th>Rule</th>
          <th>Customers</th>
          <th>Waiting</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.rule} data-rule={r.rule}>
            <th>{GAP_LABELS[r.rule] ?? r.rule}</th>
            <td class={r.count ? 'bad' : undefined}>{r.count}</td>
            <td>{r.oldestSince ? duration((Date.now() - Date.parse(r.oldestSince)) / 1000) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Per moment, over the range's dues: how fast a handoff was proposed once due, and how many never were. */
export function TimeToPropose({ rows }: { rows: Pick<Row, 'moment' | 'dues' | 'velocity' | 'leakage'>[] }) {
  const due = rows.filter((r) => r.dues.cameDue > 0);
  if (due.length === 0) return <p class="empty">No handoffs came due in this range.</p>;
  return (
    <table data-testid="time-to-propose">
      <thead>
        <tr>
          <th>Moment</th>
          <th>Came due</th>
          <th>Proposed</th>
          <th>Median</th>
          <th>p90</th>
          <th>Never proposed</th>
        </tr>
      </thead>
      <tbody>
        {due.map((r) => (
          <tr key={r.moment ?? ''}>
            <th>{momentLabel(r.moment)}</th>
            <td>{r.dues.cameDue}</td>
            <td>{r.dues.proposed}</td>
            <td>{duration(r.velocity.timeToPropose.medianSeconds)}</td>
            <td>{duration(r.velocity.timeToPropose.p90Seconds)}</td>
            <td class={r.leakage.neverProposed.count ? 'bad' : undefined}>
              {r.leakage.neverProposed.count}
              <small>{pct(r.leakage.neverProposed.rate)}</small>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
