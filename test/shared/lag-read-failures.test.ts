import { registerLagSource, registry } from '../../shared/observability/metrics';

/**
 * A lag read that fails leaves the lag gauges without its consumers' series for that scrape;
 * hub_eventlog_consumer_lag_read_failures_total counts it, so an alert sees the failure
 * instead of a series that silently went missing. The other sources still report.
 */
describe('event-log lag read failures', () => {
  const unregister: (() => void)[] = [];
  afterEach(() => unregister.splice(0).forEach((u) => u()));

  const sample = (text: string, line: RegExp) => {
    const m = text.split('\n').find((l) => line.test(l));
    return m === undefined ? undefined : Number(m.split(' ').pop());
  };

  it('counts every scrape whose lag read failed, in that scrape, and still reports the sources that answered', async () => {
    unregister.push(registerLagSource(async () => [{ consumer: 'test.healthy', events: 3, seconds: 1.5 }]));
    const before = sample(await registry.metrics(), /^hub_eventlog_consumer_lag_read_failures_total /)!;
    unregister.push(
      registerLagSource(async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      }),
    );
    for (let i = 1; i <= 2; i++) {
      const text = await registry.metrics();
      expect(sample(text, /^hub_eventlog_consumer_lag_events\{consumer="test\.healthy"\} /)).toBe(3);
      expect(sample(text, /^hub_eventlog_consumer_lag_seconds\{consumer="test\.healthy"\} /)).toBe(1.5);
      // Both lag gauges share one read per scrape: one failure per scrape, not per gauge.
      expect(sample(text, /^hub_eventlog_consumer_lag_read_failures_total /)).toBe(before + i);
    }
  });

  it('counts nothing while every lag read answers', async () => {
    unregister.push(registerLagSource(async () => []));
    const before = sample(await registry.metrics(), /^hub_eventlog_consumer_lag_read_failures_total /);
    expect(sample(await registry.metrics(), /^hub_eventlog_consumer_lag_read_failures_total /)).toBe(before);
  });
});
