// CSL-JSON items (citation-style-language schema csl-data.json) for journal articles, preprints, books and chapters.

import {
  expandPageRange,
  exportTitle,
  givenOrInitials,
  INCOMPLETE_AUTHORS_TEXT,
  invertedName,
  journalName,
  type Name,
  NO_DETAILS_TEXT,
  type Study,
  statusNotes,
} from './bibliographic.js';

/** A CSL name: a person ({family, given, suffix}) or a group/literal name ({literal}). */
export interface CslName {
  family?: string;
  given?: string;
  suffix?: string;
  literal?: string;
}

/** A CSL date: `date-parts` holds one [year, month?, day?] array; `season`/`raw` carry non-plain dates. */
export interface CslDate {
  'date-parts'?: number[][];
  season?: string;
  raw?: string;
}

/** `paper-conference`: a meeting abstract cited from its source's string (source-citation.ts). */
export type CslType = 'article-journal' | 'article' | 'book' | 'chapter' | 'paper-conference';

/** The subset of the CSL-JSON item schema (csl-data.json, additionalProperties: false) that this module writes. */
export interface CslItem {
  type: CslType;
  /** "pmid:<PMID>": a string id that cannot collide with other id spaces and is a valid pandoc citation key. */
  id: string;
  title?: string;
  'container-title'?: string;
  'container-title-short'?: string;
  'collection-title'?: string;
  author?: CslName[];
  editor?: CslName[];
  issued?: CslDate;
  'available-date'?: CslDate;
  volume?: string;
  issue?: string;
  page?: string;
  number?: string;
  genre?: string;
  edition?: string;
  publisher?: string;
  'publisher-place'?: string;
  ISBN?: string;
  DOI?: string;
  PMID?: string;
  PMCID?: string;
  URL?: string;
  status?: string;
  note?: string;
}

/**
 * How an incomplete author list (PubMed CompleteYN="N") ends in CSL-JSON. CSL has no "the list goes on" marker, and
 * citeproc-js knows no `others` name; an "et al." given as a name of its own is a person to it (APA rendered
 * "Sinha, S. & et al."). So the list holds only the names known, and the last of them carries "et al." as its
 * suffix, the one place citeproc prints after a name in every style without a name delimiter or "&" before it:
 * APA "Sinha, S., et al." (as our APA text), NLM and AMA "Sinha S et al.". The separately known last author is named
 * in `note` (putting it last read as a complete list, issue 9), which also says the list is incomplete.
 */
export const CSL_ET_AL_SUFFIX = 'et al.';

function withEtAl(name: CslName): CslName {
  if (name.literal !== undefined) return { literal: `${name.literal} ${CSL_ET_AL_SUFFIX}` };
  return { ...name, suffix: name.suffix ? `${name.suffix}, ${CSL_ET_AL_SUFFIX}` : CSL_ET_AL_SUFFIX };
}

function cslName(n: Name): CslName {
  if (n.kind === 'group') return { literal: n.name };
  const given = givenOrInitials(n);
  if (!n.family) return { literal: given ?? '' };
  const name: CslName = given ? { family: n.family, given } : { family: n.family };
  if (n.suffix) name.suffix = n.suffix;
  return name;
}

const SEASONS = /^(spring|summer|fall|autumn|winter)$/i;

function cslIssued(s: Study): CslDate | undefined {
  const parts: number[] = [];
  if (s.year !== null) {
    parts.push(s.year);
    if (s.month !== null) {
      parts.push(s.month);
      if (s.day !== null) parts.push(s.day);
    }
  }
  const issued: CslDate = {};
  if (parts.length > 0) issued['date-parts'] = [parts];
  if (s.dateText) {
    if (SEASONS.test(s.dateText) && parts.length > 0) issued.season = s.dateText;
    else issued.raw = s.dateText; // MedlineDate such as "1998 Dec-1999 Jan": kept verbatim next to the year
  }
  return parts.length > 0 || s.dateText ? issued : undefined;
}

const TYPES: Record<Study['kind'], CslType> = {
  journal_article: 'article-journal',
  preprint: 'article',
  book: 'book',
  chapter: 'chapter',
};

/**
 * The study as one CSL-JSON item (csl-data.json; unknown fields omitted, never null). Types: article-journal,
 * article (a preprint: publisher = the server, number = its id, genre "Preprint"), book, chapter (container-title =
 * the book, editor, publisher, publisher-place). container-title = the journal's name, container-title-short = the
 * NLM abbreviation. page = full page range (styles apply their own page-range-format) or the e-locator.
 * status = "retracted" for a retracted record, "advance online publication" ahead of print (CSL 1.0.2 `status`).
 * note: the retraction and other notices, the incomplete author list.
 */
export function toCsl(s: Study): CslItem {
  const item: CslItem = { type: TYPES[s.kind], id: `pmid:${s.pmid}` };
  const title = exportTitle(s.title);
  if (title) item.title = title;
  if (s.kind === 'chapter') {
    if (s.journal) item['container-title'] = s.journal;
  } else if (s.kind === 'journal_article') {
    const journal = journalName(s) ?? s.journalIso ?? s.journalTa;
    if (journal) item['container-title'] = journal;
    const short = s.journalTa ?? s.journalIso;
    if (short) item['container-title-short'] = short;
  }
  if (s.collection) item['collection-title'] = s.collection;
  const names = s.authors.map(cslName);
  if (!s.complete && names.length > 0) names.push(withEtAl(names.pop() as CslName));
  if (names.length > 0) item.author = names;
  if (s.editors.length > 0) item.editor = s.editors.map(cslName);
  const issued = cslIssued(s);
  if (issued) item.issued = issued;
  if (s.onlineDate && (s.aheadOfPrint || s.kind === 'preprint')) {
    const d = s.onlineDate;
    item['available-date'] = { 'date-parts': [[d.year, ...(d.month ? [d.month, ...(d.day ? [d.day] : [])] : [])]] };
  }
  if (s.volume) item.volume = s.volume;
  if (s.issue) item.issue = s.issue;
  if (s.kind === 'preprint') {
    const server = s.journalTa ?? journalName(s);
    if (server) item.publisher = server;
    if (s.locator) item.number = s.locator;
    item.genre = 'Preprint';
  } else if (s.locator) {
    item.page = s.locatorIsElectronic ? s.locator : expandPageRange(s.locator, '-');
  }
  if (s.edition) item.edition = s.edition;
  if (s.publisher && s.kind !== 'preprint') item.publisher = s.publisher;
  if (s.place) item['publisher-place'] = s.place;
  if (s.isbn) item.ISBN = s.isbn;
  if (s.doi) item.DOI = s.doi;
  item.PMID = s.pmid;
  if (s.pmcid) item.PMCID = s.pmcid;
  item.URL = `https://pubmed.ncbi.nlm.nih.gov/${s.pmid}/`;
  if (s.retracted) item.status = 'retracted';
  else if (s.aheadOfPrint) item.status = 'advance online publication';
  const notes = statusNotes(s).filter((n) => n !== 'Retracted publication' || !item.status);
  if (!s.complete && (s.authors.length > 0 || s.hasDetails)) {
    const known = s.authors.length;
    notes.push(
      `${INCOMPLETE_AUTHORS_TEXT}: first ${known} author${known === 1 ? '' : 's'} listed${s.last ? `; last author: ${invertedName(s.last)}` : ''}`,
    );
  }
  if (!s.hasDetails) notes.push(NO_DETAILS_TEXT);
  if (notes.length > 0) item.note = notes.join('. ');
  return item;
}
