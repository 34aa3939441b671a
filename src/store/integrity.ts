// The start-up integrity check: SQLite's quick_check and a full read of the search index, on a read-only connection (no
// lock taken); a small file before readiness, a large one in a child process in the background (readiness does not wait,
// damage found turns it off); on PostgreSQL, a query and a probe of the search index (the server checksums its pages).

import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from './client.js';
import { StoreUnavailableError } from './errors.js';

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
  /**
   * What was checked: `quick_check` (whole file), `search_index` (every page of the full-text index's tables read, and
   * every FTS5 index entry decoded).
   */
  checked: ('quick_check' | 'search_index')[];
  /** What SQLite reported, at most a few lines; empty when ok. */
  findings: string[];
  /** Wall time of the check in milliseconds. */
  ms: number;
}

/** Files up to this size are checked in-process at start (under 0.15 s here): no process to start for a small file. */
export const DEFAULT_IN_PROCESS_MAX_BYTES = 32 * 1024 * 1024;

// Plain JavaScript, so that one text serves both ways: in this process (a small file) and in a child process (a large
// one). A child rather than a worker thread: a worker terminated while better-sqlite3 is inside a call aborts the whole
// process (V8 "Empty MaybeLocal"), and a check of a large file must be stoppable when the server closes.
// The search index is read twice. First every row of every shadow table (search_index_data, _idx, _content, _docsize,
// _config), each column through max(), which loads the whole value: that visits every b-tree and overflow page the
// index owns (136 ms for the 100,000-claim benchmark database here). The fts5vocab walk alone missed pages: it follows
// doclists term by term, so a leaf holding only doclist-index rows and the content and docsize tables (what a search
// result reads) were never visited, and damage to the file's last page went unnoticed. Then `fts5vocab` in `instance`
// mode decodes every entry of every segment: damage inside a record that leaves its page well-formed is found there.
// FTS5's own 'integrity-check' command would be more thorough but is an INSERT, which takes the database's write lock
// for seconds, and `PRAGMA quick_check(search_index)` re-tokenises every row (2.3 s on the same database); these
// reads take no lock.
const CHECK_BODY = `
const started = performance.now();
const checked = [];
const findings = [];
let db;
try {
  db = new Database(path, { readonly: true, fileMustExist: true });
  if (full) {
    checked.push('quick_check');
    const rows = db.pragma('quick_check(' + maxFindings + ')', { simple: false });
    for (const row of rows) if (row.quick_check !== 'ok') findings.push(String(row.quick_check));
  }
  if (findings.length === 0) {
    checked.push('search_index');
    const shadows = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 13) = 'search_index_' ORDER BY name")
      .pluck()
      .all();
    for (const table of shadows) {
      const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table);
      const quote = (name) => '"' + String(name).replace(/"/g, '""') + '"';
      db.prepare('SELECT ' + columns.map((c) => 'max(' + quote(c) + ')').join(', ') + ' FROM ' + quote(table)).get();
    }
    db.exec("CREATE VIRTUAL TABLE temp.integrity_vocab USING fts5vocab(main, search_index, 'instance')");
    db.prepare('SELECT count(*) FROM temp.integrity_vocab').get();
  }
} catch (error) {
  findings.push((error.code ? error.code + ': ' : '') + error.message);
} finally {
  try { if (db) db.close(); } catch {}
}
return { status: findings.length === 0 ? 'ok' : 'damaged', checked, findings, ms: Math.round(performance.now() - started) };
`;

type CheckFunction = (
  database: typeof BetterSqlite3,
  path: string,
  full: boolean,
  maxFindings: number,
) => IntegrityReport;

export interface IntegrityCheck {
  /**
   * True when the check runs in the background (a file over the in-process size, in a child process): readiness does
   * not wait for it (quick_check of a 6 GB file takes minutes; /ready said 503 for all that time), it says the check
   * is running, and turns to 503 database_damaged when the check finds damage. False: the report is there before
   * readiness is asked (a small file, checked in-process) or is quick (PostgreSQL's probe).
   */
  readonly background: boolean;
  /** The report, or undefined while the check runs. */
  readonly report: IntegrityReport | undefined;
  /** Resolves with the report; never rejects (a check that cannot run reports `damaged` with the reason). */
  readonly done: Promise<IntegrityReport>;
  readonly startedAt: number;
  /** Stops a running check (on close). */
  stop(): Promise<void>;
}

