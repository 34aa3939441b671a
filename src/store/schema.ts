// Every table of the evidence database: conditions, interventions, studies, claims, topics and their links.
import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { RETRACTION_SOURCES } from '../evidence/retraction.js';
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
    doid: text('doid'),
    parent_id: integer('parent_id').references((): AnySQLiteColumn => conditions.id, {
      onDelete: 'restrict',
    }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('conditions_slug_uq').on(t.slug),
    index('conditions_parent_idx').on(t.parent_id),
    index('conditions_name_idx').on(t.name),
  ],
);

export const condition_synonyms = sqliteTable(
  'condition_synonyms',
  {
    condition_id: integer('condition_id')
      .notNull()
      .references(() => conditions.id, { onDelete: 'cascade' }),
    synonym: text('synonym').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.condition_id, t.synonym] })],
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
    pmid: text('pmid').notNull(),
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
    ...timestamps,
  },
  (t) => [
    uniqueIndex('studies_pmid_uq').on(t.pmid),
    // `?retracted=` in PMID order: the few retracted studies are one index range, read in the order of the list.
    index('studies_retracted_idx').on(t.retracted, sql`CAST(${t.pmid} AS INTEGER)`),
    index('studies_pmid_num_idx').on(sql`CAST(${t.pmid} AS INTEGER)`),
    index('studies_design_idx').on(t.design, sql`CAST(${t.pmid} AS INTEGER)`),
    index('studies_sample_size_idx').on(t.sample_size),
    index('studies_year_idx').on(t.year),
    check('studies_pmid_digits', sql`${t.pmid} NOT GLOB '*[^0-9]*' AND length(${t.pmid}) BETWEEN 1 AND 9`),
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
    /** Plain-language summary; null when none has been written (imported evidence items have none). */
    plain_summary: text('plain_summary'),
    condition_id: integer('condition_id').references(() => conditions.id, { onDelete: 'restrict' }),
    outcome: text('outcome'),
    direction: text('direction').notNull(),
    /** The biomarker or population the claim is about, e.g. "BRAF V600E" (CIViC gene + variant). */
    biomarker: text('biomarker'),
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
    /** Largest known sample size among the linked studies, kept in step by the writers; null when none is known. */
    sample_size: integer('sample_size'),
    /** Provenance: `curated` for claims written here; `civic` (with its evidence id, URL and release) for imports. */
    source: text('source').notNull().default('curated'),
    source_id: text('source_id'),
    source_url: text('source_url'),
    source_release: text('source_release'),
    imported_at: text('imported_at'),
    // Retracted evidence and the review it calls for (resources/claims/claims.retractions.ts keeps them in step).
    /** 1 when a linked study is retracted: what `has_retracted_evidence` filters on. */
    has_retracted_evidence: integer('has_retracted_evidence', { mode: 'boolean' }).notNull().default(false),
    /** Why the claim awaits a curator's review (`retracted_evidence`); null when it does not. */
    review_reason: text('review_reason'),
    review_requested_at: text('review_requested_at'),
    reviewed_at: text('reviewed_at'),
    reviewed_by: text('reviewed_by'),
    review_note: text('review_note'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('claims_id_uq').on(t.id),
    // `has_retracted_evidence=true` is a short range, read in the default order (strongest first).
    index('claims_retracted_evidence_idx').on(t.has_retracted_evidence, t.status, sql`${t.certainty} DESC`, t.id),
    uniqueIndex('claims_source_uq').on(t.source, t.source_id),
    // In exactly the ORDER BY of each sort (descending key, then id), so a page is read off the index in order
    // instead of sorting every claim that ties on the first key.
    index('claims_status_certainty_idx').on(t.status, sql`${t.certainty} DESC`, t.id),
    index('claims_status_updated_idx').on(t.status, sql`${t.updated_at} DESC`, t.id),
    index('claims_status_sample_idx').on(t.status, sql`coalesce(${t.sample_size}, -1) DESC`, t.id),
    index('claims_condition_idx').on(t.condition_id, t.status, sql`${t.certainty} DESC`, t.id),
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
  },
  (t) => [
    primaryKey({ columns: [t.claim_id, t.study_id] }),
    index('claim_studies_study_idx').on(t.study_id, t.claim_id),
    check('claim_studies_subgroup_nonneg', sql`${t.subgroup_sample_size} IS NULL OR ${t.subgroup_sample_size} >= 0`),
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
