// What PostgreSQL adds to the SQLite guarantees: several API instances on one database. Migrations run once however
// many boot together, one ETag lets exactly one writer win across instances, the change feed is in commit order while
// writers race, a write is seen by the next read anywhere, and search finds what SQLite finds. Runs only with
// TEST_DATABASE_URL (npm run test:postgres); the rest of the suite runs on PostgreSQL then too.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { applySeed, readSeedFiles } from '../src/curation/seed.js';
import { type Database, openDatabase } from '../src/store/client.js';
import { MIGRATIONS_FOLDERS, migrateDatabase } from '../src/store/migrate.js';
import { type App, scratchPath } from './helpers.js';
import { createTestDatabase, onPostgres } from './postgres.harness.js';

const opened: Database[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
  for (const drop of drops) await drop();
});

/** A new database (seeded or only migrated) and `n` handles on it, each with a pool of its own: n instances. */
async function instances(n: number, seeded: boolean): Promise<{ url: string; dbs: Database[] }> {
  const { url, drop } = await createTestDatabase(seeded);
  drops.push(drop);
  const dbs = Array.from({ length: n }, () => openDatabase(url, { poolSize: 4 }));
  opened.push(...dbs);
  return { url, dbs };
}

async function apps(dbs: Database[]): Promise<App[]> {
  return Promise.all(
    dbs.map(async (db) => {
      const app = await buildApp({ db, config: { MAX_EVENT_LOOP_DELAY_MS: 0, RATE_LIMIT_MAX: 1_000_000 } });
      await app.ready();
      return app;
    }),
  );
}

