// Backups and bulk releases of a PostgreSQL database: each is one snapshot (REPEATABLE READ READ ONLY) copied into a
// SQLite file while writers go on, a backup restores into PostgreSQL with db:copy, and a release from PostgreSQL
// equals the release of the same data on SQLite. Runs only with TEST_DATABASE_URL (npm run test:postgres).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { backupToSqliteFile, runBackupCli } from '../src/cli/backup.js';
import { runCopyCli } from '../src/cli/db-copy.js';
import { runExportCli } from '../src/cli/export.js';
import { commit } from '../src/curation/commit.js';
import { applySeed, readSeedFiles } from '../src/curation/seed.js';
import { exportRelease } from '../src/resources/releases/releases.export.js';
import type { ReleaseManifest } from '../src/resources/releases/releases.schemas.js';
import { type Database, openDatabase } from '../src/store/client.js';
import { checksumTables, copyDatabase } from '../src/store/copy.js';
import { readDataVersion } from '../src/store/data-version.queries.js';
import { migrateDatabase } from '../src/store/migrate.js';
import { scratchPath } from './helpers.js';
import { createTestDatabase, onPostgres } from './postgres.harness.js';
import { gunzipDatabase, ndjsonLines, releasesFolder } from './releases.helpers.js';

const opened: Database[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
  for (const drop of drops) await drop();
});

async function postgres(seeded: boolean): Promise<{ url: string; db: Database }> {
  const { url, drop } = await createTestDatabase(seeded);
  drops.push(drop);
  const db = openDatabase(url, { poolSize: 4 });
  opened.push(db);
  return { url, db };
}

function sqlite(name: string, path = scratchPath(name)): Database {
  const db = openDatabase(path, { synchronous: 'OFF' });
  opened.push(db);
  return db;
}

function cliIo(env: NodeJS.ProcessEnv) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      env,
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
    },
  };
}

/** One commit: a new condition `late-<n>`, so the n-th commit of a test leaves one row and one revision. */
const addCondition = (db: Database, n: number) =>
  commit(db, { actor: 'test' }, async (changes) => {
    await changes.upsertCondition({
      slug: `late-${n}`,
      name: `Late condition ${n}`,
      description: null,
      synonyms: [],
      mesh_id: null,
      doid: null,
      parent: null,
      parents: [],
    });
  });

const versionOf = (tag: string) => Number(tag.slice(tag.lastIndexOf('.') + 1));

