// The database handles every data-access function takes, on either engine: a reader for reads, and write transactions
// that are serialised (in-process and across processes) and bounded in how long they wait for another's write lock.
// openDatabase picks the engine from the location: a file path is SQLite (here), a postgres:// URL is PostgreSQL
// (store/postgres/client.ts).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Mutex } from 'async-mutex';
import BetterSqlite3 from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import pRetry, { AbortError } from 'p-retry';
import { twin } from './dialect.js';
import { isStorageFull, StoreBusyError, StoreUnavailableError } from './errors.js';
import { openPostgresDatabase } from './postgres/client.js';
import type { Params } from './postgres/placeholders.js';
import * as schema from './schema.js';
import { prepared } from './statements.js';

export type Sqlite = BetterSqlite3.Database;
/**
 * drizzle's query builder, typed as the SQLite one. On PostgreSQL the handle carries drizzle's pg-dialect builder
 * over the pg tables instead: both builders have the same methods for what the query modules use (select, insert,
 * update, delete, onConflict..., returning, awaited), and the two schemas have identical row types
 * (test/schema-parity.test.ts), so one typed code path serves both. Never call the SQLite-only `.all()`, `.get()`,
 * `.run()`, `.values()` on a builder: await it (test/write-path.test.ts refuses them).
 */
export type Drizzle = BetterSQLite3Database<typeof schema>;
/** The tables a builder query names: `h.tables.claims`, never an import of schema.ts (the engine's own tables). */
export type Tables = typeof schema;
export type Engine = 'sqlite' | 'postgres';
export type { Params };

/** What a write statement did: the number of rows it inserted, updated or deleted. */
export interface RunResult {
  changes: number;
}

/**
 * What a read needs, on either engine. Every query function takes one of these (a `Database` or a `Transaction`)
 * and returns a Promise.
 *
 * - `all`, `get`, `run`: hand-written SQL with `@name` (an object) or `?` (an array) placeholders, prepared once per
 *   connection on each engine. Rows come back in SQLite's shapes on both: integers (counts too) as numbers, booleans
 *   as 1/0, JSON as text. Boolean parameters are bound as 1/0 on SQLite. Write portable SQL, or a twin per engine
 *   (see "How a query module runs on both engines" in docs/architecture.md).
 * - `orm` + `tables`: drizzle's builder over this engine's tables.
 * - `sqlite`: the raw SQLite connection, for code not yet ported to PostgreSQL (it throws there, naming the caller).
 */
export interface Reader {
  readonly engine: Engine;
  /** @deprecated SQLite only: use all/get/run or orm. Throws on PostgreSQL. */
  readonly sqlite: Sqlite;
  readonly orm: Drizzle;
  readonly tables: Tables;
  all<T = Record<string, unknown>>(sqlText: string, params?: Params): Promise<T[]>;
  get<T = Record<string, unknown>>(sqlText: string, params?: Params): Promise<T | undefined>;
  run(sqlText: string, params?: Params): Promise<RunResult>;
}

/**
 * The inside of one write transaction. Only `Database.transaction` makes one, and only src/store and src/curation
 * call that (test/write-path.test.ts greps for it), so a function that needs a `Transaction` cannot write outside
 * the one write path. Reads through it see the transaction's own uncommitted changes.
 */
export interface Transaction extends Reader {
  readonly writable: true;
}

export interface TransactionOptions {
  /**
   * `wait` (default): wait for the write lock up to the database's bound, then throw StoreBusyError. `skip`: give up
   * at once (resolving undefined) when another write holds it, for best-effort bookkeeping such as a key's last use.
   */
  busy?: 'wait' | 'skip';
}

/** The whole database: reads run on a reader connection (SQLite) or the pool (PostgreSQL): only committed data. */
export interface Database extends Reader {
  /** The SQLite file, or the PostgreSQL URL without its password. */
  readonly path: string;
  /**
   * Milliseconds a write waits for another process's write lock before StoreBusyError. Writes of this process take
   * turns without that bound (each is short, or gives up at its own deadline); a turn that comes after the deadline
   * still gets one attempt.
   */
  readonly busyWaitMs: number;
  /**
   * Runs `work` in one immediate transaction on the writer connection: commits when it resolves, rolls back when
   * it throws. Writes of this process take turns; another process's write lock is retried with backoff.
   * Throws StoreBusyError when the lock is not had within `busyWaitMs`.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  transaction<T>(work: (tx: Transaction) => Promise<T>, options: { busy: 'skip' }): Promise<T | undefined>;
  /**
   * True after a write failed because the disk (or the database's page limit) is full, until a write commits again:
   * readiness reports it, and probes with `probeStorage`.
   */
  readonly storageFull: boolean;
  /** Waits for a running write to finish, then closes the connections (and deletes a temporary database). */
  close(): Promise<void>;
  /** Resolves when the database answers a trivial query now; rejects with the driver's error when it does not. */
  ping(): Promise<void>;
  readonly open: boolean;
}

