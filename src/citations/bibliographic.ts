// The citable study every format reads: the stored record cleaned once (names, dates, locator, kind, notices) plus the
// rules several styles share (page ranges, journal names, notice labels).

import {
  isRetracted,
  type NoticeType,
  type PublicationKind,
  type StudyAuthor,
  type StudyBibliography,
} from '../evidence/study-record.js';

export const NO_DETAILS_TEXT = 'Bibliographic details not yet available';
export const INCOMPLETE_AUTHORS_TEXT = 'Author list incomplete';

// ---------------------------------------------------------------------------------------------------------------
// Normalisation: every field below is either a clean, non-empty, single-line string (or finite number) or null.

export interface Person {
  kind: 'person';
  family: string | null;
  given: string | null;
  /** Initial letters, e.g. ["C", "N"]; derived from `given` when the record has no initials. */
  initials: string[];
  /** Family-rank suffix as stored ("Jr", "3rd", "III"), no trailing period. */
  suffix: string | null;
}
export interface Group {
  kind: 'group';
  name: string;
}
export type Name = Person | Group;

export interface Notice {
  type: NoticeType;
  pmid: string | null;
  refSource: string | null;
  /** "Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8", or "PMID 195582" when PubMed gives no RefSource. */
  text: string;
}

export interface CalendarDate {
  year: number;
  month: number | null;
  day: number | null;
}

export interface Study {
  pmid: string;
  doi: string | null;
  pmcid: string | null;
  title: string | null;
  authors: Name[];
  complete: boolean;
  last: Name | null;
  /** Full container title as stored (journal catalogue title, or the book of a chapter). */
  journal: string | null;
  journalIso: string | null;
  journalTa: string | null;
  year: number | null;
  month: number | null;
  day: number | null;
  dateText: string | null;
  volume: string | null;
  issue: string | null;
  pages: string | null;
  /** Page range as stored, else the e-locator (pii, article number, preprint id). */
  locator: string | null;
  /** True when `locator` is an e-locator rather than pages. */
  locatorIsElectronic: boolean;
  kind: PublicationKind;
  /** Published online ahead of its issue (PublicationStatus aheadofprint), with the date it went online when known. */
  aheadOfPrint: boolean;
  /** The electronic publication date: ArticleDate, else (ahead of print, preprint) the PubDate PubMed gives. */
  onlineDate: CalendarDate | null;
  editors: Name[];
  publisher: string | null;
  place: string | null;
  edition: string | null;
  collection: string | null;
  isbn: string | null;
  bookshelfId: string | null;
  arxivId: string | null;
  retracted: boolean;
  notices: Notice[];
  /** False when nothing but identifiers is known (a PMID-only record). */
  hasDetails: boolean;
}

/** Trims, turns line breaks into single spaces (every output format is line-based) and maps "" to null. */
export function clean(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const s = value.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
  return s === '' ? null : s;
}

function int(value: unknown, min: number, max: number): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

export const LETTER = /\p{L}/u;

/** Initial letters of a given name: "Jean-Pierre" → J, P; "Carrie N" → C, N; "JA" (initials stored as a name) → J, A. */
function initialsFromGiven(given: string): string[] {
  const out: string[] = [];
  for (const token of given.split(/\s+/)) {
    if (/^\p{Lu}{2,3}$/u.test(token)) out.push(...token);
    else
      for (const part of token.split('-')) {
        const letter = LETTER.exec(part)?.[0];
        if (letter && !/^\p{Ll}+$/u.test(part)) out.push(letter.toUpperCase()); // skip particles such as "de"
      }
  }
  return out;
}

function normaliseName(author: StudyAuthor | null | undefined): Name | null {
  if (!author) return null;
  const collective = clean(author.collective);
  if (collective) return { kind: 'group', name: collective }; // never split a group name into family/given
  const family = clean(author.family);
  const given = clean(author.given);
  const stored = clean(author.initials);
  const initials = stored ? [...stored].filter((c) => LETTER.test(c)) : given ? initialsFromGiven(given) : [];
  if (!family && !given && initials.length === 0) return null;
  const suffix = clean(author.suffix)?.replace(/\.$/, '') ?? null;
  return { kind: 'person', family, given, initials, suffix: suffix || null };
}

