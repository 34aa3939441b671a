// SQL for the PubMed import: one upsert per record that merges PubMed's bibliography into a study by PMID.
import { mergeNotices, type RetractionSignals, retractionOf } from '../../evidence/retraction.js';
import { isRetracted } from '../../evidence/study-record.js';
import { asRelatedNotice, noticesByStudy, replaceNotices } from '../../resources/studies/studies.notices.js';
import type { Engine, Transaction } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { touch } from '../../store/lookup.queries.js';
import type { RowOf } from '../../store/rows.js';
import type { PubmedRecord } from './pubmed.parse.js';

export type ImportOutcome = 'inserted' | 'updated' | 'unchanged';

/** What the studies table accepts as a PMID (its CHECK constraint), without leading zeros that would fork a row. */
export const STORABLE_PMID = /^[1-9]\d{0,8}$/;

// Per column, the value an existing row ends up with: `excluded.*` is PubMed's, `studies.*` the stored one.
// Nothing PubMed lacks (null, empty list) ever erases a stored value. Portable SQL: a list is JSON text ('[]' when
// empty), and booleans are spelled TRUE/FALSE, which SQLite reads as 1/0.
const HAS_AUTHORS = "excluded.authors <> '[]'";
const HAS_COMPLETE_AUTHORS = `(${HAS_AUTHORS} AND excluded.authors_complete = TRUE)`;
const HAS_DATE =
  '(excluded.year IS NOT NULL OR excluded.month IS NOT NULL OR excluded.day IS NOT NULL OR excluded.date_text IS NOT NULL)';
const MAY_SET_DESIGN =
  "(excluded.design IS NOT NULL AND (@overwrite = 1 OR studies.design IS NULL OR studies.design_source IS NOT DISTINCT FROM 'pubmed'))";

const keepUnless = (condition: string, column: string): string =>
  `CASE WHEN ${condition} THEN excluded.${column} ELSE studies.${column} END`;
const coalesce = (column: string): string => `coalesce(excluded.${column}, studies.${column})`;
const nonEmptyList = (column: string): string => keepUnless(`excluded.${column} <> '[]'`, column);

const MERGED: Record<string, string> = {
  doi: coalesce('doi'),
  pmcid: coalesce('pmcid'),
  title: coalesce('title'),
  // A complete list from PubMed replaces whatever is stored; a truncated one replaces only a truncated one, and
  // then the separately known last author and author count stay (PubMed's truncated list does not give them).
  authors: keepUnless(`${HAS_COMPLETE_AUTHORS} OR (${HAS_AUTHORS} AND studies.authors_complete = FALSE)`, 'authors'),
  authors_complete: `CASE WHEN ${HAS_COMPLETE_AUTHORS} THEN TRUE ELSE studies.authors_complete END`,
  last_author: `CASE WHEN ${HAS_COMPLETE_AUTHORS} THEN NULL ELSE studies.last_author END`,
  author_count: keepUnless(HAS_COMPLETE_AUTHORS, 'author_count'),
  journal: coalesce('journal'),
  journal_iso: coalesce('journal_iso'),
  // The date is one fact in four columns: mixing PubMed's month with a stored season would describe no real date.
  year: keepUnless(HAS_DATE, 'year'),
  month: keepUnless(HAS_DATE, 'month'),
  day: keepUnless(HAS_DATE, 'day'),
  date_text: keepUnless(HAS_DATE, 'date_text'),
  volume: coalesce('volume'),
  issue: coalesce('issue'),
  pages: coalesce('pages'),
  publication_types: nonEmptyList('publication_types'),
  mesh_terms: nonEmptyList('mesh_terms'),
  abstract: coalesce('abstract'),
  design: keepUnless(MAY_SET_DESIGN, 'design'),
  design_source: `CASE WHEN ${MAY_SET_DESIGN} THEN 'pubmed' ELSE studies.design_source END`,
  // What the record is, its dates, identifiers and book fields: PubMed refreshes what it gives.
  journal_medline_ta: coalesce('journal_medline_ta'),
  publication_kind: coalesce('publication_kind'),
  publication_status: coalesce('publication_status'),
  article_date: coalesce('article_date'),
  history: nonEmptyList('history'),
  elocation_id: coalesce('elocation_id'),
  arxiv_id: coalesce('arxiv_id'),
  bookshelf_id: coalesce('bookshelf_id'),
  isbn: coalesce('isbn'),
  editors: nonEmptyList('editors'),
  publisher: coalesce('publisher'),
  publisher_place: coalesce('publisher_place'),
  edition: coalesce('edition'),
  collection_title: coalesce('collection_title'),
  // A retraction never lapses: a record without PubMed's signal is older than one with it (see mergeNotices).
  retracted: '(excluded.retracted OR studies.retracted)',
};

const MERGES = Object.entries(MERGED);

// A PubMed article's study key is its PMID.
const upsertSql = (engine: Engine) => `INSERT INTO studies (key, pmid, ${MERGES.map(([c]) => c).join(', ')})
  VALUES (@pmid, @pmid, ${MERGES.map(([c]) => `@${c}`).join(', ')})
  ON CONFLICT (pmid) DO UPDATE SET ${MERGES.map(([c, merged]) => `${c} = ${merged}`).join(', ')},
    updated_at = ${dialectOf({ engine }).now}
  WHERE ${MERGES.map(([c, merged]) => `(${merged}) IS DISTINCT FROM studies.${c}`).join(' OR ')}`;
const UPSERT_SQL = { sqlite: upsertSql('sqlite'), postgres: upsertSql('postgres') };

