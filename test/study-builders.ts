// Builders for study records in tests: an empty bibliography to fill, and authors in the shapes PubMed gives them.
import type { StudyAuthor, StudyBibliography } from '../src/evidence/study-record.js';

/** A person as the parser returns one (suffix null when PubMed gives none). */
export function person(
  family: string,
  given: string | null,
  initials: string | null = null,
  suffix: string | null = null,
): StudyAuthor {
  return { family, given, initials, collective: null, suffix };
}

/** A group author (CollectiveName). */
export function group(name: string): StudyAuthor {
  return { family: null, given: null, initials: null, collective: name, suffix: null };
}

/** "Petaccia de Macedo M" → family "Petaccia de Macedo", initials "M" (the NLM display form used in pmids.json). */
export function nlm(display: string): StudyAuthor {
  const cut = display.lastIndexOf(' ');
  return { family: display.slice(0, cut), given: null, initials: display.slice(cut + 1), collective: null };
}

/** A study with nothing known but its PMID, plus the given fields. */
export function study(pmid: string, fields: Partial<StudyBibliography> = {}): StudyBibliography {
  return {
    pmid,
    doi: null,
    pmcid: null,
    title: null,
    authors: [],
    authors_complete: true,
    last_author: null,
    journal: null,
    journal_iso: null,
    year: null,
    month: null,
    day: null,
    date_text: null,
    volume: null,
    issue: null,
    pages: null,
    publication_types: [],
    ...fields,
  };
}
