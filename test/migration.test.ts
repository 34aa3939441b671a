// Migrations 0006 to 0009 on databases written before them: one parent becomes a curated link with its closure,
// studies are keyed by PMID with CIViC's citation labelled and keep their record, notices and retraction, lookups get
// their ranks, claims their order key and their retracted-evidence review, (0008) a sample size counted from
// supporting studies only, with the order key that follows from it, and (0009) topics in the search index.
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

const MIGRATION = readFileSync(join(MIGRATIONS_FOLDER, '0007_condition_dag_study_keys.sql'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'migration-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A database migrated up to migration `last` (its journal index), as the code of that time left it. */
function databaseAt(path: string, last: number): BetterSqlite3.Database {
  const folder = join(tmp, `migrations-${last}`);
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8'));
  journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= last);
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  const sqlite = new BetterSqlite3(path);
  migrate(drizzle(sqlite), { migrationsFolder: folder });
  return sqlite;
}

const viewsAndTriggers = (sqlite: { prepare: BetterSqlite3.Database['prepare'] }) =>
  sqlite.prepare(`SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY type, name`).all();

/** The views and triggers migrations after 0007 add: 0008's PICO search triggers, 0009's topic search. */
const LATER_VIEWS_AND_TRIGGERS = [
  { type: 'trigger', name: 'claim_picos_search_ad' },
  { type: 'trigger', name: 'claim_picos_search_ai' },
  { type: 'trigger', name: 'claim_picos_search_au' },
  { type: 'trigger', name: 'topics_search_ad' },
  { type: 'trigger', name: 'topics_search_ai' },
  { type: 'trigger', name: 'topics_search_au' },
  { type: 'view', name: 'search_topic_docs' },
];

/** `list` (views and triggers, as viewsAndTriggers orders them) with `added`, in the same order. */
const withAdded = (list: unknown[], added: { type: string; name: string }[]) =>
  [...(list as { type: string; name: string }[]), ...added].sort((a, b) =>
    a.type === b.type ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.type < b.type ? -1 : 1,
  );

/** A database at migration 0005 with a few rows as the code of that time wrote them. */
function databaseBefore0006(path: string) {
  const sqlite = databaseAt(path, 5);
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
      (2, '29097493', 'Gut microbiome modulates response to anti-PD-1 immunotherapy', 2018, 1, 'cohort', 112),
      (3, '37513540', 'A survey of healthy adults', NULL, NULL, 'cross_sectional', 242);
    INSERT INTO claims (seq, id, statement, plain_summary, condition_id, direction, grade_scheme, grade_level, certainty,
        grade_rating, status, source, source_id, sample_size)
      VALUES (1, 'civic-eid-34', 'KIT L576P and imatinib.', NULL, 2, 'no_effect', 'civic', 'D', 1, 3, 'published', 'civic', '34', NULL),
             (2, 'melanoma-curated', 'A curated claim.', 'Plain words.', 2, 'association', 'GRADE', 'low', 2, NULL,
              'published', 'curated', NULL, 242);
    -- The code of that time stored the largest n of any linked study: the context survey's 242.
    INSERT INTO claim_studies (claim_id, study_id, relation, position) VALUES ('civic-eid-34', 1, 'supports', 0),
      ('melanoma-curated', 2, 'supports', 0), ('melanoma-curated', 3, 'context', 1);
    INSERT INTO topics (id, slug, question, bottom_line, evidence_summary) VALUES
      (1, 'microbiome-and-melanoma', 'Does the gut microbiome change melanoma immunotherapy?', 'Too early to say.', 'One cohort.');
    INSERT INTO topic_claims (topic_id, claim_id, position) VALUES (1, 'melanoma-curated', 0);
  `);
  sqlite.close();
}

/**
 * A database at migration 0006 (the study record and retractions) with rows as the code of that time wrote them: a
 * retracted study with its RetractionIn notice, the notice itself, a study PubMed deleted, a claim awaiting review.
 */
function databaseAt0006(path: string) {
  const sqlite = databaseAt(path, 6);
  sqlite.exec(`
    INSERT INTO meta (key, value) VALUES ('database_id', 'old'), ('data_version', '7');
    INSERT INTO conditions (id, slug, name, doid) VALUES (1, 'cancer', 'Cancer', 'DOID:162');
    INSERT INTO conditions (id, slug, name, doid, parent_id) VALUES (2, 'melanoma', 'Melanoma', 'DOID:1909', 1);
    INSERT INTO lookup_keys (entity, key, entity_id, exact) VALUES ('condition', 'cancer', 1, 1),
      ('condition', 'melanoma', 2, 1), ('condition', 'doid:1909', 2, 1);
    INSERT INTO studies (id, pmid, title, year, design, sample_size, publication_types, retracted, retraction_source,
        retraction_notice_pmid, retraction_notice_citation, publication_kind, publication_status, history)
      VALUES (1, '993', 'A retracted trial', 2001, 'rct', 40, '["Journal Article","Retracted Publication"]', 1,
        'retraction_in', '195582', 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8', 'journal_article', 'ppublish',
        '[{"status":"pubmed","date":"2001-01-02"}]');
    INSERT INTO studies (id, pmid, title, year, publication_types) VALUES
      (2, '195582', 'Retraction notice', 1977, '["Retraction of Publication"]');
    INSERT INTO studies (id, pmid, title, deleted_by_pubmed, deleted_by_pubmed_at) VALUES
      (3, '29097493', 'Withdrawn by PubMed', 1, '2026-11-01T00:00:00.000Z');
    INSERT INTO study_notices (study_id, position, type, pmid, ref_source, note) VALUES
      (1, 0, 'RetractionIn', '195582', 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8', NULL);
    INSERT INTO claims (seq, id, statement, condition_id, direction, grade_scheme, grade_level, certainty, status,
        source, sample_size, caveat_codes, has_retracted_evidence, review_reason, review_requested_at)
      VALUES (1, 'melanoma-retracted', 'A claim on a retracted trial.', 2, 'benefit', 'GRADE', 'low', 2, 'published',
        'curated', 40, '["retracted_evidence"]', 1, 'retracted_evidence', '2026-11-01T00:00:00.000Z');
    INSERT INTO claim_studies (claim_id, study_id, relation, position) VALUES ('melanoma-retracted', 1, 'supports', 0);
  `);
  const before = viewsAndTriggers(sqlite);
  sqlite.close();
  return before;
}

describe('migrations 0006 to 0009 on a database with data', () => {
  it('repeats CLAIM_RANK_KEY_SQL literally, so migrated rank keys are the ones the writers compute', () => {
    expect(MIGRATION).toContain(`UPDATE \`claims\` SET \`rank_key\` = ${CLAIM_RANK_KEY_SQL};`);
  });

  it('keeps the hierarchy, the studies, the lookups and the claims of a database before 0006, and serves them', async () => {
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
    // 0008: n from the supporting cohort only (the context survey's 242 no longer counts), and the rank key with it.
    expect(sqlite.prepare('SELECT id, sample_size FROM claims ORDER BY id').all()).toEqual([
      { id: 'civic-eid-34', sample_size: null },
      { id: 'melanoma-curated', sample_size: 112 },
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
    expect(curated).toMatchObject({
      sample_size: 112,
      pico: null,
      grade: { domains: null, override_reason: null },
      evidence_summary: { study_count: 1, total_participants: 112, context_study_count: 1 },
    });
    const study = (await getJson(app, '/v1/studies/19671763')).body;
    expect(study).toMatchObject({
      key: '19671763',
      pmid: '19671763',
      source_type: 'pubmed',
      source_citation: { text: 'Woodman et al., 2009, Mol. Cancer Ther.', source: 'CIViC' },
    });
    const search = (await getJson(app, '/v1/search?q=Woodman')).body.items;
    expect(search.map((i: any) => [i.type, i.id ?? i.key ?? i.ref])).toEqual([['study', '19671763']]);
    // 0009 indexed the topic written before it; the topic lists and certainty (0008) read it through the closure (0007).
    const topicHits = (await getJson(app, '/v1/search?q=immunotherapy&type=topic')).body.items;
    expect(topicHits.map((i: any) => [i.type, i.id])).toEqual([['topic', 'microbiome-and-melanoma']]);
    const topics = (await getJson(app, '/v1/topics?condition=skin%20cancer')).body.items;
    expect(topics.map((t: any) => [t.slug, t.overall_certainty.level])).toEqual([['microbiome-and-melanoma', 'low']]);
    expect((await getJson(app, '/v1/conditions/skin-cancer')).body.topics).toEqual([
      {
        slug: 'microbiome-and-melanoma',
        question: 'Does the gut microbiome change melanoma immunotherapy?',
        overall_certainty: 'low',
      },
    ]);
    await app.close();
  });
  it('keeps the study record, its notices and retraction and the claim awaiting review of a database at 0006', async () => {
    const path = join(tmp, 'at-0006.db');
    const before = databaseAt0006(path);
    const db = openDatabase(path, { temporary: true });
    await migrateDatabase(db);
    const app = await buildApp({ db });
    await app.ready();
    const sqlite = db.sqlite;
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    // The rebuilt studies table keeps its ids, so the notices still point at their study (and cascade with it).
    expect(
      (sqlite.pragma('foreign_key_list(study_notices)') as { table: string; from: string; on_delete: string }[]).map(
        (f) => [f.table, f.from, f.on_delete],
      ),
    ).toEqual([['studies', 'study_id', 'CASCADE']]);
    // Every view and trigger 0006 left is there again, reading the rebuilt tables, with those later migrations add.
    expect(viewsAndTriggers(sqlite)).toEqual(withAdded(before, LATER_VIEWS_AND_TRIGGERS));
    expect(sqlite.prepare('SELECT id, key, pmid, source_type FROM studies ORDER BY id').all()).toEqual([
      { id: 1, key: '993', pmid: '993', source_type: 'pubmed' },
      { id: 2, key: '195582', pmid: '195582', source_type: 'pubmed' },
      { id: 3, key: '29097493', pmid: '29097493', source_type: 'pubmed' },
    ]);

    const retracted = (await getJson(app, '/v1/studies/993')).body;
    expect(retracted).toMatchObject({
      key: '993',
      retracted: true,
      retraction: {
        source: 'retraction_in',
        notice_pmid: '195582',
        notice_citation: 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8',
      },
      publication_kind: 'journal_article',
      publication_status: 'ppublish',
      history: [{ status: 'pubmed', date: '2001-01-02' }],
      notices: [
        {
          type: 'RetractionIn',
          pmid: '195582',
          ref_source: 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8',
          note: null,
          in_database: true,
        },
      ],
    });
    expect((await getJson(app, '/v1/studies/195582')).body.linked_from).toEqual([
      { pmid: '993', type: 'RetractionIn' },
    ]);
    expect((await getJson(app, '/v1/studies/29097493')).body).toMatchObject({
      deleted_by_pubmed: true,
      deleted_by_pubmed_at: '2026-11-01T00:00:00.000Z',
    });
    const listed = (await getJson(app, '/v1/studies?retracted=true')).body.items;
    expect(listed.map((s: any) => s.key)).toEqual(['993']);

    const claims = (await getJson(app, '/v1/claims?condition=cancer&has_retracted_evidence=true')).body.items;
    expect(claims.map((c: any) => c.id)).toEqual(['melanoma-retracted']);
    expect(claims[0]).toMatchObject({
      caveats: { codes: ['retracted_evidence'] },
      retracted_evidence: [{ pmid: '993', retraction: { source: 'retraction_in', notice_pmid: '195582' } }],
      review: { needed: true, reason: 'retracted_evidence', requested_at: '2026-11-01T00:00:00.000Z' },
      studies: [{ key: '993', pmid: '993', source_type: 'pubmed', retracted: true }],
    });
    const rank = sqlite.prepare(`SELECT rank_key, ${CLAIM_RANK_KEY_SQL} AS computed FROM claims`).get() as {
      rank_key: string;
      computed: string;
    };
    expect(rank).toEqual({ rank_key: '5|02|0999999999960|79989999|melanoma-retracted', computed: rank.rank_key });
    await app.close();
  });
});

