// SQL for claims: the composable filtered list with keyset pagination, and hydration of claims with their studies.

import type { GradeScheme } from '../../evidence/grades.js';
import { certaintyOf } from '../../evidence/grades.js';
import { type MetadataStatus, metadataStatus, summariseEvidence } from '../../evidence/summary.js';
import type {
  CaveatCode,
  ClaimStatus,
  Direction,
  InterventionKind,
  Species,
  StudyDesign,
  StudyRelation,
} from '../../evidence/vocabulary.js';
import { decodeCursor, paginate } from '../../http/pagination.js';
import type { Reader, Sqlite, Transaction } from '../../store/client.js';
import { type FilterSql, whereClauses } from '../../store/filters.js';
import { touch } from '../../store/lookup.queries.js';
import { prepared } from '../../store/statements.js';
import type { WriteOutcome } from '../conditions/conditions.queries.js';
import type { ClaimInput, ClaimSort } from './claims.schemas.js';

export interface ClaimFilters {
  /** A condition and its descendants. */
  condition_tree?: number;
  /** Exactly this condition (include_descendants=false). */
  condition_id?: number;
  intervention_id?: number;
  min_certainty?: number;
  grade_level?: string;
  grade_scheme?: string;
  design?: string;
  min_sample_size?: number;
  direction?: string;
  pmid?: string;
  biomarker?: string;
  source?: string;
  /** An FTS5 MATCH expression built by toMatchQuery, never raw user text. */
  match?: string;
  status: string;
}

const CLAIM_FILTER_SQL: FilterSql<ClaimFilters> = {
  status: 'c.status = @status',
  condition_tree: `c.condition_id IN (WITH RECURSIVE d(id) AS (SELECT @condition_tree UNION SELECT k.id FROM conditions k JOIN d ON k.parent_id = d.id) SELECT id FROM d)`,
  condition_id: 'c.condition_id = @condition_id',
  intervention_id:
    'EXISTS (SELECT 1 FROM claim_interventions ci WHERE ci.claim_id = c.id AND ci.intervention_id = @intervention_id)',
  min_certainty: 'c.certainty >= @min_certainty',
  grade_level: 'c.grade_level = @grade_level',
  grade_scheme: 'c.grade_scheme = @grade_scheme',
  design:
    'EXISTS (SELECT 1 FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE cs.claim_id = c.id AND s.design = @design)',
  min_sample_size: 'c.sample_size >= @min_sample_size',
  direction: 'c.direction = @direction',
  pmid: 'EXISTS (SELECT 1 FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE cs.claim_id = c.id AND s.pmid = @pmid)',
  biomarker: 'c.biomarker = @biomarker COLLATE NOCASE',
  source: 'c.source = @source',
  match: 'c.seq IN (SELECT rowid >> 3 FROM search_index WHERE search_index MATCH @match AND rowid % 8 = 1)',
};

interface ClaimRow {
  id: string;
  statement: string;
  plain_summary: string | null;
  condition_slug: string | null;
  condition_name: string | null;
  outcome: string | null;
  direction: Direction;
  grade_scheme: GradeScheme;
  grade_level: string;
  certainty: number;
  grade_rationale: string | null;
  grade_upgrade_rationale: string | null;
  grade_rating: number | null;
  biomarker: string | null;
  source: string;
  source_id: string | null;
  source_url: string | null;
  source_release: string | null;
  imported_at: string | null;
  caveat_codes: string;
  caveat_notes: string | null;
  status: ClaimStatus;
  sample_size: number | null;
  created_at: string;
  updated_at: string;
}

interface ClaimStudyRow {
  claim_id: string;
  pmid: string;
  title: string | null;
  journal: string | null;
  year: number | null;
  design: StudyDesign | null;
  sample_size: number | null;
  sample_size_note: string | null;
  species: Species | null;
  retracted: number;
  author_total: number;
  authors_complete: number;
  relation: StudyRelation;
  finding: string | null;
  subgroup_sample_size: number | null;
}

interface ClaimInterventionRow {
  claim_id: string;
  slug: string;
  name: string;
  kind: InterventionKind;
}

