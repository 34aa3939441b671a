// The PostgreSQL twin of src/store/schema.ts: the same tables, columns, keys, constraints and indexes, so every row
// type (`$inferSelect`) is the same on both engines (test/schema-parity.test.ts compares them). Documentation of
// each table and column lives in src/store/schema.ts; here only what differs on PostgreSQL is explained.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  pgTable,
  type text as pgText,
  primaryKey,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { EffectEstimate } from '../../evidence/effect-estimates.js';
import type { GradeDomains } from '../../evidence/grade-domains.js';
import { RETRACTION_SOURCES } from '../../evidence/retraction.js';
import type { RiskOfBias } from '../../evidence/risk-of-bias.js';
import { PUBLICATION_KINDS, type PubmedHistoryDate, type StudyAuthor } from '../../evidence/study-record.js';

/**
 * Text compared byte by byte (`COLLATE "C"`), as SQLite compares it: slugs, rank keys and cursors sort alike on
 * both engines whatever collation the database was created with (en_US would put "B" after "a"), and `LIKE 'x%'`
 * can use the index.
 */
const text = customType<{ data: string; driverData: string; config: { enum?: readonly string[] } }>({
  dataType: () => 'text COLLATE "C"',
}) as unknown as typeof pgText;

/**
 * JSON kept as text, exactly the bytes SQLite keeps: jsonb would reorder keys and respace, and the API serves some
 * of these values as stored. No query looks inside them (lists filter through link tables such as
 * claim_pico_age_groups), so jsonb's operators would buy nothing.
 */
const jsonText = customType<{ data: unknown; driverData: string }>({
  dataType: () => 'text COLLATE "C"',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value),
});

