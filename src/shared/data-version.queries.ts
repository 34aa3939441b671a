// SQL for the data version: a counter that every write bumps in its own transaction, so ETags need no hashing.
import type { Sqlite } from '../db/client.js';
import { prepared } from '../db/statements.js';

/** `<database id>.<version>`: unique across databases, monotonic within one, stable across restarts. */
export function readDataVersion(sqlite: Sqlite): string {
  const row = prepared(
    sqlite,
    `SELECT (SELECT value FROM meta WHERE key = 'database_id') AS id,
            (SELECT value FROM meta WHERE key = 'data_version') AS version`,
  ).get() as { id: string | null; version: string | null };
  return `${row.id ?? 'none'}.${row.version ?? '0'}`;
}

/** Call inside the write's transaction. */
export function bumpDataVersion(sqlite: Sqlite): void {
  prepared(sqlite, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'").run();
}
