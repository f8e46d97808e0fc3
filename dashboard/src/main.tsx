import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, csrfToken, gql, signOut, type Credential } from './api';
import { ChartCanvas, PALETTE } from './components/chart';
import { CsvPanel } from './components/csv';
import { CustomerDetail } from './components/customer-detail';
import { HandoffDetail } from './components/handoff-detail';
import { LeakageHeatmap } from './components/heatmap';
import { DuesByMoment, GapsByRule, RoutingView, TimeToPropose } from './components/journey';
import { MaturityMatrix } from './components/maturity';
import { MyWork } from './components/my-work';
import { NotificationSettings } from './components/notification-settings';
import { RevenueSection } from './components/revenue';
import { parseDeepLink, type DeepLink } from './deep-link';
import { duration, momentLabel, num, pct } from './format';
import {
  dashboardVariables,
  DASHBOARD_QUERY,
  JOURNEY_QUERY,
  ME_QUERY,
  maturityQuery,
  ROUTING_QUERY,
  type DueSummary,
  type GapCount,
  type Filters,
  type Maturity,
  type Row,
  type RuleDecisions,
} from './queries';

interface Me {
  role: string;
  partner: { id: string; name: string } | null;
  person: { id: string; name: string } | null;
}

interface Data {
  me: Me;
  byMoment: Row[];
  byPartnerMoment: Row[];
  byPartner: Row[];
  trend: Row[];
}

interface Journey {
  dues: DueSummary[];
  gaps: GapCount[];
  /** Null for a partner: routing rules are internal. */
  routing: RuleDecisions[] | null;
}

/** What /dashboard/config.json says (dashboard/server.ts). */
interface PageConfig {
  demoApiKey: string | null;
  /** Whether /auth/login signs people in (an OpenID provider is configured). */
  signIn: boolean;
  /** Development: an API key may be typed in (kept in memory only). */
  apiKeyEntry: boolean;
}

// Back to the same address after signing in, so a notification's link opens what it names.
const SIGN_IN_HREF = `/auth/login?returnTo=${encodeURIComponent(`/dashboard/${location.search}`)}`;