const names = (list: readonly StudyAuthor[] | undefined): Name[] =>
  (Array.isArray(list) ? list : []).map(normaliseName).filter((a): a is Name => a !== null);

function normaliseDoi(doi: string | null): string | null {
  if (!doi) return null;
  return clean(doi.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, ''));
}

function isoToDate(iso: unknown): CalendarDate | null {
  const m = typeof iso === 'string' ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso) : null;
  if (!m) return null;
  const month = m[2] ? int(Number(m[2]), 1, 12) : null;
  return { year: Number(m[1]), month, day: month !== null && m[3] ? int(Number(m[3]), 1, 31) : null };
}

function normaliseNotices(study: StudyBibliography): Notice[] {
  return (Array.isArray(study.notices) ? study.notices : []).flatMap((n) => {
    const refSource = clean(n?.ref_source)?.replace(/\.$/, '') ?? null;
    const pmid = clean(n?.pmid);
    const text = refSource ?? (pmid ? `PMID ${pmid}` : null);
    return n && text ? [{ type: n.type, pmid, refSource, text }] : [];
  });
}

const KINDS: readonly PublicationKind[] = ['journal_article', 'preprint', 'book', 'chapter'];

export function normalise(study: StudyBibliography): Study {
  const authors = names(study.authors);
  const complete = study.authors_complete !== false;
  const last = complete ? null : normaliseName(study.last_author);
  const pages = clean(study.pages);
  const elocation = clean(study.elocation_id);
  const arxivId = clean(study.arxiv_id);
  const kind = KINDS.includes(study.publication_kind as PublicationKind)
    ? (study.publication_kind as PublicationKind)
    : 'journal_article';
  const status = clean(study.publication_status)?.toLowerCase() ?? null;
  const year = int(study.year, 1, 9999);
  const month = int(study.month, 1, 12);
  const day = month === null ? null : int(study.day, 1, 31);
  const pubDate: CalendarDate | null = year === null ? null : { year, month, day };
  const aheadOfPrint = status === 'aheadofprint';
  const s: Study = {
    pmid: clean(study.pmid) ?? '',
    doi: normaliseDoi(clean(study.doi)),
    pmcid: clean(study.pmcid),
    title: clean(study.title),
    authors,
    complete,
    last,
    journal: clean(study.journal),
    journalIso: clean(study.journal_iso),
    journalTa: clean(study.journal_medline_ta),
    year,
    month,
    day,
    dateText: clean(study.date_text),
    volume: clean(study.volume),
    issue: clean(study.issue),
    pages,
    locator: pages ?? elocation ?? (arxivId ? `arXiv:${arxivId}` : null),
    locatorIsElectronic: pages === null ? elocation !== null || arxivId !== null : /^e\d+$/i.test(pages),
    kind,
    aheadOfPrint,
    // PubMed puts the electronic date in PubDate for records not yet in an issue, and for preprints.
    onlineDate: isoToDate(study.article_date) ?? (aheadOfPrint || kind === 'preprint' ? pubDate : null),
    editors: names(study.editors),
    publisher: clean(study.publisher),
    place: clean(study.publisher_place),
    edition: clean(study.edition),
    collection: clean(study.collection_title),
    isbn: clean(study.isbn),
    bookshelfId: clean(study.bookshelf_id),
    arxivId,
    retracted: isRetracted({
      publication_types: Array.isArray(study.publication_types) ? study.publication_types : [],
      notices: study.notices,
      retracted: study.retracted,
    }),
    notices: normaliseNotices(study),
    hasDetails: false,
  };
  s.hasDetails = Boolean(
    s.title ||
      authors.length > 0 ||
      last ||
      s.journal ||
      s.journalIso ||
      s.journalTa ||
      s.year !== null ||
      s.dateText ||
      s.volume ||
      s.issue ||
      s.locator ||
      s.editors.length > 0 ||
      s.publisher,
  );
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Pages

const RANGE = /^([A-Za-z]*)(\d+)\s*[-‐‑–—]\s*([A-Za-z]*)(\d+)$/;

/**
 * Expands NLM-elided page ranges to full ranges: "207-14" → "207-214", "1167-76" → "1167-1176". Full ranges
 * ("97-103"), single pages ("135") and e-locators ("026002", "e123") are returned unchanged; comma-separated
 * ranges are expanded one by one. `dash` joins start and end ("-" for AMA/CSL, "–" for APA, "--" for BibTeX).
 */
export function expandPageRange(pages: string, dash = '-'): string {
  return pages
    .split(/\s*,\s*/)
    .map((part) => {
      const m = RANGE.exec(part.trim());
      if (!m) return part.trim();
      const [, p1 = '', start = '', p2 = '', endRaw = ''] = m;
      let end = endRaw;
      if (end.length < start.length && (p2 === '' || p2 === p1)) {
        const full = start.slice(0, start.length - end.length) + end;
        if (Number(full) >= Number(start)) end = full; // otherwise malformed: keep as stored
      }
      return `${p1}${start}${dash}${p2}${end}`;
    })
    .join(', ');
}

/**
 * NLM page ranges (Citing Medicine, ch. 1 "Pagination": "do not repeat page numbers", e.g. 123-8, 1234-45): the end
 * page drops the leading digits it shares with the start page. "829-839" → "829-39", "1865-1876" → "1865-76",
 * "207-14" stays, "97-103" stays (nothing shared), "R12-R19" → "R12-9". Whatever is not a simple range is unchanged.
 */
export function nlmPageRange(pages: string): string {
  return expandPageRange(pages, '\t')
    .split(', ')
    .map((part) => {
      const [start, end] = part.split('\t');
      if (start === undefined || end === undefined) return part;
      const s = /^([A-Za-z]*)(\d+)$/.exec(start);
      const e = /^([A-Za-z]*)(\d+)$/.exec(end);
      if (!s || !e || (e[1] && e[1] !== s[1])) return `${start}-${end}`;
      const a = s[2] ?? '';
      const b = e[2] ?? '';
      if (a.length !== b.length || Number(b) < Number(a)) return `${start}-${e[1]}${b}`;
      let shared = 0;
      while (shared < b.length - 1 && a[shared] === b[shared]) shared++;
      return `${start}-${b.slice(shared)}`;
    })
    .join(', ');
}

/** Start and (full) end page for RIS SP/EP; a value that is not one simple range goes whole into SP. */
export function pageStartEnd(pages: string): { start: string; end: string | null } {
  if (!RANGE.test(pages)) return { start: pages, end: null };
  const [start = pages, end = null] = expandPageRange(pages, '\t').split('\t');
  return { start, end };
}

// ---------------------------------------------------------------------------------------------------------------
// Journal names

/** A trailing place qualifier of an NLM catalogue title: "(Hoboken, N.J.)", "(Oxford, England)", "(New York, N.Y.)". */
const PLACE_QUALIFIER = /\s*\([^()]*\)\s*$/;

/**
 * Minor words APA 7 keeps lower case in title case (§6.17: "conjunctions, articles and prepositions of three letters
 * or fewer", unless first, or after a colon).
 */
const MINOR_WORDS = new Set([
  'a',
  'an',
  'the',
  'and',
  'as',
  'but',
  'for',
  'if',
  'nor',
  'or',
  'so',
  'yet',
  'at',
  'by',
  'in',
  'of',
  'off',
  'on',
  'per',
  'to',
  'up',
  'via',
]);

const capitalise = (word: string): string => word.replace(/\p{L}/u, (c) => c.toUpperCase());

/**
 * Title case per APA 7 §6.17: the first word, the first word after a colon, and every word but minor words
 * (MINOR_WORDS) get a capital first letter; both halves of a hyphenated major word do. Capitals already in the text
 * are kept ("PloS", "BioEssays", "mHealth" keeps its lower-case start only when not first).
 */
export function titleCase(text: string): string {
  let startOfPhrase = true;
  return text
    .split(' ')
    .map((word) => {
      const bare = word.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '').toLowerCase();
      const keepLower = !startOfPhrase && MINOR_WORDS.has(bare);
      startOfPhrase = /[:—–]$/.test(word);
      if (keepLower) return word;
      return word
        .split('-')
        .map((part) => capitalise(part))
        .join('-');
    })
    .join(' ');
}

