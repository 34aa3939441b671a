// Vitest global setup for TEST_DATABASE_URL runs: makes the migrated and the seeded template databases once before
// the files run, and drops every database the run made when it ends. Without TEST_DATABASE_URL it does nothing.
import type { TestProject } from 'vitest/node';
import { applySeed, readSeedFiles } from '../src/curation/seed.js';
import { openDatabase } from '../src/store/client.js';
import { migrateDatabase } from '../src/store/migrate.js';
import { admin, databaseName, TEST_DATABASE_URL, templateName, withDatabase } from './postgres.harness.js';

async function dropRunDatabases(base: string, prefix: string): Promise<void> {
  // `_` is a LIKE wildcard: escape it so that only this run's prefix matches.
  const like = `${prefix.replaceAll('_', '\\_')}\\_t\\_%`;
  const rows = await admin<{ datname: string }>(base, 'SELECT datname FROM pg_database WHERE datname LIKE $1', [like]);
  for (const { datname } of rows) await admin(base, `DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  for (const seeded of [true, false])
    await admin(base, `DROP DATABASE IF EXISTS "${templateName(prefix, seeded)}" WITH (FORCE)`);
}

export default async function setup(project: TestProject) {
  project.provide('postgresTemplateFailure', '');
  if (TEST_DATABASE_URL === undefined) return;
  const base = TEST_DATABASE_URL;
  const prefix = databaseName(base);
  // Leftovers of a run that was killed before its teardown.
  await dropRunDatabases(base, prefix);

  for (const seeded of [false, true]) {
    const name = templateName(prefix, seeded);
    await admin(base, `CREATE DATABASE "${name}"`);
    const db = openDatabase(withDatabase(base, name), { poolSize: 2 });
    try {
      await migrateDatabase(db);
      if (seeded) for (const file of readSeedFiles()) await applySeed(db, file.seed);
    } catch (error) {
      if (!seeded) throw error;
      // The migrated template is enough for the tests that seed nothing; the others fail naming this.
      project.provide('postgresTemplateFailure', (error as Error).message);
    } finally {
      await db.close();
    }
  }

  return async () => {
    await dropRunDatabases(base, prefix);
  };
}
