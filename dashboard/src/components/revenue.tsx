import { useEffect, useState } from 'preact/hooks';
import { ApiError, gql, type Credential } from '../api';
import { heat, momentLabel } from '../format';
import { formatMoney, formatRatio, isZero, share } from '../money';
import { dashboardVariables, type Filters } from '../queries';
import { REVENUE_QUERY, revenueVariables, type RetentionRow, type RevenueData, type Unconvertible, type Value, type ValueRow } from '../revenue-queries';

/**
 * The money views (docs/revenue.md, "Dashboard"): value beside the counts, in the hub's
 * reporting currency. It asks for its own figures (one request), with the filters the rest
 * of the dashboard uses. A part without an exchange rate is shown as such, with its
 * currency and native amount, never as 0 nor converted at 1.
 */
export function RevenueSection({ credential, filters }: { credential: Credential; filters: Filters }) {
  const [data, setData] = useState<RevenueData | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    const { groupBy: _g, collapsePeriods: _c, ...range } = dashboardVariables(filters).byMoment;
    gql<RevenueData>(credential, REVENUE_QUERY, revenueVariables(range, filters))
      .then((d) => !cancelled && setData(d))
      .catch((err: ApiError) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
  }, [credential, filters.period, filters.segment, filters.region]);

  if (error)
    return (
      <p class="error" role="alert">
        Revenue: {error}
      </p>
    );
  if (!data) return null;
  const total = data.total.find((r) => r.level === 'GRAND_TOTAL') ?? null;
  const moments = data.valueByMoment.filter((r) => r.level === 'GROUP');
  return (
    <section class="revenue" data-testid="revenue" aria-labelledby="revenue-title">
      <h2 id="revenue-title">
        Revenue{' '}
        <small data-testid="reporting-currency">
          {data.reportingCurrency ? `in ${data.reportingCurrency}` : 'no reporting currency set: no figure converts'}
        </small>
      </h2>
      {total && (
        <section class="kpis">
          <MoneyKpi label="Value proposed" value={total.value} amount={total.value.proposed} figure="PROPOSED" testid="kpi-value-proposed" />
          <MoneyKpi label="Value completed" value={total.value} amount={total.value.completed} figure="COMPLETED" testid="kpi-value-completed" />
          <MoneyKpi label="Value leaked" value={total.value} amount={total.value.leakage.total} figure={LEAKED} testid="kpi-value-leaked" />
          <MoneyKpi label="Revenue at risk now" value={total.value} amount={total.value.revenueAtRisk} figure="REVENUE_AT_RISK" testid="kpi-revenue-at-risk" />
        </section>
      )}
      <div class="grid">
        <section class="panel wide">
          <h2>Value funnel per moment (proposed → accepted → completed)</h2>
          <ValueFunnel rows={moments} />
        </section>
        <section class="panel wide">
          <h2>Leakage in money: partner × moment</h2>
          <ValueLeakageHeatmap rows={data.valueByPartnerMoment} />
        </section>
        <section class="panel wide">
          <h2>Net and gross revenue retention per partner and quarter</h2>
          <RetentionTable rows={data.retentionByPeriod} column={(r) => quarterOf(r.periodStart)} testid="retention-by-period" />
        </section>
        <section class="panel wide">
          <h2>Net revenue retention per partner and cohort (the quarter the customer was handed over)</h2>
          <RetentionTable rows={data.retentionByCohort} column={(r) => r.cohort ?? '—'} testid="retention-by-cohort" />
        </section>
      </div>
    </section>
  );
}

