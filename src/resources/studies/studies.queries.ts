// SQL for studies: filtered keyset pages in PMID order, a study by key (PMID or source key), and the claims it bears on.

import type { GradeScheme } from '../../evidence/grades.js';
import { type Retraction, retractionOf } from '../../evidence/retraction.js';
import { overallRiskOfBias, RISK_OF_BIAS_TOOL_SPECS, type RiskOfBias } from '../../evidence/risk-of-bias.js';
import type { PubmedHistoryDate, RelatedNotice, StudyAuthor, StudyBibliography } from '../../evidence/study-record.js';
import { metadataStatus } from '../../evidence/summary.js';
import type { Species, StudyDesign, StudyRelation } from '../../evidence/vocabulary.js';
import { decodeCursor, paginate } from '../../http/pagination.js';
import type { Reader, Transaction } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { moreOf } from '../../store/dialect-more.js';
import { type FilterSql, whereClauses } from '../../store/filters.js';
import { touch } from '../../store/lookup.queries.js';
import type { Narrow, Row, RowOf } from '../../store/rows.js';
import { sourceCitationOf } from '../claims/claims.queries.js';
import { refreshClaimDerived } from '../claims/claims.rank.js';
import type { WriteOutcome } from '../conditions/conditions.queries.js';
import {
  asRelatedNotice,
  noticeBacklinks,
  noticesByStudy,
  replaceNotices,
  type ShownNotice,
} from './studies.notices.js';
import type { StudyInput } from './studies.schemas.js';

/**
 * A study as STUDY_SELECT reads it: every column of studies (`s.*`), and its place in the list order. The vocabularies
 * of design and species are the ones the writes check (evidence/vocabulary.ts).
 */
export type StudyRow = Narrow<Row<'studies'>, { design: StudyDesign | null; species: Species | null }> & {
  /** STUDY_ORDER: the PMID's number, or 1000000000 + id for a source without one. */
  pmid_order: number;
};

/** A stored assessment as a reader sees it: the tool's name and what its algorithm gives for the domains. */
export function riskOfBiasView(a: RiskOfBias) {
  return { ...a, tool_name: RISK_OF_BIAS_TOOL_SPECS[a.tool].name, algorithm: overallRiskOfBias(a.tool, a.domains) };
}

/** Authors as the API shows them: `suffix` always present (rows stored before it was kept have none). */
const withSuffix = (a: StudyAuthor): Required<StudyAuthor> => ({ ...a, suffix: a.suffix ?? null });

// PMIDs are digits: ordering by their numeric value keeps 9-digit ids after 8-digit ones. Sources without a PMID
// come after every PubMed article, in the order they were added (the expression of studies_pmid_num_idx).
export const STUDY_ORDER = '(CASE WHEN s.pmid IS NULL THEN 1000000000 + s.id ELSE CAST(s.pmid AS INTEGER) END)';
const STUDY_SELECT = `SELECT s.*, ${STUDY_ORDER} AS pmid_order FROM studies s`;

/** The stored retraction, or null when the study is not retracted. */
function retractionOfRow(r: StudyRow): Retraction | null {
  if (r.retracted !== 1) return null;
  return {
    source: r.retraction_source ?? 'curator',
    notice_pmid: r.retraction_notice_pmid,
    notice_citation: r.retraction_notice_citation,
  };
}

/** A stored study as the API shows it; `notices` are its CommentsCorrections links (see noticesByStudy). */
export function toStudy(r: StudyRow, notices: readonly ShownNotice[] = []) {
  const authors = (JSON.parse(r.authors) as StudyAuthor[]).map(withSuffix);
  const last = r.last_author === null ? null : (JSON.parse(r.last_author) as StudyAuthor | null);
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
    last_author: last === null ? null : withSuffix(last),
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
    retraction: retractionOfRow(r),
    deleted_by_pubmed: r.deleted_by_pubmed === 1,
    deleted_by_pubmed_at: r.deleted_by_pubmed_at,
    journal_medline_ta: r.journal_medline_ta,
    publication_kind: r.publication_kind,
    publication_status: r.publication_status,
    article_date: r.article_date,
    history: JSON.parse(r.history) as PubmedHistoryDate[],
    elocation_id: r.elocation_id,
    arxiv_id: r.arxiv_id,
    bookshelf_id: r.bookshelf_id,
    isbn: r.isbn,
    editors: (JSON.parse(r.editors) as StudyAuthor[]).map(withSuffix),
    publisher: r.publisher,
    publisher_place: r.publisher_place,
    edition: r.edition,
    collection_title: r.collection_title,
    notices: [...notices],
    metadata_status: metadataStatus({
      title: r.title,
      author_total: authors.length,
      authors_complete: r.authors_complete,
      journal: r.journal_iso ?? r.journal,
      year: r.year,
    }),
    risk_of_bias: (JSON.parse(r.risk_of_bias) as RiskOfBias[]).map(riskOfBiasView),
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
  /** 1 or 0: retracted studies only, or none of them. */
  retracted?: number;
}

