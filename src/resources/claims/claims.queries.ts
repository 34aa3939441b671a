// SQL for claims: the composable filtered list with keyset pagination, and hydration of claims with their studies.

import { asc, eq } from 'drizzle-orm';
import { describeEstimate, type EffectEstimate } from '../../evidence/effect-estimates.js';
import { claimGradeAssessment } from '../../evidence/grade-assessment.js';
import type { GradeDomains, SynthesisOf } from '../../evidence/grade-domains.js';
import type { GradeScheme } from '../../evidence/grades.js';
import { certaintyOf } from '../../evidence/grades.js';
import type { Pico } from '../../evidence/pico.js';
import type { Retraction } from '../../evidence/retraction.js';
import type { RiskOfBias } from '../../evidence/risk-of-bias.js';
import type { NoticeType, PublicationKind } from '../../evidence/study-record.js';
import { type MetadataStatus, metadataStatus, summariseSupportingEvidence } from '../../evidence/summary.js';
import type {
  CaveatCode,
  ClaimStatus,
  Direction,
  EvidenceType,
  InterventionKind,
  InterventionRelation,
  PlainSummarySource,
  Species,
  StudyDesign,
  StudyRelation,
  StudySourceType,
  VariantOrigin,
} from '../../evidence/vocabulary.js';
import { type CursorKey, decodeCursor, paginate } from '../../http/pagination.js';
import type { Engine, Reader, Transaction } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { moreOf } from '../../store/dialect-more.js';
import { type FilterSql, whereClauses } from '../../store/filters.js';
import { touch } from '../../store/lookup.queries.js';
import { columnList, type Narrow, type Row, type RowOf } from '../../store/rows.js';
import type { WriteOutcome } from '../conditions/conditions.queries.js';
import { PICO_FILTER_SQL, picosOf, writePico } from './claims.pico.queries.js';
import { refreshClaimDerived } from './claims.rank.js';
import type { ReviewReason } from './claims.retractions.js';
import type { ClaimInput, ClaimSort } from './claims.schemas.js';

export interface ClaimFilters {
  /** A condition and its descendants. */
  condition_tree?: number;
  /** Exactly this condition (include_descendants=false). */
  condition_id?: number;
  intervention_id?: number;
  /** Further interventions every claim must also involve (`intervention=` repeated): ALL of them, not any. */
  intervention_id_2?: number;
  intervention_id_3?: number;
  intervention_id_4?: number;
  intervention_id_5?: number;
  min_certainty?: number;
  grade_level?: string;
  grade_scheme?: string;
  design?: string;
  min_sample_size?: number;
  direction?: string;
  evidence_type?: string;
  pmid?: string;
  biomarker?: string;
  source?: string;
  /** An FTS5 MATCH expression built by toMatchQuery, never raw user text. */
  match?: string;
  status: string;
  /** 1 or 0: claims resting on a retracted study, or none of them. */
  has_retracted_evidence?: number;
  // Evidence depth (issue 16): PICO filters.
  age_group?: string;
  sex?: string;
  setting?: string;
  /** `<system>:<code>`, e.g. `MeSH:D003876`. */
  outcome_code?: string;
}

/** Also used by the topics list, so `topics?condition=` finds the same claims as `claims?condition=`. */
export const CLAIM_FILTER_SQL: FilterSql<ClaimFilters> = {
  status: 'c.status = @status',
  condition_tree:
    'c.condition_id IN (SELECT descendant_id FROM condition_descendants WHERE ancestor_id = @condition_tree)',
  condition_id: 'c.condition_id = @condition_id',
  intervention_id:
    'EXISTS (SELECT 1 FROM claim_interventions ci WHERE ci.claim_id = c.id AND ci.intervention_id = @intervention_id)',
  // One EXISTS each: portable SQL, each an index probe on the claim's few links (the first intervention drives).
  intervention_id_2:
    'EXISTS (SELECT 1 FROM claim_interventions ci WHERE ci.claim_id = c.id AND ci.intervention_id = @intervention_id_2)',
  intervention_id_3:
    'EXISTS (SELECT 1 FROM claim_interventions ci WHERE ci.claim_id = c.id AND ci.intervention_id = @intervention_id_3)',
  intervention_id_4:
    'EXISTS (SELECT 1 FROM claim_interventions ci WHERE ci.claim_id = c.id AND ci.intervention_id = @intervention_id_4)',
  intervention_id_5:
    'EXISTS (SELECT 1 FROM claim_interventions ci WHERE ci.claim_id = c.id AND ci.intervention_id = @intervention_id_5)',
  // Above very_low, a claim awaiting review (retracted evidence) is left out until a curator has reviewed it.
  min_certainty: 'c.certainty >= @min_certainty AND (@min_certainty <= 1 OR c.review_reason IS NULL)',
  grade_level: 'c.grade_level = @grade_level',
  grade_scheme: 'c.grade_scheme = @grade_scheme',
  // CROSS JOIN: from the claim's few links to their studies. Since claim_studies rows carry effect estimates, SQLite
  // would otherwise probe every study of the design through its covering index, once per claim.
  design:
    'EXISTS (SELECT 1 FROM claim_studies cs CROSS JOIN studies s ON s.id = cs.study_id WHERE cs.claim_id = c.id AND s.design = @design)',
  min_sample_size: 'c.sample_size >= @min_sample_size',
  direction: 'c.direction = @direction',
  evidence_type: 'c.evidence_type = @evidence_type',
  pmid: 'EXISTS (SELECT 1 FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE cs.claim_id = c.id AND s.pmid = @pmid)',
  biomarker: 'c.biomarker = @biomarker COLLATE NOCASE',
  source: 'c.source = @source',
  match: 'c.seq IN (SELECT rowid >> 3 FROM search_index WHERE search_index MATCH @match AND rowid % 8 = 1)',
  has_retracted_evidence: 'c.has_retracted_evidence = @has_retracted_evidence',
  ...PICO_FILTER_SQL,
};

