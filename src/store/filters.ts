// Composable SQL filters: each set filter adds its fragment and its named parameter; unset ones add nothing.

/** Filter name → SQL fragment that reads the value as `@<name>`. */
export type FilterSql<F> = { [K in keyof F]?: string };

export function whereClauses<F extends object>(
  filters: F,
  sql: FilterSql<F>,
): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  for (const [name, fragment] of Object.entries(sql) as [string, string][]) {
    const value = (filters as Record<string, unknown>)[name];
    if (value === undefined) continue;
    params[name] = value;
    where.push(fragment);
  }
  return { where, params };
}
