// BibTeX / BibLaTeX entries: @article, @misc (preprint), @book, @incollection (chapter).

import {
  expandPageRange,
  exportTitle,
  givenOrInitials,
  incompleteNote,
  journalName,
  type Name,
  NO_DETAILS_TEXT,
  type Study,
  statusNotes,
} from './bibliographic.js';

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

/** "Family, Given", "Family, Jr, Given" with a suffix (BibTeX's "von Last, Jr, First" form). */
function bibtexName(n: Name): string {
  // Group authors get their own braces so BibTeX treats them as one literal name ({{Human Microbiome Project Consortium}}).
  if (n.kind === 'group') return `{${tex(n.name)}}`;
  const given = givenOrInitials(n);
  const protect = (v: string): string => (/[\s,]|^\p{Ll}/u.test(v) ? `{${tex(v)}}` : tex(v));
  if (!n.family) return given ? protect(given) : '';
  // Multi-word and particle-initial family names are braced so BibTeX does not split them into von/Last parts.
  const family = protect(n.family);
  const suffix = n.suffix ? `, ${tex(n.suffix)}` : '';
  if (!given) return n.suffix ? `${family}${suffix}, ` : family;
  return `${family}${suffix}, ${/\sand\s|,/i.test(given) ? `{${tex(given)}}` : tex(given)}`;
}

const BIBTEX_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

const ENTRY_TYPES: Record<Study['kind'], string> = {
  journal_article: 'article',
  preprint: 'misc',
  book: 'book',
  chapter: 'incollection',
};

/**
 * BibTeX (also valid BibLaTeX): key "pmid<PMID>"; @article, @misc for a preprint, @book, @incollection for a chapter.
 * author and editor "Family, Given" joined by " and " ("Family, Jr, Given" with a suffix), " and others" when the
 * author list is incomplete (the known last author goes into note, since "others" must come last); title in double
 * braces so styles keep the stored capitalisation; LaTeX specials escaped; pages with "--" (full ranges) or the
 * e-locator; journal (the journal's name) and shortjournal (NLM abbreviation); booktitle, publisher, address,
 * edition, isbn for books; doi; eprint = {PMID}, eprinttype = {pubmed} (BibLaTeX convention), except for an arXiv
 * preprint: eprint = {arXiv id}, eprinttype = {arxiv}, with the PMID in `pmid`; pmcid in `pmcid` (ignored by styles,
 * kept for tools). Month as the standard macro (jun). note: retraction and notices, ahead of print, incomplete list.
 */
export function bibtex(s: Study): string {
  const fields: string[] = [];
  const field = (name: string, value: string | null, raw = false): void => {
    if (value) fields.push(`  ${name} = ${raw ? value : `{${value}}`}`);
  };
  if (s.authors.length > 0) {
    const names = s.authors.map(bibtexName).filter((n) => n !== '');
    if (!s.complete) names.push('others');
    field('author', names.join(' and '));
  }
  if (s.editors.length > 0) field('editor', s.editors.map(bibtexName).join(' and '));
  const title = exportTitle(s.title);
  field('title', title ? `{${tex(title)}}` : null);
  if (s.kind === 'chapter') field('booktitle', s.journal ? tex(s.journal) : null);
  if (s.kind === 'journal_article') {
    const journal = journalName(s) ?? s.journalIso ?? s.journalTa;
    field('journal', journal ? tex(journal) : null);
    const short = s.journalTa ?? s.journalIso;
    if (journal && short && journal !== short) field('shortjournal', tex(short));
  }
  if (s.kind === 'preprint') {
    const server = s.journalTa ?? journalName(s);
    field('howpublished', server ? tex(server) : null);
  }
  field('edition', s.edition ? tex(s.edition) : null);
  field('publisher', s.publisher ? tex(s.publisher) : null);
  field('address', s.place ? tex(s.place) : null);
  field('year', s.year !== null ? String(s.year) : null);
  field('month', s.month !== null ? (BIBTEX_MONTHS[s.month - 1] ?? null) : null, true);
  field('volume', s.volume ? tex(s.volume) : null);
  field('number', s.issue ? tex(s.issue) : null);
  if (s.locator && s.kind !== 'preprint') {
    field('pages', tex(s.locatorIsElectronic ? s.locator : expandPageRange(s.locator, '--')));
  }
  field('isbn', s.isbn ? tex(s.isbn) : null);
  // doi is a verbatim field in BibLaTeX: not LaTeX-escaped; braces (never seen in real DOIs) are percent-encoded.
  field('doi', s.doi ? s.doi.replace(/\{/g, '%7B').replace(/\}/g, '%7D') : null);
  if (s.kind === 'preprint' && s.arxivId) {
    field('eprint', tex(s.arxivId));
    field('eprinttype', 'arxiv');
    field('pmid', tex(s.pmid));
  } else {
    field('eprint', tex(s.pmid));
    field('eprinttype', 'pubmed');
  }
  field('pmcid', s.pmcid ? tex(s.pmcid) : null);
  const notes = [
    ...(s.kind === 'preprint' ? ['Preprint'] : []),
    ...statusNotes(s),
    incompleteNote(s),
    s.hasDetails ? null : NO_DETAILS_TEXT,
  ].filter((n): n is string => n !== null);
  field('note', notes.length > 0 ? tex(notes.join('. ')) : null);
  const key = `pmid${s.pmid.replace(/[^0-9A-Za-z]/g, '')}`;
  return `@${ENTRY_TYPES[s.kind]}{${key},\n${fields.join(',\n')}\n}`;
}
