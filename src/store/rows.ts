// Row types for hand-written SQL, derived from the table definitions: a renamed or retyped column breaks every query that reads it.
import type { Column, Table } from 'drizzle-orm';
import type { GradeScheme } from '../evidence/grades.js';
import type { Tables } from './client.js';

/** The name of a table in store/schema.ts (and its PostgreSQL twin, kept equal by test/schema-parity.test.ts). */
export type TableName = { [N in keyof Tables]: Tables[N] extends Table ? N : never }[keyof Tables];

type ColumnsOf<N extends TableName> = Tables[N]['_']['columns'];

/** A column's key in the table definition, which is also its SQL name (test/row-types.test.ts holds that). */
export type ColumnName<N extends TableName> = keyof ColumnsOf<N> & string;

/**
 * A value as the runner (`h.all/get`) returns it on both engines (see `Reader` in store/client.ts): a boolean column
 * as 1 or 0, a JSON column as its text, anything else as drizzle's select type; null where the column is nullable.
 */
type RunnerValue<C> = C extends Column
  ?
      | (C['_']['dataType'] extends 'boolean' ? 0 | 1 : C['_']['dataType'] extends 'json' ? string : C['_']['data'])
      | (C['_']['notNull'] extends true ? never : null)
  : never;

/**
 * A whole row of table `N` as hand-written SQL returns it (`SELECT t.*`): `$inferSelect` with booleans as 0 | 1 and
 * JSON as text, which is what the runner gives on SQLite and PostgreSQL alike.
 */
export type Row<N extends TableName> = { [K in ColumnName<N>]: RunnerValue<ColumnsOf<N>[K]> };

/** The columns `K` of table `N`, as hand-written SQL returns them: `RowOf<'claims', 'id' | 'statement'>`. */
export type RowOf<N extends TableName, K extends ColumnName<N>> = Pick<Row<N>, K>;

/**
 * `R` with some of its values narrowed to a vocabulary the column holds as plain text (`direction: Direction`).
 * Each narrowed key must be a key of `R`, and its type one the column's type admits, so renaming or retyping the
 * column still breaks the row.
 */
export type Narrow<R, N extends { [K in keyof N]: K extends keyof R ? R[K] : never }> = Flat<Omit<R, keyof N> & N>;

type Flat<T> = { [K in keyof T]: T[K] };

/**
 * A SELECT list of table `N`'s columns `keys`, each qualified by `alias`: `columnList('claims', 'c', ['id',
 * 'statement'])` is `c.id, c.statement`. For long lists whose keys are also the row type's (`RowOf<N, typeof
 * keys[number]>`), so the SQL and the type cannot drift apart; short lists stay spelled out in the SQL.
 */
export function columnList<N extends TableName, const K extends ColumnName<N>>(
  _table: N,
  alias: string,
  keys: readonly K[],
): string {
  return keys.map((k) => `${alias}.${k}`).join(', ');
}

/**
 * One row of `claim_counts_by_grade` (a condition's, an intervention's): its published claims per scheme and level.
 * Not a table's row: claims' columns under the names the query gives them (typed from the table, so a retyped column
 * breaks it), and the count. A type, not an interface, like every row shape here (test/row-types.test.ts).
 */
export type GradeCountRow = {
  scheme: GradeScheme;
  level: Row<'claims'>['grade_level'];
  certainty: Row<'claims'>['certainty'];
  count: number;
};
