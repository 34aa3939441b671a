// Applies the committed drizzle-kit migrations and makes sure the database has an identity and a data version.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { AppDatabase, Sqlite } from './client.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

export function migrateDatabase(db: AppDatabase): void {
  migrate(db.orm, { migrationsFolder: MIGRATIONS_FOLDER });
  db.sqlite
    .prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', ?), ('data_version', '0')`)
    .run(randomUUID());
}

let expectedMigrations: number | undefined;

/** The number of migrations applied, and the number shipped with this code. */
export function migrationStatus(sqlite: Sqlite): { applied: number; expected: number } {
  expectedMigrations ??= (
    JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }
  ).entries.length;
  const row = sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
  return { applied: row.n, expected: expectedMigrations };
}