const STUDY_FILTER_SQL: FilterSql<StudyFilters> = {
  design: 's.design = @design',
  // Range filters read the PMID-ordered index and stop at a page (`+` keeps SQLite off the range index, which would
  // sort every study in the range); design, an equality, has an index in PMID order of its own.
  min_sample_size: '+s.sample_size >= @min_sample_size',
  year_from: '+s.year >= @year_from',
  year_to: '+s.year <= @year_to',
  // studies_retracted_idx holds each value's studies in PMID order: the page is read off it, never sorted.
  retracted: 's.retracted = @retracted',
};

/** Stored rows as the API shows them, with their notices: one more statement whatever the number of rows. */
export async function toStudies(h: Reader, rows: readonly StudyRow[]) {
  const notices = await noticesByStudy(
    h,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toStudy(r, notices.get(r.id)));
}

export async function listStudies(h: Reader, filters: StudyFilters, limit: number, cursor: string | undefined) {
  const { where, params } = whereClauses(filters, STUDY_FILTER_SQL);
  params.limit = limit + 1;
  if (cursor !== undefined) {
    const [after] = decodeCursor(cursor, 'studies', ['integer']);
    params.after = after;
    where.push(`${STUDY_ORDER} > @after`);
  }
  const sqlText = `${STUDY_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${STUDY_ORDER} LIMIT @limit`;
  const rows = await h.all<StudyRow>(sqlText, params);
  const result = paginate(rows, limit, 'studies', (r) => [r.pmid_order]);
  return { items: await toStudies(h, result.items), next_cursor: result.next_cursor };
}

/** A study by its key (a PMID is the key of a PubMed article). */
export async function getStudyRow(h: Reader, key: string): Promise<StudyRow | undefined> {
  return h.get<StudyRow>(`${STUDY_SELECT} WHERE s.key = ?`, [key]);
}