const SHIPPED_MIGRATIONS = (
  JSON.parse(readFileSync(`${MIGRATIONS_FOLDERS.postgres}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }
).entries.length;

describe.skipIf(!onPostgres)('PostgreSQL with several instances on one database', () => {
  it('applies each migration once when three instances boot at the same time', async () => {
    const { url, drop } = await createTestDatabase(false);
    drops.push(drop);
    // An empty database: the template is migrated, so start from one with no tables.
    const admin = openDatabase(url, { poolSize: 2 });
    opened.push(admin);
    await admin.run('DROP SCHEMA public CASCADE');
    await admin.run('CREATE SCHEMA public');
    const dbs = Array.from({ length: 3 }, () => openDatabase(url, { poolSize: 2 }));
    opened.push(...dbs);
    await Promise.all(dbs.map((db) => migrateDatabase(db)));
    const applied = await admin.all<{ n: number }>('SELECT count(*) AS n FROM __drizzle_migrations');
    expect(applied).toEqual([{ n: SHIPPED_MIGRATIONS }]);
    // One identity: the two inserts that lost the race changed nothing.
    const meta = await admin.all<{ key: string; value: string }>(
      "SELECT key, value FROM meta WHERE key IN ('data_version', 'database_id') ORDER BY key",
    );
    expect(meta.map((m) => m.key)).toEqual(['data_version', 'database_id']);
    expect(meta[0]?.value).toBe('0');
    // A fourth boot later finds nothing to do.
    await migrateDatabase(dbs[0] as Database);
    expect(await admin.all('SELECT count(*) AS n FROM __drizzle_migrations')).toEqual([{ n: SHIPPED_MIGRATIONS }]);
  });

  it('orders the change feed by commit: a reader polling while writers race never sees a revision appear behind it', async () => {
    const { dbs } = await instances(3, false);
    const [reader] = dbs as [Database];
    const seen: number[] = [];
    let writing = true;
    // What a feed client does: everything after the last revision it saw, in id order.
    const pollOnce = async () => {
      const rows = await reader.all<{ id: number }>('SELECT id FROM revisions WHERE id > ? ORDER BY id', [
        seen.at(-1) ?? 0,
      ]);
      seen.push(...rows.map((r) => r.id));
    };
    const poll = (async () => {
      while (writing) await pollOnce();
      await pollOnce();
    })();
    await Promise.all(
      dbs.flatMap((db, instance) =>
        Array.from({ length: 20 }, (_, i) =>
          db.transaction(async (tx) => {
            // The id is drawn early and the commit comes later, with other writers' turns in between.
            await tx.run(
              `INSERT INTO revisions (entity, entity_key, action, actor, changes) VALUES ('topic', ?, 'update', 'test', '{}')`,
              [`instance-${instance}-${i}`],
            );
            await tx.run('SELECT pg_sleep(0.002)');
          }),
        ),
      ),
    );
    writing = false;
    await poll;
    const all = (await reader.all<{ id: number }>('SELECT id FROM revisions ORDER BY id')).map((r) => r.id);
    expect(all).toHaveLength(60);
    // Every id the reader saw, it saw in order and without a gap it later had to go back for.
    expect(seen).toEqual(all);
  });

  it('lets exactly one of 50 concurrent PATCHes with one ETag win across three instances', async () => {
    const { dbs } = await instances(3, true);
    const [a, b, c] = await apps(dbs);
    const { key, id: keyId } = await createApiKey(dbs[0] as Database, {
      name: 'racer',
      scope: 'write',
      secret: await resolveKeySecret(dbs[0] as Database),
    });
    const url = '/v1/claims/gut-dysbiosis-rosacea-association';
    const etag = (await a?.inject(url))?.headers.etag as string;
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const app = [a, b, c][i % 3];
        const res = await app?.inject({
          method: 'PATCH',
          url,
          headers: { authorization: `Bearer ${key}`, 'if-match': etag },
          payload: { outcome: `writer ${i}` },
        });
        return res?.statusCode;
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200 && s !== 412)).toEqual([]);
    const revisions = await (dbs[2] as Database).all<{ n: number }>(
      // Revisions name a key by its id (issue 10's access rules).
      "SELECT count(*) AS n FROM revisions WHERE entity = 'claim' AND entity_key = 'gut-dysbiosis-rosacea-association' AND actor = ?",
      [`key:${keyId}`],
    );
    expect(revisions).toEqual([{ n: 1 }]);
    await Promise.all([a, b, c].map((app) => app?.close()));
  });

  it('shows a write through one instance to the next read through another, with the new ETag', async () => {
    const { dbs } = await instances(2, true);
    const [writer, reader] = await apps(dbs);
    const key = (
      await createApiKey(dbs[0] as Database, {
        name: 'curator',
        scope: 'write',
        secret: await resolveKeySecret(dbs[0] as Database),
      })
    ).key;
    const url = '/v1/claims/gut-dysbiosis-acne-association';
    const before = await reader?.inject(url);
    const written = await writer?.inject({
      method: 'PATCH',
      url,
      headers: { authorization: `Bearer ${key}`, 'if-match': before?.headers.etag as string },
      payload: { outcome: 'Acne severity (IGA), written through instance A' },
    });
    expect(written?.statusCode).toBe(200);
    const after = await reader?.inject(url);
    expect(after?.json().outcome).toBe('Acne severity (IGA), written through instance A');
    expect(after?.headers.etag).toBe(written?.headers.etag);
    await Promise.all([writer, reader].map((app) => app?.close()));
  });

  it("re-indexes one claim's search document by its key, never by reading every claim", async () => {
    const { dbs } = await instances(1, true);
    const db = dbs[0] as Database;
    // pg_stat_xact_user_tables counts this transaction's scans; with sequential scans priced out, a lookup that can
    // use the primary key does, and one that cannot (an expression over seq) still scans, so the count tells them apart.
    const scans = await db.transaction(async (tx) => {
      await tx.run('SET LOCAL enable_seqscan = off');
      const count = async () =>
        (await tx.get<{ seq_scan: number }>("SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'claims'"))
          ?.seq_scan ?? 0;
      const before = await count();
      await tx.run("SELECT search_reindex(seq * 8 + 1) FROM claims WHERE id = 'gut-dysbiosis-acne-association'");
      return (await count()) - before;
    });
    expect(scans).toBe(0);
    const found = await db.all<{ ref: string }>(
      "SELECT ref FROM search_index WHERE document @@ to_tsquery('simple', 'acne') AND kind = 'claim' ORDER BY ref",
    );
    expect(found.map((r) => r.ref)).toContain('gut-dysbiosis-acne-association');
  });

  it("finds the same results as SQLite for the seed's common words", async () => {
    const { dbs } = await instances(1, true);
    const [pgApp] = await apps(dbs);
    const sqlite = openDatabase(scratchPath('search-twin'), { temporary: true, synchronous: 'OFF' });
    opened.push(sqlite);
    await migrateDatabase(sqlite);
    for (const file of readSeedFiles()) await applySeed(sqlite, file.seed);
    const [sqliteApp] = await apps([sqlite]);
    const hits = async (app: App | undefined, q: string) => {
      const res = await (app as App).inject(`/v1/search?q=${encodeURIComponent(q)}&limit=50`);
      expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
      return (res.json().items as { type: string; id: string }[]).map((h) => `${h.type}:${h.id}`).sort();
    };
    for (const q of [
      'acne',
      'probiotic',
      'microbiome',
      'eczema',
      'rosacea',
      'psoriasis',
      'gut skin',
      'derm',
      'atopic derm',
      'ruminococcaceae',
    ]) {
      const fromSqlite = await hits(sqliteApp, q);
      expect(fromSqlite.length, `SQLite finds something for ${q}`).toBeGreaterThan(0);
      expect(await hits(pgApp, q), q).toEqual(fromSqlite);
    }
    await Promise.all([pgApp, sqliteApp].map((app) => app?.close()));
  });

  it('answers a full disk (SQLSTATE 53100) with 507, /ready says so, and both recover once writes succeed again', async () => {
    const { dbs } = await instances(1, true);
    const [db] = dbs as [Database];
    const [app] = (await apps(dbs)) as [App];
    const key = (await createApiKey(db, { name: 'alice', scope: 'write', secret: await resolveKeySecret(db) })).key;
    // A trigger raising disk_full stands in for the disk: the same SQLSTATE the server raises when it cannot extend
    // a file, on every write to topics and to meta (where readiness probes for space).
    await db.run(`CREATE FUNCTION full_disk() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$`);
    for (const table of ['topics', 'meta'])
      await db.run(`CREATE TRIGGER ${table}_full BEFORE INSERT OR UPDATE ON ${table} EXECUTE FUNCTION full_disk()`);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/topics',
      headers: { authorization: `Bearer ${key}` },
      payload: {
        slug: 'full-disk',
        question: 'Does it fit?',
        bottom_line: 'No.',
        evidence_summary: 'None.',
        claims: [],
      },
    });
    expect(res.statusCode).toBe(507);
    expect(res.json()).toMatchObject({ code: 'server.storage_full', title: 'Insufficient storage' });
    expect((await app.inject('/v1/topics/full-disk')).statusCode).toBe(404);
    const notReady = await app.inject('/ready');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ code: 'server.storage_full' });
    await db.run('DROP FUNCTION full_disk() CASCADE');
    expect((await app.inject('/ready')).statusCode).toBe(200);
    await app.close();
  });

  it('answers 503 with Retry-After when another instance holds the commit lock longer than the bound', async () => {
    const { url } = await instances(1, true);
    const db = openDatabase(url, { poolSize: 4, busyWaitMs: 300 });
    opened.push(db);
    const [app] = (await apps([db])) as [App];
    const key = (await createApiKey(db, { name: 'alice', scope: 'write', secret: await resolveKeySecret(db) })).key;
    const other = openDatabase(url, { poolSize: 2 });
    opened.push(other);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding: () => void = () => {};
    const holds = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const holder = other.transaction(async () => {
      holding();
      await held;
    });
    await holds;
    const read = await app.inject('/v1/topics/gut-microbiome-and-skin');
    const res = await app.inject({
      method: 'PATCH',
      url: '/v1/topics/gut-microbiome-and-skin',
      headers: { authorization: `Bearer ${key}`, 'if-match': read.headers.etag as string },
      payload: { bottom_line: 'Written while another instance held the lock.' },
    });
    release();
    await holder;
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ code: 'server.database_busy' });
    expect((await app.inject('/v1/topics/gut-microbiome-and-skin')).json().bottom_line).not.toBe(
      'Written while another instance held the lock.',
    );
    await app.close();
  });

  it('answers 503 database_unavailable when the server drops its connections, and serves again without a restart', async () => {
    const { url, dbs } = await instances(1, true);
    const [app] = (await apps(dbs)) as [App];
    expect((await app.inject('/v1/claims?limit=1')).statusCode).toBe(200);
    // What a PostgreSQL restart does to a pool: every connection it holds is cut.
    const admin = openDatabase(url, { poolSize: 1 });
    opened.push(admin);
    await admin.run(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'evidence-api' AND pid <> pg_backend_pid()",
    );
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await app.inject('/v1/claims?limit=1');
      statuses.push(res.statusCode);
      if (res.statusCode === 503) {
        expect(res.json()).toMatchObject({ code: 'server.database_unavailable' });
        expect(res.headers['retry-after']).toBe('1');
      }
    }
    // Some requests may meet a cut connection (503, never 500); the pool replaces them and serving resumes.
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(statuses.at(-1)).toBe(200);
    await app.close();
  });
});
