// SQL for API keys and the key-hashing secret: operational rows without history, written in short transactions of
// their own on the writer (so they wait their turn like every write instead of failing with "database is locked").
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database, Reader } from './client.js';
import { dialectOf } from './dialect.js';
import type { api_keys } from './schema.js';

export type ApiKeyRow = typeof api_keys.$inferSelect;

/** A key as listings show it: never the hash. */
export type ApiKeyListing = Omit<ApiKeyRow, 'key_hash'>;

export async function insertApiKey(
  db: Database,
  key: { name: string; scope: string; prefix: string; key_hash: string },
): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx.orm.insert(tx.tables.api_keys).values(key).returning({ id: tx.tables.api_keys.id });
    return row?.id as number;
  });
}

export async function selectApiKeys(h: Reader): Promise<ApiKeyListing[]> {
  const { api_keys: k } = h.tables;
  return h.orm
    .select({
      id: k.id,
      name: k.name,
      scope: k.scope,
      prefix: k.prefix,
      created_at: k.created_at,
      last_used_at: k.last_used_at,
      revoked_at: k.revoked_at,
    })
    .from(k)
    .orderBy(asc(k.id));
}

/** Uses the unique index on key_hash. */
export async function selectApiKeyByHash(h: Reader, keyHash: string): Promise<ApiKeyRow | undefined> {
  const { api_keys: k } = h.tables;
  const [row] = await h.orm.select().from(k).where(eq(k.key_hash, keyHash));
  return row;
}

/** True when an active key was revoked now; revoking twice keeps the first time. */
export async function markApiKeyRevoked(db: Database, id: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { api_keys: k } = tx.tables;
    const revoked = await tx.orm
      .update(k)
      .set({ revoked_at: new Date().toISOString() })
      .where(and(eq(k.id, id), isNull(k.revoked_at)))
      .returning({ id: k.id });
    return revoked.length === 1;
  });
}

/**
 * Stamps last use unless it was stamped in the last `minIntervalSeconds`, so a busy key is not a write per request.
 * Best effort: skipped (never waited for) while another write holds the database.
 */
export async function touchApiKey(db: Database, id: number, minIntervalSeconds: number): Promise<void> {
  await db.transaction(
    async (tx) => {
      // ISO-8601 UTC texts compare as the times they name, so "stamped before the cut-off" is a text comparison.
      await tx.run(
        `UPDATE api_keys SET last_used_at = ${dialectOf(tx).now}
          WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @cutoff)`,
        { id, cutoff: new Date(Date.now() - minIntervalSeconds * 1000).toISOString() },
      );
    },
    { busy: 'skip' },
  );
}

export async function selectMetaValue(h: Reader, key: string): Promise<string | undefined> {
  const { meta } = h.tables;
  const [row] = await h.orm.select({ value: meta.value }).from(meta).where(eq(meta.key, key));
  return row?.value;
}

/** Inserts unless present (another process may have won the race) and returns the stored value. */
export async function insertMetaValueOnce(db: Database, key: string, value: string): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.orm.insert(tx.tables.meta).values({ key, value }).onConflictDoNothing();
    return (await selectMetaValue(tx, key)) as string;
  });
}
