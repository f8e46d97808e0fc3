import { heat, num } from '../format';
import type { Maturity } from '../queries';

const STAGES = ['', 'Ad hoc', 'Defined', 'Orchestrated'];

/** Partners × the five dimensions; hover a cell for the evidence that decided it. */
export function MaturityMatrix({ items, names }: { items: Maturity[]; names: Map<string, string> }) {
  const [first] = items;
  if (!first) return <p class="empty">No partners to assess.</p>;
  const dims = first.dimensions;
  return (
    <table class="matrix" data-testid="maturity-matrix">
      <thead>
        <tr>
          <th>Partner</th>
          {dims.map((d) => (
            <th key={d.dimension}>{d.label}</th>
          ))}
          <th>Overall</th>
        </tr>
      </thead>
      <tbody>
        {items.map((m) => (
          <tr key={m.partnerId}>
            <th>{names.get(m.partnerId) ?? m.partnerId.slice(0, 8)}</th>
            {m.dimensions.map((d) => (
              <td
                key={d.dimension}
                style={{ background: heat((d.stage - 1) / 2) }}
                title={`${d.rule}\n${d.evidence.map((e) => `${e.metric}: ${num(e.value, 2)} (n=${e.sampleSize})`).join('\n')}`}
              >
                {d.stage} · {STAGES[d.stage]}
              </td>
            ))}
            <td class="overall">{m.overallStage}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
