// Applies the committed drizzle-kit migrations of the database's engine and makes sure the database has an identity
// and a data version.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pRetry from 'p-retry';
import type { Database, Engine, Reader } from './client.js';
import { poolOf } from './postgres/client.js';

/** Each engine's migrations, written by drizzle-kit (drizzle.config.ts, drizzle.postgres.config.ts). */
export const MIGRATIONS_FOLDERS: Record<Engine, string> = {
  sqlite: fileURLToPath(new URL('../../migrations/sqlite', import.meta.url)),
  postgres: fileURLToPath(new URL('../../migrations/postgres', import.meta.url)),
};
export const MIGRATIONS_FOLDER = MIGRATIONS_FOLDERS.sqlite;

/** The key of the session-level advisory lock migrations run under on PostgreSQL. */
export const MIGRATION_LOCK_KEY = 0x65766d67; // "evmg"

// Two processes may start on one new file at once: the second waits for the first one's migration (at start, when
// blocking the event loop costs nothing) instead of failing.
const MIGRATION_LOCK_WAIT_MS = 30_000;

/**
 * Migrates on a connection of its own, so that the handles' writer never blocks on a lock. On PostgreSQL the whole
 * migration runs under an advisory lock: ten replicas starting at once migrate once, the other nine wait and then
 * find nothing to do.
 */
export async function migrateDatabase(db: Database): Promise<void> {
  if (db.engine === 'postgres') return migratePostgres(db);
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

async function migratePostgres(db: Database): Promise<void> {
  const client = await poolOf(db).connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      // The tracking table beside the tables (public.__drizzle_migrations), as on SQLite, not in a schema of its own.
      await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_FOLDERS.postgres, migrationsSchema: 'public' });
      await client.query(
        `INSERT INTO meta (key, value) VALUES ('database_id', $1), ('data_version', '0') ON CONFLICT (key) DO NOTHING`,
        [randomUUID()],
      );
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
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

const expectedMigrations = new Map<Engine, number>();

/** The number of migrations applied, and the number shipped with this code for the handle's engine. */
export async function migrationStatus(h: Reader): Promise<{ applied: number; expected: number }> {
  let expected = expectedMigrations.get(h.engine);
  if (expected === undefined) {
    expected = (
      JSON.parse(readFileSync(`${MIGRATIONS_FOLDERS[h.engine]}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }
    ).entries.length;
    expectedMigrations.set(h.engine, expected);
  }
  const row = await h.get<{ n: number }>('SELECT count(*) AS n FROM __drizzle_migrations');
  return { applied: row?.n ?? 0, expected };
}