export { isStorageFull, StoreBusyError, StoreUnavailableError } from './errors.js';

export interface OpenOptions {
  /** See Database.busyWaitMs; default 5000 (WRITE_LOCK_WAIT_MS). */
  busyWaitMs?: number;
  /** `OFF` only for throw-away test databases: FULL makes every acknowledged commit survive power loss. */
  synchronous?: 'FULL' | 'OFF';
  /** Delete the file (and its WAL) on close: test databases. */
  temporary?: boolean;
  /** A folder made for this database alone, removed on close (see openScratchDatabase). */
  scratchDir?: string;
  /** PostgreSQL: most connections this process opens (default 10, DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** PostgreSQL: runs after the pool has ended, on close (test databases drop themselves). */
  onClose?: () => Promise<void>;
  /** PostgreSQL: streaming standbys for the handle's reads (DATABASE_REPLICA_URLS; see store/postgres/replicas.ts). */
  replicaUrls?: string[];
  /** PostgreSQL: a replica further behind than this, in ms, is skipped (DATABASE_REPLICA_MAX_LAG_MS, default 5000). */
  replicaMaxLagMs?: number;
}

/** A throw-away database in a new folder under the system's temporary directory, all removed on close. */
export function openScratchDatabase(name = 'scratch'): Database {
  const dir = mkdtempSync(join(tmpdir(), `evidence-${name}-`));
  return openDatabase(join(dir, `${name}.db`), { temporary: true, synchronous: 'OFF', scratchDir: dir });
}

export const DEFAULT_BUSY_WAIT_MS = 5000;
// A reader waits on a lock only while another connection recovers the WAL after a crash: rare and short.
const READER_BUSY_TIMEOUT_MS = 5000;