describe.skipIf(!onPostgres)('npm run backup on PostgreSQL', () => {
  it('copies one point in time while writers commit: the copy’s rows, revisions and data version agree, and restore with db:copy', async () => {
    const { db } = await postgres(true);
    const baseVersion = versionOf(await readDataVersion(db));
    // A writer committing one condition at a time for as long as the backup runs.
    let committed = 0;
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing || n < 3; n++) {
        await addCondition(db, n);
        committed = n + 1;
      }
    })();
    while (committed < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    const file = join(releasesFolder(), 'backup.db');
    let atSnapshot = 0;
    const result = await backupToSqliteFile(db, file, {
      force: false,
      // Writers go on after the snapshot and never wait for the copy: two more commit before any row is read.
      afterSnapshot: async () => {
        atSnapshot = committed;
        while (committed < atSnapshot + 2) await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    writing = false;
    await writer;
    expect(result.pages).toBeGreaterThan(0);

    const copy = sqlite('backup', file);
    const late = (await copy.all<{ slug: string }>("SELECT slug FROM conditions WHERE slug LIKE 'late-%'")).map(
      (r) => r.slug,
    );
    const n = late.length;
    // A prefix of the writer's commits, taken before the hook ran (a commit may land just before its counter moves).
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(atSnapshot + 1);
    expect(n).toBeLessThan(committed);
    expect(late.sort()).toEqual(Array.from({ length: n }, (_, i) => `late-${i}`).sort());
    // The history and the data version are of the same moment as the rows.
    const revisions = await copy.all<{ entity_key: string }>(
      "SELECT entity_key FROM revisions WHERE entity = 'condition' AND entity_key LIKE 'late-%' ORDER BY id",
    );
    expect(revisions.map((r) => r.entity_key)).toEqual(Array.from({ length: n }, (_, i) => `late-${i}`));
    expect(versionOf(await readDataVersion(copy))).toBe(baseVersion + n);
    expect((await copy.get<{ id: number }>('SELECT max(id) AS id FROM revisions'))?.id).toBe(
      (await db.get<{ id: number }>(`SELECT id FROM revisions WHERE entity_key = 'late-${n - 1}'`))?.id,
    );

    // Restore: db:copy into an empty PostgreSQL database gives the backup's tables, identity and data version.
    const restored = await postgres(false);
    const { out, io } = cliIo({});
    expect(await runCopyCli(['--from', file, '--to', restored.url], io), out.stderr).toBe(0);
    expect(await checksumTables(restored.db)).toEqual(await checksumTables(copy));
    expect(await readDataVersion(restored.db)).toBe(await readDataVersion(copy));
  });

  it('writes FILE from DATABASE_URL on the command line, keeps an existing FILE without --force, and never prints the password', async () => {
    const { url } = await postgres(true);
    const file = join(releasesFolder(), 'evidence-backup.db');
    const first = cliIo({ DATABASE_URL: url });
    expect(await runBackupCli([file], first.io), first.out.stderr).toBe(0);
    expect(first.out.stdout).toMatch(
      new RegExp(
        `^Backed up postgres://evidence:\\*\\*\\*@.+ to ${file}: [\\d.]+ KiB \\(\\d+ pages\\) in \\d+ ms\\.\\n$`,
      ),
    );
    expect(first.out.stdout).not.toContain(':evidence@');
    const again = cliIo({ DATABASE_URL: url });
    expect(await runBackupCli([file], again.io)).toBe(1);
    expect(again.out.stderr).toBe(`backup failed: ${file} exists; pass --force to replace it\n`);
    expect(await runBackupCli(['--force', file], again.io)).toBe(0);
    // Only FILE is left: no partial copy, WAL or journal beside it.
    expect(readdirSync(join(file, '..'))).toEqual(['evidence-backup.db']);
    const copy = sqlite('cli-backup', file);
    expect(await copy.get("SELECT status FROM claims WHERE id = 'gut-dysbiosis-acne-association'")).toEqual({
      status: 'published',
    });
  });
});

describe.skipIf(!onPostgres)('npm run export on PostgreSQL', () => {
  it('writes the same release as SQLite does from the same data: every NDJSON line, the counts and the data version', async () => {
    // The same data on both engines: a seeded SQLite file with one claim of each status, copied into PostgreSQL.
    const lite = sqlite('release-source');
    await migrateDatabase(lite);
    for (const file of readSeedFiles()) await applySeed(lite, file.seed);
    await createApiKey(lite, { name: 'curator', scope: 'write', secret: await resolveKeySecret(lite) });
    await commit(lite, { actor: 'test' }, async (changes) => {
      await changes.setClaimStatus('probiotics-prebiotics-acne', 'draft', 'update');
      await changes.setClaimStatus('gut-dysbiosis-rosacea-association', 'retracted', 'retract');
      await changes.setClaimStatus('probiotic-strain-dose-unknown', 'withdrawn', 'update');
    });
    const { url, db } = await postgres(false);
    await copyDatabase(lite, db);

    const release = async (env: NodeJS.ProcessEnv) => {
      const dir = releasesFolder();
      const { out, io } = cliIo({ ...env, RELEASES_DIR: dir });
      expect(await runExportCli(['--json'], io), out.stderr).toBe(0);
      const manifest = JSON.parse(out.stdout) as ReleaseManifest;
      return { manifest, path: join(dir, manifest.id) };
    };
    const fromSqlite = await release({ DATABASE_PATH: lite.path });
    const fromPostgres = await release({ DATABASE_URL: url });

    const { id: _a, created_at: _b, files: sqliteFiles, ...sqliteManifest } = fromSqlite.manifest;
    const { id: _c, created_at: _d, files: postgresFiles, ...postgresManifest } = fromPostgres.manifest;
    expect(postgresManifest).toEqual(sqliteManifest);
    expect(postgresManifest.counts).toMatchObject({
      claims: 10,
      claims_by_status: { published: 8, draft: 0, retracted: 1, withdrawn: 1 },
      studies: 8,
      conditions: 7,
      interventions: 8,
      topics: 1,
    });
    for (const file of sqliteFiles.filter((f) => f.resource !== null)) {
      const lines = ndjsonLines(join(fromPostgres.path, file.name));
      expect(lines, file.name).toEqual(ndjsonLines(join(fromSqlite.path, file.name)));
      expect(postgresFiles.find((f) => f.name === file.name)?.uncompressed_bytes).toBe(file.uncompressed_bytes);
    }
    // The SQLite file of each holds the same rows, and neither holds a key or a draft.
    const [a, b] = [fromSqlite, fromPostgres].map((r) =>
      sqlite('release-file', gunzipDatabase(join(r.path, 'evidence.sqlite.gz'))),
    ) as [Database, Database];
    expect(await checksumTables(b)).toEqual(await checksumTables(a));
    expect(await b.get('SELECT count(*) AS n FROM api_keys')).toEqual({ n: 0 });
    expect(await b.get("SELECT count(*) AS n FROM claims WHERE status = 'draft'")).toEqual({ n: 0 });
  });

  it('keeps a write committed after the snapshot out of every file', async () => {
    const { db } = await postgres(true);
    const before = await readDataVersion(db);
    const dir = releasesFolder();
    const { manifest, path } = await exportRelease(db, {
      dir,
      keep: 2,
      // The snapshot is the copy's: on PostgreSQL this runs once the SQLite file is written, as on SQLite.
      afterSnapshot: () => addCondition(db, 0).then(() => undefined),
    });
    expect(`${manifest.database_id}.${manifest.data_version}`).toBe(before);
    expect(await readDataVersion(db)).not.toBe(before);
    const slugs = ndjsonLines(join(path, 'conditions.ndjson.gz')).map((l) => JSON.parse(l).slug);
    expect(slugs).not.toContain('late-0');
    expect(slugs).toHaveLength(manifest.counts.conditions);
  });
});
