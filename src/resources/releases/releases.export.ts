// Writes a bulk release: one database snapshot, and from it the NDJSON files, the SQLite file and the manifest.
//
// Consistency by construction: the live database is first copied with SQLite's online backup (one read transaction,
// so the copy is exactly the data as of one commit, whatever is written meanwhile). Every NDJSON file is then read
// from that copy, through a read-only handle and the API's own query functions, and the copy itself becomes the
// SQLite file. Nothing after the backup looks at the live database again.
//
// PostgreSQL: the copy is db:copy's, every table read inside one REPEATABLE READ READ ONLY transaction into a new
// SQLite file (cli/backup.ts backupToSqliteFile), and everything after it is the same: the files of a release are
// read from a SQLite snapshot on either engine, by the same code.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { backupDatabase, backupToSqliteFile } from '../../cli/backup.js';
import { CLAIM_STATUSES } from '../../evidence/vocabulary.js';
import { serializerCompiler } from '../../plugins/serializer.js';
import type { Database } from '../../store/client.js';
import { readDataVersion } from '../../store/data-version.queries.js';
import { migrationStatus } from '../../store/migrate.js';
import { openSnapshotReader, removePrivateData } from '../../store/snapshot.js';
import { APP_VERSION } from '../../version.js';
import {
  partialFolderOf,
  pruneReleases,
  readManifest,
  releaseIdOf,
  removeAbandonedPartials,
} from './releases.folder.js';
import { DEFAULT_BATCH_SIZE, RELEASE_SOURCES, representationsOf } from './releases.queries.js';
import {
  DATABASE_FILE,
  GZIP_MEDIA_TYPE,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  NDJSON_MEDIA_TYPE,
  ndjsonFileOf,
  RELEASE_RESOURCES,
  type ReleaseManifest,
  type ReleaseResource,
  SQLITE_MEDIA_TYPE,
} from './releases.schemas.js';

/** An expected failure (nothing was published): the CLI prints the message and exits 1. */
export class ReleaseError extends Error {
  override name = 'ReleaseError';
}

export interface ExportOptions {
  /** The releases folder (RELEASES_DIR): the release becomes `<dir>/<id>/`. Created when missing. */
  dir: string;
  /** Complete releases to keep in `dir` after this one is written, this one included (RELEASES_KEEP). */
  keep: number;
  /** Keys read per batch (see representationsOf). */
  batchSize?: number;
  /** The clock, for the release id and `created_at`. */
  now?: () => Date;
  /** Progress lines for a person watching (the CLI passes stderr). */
  log?: (line: string) => void;
  /** Runs once the snapshot is taken, before any file is read from it (tests write to the live database here). */
  afterSnapshot?: () => Promise<void>;
}

export interface ExportResult {
  manifest: ReleaseManifest;
  /** The release's folder. */
  path: string;
  /** Older releases deleted by retention, and partial folders of dead exports removed. */
  removed: string[];
  ms: number;
}

/**
 * Writes a complete release of `db` into `options.dir` and returns its manifest. Atomic: the files are written into
 * a hidden partial folder, flushed, and the folder renamed into place last; on any error the partial folder is
 * deleted and nothing was published. Memory stays bounded by one batch per file whatever the database size.
 * Errors: ReleaseError when the database is not at this build's schema (migrate it first, e.g. by starting the
 * server) or the release folder cannot be placed; I/O and SQLite errors as thrown.
 */