export interface ClaimStudy {
  pmid: string;
  title: string | null;
  journal: string | null;
  year: number | null;
  design: StudyDesign | null;
  sample_size: number | null;
  sample_size_note: string | null;
  species: Species | null;
  retracted: boolean;
  metadata_status: MetadataStatus;
  relation: StudyRelation;
  finding: string | null;
  subgroup_sample_size: number | null;
}

const CLAIM_COLUMNS = `c.id, c.statement, c.plain_summary, co.slug AS condition_slug, co.name AS condition_name,
  c.outcome, c.direction, c.grade_scheme, c.grade_level, c.certainty, c.grade_rationale, c.grade_upgrade_rationale,
  c.grade_rating, c.biomarker,
  c.caveat_codes, c.caveat_notes, c.status, c.sample_size, c.source, c.source_id, c.source_url, c.source_release,
  c.imported_at, c.created_at, c.updated_at`;

/**
 * Selective filters drive the query: the claims are reached from the few rows the filter names (CROSS JOIN fixes
 * that order) and only those are sorted. Without this, SQLite walks the whole certainty index to fill a page of a
 * rare condition: 140 ms instead of 2 ms at 100,000 claims. The first filter present in this list drives.
 */
const DRIVERS: { filter: keyof ClaimFilters; with?: string; from: string; where?: string }[] = [
  {
    filter: 'match',
    from: `(SELECT rowid >> 3 AS seq FROM search_index WHERE search_index MATCH @match AND rowid % 8 = 1) hit
      CROSS JOIN claims c ON c.seq = hit.seq`,
  },
  {
    filter: 'pmid',
    from: 'studies s0 CROSS JOIN claim_studies cs0 ON cs0.study_id = s0.id CROSS JOIN claims c ON c.id = cs0.claim_id',
    where: 's0.pmid = @pmid',
  },
  {
    filter: 'biomarker',
    from: 'claims c INDEXED BY claims_biomarker_idx',
    where: 'c.biomarker = @biomarker COLLATE NOCASE',
  },
  {
    filter: 'intervention_id',
    from: 'claim_interventions ci0 CROSS JOIN claims c ON c.id = ci0.claim_id',
    where: 'ci0.intervention_id = @intervention_id',
  },
  {
    filter: 'condition_tree',
    with: 'WITH RECURSIVE tree(id) AS (SELECT @condition_tree UNION SELECT k.id FROM conditions k JOIN tree ON k.parent_id = tree.id)',
    // INDEXED BY: with a keyset range on another sort, SQLite would probe each condition through that sort's index.
    from: 'tree CROSS JOIN claims c INDEXED BY claims_condition_idx ON c.condition_id = tree.id',
  },
];

/** Sort expression and the keyset predicate after a cursor, per sort. Every order ends in the unique id. */
const SORTS: Record<ClaimSort, { order: string; after: string; key: (r: ClaimRow) => (string | number)[] }> = {
  '-certainty': {
    order: 'c.certainty DESC, c.id ASC',
    after: 'c.certainty <= @k0 AND (c.certainty < @k0 OR c.id > @k1)',
    key: (r) => [r.certainty, r.id],
  },
  '-updated': {
    order: 'c.updated_at DESC, c.id ASC',
    after: 'c.updated_at <= @k0 AND (c.updated_at < @k0 OR c.id > @k1)',
    key: (r) => [r.updated_at, r.id],
  },
  '-sample_size': {
    order: 'coalesce(c.sample_size, -1) DESC, c.id ASC',
    after: 'coalesce(c.sample_size, -1) <= @k0 AND (coalesce(c.sample_size, -1) < @k0 OR c.id > @k1)',
    key: (r) => [r.sample_size ?? -1, r.id],
  },
};

/** Descendants above which a condition tree is found by walking the sort index rather than by driving the query. */
const LARGE_TREE = 50;
/**
 * A text match with more claims than this does not drive either: joining and sorting every match of a common word
 * ("of": 66,000 claims at 100,000) cost 33-43 ms, while walking the sort index and testing membership (SQLite builds
 * the match list once, with a Bloom filter) costs 4-5 ms. Below it, driving wins (a rare word: 1 ms against 10 ms
 * for a walk that finds nothing). Counting up to this bound costs under 2 ms.
 */
