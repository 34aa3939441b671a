// Read replicas (DATABASE_REPLICA_URLS): which server a read of the Database handle runs on, the per-request pin
// that keeps one request on one server, the replay positions that decide it, and the WAL position of a commit.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { isUnavailable, redactUrl } from './client.js';

/**
 * A WAL position (PostgreSQL's `pg_lsn`) as a number of bytes: `X/Y`, two hexadecimal halves of a 64-bit offset
 * (postgresql.org/docs/current/datatype-pg-lsn.html). Positions of one cluster compare as numbers.
 */
export type Lsn = bigint;

const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** `0/3000148` → 50331976n; undefined for anything that is not a pg_lsn's text form. */
export function parseLsn(text: string): Lsn | undefined {
  const match = LSN_TEXT.exec(text.trim());
  if (!match) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** The pg_lsn text form of a position: upper-case hex halves, as PostgreSQL prints them. */
export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/**
 * What one request's reads may use, kept in AsyncLocalStorage for the request's duration (plugins/read-replicas.ts
 * enters it). Without a scope (start-up work, command lines, the integrity check) every read goes to the primary.
 */
export interface ReadScope {
  /** The request is a write (or otherwise must see the primary): every read goes there. */
  primaryOnly: boolean;
  /** The client's `Evidence-Read-After`: a replica serves only once it has replayed this far. */
  readAfter?: Lsn;
  /** The server this request reads from, chosen at its first read and kept (undefined: the primary). */
  pinned?: Promise<Replica | undefined>;
  /** Set by each commit of the request: the primary's WAL insert position just after it, pg_lsn text. */
  committedAt?: string;
}

export const readScopes = new AsyncLocalStorage<ReadScope>();

/** One replica as /ready reports it. */
/** A replica going down or answering again (ReplicaSet.onStatusChange). `url` without its password. */
export interface ReplicaChange {
  url: string;
  status: 'down' | 'up';
  /** The driver's message for `down` (a connection or authentication error, never the password); null for `up`. */
  reason: string | null;
}

export interface ReplicaStatus {
  /** The replica's URL without its password. */
  url: string;
  /**
   * `streaming`: serving reads; `lagging`: more than DATABASE_REPLICA_MAX_LAG_MS behind, skipped; `down`: it did not
   * answer (or refused the connection), skipped for REPLICA_RETRY_MS; `not_in_recovery`: it answers but is not a
   * standby (promoted, or a primary's URL), never used.
   */
  status: 'streaming' | 'lagging' | 'down' | 'not_in_recovery';
  /** pg_last_wal_replay_lsn() at the last check, or null. */
  replay_lsn: string | null;
  /** How far replay is behind, in milliseconds (0 when everything received is replayed), or null. */
  lag_ms: number | null;
}

export interface Replica {
  readonly url: string;
  readonly pool: pg.Pool;
  /** performance.now() until which the replica is skipped after a failure. */
  downUntil: number;
  recovery: boolean;
  replayLsn: Lsn | undefined;
  lagMs: number | undefined;
  /** performance.now() of the last successful check, or -Infinity. */
  checkedAt: number;
  checking: Promise<void> | undefined;
}

/**
 * How long a replica's replay position and lag are trusted without asking again, in ms. A cached position is a
 * lower bound (replay only moves forward), so trusting it can send a read to the primary needlessly, never to a
 * replica that has not reached the client's position.
 */
export const REPLAY_CACHE_MS = 50;
/** DATABASE_REPLICA_MAX_LAG_MS's default: a replica further behind is skipped, in ms. */
export const DEFAULT_REPLICA_MAX_LAG_MS = 5000;
/** How long a replica that failed is skipped before it is tried again, in ms. */
export const REPLICA_RETRY_MS = 5000;
/** How long a connection to a replica may take before the replica counts as down, in ms. */
export const REPLICA_CONNECT_TIMEOUT_MS = 2000;

/**
 * Lag as replication monitoring usually measures it on a standby: nothing when every received WAL record has been
 * replayed, else the age of the last replayed commit (pg_last_xact_replay_timestamp; postgresql.org/docs/current/
 * functions-admin.html#FUNCTIONS-RECOVERY-INFO-TABLE). An idle primary therefore does not look like lag.
 */
const CHECK_SQL = `SELECT pg_is_in_recovery() AS recovery,
       pg_last_wal_replay_lsn()::text AS replay,
       CASE WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000, 0)
       END::float8 AS lag_ms`;

/** SQLSTATE classes that are the replica's fault, not the statement's: skip it for a while, read the primary. */
const REPLICA_FAULT = /^(08|28|3D|53|57P0)/;
/**
 * Errors a statement can meet on a standby but not on the primary: a recovery conflict cancelling the query (40001),
 * a statement that writes after all (25006 read_only_sql_transaction). The read is run again on the primary.
 */
const STANDBY_ONLY = new Set(['40001', '25006']);
const codeOf = (error: unknown) => String((error as { code?: unknown } | null)?.code ?? '');
const isReplicaFault = (error: unknown) =>
  isUnavailable(error) ||
  REPLICA_FAULT.test(codeOf(error)) ||
  /timeout exceeded when trying to connect/i.test(String((error as Error | null)?.message));

/** Statements that may run on a replica: plain reads. Anything else (and `db.run`) goes to the primary. */
const READ_STATEMENT = /^\s*(select|with)\b/i;

/**
 * The replicas of one Database handle, with their pools and last known replay positions. Reads are spread over the
 * usable ones in turn.
 */
export class ReplicaSet {
  readonly replicas: Replica[];
  readonly maxLagMs: number;
  #next = 0;

  /**
   * @param urls postgres:// URLs of streaming standbys of the primary (validated by config.ts)
   * @param options.poolSize connections per replica (DATABASE_POOL_SIZE); maxLagMs: DATABASE_REPLICA_MAX_LAG_MS
   */
  constructor(urls: string[], { poolSize, maxLagMs }: { poolSize: number; maxLagMs: number }) {
    this.maxLagMs = maxLagMs;
    this.replicas = urls.map((url) => {
      const pool = new pg.Pool({
        connectionString: url,
        max: poolSize,
        connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS,
        idleTimeoutMillis: 30_000,
        application_name: 'evidence-api',
      });
      // A dropped idle connection must not crash the process: the pool replaces it.
      pool.on('error', () => {});
      return {
        url: redactUrl(url),
        pool,
        downUntil: Number.NEGATIVE_INFINITY,
        recovery: false,
        replayLsn: undefined,
        lagMs: undefined,
        checkedAt: Number.NEGATIVE_INFINITY,
        checking: undefined,
      };
    });
  }

  #listener: ((change: ReplicaChange) => void) | undefined;
  readonly #reportedDown = new Set<Replica>();

  /**
   * Calls `listener` when a replica goes down (the first failure after it served) and when it answers again, so an
   * operator learns of it from the log, not only from /ready. One listener; a later call replaces it.
   */
  onStatusChange(listener: (change: ReplicaChange) => void): void {
    this.#listener = listener;
  }

  /** Skips `replica` for REPLICA_RETRY_MS; `error` (the driver's) is what the status change reports. */
  markDown(replica: Replica, error?: unknown): void {
    replica.downUntil = performance.now() + REPLICA_RETRY_MS;
    replica.checkedAt = Number.NEGATIVE_INFINITY;
    if (this.#reportedDown.has(replica)) return;
    this.#reportedDown.add(replica);
    const reason = error instanceof Error ? error.message : error === undefined ? 'no answer' : String(error);
    this.#listener?.({ url: replica.url, status: 'down', reason });
  }

  #markUp(replica: Replica): void {
    if (!this.#reportedDown.delete(replica)) return;
    this.#listener?.({ url: replica.url, status: 'up', reason: null });
  }

  /** Asks the replica for its replay position and lag (one query at a time per replica); marks it down on failure. */
  check(replica: Replica): Promise<void> {
    replica.checking ??= (async () => {
      try {
        const { rows } = await replica.pool.query<{ recovery: boolean; replay: string | null; lag_ms: number }>(
          CHECK_SQL,
        );
        const row = rows[0];
        replica.recovery = row?.recovery === true;
        replica.replayLsn = row?.replay ? parseLsn(row.replay) : undefined;
        replica.lagMs = row ? Math.max(0, Math.round(row.lag_ms)) : undefined;
        replica.checkedAt = performance.now();
        this.#markUp(replica);
      } catch (error) {
        this.markDown(replica, error);
      } finally {
        replica.checking = undefined;
      }
    })();
    return replica.checking;
  }

  /** Whether `replica` may serve a read that must see `readAfter`, by what is known of it now. */
  #usable(replica: Replica, readAfter: Lsn | undefined): boolean {
    return (
      replica.downUntil <= performance.now() &&
      replica.recovery &&
      replica.replayLsn !== undefined &&
      (replica.lagMs ?? Number.POSITIVE_INFINITY) <= this.maxLagMs &&
      (readAfter === undefined || replica.replayLsn >= readAfter)
    );
  }

  /**
   * A replica that has replayed at least `readAfter` and lags at most maxLagMs, taking them in turn; undefined when
   * none does (the primary serves). Asks a replica again when what is known of it is older than REPLAY_CACHE_MS.
   */
  async pick(readAfter: Lsn | undefined): Promise<Replica | undefined> {
    const count = this.replicas.length;
    const start = this.#next++ % count;
    for (let i = 0; i < count; i++) {
      const replica = this.replicas[(start + i) % count] as Replica;
      if (replica.downUntil > performance.now()) continue;
      if (this.#usable(replica, readAfter) && performance.now() - replica.checkedAt < REPLAY_CACHE_MS) return replica;
      if (performance.now() - replica.checkedAt >= REPLAY_CACHE_MS) await this.check(replica);
      if (this.#usable(replica, readAfter)) return replica;
    }
    return undefined;
  }

  /** Every replica's state, checked now (for /ready). */
  async status(): Promise<ReplicaStatus[]> {
    await Promise.all(
      this.replicas.filter((r) => r.downUntil <= performance.now()).map((replica) => this.check(replica)),
    );
    return this.replicas.map((replica) => ({
      url: replica.url,
      status:
        replica.downUntil > performance.now()
          ? 'down'
          : !replica.recovery
            ? 'not_in_recovery'
            : (replica.lagMs ?? 0) > this.maxLagMs
              ? 'lagging'
              : 'streaming',
      replay_lsn: replica.replayLsn === undefined ? null : formatLsn(replica.replayLsn),
      lag_ms: replica.lagMs ?? null,
    }));
  }

  async end(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.pool.end()));
  }
}

const replicaSets = new WeakMap<object, ReplicaSet>();
/** The replicas behind a PostgreSQL Database handle, when it has any. */
export function replicasOf(db: object): ReplicaSet | undefined {
  return replicaSets.get(db);
}
export function registerReplicas(db: object, replicas: ReplicaSet): void {
  replicaSets.set(db, replicas);
}

type QueryConfig = { text: string } & Record<string, unknown>;

/**
 * What the Database handle's reads run on when it has replicas: node-postgres's `query(config, values)`, sent to the
 * request's pinned replica when the statement is a plain read and the request may read a replica, else to the
 * primary. A replica that fails with a connection or authentication error is marked down; that read and the
 * request's later ones go to the primary (never older than what the replica showed, so a request never sees time go
 * backwards).
 */
export function routedQueryable(primary: pg.Pool, replicas: ReplicaSet): Pick<pg.Pool, 'query'> {
  const query = async (config: QueryConfig | string, values?: unknown[]) => {
    const text = typeof config === 'string' ? config : config.text;
    const scope = readScopes.getStore();
    if (scope === undefined || scope.primaryOnly || !READ_STATEMENT.test(text)) return primary.query(config, values);
    scope.pinned ??= replicas.pick(scope.readAfter);
    const replica = await scope.pinned;
    if (replica === undefined) return primary.query(config, values);
    try {
      return await replica.pool.query(config, values);
    } catch (error) {
      const fault = isReplicaFault(error);
      if (!fault && !STANDBY_ONLY.has(codeOf(error))) throw error;
      if (fault) replicas.markDown(replica, error);
      scope.pinned = Promise.resolve(undefined);
      return primary.query(config, values);
    }
  };
  return { query } as unknown as Pick<pg.Pool, 'query'>;
}

/** The primary's WAL insert position, read on `client` right after its COMMIT: at or past the commit's record. */
export async function positionAfterCommit(client: pg.PoolClient): Promise<string | undefined> {
  try {
    const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    return rows[0]?.lsn;
  } catch {
    // The commit stands; without its position the client reads without a token (see docs/scaling.md).
    return undefined;
  }
}