export async function exportRelease(db: Database, options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const status = await migrationStatus(db);
  if (status.applied !== status.expected)
    throw new ReleaseError(
      `the database has ${status.applied} of the ${status.expected} migrations of this build; start the server once (it migrates) and export again`,
    );
  await mkdir(options.dir, { recursive: true });
  const removed = await removeAbandonedPartials(options.dir);
  const created = (options.now ?? (() => new Date()))();
  const id = releaseIdOf(created);
  if (await readManifest(options.dir, id)) throw new ReleaseError(`a release ${id} already exists`);
  const partial = join(options.dir, partialFolderOf(id));
  await mkdir(partial);
  try {
    const snapshot = join(partial, 'evidence.sqlite');
    // One snapshot either way: SQLite's online backup, or PostgreSQL's REPEATABLE READ copied into a SQLite file.
    const backup =
      db.engine === 'sqlite'
        ? await backupDatabase(db.path, snapshot, { force: false })
        : await backupToSqliteFile(db, snapshot, { force: false });
    const keysRemoved = await removePrivateData(snapshot);
    log(`snapshot: ${backup.pages} pages in ${backup.ms} ms (${keysRemoved} API key rows left out)`);
    await options.afterSnapshot?.();

    const reader = openSnapshotReader(snapshot);
    let ndjson: WrittenFile[];
    let databaseFile: WrittenFile;
    let dataVersion: string;
    let schemaVersion: number;
    const byStatus = Object.fromEntries(CLAIM_STATUSES.map((s) => [s, 0])) as Record<
      (typeof CLAIM_STATUSES)[number],
      number
    >;
    // gzip runs on libuv's thread pool: compressing the database file overlaps with building the NDJSON lines.
    const compressing = gzipFile(snapshot, join(partial, DATABASE_FILE));
    try {
      dataVersion = await readDataVersion(reader);
      schemaVersion = (await migrationStatus(reader)).applied;
      ndjson = [];
      for (const resource of RELEASE_RESOURCES) {
        const t = performance.now();
        const written = await writeNdjson(reader, resource, join(partial, ndjsonFileOf(resource)), {
          batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
          observe:
            resource === 'claims'
              ? (claim) => {
                  const s = (claim as { status: keyof typeof byStatus }).status;
                  byStatus[s] = (byStatus[s] ?? 0) + 1;
                }
              : undefined,
        });
        ndjson.push(written);
        log(`${ndjsonFileOf(resource)}: ${written.records} records, ${written.bytes} bytes in ${ms(t)} ms`);
      }
      databaseFile = await compressing;
      log(`${DATABASE_FILE}: ${databaseFile.bytes} bytes (${databaseFile.uncompressed_bytes} uncompressed)`);
    } catch (error) {
      // Let the compression stop before its folder goes.
      await compressing.catch(() => {});
      throw error;
    } finally {
      reader.close();
    }
    await rm(snapshot);

    const [databaseId = 'none', version = '0'] = splitDataVersion(dataVersion);
    const records = (resource: ReleaseResource) => ndjson[RELEASE_RESOURCES.indexOf(resource)]?.records ?? 0;
    const manifest: ReleaseManifest = {
      format: MANIFEST_FORMAT,
      id,
      created_at: created.toISOString(),
      app_version: APP_VERSION,
      schema_version: schemaVersion,
      database_id: databaseId,
      data_version: Number(version),
      counts: {
        claims: records('claims'),
        claims_by_status: byStatus,
        studies: records('studies'),
        conditions: records('conditions'),
        interventions: records('interventions'),
        topics: records('topics'),
      },
      files: [
        ...RELEASE_RESOURCES.map((resource, i) => ({
          name: ndjsonFileOf(resource),
          resource,
          media_type: GZIP_MEDIA_TYPE,
          content_media_type: NDJSON_MEDIA_TYPE,
          ...(ndjson[i] as WrittenFile),
        })),
        {
          name: DATABASE_FILE,
          resource: null,
          media_type: GZIP_MEDIA_TYPE,
          content_media_type: SQLITE_MEDIA_TYPE,
          ...databaseFile,
          records: null,
        },
      ],
    };
    await writeFile(join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { flush: true });
    await syncDirectory(partial);
    const path = join(options.dir, id);
    try {
      await rename(partial, path);
    } catch (error) {
      throw new ReleaseError(`cannot place the release at ${path}: ${(error as Error).message}`);
    }
    await syncDirectory(options.dir);
    removed.push(...(await pruneReleases(options.dir, options.keep)));
    return { manifest, path, removed, ms: ms(started) };
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

const ms = (since: number) => Math.round(performance.now() - since);

/** `<database id>.<version>`: the id is a UUID (no dots), the version an integer. */
function splitDataVersion(tag: string): [string, string] {
  const dot = tag.lastIndexOf('.');
  return [tag.slice(0, dot), tag.slice(dot + 1)];
}

interface WrittenFile {
  bytes: number;
  uncompressed_bytes: number;
  sha256: string;
  records: number;
}

/** Counts the bytes passing through, and hashes them when asked. */
class Measure extends Transform {
  bytes = 0;
  private readonly hash;
  constructor(hashing: boolean) {
    super();
    this.hash = hashing ? createHash('sha256') : undefined;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.bytes += chunk.length;
    this.hash?.update(chunk);
    done(null, chunk);
  }
  digest(): string {
    return this.hash?.digest('hex') ?? '';
  }
}

/**
 * Streams `source` through gzip into `path`, measuring both sides; the file is flushed to disk when the promise
 * resolves. Backpressure holds: a source is pulled only as fast as the disk takes the compressed bytes.
 */
async function writeGzip(source: Readable, path: string): Promise<Omit<WrittenFile, 'records'>> {
  const raw = new Measure(false);
  const stored = new Measure(true);
  await pipeline(source, raw, createGzip(), stored, createWriteStream(path, { flush: true }));
  return { bytes: stored.bytes, uncompressed_bytes: raw.bytes, sha256: stored.digest() };
}

async function gzipFile(source: string, path: string): Promise<WrittenFile> {
  return { ...(await writeGzip(createReadStream(source), path)), records: 0 };
}

/**
 * One resource's NDJSON file: each line is the serializer of the resource's GET route applied to the same query
 * function's result, so a line equals that GET's body byte for byte. One string per batch enters the stream.
 */
async function writeNdjson(
  reader: Parameters<typeof representationsOf>[0],
  resource: ReleaseResource,
  path: string,
  { batchSize, observe }: { batchSize: number; observe: ((record: unknown) => void) | undefined },
): Promise<WrittenFile> {
  const serialize = serializerCompiler({ schema: RELEASE_SOURCES[resource].schema });
  let records = 0;
  async function* lines() {
    for await (const batch of representationsOf(reader, resource, batchSize)) {
      let chunk = '';
      for (const record of batch) {
        observe?.(record);
        chunk += `${serialize(record)}\n`;
      }
      records += batch.length;
      yield chunk;
    }
  }
  const written = await writeGzip(Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 }), path);
  return { ...written, records };
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not every platform can fsync a directory; the files themselves are already flushed.
  } finally {
    await handle?.close();
  }
}