const POSTGRES = moreOf({ engine: 'postgres' });
/**
 * CLAIM_FILTER_SQL per engine: on PostgreSQL the text match and the caseless biomarker are spelled its way, and
 * SQLite's planner hints are dropped (dialect-more.ts).
 */
const FILTER_SQL: Record<Engine, FilterSql<ClaimFilters>> = {
  sqlite: CLAIM_FILTER_SQL,
  postgres: Object.fromEntries(
    Object.entries({
      ...CLAIM_FILTER_SQL,
      biomarker: POSTGRES.equalsCaseless('c.biomarker', '@biomarker'),
      match: `c.seq IN (SELECT rowid >> 3 FROM search_index WHERE ${POSTGRES.matches('search_index', '@match')} AND rowid % 8 = 1)`,
    }).map(([k, v]) => [k, POSTGRES.hints(v as string)]),
  ),
};

/** The claim columns a list or a hydration reads; the SELECT list (CLAIM_COLUMNS) is built from the same keys. */
const CLAIM_KEYS = [
  'id',
  'statement',
  'plain_summary',
  'plain_summary_source',
  'outcome',
  'direction',
  'evidence_type',
  'intervention_relation',
  'variant_origin',
  'nct_ids',
  'grade_scheme',
  'grade_level',
  'certainty',
  'grade_rationale',
  'grade_upgrade_rationale',
  'grade_rating',
  'biomarker',
  'caveat_codes',
  'caveat_notes',
  'status',
  'sample_size',
  'source',
  'source_id',
  'source_url',
  'source_release',
  'imported_at',
  'source_evidence_direction',
  'source_significance',
  'source_reviewed_at',
  'rank_key',
  'created_at',
  'updated_at',
  'review_reason',
  'review_requested_at',
  'reviewed_at',
  'reviewed_by',
  'review_note',
  'grade_domains',
  'grade_synthesis_of',
  'grade_override_reason',
] as const;

/** The vocabularies claims' text columns hold (evidence/vocabulary.ts), which the table declares as plain text. */
interface ClaimVocabulary {
  direction: Direction;
  evidence_type: EvidenceType | null;
  variant_origin: VariantOrigin | null;
  grade_scheme: GradeScheme;
  status: ClaimStatus;
  review_reason: ReviewReason | null;
  grade_synthesis_of: SynthesisOf | null;
}

/** A claim as CLAIM_COLUMNS reads it: its own columns, and its condition's slug and name (null without one). */
type ClaimRow = Narrow<RowOf<'claims', (typeof CLAIM_KEYS)[number]>, ClaimVocabulary> & {
  condition_slug: Row<'conditions'>['slug'] | null;
  condition_name: Row<'conditions'>['name'] | null;
};

/** One study of a claim, as hydrateClaims reads it: the link's columns, the study's, and three computed ones. */
type ClaimStudyRow = Narrow<
  RowOf<'claim_studies', 'claim_id' | 'relation' | 'finding' | 'subgroup_sample_size' | 'effect_estimates'> &
    RowOf<
      'studies',
      | 'key'
      | 'pmid'
      | 'source_type'
      | 'citation_text'
      | 'citation_text_source'
      | 'title'
      | 'year'
      | 'design'
      | 'sample_size'
      | 'sample_size_note'
      | 'species'
      | 'retracted'
      | 'authors_complete'
      | 'publication_kind'
      | 'publication_status'
      | 'retraction_source'
      | 'retraction_notice_pmid'
      | 'retraction_notice_citation'
      | 'deleted_by_pubmed'
      | 'risk_of_bias'
    >,
  { relation: StudyRelation; design: StudyDesign | null; species: Species | null }
> & {
  /** coalesce(journal_medline_ta, journal, journal_iso). */
  journal: Row<'studies'>['journal'];
  /** The length of the study's `authors` array. */
  author_total: number;
  study_id: Row<'studies'>['id'];
};

type ClaimInterventionRow = RowOf<'claim_interventions', 'claim_id'> &
  Narrow<RowOf<'interventions', 'slug' | 'name' | 'kind'>, { kind: InterventionKind }>;

export interface ClaimStudy {
  key: string;
  pmid: string | null;
  source_type: StudySourceType;
  title: string | null;
  journal: string | null;
  year: number | null;
  design: StudyDesign | null;
  sample_size: number | null;
  sample_size_note: string | null;
  species: Species | null;
  retracted: boolean;
  metadata_status: MetadataStatus;
  source_citation: SourceCitation | null;
  relation: StudyRelation;
  finding: string | null;
  subgroup_sample_size: number | null;
  publication_kind: PublicationKind | null;
  publication_status: string | null;
  retraction: Retraction | null;
  deleted_by_pubmed: boolean;
  notices: { type: NoticeType; pmid: string | null }[];
  effect_estimates: (EffectEstimate & { summary: string })[];
  risk_of_bias: { tool: RiskOfBias['tool']; result: string | null; overall: string }[];
}

