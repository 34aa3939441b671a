// Citation formatting for study records: Vancouver/NLM, AMA 11, APA 7, RIS, BibTeX/BibLaTeX and CSL-JSON.
// Pure and synchronous: no database, no HTTP, no citation-js at run time. Rules follow
// ../shared/reference/evidence-standards.md §3 (author truncation, shapes, RIS recommendation, CSL schema).
//
// Why every format is hand-written (citation-js 0.8.2 was tried on the worked example, PMID 29097493):
// - vancouver: the bundled CSL template re-initialises initials-only names ("Andrews M" for "Andrews MC"), prints
//   pages with an en dash ("97–103") and ends with "PubMed PMID: …; PubMed Central PMCID: …", not the NLM shape.
// - apa: the bundled template cannot express an incomplete author list (it prints "… & Wargo, J." as if complete)
//   and also shortens initials-only given names ("Andrews, M.").
// - ama: not a bundled template.
// - ris: citation-js wraps long values onto continuation lines (breaks the "XX  - value" rule), writes LF, puts the
//   whole range in SP (no EP), writes "DA  - 2018///", uses the CSL id as ID and has no AN/DB for the PMID.
// - bibtex: citation-js derives its own key ("Gopalakrishnan2018Gut"), drops eprint/eprinttype in 'bibtex' output
//   ('biblatex' output uses journaltitle/date instead), cannot write "and others", and adds howpublished/url.
// Measured in this container (Node 20, 1,000 formats of 29097493 after warm-up): citation-js bibtex ≈ 0.12 ms,
// ris ≈ 0.06 ms, bibliography/vancouver ≈ 1.1 ms, bibliography/apa ≈ 2.4 ms per entry. The hand-written formatters
// below (20,000 iterations, tsx): vancouver/ama/apa ≈ 5 µs, ris ≈ 6 µs, bibtex ≈ 14 µs, csl-json (item +
// JSON.stringify) ≈ 7 µs per entry.
// citation-js is still used by the tests as an independent reader of the RIS and BibTeX output.

import type { StudyAuthor, StudyBibliography } from '../evidence/study-record.js';

export const CITATION_FORMATS = ['vancouver', 'ama', 'apa', 'ris', 'bibtex', 'csl-json'] as const;
export type CitationFormat = (typeof CITATION_FORMATS)[number];
export type TextCitationFormat = Exclude<CitationFormat, 'csl-json'>;

export const CITATION_MEDIA_TYPES: Record<CitationFormat, string> = {
  vancouver: 'text/plain; charset=utf-8',
  ama: 'text/plain; charset=utf-8',
  apa: 'text/plain; charset=utf-8',
  ris: 'application/x-research-info-systems',
  bibtex: 'application/x-bibtex',
  'csl-json': 'application/vnd.citationstyles.csl+json',
};

export const CITATION_FILE_EXTENSIONS: Record<CitationFormat, string | null> = {
  vancouver: null,
  ama: null,
  apa: null,
  ris: '.ris',
  bibtex: '.bib',
  'csl-json': '.json',
};

/** A CSL name: a person ({family, given}) or a group/literal name ({literal}). */
export interface CslName {
  family?: string;
  given?: string;
  literal?: string;
}

/** A CSL date: `date-parts` holds one [year, month?, day?] array; `season`/`raw` carry non-plain dates. */
export interface CslDate {
  'date-parts'?: number[][];
  season?: string;
  raw?: string;
}

/** The subset of the CSL-JSON item schema (csl-data.json, additionalProperties: false) that this module writes. */
export interface CslItem {
  type: 'article-journal';
  /** "pmid:<PMID>": a string id that cannot collide with other id spaces and is a valid pandoc citation key. */
  id: string;
  title?: string;
  'container-title'?: string;
  'container-title-short'?: string;
  author?: CslName[];
  issued?: CslDate;
  volume?: string;
  issue?: string;
  page?: string;
  DOI?: string;
  PMID?: string;
  PMCID?: string;
  URL?: string;
  note?: string;
}

export const NO_DETAILS_TEXT = 'Bibliographic details not yet available';
export const INCOMPLETE_AUTHORS_TEXT = 'Author list incomplete';

// ---------------------------------------------------------------------------------------------------------------
// Normalisation: every field below is either a clean, non-empty, single-line string (or finite number) or null.