function App() {
  // A browser that signed in holds the readable CSRF cookie beside the HttpOnly session.
  const [credential, setCredential] = useState<Credential | null>(csrfToken() ? { kind: 'session' } : null);
  const [draftKey, setDraftKey] = useState('');
  const [config, setConfig] = useState<PageConfig>({ demoApiKey: null, signIn: false, apiKeyEntry: false });
  const [filters, setFilters] = useState<Filters>({ period: 'MONTH', segment: '', region: '' });
  const [data, setData] = useState<Data | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  // A notification's link (?handoff=…, ?customer=…) opens that record instead of the scorecards.
  const [deepLink] = useState<DeepLink | null>(() => parseDeepLink(location.search));
  const [maturity, setMaturity] = useState<Maturity[]>([]);
  const [journey, setJourney] = useState<Journey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    fetch('/dashboard/config.json')
      .then((r) => r.json())
      .then((c: PageConfig) => {
        setConfig(c);
        if (c.demoApiKey) setDraftKey((k) => k || c.demoApiKey!);
      })
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    if (!credential) return;
    const cred = credential;
    let cancelled = false;
    setLoading(true);
    setError(null);
    const fail = (err: ApiError) => {
      if (cancelled) return;
      if (err.code === 'UNAUTHENTICATED' && cred.kind === 'session') {
        setCredential(null);
        setData(null);
        setMe(null);
        return setError('Your sign-in has ended; please sign in again.');
      }
      setError(err.code === 'UNAUTHENTICATED' ? 'That API key was not accepted.' : err.message);
    };
    if (deepLink) {
      // The record's view asks for what it shows; the scorecards are not fetched.
      gql<{ me: Me }>(cred, ME_QUERY)
        .then((d) => !cancelled && setMe(d.me))
        .catch(fail)
        .finally(() => !cancelled && setLoading(false));
      return () => {
        cancelled = true;
      };
    }
    const { byMoment, byPartnerMoment, byPartner, trend } = dashboardVariables(filters);
    gql<Data>(cred, DASHBOARD_QUERY, { byMoment, byPartnerMoment, byPartner, trend })
      .then(async (d) => {
        // A GROUP row without a partner holds the dues nobody was accountable for: no partner view.
        const ids = d.byPartner.filter((r) => r.level === 'GROUP' && r.partner).map((r) => r.partner!.id);
        const window = { from: byMoment.from, to: byMoment.to };
        const [m, dues, routing] = await Promise.all([
          ids.length ? gql<Record<string, Maturity>>(cred, maturityQuery(ids)) : {},
          gql<{ handoffDueSummary: DueSummary[]; ownershipGapSummary: GapCount[] }>(cred, JOURNEY_QUERY, window),
          d.me.role === 'INTERNAL' ? gql<{ routingDecisions: RuleDecisions[] }>(cred, ROUTING_QUERY, window) : null,
        ]);
        if (cancelled) return;
        setData(d);
        setMe(d.me);
        setMaturity(Object.values(m));
        setJourney({ dues: dues.handoffDueSummary, gaps: dues.ownershipGapSummary, routing: routing?.routingDecisions ?? null });
      })
      .catch(fail)
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [credential, filters.period, filters.segment, filters.region]);

  const useKey = (e: Event) => {
    e.preventDefault();
    setCredential({ kind: 'apiKey', key: draftKey.trim() });
  };
  const leave = async () => {
    if (credential?.kind === 'session') await signOut().catch(() => undefined);
    setCredential(null);
    setData(null);
    setMe(null);
  };
  const signedIn = credential?.kind === 'session';

  return (
    <>
      <header>
        <h1>Partner Handoff Hub · Scorecards</h1>
        <div class="signin">
          {!signedIn && config.signIn && (
            <a class="button" href={SIGN_IN_HREF} data-testid="sign-in">
              Sign in
            </a>
          )}
          {!signedIn && config.apiKeyEntry && (
            <form onSubmit={useKey}>
              <label>
                or API key (development){' '}
                <input
                  name="apiKey"
                  type="password"
                  value={draftKey}
                  onInput={(e) => setDraftKey((e.target as HTMLInputElement).value)}
                  placeholder="hub_…"
                  autocomplete="off"
                />
              </label>
              <button type="submit">{credential ? 'Switch' : 'Use key'}</button>
            </form>
          )}
          {me && (
            <span class="who" data-testid="viewer">
              {me.person ? `${me.person.name} · ` : ''}
              {me.partner?.name ?? me.role} · {me.role.toLowerCase()}
            </span>
          )}
          {credential && (
            <button type="button" onClick={() => void leave()} data-testid="sign-out">
              Sign out
            </button>
          )}
        </div>
      </header>
      {credential && !deepLink && (
        <nav class="filters" aria-label="Filters">
          <label>
            Period
            <select
              name="period"
              value={filters.period}
              onChange={(e) => setFilters({ ...filters, period: (e.target as HTMLSelectElement).value as Filters['period'] })}
            >
              <option value="WEEK">Weekly (17 weeks)</option>
              <option value="MONTH">Monthly (5 months)</option>
              <option value="QUARTER">Quarterly (2 quarters)</option>
            </select>
          </label>
          <label>
            Segment
            <select name="segment" value={filters.segment} onChange={(e) => setFilters({ ...filters, segment: (e.target as HTMLSelectElement).value })}>
              <option value="">All segments</option>
              {['SMB', 'MID_MARKET', 'ENTERPRISE', 'STRATEGIC'].map((s) => (
                <option value={s}>{s.replace('_', '-').toLowerCase()}</option>
              ))}
            </select>
          </label>
          <label>
            Region
            <select name="region" value={filters.region} onChange={(e) => setFilters({ ...filters, region: (e.target as HTMLSelectElement).value })}>
              <option value="">All regions</option>
              {['NA', 'LATAM', 'EMEA', 'APAC'].map((r) => (
                <option value={r}>{r}</option>
              ))}
            </select>
          </label>
          {loading && <span class="loading">Loading…</span>}
        </nav>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!credential && !deepLink && (
        <p class="intro">Sign in with your company account to see your scorecards. Internal teams see every partner; a partner sees its own figures.</p>
      )}
      {!credential && deepLink && deepLink.kind !== 'invalid' && <p class="intro">Sign in with your company account to open this link.</p>}
      {deepLink && (
        <section class="deep-link" data-testid="deep-link">
          <a href="/dashboard/">← All of my work and scorecards</a>
          {deepLink.kind === 'invalid' && (
            <p class="error" role="alert" data-testid="invalid-link">
              {deepLink.message}
            </p>
          )}
          {credential && deepLink.kind === 'handoff' && <HandoffDetail credential={credential} handoffId={deepLink.handoffId} taskId={deepLink.taskId} />}
          {credential && deepLink.kind === 'customer' && <CustomerDetail credential={credential} customerId={deepLink.customerId} />}
        </section>
      )}
      {credential && !deepLink && me?.person && <MyWork credential={credential} />}
      {data && <Dashboard data={data} maturity={maturity} journey={journey} period={filters.period} />}
      {data && credential && <RevenueSection credential={credential} filters={filters} />}
      {credential && !deepLink && me?.person && <NotificationSettings credential={credential} personId={me.person.id} />}
      {credential && !deepLink && <CsvPanel credential={credential} />}
    </>
  );
}

