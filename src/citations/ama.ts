// AMA Manual of Style 11th ed., chapter 3 (References): journal articles, online-first articles, preprints, books, chapters.

import {
  expandPageRange,
  longDate,
  NO_DETAILS_TEXT,
  nlmJournal,
  period,
  type Study,
  truncatedNlm,
} from './bibliographic.js';

/** AMA 11 §3.11.1: all names up to 6; more than 6 → first 3 + ", et al"; an incomplete list → first ≤ 3 + ", et al". */
const namesOf = (list: Study['authors'], complete: boolean): string | null =>
  truncatedNlm(list, complete, 6, 3, 'et al');

/** "Year;Vol(Issue):Start-End" with the missing parts (and their punctuation) left out. */
function source(s: Study, locator: string | null): string | null {
  let out = s.year !== null ? String(s.year) : (s.dateText ?? '');
  const volIssue = `${s.volume ?? ''}${s.issue ? `(${s.issue})` : ''}`;
  if (volIssue) out += out ? `;${volIssue}` : volIssue;
  if (locator) out += `:${locator}`;
  return out || null;
}

const locatorOf = (s: Study): string | null =>
  s.locator && !s.locatorIsElectronic ? expandPageRange(s.locator, '-') : s.locator;

/**
 * Bracketed notices after the title (AMA 11 references to retracted and corrected articles): "[retracted in: RefSource]",
 * "[published correction appears in RefSource]", "[expression of concern in: RefSource]"; "[retracted]" when PubMed
 * marks the retraction only by publication type.
 */
function bracketNotes(s: Study): string | null {
  const notes: string[] = [];
  let retractionLinked = false;
  for (const n of s.notices) {
    if (n.type === 'RetractionIn' || n.type === 'RetractedandRepublishedIn') {
      notes.push(`retracted in: ${n.text}`);
      retractionLinked = true;
    } else if (n.type === 'PartialRetractionIn') notes.push(`partially retracted in: ${n.text}`);
    else if (n.type === 'ErratumIn') notes.push(`published correction appears in ${n.text}`);
    else if (n.type === 'ExpressionOfConcernIn') notes.push(`expression of concern in: ${n.text}`);
  }
  if (s.retracted && !retractionLinked) notes.unshift('retracted');
  return notes.length > 0 ? `[${notes.join('; ')}]` : null;
}

function titleWithNotes(s: Study): string | null {
  const notes = bracketNotes(s);
  if (!s.title) return notes ? `${notes}.` : null;
  return notes ? `${s.title.replace(/[.]$/, '')} ${notes}.` : period(s.title);
}

/** "In: Editor AA, eds. Book. 2nd ed. Publisher; Year:pages." (AMA 11 dropped the place of publication). */
function bookTail(s: Study, parts: string[], bookTitle: string | null): void {
  const editors = namesOf(s.editors, true);
  const eds = editors ? `${editors}, ${s.editors.length === 1 ? 'ed' : 'eds'}.` : null;
  if (s.kind === 'chapter') {
    const inner = [eds, bookTitle ? period(bookTitle) : null].filter(Boolean).join(' ');
    if (inner) parts.push(`In: ${inner}`);
  } else if (bookTitle) parts.push(period(bookTitle));
  if (s.edition) parts.push(period(/\bed\b/i.test(s.edition) ? s.edition : `${s.edition} ed`));
  const date = s.year !== null ? String(s.year) : s.dateText;
  const pages = s.kind === 'chapter' && s.locator && !s.locatorIsElectronic ? expandPageRange(s.locator, '-') : null;
  const imprint = [s.publisher, date ? `${date}${pages ? `:${pages}` : ''}` : null].filter(Boolean).join('; ');
  if (imprint) parts.push(period(imprint));
}

/**
 * AMA 11: "Authors. Title. Abbrev Journal. Year;Vol(Issue):Start-End. doi:DOI" — NLM abbreviation (MedlineTA), no
 * space after "doi:", no final period after the DOI, full page ranges, the e-locator when there are no pages.
 * Online first: "Abbrev Journal. Published online October 7, 2022. doi:DOI". Preprint: "Server.
 * Preprint posted online April 6, 2023. arXiv:ID". Chapter: "Authors. Title. In: Editors, eds. Book. Publisher;
 * Year:pages." Plain text: italics are not marked. AMA has no PMID element; a PMID-only record still gets
 * "PMID: N. Bibliographic details not yet available."
 */
export function ama(s: Study): string {
  if (!s.hasDetails) return `PMID: ${s.pmid}. ${NO_DETAILS_TEXT}.${s.doi ? ` doi:${s.doi}` : ''}`;
  const parts: string[] = [];
  const authors = namesOf(s.authors, s.complete);
  if (authors) parts.push(period(authors));
  else if (s.kind === 'book' && s.editors.length > 0) {
    parts.push(`${namesOf(s.editors, true)}, ${s.editors.length === 1 ? 'ed' : 'eds'}.`);
  }
  if (s.kind === 'book') bookTail(s, parts, titleWithNotes(s)?.replace(/\.$/, '') ?? null);
  else {
    const title = titleWithNotes(s);
    if (title) parts.push(title);
    if (s.kind === 'chapter') bookTail(s, parts, s.journal);
    else {
      const journal = nlmJournal(s);
      if (journal) parts.push(period(journal));
      if (s.kind === 'preprint') {
        if (s.onlineDate) parts.push(`Preprint posted online ${longDate(s.onlineDate)}.`);
        else parts.push('Preprint.');
      } else if (s.aheadOfPrint) {
        const date = s.onlineDate ? longDate(s.onlineDate) : s.year !== null ? String(s.year) : s.dateText;
        parts.push(date ? `Published online ${date}.` : 'Published online.');
      } else {
        const src = source(s, locatorOf(s));
        if (src) parts.push(period(src));
      }
    }
  }
  if (s.doi) parts.push(`doi:${s.doi}`);
  else if (s.kind === 'preprint' && s.locator) parts.push(s.locator);
  return parts.join(' ');
}
