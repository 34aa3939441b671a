// Migration 0006 on a database written before it: one parent becomes a curated link with its closure, studies are
// keyed by PMID with CIViC's citation labelled, lookups get their ranks, claims their order key.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { CLAIM_RANK_KEY_SQL } from '../src/resources/claims/claims.rank.js';
import { openDatabase } from '../src/store/client.js';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../src/store/migrate.js';
import { getJson } from './helpers.js';

const MIGRATION = readFileSync(join(MIGRATIONS_FOLDER, '0006_condition_dag_study_keys.sql'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'migration-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A database at migration 0005 with a few rows as the code of that time wrote them. */
function databaseBefore0006(path: string) {
  const folder = join(tmp, 'migrations-0005');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8'));
  journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= 5);
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  const sqlite = new BetterSqlite3(path);
  migrate(drizzle(sqlite), { migrationsFolder: folder });
  sqlite.exec(`
    INSERT INTO meta (key, value) VALUES ('database_id', 'old'), ('data_version', '3');
    INSERT INTO conditions (id, slug, name, doid, mesh_id) VALUES (1, 'skin-cancer', 'Skin cancer', 'DOID:4159', NULL);
    INSERT INTO conditions (id, slug, name, doid, mesh_id, parent_id)
      VALUES (2, 'melanoma', 'Melanoma', 'DOID:1909', 'D008545', 1);
    INSERT INTO condition_synonyms (condition_id, synonym, position) VALUES (2, 'malignant melanoma', 0);
    INSERT INTO lookup_keys (entity, key, entity_id, exact) VALUES
      ('condition', 'skin cancer', 1, 1), ('condition', 'doid:4159', 1, 1), ('condition', 'cancer', 1, 0),
      ('condition', 'melanoma', 2, 1), ('condition', 'doid:1909', 2, 1), ('condition', 'd008545', 2, 1),
      ('condition', 'mesh:d008545', 2, 1), ('condition', 'malignant melanoma', 2, 1);
    INSERT INTO studies (id, pmid, citation_text) VALUES (1, '19671763', 'Woodman et al., 2009, Mol. Cancer Ther.');
    INSERT INTO studies (id, pmid, title, year, month, design, sample_size) VALUES
      (2, '29097493', 'Gut microbiome modulates response to anti-PD-1 immunotherapy', 2018, 1, 'cohort', 112);
    INSERT INTO claims (seq, id, statement, plain_summary, condition_id, direction, grade_scheme, grade_level, certainty,
        grade_rating, status, source, source_id, sample_size)
      VALUES (1, 'civic-eid-34', 'KIT L576P and imatinib.', NULL, 2, 'no_effect', 'civic', 'D', 1, 3, 'published', 'civic', '34', NULL),
             (2, 'melanoma-curated', 'A curated claim.', 'Plain words.', 2, 'association', 'GRADE', 'low', 2, NULL,
              'published', 'curated', NULL, 112);
    INSERT INTO claim_studies (claim_id, study_id, relation, position) VALUES ('civic-eid-34', 1, 'supports', 0),
      ('melanoma-curated', 2, 'supports', 0);
  `);
  sqlite.close();
}

describe('migration 0006 on a database with data', () => {
  it('repeats CLAIM_RANK_KEY_SQL literally, so migrated rank keys are the ones the writers compute', () => {
    expect(MIGRATION).toContain(`UPDATE \`claims\` SET \`rank_key\` = ${CLAIM_RANK_KEY_SQL};`);
  });

  it('keeps the hierarchy, the studies, the lookups and the claims, and serves them', async () => {
    const path = join(tmp, 'old.db');
    databaseBefore0006(path);
    const db = openDatabase(path, { temporary: true });
    await migrateDatabase(db);
    const app = await buildApp({ db });
    await app.ready();
    const sqlite = db.sqlite;
    expect(sqlite.prepare('SELECT condition_id, parent_id, source FROM condition_parents').all()).toEqual([
      { condition_id: 2, parent_id: 1, source: 'curated' },
    ]);
    expect(sqlite.prepare('SELECT ancestor_id, descendant_id FROM condition_descendants ORDER BY 1, 2').all()).toEqual([
      { ancestor_id: 1, descendant_id: 1 },
      { ancestor_id: 1, descendant_id: 2 },
      { ancestor_id: 2, descendant_id: 2 },
    ]);
    expect(sqlite.prepare('SELECT key, exact FROM lookup_keys WHERE entity_id = 2 ORDER BY key').all()).toEqual([
      { key: 'd008545', exact: 3 },
      { key: 'doid:1909', exact: 3 },
      { key: 'malignant melanoma', exact: 2 },
      { key: 'melanoma', exact: 3 },
      { key: 'mesh:d008545', exact: 3 },
    ]);
    const rank = sqlite.prepare(`SELECT id, rank_key, ${CLAIM_RANK_KEY_SQL} AS computed FROM claims ORDER BY id`).all();
    expect(rank).toEqual([
      { id: 'civic-eid-34', rank_key: '2|14|1000000000001|99999999|civic-eid-34', computed: expect.any(String) },
      {
        id: 'melanoma-curated',
        rank_key: '5|04|0999999999888|79819899|melanoma-curated',
        computed: expect.any(String),
      },
    ]);
    for (const r of rank as { rank_key: string; computed: string }[]) expect(r.rank_key).toBe(r.computed);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);

    const melanoma = (await getJson(app, '/v1/conditions/melanoma')).body;
    expect(melanoma.parents).toEqual([{ slug: 'skin-cancer', name: 'Skin cancer', sources: ['curated'] }]);
    const underSkinCancer = (await getJson(app, '/v1/claims?condition=skin%20cancer')).body.items;
    expect(underSkinCancer.map((c: any) => c.id)).toEqual(['melanoma-curated', 'civic-eid-34']);
    const curated = underSkinCancer[0];
    expect(curated.plain_summary_source).toBe('curated');
    const study = (await getJson(app, '/v1/studies/19671763')).body;
    expect(study).toMatchObject({
      key: '19671763',
      pmid: '19671763',
      source_type: 'pubmed',
      source_citation: { text: 'Woodman et al., 2009, Mol. Cancer Ther.', source: 'CIViC' },
    });
    const search = (await getJson(app, '/v1/search?q=Woodman')).body.items;
    expect(search.map((i: any) => [i.type, i.id ?? i.key ?? i.ref])).toEqual([['study', '19671763']]);
    await app.close();
  });
});