const LARGE_MATCH = 1000;

export async function listClaims(
  h: Reader,
  filters: ClaimFilters,
  sort: ClaimSort,
  limit: number,
  cursor: string | undefined,
) {
  const sqlite = h.sqlite;
  // A big condition tree (a top-level condition: ~800 descendants and ~40k claims at 1M) does not drive: sorting
  // its whole subtree costs 50-1300 ms, while walking the sort index and testing membership in the tree finds a
  // page after about limit / (the tree's share of claims) rows.
  const bigTree =
    filters.condition_tree !== undefined &&
    (
      prepared(
        sqlite,
        'WITH RECURSIVE d(id) AS (SELECT ? UNION SELECT k.id FROM conditions k JOIN d ON k.parent_id = d.id) SELECT count(*) AS n FROM d',
      ).get(filters.condition_tree) as { n: number }
    ).n > LARGE_TREE;
  const broadMatch =
    filters.match !== undefined &&
    (
      prepared(
        sqlite,
        `SELECT count(*) AS n FROM (SELECT rowid FROM search_index WHERE search_index MATCH ? AND rowid % 8 = 1 LIMIT ${LARGE_MATCH + 1})`,
      ).get(filters.match) as { n: number }
    ).n > LARGE_MATCH;
  const driver = DRIVERS.find(
    (d) =>
      filters[d.filter] !== undefined &&
      !(bigTree && d.filter === 'condition_tree') &&
      !(broadMatch && d.filter === 'match'),
  );
  const { where, params } = whereClauses(filters, CLAIM_FILTER_SQL);
  if (driver) {
    // The driving filter is the join; its WHERE fragment would only repeat it.
    where.splice(where.indexOf(CLAIM_FILTER_SQL[driver.filter] as string), 1);
    where.push(...(driver.where ? [driver.where] : []));
  }
  params.limit = limit + 1;
  const spec = SORTS[sort];
  const scope = `claims:${sort}`;
  if (cursor !== undefined) {
    const [k0, k1] = decodeCursor(cursor, scope, 2);
    params.k0 = k0;
    params.k1 = k1;
    where.push(spec.after);
  }
  const sqlText = `${driver?.with ?? ''} SELECT ${CLAIM_COLUMNS} FROM ${driver?.from ?? 'claims c'}
    LEFT JOIN conditions co ON co.id = c.condition_id
    WHERE ${where.join(' AND ')} ORDER BY ${spec.order} LIMIT @limit`;
  const rows = prepared(sqlite, sqlText).all(params) as ClaimRow[];
  const pageRows = paginate(rows, limit, scope, spec.key);
  return { items: hydrateClaims(sqlite, pageRows.items), next_cursor: pageRows.next_cursor };
}

export async function getClaim(h: Reader, id: string) {
  const sqlite = h.sqlite;
  const row = prepared(
    sqlite,
    `SELECT ${CLAIM_COLUMNS} FROM claims c LEFT JOIN conditions co ON co.id = c.condition_id WHERE c.id = ?`,
  ).get(id) as ClaimRow | undefined;
  return row ? hydrateClaims(sqlite, [row])[0] : undefined;
}