export async function getStudy(h: Reader, key: string) {
  const row = await getStudyRow(h, key);
  if (!row) return undefined;
  const claims = await h.all<
    Narrow<
      RowOf<
        'claims',
        | 'id'
        | 'statement'
        | 'grade_scheme'
        | 'grade_level'
        | 'certainty'
        | 'grade_rationale'
        | 'grade_upgrade_rationale'
        | 'grade_rating'
        | 'status'
      > &
        RowOf<'claim_studies', 'relation' | 'finding'>,
      { relation: StudyRelation; grade_scheme: GradeScheme }
    >
  >(
    moreOf(
      h,
    ).hints(`SELECT c.id, c.statement, cs.relation, cs.finding, c.grade_scheme, c.grade_level, c.certainty, c.grade_rationale, c.grade_upgrade_rationale, c.grade_rating, c.status
     FROM claim_studies cs CROSS JOIN claims c ON c.id = cs.claim_id
     WHERE cs.study_id = ? ORDER BY c.certainty DESC, c.id`),
    [row.id],
  );
  const [study] = await toStudies(h, [row]);
  return {
    ...(study as ReturnType<typeof toStudy>),
    // Notices name PMIDs: a source without one is never linked from another record.
    linked_from: row.pmid === null ? [] : await noticeBacklinks(h, row.pmid),
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
  // The record's kind, dates, identifiers and book fields, and where its retraction comes from (issue 9).
  'journal_medline_ta',
  'publication_kind',
  'publication_status',
  'article_date',
  'history',
  'elocation_id',
  'arxiv_id',
  'bookshelf_id',
  'isbn',
  'editors',
  'publisher',
  'publisher_place',
  'edition',
  'collection_title',
  'retraction_source',
  'retraction_notice_pmid',
  'retraction_notice_citation',
  // Evidence depth (issue 16).
  'risk_of_bias',
] as const;

export function studyParams(input: StudyInput) {
  // A curated study's retraction comes from its own record (notice, type) or, failing those, the curator's flag.
  const { notices: _notices, ...columns } = input;
  const retraction = retractionOf(input);
  return {
    ...columns,
    authors: JSON.stringify(input.authors),
    authors_complete: input.authors_complete ? 1 : 0,
    last_author: input.last_author === null ? null : JSON.stringify(input.last_author),
    publication_types: JSON.stringify(input.publication_types),
    design_source: input.design === null ? null : 'curated',
    retracted: retraction === null ? 0 : 1,
    history: JSON.stringify(input.history),
    editors: JSON.stringify(input.editors),
    retraction_source: retraction?.source ?? null,
    retraction_notice_pmid: retraction?.notice_pmid ?? null,
    retraction_notice_citation: retraction?.notice_citation ?? null,
    risk_of_bias: JSON.stringify(input.risk_of_bias),
  };
}

const upsertStudySql = (h: Reader) => `INSERT INTO studies (key, pmid, ${STUDY_WRITE_COLUMNS.join(', ')})
  VALUES (@key, @pmid, ${STUDY_WRITE_COLUMNS.map((c) => `@${c}`).join(', ')})
  ON CONFLICT (pmid) DO UPDATE SET ${STUDY_WRITE_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')},
    updated_at = ${dialectOf(h).now}
  WHERE ${STUDY_WRITE_COLUMNS.map((c) => `studies.${c} IS DISTINCT FROM excluded.${c}`).join(' OR ')}`;

/** Inserts or replaces a curated study (a PubMed article) by PMID; touches updated_at only when something changed. */
export async function upsertStudy(tx: Transaction, input: StudyInput): Promise<WriteOutcome> {
  const existed = (await tx.get('SELECT 1 FROM studies WHERE pmid = ?', [input.pmid])) !== undefined;
  const result = await tx.run(upsertStudySql(tx), { ...studyParams(input), key: input.pmid });
  const noticesMoved = await replaceStudyNotices(tx, input.pmid, input.notices);
  if (!existed) return 'inserted';
  if (result.changes === 0 && noticesMoved) await touch(tx, 'studies', await studyIdOf(tx, input.pmid));
  return result.changes === 0 && !noticesMoved ? 'unchanged' : 'updated';
}

const studyIdOf = async (h: Reader, pmid: string): Promise<number> => {
  const row = await h.get<RowOf<'studies', 'id'>>('SELECT id FROM studies WHERE pmid = ?', [pmid]);
  if (!row) throw new Error(`study ${pmid} does not exist`);
  return row.id;
};

/** Replaces the notices of the study with this PMID (which must exist); true when they changed. */
export async function replaceStudyNotices(
  tx: Transaction,
  pmid: string,
  notices: readonly RelatedNotice[],
): Promise<boolean> {
  return replaceNotices(tx, await studyIdOf(tx, pmid), notices.map(asRelatedNotice));
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
    journal_medline_ta: s.journal_medline_ta,
    publication_kind: s.publication_kind,
    publication_status: s.publication_status,
    article_date: s.article_date,
    history: s.history,
    elocation_id: s.elocation_id,
    arxiv_id: s.arxiv_id,
    bookshelf_id: s.bookshelf_id,
    isbn: s.isbn,
    editors: s.editors,
    publisher: s.publisher,
    publisher_place: s.publisher_place,
    edition: s.edition,
    collection_title: s.collection_title,
    notices: s.notices.map(asRelatedNotice),
    retracted: s.retracted,
  };
}

/** The curator-written part of a study shown by toStudy (a PubMed article: its PMID is set). */
function inputFrom(s: ReturnType<typeof toStudy>): StudyInput {
  const { retracted: _retracted, ...bibliography } = bibliographyOf(s);
  return {
    ...(bibliography as Required<Omit<StudyBibliography, 'retracted'>>),
    authors: s.authors,
    last_author: s.last_author,
    editors: s.editors,
    author_count: s.author_count,
    design: s.design,
    sample_size: s.sample_size,
    sample_size_note: s.sample_size_note,
    population: s.population,
    species: s.species,
    retracted: s.retracted,
    // The assessments as written: without the tool's name and algorithm a reader is shown.
    risk_of_bias: s.risk_of_bias.map(({ tool_name: _name, algorithm: _algorithm, ...a }) => a as RiskOfBias),
  };
}

async function shownStudy(h: Reader, key: string) {
  const row = await getStudyRow(h, key);
  if (!row) return undefined;
  const [study] = (await toStudies(h, [row])) as [ReturnType<typeof toStudy>];
  return { study, version: row.version };
}

/**
 * The study as a curator would write it, for PATCH merges. Undefined for a source without a PMID: such a record is
 * the import's (studySnapshotOf gives its history).
 */
export async function studyInputOf(h: Reader, key: string): Promise<(StudyInput & { version: number }) | undefined> {
  const shown = await shownStudy(h, key);
  if (!shown || shown.study.pmid === null) return undefined;
  return { ...inputFrom(shown.study), version: shown.version };
}

