// APA Publication Manual 7th ed. (chapters 9-10): journal articles, advance online publications, preprints, books,
// chapters, and the alphabetical reference list.

import {
  expandPageRange,
  journalName,
  LETTER,
  type Name,
  NO_DETAILS_TEXT,
  type Person,
  period,
  type Study,
  yearOf,
} from './bibliographic.js';

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

/** APA writes "Jr." and "Sr." with a period, numerals as given (§9.8: "Author, A. A., Jr."). */
const apaSuffix = (suffix: string): string => (/^(Jr|Sr)$/.test(suffix) ? `${suffix}.` : suffix);

/** "Camargo, C. A., Jr." */
function apaName(n: Name): string {
  if (n.kind === 'group') return n.name;
  const initials = apaInitials(n);
  const base = !n.family ? (n.given ?? initials) : initials ? `${n.family}, ${initials}` : n.family;
  return n.suffix ? `${base}, ${apaSuffix(n.suffix)}` : base;
}

/** "C. A. Camargo Jr." — the editor order in "In E. E. Editor (Ed.), Book". */
function apaEditorName(n: Name): string {
  if (n.kind === 'group') return n.name;
  const initials = apaInitials(n);
  const base = [initials || null, n.family ?? n.given].filter(Boolean).join(' ');
  return n.suffix ? `${base} ${apaSuffix(n.suffix)}` : base;
}

/**
 * APA 7 §9.8: 1–20 authors: all, ", & " before the last; 21+: first 19, ", . . . ", final author.
 * An incomplete list (PubMed CompleteYN="N") with a known last author: the known authors (at most 19), ". . . ", the
 * last author, APA's own mark for omitted names. With the last author unknown, the known authors then "et al.":
 * APA keeps "et al." for in-text citations, but nothing else says "more authors, names unknown", and "&" before
 * the last known name, or a dangling ellipsis, would read as a complete list (issue 9: "Sinha, S., . . . (2021)").
 */
function apaAuthors(s: Study): string | null {
  const names = s.authors.map(apaName);
  if (!s.complete) {
    const shown = names.slice(0, 19);
    if (s.last) return `${shown.length > 0 ? `${shown.join(', ')}, ` : ''}. . . ${apaName(s.last)}`;
    return shown.length > 0 ? `${shown.join(', ')}, et al.` : null;
  }
  if (names.length === 0) return null;
  if (names.length === 1) return names[0] ?? null;
  if (names.length <= 20) return `${names.slice(0, -1).join(', ')}, & ${names[names.length - 1]}`;
  return `${names.slice(0, 19).join(', ')}, . . . ${names[names.length - 1]}`;
}

/** "D. L. Riegert-Johnson, L. A. Boardman, & M. Roberts (Eds.)" */
function apaEditors(editors: Name[]): string | null {
  const names = editors.map(apaEditorName);
  if (names.length === 0) return null;
  const joined =
    names.length === 1
      ? names[0]
      : names.length === 2
        ? `${names[0]} & ${names[1]}`
        : `${names.slice(0, -1).join(', ')}, & ${names[names.length - 1]}`;
  return `${joined} (${names.length === 1 ? 'Ed.' : 'Eds.'})`;
}

/** DOI as a URL, else a stable URL from an identifier (arXiv abstract page, NCBI Bookshelf page). */
function link(s: Study): string | null {
  if (s.doi) return `https://doi.org/${s.doi}`;
  if (s.kind === 'preprint' && s.arxivId) return `https://arxiv.org/abs/${s.arxivId}`;
  if (s.bookshelfId) return `https://www.ncbi.nlm.nih.gov/books/${s.bookshelfId}/`;
  return null;
}

/**
 * APA's retraction mark (§10.1, retracted article example): "(Retraction published 2012, Notice)" after the DOI; an
 * expression of concern the same way. "(Retracted)" when PubMed marks the retraction only by publication type.
 */
function retractionNotes(s: Study): string[] {
  const notes: string[] = [];
  let linked = false;
  for (const n of s.notices) {
    const year = yearOf(n.text);
    const published = year ? ` published ${year}` : ' published';
    if (n.type === 'RetractionIn' || n.type === 'RetractedandRepublishedIn') {
      notes.push(`(Retraction${published}, ${n.text})`);
      linked = true;
    } else if (n.type === 'PartialRetractionIn') notes.push(`(Partial retraction${published}, ${n.text})`);
    else if (n.type === 'ExpressionOfConcernIn') notes.push(`(Expression of concern${published}, ${n.text})`);
  }
  if (s.retracted && !linked) notes.unshift('(Retracted)');
  return notes;
}

