import { parse as parseCookie } from 'cookie';

/** A Set-Cookie header, parsed: its value and attributes (lower-case names). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair, ...attrs] = header.split(';').map((s) => s.trim());
  const eq = pair!.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const a of attrs) {
    const i = a.indexOf('=');
    if (i === -1) attributes[a.toLowerCase()] = true;
    else attributes[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
  }
  return { name: pair!.slice(0, eq), value: decodeURIComponent(pair!.slice(eq + 1)), attributes };
}

/**
 * What a browser does on the sign-in's round trips, with nothing faked: follows redirects by
 * hand, keeps cookies per host (as browsers do, ports aside) and honours Max-Age=0 and Path.
 */
export class BrowserLike {
  private readonly jar = new Map<string, Map<string, { value: string; path: string }>>();
  /** Every Set-Cookie the gateway or provider sent, in order. */
  readonly setCookies: SetCookie[] = [];

  cookies(url: string): Record<string, string> {
    const { hostname, pathname } = new URL(url);
    const out: Record<string, string> = {};
    for (const [name, c] of this.jar.get(hostname) ?? []) if (pathname.startsWith(c.path)) out[name] = c.value;
    return out;
  }

  cookieHeader(url: string): string {
    return Object.entries(this.cookies(url))
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('; ');
  }

  /** Replaces one cookie's value (to tamper with it). */
  setCookie(url: string, name: string, value: string, path = '/'): void {
    const host = new URL(url).hostname;
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, { value, path });
  }

  async request(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const cookie = this.cookieHeader(url);
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers },
      body: init.body,
    });
    const host = new URL(url).hostname;
    for (const header of res.headers.getSetCookie()) {
      const c = parseSetCookie(header);
      this.setCookies.push(c);
      if (!this.jar.has(host)) this.jar.set(host, new Map());
      const path = typeof c.attributes.path === 'string' ? c.attributes.path : '/';
      if (c.attributes['max-age'] === '0' || c.value === '') this.jar.get(host)!.delete(c.name);
      else this.jar.get(host)!.set(c.name, { value: c.value, path });
    }
    return res;
  }

  /** GETs `url` and follows every redirect; the last response (not a redirect). */
  async follow(url: string, init: { method?: string; body?: string } = {}): Promise<{ res: Response; url: string }> {
    let current = url;
    let res = await this.request(current, init);
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      if (hops > 10) throw new Error('too many redirects');
      current = new URL(res.headers.get('location')!, current).href;
      res = await this.request(current);
    }
    return { res, url: current };
  }
}

/**
 * Signs in through the real flow: the gateway's /auth/login, the dev provider's login page
 * (the form a person submits), back to the gateway's callback. Returns the browser, the
 * callback's final response and where it ended.
 */
export async function signInAs(
  gatewayUrl: string,
  email: string,
  query = 'returnTo=%2Fdashboard%2F',
): Promise<{ browser: BrowserLike; res: Response; url: string }> {
  const browser = new BrowserLike();
  const origin = new URL(gatewayUrl).origin;
  const { res: loginPage, url: pageUrl } = await browser.follow(`${origin}/auth/login?${query}`);
  if (loginPage.status !== 200) throw new Error(`the provider's login page answered ${loginPage.status}`);
  const html = await loginPage.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!action) throw new Error(`no login form on ${pageUrl}`);
  // Stop at the hub's own pages: the callback's redirect lands there.
  let res = await browser.request(new URL(action, pageUrl).href, { method: 'POST', body: new URLSearchParams({ email }).toString() });
  let current = new URL(action, pageUrl).href;
  while (res.status >= 300 && res.status < 400) {
    current = new URL(res.headers.get('location')!, current).href;
    if (new URL(current).origin === origin && !new URL(current).pathname.startsWith('/auth/')) break;
    res = await browser.request(current);
  }
  return { browser, res, url: current };
}

/** The cookie value named `name` a test holds after {@link signInAs}. */
export const cookieOf = (browser: BrowserLike, url: string, name: string): string | undefined => parseCookie(browser.cookieHeader(url))[name];
