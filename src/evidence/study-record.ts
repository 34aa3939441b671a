// The bibliographic shape of a study, shared by the database layer, the PubMed importer and the citation formatters.
//
// Vocabulary: PubMed XML element names (PublicationStatus, ArticleDate, ELocationID, MedlineTA, CommentsCorrections
// RefType), MEDLINE tags where XML has no element, CSL variable names where PubMed has none (publisher_place).
// Every value is JSON (strings, numbers, booleans, arrays, plain objects). Unknown is null (or an empty list):
// nothing is ever guessed.

/** One author or editor in citation order. A group author (PubMed CollectiveName, MEDLINE CN) has only `collective` set. */
export interface StudyAuthor {
  /** Family name, e.g. "Gopalakrishnan"; null for a group author. */
  family: string | null;
  /** Given name(s) as PubMed's ForeName, e.g. "Vancheswaran"; null when only initials are known. */
  given: string | null;
  /** Initials without periods, e.g. "V" or "CN"; null when unknown. */
  initials: string | null;
  /** Group author name, e.g. "Human Microbiome Project Consortium"; null for a person. */
  collective: string | null;
  /**
   * Family-rank suffix as NLM records it: "Jr", "Sr", "2nd", "3rd", "4th", ... (older and publisher-supplied
   * records also "II", "III", "IV"). PubMed XML `<Suffix>`; MEDLINE AU/FAU trailing token. Absent or null: none.
   * Never a degree ("MD", "PhD"): NLM does not record degrees as suffixes.
   */
  suffix?: string | null;
}

export const STUDY_DESIGNS = [
  'meta_analysis',
  'systematic_review',
  'rct',
  'non_randomised_trial',
  'cohort',
  'case_control',
  'cross_sectional',
  'case_series',
  'case_report',
  'narrative_review',
  'animal',
  'in_vitro',
  'expert_opinion',
  'other',
] as const;
export type StudyDesign = (typeof STUDY_DESIGNS)[number];

/**
 * What the record is, as a citation style needs to know it (CSL item types: article-journal, article, book, chapter):
 * - journal_article: a PubmedArticle / MEDLINE journal record that is not a preprint;
 * - preprint: publication type "Preprint" (PubMed indexes arXiv, bioRxiv, medRxiv, Research Square, ...);
 * - book: a whole book (PubmedBookArticle without an ArticleTitle; MEDLINE BTI without TI, or PT "Book");
 * - chapter: a part of a book (PubmedBookArticle with an ArticleTitle; MEDLINE TI + BTI, or PT "Book Chapter").
 */
export const PUBLICATION_KINDS = ['journal_article', 'preprint', 'book', 'chapter'] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

/**
 * PubMed `CommentsCorrections@RefType` values (MEDLINE tag in brackets), the notices that change how a record may be
 * used or cited. Source: NLM fact sheet "Errata, Retractions, and Other Linked Citations in PubMed" and the
 * MEDLINE/PubMed Data Element (Field) Descriptions, "Comments/Corrections".
 */
export const NOTICE_TYPES = [
  'RetractionIn', // [RIN] the article is retracted by the linked notice
  'RetractionOf', // [ROF] this record is a retraction notice
  'PartialRetractionIn', // [PRIN]
  'PartialRetractionOf', // [PROF]
  'ExpressionOfConcernIn', // [ECI] shown, not acted on
  'ExpressionOfConcernFor', // [ECF]
  'ErratumIn', // [EIN]
  'ErratumFor', // [EFR]
  'CorrectedandRepublishedIn', // [CRI]
  'CorrectedandRepublishedFrom', // [CRF]
  'RetractedandRepublishedIn', // [RRI] the article was retracted and replaced by the linked version
  'RetractedandRepublishedFrom', // [RRF]
  'RepublishedIn', // [RPI]
  'RepublishedFrom', // [RPF]
  'UpdateIn', // [UIN]
  'UpdateOf', // [UOF]
  'CommentIn', // [CIN]
  'CommentOn', // [CON]
  'ReprintIn', // [RPRIN]
  'ReprintOf', // [RPRF]
  'SummaryForPatientsIn', // [SPIN]
  'OriginalReportIn', // [ORI]
] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** A link from the record to a related citation (PubMed `CommentsCorrections`, MEDLINE RIN/ROF/EIN/... lines). */
export interface RelatedNotice {
  /** PubMed RefType, e.g. "RetractionIn". */
  type: NoticeType;
  /** PMID of the linked citation, digits only; null when PubMed gives none (older links carry only RefSource). */
  pmid: string | null;
  /** NLM's short citation of the linked item (RefSource), e.g. "Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8". */
  ref_source: string | null;
  /** PubMed's Note on the link, e.g. "Whitely RJ [corrected to Whitley RJ]"; null when none. */
  note: string | null;
}

