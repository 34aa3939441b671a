// Applies the committed drizzle-kit migrations and makes sure the database has an identity and a data version.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import pRetry from 'p-retry';
import type { Database, Reader } from './client.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

// Two processes may start on one new file at once: the second waits for the first one's migration (at start, when
// blocking the event loop costs nothing) instead of failing.
const MIGRATION_LOCK_WAIT_MS = 30_000;

/** Migrates on a connection of its own, so that the handles' writer never blocks on a lock. */
export async function migrateDatabase(db: Database): Promise<void> {
  const sqlite = new BetterSqlite3(db.path);
  try {
    sqlite.pragma(`busy_timeout = ${MIGRATION_LOCK_WAIT_MS}`);
    sqlite.pragma('journal_mode = WAL');
    // A migration that rebuilds a table (create the new one, copy, drop, rename: SQLite's way to change a column)
    // must run with foreign keys off, and the pragma is ignored inside the migrator's transaction; the check after
    // it is the one SQLite's ALTER TABLE documentation prescribes.
    sqlite.pragma('foreign_keys = OFF');
    // drizzle's migrator opens a deferred transaction: when another process migrated between its read and its
    // write, SQLite refuses the upgrade at once (SQLITE_BUSY_SNAPSHOT); the next attempt finds the work done.
    const before = appliedMigrations(sqlite);
    await pRetry(() => migrate(drizzle(sqlite), { migrationsFolder: MIGRATIONS_FOLDER }), {
      retries: 5,
      minTimeout: 50,
      shouldRetry: ({ error }) => busyCode(error) || busyCode((error as { cause?: unknown }).cause),
    });
    // Only a migration that ran can have broken a foreign key; the check reads every referencing row of the file
    // (over a minute at 1M claims), so a start on an up-to-date database skips it.
    const broken =
      appliedMigrations(sqlite) === before
        ? []
        : (sqlite.pragma('foreign_key_check') as { table: string; parent: string }[]);
    if (broken.length > 0)
      throw new Error(
        `after migrating, ${broken.length} rows break foreign keys (first: ${broken[0]?.table} → ${broken[0]?.parent})`,
      );
    sqlite.pragma('foreign_keys = ON');
    sqlite
      .prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', ?), ('data_version', '0')`)
      .run(randomUUID());
  } finally {
    sqlite.close();
  }
}

/** Rows in drizzle's journal table (0 before the first migration creates it). */
function appliedMigrations(sqlite: BetterSqlite3.Database): number {
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  return table ? (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0;
}

const busyCode = (error: unknown) =>
  String((error as { code?: unknown } | undefined)?.code ?? '').startsWith('SQLITE_BUSY');

let expectedMigrations: number | undefined;

/** The number of migrations applied, and the number shipped with this code. */
export async function migrationStatus(h: Reader): Promise<{ applied: number; expected: number }> {
  expectedMigrations ??= (
    JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }
  ).entries.length;
  const row = h.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
  return { applied: row.n, expected: expectedMigrations };
}