describe('migrations/sqlite (the folder was migrations/ before PostgreSQL came)', () => {
  it('finds nothing to apply on a database migrated from the old folder, and keeps its rows and identity', async () => {
    // The old layout: the same files directly under migrations/. drizzle's migrator records each migration's hash and
    // time, never its path, so the move changes nothing for a database that exists.
    const old = join(tmp, 'old-layout', 'migrations');
    cpSync(MIGRATIONS_FOLDER, old, { recursive: true });
    const path = join(tmp, 'moved.db');
    const sqlite = new BetterSqlite3(path);
    migrate(drizzle(sqlite), { migrationsFolder: old });
    sqlite.exec(`INSERT INTO meta (key, value) VALUES ('database_id', 'before-the-move'), ('data_version', '7');
      INSERT INTO interventions (slug, name, kind) VALUES ('zinc', 'Zinc', 'supplement');
      INSERT INTO lookup_keys (entity, key, entity_id, exact) VALUES ('intervention', 'zinc', 1, 3);`);
    const applied = sqlite.prepare('SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY id').all();
    sqlite.close();
    expect(applied).toHaveLength(JSON.parse(readFileSync(join(old, 'meta/_journal.json'), 'utf8')).entries.length);

    const db = openDatabase(path, { temporary: true });
    await migrateDatabase(db);
    expect(db.sqlite.prepare('SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY id').all()).toEqual(
      applied,
    );
    const app = await buildApp({ db });
    await app.ready();
    const res = await getJson(app, '/v1/interventions/zinc');
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Zinc');
    expect(res.headers.etag).toMatch(/\.before-the-move\.7\./);
    await app.close();
  });
});

