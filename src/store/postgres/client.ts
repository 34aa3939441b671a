// The PostgreSQL engine behind the same handles as SQLite: a node-postgres pool for reads, a pooled client per write
// transaction that first takes the commit lock, and the SQL runner that runs the portable statements unchanged.
import { createHash } from 'node:crypto';
import { Mutex } from 'async-mutex';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type {
  Database,
  Drizzle,
  OpenOptions,
  Params,
  Reader,
  Tables,
  Transaction,
  TransactionOptions,
} from '../client.js';
import { isStorageFull, StoreBusyError, StoreUnavailableError } from '../errors.js';
import { translatePlaceholders, valuesFor } from './placeholders.js';
import {
  DEFAULT_REPLICA_MAX_LAG_MS,
  positionAfterCommit,
  ReplicaSet,
  readScopes,
  registerReplicas,
  routedQueryable,
} from './replicas.js';
import * as pgSchema from './schema.js';

/** Connections per process when DATABASE_POOL_SIZE is not set (see docs/architecture.md, "Pool sizing"). */
export const DEFAULT_POOL_SIZE = 10;

/**
 * The key of the advisory lock every write transaction takes first (pg_advisory_xact_lock). Commits are serialised
 * across every process on the database, so revision ids (the change feed) are assigned in commit order and a feed
 * reader never skips an entry that commits later; data-version bumps never interleave. The cost: one write at a time,
 * which curation volumes (a few writes a second at most; an import is one transaction) never notice.
 */
export const COMMIT_LOCK_KEY = 0x65766964; // "evid"

const { types } = pg;
/**
 * How the runner reads values: as SQLite's driver would hand them over, so that hand-written SQL sees one shape on
 * both engines. bigint (count(*), sum()) and numeric as numbers (every such value here is far below 2^53), booleans as
 * 1/0, json as its text (callers JSON.parse it, as they parse SQLite's json_group_array).
 */
const SQLITE_SHAPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    switch (oid) {
      case types.builtins.INT8:
      case types.builtins.NUMERIC:
        return (value: string) => Number(value);
      case types.builtins.BOOL:
        return (value: string) => (value === 't' ? 1 : 0);
      case types.builtins.JSON:
      case types.builtins.JSONB:
        return (value: string) => value;
      default:
        return types.getTypeParser(oid, format);
    }
  },
} as pg.CustomTypesConfig;

/** SQLSTATEs that mean "the server is not there" (class 08 connection exceptions, 57P0x shutdown/crash). */
const UNAVAILABLE_CODES = /^(08|57P0)/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/** Whether an error from node-postgres means the database is unreachable (so a 503, not a 500). */
export function isUnavailable(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const message = String((error as Error | null)?.message ?? '');
  return (
    UNAVAILABLE_CODES.test(code) ||
    NETWORK_CODES.has(code) ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)
  );
}

const statementName = (text: string) => `e${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;

type Queryable = pg.Pool | pg.PoolClient | Pick<pg.Pool, 'query'>;

async function query(on: Queryable, sqlText: string, params: Params | undefined): Promise<pg.QueryResult> {
  const translated = translatePlaceholders(sqlText);
  try {
    // A name makes node-postgres prepare the text once per connection and reuse it after.
    return await on.query({
      name: statementName(translated.text),
      text: translated.text,
      values: valuesFor(translated, params),
      types: SQLITE_SHAPES,
    });
  } catch (error) {
    throw isUnavailable(error) ? new StoreUnavailableError(error) : error;
  }
}

function runner(on: Queryable): Pick<Reader, 'all' | 'get' | 'run'> {
  return {
    all: async <T>(sqlText: string, params?: Params) => (await query(on, sqlText, params)).rows as T[],
    get: async <T>(sqlText: string, params?: Params) => (await query(on, sqlText, params)).rows[0] as T | undefined,
    run: async (sqlText: string, params?: Params) => ({ changes: (await query(on, sqlText, params)).rowCount ?? 0 }),
  };
}

function notPorted(): never {
  const caller = new Error().stack?.split('\n')[3]?.trim() ?? 'unknown';
  throw new Error(
    `this query still uses SQLite's connection (h.sqlite) and has no PostgreSQL version yet (${caller}); see "How a query module runs on both engines" in docs/architecture.md`,
  );
}

