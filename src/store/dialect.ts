// The few SQL fragments that are spelled differently on SQLite and PostgreSQL, for statements that are otherwise
// portable. A statement whose shape differs gets a twin instead (`twin`); see docs/architecture.md.
import type { Engine, Reader } from './client.js';
import { NOW_SQL } from './postgres/schema.js';

export interface SqlDialect {
  /** The current time as ISO-8601 UTC text with milliseconds, the format of every stored timestamp. */
  readonly now: string;
  /**
   * The rows (one column, `value`) of a JSON array passed as text in `param` (`@keys`, `?`): `x IN (SELECT value
   * FROM ${d.jsonValues('@keys')})`. Values are text; compare integers with CAST(value AS INTEGER).
   */
  jsonValues(param: string): string;
  /**
   * A JSON array (as text) of `expr` over the rows of `from` (a FROM clause with its WHERE) in `orderBy` order; `[]`
   * when there are none. A scalar subquery, parenthesised.
   */
  jsonArray(expr: string, from: string, orderBy: string): string;
  /** The larger (smaller) of two values; NULL when either is NULL on SQLite, the other on PostgreSQL: avoid NULLs. */
  greatest(a: string, b: string): string;
  least(a: string, b: string): string;
}

const DIALECTS: Record<Engine, SqlDialect> = {
  sqlite: {
    now: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    jsonValues: (param) => `json_each(${param})`,
    jsonArray: (expr, from, orderBy) =>
      `(SELECT json_group_array(v) FROM (SELECT ${expr} AS v FROM ${from} ORDER BY ${orderBy}))`,
    greatest: (a, b) => `max(${a}, ${b})`,
    least: (a, b) => `min(${a}, ${b})`,
  },
  postgres: {
    now: NOW_SQL,
    jsonValues: (param) => `json_array_elements_text(CAST(${param} AS json))`,
    jsonArray: (expr, from, orderBy) => `(SELECT coalesce(json_agg(${expr} ORDER BY ${orderBy}), '[]') FROM ${from})`,
    greatest: (a, b) => `greatest(${a}, ${b})`,
    least: (a, b) => `least(${a}, ${b})`,
  },
};

/** The SQL fragments of the handle's engine. */
export const dialectOf = (h: Pick<Reader, 'engine'>): SqlDialect => DIALECTS[h.engine];

/** One statement text per engine, for SQL whose shape differs (FTS5 MATCH against tsvector @@, json functions). */
export const twin = (h: Pick<Reader, 'engine'>, texts: Record<Engine, string>): string => texts[h.engine];
