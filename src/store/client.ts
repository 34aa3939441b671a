// Opens the SQLite database with the pragmas the service relies on, and wraps it for drizzle.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';

export type Sqlite = Database.Database;
export type Drizzle = BetterSQLite3Database<typeof schema>;

/** The open database: `sqlite` for prepared hot-path statements, `orm` for drizzle queries and migrations. */
export interface AppDatabase {
  sqlite: Sqlite;
  orm: Drizzle;
  close(): void;
}

export function openDatabase(path: string): AppDatabase {
  if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets readers proceed while a write commits; FULL makes every acknowledged commit survive power loss.
  if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const orm = drizzle(sqlite, { schema });
  return {
    sqlite,
    orm,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
