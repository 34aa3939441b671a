// Makes an opened database ready to serve: migrations, the seed when it is new, and catch-ups of data written by
// earlier versions, each through the one write path so every change it makes is in the change feed.
import type { Database } from '../store/client.js';
import { migrateDatabase } from '../store/migrate.js';
import { commit } from './commit.js';
import { seedIfEmpty } from './seed.js';

export interface PreparedDatabase {
  /** The seed files were loaded (the database had no content). */
  seeded: boolean;
  /** Studies and claims an earlier version left without their retraction (see Changes.reconcileRetractions). */
  reconciled: { studies: number; claims: number };
}

/**
 * Migrates `db` (idempotent, safe for processes starting together), seeds it when empty, then reconciles what an
 * earlier version stored without acting on it. Every entry point that serves or imports calls this before anything
 * else. Throws what migration or the write path throws (StoreBusyError when another process holds the write lock).
 */
export async function prepareDatabase(db: Database): Promise<PreparedDatabase> {
  await migrateDatabase(db);
  const seeded = await seedIfEmpty(db);
  const reconciled = await commit(
    db,
    { actor: 'system:upgrade', reason: 'retractions that an earlier version did not act on' },
    (changes) => changes.reconcileRetractions(),
  );
  return { seeded, reconciled };
}
