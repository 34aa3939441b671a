// Vancouver / NLM (Citing Medicine 2nd ed., ICMJE sample references): journal articles, preprints, books, chapters.

import {
  NO_DETAILS_TEXT,
  nlmDate,
  nlmJournal,
  nlmPageRange,
  noticeSentences,
  period,
  type Study,
  truncatedNlm,
} from './bibliographic.js';

/** Citing Medicine lists up to six authors, then "et al." (ICMJE); an incomplete list always ends "et al.". */
const authorsOf = (s: Study): string | null => truncatedNlm(s.authors, s.complete, 6, 6, 'et al.');

function identifiers(s: Study): string {
  return `PMID: ${s.pmid}${s.pmcid ? `; PMCID: ${s.pmcid}` : ''}.`;
}

/** "Year;Vol(Issue):Locator" with the missing parts (and their punctuation) left out. */
function source(date: string | null, s: Study, locator: string | null): string | null {
  let out = date ?? '';
  const volIssue = `${s.volume ?? ''}${s.issue ? `(${s.issue})` : ''}`;
  if (volIssue) out += out ? `;${volIssue}` : volIssue;
  if (locator) out += out ? `:${locator}` : `p. ${locator}`;
  return out || null;
}

const pagesOf = (s: Study): string | null =>
  s.locator && !s.locatorIsElectronic ? nlmPageRange(s.locator) : s.locator;

function tail(s: Study, parts: string[]): string {
  if (s.doi) parts.push(`doi: ${s.doi}.`);
  for (const notice of noticeSentences(s)) parts.push(period(notice));
  parts.push(identifiers(s));
  return parts.join(' ');
}

/** "In: Editor AA, Editor BB, editors. Book [Internet]. 2nd ed. Place: Publisher; Year." and the book's own form. */
function bookPart(s: Study, bookTitle: string | null, parts: string[]): void {
  const editors = truncatedNlm(s.editors, true, 6, 6, 'et al.');
  const editorsLabel = editors ? `${editors}, ${s.editors.length === 1 ? 'editor' : 'editors'}.` : null;
  const internet = s.bookshelfId ? ' [Internet]' : '';
  if (s.kind === 'chapter') {
    const container = [editorsLabel, bookTitle ? period(`${bookTitle}${internet}`) : null].filter(Boolean);
    if (container.length > 0) parts.push(`In: ${container.join(' ')}`);
  } else if (bookTitle) parts.push(period(`${bookTitle}${internet}`));
  if (s.edition) parts.push(period(/\bed\b/i.test(s.edition) ? s.edition : `${s.edition} ed`));
  const imprint = [s.place, s.publisher].filter(Boolean).join(': ');
  const date = s.year !== null ? String(s.year) : s.dateText;
  const published = [imprint || null, date].filter(Boolean).join('; ');
  if (published) parts.push(period(published));
  if (s.kind === 'chapter' && s.locator && !s.locatorIsElectronic) parts.push(`p. ${nlmPageRange(s.locator)}.`);
  if (s.collection) parts.push(`(${s.collection}).`);
}

/**
 * Vancouver (NLM Citing Medicine / ICMJE):
 * - article: "Authors. Title. Abbrev Journal. Year;Vol(Issue):Pages. doi: DOI. PMID: N; PMCID: PMCx." Journal = NLM
 *   abbreviation (MedlineTA), else ISO, else full title. Date = year only, as in the worked example. Pages in NLM's
 *   shortened form everywhere ("829-39"); without pages, the e-locator ("2017;114:EWLS").
 * - ahead of print: "Abbrev Journal. 2019 May 20:Locator [Epub ahead of print]." (Citing Medicine, ICMJE sample).
 * - preprint: "Server [Preprint]. 2023 Apr 6:arXiv:2304.02112v2." (Citing Medicine ch. 23, preprints; PubMed's form).
 * - chapter: "Authors. Title. In: Editors, editors. Book [Internet]. Place: Publisher; Year. p. Pages."
 * - book: "Authors. Title [Internet]. 2nd ed. Place: Publisher; Year." (Editors in the author place when no authors.)
 * - notices (PubMed's display): "Retraction in: RefSource." "Erratum in: ..." before the PMID; a retraction known
 *   only from the publication type prints "Retracted publication.".
 * Titles are never altered: 29097493 is stored with "anti–PD-1" (en dash), so that is what is printed.
 */
export function vancouver(s: Study): string {
  const parts: string[] = [];
  if (!s.hasDetails) {
    if (s.doi) parts.push(`doi: ${s.doi}.`);
    parts.push(identifiers(s), `${NO_DETAILS_TEXT}.`);
    return parts.join(' ');
  }
  const authors = authorsOf(s);
  if (authors) parts.push(period(authors));
  else if (s.kind === 'book' && s.editors.length > 0) {
    const editors = truncatedNlm(s.editors, true, 6, 6, 'et al.');
    if (editors) parts.push(`${editors}, ${s.editors.length === 1 ? 'editor' : 'editors'}.`);
  }
  if (s.kind === 'book') {
    bookPart(s, s.title, parts);
    return tail(s, parts);
  }
  if (s.title) parts.push(period(s.title));
  if (s.kind === 'chapter') {
    bookPart(s, s.journal, parts);
    return tail(s, parts);
  }
  const journal = nlmJournal(s);
  if (s.kind === 'preprint') {
    if (journal) parts.push(`${journal} [Preprint].`);
    const date = s.onlineDate ? nlmDate(s.onlineDate) : (s.dateText ?? null);
    const src = source(date, s, s.locator);
    if (src) parts.push(period(src));
    return tail(s, parts);
  }
  if (journal) parts.push(period(journal));
  if (s.aheadOfPrint) {
    const date = s.onlineDate ? nlmDate(s.onlineDate) : s.year !== null ? String(s.year) : s.dateText;
    const src = source(date, s, pagesOf(s));
    parts.push(`${src ? `${src} ` : ''}[Epub ahead of print].`);
    return tail(s, parts);
  }
  const src = source(s.year !== null ? String(s.year) : s.dateText, s, pagesOf(s));
  if (src) parts.push(period(src));
  return tail(s, parts);
}
