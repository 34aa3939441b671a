// Bulk releases as files: manifest, digests, the API's own lines, the SQLite file, one snapshot, atomicity, retention.
// SQLite files (skipped with TEST_DATABASE_URL); releases from PostgreSQL are test/postgres.backup.test.ts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createApiKey } from '../src/auth/keys.js';
import { runExportCli } from '../src/cli/export.js';
import { commit } from '../src/curation/commit.js';
import { partialFolderOf } from '../src/resources/releases/releases.folder.js';
import { RELEASE_SOURCES } from '../src/resources/releases/releases.queries.js';
import type { ReleaseManifest } from '../src/resources/releases/releases.schemas.js';
import { type Database, openDatabase } from '../src/store/client.js';
import { migrateDatabase, migrationStatus } from '../src/store/migrate.js';
import { type App, freshDatabase, getJson, onPostgres, walkPages } from './helpers.js';
import {
  dateOfReleaseId,
  EXAMPLE_RELEASE_ID,
  gunzipDatabase,
  ndjsonLines,
  releasesFolder,
  writeRelease,
} from './releases.helpers.js';

const RESOURCES = ['claims', 'studies', 'conditions', 'interventions', 'topics'] as const;
const STATUSES = ['published', 'draft', 'retracted', 'withdrawn'] as const;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every resource the API lists, walked page by page: claims of each status, then the other collections. */
async function countsThroughTheApi(app: App) {
  const claims: Record<string, number> = {};
  // Drafts are listed only to keys (a 401 without one), and a release holds none.
  for (const status of STATUSES)
    claims[status] =
      status === 'draft' ? 0 : (await walkPages(app, `/v1/claims?status=${status}&limit=100`)).items.length;
  const count = async (path: string) => (await walkPages(app, `${path}?limit=100`)).items.length;
  return {
    claims: Object.values(claims).reduce((a, b) => a + b, 0),
    claims_by_status: claims,
    studies: await count('/v1/studies'),
    conditions: await count('/v1/conditions'),
    interventions: await count('/v1/interventions'),
    topics: await count('/v1/topics'),
  };
}

/** The key of a line, as its GET path takes it. */
const keyOf = (resource: (typeof RESOURCES)[number], record: Record<string, unknown>) =>
  String(resource === 'claims' ? record.id : resource === 'studies' ? record.pmid : record.slug);

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

