import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { addressAllowed, classifyAddress, guardedLookup, type TargetPolicy } from './url-guard';

/** What one HTTP attempt came to. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

/** Options for {@link HttpSender}. */
export interface HttpSenderOptions {
  policy: TargetPolicy;
  /** A 2xx must arrive within this many milliseconds. */
  timeoutMs: number;
}

/**
 * POSTs one delivery. Only a 2xx status within the timeout counts; redirects are not
 * followed (a redirect could point anywhere, including inside our network). Connections
 * are kept alive per process, and every new connection re-checks the target address.
 */
export class HttpSender {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly opts: HttpSenderOptions) {}

  send(rawUrl: string, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    const started = performance.now();
    const done = (statusCode: number | null, error: string | null): AttemptResult => ({
      ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
      statusCode,
      latencyMs: Math.round(performance.now() - started),
      error: error ?? (statusCode !== null && (statusCode < 200 || statusCode >= 300) ? `HTTP ${statusCode}` : null),
    });
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      return Promise.resolve(done(null, 'invalid URL'));
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !addressAllowed(host, this.opts.policy)) {
      return Promise.resolve(done(null, `refused to connect to ${classifyAddress(host)} address ${host}`));
    }
    const secure = url.protocol === 'https:';
    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      const finish = (r: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const req = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          lookup: guardedLookup(this.opts.policy) as never,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          // The status decides; the body is read and dropped so the connection can be reused.
          res.resume();
          res.on('error', () => undefined);
          finish(done(res.statusCode ?? null, null));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish(done(null, `no 2xx within ${this.opts.timeoutMs} ms`));
      }, this.opts.timeoutMs);
      req.on('error', (err) => finish(done(null, err.message)));
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