/** One PubMed History date (`PubMedPubDate`; MEDLINE PHST), e.g. { status: "aheadofprint", date: "2019-05-20" }. */
export interface PubmedHistoryDate {
  /** PubStatus as PubMed gives it: received, accepted, revised, aheadofprint, epublish, ppublish, ecollection, pubmed, medline, entrez, pmc, pmc-release, retracted, ... */
  status: string;
  /** ISO 8601 calendar date "YYYY-MM-DD", or "YYYY-MM" / "YYYY" when PubMed gives no day or month. */
  date: string;
}

/**
 * Bibliographic facts about one PubMed record. Every field that is not known is null (or an empty list).
 *
 * Fields marked optional (`?`) were added after studies were first stored: a reader treats an absent field exactly as
 * null (unknown), so rows written before the database kept them still cite correctly. The PubMed parser always
 * fills every field (`Required<StudyBibliography>`).
 */
export interface StudyBibliography {
  /** Digits only, e.g. "29097493". */
  pmid: string;
  /** Bare DOI, e.g. "10.1126/science.aan4236" (no "doi:" or resolver prefix). */
  doi: string | null;
  /** With the "PMC" prefix, e.g. "PMC5827966". */
  pmcid: string | null;
  /** Whole title text, inline markup flattened. For a whole book, the book's title. */
  title: string | null;
  /** Authors in citation order. May be only the first few: see authors_complete. Never includes ValidYN="N" names. */
  authors: StudyAuthor[];
  /** True when `authors` is the full author list; false when only the first few are known (AuthorList CompleteYN="N"). */
  authors_complete: boolean;
  /** The last author when the list is incomplete and the last author is known separately; otherwise null. */
  last_author: StudyAuthor | null;
  /**
   * Full title of the container: the journal's NLM catalogue title (Journal/Title, MEDLINE JT, e.g.
   * "Arthritis & rheumatology (Hoboken, N.J.)"), or for a chapter the book's title (BookTitle, MEDLINE BTI).
   * Null for a whole book.
   */
  journal: string | null;
  /** ISO 4 abbreviation as PubMed gives it (Journal/ISOAbbreviation), e.g. "Clin Dermatol" or older "Osteoarthr. Cartil.". */
  journal_iso: string | null;
  /**
   * Issue date (JournalIssue/PubDate; MEDLINE DP; a book's PubDate). For an ahead-of-print record PubMed puts the
   * electronic date here. Year, month 1-12 and day 1-31 as numbers; see date_text for dates that are not plain.
   */
  year: number | null;
  /** 1-12 when known. */
  month: number | null;
  /** 1-31 when known. */
  day: number | null;
  /** Season ("Spring") or the raw MedlineDate text when the date is not a plain year/month/day. */
  date_text: string | null;
  /** Journal volume, or a book's volume. */
  volume: string | null;
  issue: string | null;
  /** As PubMed gives it (MedlinePgn: NLM-elided "207-14", full "1865-1876", or an article number "e0216835"). */
  pages: string | null;
  publication_types: string[];

