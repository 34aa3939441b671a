// Copies a whole database from one engine to the other (or to another database of the same engine): every table's
// rows, identity and data version included, verified afterwards by a row count and a checksum per table.
import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import { type Database, type Reader, sqliteReader } from './client.js';
import { StoreUnavailableError } from './errors.js';
import { migrateDatabase } from './migrate.js';
import { isUnavailable, poolOf, postgresReader } from './postgres/client.js';
import * as schema from './schema.js';

const TABLES: Record<string, unknown> = { ...schema };

/**
 * Every table, parents before children (foreign keys point backwards in this list), which is the order of
 * src/store/schema.ts. The search index is not copied: each engine's triggers build it from the rows.
 */
export const COPY_ORDER = [
  'meta',
  'conditions',
  'condition_synonyms',
  'condition_parents',
  'condition_descendants',
  'condition_codes',
  'interventions',
  'intervention_synonyms',
  'lookup_keys',
  'studies',
  'study_notices',
  'claims',
  'claim_interventions',
  'claim_studies',
  'claim_relations',
  'claim_import_state',
  'claim_picos',
  'claim_pico_age_groups',
  'topics',
  'topic_claims',
  'api_keys',
  'revisions',
] as const satisfies readonly (keyof typeof schema)[];

export type CopiedTable = (typeof COPY_ORDER)[number];

export class CopyError extends Error {}

interface TableShape {
  columns: string[];
  /** The primary key's columns: the order rows are read and checksummed in. */
  key: string[];
  /** The integer column PostgreSQL draws from an identity sequence, if any (reset after the copy). */
  identity: string | undefined;
}

function shapeOf(table: CopiedTable): TableShape {
  const config = getTableConfig(TABLES[table] as (typeof schema)[CopiedTable]);
  const columns = config.columns.map((c) => c.name);
  const single = config.columns.filter((c) => c.primary).map((c) => c.name);
  const key = single.length > 0 ? single : (config.primaryKeys[0]?.columns.map((c) => c.name) ?? columns);
  const identity = config.columns.find((c) => c.primary && c.columnType === 'SQLiteInteger' && single.length === 1);
  return { columns, key, identity: identity?.name };
}

/** Rows of one table in primary-key order, in batches (keyset pagination would need per-table SQL; OFFSET is fine at these sizes). */
async function* rowsOf(h: Reader, table: CopiedTable, shape: TableShape, batch = 500) {
  const order = shape.key.join(', ');
  for (let offset = 0; ; offset += batch) {
    const rows = await h.all<Record<string, unknown>>(
      `SELECT ${shape.columns.join(', ')} FROM ${table} ORDER BY ${order} LIMIT ${batch} OFFSET ${offset}`,
    );
    if (rows.length > 0) yield rows;
    if (rows.length < batch) return;
  }
}

export interface TableCheck {
  table: CopiedTable;
  rows: number;
  /** SHA-256 over the rows in key order, each as the JSON array of its values in column order. */
  sha256: string;
}

/**
 * The row count and checksum of every table. Both engines hand rows over in SQLite's shapes (see Reader), so equal
 * content gives equal checksums across engines.
 */
export async function checksumTables(h: Reader): Promise<TableCheck[]> {
  const checks: TableCheck[] = [];
  for (const table of COPY_ORDER) {
    const shape = shapeOf(table);
    const hash = createHash('sha256');
    let rows = 0;
    for await (const page of rowsOf(h, table, shape))
      for (const row of page) {
        hash.update(`${JSON.stringify(shape.columns.map((c) => row[c] ?? null))}\n`);
        rows++;
      }
    checks.push({ table, rows, sha256: hash.digest('hex') });
  }
  return checks;
}

/**
 * Runs `read` on one snapshot of `db`, the data as of one commit, while every writer (of any process) goes on and
 * never waits for it. PostgreSQL: one pooled connection in a `REPEATABLE READ READ ONLY` transaction (the snapshot is
 * taken by its first statement; PostgreSQL docs, "Transaction Isolation"). SQLite: a read transaction on a read-only
 * connection of its own (in WAL mode the snapshot is fixed by the first read and later commits stay invisible to it).
 * The snapshot is taken before `read` starts. Rejects with what `read` rejects with, or StoreUnavailableError when
 * PostgreSQL cannot be reached.
 */
