// SQL for studies: filtered keyset pages in PMID order, a study by PMID, and the claims it bears on.

import type { GradeScheme } from '../../evidence/grades.js';
import type { StudyAuthor, StudyBibliography } from '../../evidence/study-record.js';
import { metadataStatus } from '../../evidence/summary.js';
import type { Species, StudyDesign, StudyRelation, StudySourceType } from '../../evidence/vocabulary.js';
import { decodeCursor, paginate } from '../../http/pagination.js';
import type { Reader, Transaction } from '../../store/client.js';
import { type FilterSql, whereClauses } from '../../store/filters.js';
import { prepared } from '../../store/statements.js';
import { sourceCitationOf } from '../claims/claims.queries.js';
import { refreshClaimDerived } from '../claims/claims.rank.js';
import type { WriteOutcome } from '../conditions/conditions.queries.js';
import type { StudyInput } from './studies.schemas.js';

export interface StudyRow {
  id: number;
  key: string;
  pmid: string | null;
  source_type: StudySourceType;
  source_id: string | null;
  abstract_number: string | null;
  source_url: string | null;
  citation_text: string | null;
  citation_text_source: string | null;
  pmid_order: number;
  doi: string | null;
  pmcid: string | null;
  title: string | null;
  authors: string;
  authors_complete: number;
  last_author: string | null;
  author_count: number | null;
  journal: string | null;
  journal_iso: string | null;
  year: number | null;
  month: number | null;
  day: number | null;
  date_text: string | null;
  volume: string | null;
  issue: string | null;
  pages: string | null;
  publication_types: string;
  design: StudyDesign | null;
  sample_size: number | null;
  sample_size_note: string | null;
  population: string | null;
  species: Species | null;
  retracted: number;
  created_at: string;
  updated_at: string;
}

// PMIDs are digits: ordering by their numeric value keeps 9-digit ids after 8-digit ones. Sources without a PMID
// come after every PubMed article, in the order they were added (the expression of studies_pmid_num_idx).
export const STUDY_ORDER = '(CASE WHEN s.pmid IS NULL THEN 1000000000 + s.id ELSE CAST(s.pmid AS INTEGER) END)';
const STUDY_SELECT = `SELECT s.*, ${STUDY_ORDER} AS pmid_order FROM studies s`;

