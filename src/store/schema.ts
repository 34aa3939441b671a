// Every table of the evidence database: conditions, interventions, studies, claims, topics and their links.
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { EffectEstimate } from '../evidence/effect-estimates.js';
import type { GradeDomains } from '../evidence/grade-domains.js';
import { RETRACTION_SOURCES } from '../evidence/retraction.js';
import type { RiskOfBias } from '../evidence/risk-of-bias.js';
import { PUBLICATION_KINDS, type PubmedHistoryDate, type StudyAuthor } from '../evidence/study-record.js';

// ISO-8601 UTC with milliseconds, the same text SQLite and JavaScript both sort correctly.
const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
const timestamps = {
  created_at: text('created_at').notNull().default(now),
  updated_at: text('updated_at').notNull().default(now),
  /** Bumped by every write to the row: the part of the ETag that If-Match checks, so edits never cross. */
  version: integer('version').notNull().default(1),
};

/** Key/value facts about the database itself: its identity and the data version that ETags derive from. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const conditions = sqliteTable(
  'conditions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    mesh_id: text('mesh_id'),
    /** The Disease Ontology term the condition is attached to (one condition per term). */
    doid: text('doid'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('conditions_slug_uq').on(t.slug),
    index('conditions_name_idx').on(t.name),
    index('conditions_doid_idx').on(t.doid),
  ],
);

/**
 * Synonyms of a condition. `scope` null: written by a curator (part of the condition a curator writes); EXACT,
 * RELATED, BROAD or NARROW: read from an ontology (OBO 1.2 synonym scope), owned by the ontology import.
 */
export const condition_synonyms = sqliteTable(
  'condition_synonyms',
  {
    condition_id: integer('condition_id')
      .notNull()
      .references(() => conditions.id, { onDelete: 'cascade' }),
    synonym: text('synonym').notNull(),
    position: integer('position').notNull(),
    scope: text('scope', { enum: ['EXACT', 'RELATED', 'BROAD', 'NARROW'] }),
  },
  (t) => [primaryKey({ columns: [t.condition_id, t.synonym] })],
);

// ---- Condition hierarchy: a DAG (a condition may have several parents), with its transitive closure stored ----

/** One is-a link: `condition_id` is a kind of `parent_id`, said by a curator or by an ontology (both may). */
export const condition_parents = sqliteTable(
  'condition_parents',
  {
    condition_id: integer('condition_id')
      .notNull()
      .references(() => conditions.id, { onDelete: 'cascade' }),
    parent_id: integer('parent_id')
      .notNull()
      .references(() => conditions.id, { onDelete: 'restrict' }),
    source: text('source', { enum: ['curated', 'ontology'] }).notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.condition_id, t.parent_id, t.source] }),
    index('condition_parents_parent_idx').on(t.parent_id, t.condition_id),
  ],
);

/**
 * The transitive closure of condition_parents, each condition also its own descendant: `condition=` reads one
 * index range instead of walking the graph. Kept in step by the writers of condition_parents.
 */
export const condition_descendants = sqliteTable(
  'condition_descendants',
  {
    ancestor_id: integer('ancestor_id')
      .notNull()
      .references(() => conditions.id, { onDelete: 'cascade' }),
    descendant_id: integer('descendant_id')
      .notNull()
      .references(() => conditions.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.ancestor_id, t.descendant_id] }),
    index('condition_descendants_descendant_idx').on(t.descendant_id, t.ancestor_id),
  ],
);

/**
 * Codes a condition is known by besides its DOID and MeSH id, from an ontology: cross-references (`xref`: MESH,
 * NCI, ICD10CM, UMLS_CUI, EFO, ...), the term's older ids (`alt_id`) and obsolete terms it replaces (`replaces`).
 */
export const condition_codes = sqliteTable(
  'condition_codes',
  {
    condition_id: integer('condition_id')
      .notNull()
      .references(() => conditions.id, { onDelete: 'cascade' }),
    relation: text('relation', { enum: ['xref', 'alt_id', 'replaces'] }).notNull(),
    system: text('system').notNull(),
    code: text('code').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.condition_id, t.relation, t.system, t.code] })],
);

