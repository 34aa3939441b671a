// SQL for the data version: a counter that every write bumps in its own transaction, so ETags need no hashing.
import type { Sqlite } from '../db/client.js';
import { prepared } from '../db/statements.js';

/** `<database id>.<version>`: unique across databases, monotonic within one, stable across restarts. */
export function readDataVersion(sqlite: Sqlite): string {
  const rows = prepared(
    sqlite,
    "SELECT key, value FROM meta WHERE key IN ('database_id', 'data_version') ORDER BY key",
  ).all() as { key: string; value: string }[];
  return `${rows[0]?.value ?? 'none'}.${rows[1]?.value ?? '0'}`;
}

/** Call inside the write's transaction. */
export function bumpDataVersion(sqlite: Sqlite): void {
  prepared(sqlite, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'").run();
}