/** A source's own citation string, served labelled while the study's bibliographic record is missing. */
export interface SourceCitation {
  text: string;
  source: string;
  note: string;
}

/**
 * The citation a source (CIViC) gave for a study, while the study has no title of its own (no PubMed record yet,
 * or a meeting abstract with no PubMed record at all); null otherwise.
 */
export function sourceCitationOf(s: {
  title: string | null;
  citation_text: string | null;
  citation_text_source: string | null;
}): SourceCitation | null {
  if (s.title !== null || s.citation_text === null) return null;
  const source = s.citation_text_source ?? 'the importing source';
  return {
    text: s.citation_text,
    source,
    note: `Citation as given by ${source}; the bibliographic record has not been imported.`,
  };
}

const CLAIM_COLUMNS = `${columnList('claims', 'c', CLAIM_KEYS)},
  co.slug AS condition_slug, co.name AS condition_name`;

/**
 * Selective filters drive the query: the claims are reached from the few rows the filter names (CROSS JOIN fixes
 * that order) and only those are sorted. Without this, SQLite walks the whole certainty index to fill a page of a
 * rare condition: 140 ms instead of 2 ms at 100,000 claims. The first filter present in this list drives.
 */
const driversOf = (
  m: ReturnType<typeof moreOf>,
): { filter: keyof ClaimFilters; value?: unknown; with?: string; from: string; where?: string }[] => [
  {
    filter: 'match',
    from: `(SELECT rowid >> 3 AS seq FROM search_index WHERE ${m.matches('search_index', '@match')} AND rowid % 8 = 1) hit
      CROSS JOIN claims c ON c.seq = hit.seq`,
  },
  {
    filter: 'pmid',
    from: 'studies s0 CROSS JOIN claim_studies cs0 ON cs0.study_id = s0.id CROSS JOIN claims c ON c.id = cs0.claim_id',
    where: 's0.pmid = @pmid',
  },
  {
    // Only `true` drives: claims resting on retracted studies are few, and every sort then sorts just them.
    filter: 'has_retracted_evidence',
    value: 1,
    from: 'claims c INDEXED BY claims_retracted_evidence_idx',
    where: 'c.has_retracted_evidence = @has_retracted_evidence',
  },
  {
    filter: 'biomarker',
    from: 'claims c INDEXED BY claims_biomarker_idx',
    where: m.equalsCaseless('c.biomarker', '@biomarker'),
  },
  {
    filter: 'outcome_code',
    from: 'claim_picos p0 CROSS JOIN claims c ON c.id = p0.claim_id',
    where: 'p0.outcome_code_system = @outcome_code_system AND p0.outcome_code = @outcome_code',
  },
  {
    filter: 'intervention_id',
    from: 'claim_interventions ci0 CROSS JOIN claims c ON c.id = ci0.claim_id',
    where: 'ci0.intervention_id = @intervention_id',
  },
  {
    filter: 'condition_tree',
    // The stored closure: one index range gives every descendant through the whole DAG.
    // INDEXED BY: with a keyset range on another sort, SQLite would probe each condition through that sort's index.
    from: `condition_descendants tree CROSS JOIN claims c INDEXED BY claims_condition_idx
      ON c.condition_id = tree.descendant_id`,
    where: 'tree.ancestor_id = @condition_tree',
  },
];
const DRIVERS = {
  sqlite: driversOf(moreOf({ engine: 'sqlite' })),
  postgres: driversOf(POSTGRES),
};

/** Sort expression and the keyset predicate after a cursor, per sort. Every order ends in the unique id. */
const SORTS: Record<
  ClaimSort,
  { order: string; after: string; key: (r: ClaimRow) => (string | number)[]; cursor: readonly CursorKey[] }
