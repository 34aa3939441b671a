// `npm run db:copy -- --from LOCATION --to LOCATION`: a whole database from one engine to the other, verified.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { redactDatabaseUrl } from '../config.js';
import { isPostgresUrl, openDatabase } from '../store/client.js';
import { CopyError, copyDatabase } from '../store/copy.js';
import { type CliIo, EXIT } from './backup.js';

const USAGE = `Usage: npm run db:copy -- --from LOCATION --to LOCATION [--json]

Copies every table (evidence, history, API keys, the database's identity and data version) from one database into
an empty one, then compares the row count and SHA-256 of every table on both sides. A LOCATION is a SQLite file path
or a postgres:// URL. The source is read from one snapshot (PostgreSQL: one REPEATABLE READ READ ONLY transaction), so
the copy is the data as of one commit while the source's servers keep reading and writing. The target is migrated
first and must hold no content. To restore a backup (npm run backup) into PostgreSQL: --from FILE --to URL.

  --from LOCATION   the database to copy
  --to LOCATION     the database to fill (a new SQLite file is created; a PostgreSQL database must exist)
  --json            print the per-table counts and checksums as JSON
`;

class UsageError extends Error {}

const shown = (location: string) => (isPostgresUrl(location) ? redactDatabaseUrl(location) : location);

/** Runs the command and returns its exit code: 0 copied and verified, 1 failed, 2 bad usage. */
export async function runCopyCli(args: string[], io: CliIo): Promise<number> {
  try {
    let values: { from?: string; to?: string; json?: boolean; help?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        strict: true,
        options: {
          from: { type: 'string' },
          to: { type: 'string' },
          json: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (!values.from || !values.to) throw new UsageError('give both --from and --to');
    if (values.from === values.to) throw new UsageError('--from and --to are the same database');
    const from = openDatabase(values.from, { poolSize: 2 });
    const to = openDatabase(values.to, { poolSize: 2 });
    try {
      const summary = await copyDatabase(from, to);
      if (values.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else
        io.stdout.write(
          `Copied ${shown(values.from)} to ${shown(values.to)} in ${summary.ms} ms, every table verified:\n${summary.tables
            .map((t) => `  ${t.table.padEnd(24)} ${String(t.rows).padStart(9)}  sha256 ${t.sha256.slice(0, 16)}`)
            .join('\n')}\n`,
        );
    } finally {
      await Promise.all([from.close(), to.close()]);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    const message = error instanceof CopyError ? error.message : String((error as Error)?.message ?? error);
    io.stderr.write(`db:copy failed: ${message}\n`);
    return EXIT.failed;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runCopyCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