/** "(2nd ed., pp. 93–113)" for a book or chapter; null when neither is known. */
function bookDetails(s: Study): string | null {
  const edition = s.edition ? (/\bed\b/i.test(s.edition) ? s.edition : `${s.edition} ed.`) : null;
  const pages =
    s.kind === 'chapter' && s.locator && !s.locatorIsElectronic ? `pp. ${expandPageRange(s.locator, '\u2013')}` : null;
  const inner = [edition, pages].filter(Boolean).join(', ');
  return inner ? `(${inner})` : null;
}

/**
 * APA 7 reference (chapter 10): "Authors. (Year). Title. Journal, Vol(Issue), pp–pp. https://doi.org/DOI" — the
 * journal's name (journalName: title case, no place qualifier), full page range with an en dash, "Article X" for an
 * e-locator, "(n.d.)" when the year is unknown, plain text (no italics). Without authors the title moves to the
 * author position. Advance online publication: "Journal. Advance online publication. DOI". Preprint: "Title
 * [Preprint]. Server. URL". Chapter: "In E. Editor (Ed.), Book (pp. x–y). Publisher. URL". Book: "Title (2nd ed.).
 * Publisher. URL".
 */
export function apa(s: Study): string {
  const url = link(s);
  if (!s.hasDetails) return `PMID: ${s.pmid}. ${NO_DETAILS_TEXT}.${s.doi ? ` https://doi.org/${s.doi}` : ''}`;
  const parts: string[] = [];
  let authors = apaAuthors(s);
  if (!authors && s.kind === 'book' && s.editors.length > 0) {
    const eds = s.editors.map(apaName);
    authors = `${eds.length <= 20 && eds.length > 1 ? `${eds.slice(0, -1).join(', ')}, & ${eds[eds.length - 1]}` : eds.join(', ')} (${eds.length === 1 ? 'Ed.' : 'Eds.'})`;
  }
  const date = `(${s.year ?? s.dateText ?? 'n.d.'}).`;
  let title = s.title;
  if (title && s.kind === 'preprint') title = `${title.replace(/\.$/, '')} [Preprint]`;
  if (title && s.kind === 'book') {
    const details = bookDetails(s);
    if (details) title = `${title.replace(/\.$/, '')} ${details}`;
  }
  if (authors) parts.push(period(authors), date, ...(title ? [period(title)] : []));
  else if (title) parts.push(period(title), date);
  else parts.push(date);

  if (s.kind === 'chapter') {
    const editors = apaEditors(s.editors);
    const book = [s.journal, bookDetails(s)].filter(Boolean).join(' ');
    const inner = [editors, book || null].filter(Boolean).join(', ');
    if (inner) parts.push(period(`In ${inner}`));
    if (s.publisher) parts.push(period(s.publisher));
  } else if (s.kind === 'book') {
    if (s.publisher) parts.push(period(s.publisher));
  } else if (s.kind === 'preprint') {
    const server = s.journalTa ?? journalName(s) ?? s.journalIso;
    if (server) parts.push(period(server));
  } else {
    const source: string[] = [];
    const journal = journalName(s) ?? s.journalIso ?? s.journalTa;
    if (journal) source.push(journal);
    if (s.aheadOfPrint) {
      if (source.length > 0) parts.push(period(source.join(', ')));
      parts.push('Advance online publication.');
    } else {
      const volIssue = `${s.volume ?? ''}${s.issue ? `(${s.issue})` : ''}`;
      if (volIssue) source.push(volIssue);
      if (s.locator) {
        source.push(s.locatorIsElectronic ? `Article ${s.locator}` : expandPageRange(s.locator, '\u2013'));
      }
      if (source.length > 0) parts.push(period(source.join(', ')));
    }
  }
  if (url) parts.push(url);
  parts.push(...retractionNotes(s));
  return parts.join(' ');
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Leading article ignored when a title stands in the author place (APA 7 §9.47). */
const withoutArticle = (title: string): string => title.replace(/^(?:a|an|the)\s+/i, '');

function sortName(n: Name): string {
  if (n.kind === 'group') return n.name;
  return [n.family ?? '', n.initials.join(' ')].join(' ');
}

/**
 * The order of an APA reference list (APA 7 §9.44-9.47): letter by letter by the first author's surname, then initials,
 * then the following authors; works without authors by title (leading A/An/The ignored); the same authors by year,
 * undated ("n.d.") first. Stable for ties.
 */
export function apaOrder(a: Study, b: Study): number {
  const key = (s: Study): string[] => {
    const names = s.authors.length > 0 ? s.authors : s.kind === 'book' ? s.editors : [];
    return names.length > 0 ? names.map(sortName) : [withoutArticle(s.title ?? '')];
  };
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const c = collator.compare(ka[i] ?? '', kb[i] ?? '');
    if (c !== 0) return c;
  }
  if (ka.length !== kb.length) return ka.length - kb.length;
  return (a.year ?? -1) - (b.year ?? -1);
}
