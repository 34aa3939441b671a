// RIS (reference type, one "XX  - value" line per tag) for journal articles, preprints, books and chapters.

import {
  exportTitle,
  incompleteNote,
  invertedName,
  journalName,
  NO_DETAILS_TEXT,
  pageStartEnd,
  type Study,
  statusNotes,
} from './bibliographic.js';

const TYPES: Record<Study['kind'], string> = {
  journal_article: 'JOUR',
  preprint: 'UNPB',
  book: 'BOOK',
  chapter: 'CHAP',
};

/**
 * RIS per the Recommendation in evidence-standards.md §3.4: TY (JOUR, UNPB for a preprint, BOOK, CHAP), one AU per
 * known author ("Family, Given, Suffix", or "Family, C. N." when only initials are known), A2 per editor, TI, T2
 * journal name (the book of a chapter), J2 NLM abbreviation, PY, DA YYYY/MM/DD/ (only when more than the year is
 * known), VL, IS, SP start + EP full end page (SP the e-locator when there are no pages), ET edition, PB publisher,
 * CY place, SN ISBN, M1 the preprint id, M3 "Preprint", DO, AN PMID, C2 PMCID, DB PubMed, UR PubMed URL (and the
 * Bookshelf page), N1 notes (retraction and other notices, ahead of print, incomplete author list), ER.
 * UTF-8, CRLF. The last author of an incomplete list goes into N1, not AU: RIS cannot mark a gap, so an AU after the
 * known authors would claim to be the next author.
 */
export function ris(s: Study): string {
  const lines: string[] = [`TY  - ${TYPES[s.kind]}`];
  const tag = (t: string, v: string | null): void => {
    if (v) lines.push(`${t}  - ${v}`);
  };
  for (const a of s.authors) tag('AU', invertedName(a));
  for (const e of s.editors) tag('A2', invertedName(e));
  tag('TI', exportTitle(s.title));
  if (s.kind === 'chapter') tag('T2', s.journal);
  else if (s.kind === 'journal_article') {
    tag('T2', journalName(s) ?? s.journalIso ?? s.journalTa);
    tag('J2', s.journalTa ?? s.journalIso);
  }
  tag('PY', s.year !== null ? String(s.year) : null);
  if (s.month !== null || s.dateText) {
    const mm = s.month !== null ? String(s.month).padStart(2, '0') : '';
    const dd = s.month !== null && s.day !== null ? String(s.day).padStart(2, '0') : '';
    tag('DA', `${s.year ?? ''}/${mm}/${dd}/${s.dateText ?? ''}`);
  }
  tag('VL', s.volume);
  tag('IS', s.issue);
  if (s.locator && s.kind !== 'preprint') {
    const { start, end } = s.locatorIsElectronic ? { start: s.locator, end: null } : pageStartEnd(s.locator);
    tag('SP', start);
    tag('EP', end);
  }
  tag('ET', s.edition);
  tag('PB', s.kind === 'preprint' ? (s.journalTa ?? journalName(s)) : s.publisher);
  tag('CY', s.place);
  tag('SN', s.isbn);
  if (s.kind === 'preprint') {
    tag('M1', s.locator);
    tag('M3', 'Preprint');
  }
  tag('DO', s.doi);
  tag('AN', s.pmid);
  tag('C2', s.pmcid);
  tag('DB', 'PubMed');
  tag('UR', `https://pubmed.ncbi.nlm.nih.gov/${s.pmid}/`);
  if (s.bookshelfId) tag('UR', `https://www.ncbi.nlm.nih.gov/books/${s.bookshelfId}/`);
  for (const note of statusNotes(s)) tag('N1', note);
  tag('N1', incompleteNote(s));
  if (!s.hasDetails) tag('N1', NO_DETAILS_TEXT);
  lines.push('ER  - ');
  return `${lines.join('\r\n')}\r\n`;
}
