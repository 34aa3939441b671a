// The resources' and importers' query functions on PostgreSQL give what they give on SQLite: the seeded SQLite
// database is copied row for row into a new PostgreSQL database, and every list and detail read, and each writer,
// is run on both and compared. Skipped without TEST_DATABASE_URL (a role that may create databases).

import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeed, readSeedFiles } from '../src/curation/seed.js';
import {
  civicClaimsAbsentFrom,
  ensureCitedStudy,
  interventionById,
  slugById,
  slugTaken,
} from '../src/importers/civic/civic.queries.js';
import { parsePubmedFile } from '../src/importers/pubmed/pubmed.parse.js';
import { markDeletedByPubmed, mergePubmedStudy } from '../src/importers/pubmed/pubmed.queries.js';
import { claimStudies, studiesByPmids, topicStudies } from '../src/resources/citations/citations.queries.js';
import {
  type ClaimFilters,
  claimRecordOf,
  claimsRelatedTo,
  getClaim,
  getClaimsByIds,
  listClaims,
  purgeClaim,
  setClaimStatus,
  upsertClaim,
} from '../src/resources/claims/claims.queries.js';
import { refreshClaimDerived } from '../src/resources/claims/claims.rank.js';
import {
  recordClaimReview,
  retractedStudyKeys,
  syncClaimRetraction,
} from '../src/resources/claims/claims.retractions.js';
import {
  attachOntologyTerm,
  conditionInputOf,
  conditionSnapshotOf,
  deleteCondition,
  getCondition,
  listConditions,
  upsertCondition,
  wouldCycle,
} from '../src/resources/conditions/conditions.queries.js';
import { resolveCondition } from '../src/resources/conditions/conditions.resolve.js';
import { listChanges, listRevisions, recordRevision, snapshotAt } from '../src/resources/history/history.queries.js';
import {
  deleteIntervention,
  getIntervention,
  interventionInputOf,
  listInterventions,
  upsertIntervention,
} from '../src/resources/interventions/interventions.queries.js';
import { representationsOf } from '../src/resources/releases/releases.queries.js';
import { RELEASE_RESOURCES } from '../src/resources/releases/releases.schemas.js';
import { search } from '../src/resources/search/search.queries.js';
import {
  claimIdsCiting,
  claimsMissingRetractionFlag,
  getStudy,
  listStudies,
  studyInputOf,
  studySnapshotOf,
  unmarkedRetractedPmids,
  upsertStudy,
} from '../src/resources/studies/studies.queries.js';
import {
  deleteTopic,
  getTopic,
  listTopics,
  topicInputOf,
  topicSlugsWithClaim,
  upsertTopic,
} from '../src/resources/topics/topics.queries.js';
import { type Database, openDatabase, type Reader } from '../src/store/client.js';
import { queryWords, toMatchQuery } from '../src/store/fts.js';
import { migrateDatabase } from '../src/store/migrate.js';
import { scratchPath } from './helpers.js';

const URL_ = process.env.TEST_DATABASE_URL;

/** Every row of every SQLite table that PostgreSQL has too, parents before children (foreign keys). */
async function copyRows(from: Database, to: pg.Client): Promise<void> {
  const tables = (
    await from.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' AND name NOT LIKE 'search_index%'",
    )
  ).map((t) => t.name);
  const onPg = new Set(
    (
      await to.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      )
    ).rows.map((r) => r.table_name),
  );
  const parents = new Map<string, string[]>();
  for (const t of tables)
    parents.set(
      t,
      (await from.all<{ table: string }>(`SELECT "table" FROM pragma_foreign_key_list(?)`, [t]))
        .map((f) => f.table)
        .filter((p) => p !== t),
    );
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (t: string) => {
    if (done.has(t)) return;
    done.add(t);
    for (const p of parents.get(t) ?? []) visit(p);
    order.push(t);
  };
  for (const t of tables) visit(t);
  for (const table of order.filter((t) => onPg.has(t))) {
    const pgColumns = new Set(
      (
        await to.query<{ column_name: string }>(
          'SELECT column_name FROM information_schema.columns WHERE table_name = $1',
          [table],
        )
      ).rows.map((r) => r.column_name),
    );
    const rows = await from.all(`SELECT * FROM ${table}`);
    const conflict = table === 'meta' ? ' ON CONFLICT (key) DO UPDATE SET value = excluded.value' : '';
    for (const row of rows) {
      const columns = Object.keys(row).filter((c) => pgColumns.has(c));
      await to.query(
        `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})${conflict}`,
        columns.map((c) => row[c]),
      );
    }
  }
  // Ids were copied: the identity columns go on after the largest.
  const identities = await to.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'",
  );
  for (const { table_name, column_name } of identities.rows)
    await to.query(
      `SELECT setval(pg_get_serial_sequence('${table_name}', '${column_name}'), coalesce((SELECT max(${column_name}) FROM ${table_name}), 0) + 1, false)`,
    );
}

