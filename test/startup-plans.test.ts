// What every start runs before it serves (curation/prepare.ts) must not grow with the data: its plans, checked here.
// SQLite's plans and migrator (skipped with TEST_DATABASE_URL).
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { claimsMissingRetractionFlag, unmarkedRetractedPmids } from '../src/resources/studies/studies.queries.js';
import type { Database } from '../src/store/client.js';
import { migrateDatabase } from '../src/store/migrate.js';
import { freshDatabase, onPostgres } from './helpers.js';

/** Runs `work`, which must prepare exactly one statement on a fresh connection, and gives its SQLite query plan. */
async function onlyStatementOf<T>(db: Database, work: () => Promise<T>): Promise<{ result: T; plan: string[] }> {
  const seen: string[] = [];
  const prepare = db.sqlite.prepare.bind(db.sqlite);
  db.sqlite.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as typeof db.sqlite.prepare;
  let result: T;
  try {
    result = await work();
  } finally {
    db.sqlite.prepare = prepare;
  }
  expect(seen).toHaveLength(1);
  const rows = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${seen[0]}`).all() as { detail: string }[];
  return { result, plan: rows.map((row) => row.detail) };
}

describe.skipIf(onPostgres)('the start-up retraction catch-up', () => {
  it('finds unflagged claims from the retracted studies outward, never by walking every claim', async () => {
    const db = await freshDatabase();
    try {
      const { result, plan } = await onlyStatementOf(db, () => claimsMissingRetractionFlag(db));
      expect(result).toEqual([]);
      expect(plan.slice(0, 3)).toEqual([
        'SEARCH s USING COVERING INDEX studies_retracted_idx (retracted=?)',
        'SEARCH cs USING COVERING INDEX claim_studies_study_idx (study_id=?)',
        'SEARCH c USING INDEX claims_id_uq (id=?)',
      ]);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(onPostgres)('the start-up catch-up of studies stored as retracted but not marked', () => {
  it("reads only the partial index of such studies, never every study's publication types", async () => {
    const db = await freshDatabase();
    try {
      const { result, plan } = await onlyStatementOf(db, () => unmarkedRetractedPmids(db));
      expect(result).toEqual([]);
      expect(plan).toEqual([
        'SEARCH studies USING INDEX studies_unmarked_retraction_idx (pmid>?)',
        'USE TEMP B-TREE FOR ORDER BY',
      ]);
    } finally {
      await db.close();
    }
  });

  it('still finds a study an earlier version stored as "Retracted Publication" without marking it', async () => {
    const db = await freshDatabase();
    try {
      const pmid = db.sqlite
        .prepare('SELECT pmid FROM studies WHERE pmid IS NOT NULL ORDER BY id LIMIT 1')
        .pluck()
        .get() as string;
      db.sqlite
        .prepare(
          `UPDATE studies SET retracted = FALSE, publication_types = '["Journal Article","Retracted Publication"]' WHERE pmid = ?`,
        )
        .run(pmid);
      expect(await unmarkedRetractedPmids(db)).toEqual([pmid]);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(onPostgres)('migrations at start', () => {
  it('re-read no foreign key when nothing was migrated (the check reads every referencing row of the file)', async () => {
    const db = await freshDatabase({ seed: false });
    try {
      // A dangling row only a full foreign-key check would find: a start with nothing to migrate must not read for it.
      const raw = new BetterSqlite3(db.path);
      raw.pragma('foreign_keys = OFF');
      raw
        .prepare("INSERT INTO claim_interventions (claim_id, intervention_id, position) VALUES ('no-claim', 999, 0)")
        .run();
      expect(raw.pragma('foreign_key_check')).toHaveLength(2);
      raw.close();
      await expect(migrateDatabase(db)).resolves.toBeUndefined();
    } finally {
      await db.close();
    }
  });
});