export function toStudy(r: StudyRow) {
  const authors = JSON.parse(r.authors) as StudyAuthor[];
  return {
    key: r.key,
    pmid: r.pmid,
    source_type: r.source_type,
    source_id: r.source_id,
    abstract_number: r.abstract_number,
    source_url: r.source_url,
    source_citation: sourceCitationOf(r),
    doi: r.doi,
    pmcid: r.pmcid,
    title: r.title,
    authors,
    authors_complete: r.authors_complete === 1,
    last_author: r.last_author === null ? null : (JSON.parse(r.last_author) as StudyAuthor | null),
    author_count: r.author_count,
    journal: r.journal,
    journal_iso: r.journal_iso,
    year: r.year,
    month: r.month,
    day: r.day,
    date_text: r.date_text,
    volume: r.volume,
    issue: r.issue,
    pages: r.pages,
    publication_types: JSON.parse(r.publication_types) as string[],
    design: r.design,
    sample_size: r.sample_size,
    sample_size_note: r.sample_size_note,
    population: r.population,
    species: r.species,
    retracted: r.retracted === 1,
    metadata_status: metadataStatus({
      title: r.title,
      author_total: authors.length,
      authors_complete: r.authors_complete,
      journal: r.journal_iso ?? r.journal,
      year: r.year,
    }),
    pubmed_url: r.pmid === null ? null : `https://pubmed.ncbi.nlm.nih.gov/${r.pmid}/`,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

export interface StudyFilters {
  design?: string;
  min_sample_size?: number;
  year_from?: number;
  year_to?: number;
}

const STUDY_FILTER_SQL: FilterSql<StudyFilters> = {
  design: 's.design = @design',
  // Range filters read the PMID-ordered index and stop at a page (`+` keeps SQLite off the range index, which would
  // sort every study in the range); design, an equality, has an index in PMID order of its own.
  min_sample_size: '+s.sample_size >= @min_sample_size',
  year_from: '+s.year >= @year_from',
  year_to: '+s.year <= @year_to',
};

export async function listStudies(h: Reader, filters: StudyFilters, limit: number, cursor: string | undefined) {
  const sqlite = h.sqlite;
  const { where, params } = whereClauses(filters, STUDY_FILTER_SQL);
  params.limit = limit + 1;
  if (cursor !== undefined) {
    const [after] = decodeCursor(cursor, 'studies', 1);
    params.after = after;
    where.push(`${STUDY_ORDER} > @after`);
  }
  const sqlText = `${STUDY_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${STUDY_ORDER} LIMIT @limit`;
  const rows = prepared(sqlite, sqlText).all(params) as StudyRow[];
  const result = paginate(rows, limit, 'studies', (r) => [r.pmid_order]);
  return { items: result.items.map(toStudy), next_cursor: result.next_cursor };
}

/** A study by its key (a PMID is the key of a PubMed article). */
export async function getStudyRow(h: Reader, key: string): Promise<StudyRow | undefined> {
  const sqlite = h.sqlite;
  return prepared(sqlite, `${STUDY_SELECT} WHERE s.key = ?`).get(key) as StudyRow | undefined;
}

export async function getStudy(h: Reader, key: string) {
  const sqlite = h.sqlite;
  const row = await getStudyRow(h, key);
  if (!row) return undefined;
  const claims = prepared(
    sqlite,
    `SELECT c.id, c.statement, cs.relation, cs.finding, c.grade_scheme, c.grade_level, c.certainty, c.grade_rationale, c.grade_upgrade_rationale, c.grade_rating, c.status
     FROM claim_studies cs CROSS JOIN claims c ON c.id = cs.claim_id
     WHERE cs.study_id = ? ORDER BY c.certainty DESC, c.id`,
  ).all(row.id) as {
    id: string;
    statement: string;
    relation: StudyRelation;
    finding: string | null;
    grade_scheme: GradeScheme;
    grade_level: string;
    certainty: number;
    grade_rationale: string | null;
    grade_upgrade_rationale: string | null;
    grade_rating: number | null;
    status: string;
  }[];
  return {
    ...toStudy(row),
    claims: claims.map((c) => ({
      id: c.id,
      statement: c.statement,
      relation: c.relation,
      finding: c.finding,
      grade: {
        scheme: c.grade_scheme,
        level: c.grade_level,
        certainty: c.certainty,
        rationale: c.grade_rationale,
        upgrade_rationale: c.grade_upgrade_rationale,
        rating: c.grade_rating,
      },
      status: c.status,
    })),
  };
}

/** Columns a curated study write sets, in one place for the insert, the update and the change check. */
export const STUDY_WRITE_COLUMNS = [
  'doi',
  'pmcid',
  'title',
  'authors',
  'authors_complete',
  'last_author',
  'author_count',
  'journal',
  'journal_iso',
  'year',
  'month',
  'day',
  'date_text',
  'volume',
  'issue',
  'pages',
  'publication_types',
  'design',
  'design_source',
  'sample_size',
  'sample_size_note',
  'population',
  'species',
  'retracted',
] as const;

export function studyParams(input: StudyInput) {
  return {
    ...input,
    authors: JSON.stringify(input.authors),
    authors_complete: input.authors_complete ? 1 : 0,
    last_author: input.last_author === null ? null : JSON.stringify(input.last_author),
    publication_types: JSON.stringify(input.publication_types),
    design_source: input.design === null ? null : 'curated',
    retracted: input.retracted ? 1 : 0,
  };
}

const UPSERT_STUDY_SQL = `INSERT INTO studies (key, pmid, ${STUDY_WRITE_COLUMNS.join(', ')})
  VALUES (@key, @pmid, ${STUDY_WRITE_COLUMNS.map((c) => `@${c}`).join(', ')})
  ON CONFLICT (pmid) DO UPDATE SET ${STUDY_WRITE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')},
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  WHERE ${STUDY_WRITE_COLUMNS.map((c) => `${c} IS NOT excluded.${c}`).join(' OR ')}`;

/** Inserts or replaces a curated study (a PubMed article) by PMID; touches updated_at only when something changed. */
export async function upsertStudy(tx: Transaction, input: StudyInput): Promise<WriteOutcome> {
  const sqlite = tx.sqlite;
  const existed = prepared(sqlite, 'SELECT 1 FROM studies WHERE pmid = ?').get(input.pmid) !== undefined;
  const result = prepared(sqlite, UPSERT_STUDY_SQL).run({ ...studyParams(input), key: input.pmid });
  if (!existed) return 'inserted';
  return result.changes === 0 ? 'unchanged' : 'updated';
}

/** The citable part of a study: what the citation formatters read. */
export function bibliographyOf(s: ReturnType<typeof toStudy>): StudyBibliography {
  return {
    pmid: s.pmid ?? '',
    doi: s.doi,
    pmcid: s.pmcid,
    title: s.title,
    authors: s.authors,
    authors_complete: s.authors_complete,
    last_author: s.last_author,
    journal: s.journal,
    journal_iso: s.journal_iso,
    year: s.year,
    month: s.month,
    day: s.day,
    date_text: s.date_text,
    volume: s.volume,
    issue: s.issue,
    pages: s.pages,
    publication_types: s.publication_types,
  };
}

/**
 * The study as a curator would write it, for PATCH merges and history. Undefined for a source without a PMID: such
 * a record is the import's (studySnapshotOf gives its history).
 */
export async function studyInputOf(h: Reader, key: string): Promise<(StudyInput & { version: number }) | undefined> {
  const row = await getStudyRow(h, key);
  if (!row || row.pmid === null) return undefined;
  const s = toStudy(row);
  return {
    ...bibliographyOf(s),
    author_count: s.author_count,
    design: s.design,
    sample_size: s.sample_size,
    sample_size_note: s.sample_size_note,
    population: s.population,
    species: s.species,
    retracted: s.retracted,
    version: (row as StudyRow & { version: number }).version,
  };
}

/** What a revision keeps of a study: the curated shape, or for a source without a PMID its source fields too. */
export async function studySnapshotOf(h: Reader, key: string): Promise<Record<string, unknown> | undefined> {
  const row = await getStudyRow(h, key);
  if (!row) return undefined;
  const s = toStudy(row);
  const input = await studyInputOf(h, key);
  return {
    ...(input ?? { ...bibliographyOf(s), pmid: null, version: (row as StudyRow & { version: number }).version }),
    ...(row.pmid === null
      ? { key: s.key, source_type: s.source_type, source_id: s.source_id, abstract_number: s.abstract_number }
      : {}),
    ...(s.source_citation ? { source_citation: s.source_citation.text } : {}),
  };
}

/** Deletes a study no claim cites; returns the number of claims citing it otherwise. */
export async function deleteStudy(tx: Transaction, key: string): Promise<{ deleted: boolean; claims: number }> {
  const sqlite = tx.sqlite;
  const usage = prepared(
    sqlite,
    'SELECT s.id, (SELECT count(*) FROM claim_studies cs WHERE cs.study_id = s.id) AS claims FROM studies s WHERE s.key = ?',
  ).get(key) as { id: number; claims: number } | undefined;
  if (!usage) return { deleted: false, claims: 0 };
  if (usage.claims > 0) return { deleted: false, claims: usage.claims };
  prepared(sqlite, 'DELETE FROM studies WHERE id = ?').run(usage.id);
  return { deleted: true, claims: 0 };
}

/**
 * After a study changed: the claims citing it recompute their largest sample size and rank key (design, date).
 * Returns the ids of the claims whose stored row changed.
 */
export async function refreshStudyClaims(tx: Transaction, key: string): Promise<string[]> {
  return refreshClaimDerived(tx, await claimIdsCiting(tx, key));
}

/** The ids of the claims that cite a study. */
export async function claimIdsCiting(h: Reader, key: string): Promise<string[]> {
  return (
    prepared(
      h.sqlite,
      'SELECT cs.claim_id AS id FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE s.key = ? ORDER BY cs.claim_id',
    ).all(key) as { id: string }[]
  ).map((r) => r.id);
}
