// Why a database operation gave up: answered by the problem handler as 503 with Retry-After, never as a 500.

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

/**
 * The database could not be reached (PostgreSQL down, restarting, or the network to it cut); nothing was written, or
 * the write was rolled back. Answered as 503 with Retry-After; the pool reconnects by itself when it is back.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  readonly retryAfterSeconds = 1;
  constructor(override readonly cause: unknown) {
    super(`the database is unreachable: ${(cause as Error)?.message ?? String(cause)}`);
  }
}
/**
 * SQLite's "database or disk is full" (SQLITE_FULL), PostgreSQL's disk_full (SQLSTATE 53100): the write was rolled
 * back. Answered as 507.
 */
export const isStorageFull = (error: unknown): boolean => {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  return code.startsWith('SQLITE_FULL') || code === '53100';
};