/** "2026-04-01T00:00:00.000Z" → "2026-Q2" (the quarter a retention period starts in). */
const quarterOf = (iso: string) => `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;

const LEAKED: Unconvertible['figure'][] = ['REJECTED', 'EXPIRED', 'CANCELLED', 'STALLED'];

/**
 * One money figure: the converted amount, and beside it what could not be converted
 * (currency and native amount). Nothing converted and something left out: only the latter.
 */
function Figure({ value, amount, figure }: { value: Value; amount: string; figure: Unconvertible['figure'] | Unconvertible['figure'][] }) {
  const figures = Array.isArray(figure) ? figure : [figure];
  const missing = value.unconvertible.filter((u) => figures.includes(u.figure));
  const rc = value.reportingCurrency;
  const converted = rc && !(isZero(amount) && missing.length > 0) ? formatMoney(amount, rc) : null;
  return (
    <span class="money" data-amount={converted ? amount : undefined}>
      {converted}
      {missing.length > 0 && (
        <span class="unconvertible" data-testid="unconvertible" title={`No exchange rate into ${rc ?? 'a reporting currency'} for these on their days`}>
          {converted ? ' + ' : ''}
          {missing.map((u) => `${formatMoney(u.amount, u.currency)} not convertible (${u.handoffs})`).join(', ')}
        </span>
      )}
      {!converted && missing.length === 0 && '—'}
    </span>
  );
}

function MoneyKpi({
  label,
  value,
  amount,
  figure,
  testid,
}: {
  label: string;
  value: Value;
  amount: string;
  figure: Unconvertible['figure'] | Unconvertible['figure'][];
  testid: string;
}) {
  return (
    <div class="kpi">
      <span class="value" data-testid={testid}>
        <Figure value={value} amount={amount} figure={figure} />
      </span>
      <span class="label">{label}</span>
    </div>
  );
}

/** Per moment: the value proposed, accepted and completed, as bars against the largest proposed value. */
function ValueFunnel({ rows }: { rows: ValueRow[] }) {
  if (rows.length === 0) return <p class="empty">No handoffs in this range.</p>;
  const max = rows.reduce((m, r) => Math.max(m, Number(r.value.proposed)), 0);
  const bar = (amount: string, color: string) => (
    <span class="bar" style={{ width: `${Math.round((max > 0 ? Number(amount) / max : 0) * 100)}%`, background: color }} />
  );
  return (
    <table class="value-funnel" data-testid="value-funnel">
      <thead>
        <tr>
          <th>Moment</th>
          <th>Proposed</th>
          <th>Accepted</th>
          <th>Completed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.moment ?? 'all'} data-moment={r.moment ?? ''}>
            <th>
              {momentLabel(r.moment)} <small>{r.value.valuedHandoffs} valued</small>
            </th>
            <td data-figure="proposed">
              {bar(r.value.proposed, '#2563eb')}
              <Figure value={r.value} amount={r.value.proposed} figure="PROPOSED" />
            </td>
            <td data-figure="accepted">
              {bar(r.value.accepted, '#0891b2')}
              <Figure value={r.value} amount={r.value.accepted} figure="ACCEPTED" />
            </td>
            <td data-figure="completed">
              {bar(r.value.completed, '#16a34a')}
              <Figure value={r.value} amount={r.value.completed} figure="COMPLETED" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Value leaked (rejected + expired + cancelled + stalled) by partner × moment, shaded by its share of the value proposed. */
function ValueLeakageHeatmap({ rows }: { rows: ValueRow[] }) {
  const groups = rows.filter((r) => r.level === 'GROUP' && r.partner);
  if (groups.length === 0) return <p class="empty">No handoffs in this range.</p>;
  const moments = [...new Set(groups.map((r) => r.moment!))].sort();
  const partners = [...new Map(groups.map((r) => [r.partner!.id, r.partner!])).values()].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  return (
    <table class="heatmap" data-testid="value-leakage-heatmap">
      <thead>
        <tr>
          <th>Partner</th>
          {moments.map((m) => (
            <th key={m}>{momentLabel(m)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {partners.map((p) => (
          <tr key={p.id} data-partner={p.id}>
            <th>{p.name ?? p.id.slice(0, 8)}</th>
            {moments.map((m) => {
              const cell = groups.find((r) => r.partner!.id === p.id && r.moment === m);
              if (!cell)
                return (
                  <td key={m} class="none">
                    ·
                  </td>
                );
              const leaked = share(cell.value.leakage.total, cell.value.proposed);
              return (
                <td
                  key={m}
                  data-moment={m}
                  style={{ background: leaked === null ? undefined : heat(1 - leaked * 2.5) }}
                  title={`${cell.proposed} handoffs, ${cell.value.valuedHandoffs} with a value`}
                >
                  <Figure value={cell.value} amount={cell.value.leakage.total} figure={LEAKED} />
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * NRR and GRR per partner (one line per partner and currency: retention never converts) and
 * per column (a quarter, or a cohort). Periods held directly are internal teams' only.
 */
function RetentionTable({ rows, column, testid }: { rows: RetentionRow[]; column: (r: RetentionRow) => string; testid: string }) {
  const counted = rows.filter((r) => r.customers > 0 && r.currency);
  if (counted.length === 0) return <p class="empty">No customer with ARR before these periods.</p>;
  const columns = [...new Set(counted.map(column))].sort();
  const who = (r: RetentionRow) => (r.heldDirectly ? 'Held directly' : (r.partner?.name ?? r.partnerId ?? 'All'));
  const lines = [...new Map(counted.map((r) => [`${who(r)}|${r.currency}`, { who: who(r), currency: r.currency!, partnerId: r.partnerId }])).values()].sort(
    (a, b) => a.who.localeCompare(b.who) || a.currency.localeCompare(b.currency),
  );
  return (
    <table class="retention" data-testid={testid}>
      <thead>
        <tr>
          <th>Partner</th>
          <th>Currency</th>
          {columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={`${l.who}|${l.currency}`} data-partner={l.partnerId ?? ''} data-currency={l.currency}>
            <th>{l.who}</th>
            <td>{l.currency}</td>
            {columns.map((c) => {
              const r = counted.find((x) => who(x) === l.who && x.currency === l.currency && column(x) === c);
              if (!r)
                return (
                  <td key={c} class="none">
                    ·
                  </td>
                );
              const nrr = r.netRevenueRetention === null ? null : Number(r.netRevenueRetention);
              return (
                <td
                  key={c}
                  data-column={c}
                  data-nrr={r.netRevenueRetention ?? ''}
                  style={{ background: nrr === null ? undefined : heat(nrr - 0.5) }}
                  title={`${r.customers} customers; starting ARR ${r.startingArr ? formatMoney(r.startingArr.amount, r.startingArr.currency) : '—'}, ending ${r.endingArr ? formatMoney(r.endingArr.amount, r.endingArr.currency) : '—'}`}
                >
                  NRR {formatRatio(r.netRevenueRetention)}
                  <small>GRR {formatRatio(r.grossRevenueRetention)}</small>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