/** What a writer leaves that depends on the clock. */
const TIMES = new Set(['created_at', 'updated_at', 'at', 'imported_at', 'reviewed_at', 'requested_at']);
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !TIMES.has(k))
        .map(([k, v]) => [k, withoutTimes(v)]),
    );
  return value;
}

describe.skipIf(!URL_)('the query modules on PostgreSQL', () => {
  let lite: Database;
  let pgDb: Database;
  let admin: pg.Client;
  let dbName: string;
  const both = async <T>(read: (h: Reader) => Promise<T>) => {
    const [a, b] = [await read(lite), await read(pgDb)];
    return { sqlite: a, postgres: b };
  };
  const same = async <T>(read: (h: Reader) => Promise<T>) => {
    const { sqlite, postgres } = await both(read);
    expect(postgres).toEqual(sqlite);
    return sqlite;
  };

  beforeAll(async () => {
    // SQLite whatever the harness's engine: it is the reference the copy is compared with.
    lite = openDatabase(scratchPath('parity'), { temporary: true, synchronous: 'OFF' });
    await migrateDatabase(lite);
    for (const file of readSeedFiles()) await applySeed(lite, file.seed);
    const url = new URL(URL_ as string);
    dbName = `${url.pathname.slice(1) || 'evidence'}_res_${process.pid}_${Date.now() % 100000}`;
    admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    url.pathname = `/${dbName}`;
    pgDb = openDatabase(url.toString());
    await migrateDatabase(pgDb);
    const copier = new pg.Client({ connectionString: url.toString() });
    await copier.connect();
    try {
      await copyRows(lite, copier);
    } finally {
      await copier.end();
    }
  }, 120_000);

  afterAll(async () => {
    await lite?.close();
    await pgDb?.close();
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    }
  });

  const ids = async (h: Reader, table: string, key: string) =>
    (await h.all<{ k: string | number }>(`SELECT ${key} AS k FROM ${table} ORDER BY ${key}`)).map((r) => r.k);

  it('lists claims alike under every sort, filter and page', async () => {
    const condition = (
      await lite.get<{ id: number }>('SELECT condition_id AS id FROM claims WHERE condition_id IS NOT NULL LIMIT 1')
    )?.id;
    const intervention = (
      await lite.get<{ id: number }>('SELECT intervention_id AS id FROM claim_interventions LIMIT 1')
    )?.id;
    const pmid = (await lite.get<{ pmid: string }>('SELECT pmid FROM studies WHERE pmid IS NOT NULL LIMIT 1'))?.pmid;
    const biomarker = (
      await lite.get<{ b: string }>('SELECT biomarker AS b FROM claims WHERE biomarker IS NOT NULL LIMIT 1')
    )?.b;
    const outcome = await lite.get<{ s: string; c: string }>(
      'SELECT outcome_code_system AS s, outcome_code AS c FROM claim_picos WHERE outcome_code IS NOT NULL LIMIT 1',
    );
    const filters: Partial<ClaimFilters>[] = [
      {},
      { condition_tree: condition },
      { condition_id: condition },
      { intervention_id: intervention },
      { min_certainty: 2 },
      { grade_level: 'moderate' },
      { design: 'rct' },
      { min_sample_size: 100 },
      { direction: 'benefit' },
      { evidence_type: 'predictive' },
      { pmid },
      { biomarker: biomarker?.toUpperCase() },
      { source: 'curated' },
      { match: toMatchQuery('acne prob') },
      { match: toMatchQuery('of') },
      { has_retracted_evidence: 1 },
      { has_retracted_evidence: 0 },
      { age_group: 'adult' },
      { sex: 'female' },
      { setting: 'outpatient' },
      ...(outcome ? [{ outcome_code: `${outcome.s}:${outcome.c}` }] : []),
    ];
    let nonEmpty = 0;
    for (const f of filters)
      for (const sort of ['-certainty', '-updated', '-sample_size'] as const) {
        let cursor: string | undefined;
        do {
          const page = await same((h) => listClaims(h, { status: 'published', ...f }, sort, 3, cursor));
          if (page.items.length > 0) nonEmpty++;
          cursor = page.next_cursor ?? undefined;
        } while (cursor !== undefined);
      }
    expect(nonEmpty).toBeGreaterThan(30);
  });

  it('serves every claim, its record, its studies and its relations alike', async () => {
    const claimIds = (await ids(lite, 'claims', 'id')) as string[];
    expect(claimIds.length).toBeGreaterThan(5);
    for (const id of claimIds) {
      await same((h) => getClaim(h, id));
      await same((h) => claimRecordOf(h, id));
      await same((h) => claimStudies(h, id));
      await same((h) => claimsRelatedTo(h, id));
      await same((h) => topicSlugsWithClaim(h, id));
    }
    await same((h) => getClaimsByIds(h, [...claimIds].reverse()));
  });

  it('serves conditions, interventions and their lookups alike', async () => {
    for (const q of [undefined, 'ac', 'derm', 'ibs', 'zzz']) await same((h) => listConditions(h, q, 5, undefined));
    let cursor: string | undefined;
    do {
      const page = await same((h) => listConditions(h, undefined, 4, cursor));
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
    const conditions = await lite.all<{ id: number; slug: string; name: string }>(
      'SELECT id, slug, name FROM conditions',
    );
    for (const c of conditions) {
      await same((h) => getCondition(h, c.id));
      await same((h) => conditionInputOf(h, c.slug));
      await same((h) => conditionSnapshotOf(h, c.slug));
      await same((h) => resolveCondition(h, c.name.toUpperCase()));
      await same((h) => wouldCycle(h, c.slug, conditions[0]?.slug as string));
    }
    for (const text of ['AML', 'MM', 'nothing at all']) await same((h) => resolveCondition(h, text));
    for (const filters of [{}, { q: 'pro' }, { kind: 'probiotic' }])
      await same((h) => listInterventions(h, filters, 50, undefined));
    for (const i of await lite.all<{ id: number; slug: string }>('SELECT id, slug FROM interventions')) {
      await same((h) => getIntervention(h, i.id));
      await same((h) => interventionInputOf(h, i.slug));
      await same((h) => interventionById(h, i.id));
      await same((h) => slugById(h, 'interventions', i.id));
      await same((h) => slugTaken(h, 'interventions', i.slug));
    }
  });

  it('serves studies, topics and citations alike', async () => {
    for (const filters of [
      {},
      { design: 'rct' },
      { min_sample_size: 50 },
      { year_from: 2015, year_to: 2020 },
      { retracted: 1 },
    ]) {
      let cursor: string | undefined;
      do {
        const page = await same((h) => listStudies(h, filters, 4, cursor));
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
    }
    const keys = (await ids(lite, 'studies', 'key')) as string[];
    for (const key of keys) {
      await same((h) => getStudy(h, key));
      await same((h) => studyInputOf(h, key));
      await same((h) => studySnapshotOf(h, key));
      await same((h) => claimIdsCiting(h, key));
    }
    await same((h) => studiesByPmids(h, [...keys.slice(0, 5), '999999999']));
    await same(unmarkedRetractedPmids);
    await same(claimsMissingRetractionFlag);
    await same((h) => listTopics(h, {}, 50, undefined));
    for (const slug of (await ids(lite, 'topics', 'slug')) as string[]) {
      await same((h) => getTopic(h, slug));
      await same((h) => topicInputOf(h, slug));
      await same((h) => topicStudies(h, slug));
    }
    await same((h) => civicClaimsAbsentFrom(h, ['1', '2']));
  });

  it('serves the change feed, revisions and past snapshots alike', async () => {
    let since: string | undefined;
    let pages = 0;
    do {
      const page = await same((h) => listChanges(h, since, 7));
      since = page.has_more ? page.next_cursor : undefined;
      pages++;
    } while (since !== undefined);
    expect(pages).toBeGreaterThan(1);
    const claimId = (await ids(lite, 'claims', 'id'))[0] as string;
    await same((h) => listRevisions(h, 'claim', claimId, 10, undefined));
    await same((h) => snapshotAt(h, 'claim', claimId, '2999-01-01T00:00:00.000Z'));
    await same((h) => snapshotAt(h, 'claim', claimId, '2000-01-01T00:00:00.000Z'));
  });

  it('finds the same documents by full-text search (ranked by each engine its own way)', async () => {
    for (const text of ['acne', 'probiot', 'skin gut', 'atopic dermatitis', 'zzzzqq']) {
      const match = toMatchQuery(text) as string;
      const { sqlite, postgres } = await both((h) => search(h, match, queryWords(text), undefined, 100, undefined));
      const found = (r: typeof sqlite) => r.items.map((i) => `${i.type}:${i.id}`).sort();
      expect(found(postgres)).toEqual(found(sqlite));
      expect(postgres.capped).toBe(sqlite.capped);
      const first = postgres.items[0];
      if (first)
        expect(sqlite.items.find((i) => i.id === first.id && i.type === first.type)?.snippet).toBe(first.snippet);
    }
    const { sqlite, postgres } = await both((h) =>
      search(h, toMatchQuery('acne') as string, ['acne'], 'claim', 2, undefined),
    );
    expect(postgres.items.map((i) => i.type)).toEqual(sqlite.items.map(() => 'claim'));
  });

  it('computes the same rank keys and sample sizes', async () => {
    const claimIds = (await ids(lite, 'claims', 'id')) as string[];
    const stored = await pgDb.all('SELECT id, sample_size, rank_key FROM claims ORDER BY id');
    await pgDb.transaction(async (tx) => {
      await tx.run("UPDATE claims SET rank_key = '', sample_size = NULL");
      expect(await refreshClaimDerived(tx, claimIds)).toEqual([...claimIds].sort());
      expect(await refreshClaimDerived(tx, claimIds)).toEqual([]);
    });
    expect(await pgDb.all('SELECT id, sample_size, rank_key FROM claims ORDER BY id')).toEqual(stored);
  });

  it('writes claims, studies, topics and revisions alike', async () => {
    const id = (await ids(lite, 'claims', 'id'))[0] as string;
    const record = (await claimRecordOf(lite, id)) as NonNullable<Awaited<ReturnType<typeof claimRecordOf>>>;
    const { version: _v, ...input } = record;
    const changed = { ...input, statement: `${input.statement} (restated)`, related: { agrees: [], disagrees: [] } };
    const copy = { ...input, id: `${id}-copy`, related: { agrees: [id], disagrees: [] } };
    const xml = readFileSync(new URL('./fixtures/pubmed/rct-29768149.xml', import.meta.url), 'utf8');
    const [pubmed] = parsePubmedFile(xml).records;
    const topicSlug = (await ids(lite, 'topics', 'slug'))[0] as string;
    const topic = (await topicInputOf(lite, topicSlug)) as NonNullable<Awaited<ReturnType<typeof topicInputOf>>>;
    const { version: _tv, ...topicInput } = topic;
    const studyKey = (
      await lite.get<{ pmid: string }>('SELECT pmid FROM studies WHERE pmid IS NOT NULL ORDER BY id LIMIT 1')
    )?.pmid as string;
    const study = (await studyInputOf(lite, studyKey)) as NonNullable<Awaited<ReturnType<typeof studyInputOf>>>;
    const { version: _sv, ...studyInput } = study;

    const outcomes = await both((h) =>
      (h as Database).transaction(async (tx) => [
        await upsertClaim(tx, changed),
        await upsertClaim(tx, changed),
        await upsertClaim(tx, copy),
        await setClaimStatus(tx, copy.id, 'retracted'),
        await setClaimStatus(tx, copy.id, 'retracted'),
        await upsertStudy(tx, { ...studyInput, title: 'Another title', sample_size: 12345 }),
        await upsertStudy(tx, { ...studyInput, title: 'Another title', sample_size: 12345 }),
        pubmed ? await mergePubmedStudy(tx, pubmed, false) : 'none',
        pubmed ? await mergePubmedStudy(tx, pubmed, false) : 'none',
        pubmed ? await markDeletedByPubmed(tx, pubmed.pmid, '2026-01-02T03:04:05.000Z') : 'none',
        await upsertTopic(tx, { ...topicInput, question: `${topicInput.question} Really?` }),
        await upsertTopic(tx, { ...topicInput, slug: `${topicSlug}-copy`, claims: [copy.id], claim_importance: {} }),
        await deleteTopic(tx, `${topicSlug}-copy`),
        typeof (await recordRevision(tx, {
          entity: 'claim',
          key: copy.id,
          action: 'update',
          actor: 'test',
          reason: null,
          before: null,
          after: { a: 1 },
        })),
        await purgeClaim(tx, copy.id),
      ]),
    );
    expect(outcomes.postgres).toEqual(outcomes.sqlite);
    expect(outcomes.sqlite).toEqual([
      'updated',
      'unchanged',
      'inserted',
      true,
      false,
      'updated',
      'unchanged',
      'inserted',
      'unchanged',
      'marked',
      'updated',
      'inserted',
      true,
      'number',
      true,
    ]);
    const after = await both(async (h) => ({
      claim: await getClaim(h, id),
      study: await getStudy(h, studyKey),
      pubmed: pubmed ? await getStudy(h, pubmed.pmid) : null,
      topic: await getTopic(h, topicSlug),
      ranks: await h.all('SELECT id, sample_size, rank_key FROM claims ORDER BY id'),
    }));
    expect(withoutTimes(after.postgres)).toEqual(withoutTimes(after.sqlite));
  });
  it('writes the retraction state of a claim alike', async () => {
    const keys = (await ids(lite, 'studies', 'key')) as string[];
    await same((h) => retractedStudyKeys(h, keys));
    const link = await lite.get<{ claim_id: string; key: string }>(
      'SELECT cs.claim_id, s.key FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE s.retracted = 0 ORDER BY cs.claim_id LIMIT 1',
    );
    expect(link).toBeDefined();
    const { claim_id: claimId, key } = link as { claim_id: string; key: string };
    const outcomes = await both((h) =>
      (h as Database).transaction(async (tx) => {
        await tx.run('UPDATE studies SET retracted = TRUE WHERE key = ?', [key]);
        return [
          await syncClaimRetraction(tx, claimId, { requestReview: true }),
          await syncClaimRetraction(tx, claimId, { requestReview: true }),
          await recordClaimReview(tx, claimId, 'key:curator', 'Checked.'),
          await recordClaimReview(tx, claimId, 'key:curator', 'Checked.'),
        ];
      }),
    );
    expect(outcomes.sqlite).toEqual([true, false, true, false]);
    expect(outcomes.postgres).toEqual(outcomes.sqlite);
    const after = await both((h) => getClaim(h, claimId));
    expect(withoutTimes(after.postgres)).toEqual(withoutTimes(after.sqlite));
    expect(after.sqlite?.review.reviewed_by).toBe('key:curator');
  });

  it('reads the lines of every release file alike', async () => {
    for (const resource of RELEASE_RESOURCES) {
      const lines = await both(async (h) => {
        const all: unknown[] = [];
        for await (const batch of representationsOf(h, resource, 3)) all.push(...batch);
        return all;
      });
      expect(lines.sqlite.length).toBeGreaterThan(0);
      // Earlier tests wrote to both at slightly different moments.
      expect(withoutTimes(lines.postgres)).toEqual(withoutTimes(lines.sqlite));
    }
  });

  it('writes conditions, interventions, ontology terms and cited studies alike', async () => {
    const parent = (await ids(lite, 'conditions', 'slug'))[0] as string;
    const outcomes = await both((h) =>
      (h as Database).transaction(async (tx) => [
        await upsertCondition(tx, {
          slug: 'pg-parity-condition',
          name: 'PG parity condition',
          description: null,
          synonyms: ['Parity syndrome'],
          mesh_id: null,
          doid: null,
          parent,
          parents: [],
        }),
        await upsertCondition(tx, {
          slug: 'pg-parity-condition',
          name: 'PG parity condition',
          description: null,
          synonyms: ['Parity syndrome'],
          mesh_id: null,
          doid: null,
          parent,
          parents: [],
        }),
        await attachOntologyTerm(tx, 'pg-parity-condition', {
          term_id: 'DOID:0099999',
          synonyms: [{ text: 'Parity disorder', scope: 'EXACT' }],
          codes: [{ relation: 'xref', system: 'MESH', code: 'D000001' }],
          parents: [],
        }),
        await attachOntologyTerm(tx, 'pg-parity-condition', {
          term_id: 'DOID:0099999',
          synonyms: [{ text: 'Parity disorder', scope: 'EXACT' }],
          codes: [{ relation: 'xref', system: 'MESH', code: 'D000001' }],
          parents: [],
        }),
        await upsertIntervention(tx, {
          slug: 'pg-parity-intervention',
          name: 'PG parity intervention',
          kind: 'other',
          description: null,
          synonyms: ['Parity pill'],
        }),
        await ensureCitedStudy(tx, {
          key: 'asco:pg-parity',
          pmid: null,
          source_type: 'asco',
          source_id: 'pg-parity',
          abstract_number: '1',
          source_url: null,
          citation: 'Someone et al., 2020, ASCO',
          citation_source: 'CIViC',
        }),
        await ensureCitedStudy(tx, {
          key: 'asco:pg-parity',
          pmid: null,
          source_type: 'asco',
          source_id: 'pg-parity',
          abstract_number: '1',
          source_url: null,
          citation: 'Someone et al., 2020, ASCO',
          citation_source: 'CIViC',
        }),
      ]),
    );
    expect(outcomes.sqlite).toEqual([
      'inserted',
      'unchanged',
      'updated',
      'unchanged',
      'inserted',
      'inserted',
      'unchanged',
    ]);
    expect(outcomes.postgres).toEqual(outcomes.sqlite);
    const read = async (h: Reader) => {
      const condition = await h.get<{ id: number }>("SELECT id FROM conditions WHERE slug = 'pg-parity-condition'");
      const intervention = await h.get<{ id: number }>(
        "SELECT id FROM interventions WHERE slug = 'pg-parity-intervention'",
      );
      return {
        condition: await getCondition(h, condition?.id as number),
        snapshot: await conditionSnapshotOf(h, 'pg-parity-condition'),
        parent: await conditionInputOf(h, parent),
        byDoid: await resolveCondition(h, 'DOID:0099999'),
        bySynonym: await resolveCondition(h, 'parity DISORDER'),
        prefix: await listConditions(h, 'parity', 10, undefined),
        intervention: await getIntervention(h, intervention?.id as number),
        interventions: await listInterventions(h, { q: 'parity' }, 10, undefined),
        study: await getStudy(h, 'asco:pg-parity'),
        closure: await h.all(
          "SELECT ancestor_id, descendant_id FROM condition_descendants WHERE descendant_id = (SELECT id FROM conditions WHERE slug = 'pg-parity-condition') ORDER BY ancestor_id",
        ),
      };
    };
    const after = await both(read);
    expect(withoutTimes(after.postgres)).toEqual(withoutTimes(after.sqlite));
    // Itself, its parent and the parent's own ancestors.
    expect(after.sqlite.closure.length).toBeGreaterThanOrEqual(2);
    const deleted = await both((h) =>
      (h as Database).transaction(async (tx) => [
        await deleteCondition(tx, 'pg-parity-condition'),
        await deleteIntervention(tx, 'pg-parity-intervention'),
      ]),
    );
    expect(deleted.postgres).toEqual(deleted.sqlite);
    expect(deleted.sqlite).toEqual([
      { deleted: true, claims: 0, children: 0 },
      { deleted: true, claims: 0 },
    ]);
  });
});
