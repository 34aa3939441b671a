// Citation formats for study records: Vancouver/NLM, AMA 11, APA 7, RIS, BibTeX/BibLaTeX and CSL-JSON. One file per
// format beside this one; bibliographic.ts cleans the record once for all of them. Pure and synchronous: no database,
// no HTTP, no citation-js at run time. Rules follow ../shared/reference/evidence-standards.md §3.
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
// (20,000 iterations, tsx): vancouver/ama/apa ≈ 5 µs, ris ≈ 6 µs, bibtex ≈ 14 µs, csl-json ≈ 7 µs per entry.
// citation-js reads the RIS and BibTeX output back in the tests; citeproc-js renders the CSL-JSON with the official
// NLM, AMA and APA styles there (test/fixtures/csl).

import type { StudyBibliography } from '../evidence/study-record.js';
import { stripControlCharacters } from '../http/control-characters.js';
import { ama } from './ama.js';
import { apa, apaOrder } from './apa.js';
import { normalise } from './bibliographic.js';
import { bibtex } from './bibtex.js';
import { type CslItem, toCsl } from './csl-json.js';
import { ris } from './ris.js';
import { sourceCitationCsl, sourceCitationEntry } from './source-citation.js';
import { vancouver } from './vancouver.js';

export {
  expandPageRange,
  INCOMPLETE_AUTHORS_TEXT,
  journalName,
  NO_DETAILS_TEXT,
  nlmPageRange,
  titleCase,
} from './bibliographic.js';
export type { CslDate, CslItem, CslName } from './csl-json.js';

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

/** The study as one CSL-JSON item (csl-data.json schema; unknown fields omitted, never null). */
export function toCslItem(given: StudyBibliography): CslItem {
  const study = stripControlCharacters(given);
  return sourceCitationCsl(study) ?? toCsl(normalise(study));
}

/**
 * One entry in the given format. RIS entries end with CRLF; BibTeX entries end with "}" (no newline). Control
 * characters other than tab and line breaks are removed from every field first (http/control-characters.ts).
 */
export function formatCitation(given: StudyBibliography, format: TextCitationFormat): string {
  // Stored text may hold control characters an import or an older version let in: never raw in a citation.
  const study = stripControlCharacters(given);
  const cited = sourceCitationEntry(study, format);
  if (cited !== undefined) return cited;
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
 * Several studies. vancouver/ama: numbered "1. …" lines in the order given (citation order: the caller's order is the
 * order the works are cited), joined with "\n"; apa: unnumbered lines in APA's alphabetical order (apaOrder, APA 7
 * §9.44), joined with "\n"; ris: entries back to back (CRLF throughout); bibtex: entries separated by a blank line;
 * csl-json: JSON array, 2-space indent (ris, bibtex and csl-json keep the order given).
 */
export function formatBibliography(given: StudyBibliography[], format: CitationFormat): string {
  const studies = given.map(stripControlCharacters);
  switch (format) {
    case 'vancouver':
    case 'ama':
      return studies.map((st, i) => `${i + 1}. ${formatCitation(st, format)}`).join('\n');
    case 'apa':
      // Entries known only from a citing source's string have no author to sort by: they follow, in the order given.
      return [
        ...studies
          .filter((st) => sourceCitationEntry(st, 'apa') === undefined)
          .map(normalise)
          .sort(apaOrder)
          .map((s) => apa(s)),
        ...studies.flatMap((st) => sourceCitationEntry(st, 'apa') ?? []),
      ].join('\n');
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
