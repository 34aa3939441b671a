// The start-up integrity check readiness waits for: SQLite's quick_check and a full read of the search index, run
// on a read-only connection in a worker thread, so the server answers /health while it runs and no lock is taken.

import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Files up to this size get SQLite's `PRAGMA quick_check` (every b-tree page of every table and index: 1.6 s for the
 * 527 MB benchmark database with 100,000 claims on this machine); larger ones only the search-index read, which is
 * where damage in the last pages turned into 500s (the index is written last, at the end of the file).
 */
export const DEFAULT_FULL_CHECK_MAX_BYTES = 4 * 1024 ** 3;
/** quick_check stops after this many findings: the first few say enough, and damage can be everywhere. */
const MAX_FINDINGS = 5;

export interface IntegrityReport {
  status: 'ok' | 'damaged';
  /** What was checked: `quick_check` (whole file), `search_index` (every FTS5 index entry read and decoded). */
  checked: ('quick_check' | 'search_index')[];
  /** What SQLite reported, at most a few lines; empty when ok. */
  findings: string[];
  /** Wall time of the check in milliseconds. */
  ms: number;
}

// Plain JavaScript for the worker, so it runs the same under tsx, vitest and node. `fts5vocab` over the index in
// `instance` mode walks every segment of the FTS5 index and decodes it: a damaged leaf is SQLITE_CORRUPT. FTS5's own
// 'integrity-check' command would be more thorough but is an INSERT, which takes the database's write lock for
// seconds; this read takes none.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const started = performance.now();
const checked = [];
const findings = [];
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  if (workerData.full) {
    checked.push('quick_check');
    const rows = db.pragma('quick_check(' + workerData.maxFindings + ')', { simple: false });
    for (const row of rows) if (row.quick_check !== 'ok') findings.push(String(row.quick_check));
  }
  if (findings.length === 0) {
    checked.push('search_index');
    db.exec("CREATE VIRTUAL TABLE temp.integrity_vocab USING fts5vocab(main, search_index, 'instance')");
    db.prepare('SELECT count(*) FROM temp.integrity_vocab').get();
  }
} catch (error) {
  findings.push((error.code ? error.code + ': ' : '') + error.message);
} finally {
  try { if (db) db.close(); } catch {}
}
parentPort.postMessage({ status: findings.length === 0 ? 'ok' : 'damaged', checked, findings, ms: Math.round(performance.now() - started) });
`;

export interface IntegrityCheck {
  /** The report, or undefined while the check runs. */
  readonly report: IntegrityReport | undefined;
  /** Resolves with the report; never rejects (a check that cannot run reports `damaged` with the reason). */
  readonly done: Promise<IntegrityReport>;
  readonly startedAt: number;
  /** Stops a running check (on close). */
  stop(): Promise<void>;
}

/**
 * Starts the check of the database file at `path` in a worker thread. `fullCheckMaxBytes`: files up to this size
 * also get `quick_check` (see DEFAULT_FULL_CHECK_MAX_BYTES); 0 skips it. Source of the checks: SQLite's PRAGMA
 * quick_check and the fts5vocab virtual table (sqlite.org/pragma.html#pragma_quick_check, sqlite.org/fts5.html).
 */
export function startIntegrityCheck(
  path: string,
  { fullCheckMaxBytes = DEFAULT_FULL_CHECK_MAX_BYTES }: { fullCheckMaxBytes?: number } = {},
): IntegrityCheck {
  const startedAt = performance.now();
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // A missing file is found by the worker, which refuses to create one.
  }
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path,
      full: fullCheckMaxBytes > 0 && size <= fullCheckMaxBytes,
      maxFindings: MAX_FINDINGS,
    },
  });
  let report: IntegrityReport | undefined;
  const done = new Promise<IntegrityReport>((resolve) => {
    const finish = (result: IntegrityReport) => {
      report ??= result;
      resolve(report);
    };
    worker.once('message', (message: IntegrityReport) => finish(message));
    worker.once('error', (error) =>
      finish({ status: 'damaged', checked: [], findings: [`the check could not run: ${error.message}`], ms: 0 }),
    );
    worker.once('exit', () => finish({ status: 'damaged', checked: [], findings: ['the check was stopped'], ms: 0 }));
  });
  return {
    get report() {
      return report;
    },
    done,
    startedAt,
    stop: async () => {
      await worker.terminate();
    },
  };
}
