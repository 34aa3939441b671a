// Citations of studies known only from a citing source (CIViC): its citation string, labelled, in every format.
//
// Two cases: a PubMed article whose record is not imported yet (the PMID is known, the rest is CIViC's string), and a
// source without a PMID (an ASCO or ASH meeting abstract). The string is never parsed into authors, title or journal:
// it is printed as the source wrote it, with a label saying whose it is, so a reader never mistakes it for metadata.
import type { CitedSource, StudyBibliography } from '../evidence/study-record.js';
import { NO_DETAILS_TEXT } from './bibliographic.js';
import type { CslItem } from './csl-json.js';

type Format = 'vancouver' | 'ama' | 'apa' | 'ris' | 'bibtex';

/** A study as the API serves it: a bibliographic record whose PMID may be null, with its key and source fields. */
export type ServedStudy = Omit<StudyBibliography, 'pmid' | 'cited_source'> & {
  pmid: string | null;
  key: string;
  source_type: CitedSource['source_type'];
  source_id: string | null;
  abstract_number: string | null;
  source_url: string | null;
  source_citation: { text: string; source: string } | null;
};

/**
 * The record the citation formats read, from a study as served: a PubMed article without its record but with a
 * citing source's string, and every source without a PMID, carry `cited_source` (cited by sourceCitationEntry).
 */
export function citableStudy(study: ServedStudy): StudyBibliography {
  const { key, source_type, source_id, abstract_number, source_url, source_citation, ...record } = study;
  const cited: CitedSource | null =
    source_type === 'pubmed' && source_citation === null
      ? null
      : {
          key,
          source_type,
          source_id,
          abstract_number,
          url: source_url,
          citation: source_citation ? { text: source_citation.text, source: source_citation.source } : null,
        };
  return { ...record, pmid: study.pmid ?? '', cited_source: cited };
}

/** The cited source of a study cited from its source's string: no bibliographic record (no title), a cited source. */
export function citedSourceOf(study: StudyBibliography): CitedSource | undefined {
  const cited = study.cited_source;
  if (!cited || study.title) return undefined;
  if (cited.source_type === 'pubmed' && cited.citation === null) return undefined;
  return cited;
}

/** "Citation as given by CIViC: Levine et al., 2005, Blood" */
const labelled = (c: CitedSource) =>
  c.citation ? `Citation as given by ${c.citation.source}: ${c.citation.text}` : null;

/** "ASCO abstract 9056 (web id 160900)", "ASH abstract, doi: 10.1182/...", "Abstract source type X, id Y". */
function sourceWords(c: CitedSource): string | null {
  switch (c.source_type) {
    case 'pubmed':
      return null;
    case 'asco':
      return `ASCO abstract${c.abstract_number ? ` ${c.abstract_number}` : ''} (web id ${c.source_id})`;
    case 'ash':
      return `ASH abstract, doi: ${c.source_id}`;
    default:
      return `Source ${c.key}`;
  }
}

/** One line of Vancouver, AMA or APA text: the labelled string, then what identifies the source, then the status. */
function textEntry(c: CitedSource): string {
  const parts: string[] = [];
  if (c.citation) parts.push(`${c.citation.text.replace(/\.$/, '')} [citation as given by ${c.citation.source}].`);
  const words = sourceWords(c);
  if (words) parts.push(`${words}.`);
  if (c.source_type === 'pubmed') parts.push(`PMID: ${c.key}.`);
  else if (c.url) parts.push(`Available from: ${c.url}`);
  parts.push(`${NO_DETAILS_TEXT}.`);
  return parts.join(' ');
}

const noteOf = (c: CitedSource) =>
  [labelled(c), sourceWords(c), NO_DETAILS_TEXT].filter((p): p is string => p !== null).join('. ');

const bibKey = (c: CitedSource) =>
  c.source_type === 'pubmed' ? `pmid${c.key}` : c.key.replace(/[^A-Za-z0-9]+/g, '').slice(0, 60);

const risLine = (tag: string, value: string) => `${tag}  - ${value.replace(/\s*[\r\n]+\s*/g, ' ')}\r\n`;

/**
 * The entry of a study cited from its source's string, in a text format; undefined for an ordinary record (the
 * format's own formatter writes it). RIS: `TY  - JOUR` with `AN`/`DB` for a PubMed article, `TY  - ABST` for an
 * abstract; the labelled string goes in `N1`. BibTeX: `@article` with eprint for PubMed, `@misc` otherwise; the
 * labelled string goes in `note`.
 */
export function sourceCitationEntry(study: StudyBibliography, format: Format): string | undefined {
  const c = citedSourceOf(study);
  if (!c) return undefined;
  switch (format) {
    case 'vancouver':
    case 'ama':
    case 'apa':
      return textEntry(c);
    case 'ris': {
      let out = risLine('TY', c.source_type === 'pubmed' ? 'JOUR' : 'ABST');
      if (c.source_type === 'pubmed') out += risLine('AN', c.key) + risLine('DB', 'PubMed');
      else out += risLine('ID', c.key);
      if (c.source_type === 'ash' && c.source_id) out += risLine('DO', c.source_id);
      if (c.url) out += risLine('UR', c.url);
      out += risLine('N1', noteOf(c));
      return `${out}ER  - \r\n`;
    }
    case 'bibtex': {
      const fields: [string, string][] =
        c.source_type === 'pubmed'
          ? [
              ['eprint', c.key],
              ['eprinttype', 'pubmed'],
            ]
          : [];
      if (c.source_type === 'ash' && c.source_id) fields.push(['doi', c.source_id]);
      if (c.url && c.source_type !== 'pubmed') fields.push(['url', c.url]);
      fields.push(['note', noteOf(c).replace(/[{}]/g, '')]);
      const body = fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n');
      return `@${c.source_type === 'pubmed' ? 'article' : 'misc'}{${bibKey(c)},\n${body}\n}`;
    }
  }
}

/** The CSL-JSON item of a study cited from its source's string (`paper-conference` for an abstract), or undefined. */
export function sourceCitationCsl(study: StudyBibliography): CslItem | undefined {
  const c = citedSourceOf(study);
  if (!c) return undefined;
  if (c.source_type === 'pubmed')
    return {
      type: 'article-journal',
      id: `pmid:${c.key}`,
      PMID: c.key,
      URL: `https://pubmed.ncbi.nlm.nih.gov/${c.key}/`,
      note: noteOf(c),
    };
  return {
    type: 'paper-conference',
    id: c.key,
    ...(c.source_type === 'ash' && c.source_id ? { DOI: c.source_id } : {}),
    ...(c.url ? { URL: c.url } : {}),
    note: noteOf(c),
  };
}
