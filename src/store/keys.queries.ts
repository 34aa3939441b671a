// SQL for API keys and the key-hashing secret: operational rows without history, written in short transactions of
// their own on the writer (so they wait their turn like every write instead of failing with "database is locked").
import type { Database, Reader } from './client.js';
import { prepared } from './statements.js';

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

export async function insertApiKey(
  db: Database,
  key: { name: string; scope: string; prefix: string; key_hash: string },
): Promise<number> {
  return db.transaction(async (tx) => {
    const result = prepared(
      tx.sqlite,
      'INSERT INTO api_keys (name, scope, prefix, key_hash) VALUES (@name, @scope, @prefix, @key_hash)',
    ).run(key);
    return Number(result.lastInsertRowid);
  });
}

export async function selectApiKeys(h: Reader): Promise<ApiKeyListing[]> {
  return prepared(
    h.sqlite,
    'SELECT id, name, scope, prefix, created_at, last_used_at, revoked_at FROM api_keys ORDER BY id',
  ).all() as ApiKeyListing[];
}

/** Uses the unique index on key_hash. */
export async function selectApiKeyByHash(h: Reader, keyHash: string): Promise<ApiKeyRow | undefined> {
  return prepared(
    h.sqlite,
    `SELECT id, name, scope, prefix, key_hash, created_at, last_used_at, revoked_at
       FROM api_keys WHERE key_hash = ?`,
  ).get(keyHash) as ApiKeyRow | undefined;
}

/** True when an active key was revoked now; revoking twice keeps the first time. */
export async function markApiKeyRevoked(db: Database, id: number): Promise<boolean> {
  return db.transaction(
    async (tx) =>
      prepared(tx.sqlite, `UPDATE api_keys SET revoked_at = ${NOW} WHERE id = ? AND revoked_at IS NULL`).run(id)
        .changes === 1,
  );
}

/**
 * Stamps last use unless it was stamped in the last `minIntervalSeconds`, so a busy key is not a write per request.
 * Best effort: skipped (never waited for) while another write holds the database.
 */
export async function touchApiKey(db: Database, id: number, minIntervalSeconds: number): Promise<void> {
  await db.transaction(
    async (tx) => {
      prepared(
        tx.sqlite,
        `UPDATE api_keys SET last_used_at = ${NOW}
          WHERE id = @id
            AND (last_used_at IS NULL OR julianday(last_used_at) < julianday('now') - @seconds / 86400.0)`,
      ).run({ id, seconds: minIntervalSeconds });
    },
    { busy: 'skip' },
  );
}

export async function selectMetaValue(h: Reader, key: string): Promise<string | undefined> {
  const row = prepared(h.sqlite, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

/** Inserts unless present (another process may have won the race) and returns the stored value. */
export async function insertMetaValueOnce(db: Database, key: string, value: string): Promise<string> {
  return db.transaction(async (tx) => {
    prepared(tx.sqlite, 'INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, value);
    return (prepared(tx.sqlite, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string }).value;
  });
}