/** A Reader on the pool (committed data) or on one client (inside its transaction). */
export function postgresReader(on: Queryable): Reader {
  return {
    engine: 'postgres',
    // Any use of the SQLite connection throws, naming the caller: a handle can be spread without touching it.
    sqlite: new Proxy({} as Reader['sqlite'], { get: () => notPorted() }),
    // Typed as the SQLite builder over the SQLite tables: the same calls, the same row types (see client.ts Drizzle).
    orm: drizzle(on as pg.Pool, { schema: pgSchema }) as unknown as Drizzle,
    tables: pgSchema as unknown as Tables,
    ...runner(on),
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

const LOCK_NOT_AVAILABLE = '55P03';

const pools = new WeakMap<Database, pg.Pool>();
/** The pool behind a PostgreSQL Database (for migrations, which need one session of their own). */
export function poolOf(db: Database): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('not a PostgreSQL database handle');
  return pool;
}

/**
 * Opens a pool on a PostgreSQL database. Nothing connects until the first query: `ping` (or prepareDatabase) finds
 * out whether the server is there. Reads use any pooled connection and see committed data; `transaction` takes a
 * connection of its own for the whole write.
 */
export function openPostgresDatabase(url: string, options: OpenOptions = {}): Database {
  const { busyWaitMs = 5000, poolSize = DEFAULT_POOL_SIZE } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // A connection that cannot be had in this time is a database that is not there: a 503, not a hang.
    connectionTimeoutMillis: Math.max(busyWaitMs, 2000),
    idleTimeoutMillis: 30_000,
    application_name: 'evidence-api',
  });
  // An idle connection the server dropped (restart, failover) must not crash the process: the pool replaces it.
  pool.on('error', () => {});
  const replicaUrls = options.replicaUrls ?? [];
  // With replicas, the handle's plain reads go where the request's scope says (store/postgres/replicas.ts).
  const replicas =
    replicaUrls.length > 0
      ? new ReplicaSet(replicaUrls, { poolSize, maxLagMs: options.replicaMaxLagMs ?? DEFAULT_REPLICA_MAX_LAG_MS })
      : undefined;
  const turns = new Mutex();
  let closed = false;
  let storageFull = false;

  async function begin(client: pg.PoolClient, deadline: number, busy: 'wait' | 'skip'): Promise<boolean> {
    await client.query('BEGIN');
    if (busy === 'skip') {
      const row = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        COMMIT_LOCK_KEY,
      ]);
      return row.rows[0]?.locked === true;
    }
    // lock_timeout bounds the wait for the commit lock held by another process; 0 would mean "forever".
    const wait = Math.max(1, Math.round(deadline - performance.now()));
    await client.query(`SET LOCAL lock_timeout = ${wait}`);
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [COMMIT_LOCK_KEY]);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return false;
      throw error;
    } finally {
      // Row locks inside the write wait as long as they must: the commit lock already orders every writer.
      await client.query('SET LOCAL lock_timeout = 0').catch(() => {});
    }
  }

  const database: Database = {
    ...postgresReader(replicas ? routedQueryable(pool, replicas) : pool),
    path: redactUrl(url),
    busyWaitMs,
    get storageFull() {
      return storageFull;
    },
    get open() {
      return !closed;
    },
    ping: async () => {
      await query(pool, 'SELECT 1', undefined);
    },
    transaction: (async <T>(work: (tx: Transaction) => Promise<T>, { busy = 'wait' }: TransactionOptions = {}) => {
      if (closed) throw new Error('the database is closed');
      const started = performance.now();
      if (busy === 'skip' && turns.isLocked()) return undefined;
      // One write per process waits for the commit lock; the others wait here, holding no connection.
      const release = await turns.acquire();
      let client: pg.PoolClient | undefined;
      try {
        if (closed) throw new Error('the database is closed');
        const deadline = Math.max(started + busyWaitMs, performance.now());
        try {
          client = await pool.connect();
        } catch (error) {
          throw new StoreUnavailableError(error);
        }
        let locked: boolean;
        try {
          locked = await begin(client, deadline, busy);
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw isUnavailable(error) ? new StoreUnavailableError(error) : error;
        }
        if (!locked) {
          await client.query('ROLLBACK').catch(() => {});
          if (busy === 'skip') return undefined;
          throw new StoreBusyError(Math.round(performance.now() - started));
        }
        try {
          const result = await work({ ...postgresReader(client), writable: true });
          await client.query('COMMIT');
          storageFull = false;
          // Read-your-writes: the request answers with this position (plugins/read-replicas.ts).
          const scope = readScopes.getStore();
          if (scope) scope.committedAt = (await positionAfterCommit(client)) ?? scope.committedAt;
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          if (isStorageFull(error)) storageFull = true;
          throw isUnavailable(error) ? new StoreUnavailableError(error) : error;
        }
      } finally {
        // A connection that broke mid-write is destroyed, not returned to the pool.
        client?.release();
        release();
      }
    }) as Database['transaction'],
    close: async () => {
      if (closed) return;
      closed = true;
      await turns.waitForUnlock();
      await pool.end();
      await replicas?.end();
      await options.onClose?.();
    },
  };
  pools.set(database, pool);
  if (replicas) registerReplicas(database, replicas);
  return database;
}