/**
 * Checks the database file at `path`: in this process when it is at most `inProcessMaxBytes`, else in a child
 * process, so the server answers /health meanwhile. `fullCheckMaxBytes`: files up to this size also get
 * `quick_check` (see DEFAULT_FULL_CHECK_MAX_BYTES); 0 skips it. Source of the checks: SQLite's PRAGMA quick_check and
 * the fts5vocab virtual table (sqlite.org/pragma.html#pragma_quick_check, sqlite.org/fts5.html).
 */
export function startIntegrityCheck(
  path: string,
  {
    fullCheckMaxBytes = DEFAULT_FULL_CHECK_MAX_BYTES,
    inProcessMaxBytes = DEFAULT_IN_PROCESS_MAX_BYTES,
  }: { fullCheckMaxBytes?: number; inProcessMaxBytes?: number } = {},
): IntegrityCheck {
  const startedAt = performance.now();
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // A missing file is found by the check, which refuses to create one.
  }
  const full = fullCheckMaxBytes > 0 && size <= fullCheckMaxBytes;
  if (size <= inProcessMaxBytes) {
    const check = new Function('Database', 'path', 'full', 'maxFindings', CHECK_BODY) as CheckFunction;
    const report = check(BetterSqlite3, path, full, MAX_FINDINGS);
    return { background: false, report, done: Promise.resolve(report), startedAt, stop: async () => {} };
  }

  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `const Database = require(${JSON.stringify(driver)});
process.stdout.write(JSON.stringify((function (Database, path, full, maxFindings) {${CHECK_BODY}})(Database, ${JSON.stringify(path)}, ${full}, ${MAX_FINDINGS})));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let report: IntegrityReport | undefined;
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString('utf8')).slice(-2000);
  });
  const done = new Promise<IntegrityReport>((resolve) => {
    const finish = (result: IntegrityReport) => {
      report ??= result;
      resolve(report);
    };
    child.once('error', (error) =>
      finish({ status: 'damaged', checked: [], findings: [`the check could not run: ${error.message}`], ms: 0 }),
    );
    child.once('close', (code, signal) => {
      try {
        finish(JSON.parse(output) as IntegrityReport);
      } catch {
        const why = signal ? `stopped (${signal})` : `exited ${code}: ${errors.trim().split('\n').pop() ?? ''}`;
        finish({ status: 'damaged', checked: [], findings: [`the check ${why}`], ms: 0 });
      }
    });
  });
  return {
    background: true,
    get report() {
      return report;
    },
    done,
    startedAt,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await done;
    },
  };
}

/**
 * The start-up check for whichever engine `db` is: startIntegrityCheck on its SQLite file, or on PostgreSQL a trivial
 * query and one lookup through the search index's GIN index (`search_index`). PostgreSQL finds damaged pages itself
 * (WAL replay at start, data checksums when the cluster has them); a thorough check (amcheck's bt_index_check, or
 * pg_amcheck) needs rights this service should not hold, so it is left to the database's operators.
 */
export function startDatabaseCheck(
  db: Database,
  options: { fullCheckMaxBytes?: number; inProcessMaxBytes?: number } = {},
): IntegrityCheck {
  if (db.engine === 'sqlite') return startIntegrityCheck(db.path, options);
  const startedAt = performance.now();
  let report: IntegrityReport | undefined;
  let stopped = false;
  const done = (async (): Promise<IntegrityReport> => {
    const findings: string[] = [];
    const checked: IntegrityReport['checked'] = [];
    // An unreachable server is not damage: readiness says "still checking" (503) until it answers.
    for (;;) {
      try {
        await db.ping();
        checked.push('search_index');
        await db.get(`SELECT rowid FROM search_index WHERE document @@ to_tsquery('simple', 'a:*') LIMIT 1`);
      } catch (error) {
        if (error instanceof StoreUnavailableError && !stopped) {
          checked.length = 0;
          await new Promise((resolve) => setTimeout(resolve, 1000).unref());
          continue;
        }
        const code = (error as { code?: string }).code;
        findings.push(`${code ? `${code}: ` : ''}${(error as Error).message}`);
      }
      break;
    }
    report = {
      status: findings.length === 0 ? 'ok' : 'damaged',
      checked,
      findings,
      ms: Math.round(performance.now() - startedAt),
    };
    return report;
  })();
  return {
    background: false,
    get report() {
      return report;
    },
    done,
    startedAt,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}
