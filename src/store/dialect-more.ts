// More SQL fragments spelled differently on SQLite and PostgreSQL (beside dialect.ts): JSON built in SQL, planner
// hints that only SQLite has, zero-padded numbers, case-insensitive equality and full-text search.
import type { Engine, Reader } from './client.js';

export interface MoreDialect {
  /**
   * The statement without SQLite's planner hints, which PostgreSQL's planner neither needs nor parses: `INDEXED BY
   * <index>` is dropped and `CROSS JOIN x ON ...` (SQLite: an inner join whose order is fixed) becomes `JOIN`. Every
   * `CROSS JOIN` passed here must have its ON. Unchanged on SQLite.
   */
  hints(sqlText: string): string;
  /** A JSON array value of the expressions (json_array / json_build_array). */
  jsonTuple(...exprs: string[]): string;
  /** A JSON object value of `[key, expr]` pairs (json_object / json_build_object); keys are SQL string literals. */
  jsonObject(...pairs: [key: string, expr: string][]): string;
  /** Text holding JSON, as a JSON value (to nest it in jsonTuple/jsonObject instead of as a string). */
  json(expr: string): string;
  /** The length of the JSON array held as text in `expr`. */
  jsonArrayLength(expr: string): string;
  /**
   * A JSON array (as text) of the JSON values `expr` (jsonTuple, jsonObject) over the rows of `from` (a FROM clause
   * with its WHERE) in `orderBy` order; `[]` when there are none. A parenthesised scalar subquery. For plain values
   * (text, numbers) use dialectOf(h).jsonArray: on SQLite a JSON value passing through a subquery column is text,
   * hence the json() here.
   */
  jsonRows(expr: string, from: string, orderBy: string): string;
  /**
   * `expr` kept out of SQLite's index choice (unary `+`, SQLite's documented way to disqualify a term from an index);
   * PostgreSQL has no unary `+` for every type (booleans) and plans by statistics, so there it is `expr`.
   */
  noIndex(expr: string): string;
  /** `expr` (a non-negative integer) as decimal text, zero-padded on the left to `width` digits. */
  zeroPad(expr: string, width: number): string;
  /** `a = b` ignoring ASCII case (SQLite's COLLATE NOCASE; lower() under PostgreSQL's C collation). */
  equalsCaseless(a: string, b: string): string;
  /**
   * Whether the search document `table` (search_index, or an alias) matches the query in `param`: FTS5 MATCH on
   * SQLite, the tsvector `document` against `to_tsquery` on PostgreSQL. The param holds `searchParam(h, match)`.
   */
  matches(table: string, param: string): string;
  /**
   * The rank of a search hit, lower is better: bm25 over the title (weight 5) and body (1) on SQLite; on PostgreSQL
   * minus ts_rank_cd with the title (tsvector weight A) five times the body (B). The numbers differ between engines:
   * bm25 weighs term rarity over the whole index, ts_rank_cd term proximity and frequency in the document.
   */
  searchScore(table: string, param: string): string;
  /**
   * The parameter `matches` reads, from an FTS5 expression made by toMatchQuery (`"w1" "w2"*`): unchanged on
   * SQLite; on PostgreSQL the same words as a tsquery (`'w1' & 'w2':*`), which the SQL passes through unaccent()
   * as the documents' words were.
   */
  searchParam(match: string): string;
}

/** `"w1" "w2"*` (toMatchQuery's output: quoted letter/digit runs, the last maybe a prefix) as a tsquery. */
function tsQueryOf(match: string): string {
  const terms = [...match.matchAll(/"([^"]*)"(\*?)/g)].map(([, word = '', prefix]) => {
    // Words are letters and digits only (toMatchQuery); a quote doubled anyway, so nothing else could reach to_tsquery.
    const quoted = `'${word.replaceAll("'", "''")}'`;
    return prefix ? `${quoted}:*` : quoted;
  });
  return terms.length > 0 ? terms.join(' & ') : "''";
}

const MORE: Record<Engine, MoreDialect> = {
  sqlite: {
    hints: (sqlText) => sqlText,
    jsonTuple: (...exprs) => `json_array(${exprs.join(', ')})`,
    jsonObject: (...pairs) => `json_object(${pairs.map(([k, v]) => `${k}, ${v}`).join(', ')})`,
    json: (expr) => `json(${expr})`,
    jsonArrayLength: (expr) => `json_array_length(${expr})`,
    jsonRows: (expr, from, orderBy) =>
      `(SELECT json_group_array(json(v)) FROM (SELECT ${expr} AS v FROM ${from} ORDER BY ${orderBy}))`,
    noIndex: (expr) => `+${expr}`,
    zeroPad: (expr, width) => `printf('%0${width}d', ${expr})`,
    equalsCaseless: (a, b) => `${a} = ${b} COLLATE NOCASE`,
    matches: (table, param) => `${table} MATCH ${param}`,
    searchScore: (table) => `bm25(${table}, 0, 0, 5, 1)`,
    searchParam: (match) => match,
  },
  postgres: {
    hints: (sqlText) => sqlText.replace(/\s+INDEXED BY\s+\w+/g, '').replace(/\bCROSS JOIN\b/g, 'JOIN'),
    jsonTuple: (...exprs) => `json_build_array(${exprs.join(', ')})`,
    jsonObject: (...pairs) => `json_build_object(${pairs.map(([k, v]) => `${k}, ${v}`).join(', ')})`,
    json: (expr) => `CAST(${expr} AS json)`,
    jsonArrayLength: (expr) => `json_array_length(CAST(${expr} AS json))`,
    jsonRows: (expr, from, orderBy) => `(SELECT coalesce(json_agg(${expr} ORDER BY ${orderBy}), '[]') FROM ${from})`,
    noIndex: (expr) => expr,
    zeroPad: (expr, width) => `lpad(CAST(${expr} AS text), ${width}, '0')`,
    equalsCaseless: (a, b) => `lower(${a}) = lower(${b})`,
    matches: (table, param) => `${table}.document @@ to_tsquery('simple', unaccent(${param}))`,
    // ts_rank_cd's weights are {D, C, B, A}: the body is B, the title A.
    searchScore: (table, param) =>
      `-ts_rank_cd('{0, 0, 0.2, 1}', ${table}.document, to_tsquery('simple', unaccent(${param})))`,
    searchParam: tsQueryOf,
  },
};

/** The fragments of the handle's engine. */
export const moreOf = (h: Pick<Reader, 'engine'>): MoreDialect => MORE[h.engine];