> = {
  // Within one certainty level: rank_key (rating, design, sample size, recency, id: see claims.rank.ts).
  '-certainty': {
    order: 'c.certainty DESC, c.rank_key ASC',
    after: 'c.certainty <= @k0 AND (c.certainty < @k0 OR c.rank_key > @k1)',
    key: (r) => [r.certainty, r.rank_key],
    cursor: ['integer', 'text'],
  },
  '-updated': {
    order: 'c.updated_at DESC, c.id ASC',
    after: 'c.updated_at <= @k0 AND (c.updated_at < @k0 OR c.id > @k1)',
    key: (r) => [r.updated_at, r.id],
    cursor: ['text', 'text'],
  },
  '-sample_size': {
    order: 'coalesce(c.sample_size, -1) DESC, c.id ASC',
    after: 'coalesce(c.sample_size, -1) <= @k0 AND (coalesce(c.sample_size, -1) < @k0 OR c.id > @k1)',
    key: (r) => [r.sample_size ?? -1, r.id],
    cursor: ['integer', 'text'],
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
  const m = moreOf(h);
  // A big condition tree (a top-level condition: ~800 descendants and ~40k claims at 1M) does not drive: sorting
  // its whole subtree costs 50-1300 ms, while walking the sort index and testing membership in the tree finds a
  // page after about limit / (the tree's share of claims) rows.
  const bigTree =
    filters.condition_tree !== undefined &&
    ((
      await h.get<{ n: number }>(
        'SELECT count(*) AS n FROM (SELECT 1 FROM condition_descendants WHERE ancestor_id = ? LIMIT ?) t',
        [filters.condition_tree, LARGE_TREE + 1],
      )
    )?.n ?? 0) > LARGE_TREE;
  const match = filters.match === undefined ? undefined : m.searchParam(filters.match);
  const broadMatch =
    match !== undefined &&
    ((
      await h.get<{ n: number }>(
        `SELECT count(*) AS n FROM (SELECT rowid FROM search_index WHERE ${m.matches('search_index', '?')} AND rowid % 8 = 1 LIMIT ${LARGE_MATCH + 1}) t`,
        [match],
      )
    )?.n ?? 0) > LARGE_MATCH;
  const filterSql = FILTER_SQL[h.engine];
  const driver = DRIVERS[h.engine].find(
    (d) =>
      filters[d.filter] !== undefined &&
      (d.value === undefined || filters[d.filter] === d.value) &&
      !(bigTree && d.filter === 'condition_tree') &&
      !(broadMatch && d.filter === 'match'),
  );
  const { where, params } = whereClauses(filters, filterSql);
  if (match !== undefined) params.match = match;
  if (driver) {
    // The driving filter is the join; its WHERE fragment would only repeat it.
    where.splice(where.indexOf(filterSql[driver.filter] as string), 1);
    where.push(...(driver.where ? [driver.where] : []));
  }
  if (filters.outcome_code !== undefined) {
    // `MeSH:D003876` → system and code, so the lookup is on the (system, code) index.
    const at = filters.outcome_code.indexOf(':');
    params.outcome_code_system = filters.outcome_code.slice(0, at);
    params.outcome_code = filters.outcome_code.slice(at + 1);
  }
  params.limit = limit + 1;
  const spec = SORTS[sort];
  const scope = `claims:${sort}`;
  if (cursor !== undefined) {
    const [k0, k1] = decodeCursor(cursor, scope, spec.cursor);
    params.k0 = k0;
    params.k1 = k1;
    where.push(spec.after);
  }
  const sqlText = `${driver?.with ?? ''} SELECT ${CLAIM_COLUMNS} FROM ${driver?.from ?? 'claims c'}
    LEFT JOIN conditions co ON co.id = c.condition_id
    WHERE ${where.join(' AND ')} ORDER BY ${spec.order} LIMIT @limit`;
  const rows = await h.all<ClaimRow>(m.hints(sqlText), params);
  // A cursor names the sort's keys, so a cursor from before the rank order cannot silently resume elsewhere.
  const pageRows = paginate(rows, limit, scope, spec.key);
  return { items: await hydrateClaims(h, pageRows.items), next_cursor: pageRows.next_cursor };
}

export async function getClaim(h: Reader, id: string) {
  const row = await h.get<ClaimRow>(
    `SELECT ${CLAIM_COLUMNS} FROM claims c LEFT JOIN conditions co ON co.id = c.condition_id WHERE c.id = ?`,
    [id],
  );
  return row ? (await hydrateClaims(h, [row]))[0] : undefined;
}

/** Claims by id in the order given (missing ids skipped): two statements whatever the number of claims. */
export async function getClaimsByIds(h: Reader, ids: readonly string[]) {
  const rows = await h.all<ClaimRow>(
    `SELECT ${CLAIM_COLUMNS} FROM claims c LEFT JOIN conditions co ON co.id = c.condition_id
     WHERE c.id IN (SELECT value FROM ${dialectOf(h).jsonValues('?')})`,
    [JSON.stringify(ids)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return hydrateClaims(
    h,
    ids.flatMap((id) => byId.get(id) ?? []),
  );
}

export type Claim = Awaited<ReturnType<typeof hydrateClaims>>[number];

/** Attaches interventions, studies and PICO with one statement each, whatever the page size (no N+1). */
export async function hydrateClaims(h: Reader, rows: readonly ClaimRow[]) {
  if (rows.length === 0) return [];
  const d = dialectOf(h);
  const ids = JSON.stringify(rows.map((r) => r.id));
  const studyRows = await h.all<ClaimStudyRow>(
    `SELECT cs.claim_id, s.key, s.pmid, s.source_type, s.citation_text, s.citation_text_source, s.title,
       coalesce(s.journal_medline_ta, s.journal, s.journal_iso) AS journal, s.year, s.design,
       s.sample_size, s.sample_size_note, s.species, s.retracted, ${moreOf(h).jsonArrayLength('s.authors')} AS author_total,
       s.authors_complete, cs.relation, cs.finding, cs.subgroup_sample_size,
       s.id AS study_id, s.publication_kind, s.publication_status, s.retraction_source, s.retraction_notice_pmid,
       s.retraction_notice_citation, s.deleted_by_pubmed, cs.effect_estimates, s.risk_of_bias
     FROM claim_studies cs JOIN studies s ON s.id = cs.study_id
     WHERE cs.claim_id IN (SELECT value FROM ${d.jsonValues('?')})
     ORDER BY cs.claim_id, cs.position`,
    [ids],
  );
  const interventionRows = await h.all<ClaimInterventionRow>(
    `SELECT ci.claim_id, i.slug, i.name, i.kind
     FROM claim_interventions ci JOIN interventions i ON i.id = ci.intervention_id
     WHERE ci.claim_id IN (SELECT value FROM ${d.jsonValues('?')})
     ORDER BY ci.claim_id, ci.position`,
    [ids],
  );
  const relationRows = await h.all<RowOf<'claim_relations', 'claim_id' | 'other_id' | 'relation'>>(
    `SELECT claim_id, other_id, relation FROM claim_relations WHERE claim_id IN (SELECT value FROM ${d.jsonValues('?')})
     ORDER BY claim_id, other_id`,
    [ids],
  );

  // The notices summary of every study on the page: one statement, on the hot path (hence SQL, like its neighbours).
  const noticeRows = await h.all<Narrow<RowOf<'study_notices', 'study_id' | 'type' | 'pmid'>, { type: NoticeType }>>(
    `SELECT n.study_id, n.type, n.pmid FROM study_notices n
     WHERE n.study_id IN (SELECT CAST(value AS INTEGER) FROM ${d.jsonValues('?')}) ORDER BY n.study_id, n.position`,
    [JSON.stringify([...new Set(studyRows.map((r) => r.study_id))])],
  );
  const noticesByStudy = groupBy(noticeRows, (r) => String(r.study_id));

  const studiesByClaim = groupBy(studyRows, (r) => r.claim_id);
  const interventionsByClaim = groupBy(interventionRows, (r) => r.claim_id);
  const relationsByClaim = groupBy(relationRows, (r) => r.claim_id);
  const picos = await picosOf(
    h,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const studies: ClaimStudy[] = (studiesByClaim.get(r.id) ?? []).map((s) => ({
      key: s.key,
      pmid: s.pmid,
      source_type: s.source_type,
      title: s.title,
      journal: s.journal,
      year: s.year,
      design: s.design,
      sample_size: s.sample_size,
      sample_size_note: s.sample_size_note,
      species: s.species,
      retracted: s.retracted === 1,
      metadata_status: metadataStatus(s),
      source_citation: sourceCitationOf(s),
      relation: s.relation,
      finding: s.finding,
      subgroup_sample_size: s.subgroup_sample_size,
      publication_kind: s.publication_kind,
      publication_status: s.publication_status,
      retraction:
        s.retracted === 1
          ? {
              source: s.retraction_source ?? 'curator',
              notice_pmid: s.retraction_notice_pmid,
              notice_citation: s.retraction_notice_citation,
            }
          : null,
      deleted_by_pubmed: s.deleted_by_pubmed === 1,
      notices: (noticesByStudy.get(String(s.study_id)) ?? []).map((n) => ({ type: n.type, pmid: n.pmid })),
      effect_estimates: (JSON.parse(s.effect_estimates) as EffectEstimate[]).map((e) => ({
        ...e,
        summary: describeEstimate(e),
      })),
      risk_of_bias: (JSON.parse(s.risk_of_bias) as RiskOfBias[]).map((a) => ({
        tool: a.tool,
        result: a.result,
        overall: a.overall,
      })),
    }));
    const grade = {
      scheme: r.grade_scheme,
      level: r.grade_level,
      certainty: r.certainty,
      rationale: r.grade_rationale,
      upgrade_rationale: r.grade_upgrade_rationale,
      rating: r.grade_rating,
      domains: r.grade_domains === null ? null : (JSON.parse(r.grade_domains) as GradeDomains),
      synthesis_of: r.grade_synthesis_of,
      override_reason: r.grade_override_reason,
    };
    const related = relationsByClaim.get(r.id) ?? [];
    const agreeing = related.filter((x) => x.relation === 'agrees').map((x) => x.other_id);
    const disagreeing = related.filter((x) => x.relation === 'disagrees').map((x) => x.other_id);
    return {
      id: r.id,
      statement: r.statement,
      plain_summary: r.plain_summary,
      plain_summary_source: r.plain_summary_source,
      condition: r.condition_slug === null ? null : { slug: r.condition_slug, name: r.condition_name as string },
      interventions: (interventionsByClaim.get(r.id) ?? []).map((i) => ({ slug: i.slug, name: i.name, kind: i.kind })),
      intervention_relation: r.intervention_relation,
      outcome: r.outcome,
      direction: r.direction,
      evidence_type: r.evidence_type,
      biomarker: r.biomarker,
      variant_origin: r.variant_origin,
      nct_ids: JSON.parse(r.nct_ids) as string[],
      grade: {
        ...grade,
        assessment: claimGradeAssessment(
          grade,
          studies.filter((s) => s.relation === 'supports').map((s) => s.design),
        ),
      },
      caveats: { codes: JSON.parse(r.caveat_codes) as CaveatCode[], notes: r.caveat_notes },
      // Only PubMed articles are retracted (key = PMID); the key stands in so a retraction is never dropped.
      retracted_evidence: studies.flatMap((s) =>
        s.retraction ? [{ pmid: s.pmid ?? s.key, retraction: s.retraction }] : [],
      ),
      review: {
        needed: r.review_reason !== null,
        reason: r.review_reason,
        requested_at: r.review_requested_at,
        reviewed_at: r.reviewed_at,
        reviewed_by: r.reviewed_by,
        note: r.review_note,
      },
      status: r.status,
      sample_size: r.sample_size,
      pico: picos.get(r.id) ?? null,
      studies,
      evidence_summary: summariseSupportingEvidence(studies),
      agreement: {
        agreeing: agreeing.length,
        disagreeing: disagreeing.length,
        agreeing_claims: agreeing,
        disagreeing_claims: disagreeing,
      },
      source: {
        name: r.source,
        id: r.source_id,
        url: r.source_url,
        release: r.source_release,
        imported_at: r.imported_at,
        evidence_direction: r.source_evidence_direction,
        significance: r.source_significance,
        reviewed_at: r.source_reviewed_at,
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

/** One link from a claim to a study, by the study's key (its PMID, or `asco:...` for a source without one). */
export interface ClaimStudyLink {
  key: string;
  relation: string;
  finding: string | null;
  subgroup_sample_size: number | null;
  /** Evidence depth (issue 16): the effect estimates this study gives for the claim. */
  effect_estimates: EffectEstimate[];
}

/**
 * Everything a claim row holds, curated or imported. Curated writes come from ClaimInput (see claimRecordFromInput);
 * importers add provenance, a biomarker, a scheme rating, the source's own record and agreement with other items.
 */
export interface ClaimRecord {
  id: string;
  statement: string;
  plain_summary: string | null;
  plain_summary_source: PlainSummarySource | null;
  condition: string | null;
  interventions: string[];
  intervention_relation: InterventionRelation | null;
  outcome: string | null;
  direction: string;
  evidence_type: EvidenceType | null;
  biomarker: string | null;
  variant_origin: VariantOrigin | null;
  nct_ids: string[];
  grade: {
    scheme: GradeScheme;
    level: string;
    rationale: string | null;
    upgrade_rationale: string | null;
    rating: number | null;
    // Evidence depth (issue 16).
    domains: GradeDomains | null;
    synthesis_of: SynthesisOf | null;
    override_reason: string | null;
  };
  caveats: { codes: string[]; notes: string | null };
  status: string;
  /** Evidence depth (issue 16): the claim's PICO; null when none is written. */
  pico: Pico | null;
  studies: ClaimStudyLink[];
  /** Claim ids that agree and that disagree with this one (both directions are stored by writing each claim). */
  related: { agrees: string[]; disagrees: string[] };
  source: {
    name: string;
    id: string | null;
    url: string | null;
    release: string | null;
    evidence_direction?: string | null;
    significance?: string | null;
    reviewed_at?: string | null;
  };
}

export function claimRecordFromInput(input: ClaimInput): ClaimRecord {
  return {
    ...input,
    plain_summary_source: 'curated',
    biomarker: null,
    grade: { ...input.grade, rating: null },
    studies: input.studies.map(({ pmid, key, ...link }) => ({ ...link, key: (key ?? pmid) as string })),
    related: { agrees: [], disagrees: [] },
    source: { name: 'curated', id: null, url: null, release: null },
  };
}

/** Compared on upsert: a re-import or re-seed that changes none of these changes nothing at all. */
const CLAIM_COLUMNS_COMPARED = [
  'statement',
  'plain_summary',
  'plain_summary_source',
  'condition_id',
  'outcome',
  'direction',
  'evidence_type',
  'biomarker',
  'variant_origin',
  'nct_ids',
  'intervention_relation',
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
  'source_evidence_direction',
  'source_significance',
  'source_reviewed_at',
  'grade_domains',
  'grade_synthesis_of',
  'grade_override_reason',
] as const;

// The release and import time name when a claim last changed, so a newer release that repeats an item unchanged
// leaves it untouched; a curator's write (no import time) keeps the last import's.
const upsertClaimSql = (
  h: Reader,
) => `INSERT INTO claims (id, ${CLAIM_COLUMNS_COMPARED.join(', ')}, source_release, imported_at)
  VALUES (@id, ${CLAIM_COLUMNS_COMPARED.map((c) => `@${c}`).join(', ')}, @source_release, @imported_at)
  ON CONFLICT (id) DO UPDATE SET ${CLAIM_COLUMNS_COMPARED.map((c) => `${c} = excluded.${c}`).join(', ')},
    source_release = excluded.source_release, imported_at = coalesce(excluded.imported_at, claims.imported_at),
    updated_at = ${dialectOf(h).now}
  WHERE ${CLAIM_COLUMNS_COMPARED.map((c) => `claims.${c} IS DISTINCT FROM excluded.${c}`).join(' OR ')}`;

/** What an import remembers of the values it wrote into a claim (see claim_import_state in store/schema.ts). */
export interface ClaimImportState {
  release: string | null;
  values: Record<string, unknown>;
}

/**
 * Inserts or updates a claim with its interventions, study links and agreement links; touches updated_at only on a
 * real change, and keeps the derived sample size and rank key in step. `importState`, when given, is stored as the
 * values the import wrote (bookkeeping, not part of the claim).
 */
export async function upsertClaim(
  tx: Transaction,
  record: ClaimRecord,
  importedAt: string | null = null,
  importState?: ClaimImportState,
): Promise<WriteOutcome> {
  const conditionId =
    record.condition === null
      ? null
      : ((await tx.get<RowOf<'conditions', 'id'>>('SELECT id FROM conditions WHERE slug = ?', [record.condition]))
          ?.id ?? fail(`claim ${record.id}: condition '${record.condition}' does not exist`));
  const interventionIds: number[] = [];
  for (const slug of record.interventions)
    interventionIds.push(
      (await tx.get<RowOf<'interventions', 'id'>>('SELECT id FROM interventions WHERE slug = ?', [slug]))?.id ??
        fail(`claim ${record.id}: intervention '${slug}' does not exist`),
    );
  const studyIds: number[] = [];
  for (const link of record.studies)
    studyIds.push(
      (await tx.get<RowOf<'studies', 'id'>>('SELECT id FROM studies WHERE key = ?', [link.key]))?.id ??
        fail(`claim ${record.id}: study ${link.key} does not exist`),
    );
  const certainty =
    certaintyOf(record.grade.scheme, record.grade.level) ?? fail(`claim ${record.id}: unknown grade level`);
  const existed = (await tx.get('SELECT 1 FROM claims WHERE id = ?', [record.id])) !== undefined;
  const row = await tx.run(upsertClaimSql(tx), {
    id: record.id,
    statement: record.statement,
    plain_summary: record.plain_summary,
    plain_summary_source: record.plain_summary === null ? null : record.plain_summary_source,
    condition_id: conditionId,
    outcome: record.outcome,
    direction: record.direction,
    evidence_type: record.evidence_type,
    biomarker: record.biomarker,
    variant_origin: record.variant_origin,
    nct_ids: JSON.stringify(record.nct_ids),
    intervention_relation: record.interventions.length > 1 ? record.intervention_relation : null,
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
    source_evidence_direction: record.source.evidence_direction ?? null,
    source_significance: record.source.significance ?? null,
    source_reviewed_at: record.source.reviewed_at ?? null,
    imported_at: importedAt,
    grade_domains: record.grade.domains === null ? null : JSON.stringify(record.grade.domains),
    grade_synthesis_of: record.grade.synthesis_of,
    grade_override_reason: record.grade.override_reason,
  });

  const relations = [
    ...record.related.agrees.map((other) => [other, 'agrees'] as const),
    ...record.related.disagrees.map((other) => [other, 'disagrees'] as const),
  ].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const wantedLinks = JSON.stringify({
    interventions: interventionIds,
    studies: record.studies.map((l, i) => [
      studyIds[i],
      l.relation,
      l.finding,
      l.subgroup_sample_size,
      JSON.stringify(l.effect_estimates),
    ]),
    relations,
  });
  const d = dialectOf(tx);
  const m = moreOf(tx);
  // A SELECT without FROM: always one row.
  const currentLinks = await tx.get<{ links: string }>(
    `SELECT ${m.jsonObject(
      ["'interventions'", d.jsonArray('intervention_id', 'claim_interventions WHERE claim_id = @id', 'position')],
      [
        "'studies'",
        m.jsonRows(
          m.jsonTuple('study_id', 'relation', 'finding', 'subgroup_sample_size', 'effect_estimates'),
          'claim_studies WHERE claim_id = @id',
          'position',
        ),
      ],
      [
        "'relations'",
        m.jsonRows(m.jsonTuple('other_id', 'relation'), 'claim_relations WHERE claim_id = @id', 'other_id'),
      ],
    )} AS links`,
    { id: record.id },
  );
  // Compared as values: PostgreSQL spaces its JSON text, SQLite does not.
  const linksChanged = JSON.stringify(JSON.parse(currentLinks?.links ?? 'null')) !== wantedLinks;
  if (linksChanged) {
    await tx.run('DELETE FROM claim_interventions WHERE claim_id = ?', [record.id]);
    await tx.run('DELETE FROM claim_studies WHERE claim_id = ?', [record.id]);
    await tx.run('DELETE FROM claim_relations WHERE claim_id = ?', [record.id]);
    for (const [position, iid] of interventionIds.entries())
      await tx.run('INSERT INTO claim_interventions (claim_id, intervention_id, position) VALUES (?, ?, ?)', [
        record.id,
        iid,
        position,
      ]);
    for (const [position, link] of record.studies.entries())
      await tx.run(
        `INSERT INTO claim_studies (claim_id, study_id, relation, finding, subgroup_sample_size, position, effect_estimates)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          record.id,
          studyIds[position],
          link.relation,
          link.finding,
          link.subgroup_sample_size,
          position,
          JSON.stringify(link.effect_estimates),
        ],
      );
    for (const [other, relation] of relations)
      await tx.run('INSERT INTO claim_relations (claim_id, other_id, relation) VALUES (?, ?, ?)', [
        record.id,
        other,
        relation,
      ]);
  }
  const derivedChanged = (await refreshClaimDerived(tx, [record.id])).length > 0;
  const picoChanged = await writePico(tx, record.id, record.pico);
  if (importState) {
    const state = tx.tables.claim_import_state;
    const values = { source_release: importState.release, imported_values: importState.values };
    await tx.orm
      .insert(state)
      .values({ claim_id: record.id, ...values })
      .onConflictDoUpdate({ target: state.claim_id, set: values });
  }
  if (!existed) return 'inserted';
  if (row.changes === 0 && !linksChanged && !derivedChanged && !picoChanged) return 'unchanged';
  if (row.changes === 0) await touch(tx, 'claims', record.id);
  return 'updated';
}

/** Records that an import set a claim's status (a withdrawal), so the next import does not take it for a curator's. */
export async function noteImportedStatus(tx: Transaction, id: string, status: string): Promise<void> {
  const state = await claimImportStateOf(tx, id);
  if (!state) return;
  const t = tx.tables.claim_import_state;
  await tx.orm
    .update(t)
    .set({ imported_values: { ...state.values, status } })
    .where(eq(t.claim_id, id));
}

/** What an import last wrote into a claim, or undefined for a claim no import has written (or written before). */
export async function claimImportStateOf(h: Reader, id: string): Promise<ClaimImportState | undefined> {
  const t = h.tables.claim_import_state;
  const [row] = await h.orm
    .select({ source_release: t.source_release, imported_values: t.imported_values })
    .from(t)
    .where(eq(t.claim_id, id));
  return row ? { release: row.source_release, values: row.imported_values } : undefined;
}

function fail(message: string): never {
  throw new Error(message);
}

/** The claim as a curator would write it, for PATCH merges; with what importers keep (provenance, agreement). */
export async function claimRecordOf(h: Reader, id: string): Promise<(ClaimRecord & { version: number }) | undefined> {
  const d = dialectOf(h);
  const m = moreOf(h);
  const row = await h.get<
    Narrow<Row<'claims'>, ClaimVocabulary> & {
      condition_slug: Row<'conditions'>['slug'] | null;
      /** JSON text: the slugs in the claim's order. */
      intervention_slugs: string;
      /** JSON text: ClaimStudyLink[]. */
      study_links: string;
      /** JSON text: [other_id, relation] pairs. */
      relations: string;
    }
  >(
    `SELECT c.*, co.slug AS condition_slug,
       ${d.jsonArray('i.slug', 'claim_interventions ci JOIN interventions i ON i.id = ci.intervention_id WHERE ci.claim_id = c.id', 'ci.position')} AS intervention_slugs,
       ${m.jsonRows(
         m.jsonObject(
           ["'key'", 's.key'],
           ["'relation'", 'cs.relation'],
           ["'finding'", 'cs.finding'],
           ["'subgroup_sample_size'", 'cs.subgroup_sample_size'],
           ["'effect_estimates'", m.json('cs.effect_estimates')],
         ),
         'claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE cs.claim_id = c.id',
         'cs.position',
       )} AS study_links,
       ${m.jsonRows(m.jsonTuple('other_id', 'relation'), 'claim_relations WHERE claim_id = c.id', 'other_id')} AS relations
     FROM claims c LEFT JOIN conditions co ON co.id = c.condition_id WHERE c.id = ?`,
    [id],
  );
  if (!row) return undefined;
  const relations = JSON.parse(row.relations) as [string, 'agrees' | 'disagrees'][];
  return {
    id,
    statement: row.statement,
    plain_summary: row.plain_summary,
    plain_summary_source: row.plain_summary_source,
    condition: row.condition_slug,
    interventions: JSON.parse(row.intervention_slugs) as string[],
    intervention_relation: row.intervention_relation,
    outcome: row.outcome,
    direction: row.direction,
    evidence_type: row.evidence_type,
    biomarker: row.biomarker,
    variant_origin: row.variant_origin,
    nct_ids: JSON.parse(row.nct_ids) as string[],
    grade: {
      scheme: row.grade_scheme,
      level: row.grade_level,
      rationale: row.grade_rationale,
      upgrade_rationale: row.grade_upgrade_rationale,
      rating: row.grade_rating,
      domains: row.grade_domains === null ? null : (JSON.parse(row.grade_domains) as GradeDomains),
      synthesis_of: row.grade_synthesis_of,
      override_reason: row.grade_override_reason,
    },
    caveats: { codes: JSON.parse(row.caveat_codes) as string[], notes: row.caveat_notes },
    status: row.status,
    pico: (await picosOf(h, [id])).get(id) ?? null,
    studies: JSON.parse(row.study_links) as ClaimStudyLink[],
    related: {
      agrees: relations.filter(([, r]) => r === 'agrees').map(([o]) => o),
      disagrees: relations.filter(([, r]) => r === 'disagrees').map(([o]) => o),
    },
    source: {
      name: row.source,
      id: row.source_id,
      url: row.source_url,
      release: row.source_release,
      evidence_direction: row.source_evidence_direction,
      significance: row.source_significance,
      reviewed_at: row.source_reviewed_at,
    },
    version: row.version,
  };
}

/** Sets a claim's status alone (retraction, withdrawal), keeping its provenance; false when it already had it. */
export async function setClaimStatus(tx: Transaction, id: string, status: string): Promise<boolean> {
  return (
    (
      await tx.run(
        `UPDATE claims SET status = ?, updated_at = ${dialectOf(tx).now} WHERE id = ? AND status IS DISTINCT FROM ?`,
        [status, id, status],
      )
    ).changes > 0
  );
}

/** The claims that name `id` among the items agreeing or disagreeing with them. */
export async function claimsRelatedTo(h: Reader, id: string): Promise<string[]> {
  const t = h.tables.claim_relations;
  const rows = await h.orm.select({ claim_id: t.claim_id }).from(t).where(eq(t.other_id, id)).orderBy(asc(t.claim_id));
  return rows.map((r) => r.claim_id);
}

/** Removes a claim for good (admin purge): its links, topic places and the other claims' links to it go with it. */
export async function purgeClaim(tx: Transaction, id: string): Promise<boolean> {
  const now = dialectOf(tx).now;
  // The topics that listed it change too: their version moves, so an If-Match on them sees it.
  await tx.run(
    `UPDATE topics SET updated_at = ${now} WHERE id IN (SELECT topic_id FROM topic_claims WHERE claim_id = ?)`,
    [id],
  );
  await tx.run('DELETE FROM topic_claims WHERE claim_id = ?', [id]);
  await tx.run(
    `UPDATE claims SET updated_at = ${now} WHERE id IN (SELECT claim_id FROM claim_relations WHERE other_id = ?)`,
    [id],
  );
  await tx.run('DELETE FROM claim_relations WHERE other_id = ?', [id]);
  return (await tx.run('DELETE FROM claims WHERE id = ?', [id])).changes > 0;
}
