import { heat, momentLabel, pct } from '../format';
import type { Row } from '../queries';

type Cell = Pick<Row, 'level' | 'partner' | 'moment' | 'proposed' | 'leakage'>;

/** Leakage rate (rejected + expired + cancelled + stalled, over proposed) by partner × moment. */
export function LeakageHeatmap({ rows }: { rows: Cell[] }) {
  // Dues nobody was accountable for come as a GROUP row without a partner: not a partner's cell.
  const groups = rows.filter((r) => r.level === 'GROUP' && r.partner);
  const moments = [...new Set(groups.map((r) => r.moment!))].sort();
  const partners = [...new Map(groups.map((r) => [r.partner!.id, r.partner!])).values()].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  if (groups.length === 0) return <p class="empty">No handoffs in this range.</p>;
  return (
    <table class="heatmap" data-testid="leakage-heatmap">
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
          <tr key={p.id}>
            <th>{p.name ?? p.id.slice(0, 8)}</th>
            {moments.map((m) => {
              const cell = groups.find((r) => r.partner!.id === p.id && r.moment === m);
              if (!cell)
                return (
                  <td key={m} class="none">
                    ·
                  </td>
                );
              const rate = cell.leakage.total.rate ?? 0;
              return (
                <td key={m} style={{ background: heat(1 - rate * 2.5) }} title={`${cell.leakage.total.count} of ${cell.proposed} handoffs leaked`}>
                  {pct(rate)}
                  <small>{cell.proposed}</small>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