/**
 * The study as its revisions remember it: what a curator writes (for a source without a PMID, its bibliographic
 * part and source fields), plus what the service derives and a curator does not write (the source's citation string,
 * the retraction's source and notice, PubMed's deletion), so the change feed shows those changes too.
 */
export async function studySnapshotOf(h: Reader, key: string): Promise<Record<string, unknown> | undefined> {
  const shown = await shownStudy(h, key);
  if (!shown) return undefined;
  const s = shown.study;
  const { retraction, deleted_by_pubmed, deleted_by_pubmed_at } = s;
  return {
    ...(s.pmid === null
      ? {
          ...bibliographyOf(s),
          pmid: null,
          key: s.key,
          source_type: s.source_type,
          source_id: s.source_id,
          abstract_number: s.abstract_number,
        }
      : inputFrom(s)),
    ...(s.source_citation ? { source_citation: s.source_citation.text } : {}),
    retraction,
    deleted_by_pubmed,
    deleted_by_pubmed_at,
  };
}

/** Deletes a study no claim cites; returns the number of claims citing it otherwise. */
export async function deleteStudy(tx: Transaction, key: string): Promise<{ deleted: boolean; claims: number }> {
  const usage = await tx.get<RowOf<'studies', 'id'> & { claims: number }>(
    'SELECT s.id, (SELECT count(*) FROM claim_studies cs WHERE cs.study_id = s.id) AS claims FROM studies s WHERE s.key = ?',
    [key],
  );
  if (!usage) return { deleted: false, claims: 0 };
  if (usage.claims > 0) return { deleted: false, claims: usage.claims };
  await tx.run('DELETE FROM studies WHERE id = ?', [usage.id]);
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
    await h.all<{ id: Row<'claim_studies'>['claim_id'] }>(
      'SELECT cs.claim_id AS id FROM claim_studies cs JOIN studies s ON s.id = cs.study_id WHERE s.key = ? ORDER BY cs.claim_id',
      [key],
    )
  ).map((r) => r.id);
}

/**
 * PMIDs of studies stored with PubMed's publication type "Retracted Publication" but not marked retracted: rows an
 * import wrote before retractions acted (issue 9). Empty on any database written since. Runs at every start: its WHERE
 * is the partial index studies_unmarked_retraction_idx's own, word for word, so it reads only those rows (the LIKE
 * over every study's publication types took 7.5 s at 1,000,000 claims).
 */
export async function unmarkedRetractedPmids(h: Reader): Promise<string[]> {
  // INDEXED BY: without statistics SQLite prefers studies_retracted_idx, whose retracted = FALSE range is every study.
  const rows = await h.all<{ pmid: string }>(
    moreOf(h).hints(`SELECT pmid FROM studies INDEXED BY studies_unmarked_retraction_idx
     WHERE retracted = FALSE AND pmid IS NOT NULL AND publication_types LIKE '%"Retracted Publication"%'
     ORDER BY CAST(pmid AS INTEGER)`),
  );
  return rows.map((r) => r.pmid);
}

/** Marks one study retracted by its own publication type; false when it already was (or does not exist). */
export async function markRetractedByPublicationType(tx: Transaction, pmid: string): Promise<boolean> {
  const result = await tx.run(
    `UPDATE studies SET retracted = TRUE, retraction_source = 'publication_type',
       updated_at = ${dialectOf(tx).now} WHERE pmid = ? AND retracted = FALSE`,
    [pmid],
  );
  return result.changes > 0;
}

/**
 * Claims linking a retracted study that do not carry `has_retracted_evidence` yet. Runs at every start
 * (curation/prepare.ts), so it must drive from the few retracted studies: without statistics SQLite otherwise walks
 * every unflagged claim and, per claim, every retracted study (14 s at 100k claims). The unary `+` keeps the claims
 * index out of the choice (on SQLite: dialect-more.ts).
 */
export async function claimsMissingRetractionFlag(h: Reader): Promise<string[]> {
  const rows = await h.all<{ id: Row<'claim_studies'>['claim_id'] }>(
    `SELECT DISTINCT cs.claim_id AS id FROM studies s JOIN claim_studies cs ON cs.study_id = s.id
       JOIN claims c ON c.id = cs.claim_id
     WHERE s.retracted = TRUE AND ${moreOf(h).noIndex('c.has_retracted_evidence')} = FALSE ORDER BY cs.claim_id`,
  );
  return rows.map((r) => r.id);
}