/** The values a new study gets; on an existing one they are PubMed's side of the merge. */
function recordParams(record: PubmedRecord, overwrite: boolean) {
  // An empty author list is unknown, not "no authors": it is never marked complete.
  const complete = record.authors_complete && record.authors.length > 0;
  return {
    pmid: record.pmid,
    doi: record.doi,
    pmcid: record.pmcid,
    title: record.title,
    authors: JSON.stringify(record.authors),
    authors_complete: complete ? 1 : 0,
    // Only a truncated list needs a separate last author, and PubMed never gives one.
    last_author: null,
    author_count: complete ? record.authors.length : null,
    journal: record.journal,
    journal_iso: record.journal_iso,
    year: record.year,
    month: record.month,
    day: record.day,
    date_text: record.date_text,
    volume: record.volume,
    issue: record.issue,
    pages: record.pages,
    publication_types: JSON.stringify(record.publication_types),
    mesh_terms: JSON.stringify(record.mesh_terms),
    abstract: record.abstract,
    design: record.design,
    design_source: record.design === null ? null : 'pubmed',
    journal_medline_ta: record.journal_medline_ta,
    publication_kind: record.publication_kind,
    publication_status: record.publication_status,
    article_date: record.article_date,
    history: JSON.stringify(record.history),
    elocation_id: record.elocation_id,
    arxiv_id: record.arxiv_id,
    bookshelf_id: record.bookshelf_id,
    isbn: record.isbn,
    editors: JSON.stringify(record.editors),
    publisher: record.publisher,
    publisher_place: record.publisher_place,
    edition: record.edition,
    collection_title: record.collection_title,
    retracted: isRetracted(record) ? 1 : 0,
    overwrite: overwrite ? 1 : 0,
  };
}

/**
 * Merges one PubMed record into the study with its PMID ("curated values win"), inserting it when new. The PMID must
 * be storable (see STORABLE_PMID). Curation's write path calls this and records the revision.
 */
export async function mergePubmedStudy(
  tx: Transaction,
  record: PubmedRecord,
  overwrite: boolean,
): Promise<ImportOutcome> {
  const existed = (await tx.get('SELECT 1 FROM studies WHERE pmid = ?', [record.pmid])) !== undefined;
  const { changes } = await tx.run(UPSERT_SQL[tx.engine], recordParams(record, overwrite));
  const row = await tx.get<RowOf<'studies', 'id' | 'publication_types' | 'retracted'>>(
    'SELECT id, publication_types, retracted FROM studies WHERE pmid = ?',
    [record.pmid],
  );
  if (!row) throw new Error(`study ${record.pmid}: not found after its upsert`);
  const stored = ((await noticesByStudy(tx, [row.id])).get(row.id) ?? []).map(asRelatedNotice);
  const notices = mergeNotices(stored, record.notices);
  const noticesMoved = await replaceNotices(tx, row.id, notices, stored);
  const retractionMoved = await refreshRetraction(tx, row.id, {
    publication_types: JSON.parse(row.publication_types) as string[],
    notices,
    retracted: row.retracted === 1,
  });
  if (!existed) return 'inserted';
  if (changes === 0 && (noticesMoved || retractionMoved)) await touch(tx, 'studies', row.id);
  return changes === 0 && !noticesMoved && !retractionMoved ? 'unchanged' : 'updated';
}

/**
 * Keeps a study's retraction source and notice in step with its merged record: PubMed's signals (notice, then
 * type) when it has them, else what was stored (a curator's flag, or a signal a later record lacked). True when the
 * stored values changed.
 */
async function refreshRetraction(
  tx: Transaction,
  studyId: number,
  merged: Required<RetractionSignals>,
): Promise<boolean> {
  const fromPubmed = retractionOf({ publication_types: merged.publication_types, notices: merged.notices });
  // Retracted, but the merged record says nothing of it (a curator's flag, or a signal a later record lacked): kept.
  if (fromPubmed === null && merged.retracted) return false;
  const want = fromPubmed ?? { source: null, notice_pmid: null, notice_citation: null };
  return (
    (
      await tx.run(
        `UPDATE studies SET retraction_source = @source, retraction_notice_pmid = @notice_pmid,
         retraction_notice_citation = @notice_citation
       WHERE id = @id AND (retraction_source IS DISTINCT FROM @source OR retraction_notice_pmid IS DISTINCT FROM @notice_pmid
         OR retraction_notice_citation IS DISTINCT FROM @notice_citation)`,
        {
          id: studyId,
          source: want.source,
          notice_pmid: want.notice_pmid,
          notice_citation: want.notice_citation,
        },
      )
    ).changes > 0
  );
}

/** What a DeleteCitation did to a study: marked now, marked by an earlier import, or no such study here. */
export type DeletionOutcome = 'marked' | 'already_marked' | 'not_in_database';

/**
 * Marks the study with this PMID as deleted by PubMed (`<DeleteCitation>`), stamped `at` (ISO 8601 UTC). The row and
 * its links stay: claims keep citing it and show the mark. Never cleared by a later record for the PMID (PubMed does
 * not serve a deleted PMID again, so such a record comes from an older file).
 */
export async function markDeletedByPubmed(tx: Transaction, pmid: string, at: string): Promise<DeletionOutcome> {
  const row = await tx.get<RowOf<'studies', 'deleted_by_pubmed'>>(
    'SELECT deleted_by_pubmed FROM studies WHERE pmid = ?',
    [pmid],
  );
  if (!row) return 'not_in_database';
  if (row.deleted_by_pubmed === 1) return 'already_marked';
  await tx.run(
    `UPDATE studies SET deleted_by_pubmed = TRUE, deleted_by_pubmed_at = ?, updated_at = ${dialectOf(tx).now}
     WHERE pmid = ?`,
    [at, pmid],
  );
  return 'marked';
}