/** Claims by id in the order given (missing ids skipped): two statements whatever the number of claims. */
export async function getClaimsByIds(h: Reader, ids: readonly string[]) {
  const sqlite = h.sqlite;
  const rows = prepared(
    sqlite,
    `SELECT ${CLAIM_COLUMNS} FROM claims c LEFT JOIN conditions co ON co.id = c.condition_id
     WHERE c.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as ClaimRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return hydrateClaims(
    sqlite,
    ids.flatMap((id) => byId.get(id) ?? []),
  );
}

export type Claim = ReturnType<typeof hydrateClaims>[number];

/** Attaches interventions and studies with one statement each, whatever the page size (no N+1). */
export function hydrateClaims(sqlite: Sqlite, rows: readonly ClaimRow[]) {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const studyRows = prepared(
    sqlite,
    `SELECT cs.claim_id, s.pmid, s.title, coalesce(s.journal_iso, s.journal) AS journal, s.year, s.design,
       s.sample_size, s.sample_size_note, s.species, s.retracted, json_array_length(s.authors) AS author_total,
       s.authors_complete, cs.relation, cs.finding, cs.subgroup_sample_size
     FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
     WHERE cs.claim_id IN (SELECT value FROM json_each(?))
     ORDER BY cs.claim_id, cs.position`,
  ).all(ids) as ClaimStudyRow[];
  const interventionRows = prepared(
    sqlite,
    `SELECT ci.claim_id, i.slug, i.name, i.kind
     FROM claim_interventions ci JOIN interventions i ON i.id = ci.intervention_id
     WHERE ci.claim_id IN (SELECT value FROM json_each(?))
     ORDER BY ci.claim_id, ci.position`,
  ).all(ids) as ClaimInterventionRow[];

  const studiesByClaim = groupBy(studyRows, (r) => r.claim_id);
  const interventionsByClaim = groupBy(interventionRows, (r) => r.claim_id);
  return rows.map((r) => {
    const studies: ClaimStudy[] = (studiesByClaim.get(r.id) ?? []).map((s) => ({
      pmid: s.pmid,
      title: s.title,
      journal: s.journal,
      year: s.year,
      design: s.design,
      sample_size: s.sample_size,
      sample_size_note: s.sample_size_note,
      species: s.species,
      retracted: s.retracted === 1,
      metadata_status: metadataStatus(s),
      relation: s.relation,
      finding: s.finding,
      subgroup_sample_size: s.subgroup_sample_size,
    }));
    return {
      id: r.id,
      statement: r.statement,
      plain_summary: r.plain_summary,
      condition: r.condition_slug === null ? null : { slug: r.condition_slug, name: r.condition_name as string },
      interventions: (interventionsByClaim.get(r.id) ?? []).map((i) => ({ slug: i.slug, name: i.name, kind: i.kind })),
      outcome: r.outcome,
      direction: r.direction,
      biomarker: r.biomarker,
      grade: {
        scheme: r.grade_scheme,
        level: r.grade_level,
        certainty: r.certainty,
        rationale: r.grade_rationale,
        upgrade_rationale: r.grade_upgrade_rationale,
        rating: r.grade_rating,
      },
      caveats: { codes: JSON.parse(r.caveat_codes) as CaveatCode[], notes: r.caveat_notes },
      status: r.status,
      sample_size: r.sample_size,
      studies,
      evidence_summary: summariseEvidence(studies),
      source: {
        name: r.source,
        id: r.source_id,
        url: r.source_url,
        release: r.source_release,
        imported_at: r.imported_at,
      },
      created_at: r.created_at,
      updated_at: r.updated_at,
    };
  });
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/**
 * Everything a claim row holds, curated or imported. Curated writes come from ClaimInput (see claimRecordFromInput);
 * importers add provenance, a biomarker and a scheme rating.
 */
export interface ClaimRecord {
  id: string;
  statement: string;
  plain_summary: string | null;
  condition: string | null;
  interventions: string[];
  outcome: string | null;
  direction: string;
  biomarker: string | null;
  grade: {
    scheme: GradeScheme;
    level: string;
    rationale: string | null;
    upgrade_rationale: string | null;
    rating: number | null;
  };
  caveats: { codes: string[]; notes: string | null };
  status: string;
  studies: { pmid: string; relation: string; finding: string | null; subgroup_sample_size: number | null }[];
  source: { name: string; id: string | null; url: string | null; release: string | null };
}

export function claimRecordFromInput(input: ClaimInput): ClaimRecord {
  return {
    ...input,
    biomarker: null,
    grade: { ...input.grade, rating: null },
    source: { name: 'curated', id: null, url: null, release: null },
  };
}

const idOf = (row: unknown) => (row as { id: number } | undefined)?.id;

/** Compared on upsert: a re-import or re-seed that changes none of these changes nothing at all. */
const CLAIM_COLUMNS_COMPARED = [
  'statement',
  'plain_summary',
  'condition_id',
  'outcome',
  'direction',
  'biomarker',
  'grade_scheme',
  'grade_level',
  'certainty',
  'grade_rationale',
  'grade_upgrade_rationale',
  'grade_rating',
  'caveat_codes',
  'caveat_notes',
  'status',
  'source',
  'source_id',
  'source_url',
] as const;

// The release and import time name when a claim last changed, so a newer release that repeats an item unchanged
// leaves it untouched.
const UPSERT_CLAIM_SQL = `INSERT INTO claims (id, ${CLAIM_COLUMNS_COMPARED.join(', ')}, source_release, imported_at)
  VALUES (@id, ${CLAIM_COLUMNS_COMPARED.map((c) => `@${c}`).join(', ')}, @source_release, @imported_at)
  ON CONFLICT (id) DO UPDATE SET ${CLAIM_COLUMNS_COMPARED.map((c) => `${c} = excluded.${c}`).join(', ')},
    source_release = excluded.source_release, imported_at = excluded.imported_at,
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  WHERE ${CLAIM_COLUMNS_COMPARED.map((c) => `${c} IS NOT excluded.${c}`).join(' OR ')}`;

/** Inserts or updates a claim with its interventions and study links; touches updated_at only on a real change. */
export async function upsertClaim(
  tx: Transaction,
  record: ClaimRecord,
  importedAt: string | null = null,
): Promise<WriteOutcome> {
  const sqlite = tx.sqlite;
  const conditionId =
    record.condition === null
      ? null
      : (idOf(prepared(sqlite, 'SELECT id FROM conditions WHERE slug = ?').get(record.condition)) ??
        fail(`claim ${record.id}: condition '${record.condition}' does not exist`));
  const interventionIds = record.interventions.map(
    (slug) =>
      idOf(prepared(sqlite, 'SELECT id FROM interventions WHERE slug = ?').get(slug)) ??
      fail(`claim ${record.id}: intervention '${slug}' does not exist`),
  );
  const studyIds = record.studies.map(
    (link) =>
      idOf(prepared(sqlite, 'SELECT id FROM studies WHERE pmid = ?').get(link.pmid)) ??
      fail(`claim ${record.id}: study PMID ${link.pmid} does not exist`),
  );
  const certainty =
    certaintyOf(record.grade.scheme, record.grade.level) ?? fail(`claim ${record.id}: unknown grade level`);
  const existed = prepared(sqlite, 'SELECT 1 FROM claims WHERE id = ?').get(record.id) !== undefined;
  const row = prepared(sqlite, UPSERT_CLAIM_SQL).run({
    id: record.id,
    statement: record.statement,
    plain_summary: record.plain_summary,
    condition_id: conditionId,
    outcome: record.outcome,
    direction: record.direction,
    biomarker: record.biomarker,
    grade_scheme: record.grade.scheme,
    grade_level: record.grade.level,
    certainty,
    grade_rationale: record.grade.rationale,
    grade_upgrade_rationale: record.grade.upgrade_rationale,
    grade_rating: record.grade.rating,
    caveat_codes: JSON.stringify(record.caveats.codes),
    caveat_notes: record.caveats.notes,
    status: record.status,
    source: record.source.name,
    source_id: record.source.id,
    source_url: record.source.url,
    source_release: record.source.release,
    imported_at: importedAt,
  });

  const wantedLinks = JSON.stringify({
    interventions: interventionIds,
    studies: record.studies.map((l, i) => [studyIds[i], l.relation, l.finding, l.subgroup_sample_size]),
  });
  const currentLinks = prepared(
    sqlite,
    `SELECT json_object(
       'interventions', (SELECT json_group_array(intervention_id) FROM (SELECT intervention_id FROM claim_interventions WHERE claim_id = @id ORDER BY position)),
       'studies', (SELECT json_group_array(json_array(study_id, relation, finding, subgroup_sample_size))
                   FROM (SELECT * FROM claim_studies WHERE claim_id = @id ORDER BY position))) AS links`,
  ).get({ id: record.id }) as { links: string };
  const linksChanged = currentLinks.links !== wantedLinks;
  if (linksChanged) {
    prepared(sqlite, 'DELETE FROM claim_interventions WHERE claim_id = ?').run(record.id);
    prepared(sqlite, 'DELETE FROM claim_studies WHERE claim_id = ?').run(record.id);
    const insertIntervention = prepared(
      sqlite,
      'INSERT INTO claim_interventions (claim_id, intervention_id, position) VALUES (?, ?, ?)',
    );
    for (const [position, iid] of interventionIds.entries()) insertIntervention.run(record.id, iid, position);
    const insertStudy = prepared(
      sqlite,
      `INSERT INTO claim_studies (claim_id, study_id, relation, finding, subgroup_sample_size, position)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const [position, link] of record.studies.entries())
      insertStudy.run(record.id, studyIds[position], link.relation, link.finding, link.subgroup_sample_size, position);
    await refreshClaimSampleSize(tx, record.id);
  }
  if (!existed) return 'inserted';
  if (row.changes === 0 && !linksChanged) return 'unchanged';
  if (row.changes === 0) touch(tx, 'claims', record.id);
  return 'updated';
}