function Dashboard({ data, maturity, journey, period }: { data: Data; maturity: Maturity[]; journey: Journey | null; period: string }) {
  const total = data.trend.find((r) => r.level === 'GRAND_TOTAL');
  const moments = data.byMoment.filter((r) => r.level === 'GROUP');
  const partners = data.byPartner.filter((r) => r.level === 'GROUP' && r.partner);
  const periods = data.trend.filter((r) => r.level === 'PERIOD_TOTAL');
  const names = new Map(partners.map((r) => [r.partner!.id, r.partner!.name ?? r.partner!.id]));
  const labels = moments.map((r) => momentLabel(r.moment));
  const hours = (s: number | null) => (s === null ? null : Math.round((s / 3600) * 10) / 10);
  return (
    <main>
      <section class="kpis" data-testid="kpis">
        <Kpi label="Handoffs proposed" value={String(total?.proposed ?? 0)} testid="kpi-proposed" />
        <Kpi label="Accepted" value={pct(total?.conversion.acceptRate)} />
        <Kpi label="Completed (of accepted)" value={pct(total?.conversion.completeRate)} />
        <Kpi label="Median time to accept" value={duration(total?.velocity.timeToAccept.medianSeconds)} />
        <Kpi label="Leakage" value={pct(total?.leakage.total.rate)} />
        <Kpi label="SLA attainment" value={pct(total?.sla.attainment)} />
        <Kpi label="Customer rating" value={num(total?.feedback.customer.averageRating)} />
      </section>
      <div class="grid">
        <Panel title="Funnel per moment">
          <ChartCanvas
            label="Proposed, accepted and completed handoffs per moment"
            config={{
              type: 'bar',
              data: {
                labels,
                datasets: [
                  { label: 'Proposed', data: moments.map((r) => r.proposed), backgroundColor: PALETTE[0] },
                  { label: 'Accepted', data: moments.map((r) => r.accepted), backgroundColor: PALETTE[5] },
                  { label: 'Completed', data: moments.map((r) => r.completed), backgroundColor: PALETTE[1] },
                ],
              },
              options: { maintainAspectRatio: false },
            }}
          />
        </Panel>
        <Panel title="Velocity (hours; business time where an SLA applied)">
          <ChartCanvas
            label="Median and p90 time to accept and to complete per moment"
            config={{
              type: 'bar',
              data: {
                labels,
                datasets: [
                  { label: 'Accept · median', data: moments.map((r) => hours(r.velocity.timeToAccept.medianSeconds)), backgroundColor: PALETTE[0] },
                  { label: 'Accept · p90', data: moments.map((r) => hours(r.velocity.timeToAccept.p90Seconds)), backgroundColor: '#93c5fd' },
                  { label: 'Complete · median', data: moments.map((r) => hours(r.velocity.timeToComplete.medianSeconds)), backgroundColor: PALETTE[4] },
                  { label: 'Complete · p90', data: moments.map((r) => hours(r.velocity.timeToComplete.p90Seconds)), backgroundColor: '#c4b5fd' },
                ],
              },
              options: { maintainAspectRatio: false, scales: { y: { type: 'linear', title: { display: true, text: 'hours' } } } },
            }}
          />
        </Panel>
        <Panel title="Leakage: partner × moment" wide>
          <LeakageHeatmap rows={data.byPartnerMoment} />
        </Panel>
        <Panel title={`SLA attainment and conversion per ${period.toLowerCase()}`}>
          <ChartCanvas
            label="SLA attainment and acceptance rate per period"
            config={{
              type: 'line',
              data: {
                labels: periods.map((r) => r.periodStart.slice(0, 10)),
                datasets: [
                  {
                    label: 'SLA attainment %',
                    data: periods.map((r) => (r.sla.attainment === null ? null : r.sla.attainment * 100)),
                    borderColor: PALETTE[1],
                    backgroundColor: PALETTE[1],
                  },
                  {
                    label: 'Accepted %',
                    data: periods.map((r) => (r.conversion.acceptRate === null ? null : r.conversion.acceptRate * 100)),
                    borderColor: PALETTE[0],
                    backgroundColor: PALETTE[0],
                  },
                ],
              },
              options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
            }}
          />
        </Panel>
        <Panel title="Feedback by source (average rating, 1–5)">
          <ChartCanvas
            label="Average feedback rating per partner and source"
            config={{
              type: 'bar',
              data: {
                labels: partners.map((r) => r.partner!.name ?? ''),
                datasets: [
                  { label: 'Customer', data: partners.map((r) => r.feedback.customer.averageRating), backgroundColor: PALETTE[2] },
                  { label: 'Internal', data: partners.map((r) => r.feedback.internal.averageRating), backgroundColor: PALETTE[0] },
                  { label: 'Partner', data: partners.map((r) => r.feedback.partner.averageRating), backgroundColor: PALETTE[4] },
                ],
              },
              options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 5 } } },
            }}
          />
        </Panel>
        <Panel title="Maturity matrix" wide>
          <MaturityMatrix items={maturity} names={names} />
        </Panel>
      </div>
      {journey && <JourneyPanel journey={journey} names={names} moments={moments} />}
    </main>
  );
}

