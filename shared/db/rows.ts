/**
 * The row a statement always returns (an INSERT … RETURNING, an aggregate, an upsert):
 * none means the schema or the statement is wrong, so it is an internal error, not bad input.
 */
export function oneRow<T>(rows: readonly T[], statement: string): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`${statement} returned no row`);
  return row;
}