const lettersOnly = (s: string): string => s.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();

/**
 * The journal's own name for APA, RIS, BibTeX and CSL: NLM's catalogue title (Journal/Title, MEDLINE JT) is written
 * in sentence case with a place qualifier to tell same-named journals apart ("Arthritis & rheumatology (Hoboken,
 * N.J.)"). The qualifier is dropped; when PubMed's ISO or NLM abbreviation is the same words (an unabbreviated title
 * such as "PLoS ONE"), its capitals are the journal's own; otherwise the title is put in title case (titleCase).
 * Null when no full title is stored.
 */
export function journalName(s: Pick<Study, 'journal' | 'journalIso' | 'journalTa'>): string | null {
  if (!s.journal) return null;
  const bare = s.journal.replace(PLACE_QUALIFIER, '') || s.journal;
  for (const abbreviation of [s.journalIso, s.journalTa]) {
    if (abbreviation && lettersOnly(abbreviation) === lettersOnly(bare)) return abbreviation;
  }
  return titleCase(bare);
}

/** The NLM title abbreviation (MedlineTA) Vancouver and AMA print; else the ISO abbreviation, else the full title. */
export const nlmJournal = (s: Study): string | null => s.journalTa ?? s.journalIso ?? s.journal;

// ---------------------------------------------------------------------------------------------------------------
// Shared text helpers

