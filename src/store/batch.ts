// Multi-row INSERTs for the write path: a list of child rows (lookup keys, synonyms, codes, links) in a few statements
// instead of one round trip per row, in a bounded set of statement texts per table (each is prepared once per
// connection, see statements.ts).
import type { Engine, Transaction } from './client.js';

/**
 * Bind parameters one statement may carry: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32,766 since SQLite 3.32, "Limits In
 * SQLite") and PostgreSQL's 65,535 (the Bind message counts parameters in an Int16; "Frontend/Backend Protocol").
 */
export const MAX_BIND_PARAMETERS: Record<Engine, number> = { sqlite: 32_766, postgres: 65_535 };

/** The most rows one statement takes: a power of two, so that chunk sizes are too (see chunkSizes). */
const MAX_ROWS_PER_STATEMENT = 512;

/**
 * How `rows` rows of `columns` columns are split into statements: powers of two, largest first (the binary digits of
 * `rows`, the largest parts repeated when `rows` exceeds the cap), each within the engine's bind-parameter limit. So a
 * table gets at most log2(512) + 1 = 10 statement texts however many rows are written, and n rows take at most
 * log2(n) + 1 statements (plus one per full chunk).
 */
export function chunkSizes(rows: number, columns: number, engine: Engine): number[] {
  let cap = MAX_ROWS_PER_STATEMENT;
  while (cap > 1 && cap * columns > MAX_BIND_PARAMETERS[engine]) cap /= 2;
  const sizes: number[] = [];
  let left = rows;
  while (left >= cap) {
    sizes.push(cap);
    left -= cap;
  }
  for (let size = cap / 2; size >= 1; size /= 2)
    if (left >= size) {
      sizes.push(size);
      left -= size;
    }
  return sizes;
}

/**
 * Inserts `rows` (each the values of `columns`, in order) into `table` with multi-row `INSERT ... VALUES`, in the
 * order given; `conflict` is appended to every statement (e.g. `ON CONFLICT DO NOTHING`). Returns the number of rows
 * the statements reported changed. Table and column names are the caller's constants, never input. A conflict clause
 * that updates must not meet the same key twice in one call (PostgreSQL refuses "cannot affect row a second time"):
 * callers pass distinct keys.
 */
export async function insertRows(
  tx: Transaction,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  conflict = '',
): Promise<number> {
  const row = `(${columns.map(() => '?').join(', ')})`;
  let changes = 0;
  let at = 0;
  for (const size of chunkSizes(rows.length, columns.length, tx.engine)) {
    const chunk = rows.slice(at, at + size);
    at += size;
    changes += (
      await tx.run(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: size }, () => row).join(', ')}${conflict ? ` ${conflict}` : ''}`,
        chunk.flat(),
      )
    ).changes;
  }
  return changes;
}