export const interventions = sqliteTable(
  'interventions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    description: text('description'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('interventions_slug_uq').on(t.slug),
    index('interventions_name_idx').on(t.name),
    index('interventions_kind_idx').on(t.kind, t.slug),
  ],
);

export const intervention_synonyms = sqliteTable(
  'intervention_synonyms',
  {
    intervention_id: integer('intervention_id')
      .notNull()
      .references(() => interventions.id, { onDelete: 'cascade' }),
    synonym: text('synonym').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.intervention_id, t.synonym] })],
);

/**
 * Normalised spellings (lower case, accents stripped) of every slug, name, synonym and ontology code, so that
 * `condition=Atopic Dermatitis` and `condition=doid:3310` are one indexed lookup.
 */
export const lookup_keys = sqliteTable(
  'lookup_keys',
  {
    entity: text('entity', { enum: ['condition', 'intervention'] }).notNull(),
    key: text('key').notNull(),
    entity_id: integer('entity_id').notNull(),
    /** 1 for a whole slug, name, synonym or code; 0 for a later word of one, used only for prefix search. */
    exact: integer('exact').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.entity, t.key, t.entity_id] }),
    index('lookup_keys_entity_idx').on(t.entity, t.entity_id),
  ],
);

export const studies = sqliteTable(
  'studies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /**
     * The study's key: its PMID for a PubMed article; `asco:<web id>`, `ash:<DOI>` or `<source type>:<id>` for a
     * source without one (a meeting abstract CIViC cites). What `/v1/studies/{key}` and claim links name.
     */
    key: text('key').notNull(),
    /** Null for a source that is not a PubMed article. */
    pmid: text('pmid'),
    /** `pubmed`, `asco`, `ash` or `other` (CIViC's source types). */
    source_type: text('source_type', { enum: ['pubmed', 'asco', 'ash', 'other'] })
      .notNull()
      .default('pubmed'),
    /** The source's own id when it is not a PMID: ASCO web id, ASH DOI, or another type's citation id. */
    source_id: text('source_id'),
    /** ASCO abstract number within its meeting ("9056"). */
    abstract_number: text('abstract_number'),
    /** Where the source can be read when it has no PubMed record (ASCO abstract page). */
    source_url: text('source_url'),
    doi: text('doi'),
    pmcid: text('pmcid'),
    title: text('title'),
    authors: text('authors', { mode: 'json' }).$type<StudyAuthor[]>().notNull().default(sql`'[]'`),
    authors_complete: integer('authors_complete', { mode: 'boolean' }).notNull().default(false),
    last_author: text('last_author', { mode: 'json' }).$type<StudyAuthor | null>(),
    author_count: integer('author_count'),
    journal: text('journal'),
    journal_iso: text('journal_iso'),
    year: integer('year'),
    month: integer('month'),
    day: integer('day'),
    date_text: text('date_text'),
    volume: text('volume'),
    issue: text('issue'),
    pages: text('pages'),
    publication_types: text('publication_types', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    mesh_terms: text('mesh_terms', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    abstract: text('abstract'),
    design: text('design'),
    design_source: text('design_source', { enum: ['curated', 'pubmed'] }),
    sample_size: integer('sample_size'),
    sample_size_note: text('sample_size_note'),
    population: text('population'),
    species: text('species'),
    retracted: integer('retracted', { mode: 'boolean' }).notNull().default(false),
    /** A source's own citation string (CIViC "Levine et al., 2005, Blood"), kept until a PubMed import completes the record. */
    citation_text: text('citation_text'),
    /** Who wrote `citation_text` (`CIViC`), so it is served labelled as that source's citation. */
    citation_text_source: text('citation_text_source'),
    // What the record is and how PubMed dates and identifies it (StudyBibliography in evidence/study-record.ts).
    journal_medline_ta: text('journal_medline_ta'),
    publication_kind: text('publication_kind', { enum: PUBLICATION_KINDS }),
    publication_status: text('publication_status'),
    article_date: text('article_date'),
    history: text('history', { mode: 'json' }).$type<PubmedHistoryDate[]>().notNull().default(sql`'[]'`),
    elocation_id: text('elocation_id'),
    arxiv_id: text('arxiv_id'),
    bookshelf_id: text('bookshelf_id'),
    isbn: text('isbn'),
    editors: text('editors', { mode: 'json' }).$type<StudyAuthor[]>().notNull().default(sql`'[]'`),
    publisher: text('publisher'),
    publisher_place: text('publisher_place'),
    edition: text('edition'),
    collection_title: text('collection_title'),
    /** Why `retracted` is set (evidence/retraction.ts); null when it is not. */
    retraction_source: text('retraction_source', { enum: RETRACTION_SOURCES }),
    retraction_notice_pmid: text('retraction_notice_pmid'),
    retraction_notice_citation: text('retraction_notice_citation'),
    /** PubMed withdrew the PMID (`<DeleteCitation>`): the row stays, marked, with when the import saw it. */
    deleted_by_pubmed: integer('deleted_by_pubmed', { mode: 'boolean' }).notNull().default(false),
    deleted_by_pubmed_at: text('deleted_by_pubmed_at'),
    // Evidence depth (issue 16): risk-of-bias assessments of the study, each by its tool's own domains.
    risk_of_bias: text('risk_of_bias', { mode: 'json' }).$type<RiskOfBias[]>().notNull().default(sql`'[]'`),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('studies_key_uq').on(t.key),
    uniqueIndex('studies_pmid_uq').on(t.pmid),
    // List order (STUDY_ORDER): PubMed articles by PMID, then other sources in the order they were added (a PMID
    // has at most 9 digits). CASE, not coalesce: drizzle-kit splits an index expression at its commas.
    // `?retracted=` in list order: the few retracted studies are one index range, read in the order of the list.
    index('studies_retracted_idx').on(
      t.retracted,
      sql`(CASE WHEN ${t.pmid} IS NULL THEN 1000000000 + ${t.id} ELSE CAST(${t.pmid} AS INTEGER) END)`,
    ),
    index('studies_pmid_num_idx').on(
      sql`(CASE WHEN ${t.pmid} IS NULL THEN 1000000000 + ${t.id} ELSE CAST(${t.pmid} AS INTEGER) END)`,
    ),
    index('studies_design_idx').on(
      t.design,
      sql`(CASE WHEN ${t.pmid} IS NULL THEN 1000000000 + ${t.id} ELSE CAST(${t.pmid} AS INTEGER) END)`,
    ),
    index('studies_sample_size_idx').on(t.sample_size),
    index('studies_year_idx').on(t.year),
    // Start-up catch-up (unmarkedRetractedPmids): only studies stored as "Retracted Publication" but not marked
    // retracted are in it, so every start reads O(those rows), none on a database written since issue 9.
    index('studies_unmarked_retraction_idx')
      .on(t.pmid)
      .where(
        sql`${t.retracted} = FALSE AND ${t.pmid} IS NOT NULL AND ${t.publication_types} LIKE '%"Retracted Publication"%'`,
      ),
    check(
      'studies_pmid_digits',
      sql`${t.pmid} IS NULL OR (${t.pmid} NOT GLOB '*[^0-9]*' AND length(${t.pmid}) BETWEEN 1 AND 9)`,
    ),
    check(
      'studies_key_source',
      sql`(${t.source_type} = 'pubmed' AND ${t.pmid} IS NOT NULL AND ${t.key} = ${t.pmid}) OR (${t.source_type} <> 'pubmed' AND ${t.pmid} IS NULL AND ${t.key} LIKE ${t.source_type} || ':%')`,
    ),
    check('studies_sample_size_nonneg', sql`${t.sample_size} IS NULL OR ${t.sample_size} >= 0`),
  ],
);

/**
 * A study's links to related citations (PubMed CommentsCorrections: retraction, erratum, expression of concern,
 * comment, ...), in PubMed's order. A table rather than a JSON column so that a notice's PMID is an indexed key:
 * "which stored studies does notice 195582 retract" is one index search, on any engine.
 */
export const study_notices = sqliteTable(
  'study_notices',
  {
    study_id: integer('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** PubMed RefType, e.g. RetractionIn (NOTICE_TYPES in evidence/study-record.ts). */
    type: text('type').notNull(),
    pmid: text('pmid'),
    ref_source: text('ref_source'),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.study_id, t.position] }), index('study_notices_pmid_idx').on(t.pmid)],
);