// ISO-8601 UTC with milliseconds, the text SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', 'now') writes. The statement's
// time, not the transaction's: a write that waited for the commit lock is stamped after the one it waited for.
export const NOW_SQL = `to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const now = sql.raw(`(${NOW_SQL})`);
const timestamps = {
  created_at: text('created_at').notNull().default(now),
  updated_at: text('updated_at').notNull().default(now),
  version: integer('version').notNull().default(1),
};
const serialId = (name: string) => integer(name).primaryKey().generatedByDefaultAsIdentity();

export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const conditions = pgTable(
  'conditions',
  {
    id: serialId('id'),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    mesh_id: text('mesh_id'),
    doid: text('doid'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('conditions_slug_uq').on(t.slug),
    index('conditions_name_idx').on(t.name),
    index('conditions_doid_idx').on(t.doid),
  ],
);

export const condition_synonyms = pgTable(
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

export const condition_parents = pgTable(
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

export const condition_descendants = pgTable(
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

export const condition_codes = pgTable(
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

export const interventions = pgTable(
  'interventions',
  {
    id: serialId('id'),
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

export const intervention_synonyms = pgTable(
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

export const lookup_keys = pgTable(
  'lookup_keys',
  {
    entity: text('entity', { enum: ['condition', 'intervention'] }).notNull(),
    key: text('key').notNull(),
    entity_id: integer('entity_id').notNull(),
    exact: integer('exact').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.entity, t.key, t.entity_id] }),
    index('lookup_keys_entity_idx').on(t.entity, t.entity_id),
  ],
);

// The studies' list order (see src/store/schema.ts): a PMID has at most 9 digits (checked), so the cast never fails.
const studyOrder = (t: { pmid: unknown; id: unknown }) =>
  sql`(CASE WHEN ${t.pmid} IS NULL THEN 1000000000 + ${t.id} ELSE CAST(${t.pmid} AS INTEGER) END)`;

export const studies = pgTable(
  'studies',
  {
    id: serialId('id'),
    key: text('key').notNull(),
    pmid: text('pmid'),
    source_type: text('source_type', { enum: ['pubmed', 'asco', 'ash', 'other'] })
      .notNull()
      .default('pubmed'),
    source_id: text('source_id'),
    abstract_number: text('abstract_number'),
    source_url: text('source_url'),
    doi: text('doi'),
    pmcid: text('pmcid'),
    title: text('title'),
    authors: jsonText('authors').$type<StudyAuthor[]>().notNull().default(sql`'[]'`),
    authors_complete: boolean('authors_complete').notNull().default(false),
    last_author: jsonText('last_author').$type<StudyAuthor | null>(),
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
    publication_types: jsonText('publication_types').$type<string[]>().notNull().default(sql`'[]'`),
    mesh_terms: jsonText('mesh_terms').$type<string[]>().notNull().default(sql`'[]'`),
    abstract: text('abstract'),
    design: text('design'),
    design_source: text('design_source', { enum: ['curated', 'pubmed'] }),
    sample_size: integer('sample_size'),
    sample_size_note: text('sample_size_note'),
    population: text('population'),
    species: text('species'),
    retracted: boolean('retracted').notNull().default(false),
    citation_text: text('citation_text'),
    citation_text_source: text('citation_text_source'),
    journal_medline_ta: text('journal_medline_ta'),
    publication_kind: text('publication_kind', { enum: PUBLICATION_KINDS }),
    publication_status: text('publication_status'),
    article_date: text('article_date'),
    history: jsonText('history').$type<PubmedHistoryDate[]>().notNull().default(sql`'[]'`),
    elocation_id: text('elocation_id'),
    arxiv_id: text('arxiv_id'),
    bookshelf_id: text('bookshelf_id'),
    isbn: text('isbn'),
    editors: jsonText('editors').$type<StudyAuthor[]>().notNull().default(sql`'[]'`),
    publisher: text('publisher'),
    publisher_place: text('publisher_place'),
    edition: text('edition'),
    collection_title: text('collection_title'),
    retraction_source: text('retraction_source', { enum: RETRACTION_SOURCES }),
    retraction_notice_pmid: text('retraction_notice_pmid'),
    retraction_notice_citation: text('retraction_notice_citation'),
    deleted_by_pubmed: boolean('deleted_by_pubmed').notNull().default(false),
    deleted_by_pubmed_at: text('deleted_by_pubmed_at'),
    risk_of_bias: jsonText('risk_of_bias').$type<RiskOfBias[]>().notNull().default(sql`'[]'`),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('studies_key_uq').on(t.key),
    uniqueIndex('studies_pmid_uq').on(t.pmid),
    index('studies_retracted_idx').on(t.retracted, studyOrder(t)),
    index('studies_pmid_num_idx').on(studyOrder(t)),
    index('studies_design_idx').on(t.design, studyOrder(t)),
    index('studies_sample_size_idx').on(t.sample_size),
    index('studies_year_idx').on(t.year),
    // Start-up catch-up (unmarkedRetractedPmids): only studies stored as "Retracted Publication" but not marked
    // retracted are in it, so every start reads O(those rows), none on a database written since issue 9.
    index('studies_unmarked_retraction_idx')
      .on(t.pmid)
      .where(
        sql`${t.retracted} = FALSE AND ${t.pmid} IS NOT NULL AND ${t.publication_types} LIKE '%"Retracted Publication"%'`,
      ),
    // SQLite's GLOB '*[^0-9]*' as a regular expression.
    check('studies_pmid_digits', sql`${t.pmid} IS NULL OR ${t.pmid} ~ '^[0-9]{1,9}$'`),
    check(
      'studies_key_source',
      sql`(${t.source_type} = 'pubmed' AND ${t.pmid} IS NOT NULL AND ${t.key} = ${t.pmid}) OR (${t.source_type} <> 'pubmed' AND ${t.pmid} IS NULL AND ${t.key} LIKE ${t.source_type} || ':%')`,
    ),
    check('studies_sample_size_nonneg', sql`${t.sample_size} IS NULL OR ${t.sample_size} >= 0`),
  ],
);

export const study_notices = pgTable(
  'study_notices',
  {
    study_id: integer('study_id')
      .notNull()
      .references(() => studies.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    type: text('type').notNull(),
    pmid: text('pmid'),
    ref_source: text('ref_source'),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.study_id, t.position] }), index('study_notices_pmid_idx').on(t.pmid)],
);

export const claims = pgTable(
  'claims',
  {
    seq: serialId('seq'),
    id: text('id').notNull(),
    statement: text('statement').notNull(),
    plain_summary: text('plain_summary'),
    plain_summary_source: text('plain_summary_source', { enum: ['curated', 'generated'] }),
    condition_id: integer('condition_id').references(() => conditions.id, { onDelete: 'restrict' }),
    outcome: text('outcome'),
    direction: text('direction').notNull(),
    biomarker: text('biomarker'),
    evidence_type: text('evidence_type'),
    intervention_relation: text('intervention_relation', { enum: ['combination', 'sequential', 'substitutes'] }),
    variant_origin: text('variant_origin'),
    nct_ids: jsonText('nct_ids').$type<string[]>().notNull().default(sql`'[]'`),
    grade_scheme: text('grade_scheme').notNull().default('GRADE'),
    grade_level: text('grade_level').notNull(),
    certainty: integer('certainty').notNull(),
    grade_rationale: text('grade_rationale'),
    grade_upgrade_rationale: text('grade_upgrade_rationale'),
    grade_rating: integer('grade_rating'),
    caveat_codes: jsonText('caveat_codes').$type<string[]>().notNull().default(sql`'[]'`),
    caveat_notes: text('caveat_notes'),
    status: text('status').notNull().default('published'),
    sample_size: integer('sample_size'),
    source: text('source').notNull().default('curated'),
    source_id: text('source_id'),
    source_url: text('source_url'),
    source_release: text('source_release'),
    imported_at: text('imported_at'),
    source_evidence_direction: text('source_evidence_direction'),
    source_significance: text('source_significance'),
    source_reviewed_at: text('source_reviewed_at'),
    rank_key: text('rank_key').notNull().default(''),
    has_retracted_evidence: boolean('has_retracted_evidence').notNull().default(false),
    review_reason: text('review_reason'),
    review_requested_at: text('review_requested_at'),
    reviewed_at: text('reviewed_at'),
    reviewed_by: text('reviewed_by'),
    review_note: text('review_note'),
    grade_domains: jsonText('grade_domains').$type<GradeDomains>(),
    grade_synthesis_of: text('grade_synthesis_of'),
    grade_override_reason: text('grade_override_reason'),
    ...timestamps,
  },
  (t) => [
    // A constraint, not only an index: four tables' foreign keys reference claims.id, and drizzle-kit creates foreign
    // keys before indexes (PostgreSQL needs the unique constraint first). Its index has the same name as SQLite's.
    unique('claims_id_uq').on(t.id),
    index('claims_retracted_evidence_idx').on(t.has_retracted_evidence, t.status, sql`${t.certainty} DESC`, t.rank_key),
    uniqueIndex('claims_source_uq').on(t.source, t.source_id),
    index('claims_status_certainty_idx').on(t.status, sql`${t.certainty} DESC`, t.rank_key),
    index('claims_status_updated_idx').on(t.status, sql`${t.updated_at} DESC`, t.id),
    index('claims_status_sample_idx').on(t.status, sql`coalesce(${t.sample_size}, -1) DESC`, t.id),
    index('claims_condition_idx').on(t.condition_id, t.status, sql`${t.certainty} DESC`, t.rank_key),
    index('claims_evidence_type_idx').on(t.evidence_type, t.status, sql`${t.certainty} DESC`, t.rank_key),
    // SQLite's COLLATE NOCASE (ASCII case folding): lower() under the C collation folds ASCII only, like NOCASE.
    index('claims_biomarker_idx').on(sql`lower(${t.biomarker})`),
    index('claims_direction_idx').on(t.direction),
    index('claims_grade_idx').on(t.grade_level),
    index('claims_scheme_idx').on(t.grade_scheme, t.certainty),
    check('claims_certainty_range', sql`${t.certainty} BETWEEN 0 AND 4`),
  ],
);

export const claim_interventions = pgTable(
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

export const claim_studies = pgTable(
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
    effect_estimates: jsonText('effect_estimates').$type<EffectEstimate[]>().notNull().default(sql`'[]'`),
  },
  (t) => [
    primaryKey({ columns: [t.claim_id, t.study_id] }),
    index('claim_studies_study_idx').on(t.study_id, t.claim_id),
    check('claim_studies_subgroup_nonneg', sql`${t.subgroup_sample_size} IS NULL OR ${t.subgroup_sample_size} >= 0`),
  ],
);

export const claim_relations = pgTable(
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

export const claim_import_state = pgTable('claim_import_state', {
  claim_id: text('claim_id')
    .primaryKey()
    .references(() => claims.id, { onDelete: 'cascade' }),
  source_release: text('source_release'),
  imported_values: jsonText('imported_values').$type<Record<string, unknown>>().notNull(),
});

export const claim_picos = pgTable(
  'claim_picos',
  {
    claim_id: text('claim_id')
      .primaryKey()
      .references(() => claims.id, { onDelete: 'cascade' }),
    population: text('population').notNull(),
    age_groups: jsonText('age_groups').$type<string[]>().notNull().default(sql`'[]'`),
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

export const claim_pico_age_groups = pgTable(
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

export const topics = pgTable(
  'topics',
  {
    id: serialId('id'),
    slug: text('slug').notNull(),
    question: text('question').notNull(),
    bottom_line: text('bottom_line').notNull(),
    evidence_summary: text('evidence_summary').notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('topics_slug_uq').on(t.slug)],
);

export const topic_claims = pgTable(
  'topic_claims',
  {
    topic_id: integer('topic_id')
      .notNull()
      .references(() => topics.id, { onDelete: 'cascade' }),
    claim_id: text('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'restrict' }),
    position: integer('position').notNull(),
    importance: text('importance'),
  },
  (t) => [primaryKey({ columns: [t.topic_id, t.claim_id] }), index('topic_claims_claim_idx').on(t.claim_id)],
);

export const api_keys = pgTable(
  'api_keys',
  {
    id: serialId('id'),
    name: text('name').notNull(),
    scope: text('scope').notNull(),
    prefix: text('prefix').notNull(),
    key_hash: text('key_hash').notNull(),
    created_at: text('created_at').notNull().default(now),
    last_used_at: text('last_used_at'),
    revoked_at: text('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.key_hash)],
);

export const revisions = pgTable(
  'revisions',
  {
    id: serialId('id'),
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
