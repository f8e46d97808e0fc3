import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { stringify, type Stringifier } from 'csv-stringify';
import { IDENTITY_HEADER, verifyIdentity, type Identity } from '../auth/identity';
import { hasScopes, type Scope } from '../auth/scopes';
import type { Logger } from '../logger';

/** The HTTP status each hub error code answers with on the CSV routes. */
const STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  LENGTH_REQUIRED: 411,
  PAYLOAD_TOO_LARGE: 413,
};

/** A JSON error in the hub's shape: `{ error: { message, code } }`, the status from the code. */
export function refuse(res: Response, code: string, message: string, extra: Record<string, unknown> = {}): void {
  if (res.headersSent) return void res.destroy();
  res
    .status(STATUS[code] ?? 500)
    .set('cache-control', 'no-store')
    .json({ error: { message, code, ...extra } });
}

/** A GraphQLError from a service (BAD_USER_INPUT, FORBIDDEN, ...) as a JSON error; anything else is a 500, logged. */
export function refuseError(res: Response, err: unknown, log: Logger): void {
  if (err instanceof GraphQLError && typeof err.extensions.code === 'string' && STATUS[err.extensions.code]) {
    return refuse(res, err.extensions.code, err.message);
  }
  log.error({ err: (err as Error).message }, 'CSV route failed');
  refuse(res, 'INTERNAL_SERVER_ERROR', 'Something went wrong; please try again');
}

/**
 * The caller of a CSV route, as the gateway signed it (the same header /graphql trusts),
 * holding the scopes the route needs; otherwise answers 401 / 403 and returns null.
 */
export function csvCaller(req: Request, res: Response, identitySecret: string, ...scopes: Scope[]): Identity | null {
  const identity = verifyIdentity(req.header(IDENTITY_HEADER), identitySecret);
  if (!identity || identity.role === 'SERVICE') {
    refuse(res, 'UNAUTHENTICATED', 'This subgraph only answers requests signed by the gateway');
    return null;
  }
  if (!hasScopes(identity, ...scopes)) {
    const missing = scopes.filter((s) => !identity.scopes.includes(s));
    refuse(res, 'FORBIDDEN', `This export needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the credential used does not carry it`);
    return null;
  }
  return identity;
}

/** A cell as the hub writes it: times ISO-8601 UTC, booleans true/false, null and undefined empty. */
export type CsvCell = string | number | boolean | Date | null | undefined;

/**
 * A CSV writer on `res` (UTF-8 with a BOM, so that spreadsheets read accents, CRLF-free `\n`
 * records, a header row) that waits for the client whenever the socket is full: a large
 * export or import result streams in bounded memory.
 */
export class CsvResponse {
  private readonly out: Stringifier;
  private started = false;

  constructor(
    private readonly res: Response,
    private readonly filename: string,
    columns: readonly string[],
  ) {
    this.out = stringify({
      header: true,
      columns: [...columns],
      bom: true,
      cast: { date: (d) => d.toISOString(), boolean: (b) => (b ? 'true' : 'false') },
    });
  }

  /** Whether the client went away (stop producing rows). */
  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  private start() {
    if (this.started) return;
    this.started = true;
    this.res.status(200).set({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${this.filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    this.out.pipe(this.res);
  }

  /** Writes one record; resolves once the client has room for more (or is gone). */
  async write(row: CsvCell[]): Promise<void> {
    this.start();
    if (this.closed) return;
    if (!this.out.write(row)) await this.first([this.out, 'drain'], [this.res, 'close']);
  }

  /** Ends the file (the header alone when nothing was written). */
  async end(): Promise<void> {
    this.start();
    const finished = this.first([this.res, 'finish'], [this.res, 'close']);
    this.out.end();
    await finished;
  }

  /** Resolves on the first of these events and removes every listener it added (a long file waits many times). */
  private first(...events: [NodeJS.EventEmitter, string][]): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        for (const [emitter, name] of events) emitter.off(name, done);
        resolve();
      };
      for (const [emitter, name] of events) emitter.once(name, done);
    });
  }
}

/**
 * Streams an export: `pages` yields arrays of records (one statement each, never one per
 * record) under the caller's row-level security, which the route sets around this call.
 */
export async function streamCsvExport(
  res: Response,
  filename: string,
  columns: readonly string[],
  pages: AsyncIterable<CsvCell[][]>,
  log: Logger,
): Promise<void> {
  const csv = new CsvResponse(res, filename, columns);
  try {
    for await (const page of pages) {
      for (const row of page) await csv.write(row);
      if (csv.closed) return;
    }
    await csv.end();
  } catch (err) {
    if (res.headersSent) {
      // Mid-file: cut the connection so that the client sees an incomplete download, not a short file.
      log.error({ err: (err as Error).message, filename }, 'CSV export failed mid-file');
      res.destroy();
      return;
    }
    refuseError(res, err, log);
  }
}

/** The value of a query parameter given once, or undefined. */
export function queryParam(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
}

/** A list query parameter: repeated (`?moment=A&moment=B`) or comma-separated. */
export function queryList(req: Request, name: string): string[] | undefined {
  const v = req.query[name];
  const values = typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const list = values
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter(Boolean);
  return list.length > 0 ? list : undefined;
}