export const claims = sqliteTable(
  'claims',
  {
    /** Internal integer key: a stable rowid for the search index. The public id is `id`. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    statement: text('statement').notNull(),
    /** Plain-language summary; null when none has been written. */
    plain_summary: text('plain_summary'),
    /** `curated` (written by a person), `generated` (composed by an importer from the fields), null with no summary. */
    plain_summary_source: text('plain_summary_source', { enum: ['curated', 'generated'] }),
    condition_id: integer('condition_id').references(() => conditions.id, { onDelete: 'restrict' }),
    outcome: text('outcome'),
    direction: text('direction').notNull(),
    /** The biomarker or population the claim is about, e.g. "BRAF V600E" (CIViC gene + variant). */
    biomarker: text('biomarker'),
    /** CIViC's evidence type in lower case (predictive, diagnostic, prognostic, predisposing, oncogenic, functional). */
    evidence_type: text('evidence_type'),
    /** How several interventions were given: combination, sequential, substitutes; null with one, or unrecorded. */
    intervention_relation: text('intervention_relation', { enum: ['combination', 'sequential', 'substitutes'] }),
    /** Somatic, germline, ... (CIViC variant origin, normalised across its renames). */
    variant_origin: text('variant_origin'),
    /** ClinicalTrials.gov ids of the trials behind the evidence. */
    nct_ids: text('nct_ids', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    grade_scheme: text('grade_scheme').notNull().default('GRADE'),
    grade_level: text('grade_level').notNull(),
    certainty: integer('certainty').notNull(),
    grade_rationale: text('grade_rationale'),
    /** Why a GRADE `high` claim without a randomised trial or systematic review was rated up (required then). */
    grade_upgrade_rationale: text('grade_upgrade_rationale'),
    /** A scheme's own rating where it has one (CIViC: 1-5 stars). */
    grade_rating: integer('grade_rating'),
    caveat_codes: text('caveat_codes', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    caveat_notes: text('caveat_notes'),
    status: text('status').notNull().default('published'),
    /**
     * Largest known sample size among the studies linked as `supports` (context and contradicting studies never lend
     * a claim their n), kept in step by the writers; null when none is known.
     */
    sample_size: integer('sample_size'),
    /** Provenance: `curated` for claims written here; `civic` (with its evidence id, URL and release) for imports. */
    source: text('source').notNull().default('curated'),
    source_id: text('source_id'),
    source_url: text('source_url'),
    source_release: text('source_release'),
    imported_at: text('imported_at'),
    /** The source's own record of the item: CIViC's evidence direction and clinical significance as written. */
    source_evidence_direction: text('source_evidence_direction'),
    source_significance: text('source_significance'),
    /** When the source last reviewed the item (CIViC last_review_date), ISO 8601. */
    source_reviewed_at: text('source_reviewed_at'),
    /**
     * Order within one certainty level, as one ascending string: rating, strongest design, sample size, newest
     * publication, id (claimRankKeySql in resources/claims/claims.rank.ts). Kept in step by the writers.
     */
    rank_key: text('rank_key').notNull().default(''),
    // Retracted evidence and the review it calls for (resources/claims/claims.retractions.ts keeps them in step).
    /** 1 when a linked study is retracted: what `has_retracted_evidence` filters on. */
    has_retracted_evidence: integer('has_retracted_evidence', { mode: 'boolean' }).notNull().default(false),
    /** Why the claim awaits a curator's review (`retracted_evidence`); null when it does not. */
    review_reason: text('review_reason'),
    review_requested_at: text('review_requested_at'),
    reviewed_at: text('reviewed_at'),
    reviewed_by: text('reviewed_by'),
    review_note: text('review_note'),
    // Evidence depth (issue 16): the GRADE domain judgements behind `grade_level`, and an explicit override.
    /** GRADE domain judgements (risk of bias ... plausible confounding); null when not assessed by domain. */
    grade_domains: text('grade_domains', { mode: 'json' }).$type<GradeDomains>(),
    /** What supporting systematic reviews pool (`randomised` or `observational`); null when unknown. */
    grade_synthesis_of: text('grade_synthesis_of'),
    /** Why the level differs from what the domains give; null when it does not. */
    grade_override_reason: text('grade_override_reason'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('claims_id_uq').on(t.id),
    // `has_retracted_evidence=true` is a short range, read in the default order (strongest first).
    index('claims_retracted_evidence_idx').on(t.has_retracted_evidence, t.status, sql`${t.certainty} DESC`, t.rank_key),
    uniqueIndex('claims_source_uq').on(t.source, t.source_id),
    // In exactly the ORDER BY of each sort (descending key, then a unique tie-break), so a page is read off the
    // index in order instead of sorting every claim that ties on the first key.
    index('claims_status_certainty_idx').on(t.status, sql`${t.certainty} DESC`, t.rank_key),
    index('claims_status_updated_idx').on(t.status, sql`${t.updated_at} DESC`, t.id),
    index('claims_status_sample_idx').on(t.status, sql`coalesce(${t.sample_size}, -1) DESC`, t.id),
    index('claims_condition_idx').on(t.condition_id, t.status, sql`${t.certainty} DESC`, t.rank_key),
    index('claims_evidence_type_idx').on(t.evidence_type, t.status, sql`${t.certainty} DESC`, t.rank_key),
    index('claims_biomarker_idx').on(sql`${t.biomarker} COLLATE NOCASE`),
    index('claims_direction_idx').on(t.direction),
    index('claims_grade_idx').on(t.grade_level),
    index('claims_scheme_idx').on(t.grade_scheme, t.certainty),
    check('claims_certainty_range', sql`${t.certainty} BETWEEN 0 AND 4`),
  ],
);

export const claim_interventions = sqliteTable(
  'claim_interventions',
  {
    claim_id: text('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    intervention_id: integer('intervention_id')
      .notNull()
      .references(() => interventions.id, { onDelete: 'restrict' }),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.claim_id, t.intervention_id] }),
    index('claim_interventions_intervention_idx').on(t.intervention_id, t.claim_id),
  ],
);

export const claim_studies = sqliteTable(
  'claim_studies',
  {
    claim_id: text('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    study_id: integer('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'restrict' }),
    relation: text('relation').notNull(),
    finding: text('finding'),
    subgroup_sample_size: integer('subgroup_sample_size'),
    position: integer('position').notNull(),
    /** Evidence depth (issue 16): the effect estimates this study gives for the claim, with CIs and their source. */
    effect_estimates: text('effect_estimates', { mode: 'json' }).$type<EffectEstimate[]>().notNull().default(sql`'[]'`),
  },
  (t) => [
    primaryKey({ columns: [t.claim_id, t.study_id] }),
    index('claim_studies_study_idx').on(t.study_id, t.claim_id),
    check('claim_studies_subgroup_nonneg', sql`${t.subgroup_sample_size} IS NULL OR ${t.subgroup_sample_size} >= 0`),
  ],
);