describe('the migration that names API keys by id in the history (issue 10)', () => {
  it('rewrites key:<name> actors and reviewers to the id of the key of that name, and leaves other actors alone', () => {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'));
    const index = journal.entries.find((e: { tag: string }) => e.tag.endsWith('_actor_key_ids')).idx as number;
    const sqlite = databaseAt(join(tmp, 'actor-names.db'), index - 1);
    // Two keys named alice (the second made after the first was revoked): each change goes to the one that existed.
    sqlite.exec(`
      INSERT INTO api_keys (id, name, scope, prefix, key_hash, created_at) VALUES
        (4, 'alice', 'write', 'ek_a', 'h1', '2026-01-01T00:00:00.000Z'),
        (5, 'root', 'admin', 'ek_b', 'h2', '2026-01-01T00:00:00.000Z'),
        (9, 'alice', 'write', 'ek_c', 'h3', '2026-06-01T00:00:00.000Z');
      INSERT INTO revisions (id, entity, entity_key, action, actor, changes, snapshot, created_at) VALUES
        (1, 'claim', 'c', 'create', 'key:alice', '{}', '{"status":"published","review":{"reviewed_by":null}}', '2026-02-01T00:00:00.000Z'),
        (2, 'claim', 'c', 'review', 'key:alice', '{"review":{"before":{"reviewed_by":"key:root"},"after":{"reviewed_by":"key:alice"}}}', '{"status":"published","review":{"reviewed_by":"key:alice"}}', '2026-07-01T00:00:00.000Z'),
        (3, 'topic', 't', 'purge', 'key:root', '{}', NULL, '2026-07-01T00:00:00.000Z'),
        (4, 'claim', 'd', 'create', 'seed', '{}', '{}', '2026-07-01T00:00:00.000Z'),
        (5, 'claim', 'e', 'create', 'key:gone', '{}', '{}', '2026-07-01T00:00:00.000Z');
    `);
    sqlite.close();
    const migrated = databaseAt(join(tmp, 'actor-names.db'), index);
    expect(migrated.prepare('SELECT id, actor, changes, snapshot FROM revisions ORDER BY id').all()).toEqual([
      { id: 1, actor: 'key:4', changes: '{}', snapshot: '{"status":"published","review":{"reviewed_by":null}}' },
      {
        id: 2,
        actor: 'key:9',
        changes: '{"review":{"before":{"reviewed_by":"key:5"},"after":{"reviewed_by":"key:9"}}}',
        snapshot: '{"status":"published","review":{"reviewed_by":"key:9"}}',
      },
      { id: 3, actor: 'key:5', changes: '{}', snapshot: null },
      { id: 4, actor: 'seed', changes: '{}', snapshot: '{}' },
      { id: 5, actor: 'key:gone', changes: '{}', snapshot: '{}' },
    ]);
    migrated.close();
  });
});