  /** NLM title abbreviation (MedlineJournalInfo/MedlineTA, MEDLINE TA), e.g. "Osteoarthritis Cartilage": what Vancouver and AMA print. */
  journal_medline_ta?: string | null;
  /** See PublicationKind; absent or null is read as a journal article. */
  publication_kind?: PublicationKind | null;
  /**
   * PubMed PublicationStatus (MEDLINE PST): "ppublish" (in a print/issue), "epublish" (electronic only, final),
   * "aheadofprint" (online before its issue). Preprints carry PubMed's own value (usually "epublish"); that they
   * are preprints is `publication_kind`.
   */
  publication_status?: string | null;
  /** Electronic publication date, ISO "YYYY-MM-DD" (ArticleDate DateType="Electronic", MEDLINE DEP). */
  article_date?: string | null;
  /** PubMed History dates in the order given (received, accepted, aheadofprint, pubmed, ...). */
  history?: PubmedHistoryDate[];
  /**
   * The article's electronic locator when PubMed gives one (ELocationID EIdType="pii", MEDLINE LID "... [pii]"):
   * an article number ("EWLS"), a publisher item id ("S1063-4584(19)30981-1") or a preprint id
   * ("arXiv:2304.02112v2"). Cited in place of pages when there are none.
   */
  elocation_id?: string | null;
  /** arXiv identifier without prefix, e.g. "2304.02112v2", when the record is an arXiv preprint. */
  arxiv_id?: string | null;
  /** NCBI Bookshelf accession (ArticleId IdType="bookaccession", MEDLINE AID "[bookaccession]"), e.g. "NBK1826". */
  bookshelf_id?: string | null;
  /** ISBN as printed in the record (Book/Isbn, MEDLINE ISBN); the first when there are several. */
  isbn?: string | null;
  /** Book editors in order (AuthorList Type="editors", MEDLINE FED/ED). */
  editors?: StudyAuthor[];
  /** Book publisher (Book/Publisher/PublisherName, MEDLINE PB). */
  publisher?: string | null;
  /** Book publisher's place (Book/Publisher/PublisherLocation, MEDLINE PL on a book record), e.g. "Bethesda (MD)". */
  publisher_place?: string | null;
  /** Book edition as printed (Book/Edition, MEDLINE EN), e.g. "2nd". */
  edition?: string | null;
  /** Series the book belongs to (Book/CollectionTitle, MEDLINE CTI), e.g. "GeneReviews®". */
  collection_title?: string | null;
  /** Links to retraction, erratum, expression-of-concern and other notices, in PubMed's order. */
  notices?: RelatedNotice[];
  /**
   * True when PubMed marks the record retracted: publication type "Retracted Publication" or a RetractionIn (or
   * RetractedandRepublishedIn) link.
   * A curator may also set it. An expression of concern or a partial retraction does not set it.
   */
  retracted?: boolean;
  /**
   * Who cited the study and how, for a record cited from that source's own citation string: a PubMed article whose
   * record is not imported yet, or a source without a PMID (a meeting abstract). Absent or null: an ordinary record.
   */
  cited_source?: CitedSource | null;
}

/** A study as a source that cited it (CIViC) knows it: its key, source type and citation string. */
export interface CitedSource {
  /** The study key: the PMID, or "asco:160900", "ash:<DOI>", "other:<type>:<id>". */
  key: string;
  source_type: 'pubmed' | 'asco' | 'ash' | 'other';
  /** ASCO web id, ASH DOI, or another type's id; null for a PubMed article. */
  source_id: string | null;
  /** ASCO abstract number within its meeting. */
  abstract_number: string | null;
  url: string | null;
  /** The citation string exactly as the citing source wrote it, and who wrote it ("CIViC"); null when none. */
  citation: { text: string; source: string } | null;
}

/** Reads whether a record is retracted by PubMed's two signals and the stored flag. */
export function isRetracted(study: Pick<StudyBibliography, 'publication_types' | 'notices' | 'retracted'>): boolean {
  if (study.retracted === true) return true;
  if ((study.publication_types ?? []).some((t) => t.trim().toLowerCase() === 'retracted publication')) return true;
  return (study.notices ?? []).some((n) => n.type === 'RetractionIn' || n.type === 'RetractedandRepublishedIn');
}