interface Person {
  kind: 'person';
  family: string | null;
  given: string | null;
  /** Initial letters, e.g. ["C", "N"]; derived from `given` when the record has no initials. */
  initials: string[];
}
interface Group {
  kind: 'group';
  name: string;
}
type Name = Person | Group;

interface Study {
  pmid: string;
  doi: string | null;
  pmcid: string | null;
  title: string | null;
  authors: Name[];
  complete: boolean;
  last: Name | null;
  journal: string | null;
  journalIso: string | null;
  year: number | null;
  month: number | null;
  day: number | null;
  dateText: string | null;
  volume: string | null;
  issue: string | null;
  pages: string | null;
  /** False when nothing but identifiers is known (a PMID-only record). */
  hasDetails: boolean;
}

/** Trims, turns line breaks into single spaces (every output format is line-based) and maps "" to null. */
function clean(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const s = value.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
  return s === '' ? null : s;
}

function int(value: unknown, min: number, max: number): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

const LETTER = /\p{L}/u;

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
  return { kind: 'person', family, given, initials };
}

function normalise(study: StudyBibliography): Study {
  const authors = (study.authors ?? []).map(normaliseName).filter((a): a is Name => a !== null);
  const complete = study.authors_complete !== false;
  const last = complete ? null : normaliseName(study.last_author);
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
    year: int(study.year, 1, 9999),
    month: int(study.month, 1, 12),
    day: int(study.day, 1, 31),
    dateText: clean(study.date_text),
    volume: clean(study.volume),
    issue: clean(study.issue),
    pages: clean(study.pages),
    hasDetails: false,
  };
  s.hasDetails = Boolean(
    s.title ||
      authors.length > 0 ||
      last ||
      s.journal ||
      s.journalIso ||
      s.year !== null ||
      s.dateText ||
      s.volume ||
      s.issue ||
      s.pages,
  );
  return s;
}

function normaliseDoi(doi: string | null): string | null {
  if (!doi) return null;
  return clean(doi.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, ''));
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

/** Start and (full) end page for RIS SP/EP; a value that is not one simple range goes whole into SP. */
function pageStartEnd(pages: string): { start: string; end: string | null } {
  if (!RANGE.test(pages)) return { start: pages, end: null };
  const [start = pages, end = null] = expandPageRange(pages, '\t').split('\t');
  return { start, end };
}

// ---------------------------------------------------------------------------------------------------------------
// Text styles

/** "Family CN" (NLM/AMA: surname, initials without periods; hyphens of given names dropped as PubMed does). */
function nlmName(n: Name): string {
  if (n.kind === 'group') return n.name;
  const initials = n.initials.join('');
  if (!n.family) return n.given ?? initials;
  return initials ? `${n.family} ${initials}` : n.family;
}

/** APA initials: "C. N."; hyphenated given names keep the hyphen ("Jean-Pierre" → "J.-P."). */
function apaInitials(p: Person): string {
  if (p.given) {
    const parts: string[] = [];
    for (const token of p.given.split(/\s+/)) {
      if (/^\p{Lu}{2,3}$/u.test(token)) {
        parts.push(...[...token].map((c) => `${c}.`));
        continue;
      }
      const pieces = token
        .split('-')
        .filter((piece) => LETTER.test(piece) && !/^\p{Ll}+$/u.test(piece))
        .map((piece) => `${(LETTER.exec(piece)?.[0] ?? '').toUpperCase()}.`);
      if (pieces.length > 0) parts.push(pieces.join('-'));
    }
    if (parts.length > 0) return parts.join(' ');
  }
  return p.initials.map((c) => `${c}.`).join(' ');
}

function apaName(n: Name): string {
  if (n.kind === 'group') return n.name;
  const initials = apaInitials(n);
  if (!n.family) return n.given ?? initials;
  return initials ? `${n.family}, ${initials}` : n.family;
}

/** NLM and AMA separate a group author that follows personal names with a semicolon ("Doe JF; Laser ROP Study Group"). */
function joinNlm(names: Name[]): string {
  let out = '';
  names.forEach((n, i) => {
    if (i > 0) out += n.kind === 'group' && names[i - 1]?.kind === 'person' ? '; ' : ', ';
    out += nlmName(n);
  });
  return out;
}

