// The two schema declarations (SQLite's src/store/schema.ts, PostgreSQL's src/store/postgres/schema.ts) describe one
// schema: the same tables, columns (name, nullability, default or not, primary key), indexes and uniqueness, so that
// one query module and one row type serve both engines.
import { type PgTable, getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { type SQLiteTable, getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../src/store/postgres/schema.js';
import * as sqliteSchema from '../src/store/schema.js';

const isTable = (value: unknown, symbol: string) =>
  typeof value === 'object' &&
  value !== null &&
  Object.getOwnPropertySymbols(value).some((s) => s.description === symbol);

function tablesOf(schema: Record<string, unknown>): string[] {
  return Object.entries(schema)
    .filter(([, value]) => isTable(value, 'drizzle:IsDrizzleTable'))
    .map(([name]) => name)
    .sort();
}

interface Shape {
  columns: Record<string, { notNull: boolean; hasDefault: boolean; primary: boolean }>;
  primaryKey: string[];
  indexes: Record<string, { unique: boolean; columns: string[] }>;
}

function columnNames(columns: readonly unknown[]): string[] {
  return columns.map((c) => (c as { name?: string }).name ?? String(c));
}

function shape(config: ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>): Shape {
  const columns = Object.fromEntries(
    config.columns
      .map((c) => [c.name, { notNull: c.notNull, hasDefault: c.hasDefault, primary: c.primary }] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  const primaryKey = config.primaryKeys.flatMap((pk) => columnNames(pk.columns)).sort();
  const indexes: Shape['indexes'] = {};
  for (const index of config.indexes) {
    const { name, unique, columns: cols } = index.config as { name: string; unique: boolean; columns: unknown[] };
    indexes[name] = { unique, columns: columnNames(cols) };
  }
  // A UNIQUE constraint on PostgreSQL is a unique index on SQLite: compare them as unique column sets.
  const uniques = (config as { uniqueConstraints?: { name?: string; columns: unknown[] }[] }).uniqueConstraints ?? [];
  for (const u of uniques)
    indexes[u.name ?? columnNames(u.columns).join('_')] = { unique: true, columns: columnNames(u.columns) };
  return { columns, primaryKey, indexes };
}

const uniqueSets = (s: Shape) =>
  Object.values(s.indexes)
    .filter((i) => i.unique)
    .map((i) => i.columns.join(','))
    .sort();

describe('the PostgreSQL schema is the SQLite schema', () => {
  const sqliteTables = tablesOf(sqliteSchema);

  it('declares the same tables', () => {
    expect(tablesOf(pgSchema)).toEqual(sqliteTables);
    expect(sqliteTables).toContain('claims');
  });

  it.each(sqliteTables)('%s: same columns, nullability, defaults, keys and unique column sets', (name) => {
    const sqlite = shape(sqliteConfig((sqliteSchema as unknown as Record<string, SQLiteTable>)[name] as SQLiteTable));
    const pg = shape(pgConfig((pgSchema as unknown as Record<string, PgTable>)[name] as PgTable));
    expect(pg.columns).toEqual(sqlite.columns);
    expect(pg.primaryKey).toEqual(sqlite.primaryKey);
    expect(uniqueSets(pg)).toEqual(uniqueSets(sqlite));
    // Plain indexes by name: the list queries' plans rest on them (test/query-plans.test.ts, on SQLite).
    const plain = (s: Shape) =>
      Object.entries(s.indexes)
        .filter(([, i]) => !i.unique)
        .map(([n, i]) => `${n}(${i.columns.join(',')})`)
        .sort();
    expect(plain(pg)).toEqual(plain(sqlite));
  });
});