/**
 * Items that agree or disagree with a claim (same biomarker, disease and interventions; CIViC items compared by
 * civicConcordance). Stored from each claim's side, so both directions exist; `other_id` has no foreign key because
 * an import writes a claim's links before the other claim of the pair.
 */
export const claim_relations = sqliteTable(
  'claim_relations',
  {
    claim_id: text('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    other_id: text('other_id').notNull(),
    relation: text('relation', { enum: ['agrees', 'disagrees'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.claim_id, t.other_id] }), index('claim_relations_other_idx').on(t.other_id)],
);

/**
 * What an importer last wrote into each field of an imported claim. A field whose stored value differs from it was
 * changed by a curator: the next import keeps the curator's value and lists the conflict. Bookkeeping, not part of
 * the claim a reader sees.
 */
export const claim_import_state = sqliteTable('claim_import_state', {
  claim_id: text('claim_id')
    .primaryKey()
    .references(() => claims.id, { onDelete: 'cascade' }),
  source_release: text('source_release'),
  imported_values: text('imported_values', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
});

// Evidence depth (issue 16): a claim's PICO, one row per claim that has one, in columns so the list filters are
// indexed lookups; age groups (a list) in a table of their own for the same reason.
export const claim_picos = sqliteTable(
  'claim_picos',
  {
    claim_id: text('claim_id')
      .primaryKey()
      .references(() => claims.id, { onDelete: 'cascade' }),
    population: text('population').notNull(),
    /** MeSH age groups in the curator's order, as written (the filter reads claim_pico_age_groups). */
    age_groups: text('age_groups', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    sex: text('sex'),
    setting: text('setting'),
    intervention: text('intervention').notNull(),
    comparator: text('comparator'),
    outcome: text('outcome').notNull(),
    outcome_code_system: text('outcome_code_system'),
    outcome_code: text('outcome_code'),
    outcome_code_display: text('outcome_code_display'),
    timeframe: text('timeframe'),
  },
  (t) => [
    index('claim_picos_sex_idx').on(t.sex, t.claim_id),
    index('claim_picos_setting_idx').on(t.setting, t.claim_id),
    index('claim_picos_outcome_code_idx').on(t.outcome_code_system, t.outcome_code, t.claim_id),
  ],
);

export const claim_pico_age_groups = sqliteTable(
  'claim_pico_age_groups',
  {
    claim_id: text('claim_id')
      .notNull()
      .references(() => claim_picos.claim_id, { onDelete: 'cascade' }),
    age_group: text('age_group').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.claim_id, t.age_group] }),
    index('claim_pico_age_groups_age_idx').on(t.age_group, t.claim_id),
  ],
);