function connect(path: string, synchronous: 'FULL' | 'OFF', busyTimeoutMs: number): Sqlite {
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // WAL: the reader sees the last commit while a write is in flight, never the write itself.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};

/** Whether a database location is a PostgreSQL URL (else it is a SQLite file path). */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** SQLite's runner: each text prepared once per connection; booleans bound as 1/0 (better-sqlite3 refuses them). */
export function sqliteRunner(sqlite: Sqlite): Pick<Reader, 'all' | 'get' | 'run'> {
  const bind = (params: Params | undefined): unknown[] => {
    if (params === undefined) return [];
    const fix = (v: unknown) => (v === true ? 1 : v === false ? 0 : v);
    if (Array.isArray(params)) return params.map(fix);
    return [Object.fromEntries(Object.entries(params).map(([k, v]) => [k, fix(v)]))];
  };
  return {
    all: async <T>(sqlText: string, params?: Params) => prepared(sqlite, sqlText).all(...bind(params)) as T[],
    get: async <T>(sqlText: string, params?: Params) => prepared(sqlite, sqlText).get(...bind(params)) as T | undefined,
    run: async (sqlText: string, params?: Params) => ({
      changes: prepared(sqlite, sqlText).run(...bind(params)).changes,
    }),
  };
}

/** A SQLite Reader over one connection (the database's reader, its writer, or a snapshot file). */
export function sqliteReader(sqlite: Sqlite): Reader {
  return { engine: 'sqlite', sqlite, orm: drizzle(sqlite, { schema }), tables: schema, ...sqliteRunner(sqlite) };
}

/**
 * Opens a database: a `postgres://` (or `postgresql://`) URL is PostgreSQL, anything else a SQLite file with two
 * connections. A second SQLite connection cannot share an in-memory database, so `:memory:` is refused: tests use
 * temporary files (`temporary: true`).
 */
export function openDatabase(location: string, options: OpenOptions = {}): Database {
  if (isPostgresUrl(location)) return openPostgresDatabase(location, { busyWaitMs: DEFAULT_BUSY_WAIT_MS, ...options });
  const path = location;
  if (path === ':memory:' || path === '' || path.startsWith('file:'))
    throw new RangeError(
      `openDatabase needs a file path (got ${JSON.stringify(path)}): a reader and a writer share it`,
    );
  const { busyWaitMs = DEFAULT_BUSY_WAIT_MS, synchronous = 'FULL', temporary = false } = options;
  mkdirSync(dirname(path), { recursive: true });
  // The writer never blocks the event loop on a lock: it fails at once and BEGIN is retried asynchronously.
  const writer = connect(path, synchronous, 0);
  const reader = connect(path, synchronous, READER_BUSY_TIMEOUT_MS);
  const readerHandle = sqliteReader(reader);
  const tx: Transaction = { ...sqliteReader(writer), writable: true };
  const turns = new Mutex();
  let closed = false;
  let storageFull = false;

  async function begin(deadline: number, busy: 'wait' | 'skip'): Promise<boolean> {
    const attempt = () => {
      try {
        writer.exec('BEGIN IMMEDIATE');
      } catch (error) {
        if (isBusy(error) && busy === 'wait') throw error;
        if (isBusy(error)) throw new AbortError('busy');
        throw new AbortError(error as Error);
      }
    };
    try {
      await pRetry(attempt, {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: 5,
        maxTimeout: 100,
        factor: 2,
        randomize: true,
        maxRetryTime: Math.max(0, deadline - performance.now()),
        // Not unref'd: a command line waiting for the lock has nothing else keeping it alive.
      });
      return true;
    } catch (error) {
      if (isBusy(error) || (error as Error).message === 'busy') return false;
      throw error;
    }
  }

  const database: Database = {
    ...readerHandle,
    path,
    busyWaitMs,
    ping: async () => {
      reader.prepare('SELECT 1').get();
    },
    get open() {
      return !closed;
    },
    get storageFull() {
      return storageFull;
    },
    transaction: (async <T>(work: (tx: Transaction) => Promise<T>, { busy = 'wait' }: TransactionOptions = {}) => {
      if (closed) throw new Error('the database is closed');
      const started = performance.now();
      if (busy === 'skip' && turns.isLocked()) return undefined;
      // Waiting for this process's own writes is not bounded here: each of them is short, or gives up at its own
      // deadline, so the queue drains. The bound is on another process's lock: a write whose turn comes after its
      // deadline still gets one attempt, and answers busy at once only if another process holds the lock.
      const release = await turns.acquire();
      try {
        if (closed) throw new Error('the database is closed');
        const deadline = Math.max(started + busyWaitMs, performance.now());
        if (!(await begin(deadline, busy))) {
          if (busy === 'skip') return undefined;
          throw new StoreBusyError(Math.round(performance.now() - started));
        }
        try {
          const result = await work(tx);
          writer.exec('COMMIT');
          storageFull = false;
          return result;
        } catch (error) {
          if (writer.inTransaction) writer.exec('ROLLBACK');
          if (isStorageFull(error)) storageFull = true;
          throw error;
        }
      } finally {
        release();
      }
    }) as Database['transaction'],
    close: async () => {
      if (closed) return;
      closed = true;
      // A write in flight finishes (or rolls back) before its connection goes.
      await turns.waitForUnlock();
      if (reader.open) reader.close();
      if (writer.open) writer.close();
      if (temporary) for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
      if (options.scratchDir) rmSync(options.scratchDir, { recursive: true, force: true });
    },
  };
  return database;
}

/**
 * Resolves when the database answers; while it is unreachable (StoreUnavailableError) retries with exponential
 * backoff (0.25 s doubling to 4 s) for up to `waitMs`, then rejects with the last error. Any other error (a refused
 * password, a missing database) rejects at once. A SQLite file answers at once.
 */
export async function waitForDatabase(db: Database, { waitMs = 30_000 }: { waitMs?: number } = {}): Promise<void> {
  await pRetry(() => db.ping(), {
    retries: Number.POSITIVE_INFINITY,
    maxRetryTime: waitMs,
    minTimeout: 250,
    maxTimeout: 4000,
    factor: 2,
    // A refused password or a missing database will not mend by waiting.
    shouldRetry: ({ error }) => error instanceof StoreUnavailableError,
  });
}

/** Room a storage probe asks for: more than a typical write (a topic with its longest texts is about 12 KB). */
const PROBE_BYTES = 256 * 1024;

/**
 * Whether a write can commit now: writes (and deletes again, in the same transaction) a 256 KB row in `meta`. Only
 * worth running after a write failed with a full disk (see Database.storageFull), so that readiness recovers as soon
 * as space is freed, without waiting for a client's write. Resolves false when the disk is still full, or when
 * another write holds the lock (unknown yet).
 */
export async function probeStorage(db: Database): Promise<boolean> {
  try {
    const wrote = await db.transaction(
      async (tx) => {
        // PostgreSQL writes the row to its WAL before the DELETE: a full disk fails the INSERT with 53100.
        await tx.run(
          twin(tx, {
            sqlite: `INSERT OR REPLACE INTO meta (key, value) VALUES ('storage_probe', zeroblob(?))`,
            postgres: `INSERT INTO meta (key, value)
                         SELECT 'storage_probe', string_agg(md5(random()::text), '') FROM generate_series(1, CAST(? AS integer) / 32)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          }),
          [PROBE_BYTES],
        );
        await tx.run(`DELETE FROM meta WHERE key = 'storage_probe'`);
        return true;
      },
      { busy: 'skip' },
    );
    return wrote === true;
  } catch (error) {
    if (isStorageFull(error)) return false;
    throw error;
  }
}
