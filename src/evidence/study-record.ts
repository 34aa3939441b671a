// The bibliographic shape of a study, shared by the database layer, the PubMed importer and the citation formatters.

/** One author in citation order. A group author (PubMed CollectiveName) has only `collective` set. */
export interface StudyAuthor {
  /** Family name, e.g. "Gopalakrishnan"; null for a group author. */
  family: string | null;
  /** Given name(s) as PubMed's ForeName, e.g. "Vancheswaran"; null when only initials are known. */
  given: string | null;
  /** Initials without periods, e.g. "V" or "CN"; null when unknown. */
  initials: string | null;
  /** Group author name, e.g. "Human Microbiome Project Consortium"; null for a person. */
  collective: string | null;
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
 * Bibliographic facts about one PubMed record. Every field that is not known is null (or an empty list):
 * nothing is ever guessed.
 */
export interface StudyBibliography {
  /** Digits only, e.g. "29097493". */
  pmid: string;
  doi: string | null;
  /** With the "PMC" prefix, e.g. "PMC5827966". */
  pmcid: string | null;
  /** Whole title text, inline markup flattened. */
  title: string | null;
  /** Authors in citation order. May be only the first few: see authors_complete. */
  authors: StudyAuthor[];
  /** True when `authors` is the full author list; false when only the first few are known. */
  authors_complete: boolean;
  /** The last author when the list is incomplete and the last author is known separately; otherwise null. */
  last_author: StudyAuthor | null;
  /** Full journal title, e.g. "Science (New York, N.Y.)". */
  journal: string | null;
  /** NLM/ISO journal abbreviation, e.g. "Science" or "Clin Dermatol". */
  journal_iso: string | null;
  year: number | null;
  /** 1-12 when known. */
  month: number | null;
  day: number | null;
  /** Season ("Spring") or the raw MedlineDate text when the date is not a plain year/month/day. */
  date_text: string | null;
  volume: string | null;
  issue: string | null;
  /** As PubMed gives it (NLM-elided "207-14", full "1865-1876" or an e-locator "026002"). */
  pages: string | null;
  publication_types: string[];
}