/** One claim's sample_size after its links changed. */
export async function refreshClaimSampleSize(tx: Transaction, claimId: string): Promise<void> {
  const sqlite = tx.sqlite;
  prepared(
    sqlite,
    `UPDATE claims SET sample_size = (SELECT max(s.sample_size) FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
       WHERE cs.claim_id = claims.id) WHERE id = ?`,
  ).run(claimId);
}

function fail(message: string): never {
  throw new Error(message);
}

/** The claim as a curator would write it, for PATCH merges. */
export async function claimRecordOf(h: Reader, id: string): Promise<(ClaimRecord & { version: number }) | undefined> {
  const sqlite = h.sqlite;
  const row = prepared(
    sqlite,
    `SELECT c.*, co.slug AS condition_slug,
       (SELECT json_group_array(slug) FROM (SELECT i.slug FROM claim_interventions ci JOIN interventions i ON i.id = ci.intervention_id
          WHERE ci.claim_id = c.id ORDER BY ci.position)) AS intervention_slugs,
       (SELECT json_group_array(json_object('pmid', s.pmid, 'relation', cs.relation, 'finding', cs.finding,
          'subgroup_sample_size', cs.subgroup_sample_size)) FROM (SELECT * FROM claim_studies WHERE claim_id = c.id ORDER BY position) cs
          JOIN studies s ON s.id = cs.study_id) AS study_links
     FROM claims c LEFT JOIN conditions co ON co.id = c.condition_id WHERE c.id = ?`,
  ).get(id) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  const text = (k: string) => row[k] as string | null;
  return {
    id,
    statement: row.statement as string,
    plain_summary: text('plain_summary'),
    condition: text('condition_slug'),
    interventions: JSON.parse(row.intervention_slugs as string) as string[],
    outcome: text('outcome'),
    direction: row.direction as string,
    biomarker: text('biomarker'),
    grade: {
      scheme: row.grade_scheme as GradeScheme,
      level: row.grade_level as string,
      rationale: text('grade_rationale'),
      upgrade_rationale: text('grade_upgrade_rationale'),
      rating: row.grade_rating as number | null,
    },
    caveats: { codes: JSON.parse(row.caveat_codes as string) as string[], notes: text('caveat_notes') },
    status: row.status as string,
    studies: JSON.parse(row.study_links as string) as ClaimRecord['studies'],
    source: {
      name: row.source as string,
      id: text('source_id'),
      url: text('source_url'),
      release: text('source_release'),
    },
    version: row.version as number,
  };
}

/** Sets a claim's status alone (retraction, withdrawal), keeping its provenance; false when it already had it. */
export async function setClaimStatus(tx: Transaction, id: string, status: string): Promise<boolean> {
  return (
    prepared(
      tx.sqlite,
      "UPDATE claims SET status = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND status IS NOT ?",
    ).run(status, id, status).changes > 0
  );
}

/** Removes a claim for good (admin purge): its links and topic places go with it. */
export async function purgeClaim(tx: Transaction, id: string): Promise<boolean> {
  const sqlite = tx.sqlite;
  // The topics that listed it change too: their version moves, so an If-Match on them sees it.
  prepared(
    sqlite,
    "UPDATE topics SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id IN (SELECT topic_id FROM topic_claims WHERE claim_id = ?)",
  ).run(id);
  prepared(sqlite, 'DELETE FROM topic_claims WHERE claim_id = ?').run(id);
  return prepared(sqlite, 'DELETE FROM claims WHERE id = ?').run(id).changes > 0;
}
