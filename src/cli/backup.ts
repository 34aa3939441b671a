// `npm run backup -- [--force] FILE`: a consistent online copy of the database (DATABASE_PATH or DATABASE_URL) into
// one SQLite file, safe while the servers write.
//
// SQLite: better-sqlite3's backup API copies the pages inside one read transaction; in WAL mode that never blocks the
// server's writer, and everything committed before the copy started is in it. PostgreSQL: db:copy's machinery reads
// every table inside one REPEATABLE READ READ ONLY transaction (one snapshot; writers go on) into a new SQLite file.
// Either way the copy is written next to FILE under a temporary name, checked, flushed to disk and only then moved
// into place, so FILE is never a half-written backup.
import { chmodSync, closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase, type Database as Store } from '../store/client.js';
import { type CopyOptions, copyDatabase } from '../store/copy.js';
import { migrationStatus } from '../store/migrate.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = `Usage: npm run backup -- [--force] FILE

Writes a consistent copy of the database to FILE while the servers keep serving and writing: DATABASE_URL
(PostgreSQL, read from one snapshot) when set, else DATABASE_PATH (default ./data/evidence.db). FILE is a single
self-contained SQLite file holding everything (evidence, history, API keys, the database's identity). An existing
FILE is kept unless --force.

  --force   replace an existing FILE

To restore a SQLite database: stop the server, replace the database file with the backup (and delete its stale
-wal and -shm files), start the server. To restore PostgreSQL: create an empty database, then
  npm run db:copy -- --from FILE --to postgres://USER:PASSWORD@HOST:5432/DATABASE
and point the servers' DATABASE_URL at it.
`;

/** Bad arguments: exit code 2 with the usage text. */
class UsageError extends Error {}
/** Expected failures: exit code 1 with this message. */
class BackupError extends Error {}

export interface BackupResult {
  source: string;
  file: string;
  bytes: number;
  pages: number;
  ms: number;
}

/** Pages per step: everything at once, so the copy is one snapshot and a concurrent write never restarts it. */
const ALL_PAGES = 0x7fffffff;

export async function backupDatabase(
  source: string,
  file: string,
  { force }: { force: boolean },
): Promise<BackupResult> {
  if (resolve(source) === resolve(file)) throw new BackupError('FILE is the database itself');
  if (!force && exists(file)) throw new BackupError(`${file} exists; pass --force to replace it`);
  const started = performance.now();
  let db: Database.Database;
  try {
    db = new Database(source, { fileMustExist: true });
  } catch (error) {
    throw new BackupError(`cannot open ${source}: ${(error as Error).message}`);
  }
  const partial = resolve(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  let pages: number;
  try {
    db.pragma('busy_timeout = 5000');
    try {
      ({ totalPages: pages } = await db.backup(partial, { progress: () => ALL_PAGES }));
    } catch (error) {
      rmSync(partial, { force: true });
      throw new BackupError(`cannot copy ${source}: ${(error as Error).message}`);
    }
  } finally {
    db.close();
  }
  try {
    finishCopy(partial);
    place(partial, file, force);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { source, file, bytes: statSync(file).size, pages, ms: Math.round(performance.now() - started) };
}

/**
 * Backs up any database (PostgreSQL above all) into a new SQLite file at `file`: every table read from one snapshot
 * of `db` (store/copy.ts readSnapshot: writers go on and never wait) and verified by row count and SHA-256 per table,
 * then checked, flushed and placed as backupDatabase places its copy. The file keeps the source's identity and data
 * version, so ETags and change-feed cursors stay valid against a database restored from it (db:copy). Errors:
 * BackupError when FILE exists without `force`, when `db` is not at this build's schema, or when the copy fails.
 */
export async function backupToSqliteFile(
  db: Store,
  file: string,
  { force, afterSnapshot }: { force: boolean } & CopyOptions,
): Promise<BackupResult> {
  if (!force && exists(file)) throw new BackupError(`${file} exists; pass --force to replace it`);
  const started = performance.now();
  const status = await migrationStatus(db);
  if (status.applied !== status.expected)
    throw new BackupError(
      `the database has ${status.applied} of the ${status.expected} migrations of this build; start the server once (it migrates) and back up again`,
    );
  const partial = resolve(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  const removePartial = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${partial}${suffix}`, { force: true });
  };
  removePartial();
  // No fsync per commit: the file is flushed once, whole, before it is placed.
  const target = openDatabase(partial, { synchronous: 'OFF' });
  try {
    await copyDatabase(db, target, { afterSnapshot });
  } catch (error) {
    await target.close();
    removePartial();
    throw new BackupError(`cannot copy ${db.path}: ${(error as Error).message}`);
  }
  await target.close();
  let pages: number;
  try {
    pages = finishCopy(partial);
    place(partial, file, force);
  } catch (error) {
    removePartial();
    throw error;
  }
  return { source: db.path, file, bytes: statSync(file).size, pages, ms: Math.round(performance.now() - started) };
}

/**
 * Makes the copy self-contained (rollback journal instead of WAL), checks it, and flushes it to disk. Returns its
 * page count.
 */
function finishCopy(path: string): number {
  const copy = new Database(path, { fileMustExist: true });
  let pages: number;
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`the copy failed its check: ${String(check)}`);
    pages = Number(copy.pragma('page_count', { simple: true }));
  } finally {
    copy.close();
  }
  // Owner-only: a backup holds the API keys' hashes and the secret they are hashed with (api_key_secret).
  chmodSync(path, 0o600);
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return pages;
}

function place(partial: string, file: string, force: boolean): void {
  if (force) {
    // A WAL left next to an old FILE would be replayed into the new one when it is opened.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
    renameSync(partial, file);
  } else {
    // link() fails if FILE appeared meanwhile: never replace a file without --force.
    try {
      linkSync(partial, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new BackupError(`${file} exists; pass --force to replace it`);
      throw error;
    }
    rmSync(partial, { force: true });
  }
  syncDirectory(dirname(resolve(file)));
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every platform can fsync a directory; the file itself is already on disk.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Runs the command and returns its exit code: 0 written, 1 failed (nothing replaced), 2 bad usage. */
export async function runBackupCli(args: string[], io: CliIo): Promise<number> {
  try {
    let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>>;
    try {
      parsed = parseArgs({ args, allowPositionals: true, strict: true, options: OPTIONS });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one backup FILE');
    const { DATABASE_PATH, DATABASE_URL } = loadConfig({
      DATABASE_PATH: io.env.DATABASE_PATH,
      DATABASE_URL: io.env.DATABASE_URL,
    });
    let result: BackupResult;
    if (DATABASE_URL !== undefined) {
      const db = openDatabase(DATABASE_URL, { poolSize: 2 });
      try {
        result = await backupToSqliteFile(db, positionals[0] as string, { force: values.force });
      } finally {
        await db.close();
      }
    } else {
      if (DATABASE_PATH === ':memory:') throw new BackupError('DATABASE_PATH is an in-memory database');
      result = await backupDatabase(DATABASE_PATH, positionals[0] as string, { force: values.force });
    }
    io.stdout.write(
      `Backed up ${result.source} to ${result.file}: ${formatBytes(result.bytes)} (${result.pages} pages) in ${result.ms} ms.\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    const known = error instanceof BackupError || error instanceof ConfigError;
    io.stderr.write(`backup failed: ${known ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}

const OPTIONS = {
  force: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runBackupCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