export async function readSnapshot<T>(db: Database, read: (snapshot: Reader) => Promise<T>): Promise<T> {
  if (db.engine === 'postgres') {
    let client: pg.PoolClient;
    try {
      client = await poolOf(db).connect();
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshot = postgresReader(client);
      await snapshot.get('SELECT count(*) AS n FROM meta');
      const result = await read(snapshot);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (isUnavailable(error)) broken = error as Error;
      throw isUnavailable(error) ? new StoreUnavailableError(error) : error;
    } finally {
      // A connection that broke mid-read is destroyed, not handed back to the pool.
      client.release(broken);
    }
  }
  const sqlite = new BetterSqlite3(db.path, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    sqlite.exec('BEGIN');
    const snapshot = sqliteReader(sqlite);
    await snapshot.get('SELECT count(*) AS n FROM meta');
    try {
      return await read(snapshot);
    } finally {
      sqlite.exec('COMMIT');
    }
  } finally {
    sqlite.close();
  }
}

export interface CopySummary {
  tables: TableCheck[];
  ms: number;
}

export interface CopyOptions {
  /** Runs once the source's snapshot is taken, before any row is read from it (tests write to the source here). */
  afterSnapshot?: () => Promise<void>;
}

/**
 * Copies `from` into `to`: migrates `to`, refuses it unless it holds no content (no condition, intervention, study,
 * claim, topic, key or revision), then reads every table from one snapshot of the source (readSnapshot: its writers
 * and readers go on, the copy is the data as of one commit) into one write transaction on the target, and compares
 * the row count and checksum of every table, the source's taken inside the same snapshot. Throws CopyError naming the
 * first table that differs (the target's transaction has committed by then: drop it and copy again). The target keeps
 * the source's database id and data version, so ETags and change-feed cursors stay valid.
 */
export async function copyDatabase(from: Database, to: Database, options: CopyOptions = {}): Promise<CopySummary> {
  const started = performance.now();
  await migrateDatabase(to);
  const occupied = await to.get<{ n: number }>(
    `SELECT (SELECT count(*) FROM conditions) + (SELECT count(*) FROM interventions) + (SELECT count(*) FROM studies)
          + (SELECT count(*) FROM claims) + (SELECT count(*) FROM topics) + (SELECT count(*) FROM api_keys)
          + (SELECT count(*) FROM revisions) AS n`,
  );
  if ((occupied?.n ?? 0) > 0)
    throw new CopyError(`the target ${to.path} already holds data: copy into an empty database`);
  const expected = await readSnapshot(from, async (source) => {
    await options.afterSnapshot?.();
    await to.transaction(async (target) => {
      await target.run('DELETE FROM meta');
      for (const table of COPY_ORDER) {
        const shape = shapeOf(table);
        for await (const page of rowsOf(source, table, shape)) {
          const row = `(${shape.columns.map(() => '?').join(', ')})`;
          await target.run(
            `INSERT INTO ${table} (${shape.columns.join(', ')}) VALUES ${page.map(() => row).join(', ')}`,
            page.flatMap((r) => shape.columns.map((c) => r[c] ?? null)),
          );
        }
        // PostgreSQL's identity sequences do not see explicit ids: the next insert must draw past the copied ones.
        if (target.engine === 'postgres' && shape.identity)
          await target.get(
            `SELECT setval(pg_get_serial_sequence('${table}', '${shape.identity}'), coalesce(max(${shape.identity}), 0) + 1, false) FROM ${table}`,
          );
      }
    });
    // Inside the snapshot: the source as it was copied, whatever its writers committed since.
    return checksumTables(source);
  });
  const actual = await checksumTables(to);
  for (const [i, want] of expected.entries()) {
    const got = actual[i];
    if (got?.rows !== want.rows || got.sha256 !== want.sha256)
      throw new CopyError(
        `${want.table} differs after the copy: ${want.rows} rows (${want.sha256.slice(0, 12)}) in the source, ${got?.rows} (${got?.sha256.slice(0, 12)}) in the target`,
      );
  }
  return { tables: expected, ms: Math.round(performance.now() - started) };
}