/** Ends a sentence-like segment with a period unless it already ends with ".", "?" or "!". */
/**
 * The title as RIS, BibTeX and CSL-JSON hand it on: NLM ends every ArticleTitle with a period (MEDLINE/PubMed
 * element descriptions, ArticleTitle), and the software reading these formats adds the style's own terminal mark, so
 * PubMed's period gave "..". One trailing period is dropped; "?" and "!" stay (they are the title's words), and so
 * does an ellipsis. Null stays null.
 */
export function exportTitle(title: string | null): string | null {
  if (title === null || !title.endsWith('.') || title.endsWith('..')) return title;
  return title.slice(0, -1);
}

export function period(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

export const NLM_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
export const FULL_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** "2022 Oct 7", "2022 Oct", "2022" (Citing Medicine date form). */
export function nlmDate(d: CalendarDate): string {
  if (d.month === null) return String(d.year);
  const month = NLM_MONTHS[d.month - 1] ?? '';
  return d.day === null ? `${d.year} ${month}` : `${d.year} ${month} ${d.day}`;
}

/** "October 7, 2022", "October 2022", "2022" (AMA date form). */
export function longDate(d: CalendarDate): string {
  if (d.month === null) return String(d.year);
  const month = FULL_MONTHS[d.month - 1] ?? '';
  return d.day === null ? `${month} ${d.year}` : `${month} ${d.day}, ${d.year}`;
}

/** Given name for RIS/BibTeX/CSL: the stored given name, else the initials as "C. N." (the form citeproc and BibTeX read as initials). */
export function givenOrInitials(p: Person): string | null {
  return p.given ?? (p.initials.length > 0 ? p.initials.map((c) => `${c}.`).join(' ') : null);
}

/** "Family, Given" with the suffix after a comma ("Camargo, Carlos A, Jr"), the RIS and note form. */
export function invertedName(n: Name): string {
  if (n.kind === 'group') return n.name;
  const given = givenOrInitials(n);
  const base = !n.family ? (given ?? '') : given ? `${n.family}, ${given}` : n.family;
  return n.suffix ? `${base}, ${n.suffix}` : base;
}

/** The note that says an author list is incomplete, or null when it is complete (or nothing at all is known). */
export function incompleteNote(s: Study): string | null {
  if (s.complete) return null;
  const known = s.authors.length;
  // A record known only by its PMID already says so; an author note on top would only repeat it.
  if (known === 0 && !s.hasDetails) return null;
  const listed = known === 0 ? 'no authors listed' : `first ${known} author${known === 1 ? '' : 's'} listed`;
  return `${INCOMPLETE_AUTHORS_TEXT}: ${listed}${s.last ? `; last author: ${invertedName(s.last)}` : ''}`;
}

/** Citing Medicine / PubMed labels of the notices a citation shows ("Retraction in: ..."). Comments and updates are not shown. */
export const NOTICE_LABELS: Partial<Record<NoticeType, string>> = {
  RetractionIn: 'Retraction in',
  RetractionOf: 'Retraction of',
  RetractedandRepublishedIn: 'Retracted and republished in',
  RetractedandRepublishedFrom: 'Retracted and republished from',
  PartialRetractionIn: 'Partial retraction in',
  PartialRetractionOf: 'Partial retraction of',
  ExpressionOfConcernIn: 'Expression of concern in',
  ExpressionOfConcernFor: 'Expression of concern for',
  ErratumIn: 'Erratum in',
  ErratumFor: 'Erratum for',
  CorrectedandRepublishedIn: 'Corrected and republished in',
  CorrectedandRepublishedFrom: 'Corrected and republished from',
};

/**
 * "Retraction in: Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8" for each shown notice, in PubMed's order; with
 * `withPmid`, the notice's PMID follows as MEDLINE writes it (". PMID: 195582") for the structured formats' notes.
 */
export function noticeSentences(s: Study, withPmid = false): string[] {
  const out = s.notices.flatMap((n) => {
    const label = NOTICE_LABELS[n.type];
    if (!label) return [];
    const pmid = withPmid && n.pmid && n.refSource ? `. PMID: ${n.pmid}` : '';
    return [`${label}: ${n.text}${pmid}`];
  });
  // A retraction known only from the publication type still has to show.
  if (s.retracted && !s.notices.some((n) => n.type === 'RetractionIn' || n.type === 'RetractedandRepublishedIn')) {
    out.unshift('Retracted publication');
  }
  return out;
}

/** Notes for RIS N1, BibTeX note and CSL note: retraction, online-first status, then the notices with their PMIDs. */
export function statusNotes(s: Study): string[] {
  const notes: string[] = [];
  if (s.retracted) notes.push('Retracted publication');
  if (s.aheadOfPrint) notes.push(`Epub ahead of print${s.onlineDate ? ` ${nlmDate(s.onlineDate)}` : ''}`);
  notes.push(...noticeSentences(s, true).filter((n) => n !== 'Retracted publication'));
  return notes;
}

/** The first four-digit year in a notice's citation text, for APA's "(Retraction published 1977, ...)". */
export const yearOf = (text: string): string | null => /(?<!\d)(1[89]\d\d|20\d\d)(?!\d)/.exec(text)?.[1] ?? null;

/** "Family CN Jr" (NLM/AMA: surname, initials without periods, then the family-rank suffix; Citing Medicine ch. 1). */
export function nlmName(n: Name): string {
  if (n.kind === 'group') return n.name;
  const initials = n.initials.join('');
  const base = !n.family ? (n.given ?? initials) : initials ? `${n.family} ${initials}` : n.family;
  return n.suffix ? `${base} ${n.suffix}` : base;
}

/** NLM and AMA separate a group author that follows personal names with a semicolon ("Doe JF; Laser ROP Study Group"). */
export function joinNlm(names: Name[]): string {
  let out = '';
  names.forEach((n, i) => {
    if (i > 0) out += n.kind === 'group' && names[i - 1]?.kind === 'person' ? '; ' : ', ';
    out += nlmName(n);
  });
  return out;
}

/**
 * The first `first` names and ", et al." (et al without the period for AMA) when the list is longer than `max` or
 * known to be incomplete; all names otherwise. Null when there are none.
 */
export function truncatedNlm(list: Name[], complete: boolean, max: number, first: number, etAl: string): string | null {
  if (list.length === 0) return null;
  if (complete && list.length <= max) return joinNlm(list);
  return `${joinNlm(list.slice(0, first))}, ${etAl}`;
}