/** The journey: handoffs that came due and whether someone acted, and how routing shares the work. */
function JourneyPanel({ journey, names, moments }: { journey: Journey; names: Map<string, string>; moments: Row[] }) {
  const open = journey.dues.reduce((a, r) => a + r.open, 0);
  const overdue = journey.dues.reduce((a, r) => a + r.overdue, 0);
  const gaps = journey.gaps.reduce((a, r) => a + r.count, 0);
  return (
    <section class="journey" data-testid="journey" aria-labelledby="journey-title">
      <h2 id="journey-title">Journey</h2>
      <section class="kpis">
        <Kpi label="Handoffs due now" value={String(open)} testid="kpi-due" />
        <Kpi label="Overdue" value={String(overdue)} testid="kpi-overdue" />
        <Kpi label="In a no-owner zone" value={String(gaps)} testid="kpi-gaps" />
      </section>
      <div class="grid">
        <Panel title="Handoffs due and overdue by moment">
          <DuesByMoment rows={journey.dues} />
        </Panel>
        <Panel title="No-owner zones: customers per rule the journey does not allow">
          <GapsByRule rows={journey.gaps} />
        </Panel>
        <Panel title="Time to propose once due, and dues never proposed, per moment">
          <TimeToPropose rows={moments} />
        </Panel>
        {journey.routing && (
          <Panel title="Routing: decisions per rule, share per candidate against its weight">
            <RoutingView rules={journey.routing} names={names} />
          </Panel>
        )}
      </div>
    </section>
  );
}

const Kpi = ({ label, value, testid }: { label: string; value: string; testid?: string }) => (
  <div class="kpi">
    <span class="value" data-testid={testid}>
      {value}
    </span>
    <span class="label">{label}</span>
  </div>
);

const Panel = ({ title, wide, children }: { title: string; wide?: boolean; children: preact.ComponentChildren }) => (
  <section class={wide ? 'panel wide' : 'panel'}>
    <h2>{title}</h2>
    {children}
  </section>
);

render(<App />, document.getElementById('app')!);