describe.skipIf(onPostgres)('a release of the seeded database', () => {
  let db: Database;
  let app: App;
  let manifest: ReleaseManifest;
  let folder: string;

  beforeAll(async () => {
    db = await freshDatabase();
    // One claim of each status besides published: a release is the whole public dataset (drafts left out).
    await commit(db, { actor: 'test' }, async (changes) => {
      await changes.setClaimStatus('probiotics-prebiotics-acne', 'draft', 'update');
      await changes.setClaimStatus('gut-dysbiosis-rosacea-association', 'retracted', 'retract');
      await changes.setClaimStatus('probiotic-strain-dose-unknown', 'withdrawn', 'update');
    });
    const written = await writeRelease(db);
    manifest = written.manifest;
    folder = written.path;
    app = await buildApp({ db });
    return async () => {
      await app.close();
    };
  });

  it('names its data version, schema version, build, counts and files in the manifest', async () => {
    const index = (await getJson(app, '/')).body;
    expect(`${manifest.database_id}.${manifest.data_version}`).toBe(index.data_version);
    expect(manifest).toMatchObject({
      format: 'evidence-api-release/1',
      id: EXAMPLE_RELEASE_ID,
      created_at: '2026-11-29T19:42:00.123Z',
      app_version: index.version,
      schema_version: (await migrationStatus(db)).expected,
      counts: {
        claims: 10,
        claims_by_status: { published: 8, draft: 0, retracted: 1, withdrawn: 1 },
        studies: 8,
        conditions: 7,
        interventions: 8,
        topics: 1,
      },
    });
    expect(manifest.files.map((f) => [f.name, f.resource, f.media_type, f.content_media_type, f.records])).toEqual([
      ['claims.ndjson.gz', 'claims', 'application/gzip', 'application/x-ndjson', 10],
      ['studies.ndjson.gz', 'studies', 'application/gzip', 'application/x-ndjson', 8],
      ['conditions.ndjson.gz', 'conditions', 'application/gzip', 'application/x-ndjson', 7],
      ['interventions.ndjson.gz', 'interventions', 'application/gzip', 'application/x-ndjson', 8],
      ['topics.ndjson.gz', 'topics', 'application/gzip', 'application/x-ndjson', 1],
      ['evidence.sqlite.gz', null, 'application/gzip', 'application/vnd.sqlite3', null],
    ]);
    expect(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'))).toEqual(manifest);
    // Nothing else in the folder: the uncompressed snapshot is not left behind.
    expect(readdirSync(folder).sort()).toEqual([...manifest.files.map((f) => f.name), 'manifest.json'].sort());
  });

  it('gives every file a SHA-256 and sizes that its bytes verify', () => {
    for (const file of manifest.files) {
      const bytes = readFileSync(join(folder, file.name));
      expect(sha256(bytes), file.name).toBe(file.sha256);
      expect(bytes.length, file.name).toBe(file.bytes);
      expect(gunzipSync(bytes).length, file.name).toBe(file.uncompressed_bytes);
    }
  });

  it('counts what the API lists: every claim of every status, and every study, condition, intervention, topic', async () => {
    expect(await countsThroughTheApi(app)).toEqual(manifest.counts);
  });

  it('writes each line exactly as GET of that resource answers it', async () => {
    for (const resource of RESOURCES) {
      const lines = ndjsonLines(join(folder, `${resource}.ndjson.gz`));
      expect(lines.length, resource).toBe(manifest.counts[resource]);
      for (const line of lines) {
        const key = keyOf(resource, JSON.parse(line));
        const res = await app.inject(`/v1/${resource}/${encodeURIComponent(key)}`);
        expect(res.statusCode, `${resource} ${key}`).toBe(200);
        expect(line, `${resource} ${key}`).toBe(res.body);
      }
    }
  });

  it('orders each file by its key, as the API lists them', () => {
    const keys = (resource: (typeof RESOURCES)[number]) =>
      ndjsonLines(join(folder, `${resource}.ndjson.gz`)).map((l) => keyOf(resource, JSON.parse(l)));
    expect(keys('claims')).toEqual([...keys('claims')].sort());
    expect(keys('studies')).toEqual([...keys('studies')].sort((a, b) => Number(a) - Number(b)));
    expect(keys('conditions')[0]).toBe('acne');
    expect(keys('topics')).toEqual(['gut-microbiome-and-skin']);
  });

  it('includes retracted and withdrawn claims with their status, and leaves drafts out with their history', () => {
    const statuses = Object.fromEntries(
      ndjsonLines(join(folder, 'claims.ndjson.gz')).map((l) => {
        const claim = JSON.parse(l);
        return [claim.id, claim.status];
      }),
    );
    expect(statuses['probiotics-prebiotics-acne']).toBeUndefined();
    expect(statuses['fibre-rich-diet-gut-flora']).toBeUndefined();
    const copy = new BetterSqlite3(gunzipDatabase(join(folder, 'evidence.sqlite.gz')), { readonly: true });
    try {
      // A claim that was only ever a draft leaves no trace; one that became a draft keeps its public past.
      const revisionsOf = (id: string) =>
        copy
          .prepare("SELECT action FROM revisions WHERE entity = 'claim' AND entity_key = ? ORDER BY id")
          .pluck()
          .all(id);
      expect(revisionsOf('fibre-rich-diet-gut-flora')).toEqual([]);
      expect(revisionsOf('probiotics-prebiotics-acne')).toEqual(['create']);
      expect(copy.prepare("SELECT count(*) FROM claims WHERE status = 'draft'").pluck().get()).toBe(0);
    } finally {
      copy.close();
    }
    expect(statuses).toMatchObject({
      'gut-dysbiosis-rosacea-association': 'retracted',
      'probiotic-strain-dose-unknown': 'withdrawn',
      'melanoma-microbiome-immunotherapy-response': 'published',
    });
  });

  it('ships a SQLite file that opens, and on which the API serves the same counts and data version', async () => {
    const copy = openDatabase(gunzipDatabase(join(folder, 'evidence.sqlite.gz')), { synchronous: 'OFF' });
    await migrateDatabase(copy);
    const served = await buildApp({ db: copy });
    open.push(served);
    expect(await countsThroughTheApi(served)).toEqual(manifest.counts);
    expect((await getJson(served, '/')).body.data_version).toBe(`${manifest.database_id}.${manifest.data_version}`);
    const claim = await served.inject('/v1/claims/melanoma-microbiome-immunotherapy-response');
    expect(claim.body).toBe((await app.inject('/v1/claims/melanoma-microbiome-immunotherapy-response')).body);
  });
});

describe.skipIf(onPostgres)('what a release leaves out', () => {
  it('has no API key, key hash or key secret in its SQLite file', async () => {
    const db = await freshDatabase({ seed: false });
    open.push(db);
    const secret = 's'.repeat(40);
    const { key } = await createApiKey(db, { name: 'curator', scope: 'admin', secret });
    const hash = (db.sqlite.prepare('SELECT key_hash FROM api_keys').get() as { key_hash: string }).key_hash;
    // The generated secret kept in meta when API_KEY_SECRET is unset.
    db.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('api_key_secret', 'the-generated-secret-value')").run();
    const { manifest, path } = await writeRelease(db);
    const bytes = gunzipSync(readFileSync(join(path, 'evidence.sqlite.gz')));
    for (const secretText of [hash, key, 'the-generated-secret-value', key.slice(0, 10)])
      expect(bytes.includes(Buffer.from(secretText)), secretText).toBe(false);
    const copy = openDatabase(gunzipDatabase(join(path, 'evidence.sqlite.gz')), { synchronous: 'OFF' });
    open.push(copy);
    expect(copy.sqlite.prepare('SELECT count(*) AS n FROM api_keys').get()).toEqual({ n: 0 });
    expect(copy.sqlite.prepare('SELECT key, value FROM meta ORDER BY key').all()).toEqual([
      { key: 'data_version', value: String(manifest.data_version) },
      { key: 'database_id', value: manifest.database_id },
    ]);
  });
});

describe.skipIf(onPostgres)('one snapshot for every file', () => {
  it('keeps a write made after the snapshot out of every file, and names the data version before it', async () => {
    const db = await freshDatabase();
    open.push(db);
    const before = (await getJson(await appOn(db), '/')).body.data_version;
    const { manifest, path } = await writeRelease(db, {
      // Between the snapshot and the first NDJSON line: the export must not see these.
      afterSnapshot: async () => {
        await commit(db, { actor: 'test' }, async (changes) => {
          await changes.setClaimStatus('melanoma-microbiome-immunotherapy-response', 'withdrawn', 'update');
          await changes.upsertCondition({
            slug: 'late-condition',
            name: 'Late condition',
            description: null,
            synonyms: [],
            mesh_id: null,
            doid: null,
            parent: null,
            parents: [],
          });
        });
      },
    });
    const live = await appOn(db);
    expect((await getJson(live, '/')).body.data_version).not.toBe(before);
    expect((await getJson(live, '/v1/claims/melanoma-microbiome-immunotherapy-response')).body.status).toBe(
      'withdrawn',
    );

    expect(`${manifest.database_id}.${manifest.data_version}`).toBe(before);
    const melanoma = ndjsonLines(join(path, 'claims.ndjson.gz'))
      .map((l) => JSON.parse(l))
      .find((c) => c.id === 'melanoma-microbiome-immunotherapy-response');
    expect(melanoma.status).toBe('published');
    const slugs = ndjsonLines(join(path, 'conditions.ndjson.gz')).map((l) => JSON.parse(l).slug);
    expect(slugs).not.toContain('late-condition');
    expect(manifest.counts.conditions).toBe(7);
    // The topic embeds its published claims: the melanoma claim is still one of them in the snapshot.
    const topic = JSON.parse(ndjsonLines(join(path, 'topics.ndjson.gz'))[0] as string);
    expect(topic.claims.map((c: { id: string }) => c.id)).toContain('melanoma-microbiome-immunotherapy-response');

    const copy = openDatabase(gunzipDatabase(join(path, 'evidence.sqlite.gz')), { synchronous: 'OFF' });
    open.push(copy);
    expect(
      copy.sqlite.prepare("SELECT status FROM claims WHERE id = 'melanoma-microbiome-immunotherapy-response'").get(),
    ).toEqual({
      status: 'published',
    });
    expect(copy.sqlite.prepare("SELECT count(*) AS n FROM conditions WHERE slug = 'late-condition'").get()).toEqual({
      n: 0,
    });
  });

  async function appOn(db: Database) {
    // The app closes its database on close: a second handle on the same file keeps the test's one open.
    const app = await buildApp({ db: openDatabase(db.path, { synchronous: 'OFF' }) });
    open.push(app);
    return app;
  }
});

describe.skipIf(onPostgres)('reading in batches', () => {
  it('writes the same files whatever the batch size (keyset pages never repeat or skip a row)', async () => {
    const db = await freshDatabase();
    open.push(db);
    const one = await writeRelease(db, { batchSize: 1000 });
    const tiny = await writeRelease(db, { batchSize: 2 });
    for (const resource of RESOURCES)
      expect(ndjsonLines(join(tiny.path, `${resource}.ndjson.gz`)), resource).toEqual(
        ndjsonLines(join(one.path, `${resource}.ndjson.gz`)),
      );
  });

  it('reads every batch of keys off an index: no table is sorted to find a page', async () => {
    const db = await freshDatabase();
    open.push(db);
    for (const [resource, source] of Object.entries(RELEASE_SOURCES)) {
      for (const after of [undefined, '1']) {
        const query = source.keys(db, after, 500) as unknown as { toSQL(): { sql: string; params: unknown[] } };
        const { sql, params } = query.toSQL();
        const plan = (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
          .map((r) => r.detail)
          .join('; ');
        expect(plan, `${resource} ${sql}`).not.toMatch(/TEMP B-TREE/);
        expect(plan, `${resource} ${sql}`).toMatch(/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/);
      }
    }
  });
});

describe.skipIf(onPostgres)('publishing', () => {
  it('publishes nothing when the export fails, and leaves no partial folder behind', async () => {
    const db = await freshDatabase();
    open.push(db);
    const dir = releasesFolder();
    await expect(
      writeRelease(db, {
        dir,
        afterSnapshot: async () => {
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the newest RELEASES_KEEP releases and deletes older ones', async () => {
    const db = await freshDatabase();
    open.push(db);
    const dir = releasesFolder();
    const ids = ['20261127T080000.000Z', '20261128T080000.000Z', '20261129T080000.000Z'];
    const results = [];
    for (const id of ids) results.push(await writeRelease(db, { dir, id, keep: 2 }));
    expect(results.map((r) => r.removed)).toEqual([[], [], ['20261127T080000.000Z']]);
    expect(readdirSync(dir).sort()).toEqual(['20261128T080000.000Z', '20261129T080000.000Z']);
  });

  it('removes the partial folder an export that died left behind, and keeps a running one', async () => {
    const db = await freshDatabase();
    open.push(db);
    const dir = releasesFolder();
    // A pid that has just exited: its export can no longer be running.
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const abandoned = partialFolderOf('20261101T000000.000Z', dead);
    const running = partialFolderOf('20261101T000000.000Z', process.ppid);
    for (const name of [abandoned, running]) mkdirSync(join(dir, name, 'x'), { recursive: true });
    const { removed } = await writeRelease(db, { dir });
    expect(removed).toEqual([abandoned]);
    expect(readdirSync(dir).sort()).toEqual([running, EXAMPLE_RELEASE_ID]);
  });

  it('refuses a second release with the same id', async () => {
    const db = await freshDatabase();
    open.push(db);
    const { dir } = await writeRelease(db);
    await expect(writeRelease(db, { dir })).rejects.toThrow(`a release ${EXAMPLE_RELEASE_ID} already exists`);
  });

  it('refuses a database this build has not migrated, naming how many migrations it has', async () => {
    const db = await freshDatabase({ seed: false });
    open.push(db);
    db.sqlite.exec('DELETE FROM __drizzle_migrations WHERE rowid = (SELECT max(rowid) FROM __drizzle_migrations)');
    const { expected } = await migrationStatus(db);
    await expect(writeRelease(db)).rejects.toThrow(
      `the database has ${expected - 1} of the ${expected} migrations of this build; start the server once (it migrates) and export again`,
    );
  });
});

describe.skipIf(onPostgres)('npm run export', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: (env: NodeJS.ProcessEnv) => ({
        env,
        stdout: { write: (t: string) => (out.stdout += t) },
        stderr: { write: (t: string) => (out.stderr += t) },
      }),
    };
  };

  it('writes a release of DATABASE_PATH into --out and prints its manifest with --json', async () => {
    const db = await freshDatabase();
    open.push(db);
    const dir = releasesFolder();
    const { out, io: make } = io();
    expect(await runExportCli(['--out', dir, '--json'], make({ DATABASE_PATH: db.path }))).toBe(0);
    const manifest = JSON.parse(out.stdout) as ReleaseManifest;
    expect(manifest.counts.claims).toBe(10);
    expect(readdirSync(dir)).toEqual([manifest.id]);
    expect(dateOfReleaseId(manifest.id).toISOString()).toBe(manifest.created_at);
    expect(out.stderr).toContain('claims.ndjson.gz: 10 records');
  });

  it('prints a summary by default and honours RELEASES_DIR', async () => {
    const db = await freshDatabase();
    open.push(db);
    const dir = releasesFolder();
    const { out, io: make } = io();
    expect(await runExportCli([], make({ DATABASE_PATH: db.path, RELEASES_DIR: dir }))).toBe(0);
    expect(out.stdout).toMatch(/^Release \d{8}T\d{6}\.\d{3}Z \(data version [0-9a-f-]+\.1, schema \d+\) in /);
    expect(out.stdout).toMatch(/claims\.ndjson\.gz +[\d.]+ KiB {2}10\n/);
  });

  it('exits 1 naming the setting when --keep is not a positive number, and 2 on an unknown option', async () => {
    const { out, io: make } = io();
    expect(await runExportCli(['--keep', '0'], make({}))).toBe(1);
    expect(out.stderr).toContain('RELEASES_KEEP="0"');
    expect(await runExportCli(['--frobnicate'], make({}))).toBe(2);
    expect(out.stderr).toContain("Unknown option '--frobnicate'");
  });

  it('exits 1 without creating anything when DATABASE_PATH does not exist', async () => {
    const dir = releasesFolder();
    const missing = join(dir, 'nothing-here.db');
    const { out, io: make } = io();
    expect(await runExportCli(['--out', dir], make({ DATABASE_PATH: missing }))).toBe(1);
    expect(out.stderr).toBe(`export failed: no database at ${missing}\n`);
    expect(existsSync(missing)).toBe(false);
    expect(statSync(dir).isDirectory()).toBe(true);
  });
});
