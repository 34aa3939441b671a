// SQL for API keys and the key-hashing secret; every statement is prepared once per connection.
import type { Sqlite } from '../store/client.js';
import { prepared } from '../store/statements.js';

export interface ApiKeyRow {
  id: number;
  name: string;
  scope: string;
  prefix: string;
  key_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A key as listings show it: never the hash. */
export type ApiKeyListing = Omit<ApiKeyRow, 'key_hash'>;

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

export function insertApiKey(
  sqlite: Sqlite,
  key: { name: string; scope: string; prefix: string; key_hash: string },
): number {
  const result = prepared(
    sqlite,
    'INSERT INTO api_keys (name, scope, prefix, key_hash) VALUES (@name, @scope, @prefix, @key_hash)',
  ).run(key);
  return Number(result.lastInsertRowid);
}

export function selectApiKeys(sqlite: Sqlite): ApiKeyListing[] {
  return prepared(
    sqlite,
    'SELECT id, name, scope, prefix, created_at, last_used_at, revoked_at FROM api_keys ORDER BY id',
  ).all() as ApiKeyListing[];
}

/** Uses the unique index on key_hash. */
export function selectApiKeyByHash(sqlite: Sqlite, keyHash: string): ApiKeyRow | undefined {
  return prepared(
    sqlite,
    `SELECT id, name, scope, prefix, key_hash, created_at, last_used_at, revoked_at
       FROM api_keys WHERE key_hash = ?`,
  ).get(keyHash) as ApiKeyRow | undefined;
}

/** True when an active key was revoked now; revoking twice keeps the first time. */
export function markApiKeyRevoked(sqlite: Sqlite, id: number): boolean {
  return (
    prepared(sqlite, `UPDATE api_keys SET revoked_at = ${NOW} WHERE id = ? AND revoked_at IS NULL`).run(id).changes ===
    1
  );
}

/** Stamps last use unless it was stamped in the last `minIntervalSeconds`, so a busy key is not a write per request. */
export function touchApiKey(sqlite: Sqlite, id: number, minIntervalSeconds: number): void {
  prepared(
    sqlite,
    `UPDATE api_keys SET last_used_at = ${NOW}
      WHERE id = @id
        AND (last_used_at IS NULL OR julianday(last_used_at) < julianday('now') - @seconds / 86400.0)`,
  ).run({ id, seconds: minIntervalSeconds });
}

export function selectMetaValue(sqlite: Sqlite, key: string): string | undefined {
  const row = prepared(sqlite, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

/** Inserts unless present (another process may have won the race) and returns the stored value. */
export function insertMetaValueOnce(sqlite: Sqlite, key: string, value: string): string {
  prepared(sqlite, 'INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  return selectMetaValue(sqlite, key) ?? value;
}
