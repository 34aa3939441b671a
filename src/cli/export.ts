// `npm run export -- [--out DIR] [--keep N] [--json]`: a bulk release of the database (DATABASE_URL or DATABASE_PATH),
// safe while the servers write.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, databaseLocation, loadConfig } from '../config.js';
import { exportRelease, ReleaseError } from '../resources/releases/releases.export.js';
import { openDatabase } from '../store/client.js';
import { type CliIo, EXIT, formatBytes } from './backup.js';

const USAGE = `Usage: npm run export -- [--out DIR] [--keep N] [--json]

Writes a bulk release of the database (DATABASE_URL when set, else DATABASE_PATH, default ./data/evidence.db) while
the servers keep serving and writing: one consistent snapshot as gzip NDJSON per resource (claims, studies,
conditions, interventions, topics), a SQLite file and a manifest (data version, schema version, counts, SHA-256 per
file), in DIR/<release id>/. The server serves the newest complete release in RELEASES_DIR at GET /v1/releases/latest.

  --out DIR   the releases folder (default RELEASES_DIR, ./data/releases)
  --keep N    complete releases to keep in DIR, this one included; older ones are deleted (default RELEASES_KEEP, 7)
  --json      print the manifest as JSON on stdout instead of a summary
`;

/** Bad arguments: exit code 2 with the usage text. */
class UsageError extends Error {}

const OPTIONS = {
  out: { type: 'string' },
  keep: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Runs the command and returns its exit code: 0 written, 1 failed (nothing published), 2 bad usage. */
export async function runExportCli(args: string[], io: CliIo): Promise<number> {
  try {
    let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];
    try {
      ({ values } = parseArgs({ args, strict: true, options: OPTIONS }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const config = loadConfig({
      DATABASE_PATH: io.env.DATABASE_PATH,
      DATABASE_URL: io.env.DATABASE_URL,
      WRITE_LOCK_WAIT_MS: io.env.WRITE_LOCK_WAIT_MS,
      RELEASES_DIR: values.out ?? io.env.RELEASES_DIR,
      RELEASES_KEEP: values.keep ?? io.env.RELEASES_KEEP,
    });
    // A release is cut from one snapshot: SQLite's online backup, or one REPEATABLE READ transaction on PostgreSQL.
    if (config.DATABASE_URL === undefined && !existsSync(config.DATABASE_PATH))
      throw new ReleaseError(`no database at ${config.DATABASE_PATH}`);
    const db = openDatabase(databaseLocation(config), { busyWaitMs: config.WRITE_LOCK_WAIT_MS, poolSize: 2 });
    try {
      const result = await exportRelease(db, {
        dir: config.RELEASES_DIR,
        keep: config.RELEASES_KEEP,
        log: (line) => io.stderr.write(`  ${line}\n`),
      });
      const { manifest } = result;
      if (values.json) io.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
      else {
        const files = manifest.files
          .map((f) => `  ${f.name.padEnd(24)} ${formatBytes(f.bytes).padStart(10)}  ${f.records ?? ''}`)
          .join('\n');
        io.stdout.write(
          `Release ${manifest.id} (data version ${manifest.database_id}.${manifest.data_version}, schema ${manifest.schema_version}) in ${result.path}, ${result.ms} ms:\n${files}\n` +
            (result.removed.length ? `Removed: ${result.removed.join(', ')}\n` : ''),
        );
      }
    } finally {
      await db.close();
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    // A bad --out or --keep reads as the setting it stands for, e.g. "RELEASES_KEEP="0": Too small".
    const known = error instanceof ReleaseError || error instanceof ConfigError;
    io.stderr.write(`export failed: ${known ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await runExportCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
