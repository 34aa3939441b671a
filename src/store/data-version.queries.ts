// SQL for the data version: a counter that every write bumps in its own transaction, so ETags need no hashing.

import { APP_VERSION } from '../version.js';
import type { Sqlite } from './client.js';
import { prepared } from './statements.js';

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

/** `<build>.<database id>.<data version>`: the base of every ETag (the build covers representation changes). */
export function dataTagOf(sqlite: Sqlite): string {
  return `${APP_VERSION}.${readDataVersion(sqlite)}`;
}

/** A curated row's version (bumped by trigger on every update): what If-Match checks. */
export function rowVersion(
  sqlite: Sqlite,
  table: 'claims' | 'conditions' | 'interventions' | 'studies' | 'topics',
  key: string,
): number | undefined {
  const column = table === 'claims' ? 'id' : table === 'studies' ? 'pmid' : 'slug';
  return (
    prepared(sqlite, `SELECT version FROM ${table} WHERE ${column} = ?`).get(key) as { version: number } | undefined
  )?.version;
}
