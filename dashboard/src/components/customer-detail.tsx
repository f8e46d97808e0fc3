import type { Credential } from '../api';
import { handoffHref } from '../deep-link';
import { enumLabel, handoffMomentLabel, utcTime } from '../format';
import { LookupPending, useRecord } from '../lookup';
import { formatMoney } from '../money';
import { CUSTOMER_QUERY, OPEN_HANDOFF_STATES, type CustomerDetailView, type MoneyValue } from '../work-queries';

const money = (m: MoneyValue | null) => (m ? formatMoney(m.amount, m.currency) : '—');

/**
 * One customer, opened from a notification's link (`?customer=<id>`), read with the person's
 * credential: a customer they may not see is not found; commercials show only where the API
 * gives them (internal teams and the owner).
 */
export function CustomerDetail({ credential, customerId }: { credential: Credential; customerId: string }) {
  const loaded = useRecord<CustomerDetailView>(credential, CUSTOMER_QUERY, 'customer', customerId, 'customer');
  if (loaded.status !== 'found') return <LookupPending lookup={loaded} label="Customer" />;
  const c = loaded.record;
  const open = c.handoffs.filter((h) => OPEN_HANDOFF_STATES.includes(h.state));
  return (
    <article class="detail" data-testid="customer-detail" data-customer-id={c.id}>
      <h2>{c.name}</h2>
      <dl>
        <dt>Stage</dt>
        <dd data-testid="customer-stage">{enumLabel(c.lifecycleStage)}</dd>
        <dt>Owner</dt>
        <dd>{c.owner?.name ?? 'Held directly by us'}</dd>
        <dt>Segment · region</dt>
        <dd>
          {enumLabel(c.segment)} · {c.region}
          {c.domain && ` · ${c.domain}`}
        </dd>
        <dt>Commercials</dt>
        <dd data-testid="customer-commercials">
          {c.commercials
            ? `ARR ${money(c.commercials.arr)} · pipeline ${money(c.commercials.pipelineValue)} · contract ${money(c.commercials.contractValue)}${
                c.commercials.contractTermMonths ? ` over ${c.commercials.contractTermMonths} months` : ''
              }${c.commercials.renewalDate ? ` · renews ${c.commercials.renewalDate}` : ''}`
            : 'Not shown: only the owner and internal teams see them (or none are recorded).'}
        </dd>
      </dl>
      <h3>Open handoffs</h3>
      {open.length === 0 ? (
        <p>No open handoff of this customer that you sent or received.</p>
      ) : (
        <ul data-testid="customer-handoffs">
          {open.map((h) => (
            <li>
              <a href={handoffHref(h.id)}>{handoffMomentLabel(h.moment, h.customMoment)}</a> · {enumLabel(h.state)} · {h.from?.name ?? 'us'} → {h.to.name} ·
              proposed {utcTime(h.proposedAt)}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