/** Vancouver/NLM: all authors up to 6; more than 6 → first 6 + ", et al."; an incomplete list always ends "et al.". */
function vancouverAuthors(s: Study): string | null {
  if (s.authors.length === 0) return null;
  if (s.complete && s.authors.length <= 6) return joinNlm(s.authors);
  return `${joinNlm(s.authors.slice(0, 6))}, et al.`;
}

/** AMA 11 §3.11.1: all authors up to 6; more than 6 → first 3 + ", et al"; an incomplete list → first ≤ 3 + ", et al". */
function amaAuthors(s: Study): string | null {
  if (s.authors.length === 0) return null;
  if (s.complete && s.authors.length <= 6) return joinNlm(s.authors);
  return `${joinNlm(s.authors.slice(0, 3))}, et al`;
}

/**
 * APA 7: 1–20 authors: all, ", & " before the last; 21+: first 19, ", . . . ", final author.
 * Incomplete lists: the known authors (at most 19), then ", . . . " + the last author when it is known. When the last
 * author is unknown the list ends with ", . . ." — APA's own mark for omitted names. This was chosen as the least
 * misleading rendering: "&" before the last known name would claim the list is complete, and "et al." is an
 * in-text device that APA does not use in reference lists.
 */
function apaAuthors(s: Study): string | null {
  const names = s.authors.map(apaName);
  if (!s.complete) {
    const shown = names.slice(0, 19);
    const head = shown.length > 0 ? `${shown.join(', ')}, ` : '';
    return s.last ? `${head}. . . ${apaName(s.last)}` : shown.length > 0 ? `${head}. . .` : null;
  }
  if (names.length === 0) return null;
  if (names.length === 1) return names[0] ?? null;
  if (names.length <= 20) return `${names.slice(0, -1).join(', ')}, & ${names[names.length - 1]}`;
  return `${names.slice(0, 19).join(', ')}, . . . ${names[names.length - 1]}`;
}

