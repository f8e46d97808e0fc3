import { createHash } from 'node:crypto';

/**
 * Sends the statements a service repeats as named prepared statements of their connection, so
 * that Postgres plans them once per connection instead of at every execution. The hub's
 * statements run under row-level security whose policies nest (a one-row write on customers
 * plans a few dozen sub-queries): planning, not execution, was most of Postgres's CPU per
 * handoff. A prepared statement keeps custom plans for its first five executions and then
 * moves to the generic plan when that plan is no costlier (Postgres's plan_cache_mode=auto);
 * policy values such as `(SELECT hubsec.partner())` are evaluated at run time either way.
 *
 * Bounded: a text is prepared once the process has seen it {@link SEEN_BEFORE_PREPARING}
 * times (one-off statements stay unnamed) and each connection holds at most
 * {@link MAX_PER_CONNECTION} of them. Statements whose result columns follow a table's
 * definition (a select-list or RETURNING `*`) stay unnamed: after a migration adds a column, a
 * prepared one would fail with "cached plan must not change result type" on every connection
 * that had it. A `*` that multiplies or counts (`x * 1000`, `count(*)`) does not shape the
 * result: such statements are prepared like any other. Parameterless queries (SELECT, WITH)
 * are prepared as well (a busy service repeats some, such as the SLA sweep's next due time);
 * transaction control and other utility statements always go out unnamed.
 */
export const SEEN_BEFORE_PREPARING = 2;
export const MAX_PER_CONNECTION = 100;
/** Distinct texts remembered before they start over (dynamic texts must not grow it for ever). */
const MAX_COUNTED = 5000;

/**
 * A `*` in a select list (`SELECT *`, `, *`, `t.*`, `(row).*`) or `RETURNING *`, unless it
 * reads a set the text itself defines (`* FROM unnest($1::uuid[], …)`, `* FROM
 * jsonb_to_recordset($1) AS r(…)`): those columns change only with the text.
 */
const TABLE_SHAPED = /(\bSELECT\s+(DISTINCT\s+)?|\bRETURNING\s+|,\s*|[\w")]\.)\*(?!\s+FROM\s+(unnest|jsonb?_to_recordset)\s*\()/i;
/** A query (not transaction control or another utility statement), after leading comments. */
const QUERY = /^\s*(\/\*[^]*?\*\/\s*)*(SELECT|WITH)\b/i;

/**
 * Parameter `$n`, an array of `type` (`'uuid[]'`), written so that Postgres plans the
 * statement once per connection: `WHERE id = ANY(${planOnceArray(1, 'uuid[]')})`,
 * `FROM unnest(${planOnceArray(1, 'uuid[]')}, …)`.
 *
 * A prepared statement keeps a custom plan while the custom plans cost less than the
 * generic one, and with a bare array parameter they always do: a custom plan knows how many
 * elements the array has (one or two ids in a consumer's burst), the generic plan assumes
 * ten. So every statement keyed by a batch's ids was planned again at every execution
 * (P6: a tenth of Postgres's CPU per handoff, the retention consumer's history read alone
 * 1 ms per plan). Behind a sub-select the array is a run-time value in both plans, both cost
 * the same, and Postgres keeps the generic plan from the sixth execution on; index scans
 * still use the array (`Index Cond: (id = ANY ((InitPlan 1).col1))`).
 */
export const planOnceArray = (n: number, type: `${string}[]`): string => `(SELECT $${n}::${type})::${type}`;

/**
 * Parameter `$n` of a scalar `type`, written like {@link planOnceArray}: for values a custom
 * plan weighs, such as the event reader's position (always near the newest event) and its
 * `LIMIT` (a custom plan costs 100 rows where the generic one assumes a tenth of the table).
 * With them as bare parameters, Postgres planned the reader's read again at 3,724 of 5,394
 * reads in P6 with subscriptions relayed (0.63 ms a plan, three quarters of the read's cost):
 * the custom plans, knowing the values, looked cheaper than the generic one. Behind a
 * sub-select every plan costs the same, and an index scan still starts at the value
 * (`Index Cond: (ROW(tx, seq) > ROW((InitPlan 1).col1, (InitPlan 2).col1))`).
 */
export const planOnce = (n: number, type: string): string => `(SELECT $${n}::${type})`;

export interface NamedQuery {
  name: string;
  text: string;
  values: unknown[];
}

export type QueryFn = (sql: string | NamedQuery, params?: unknown[]) => Promise<unknown>;

/**
 * Per statement text: how often the process sent it unprepared, and its name once it has one
 * (only a text that gets prepared is hashed: one-off texts, such as dynamic ones, never are).
 */
interface TextEntry {
  name: string | undefined;
  uses: number;
  /** Tested and found preparable (not utility, not table-shaped): tested once per text, not at every execution. */
  preparable?: true;
}
const texts = new Map<string, TextEntry>();

function textEntry(text: string): TextEntry {
  let entry = texts.get(text);
  if (entry === undefined) {
    if (texts.size >= MAX_COUNTED) texts.clear();
    entry = { name: undefined, uses: 0 };
    texts.set(text, entry);
  }
  return entry;
}

/**
 * Texts that are never prepared (utility, table-shaped), so that a statement is tested
 * against the two patterns once per text, not at every execution. Kept apart from `texts`:
 * dynamic table-shaped texts filling it up must not clear the counts of the texts that are prepared.
 */
const unpreparable = new Set<string>();

/** The text's entry if it may be prepared, undefined if it must go out unnamed. */
function preparableEntry(text: string, params: unknown[] | undefined): TextEntry | undefined {
  if (unpreparable.has(text)) return undefined;
  const known = texts.get(text);
  if (known?.preparable) return known;
  if ((params?.length || QUERY.test(text)) && !TABLE_SHAPED.test(text)) {
    const entry = known ?? textEntry(text);
    entry.preparable = true;
    return entry;
  }
  if (unpreparable.size >= MAX_COUNTED) unpreparable.clear();
  unpreparable.add(text);
  return undefined;
}

const nameOf = (text: string, entry: TextEntry): string => (entry.name ??= `hub_${createHash('sha1').update(text).digest('base64url').slice(0, 24)}`);

/**
 * The statement's name: the same text, the same name, on every connection. Remembered per
 * text, since hashing the text at every execution was 2 % of a busy subgraph's CPU.
 */
export const statementName = (text: string): string => nameOf(text, textEntry(text));

/** Wraps `client.query` so that repeated queries go out prepared. */
export function prepareRepeatedStatements(client: { query: QueryFn }): void {
  const original = client.query.bind(client);
  const prepared = new Set<string>();
  client.query = (sql, params) => {
    const entry = typeof sql === 'string' ? preparableEntry(sql, params) : undefined;
    if (typeof sql !== 'string' || entry === undefined) return original(sql, params);
    if (entry.name === undefined || !prepared.has(entry.name)) {
      if (++entry.uses <= SEEN_BEFORE_PREPARING || prepared.size >= MAX_PER_CONNECTION) return original(sql, params);
      prepared.add(nameOf(sql, entry));
    }
    return original({ name: nameOf(sql, entry), text: sql, values: params ?? [] });
  };
}