export const topics = sqliteTable(
  'topics',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    question: text('question').notNull(),
    bottom_line: text('bottom_line').notNull(),
    evidence_summary: text('evidence_summary').notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('topics_slug_uq').on(t.slug)],
);

export const topic_claims = sqliteTable(
  'topic_claims',
  {
    topic_id: integer('topic_id')
      .notNull()
      .references(() => topics.id, { onDelete: 'cascade' }),
    claim_id: text('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'restrict' }),
    position: integer('position').notNull(),
    /** Evidence depth (issue 16): GRADE outcome importance of the claim to the topic's question; null = not rated. */
    importance: text('importance'),
  },
  (t) => [primaryKey({ columns: [t.topic_id, t.claim_id] }), index('topic_claims_claim_idx').on(t.claim_id)],
);

/** API keys for writes: only an HMAC of the key is stored; the key itself is shown once at creation. */
export const api_keys = sqliteTable(
  'api_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    scope: text('scope').notNull(),
    /** First characters of the key, to tell keys apart in listings without revealing them. */
    prefix: text('prefix').notNull(),
    key_hash: text('key_hash').notNull(),
    created_at: text('created_at').notNull().default(now),
    last_used_at: text('last_used_at'),
    revoked_at: text('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.key_hash)],
);

/**
 * One row per change to a curated resource, written in the same transaction as the change. The id orders the
 * change feed; `snapshot` is the resource as it was after the change, for reads pinned to the past.
 */
export const revisions = sqliteTable(
  'revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entity: text('entity').notNull(),
    entity_key: text('entity_key').notNull(),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    changes: text('changes').notNull(),
    snapshot: text('snapshot'),
    created_at: text('created_at').notNull().default(now),
  },
  (t) => [
    index('revisions_entity_idx').on(t.entity, t.entity_key, t.id),
    index('revisions_created_idx').on(t.created_at),
  ],
);
