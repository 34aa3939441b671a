// npm run db:copy: a whole database into an empty one, every table's rows and checksum equal on both sides, the
// identity and data version kept (so ETags stay valid), and the copy writable afterwards.
import { describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { runCopyCli } from '../src/cli/db-copy.js';
import { commit } from '../src/curation/commit.js';
import { applySeed, readSeedFiles } from '../src/curation/seed.js';
import { type Database, openDatabase } from '../src/store/client.js';
import { COPY_ORDER, checksumTables, copyDatabase } from '../src/store/copy.js';
import { readDataVersion } from '../src/store/data-version.queries.js';
import { migrateDatabase } from '../src/store/migrate.js';
import * as schema from '../src/store/schema.js';
import { scratchPath } from './helpers.js';
import { createTestDatabase, onPostgres } from './postgres.harness.js';

async function seededSqlite(): Promise<Database> {
  const db = openDatabase(scratchPath('copy-source'), { temporary: true, synchronous: 'OFF' });
  await migrateDatabase(db);
  for (const file of readSeedFiles()) await applySeed(db, file.seed);
  await createApiKey(db, { name: 'curator', scope: 'write', secret: await resolveKeySecret(db) });
  return db;
}

function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      env: {},
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
    },
  };
}

describe('db:copy', () => {
  it('copies every table of the schema', () => {
    const tables = Object.entries(schema)
      .filter(([, v]) => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v)
      .map(([name]) => name)
      .sort();
    expect([...COPY_ORDER].sort()).toEqual(tables);
  });

  it('copies a SQLite file into a new one with equal rows and checksums, the same identity and data version', async () => {
    const source = await seededSqlite();
    const target = openDatabase(scratchPath('copy-target'), { temporary: true, synchronous: 'OFF' });
    const summary = await copyDatabase(source, target);
    const claims = summary.tables.find((t) => t.table === 'claims');
    expect(claims?.rows).toBe(12);
    expect(summary.tables.find((t) => t.table === 'revisions')?.rows).toBe(36);
    expect(await checksumTables(target)).toEqual(summary.tables);
    expect(await readDataVersion(target)).toBe(await readDataVersion(source));
    // The search index is rebuilt by the target's own triggers.
    expect(await target.get("SELECT count(*) AS n FROM search_index WHERE search_index MATCH 'melanoma'")).toEqual(
      await source.get("SELECT count(*) AS n FROM search_index WHERE search_index MATCH 'melanoma'"),
    );
    await Promise.all([source.close(), target.close()]);
  });

  it('copies one snapshot of a source that commits meanwhile, without making its writer wait', async () => {
    const source = await seededSqlite();
    const target = openDatabase(scratchPath('copy-live-target'), { temporary: true, synchronous: 'OFF' });
    const before = await readDataVersion(source);
    const summary = await copyDatabase(source, target, {
      // Committed after the snapshot, before any row is read: on the source, never in the copy.
      afterSnapshot: async () => {
        await commit(source, { actor: 'test' }, (changes) =>
          changes.setClaimStatus('gut-dysbiosis-acne-association', 'withdrawn', 'update'),
        );
      },
    });
    expect(await readDataVersion(target)).toBe(before);
    expect(await readDataVersion(source)).not.toBe(before);
    expect(await target.get("SELECT status FROM claims WHERE id = 'gut-dysbiosis-acne-association'")).toEqual({
      status: 'published',
    });
    expect(summary.tables.find((t) => t.table === 'revisions')?.rows).toBe(36);
    expect(await checksumTables(target)).toEqual(summary.tables);
    await Promise.all([source.close(), target.close()]);
  });

  it('refuses a target that holds data, and says so on the command line (exit 1)', async () => {
    const source = await seededSqlite();
    const path = scratchPath('copy-occupied');
    const occupied = openDatabase(path, { synchronous: 'OFF' });
    await migrateDatabase(occupied);
    for (const file of readSeedFiles()) await applySeed(occupied, file.seed);
    await occupied.close();
    const { out, io: cli } = io();
    expect(await runCopyCli(['--from', source.path, '--to', path], cli)).toBe(1);
    expect(out.stderr).toBe(`db:copy failed: the target ${path} already holds data: copy into an empty database\n`);
    expect(await runCopyCli(['--from', source.path], cli)).toBe(2);
    await source.close();
  });

  it.skipIf(!onPostgres)(
    'round-trips SQLite → PostgreSQL → SQLite with equal checksums, and the PostgreSQL copy takes new rows',
    async () => {
      const source = await seededSqlite();
      const { url, drop } = await createTestDatabase(false);
      // The template is migrated and has an identity of its own: the copy replaces it with the source's.
      const pg = openDatabase(url, { poolSize: 2 });
      const back = openDatabase(scratchPath('copy-back'), { temporary: true, synchronous: 'OFF' });
      try {
        const there = await copyDatabase(source, pg);
        const home = await copyDatabase(pg, back);
        expect(home.tables).toEqual(there.tables);
        expect(await readDataVersion(pg)).toBe(await readDataVersion(source));
        // Identity sequences continue after the copied ids.
        const before = (await pg.get<{ id: number }>('SELECT max(id) AS id FROM api_keys'))?.id ?? 0;
        await createApiKey(pg, { name: 'after-copy', scope: 'write', secret: await resolveKeySecret(pg) });
        expect(await pg.get('SELECT max(id) AS id FROM api_keys')).toEqual({ id: before + 1 });
      } finally {
        await Promise.all([source.close(), pg.close(), back.close()]);
        await drop();
      }
    },
  );
});
