// The database handles every data-access function takes: a reader for reads, and write transactions that are
// immediate, serialised in-process and bounded in how long they wait for another process's write lock.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Mutex } from 'async-mutex';
import BetterSqlite3 from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import pRetry, { AbortError } from 'p-retry';
import * as schema from './schema.js';

export type Sqlite = BetterSqlite3.Database;
export type Drizzle = BetterSQLite3Database<typeof schema>;

/**
 * What a read needs: an engine name and that engine's access. Every query function takes one of these (a
 * `Database` or a `Transaction`) and returns a Promise, so a PostgreSQL store can stand behind the same functions.
 * For SQLite, `sqlite` runs the prepared hot-path statements and `orm` the drizzle queries.
 */
export interface Reader {
  readonly engine: 'sqlite';
  readonly sqlite: Sqlite;
  readonly orm: Drizzle;
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

/** The whole database: reads run on a reader connection that sees only committed data. */
export interface Database extends Reader {
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
  /** Waits for a running write to finish, then closes both connections (and deletes a temporary database). */
  close(): Promise<void>;
  readonly open: boolean;
}

/** Another writer held the database longer than the bound; nothing was written. Answered as 503 with Retry-After. */
export class StoreBusyError extends Error {
  override name = 'StoreBusyError';
  constructor(
    readonly waitedMs: number,
    /** Seconds after which a retry is sensible. */
    readonly retryAfterSeconds = 1,
  ) {
    super(`the database is busy with another write (waited ${waitedMs} ms)`);
  }
}

export interface OpenOptions {
  /** See Database.busyWaitMs; default 5000 (WRITE_LOCK_WAIT_MS). */
  busyWaitMs?: number;
  /** `OFF` only for throw-away test databases: FULL makes every acknowledged commit survive power loss. */
  synchronous?: 'FULL' | 'OFF';
  /** Delete the file (and its WAL) on close: test databases. */
  temporary?: boolean;
  /** A folder made for this database alone, removed on close (see openScratchDatabase). */
  scratchDir?: string;
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

/** SQLite's "database or disk is full": the write was rolled back. Answered as 507. */
export const isStorageFull = (error: unknown): boolean =>
  String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_FULL');

const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};

/**
 * Opens a database file with two connections. A second connection cannot share an in-memory database, so
 * `:memory:` is refused: tests use temporary files (`temporary: true`).
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database {
  if (path === ':memory:' || path === '' || path.startsWith('file:'))
    throw new RangeError(
      `openDatabase needs a file path (got ${JSON.stringify(path)}): a reader and a writer share it`,
    );
  const { busyWaitMs = DEFAULT_BUSY_WAIT_MS, synchronous = 'FULL', temporary = false } = options;
  mkdirSync(dirname(path), { recursive: true });
  // The writer never blocks the event loop on a lock: it fails at once and BEGIN is retried asynchronously.
  const writer = connect(path, synchronous, 0);
  const reader = connect(path, synchronous, READER_BUSY_TIMEOUT_MS);
  const readerOrm = drizzle(reader, { schema });
  const tx: Transaction = { engine: 'sqlite', sqlite: writer, orm: drizzle(writer, { schema }), writable: true };
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
    engine: 'sqlite',
    path,
    busyWaitMs,
    sqlite: reader,
    orm: readerOrm,
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
        tx.sqlite
          .prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('storage_probe', zeroblob(?))`)
          .run(PROBE_BYTES);
        tx.sqlite.prepare(`DELETE FROM meta WHERE key = 'storage_probe'`).run();
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
