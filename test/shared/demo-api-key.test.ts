import { loadConfig } from '../../shared/config';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';

/** The gateway pre-fills GraphiQL and the dashboard from configuration, not from accounts' code. */
describe('HUB_DEMO_API_KEY', () => {
  it('defaults to the internal key the demo data creates', () => {
    expect(loadConfig({}).demoApiKey).toBe(DEMO_PARTNERS[0].apiKey);
  });

  it('is unset in production, without demo data, or when set empty', () => {
    expect(loadConfig({ NODE_ENV: 'production', HUB_IDENTITY_SECRET: 'x'.repeat(32), HUB_DEMO_API_KEY: 'hub_demo_acme_reseller' }).demoApiKey).toBeUndefined();
    expect(loadConfig({ HUB_SEED_DEMO: 'false' }).demoApiKey).toBeUndefined();
    expect(loadConfig({ HUB_DEMO_API_KEY: '' }).demoApiKey).toBeUndefined();
  });

  it('takes another key when set', () => {
    expect(loadConfig({ HUB_DEMO_API_KEY: 'hub_demo_acme_reseller' }).demoApiKey).toBe('hub_demo_acme_reseller');
  });
});
