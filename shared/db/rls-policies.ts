/**
 * One table's row-level security, a policy per command (the rules differ by command). The
 * subgraphs' `*-row-level-security` migrations describe their tables with it.
 */
export interface TablePolicies {
  table: string;
  /** USING of SELECT. */
  select: string;
  /** WITH CHECK of INSERT. */
  insert: string;
  /** USING and WITH CHECK; WITH CHECK defaults to USING. */
  update: { using: string; check?: string };
  /** USING of DELETE. */
  delete: string;
}

/** Enables and forces RLS on `schema.table` and creates its four policies (`<table>_<command>`). */
export function rlsPolicySql(schema: string, { table, select, insert, update, delete: del }: TablePolicies): string[] {
  const t = `${schema}.${table}`;
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${table}_select ON ${t} FOR SELECT USING (${select})`,
    `CREATE POLICY ${table}_insert ON ${t} FOR INSERT WITH CHECK (${insert})`,
    `CREATE POLICY ${table}_update ON ${t} FOR UPDATE USING (${update.using}) WITH CHECK (${update.check ?? update.using})`,
    `CREATE POLICY ${table}_delete ON ${t} FOR DELETE USING (${del})`,
  ];
}

/** The reverse of {@link rlsPolicySql}, for a migration's down(). */
export function dropRlsPolicySql(schema: string, table: string): string[] {
  return [
    ...['select', 'insert', 'update', 'delete'].map((command) => `DROP POLICY IF EXISTS ${table}_${command} ON ${schema}.${table}`),
    `ALTER TABLE ${schema}.${table} NO FORCE ROW LEVEL SECURITY`,
    `ALTER TABLE ${schema}.${table} DISABLE ROW LEVEL SECURITY`,
  ];
}