/** Ends a sentence-like segment with a period unless it already ends with ".", "?" or "!". */
function period(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/** "Year;Vol(Issue):Pages" with the missing parts (and their punctuation) left out. */
function nlmSource(s: Study, pages: string | null): string | null {
  let out = s.year !== null ? String(s.year) : (s.dateText ?? '');
  const volIssue = `${s.volume ?? ''}${s.issue ? `(${s.issue})` : ''}`;
  if (volIssue) out += out ? `;${volIssue}` : volIssue;
  if (pages) out += out ? `:${pages}` : `p. ${pages}`;
  return out || null;
}

function identifiersOnly(s: Study): string {
  return `PMID: ${s.pmid}${s.pmcid ? `; PMCID: ${s.pmcid}` : ''}.`;
}

/**
 * Vancouver (NLM Citing Medicine / ICMJE): "Authors. Title. Abbrev Journal. Year;Vol(Issue):Pages. doi: DOI. PMID: N;
 * PMCID: PMCx." Journal = ISO abbreviation, else the full title. Date = year only, as in the worked example. Pages as
 * stored (PubMed already elides them NLM-style). Titles are never altered: 29097493 is stored with "anti–PD-1" (en
 * dash), so that is what is printed even though the worked example in evidence-standards.md §3.3 shows a hyphen.
 */
function vancouver(s: Study): string {
  const parts: string[] = [];
  if (!s.hasDetails) {
    if (s.doi) parts.push(`doi: ${s.doi}.`);
    parts.push(identifiersOnly(s), `${NO_DETAILS_TEXT}.`);
    return parts.join(' ');
  }
  const authors = vancouverAuthors(s);
  if (authors) parts.push(period(authors));
  if (s.title) parts.push(period(s.title));
  const journal = s.journalIso ?? s.journal;
  if (journal) parts.push(period(journal));
  const source = nlmSource(s, s.pages);
  if (source) parts.push(period(source));
  if (s.doi) parts.push(`doi: ${s.doi}.`);
  parts.push(identifiersOnly(s));
  return parts.join(' ');
}

/**
 * AMA 11: "Authors. Title. Abbrev Journal. Year;Vol(Issue):Start-End. doi:DOI" — no space after "doi:", no final period
 * after the DOI, full page ranges. Output is plain text: the journal is not wrapped in italics markers (the asterisks
 * in evidence-standards.md only mark italics; a text/plain response has no way to express them). AMA has no PMID
 * element; a PMID-only record still gets "PMID: N. Bibliographic details not yet available."
 */
function ama(s: Study): string {
  if (!s.hasDetails) return `PMID: ${s.pmid}. ${NO_DETAILS_TEXT}.${s.doi ? ` doi:${s.doi}` : ''}`;
  const parts: string[] = [];
  const authors = amaAuthors(s);
  if (authors) parts.push(period(authors));
  if (s.title) parts.push(period(s.title));
  const journal = s.journalIso ?? s.journal;
  if (journal) parts.push(period(journal));
  const source = nlmSource(s, s.pages ? expandPageRange(s.pages, '-') : null);
  if (source) parts.push(period(source));
  if (s.doi) parts.push(`doi:${s.doi}`);
  return parts.join(' ');
}

/**
 * APA 7: "Authors. (Year). Title. Journal, Vol(Issue), pp–pp. https://doi.org/DOI" — full journal title when known
 * (else the abbreviation), full page range with an en dash, "(n.d.)" when the year is unknown, plain text (no italics).
 * Without authors the title moves to the author position, as APA prescribes.
 */
function apa(s: Study): string {
  const doiUrl = s.doi ? `https://doi.org/${s.doi}` : null;
  if (!s.hasDetails) return `PMID: ${s.pmid}. ${NO_DETAILS_TEXT}.${doiUrl ? ` ${doiUrl}` : ''}`;
  const parts: string[] = [];
  const authors = apaAuthors(s);
  const date = `(${s.year ?? s.dateText ?? 'n.d.'}).`;
  if (authors) parts.push(period(authors), date, ...(s.title ? [period(s.title)] : []));
  else if (s.title) parts.push(period(s.title), date);
  else parts.push(date);
  const source: string[] = [];
  const journal = s.journal ?? s.journalIso;
  if (journal) source.push(journal);
  const volIssue = `${s.volume ?? ''}${s.issue ? `(${s.issue})` : ''}`;
  if (volIssue) source.push(volIssue);
  if (s.pages) source.push(expandPageRange(s.pages, '\u2013'));
  if (source.length > 0) parts.push(period(source.join(', ')));
  if (doiUrl) parts.push(doiUrl);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Structured formats

/** Given name for RIS/BibTeX/CSL: the stored given name, else the initials as "C. N." (the form citeproc and BibTeX read as initials). */
function givenOrInitials(p: Person): string | null {
  return p.given ?? (p.initials.length > 0 ? p.initials.map((c) => `${c}.`).join(' ') : null);
}

function incompleteNote(s: Study, lastAuthorLabel: string | null): string | null {
  if (s.complete) return null;
  const known = s.authors.length;
  // A record known only by its PMID already says so; an author note on top would only repeat it.
  if (known === 0 && !s.hasDetails) return null;
  const listed = known === 0 ? 'no authors listed' : `first ${known} author${known === 1 ? '' : 's'} listed`;
  return `${INCOMPLETE_AUTHORS_TEXT}: ${listed}${lastAuthorLabel ? `; last author: ${lastAuthorLabel}` : ''}`;
}

function risName(n: Name): string {
  if (n.kind === 'group') return n.name;
  const given = givenOrInitials(n);
  if (!n.family) return given ?? '';
  return given ? `${n.family}, ${given}` : n.family;
}

/**
 * RIS per the Recommendation in evidence-standards.md §3.4: TY JOUR, one AU per known author ("Family, Given", or
 * "Family, C. N." when only initials are known), TI, T2 full journal (abbreviation when the full title is unknown),
 * J2 abbreviation, PY, DA YYYY/MM/DD/ (only when more than the year is known), VL, IS, SP start + EP full end page,
 * DO, AN PMID, C2 PMCID, DB PubMed, UR PubMed URL, N1 notes, ER. UTF-8, CRLF, one "XX  - value" line per tag.
 * The last author of an incomplete list goes into N1, not AU: RIS cannot mark a gap, so an AU after the known
 * authors would claim to be the next author.
 */
function ris(s: Study): string {
  const lines: string[] = ['TY  - JOUR'];
  const tag = (t: string, v: string | null): void => {
    if (v) lines.push(`${t}  - ${v}`);
  };
  for (const a of s.authors) tag('AU', risName(a));
  tag('TI', s.title);
  tag('T2', s.journal ?? s.journalIso);
  tag('J2', s.journalIso);
  tag('PY', s.year !== null ? String(s.year) : null);
  if (s.month !== null || s.dateText) {
    const mm = s.month !== null ? String(s.month).padStart(2, '0') : '';
    const dd = s.month !== null && s.day !== null ? String(s.day).padStart(2, '0') : '';
    tag('DA', `${s.year ?? ''}/${mm}/${dd}/${s.dateText ?? ''}`);
  }
  tag('VL', s.volume);
  tag('IS', s.issue);
  if (s.pages) {
    const { start, end } = pageStartEnd(s.pages);
    tag('SP', start);
    tag('EP', end);
  }
  tag('DO', s.doi);
  tag('AN', s.pmid);
  tag('C2', s.pmcid);
  tag('DB', 'PubMed');
  tag('UR', `https://pubmed.ncbi.nlm.nih.gov/${s.pmid}/`);
  tag('N1', incompleteNote(s, s.last ? risName(s.last) : null));
  if (!s.hasDetails) tag('N1', NO_DETAILS_TEXT);
  lines.push('ER  - ');
  return `${lines.join('\r\n')}\r\n`;
}

const LATEX_SPECIALS: Record<string, string> = {
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  // BibTeX counts braces even when backslash-escaped, so "\{" alone could unbalance the entry: use text commands.
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '\\': '\\textbackslash{}',
};

/** Escapes LaTeX specials so no value can break the entry; other Unicode is kept as is (biber/BibLaTeX read UTF-8). */
function tex(value: string): string {
  return value.replace(/[&%$#_{}~^\\]/g, (c) => LATEX_SPECIALS[c] ?? c);
}

function bibtexName(n: Name): string {
  // Group authors get their own braces so BibTeX treats them as one literal name ({{Human Microbiome Project Consortium}}).
  if (n.kind === 'group') return `{${tex(n.name)}}`;
  const given = givenOrInitials(n);
  const protect = (v: string): string => (/[\s,]|^\p{Ll}/u.test(v) ? `{${tex(v)}}` : tex(v));
  if (!n.family) return given ? protect(given) : '';
  // Multi-word and particle-initial family names are braced so BibTeX does not split them into von/Last parts.
  const family = protect(n.family);
  if (!given) return family;
  return `${family}, ${/\sand\s|,/i.test(given) ? `{${tex(given)}}` : tex(given)}`;
}

const BIBTEX_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/**
 * BibTeX @article (also valid BibLaTeX): key "pmid<PMID>"; author "Family, Given" joined by " and ", " and others"
 * when the list is incomplete (the known last author goes into note, since "others" must come last); title in double
 * braces so styles keep the stored capitalisation; LaTeX specials escaped; pages with "--" (full ranges);
 * doi; eprint = {PMID}, eprinttype = {pubmed} (BibLaTeX convention); pmcid in a `pmcid` field (ignored by styles,
 * kept for tools). Month as the standard macro (jun).
 */
function bibtex(s: Study): string {
  const fields: string[] = [];
  const field = (name: string, value: string | null, raw = false): void => {
    if (value) fields.push(`  ${name} = ${raw ? value : `{${value}}`}`);
  };
  if (s.authors.length > 0) {
    const names = s.authors.map(bibtexName).filter((n) => n !== '');
    if (!s.complete) names.push('others');
    field('author', names.join(' and '));
  }
  field('title', s.title ? `{${tex(s.title)}}` : null);
  const journal = s.journal ?? s.journalIso;
  field('journal', journal ? tex(journal) : null);
  if (s.journal && s.journalIso && s.journal !== s.journalIso) field('shortjournal', tex(s.journalIso));
  field('year', s.year !== null ? String(s.year) : null);
  field('month', s.month !== null ? (BIBTEX_MONTHS[s.month - 1] ?? null) : null, true);
  field('volume', s.volume ? tex(s.volume) : null);
  field('number', s.issue ? tex(s.issue) : null);
  field('pages', s.pages ? tex(expandPageRange(s.pages, '--')) : null);
  // doi is a verbatim field in BibLaTeX: not LaTeX-escaped; braces (never seen in real DOIs) are percent-encoded.
  field('doi', s.doi ? s.doi.replace(/\{/g, '%7B').replace(/\}/g, '%7D') : null);
  field('eprint', tex(s.pmid));
  field('eprinttype', 'pubmed');
  field('pmcid', s.pmcid ? tex(s.pmcid) : null);
  const notes = [incompleteNote(s, s.last ? risName(s.last) : null), s.hasDetails ? null : NO_DETAILS_TEXT].filter(
    (n): n is string => n !== null,
  );
  field('note', notes.length > 0 ? tex(notes.join('. ')) : null);
  const key = `pmid${s.pmid.replace(/[^0-9A-Za-z]/g, '')}`;
  return `@article{${key},\n${fields.join(',\n')}\n}`;
}

function cslName(n: Name): CslName {
  if (n.kind === 'group') return { literal: n.name };
  const given = givenOrInitials(n);
  if (!n.family) return { literal: given ?? '' };
  return given ? { family: n.family, given } : { family: n.family };
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

function toCsl(s: Study): CslItem {
  const item: CslItem = { type: 'article-journal', id: `pmid:${s.pmid}` };
  if (s.title) item.title = s.title;
  const journal = s.journal ?? s.journalIso;
  if (journal) item['container-title'] = journal;
  if (s.journalIso) item['container-title-short'] = s.journalIso;
  // CSL has no "et al." marker: the known authors, then the last author when known; `note` says the list is incomplete.
  const names = [...s.authors, ...(s.last ? [s.last] : [])].map(cslName);
  if (names.length > 0) item.author = names;
  const issued = cslIssued(s);
  if (issued) item.issued = issued;
  if (s.volume) item.volume = s.volume;
  if (s.issue) item.issue = s.issue;
  if (s.pages) item.page = expandPageRange(s.pages, '-'); // full range: CSL styles apply their own page-range-format
  if (s.doi) item.DOI = s.doi;
  item.PMID = s.pmid;
  if (s.pmcid) item.PMCID = s.pmcid;
  item.URL = `https://pubmed.ncbi.nlm.nih.gov/${s.pmid}/`;
  const notes: string[] = [];
  if (!s.complete && (s.authors.length > 0 || s.hasDetails)) {
    const known = s.authors.length;
    notes.push(
      `${INCOMPLETE_AUTHORS_TEXT}: first ${known} author${known === 1 ? '' : 's'}${s.last ? ' and the last author' : ''} listed`,
    );
  }
  if (!s.hasDetails) notes.push(NO_DETAILS_TEXT);
  if (notes.length > 0) item.note = notes.join('. ');
  return item;
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/** The study as one CSL-JSON item (csl-data.json schema; unknown fields omitted, never null). */
export function toCslItem(study: StudyBibliography): CslItem {
  return toCsl(normalise(study));
}

/** One entry in the given format. RIS entries end with CRLF; BibTeX entries end with "}" (no newline). */
export function formatCitation(study: StudyBibliography, format: TextCitationFormat): string {
  const s = normalise(study);
  switch (format) {
    case 'vancouver':
      return vancouver(s);
    case 'ama':
      return ama(s);
    case 'apa':
      return apa(s);
    case 'ris':
      return ris(s);
    case 'bibtex':
      return bibtex(s);
    default: {
      // Not reachable from typed callers; plain-JS callers asking for CSL-JSON get the single item.
      if ((format as string) === 'csl-json') return JSON.stringify(toCsl(s), null, 2);
      throw new RangeError(`Unknown citation format: ${String(format)}`);
    }
  }
}

/**
 * Several studies, in the order given (APA lists are not re-sorted: the caller decides the order).
 * vancouver/ama: "1. …" lines joined with "\n"; apa: unnumbered lines joined with "\n"; ris: entries back to back
 * (CRLF throughout); bibtex: entries separated by a blank line; csl-json: JSON array, 2-space indent.
 */
export function formatBibliography(studies: StudyBibliography[], format: CitationFormat): string {
  switch (format) {
    case 'vancouver':
    case 'ama':
      return studies.map((st, i) => `${i + 1}. ${formatCitation(st, format)}`).join('\n');
    case 'apa':
      return studies.map((st) => formatCitation(st, 'apa')).join('\n');
    case 'ris':
      return studies.map((st) => formatCitation(st, 'ris')).join('');
    case 'bibtex':
      return studies.map((st) => formatCitation(st, 'bibtex')).join('\n\n');
    case 'csl-json':
      return JSON.stringify(studies.map(toCslItem), null, 2);
    default:
      throw new RangeError(`Unknown citation format: ${String(format)}`);
  }
}
