import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { Account } from 'oidc-provider';
import { DEV_OIDC_CLIENT } from '../shared/config';
import type { Logger } from '../shared/logger';

/**
 * A real OpenID provider for development and tests (oidc-provider), standing in for a
 * company's Okta, Entra or Google: its accounts are the people the runner gives it (the demo
 * people), and its login page lets you pick one with a click, or type any other address
 * (to see an unknown person refused). It is never started in production (shared/config.ts).
 */

/** Someone the dev provider can sign in. */
export interface DevAccount {
  email: string;
  name: string;
  /** Shown beside the name on the login page. */
  partnerName: string;
}

/** Options for {@link startDevOidcProvider}. */
export interface DevOidcProviderOptions {
  accounts: DevAccount[];
  host: string;
  port: number;
  log: Logger;
}

export interface DevOidcProvider {
  /** The issuer URL (discovery at /.well-known/openid-configuration). */
  issuer: string;
  stop(): Promise<void>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function loginPage(uid: string, accounts: DevAccount[]): string {
  const byPartner = new Map<string, DevAccount[]>();
  for (const a of accounts) byPartner.set(a.partnerName, [...(byPartner.get(a.partnerName) ?? []), a]);
  const groups = [...byPartner].map(
    ([partner, people]) =>
      `<fieldset><legend>${escapeHtml(partner)}</legend>${people
        .map((p) => `<button type="submit" name="email" value="${escapeHtml(p.email)}">${escapeHtml(p.name)} <small>${escapeHtml(p.email)}</small></button>`)
        .join('')}</fieldset>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dev sign-in</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}fieldset{margin:0 0 1rem;border:1px solid #ccd}button{display:block;margin:.3rem 0;padding:.4rem .8rem;text-align:left;cursor:pointer}small{color:#667}</style></head>
<body><h1>Development sign-in</h1><p>This stands in for your company’s identity provider. Pick a demo person:</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">${groups.join('')}</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/login"><label>Any other e-mail address <input name="email" type="email" required></label> <button type="submit" id="other">Sign in</button></form>
</body></html>`;
}

async function formField(req: IncomingMessage, name: string): Promise<string | undefined> {
  let body = '';
  for await (const chunk of req) {
    body += (chunk as Buffer).toString('utf8');
    if (body.length > 4096) return undefined;
  }
  return new URLSearchParams(body).get(name) ?? undefined;
}

/** Starts the provider on `host:port` (0: a free port); its client is {@link DEV_OIDC_CLIENT}. */
export async function startDevOidcProvider(opts: DevOidcProviderOptions): Promise<DevOidcProvider> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const issuer = `http://${opts.host}:${(server.address() as AddressInfo).port}`;
  const known = new Map(opts.accounts.map((a) => [a.email.toLowerCase(), a]));
  // A fresh signing key per start: ID tokens of an earlier run must not verify anyway.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  // Loaded only when the provider starts: on Node 20 oidc-provider warns at import time that it
  // prefers Node 22, and every process that merely imports the runner would print it.
  const { Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: `dev-${Date.now()}`, alg: 'RS256', use: 'sig' }] },
    clients: [
      {
        ...{ client_id: DEV_OIDC_CLIENT.clientId, client_secret: DEV_OIDC_CLIENT.clientSecret },
        // A native client's loopback redirect URIs match any port (RFC 8252), so the gateway
        // may listen wherever the runner put it.
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/auth/callback', 'http://localhost/auth/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // The account id is the address typed or picked: any address signs in here, and the hub decides.
    findAccount: async (_ctx, sub): Promise<Account> => ({
      accountId: sub,
      claims: async () => ({ sub, email: sub, email_verified: true, name: known.get(sub.toLowerCase())?.name ?? sub }),
    }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600 },
  });
  provider.on('server_error', (_ctx, err) => opts.log.error({ err: (err as Error).message }, 'dev OpenID provider error'));
  const handle = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (details.prompt.name === 'consent') {
      // The gateway is the hub's own first-party client: consent is granted without a screen.
      const grant = new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    }
    if (action === 'login' && req.method === 'POST') {
      const email = (await formField(req, 'email'))?.trim();
      if (!email) throw new Error('no e-mail address chosen');
      return provider.interactionFinished(req, res, { login: { accountId: email } }, { mergeWithLastSubmission: false });
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(loginPage(uid, opts.accounts));
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!match) return handle(req, res);
    interaction(req, res, match[1]!, match[2]).catch((err: unknown) => {
      opts.log.warn({ err: (err as Error).message }, 'dev sign-in interaction failed');
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('This sign-in has expired; start again from the hub.');
    });
  });
  opts.log.info({ issuer }, 'dev OpenID provider listening (development only)');
  return {
    issuer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
