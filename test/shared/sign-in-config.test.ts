import { ConfigError, loadConfig } from '../../shared/config';
import { safeReturnTo } from '../../gateway/oidc-routes';
import { isLoopbackHost } from '../../gateway/session-auth';

const PROD = { NODE_ENV: 'production', HUB_IDENTITY_SECRET: 'x'.repeat(40) };
const ISSUER = { HUB_OIDC_ISSUER: 'https://login.example.com/', HUB_OIDC_CLIENT_ID: 'hub', HUB_OIDC_REDIRECT_URI: 'https://hub.example.com/auth/callback' };

describe('sign-in configuration', () => {
  it('runs the local dev provider in development by default, and not in tests unless asked', () => {
    expect(loadConfig({}).signIn.devProvider).toEqual({ port: 4010 });
    expect(loadConfig({ NODE_ENV: 'test' }).signIn.devProvider).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test', HUB_OIDC_DEV_PROVIDER: 'true', HUB_OIDC_DEV_PORT: '0' }).signIn.devProvider).toEqual({ port: 0 });
    // A real issuer replaces it.
    expect(loadConfig(ISSUER).signIn).toMatchObject({ devProvider: undefined, oidc: { issuer: ISSUER.HUB_OIDC_ISSUER, clientId: 'hub' } });
  });

  it('production refuses the dev provider and requires a real https issuer with a registered redirect URI', () => {
    expect(() => loadConfig({ ...PROD, HUB_OIDC_DEV_PROVIDER: 'true' })).toThrow(/dev provider is refused in production/);
    expect(() => loadConfig({ ...PROD, ...ISSUER, HUB_OIDC_ISSUER: 'http://login.example.com/' })).toThrow(/must be https/);
    expect(() => loadConfig({ ...PROD, ...ISSUER, HUB_OIDC_REDIRECT_URI: '' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...PROD, HUB_OIDC_ISSUER: ISSUER.HUB_OIDC_ISSUER, HUB_OIDC_CLIENT_ID: 'hub' })).toThrow(
      /HUB_OIDC_REDIRECT_URI: required in production/,
    );
    expect(() => loadConfig({ ...PROD, HUB_OIDC_ISSUER: ISSUER.HUB_OIDC_ISSUER })).toThrow(/HUB_OIDC_CLIENT_ID/);
    const ok = loadConfig({ ...PROD, ...ISSUER, HUB_SESSION_TTL_MINUTES: '60' }).signIn;
    expect(ok).toMatchObject({ devProvider: undefined, sessionTtlMs: 3_600_000, cookieName: 'hub_session', cookieSecure: 'auto' });
    // Without an issuer production simply has no sign-in (API keys and JWTs only).
    expect(loadConfig(PROD).signIn).toMatchObject({ oidc: undefined, devProvider: undefined });
  });

  it('returnTo stays on the hub', () => {
    expect(safeReturnTo('/dashboard/?x=1#y')).toBe('/dashboard/?x=1#y');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/x\n', '', null])
      expect(safeReturnTo(bad)).toBe('/dashboard/');
  });

  it('counts only loopback hosts as plain-HTTP development', () => {
    for (const host of ['localhost:4000', '127.0.0.1:4000', 'LOCALHOST', '[::1]:4000']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['hub.example.com', 'localhost.evil.example', '127.0.0.2', undefined]) expect(isLoopbackHost(host)).toBe(false);
  });
});
