import core from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import { describe, expect, it } from 'vitest';
import {
  CITATION_FILE_EXTENSIONS,
  CITATION_FORMATS,
  CITATION_MEDIA_TYPES,
  type CitationFormat,
  expandPageRange,
  formatBibliography,
  formatCitation,
  toCslItem,
} from '../src/citations/citations.format.js';
import type { StudyBibliography } from '../src/evidence/study-record.js';
import { group, nlm, person, study } from './study-builders.js';

const { Cite, plugins } = core;

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: the records of test/fixtures/reference/pmids.json, as the importer would store them (nothing guessed:
// pmids.json gives the NLM abbreviation as "journal", so it goes into journal_iso and the full title stays null).

const GOPALAKRISHNAN = study('29097493', {
  title: 'Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients',
  authors: ['Gopalakrishnan V', 'Spencer CN', 'Nezi L', 'Reuben A', 'Andrews MC', 'Karpinets TV'].map(nlm),
  authors_complete: false,
  last_author: nlm('Wargo JA'),
  journal_iso: 'Science',
  year: 2018,
  volume: '359',
  issue: '6371',
  pages: '97-103',
  doi: '10.1126/science.aan4236',
  pmcid: 'PMC5827966',
});
const HMP = study('22699609', {
  title: 'Structure, function and diversity of the healthy human microbiome',
  authors: [group('Human Microbiome Project Consortium')],
  journal_iso: 'Nature',
  year: 2012,
  volume: '486',
  issue: '7402',
  pages: '207-14',
  doi: '10.1038/nature11234',
  pmcid: 'PMC3564958',
});
const SINHA = study('34785010', {
  title: 'The skin microbiome and the gut-skin axis',
  authors: [nlm('Sinha S')],
  authors_complete: false, // "only the first author is known here"
  journal_iso: 'Clin Dermatol',
  year: 2021,
  volume: '39',
  issue: '5',
  pages: '829-839',
  doi: '10.1016/j.clindermatol.2021.08.021',
  publication_types: ['Review'],
});
const ONEILL = study('27554239', {
  title: 'The gut-skin axis in health and disease: A paradigm with therapeutic implications',
  authors: ["O'Neill CA", 'Monteleone G', 'McLaughlin JT', 'Paus R'].map(nlm),
  journal_iso: 'BioEssays',
  year: 2016,
  volume: '38',
  issue: '11',
  pages: '1167-1176',
  doi: '10.1002/bies.201600008',
});
const HOU = study('35461318', {
  title: 'Microbiota in health and diseases',
  authors: ['Hou K', 'Wu ZX', 'Chen XY', 'Wang JQ', 'Zhang D', 'Xiao C'].map(nlm),
  authors_complete: false, // author_count 11
  last_author: nlm('Chen ZS'),
  journal_iso: 'Signal Transduct Target Ther',
  year: 2022,
  volume: '7',
  issue: '1',
  pages: '135',
  doi: '10.1038/s41392-022-00974-4',
  pmcid: 'PMC9034083',
});
const PMID_ONLY = study('35866234');
const REAL = [GOPALAKRISHNAN, HMP, SINHA, ONEILL, HOU, PMID_ONLY];

const FIRST_NAMES = [
  'Alice',
  'Bruno',
  'Chiara',
  'Dmitri',
  'Elena',
  'Farid',
  'Greta',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
  'Marta',
  'Nils',
  'Olga',
  'Pavel',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Umar',
  'Vera',
  'Wim',
  'Xenia',
  'Yusuf',
];
/** Synthetic study with n fully named authors: Family1 Alice, Family2 Bruno, ... */
function manyAuthors(n: number): StudyBibliography {
  return study('99999999', {
    title: 'A synthetic trial?',
    authors: FIRST_NAMES.slice(0, n).map((given, i) => person(`Family${i + 1}`, given)),
    journal: 'Journal of Synthetic Results',
    journal_iso: 'J Synth Res',
    year: 2020,
    volume: '12',
    issue: '3',
    pages: '1165-71',
    doi: '10.1000/synth.2020.1',
  });
}

/** Strings that betray a missing field rendered carelessly. */
const FORBIDDEN = [
  /undefined/,
  /\bnull\b/,
  /NaN/,
  /\(\)/,
  /(?<![. ])\.\.(?!\.)/,
  /;:/,
  /,\s*,/,
  /,\s*\.(?! \. \.)/,
  /\[object/,
  /: \./,
];

// ---------------------------------------------------------------------------------------------------------------

describe('expandPageRange', () => {
  it('expands NLM-elided ranges and leaves the rest alone', () => {
    expect(expandPageRange('207-14')).toBe('207-214');
    expect(expandPageRange('1167-76')).toBe('1167-1176');
    expect(expandPageRange('1165-71', '\u2013')).toBe('1165\u20131171');
    expect(expandPageRange('97-103')).toBe('97-103');
    expect(expandPageRange('1865-1876')).toBe('1865-1876');
    expect(expandPageRange('367-77', '--')).toBe('367--377');
    expect(expandPageRange('135')).toBe('135');
    expect(expandPageRange('026002')).toBe('026002');
    expect(expandPageRange('e123')).toBe('e123');
    expect(expandPageRange('e0123456')).toBe('e0123456');
    expect(expandPageRange('R12-9')).toBe('R12-19');
    expect(expandPageRange('207-14, 220-5')).toBe('207-214, 220-225');
    expect(expandPageRange('99-5')).toBe('99-5'); // malformed (end before start): kept as stored
  });
});

describe('worked example: PMID 29097493 (evidence-standards.md §3.3)', () => {
  it('Vancouver: first 6 + et al., stored title (en dash), doi, PMID; PMCID', () => {
    expect(formatCitation(GOPALAKRISHNAN, 'vancouver')).toBe(
      'Gopalakrishnan V, Spencer CN, Nezi L, Reuben A, Andrews MC, Karpinets TV, et al. Gut microbiome modulates ' +
        'response to anti–PD-1 immunotherapy in melanoma patients. Science. 2018;359(6371):97-103. ' +
        'doi: 10.1126/science.aan4236. PMID: 29097493; PMCID: PMC5827966.',
    );
  });

  it('AMA 11: first 3 + et al, no space after doi:, no final period', () => {
    expect(formatCitation(GOPALAKRISHNAN, 'ama')).toBe(
      'Gopalakrishnan V, Spencer CN, Nezi L, et al. Gut microbiome modulates response to anti–PD-1 immunotherapy in ' +
        'melanoma patients. Science. 2018;359(6371):97-103. doi:10.1126/science.aan4236',
    );
  });

  it('APA 7 with the six known authors and the known last author', () => {
    expect(formatCitation(GOPALAKRISHNAN, 'apa')).toBe(
      'Gopalakrishnan, V., Spencer, C. N., Nezi, L., Reuben, A., Andrews, M. C., Karpinets, T. V., . . . Wargo, J. A. ' +
        '(2018). Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients. Science, ' +
        '359(6371), 97–103. https://doi.org/10.1126/science.aan4236',
    );
  });

  it('APA 7 reproduces the worked example given the 19 byline authors and the last author', () => {
    const byline = [
      'Gopalakrishnan V',
      'Spencer CN',
      'Nezi L',
      'Reuben A',
      'Andrews MC',
      'Karpinets TV',
      'Prieto PA',
      'Vicente D',
      'Hoffman K',
      'Wei SC',
      'Cogdill AP',
      'Zhao L',
      'Hudgens CW',
      'Hutchinson DS',
      'Manzo T',
      'Petaccia de Macedo M',
      'Cotechini T',
      'Kumar T',
      'Chen WS',
    ].map(nlm);
    expect(formatCitation({ ...GOPALAKRISHNAN, authors: byline }, 'apa')).toBe(
      'Gopalakrishnan, V., Spencer, C. N., Nezi, L., Reuben, A., Andrews, M. C., Karpinets, T. V., Prieto, P. A., ' +
        'Vicente, D., Hoffman, K., Wei, S. C., Cogdill, A. P., Zhao, L., Hudgens, C. W., Hutchinson, D. S., Manzo, T., ' +
        'Petaccia de Macedo, M., Cotechini, T., Kumar, T., Chen, W. S., . . . Wargo, J. A. (2018). Gut microbiome ' +
        'modulates response to anti–PD-1 immunotherapy in melanoma patients. Science, 359(6371), 97–103. ' +
        'https://doi.org/10.1126/science.aan4236',
    );
  });

  it('RIS follows the §3.4 recommendation, keeps the last author out of AU and notes the gap', () => {
    expect(formatCitation(GOPALAKRISHNAN, 'ris')).toBe(
      [
        'TY  - JOUR',
        'AU  - Gopalakrishnan, V.',
        'AU  - Spencer, C. N.',
        'AU  - Nezi, L.',
        'AU  - Reuben, A.',
        'AU  - Andrews, M. C.',
        'AU  - Karpinets, T. V.',
        'TI  - Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients',
        'T2  - Science',
        'J2  - Science',
        'PY  - 2018',
        'VL  - 359',
        'IS  - 6371',
        'SP  - 97',
        'EP  - 103',
        'DO  - 10.1126/science.aan4236',
        'AN  - 29097493',
        'C2  - PMC5827966',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/29097493/',
        'N1  - Author list incomplete: first 6 authors listed; last author: Wargo, J. A.',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });

  it('BibTeX: pmid key, "and others", eprint/eprinttype, pmcid', () => {
    expect(formatCitation(GOPALAKRISHNAN, 'bibtex')).toBe(
      [
        '@article{pmid29097493,',
        '  author = {Gopalakrishnan, V. and Spencer, C. N. and Nezi, L. and Reuben, A. and Andrews, M. C. and Karpinets, T. V. and others},',
        '  title = {{Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients}},',
        '  journal = {Science},',
        '  year = {2018},',
        '  volume = {359},',
        '  number = {6371},',
        '  pages = {97--103},',
        '  doi = {10.1126/science.aan4236},',
        '  eprint = {29097493},',
        '  eprinttype = {pubmed},',
        '  pmcid = {PMC5827966},',
        '  note = {Author list incomplete: first 6 authors listed; last author: Wargo, J. A.}',
        '}',
      ].join('\n'),
    );
  });

  // Changed for issue 9: the separately known last author used to follow the six known authors, so citeproc printed a
  // complete-looking seven-author list. The last known name now carries "et al." (a literal "et al." name was a
  // person to citeproc: APA "& et al.") and the note names the last author.
  it('CSL-JSON: known authors, the last with "et al.", note names the last author', () => {
    const item = toCslItem(GOPALAKRISHNAN);
    expect(item).toEqual({
      type: 'article-journal',
      id: 'pmid:29097493',
      title: 'Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients',
      'container-title': 'Science',
      'container-title-short': 'Science',
      author: [
        { family: 'Gopalakrishnan', given: 'V.' },
        { family: 'Spencer', given: 'C. N.' },
        { family: 'Nezi', given: 'L.' },
        { family: 'Reuben', given: 'A.' },
        { family: 'Andrews', given: 'M. C.' },
        { family: 'Karpinets', given: 'T. V.', suffix: 'et al.' },
      ],
      issued: { 'date-parts': [[2018]] },
      volume: '359',
      issue: '6371',
      page: '97-103',
      DOI: '10.1126/science.aan4236',
      PMID: '29097493',
      PMCID: 'PMC5827966',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/29097493/',
      note: 'Author list incomplete: first 6 authors listed; last author: Wargo, J. A.',
    });
    expect(item.note?.startsWith('Author list incomplete')).toBe(true);
  });
});

describe('group author: PMID 22699609 in all six formats', () => {
  it('text styles keep the group name whole; AMA and APA expand 207-14', () => {
    expect(formatCitation(HMP, 'vancouver')).toBe(
      'Human Microbiome Project Consortium. Structure, function and diversity of the healthy human microbiome. ' +
        'Nature. 2012;486(7402):207-14. doi: 10.1038/nature11234. PMID: 22699609; PMCID: PMC3564958.',
    );
    expect(formatCitation(HMP, 'ama')).toBe(
      'Human Microbiome Project Consortium. Structure, function and diversity of the healthy human microbiome. ' +
        'Nature. 2012;486(7402):207-214. doi:10.1038/nature11234',
    );
    expect(formatCitation(HMP, 'apa')).toBe(
      'Human Microbiome Project Consortium. (2012). Structure, function and diversity of the healthy human ' +
        'microbiome. Nature, 486(7402), 207–214. https://doi.org/10.1038/nature11234',
    );
  });

  it('RIS: one literal AU, SP/EP with the full end page', () => {
    const lines = formatCitation(HMP, 'ris').split('\r\n');
    expect(lines).toContain('AU  - Human Microbiome Project Consortium');
    expect(lines.filter((l) => l.startsWith('AU  - '))).toHaveLength(1);
    expect(lines).toContain('SP  - 207');
    expect(lines).toContain('EP  - 214');
    expect(lines.some((l) => l.startsWith('N1'))).toBe(false);
  });

  it('BibTeX: the group is brace-protected', () => {
    const bib = formatCitation(HMP, 'bibtex');
    expect(bib).toContain('  author = {{Human Microbiome Project Consortium}},');
    expect(bib).toContain('  pages = {207--214},');
    expect(bib.startsWith('@article{pmid22699609,\n')).toBe(true);
  });

  it('CSL-JSON: literal name', () => {
    const item = toCslItem(HMP);
    expect(item.author).toEqual([{ literal: 'Human Microbiome Project Consortium' }]);
    expect(item.page).toBe('207-214');
    expect(item.note).toBeUndefined();
    expect(JSON.parse(formatBibliography([HMP], 'csl-json'))).toEqual([item]);
  });

  it('a group after personal names is joined with a semicolon in NLM and AMA', () => {
    const mixed = study('1', {
      title: 'Trial',
      authors: [nlm('Doe JF'), group('Laser ROP Study Group')],
      journal_iso: 'Arch Ophthalmol',
      year: 1990,
    });
    expect(formatCitation(mixed, 'vancouver')).toBe(
      'Doe JF; Laser ROP Study Group. Trial. Arch Ophthalmol. 1990. PMID: 1.',
    );
    expect(formatCitation(mixed, 'ama')).toBe('Doe JF; Laser ROP Study Group. Trial. Arch Ophthalmol. 1990.');
    expect(formatCitation(mixed, 'apa')).toBe('Doe, J. F., & Laser ROP Study Group. (1990). Trial. Arch Ophthalmol.');
    expect(formatCitation(mixed, 'bibtex')).toContain('author = {Doe, J. F. and {Laser ROP Study Group}}');
  });
});

describe('PMID-only study (35866234) in all six formats', () => {
  it('text styles say what is known', () => {
    expect(formatCitation(PMID_ONLY, 'vancouver')).toBe('PMID: 35866234. Bibliographic details not yet available.');
    expect(formatCitation(PMID_ONLY, 'ama')).toBe('PMID: 35866234. Bibliographic details not yet available.');
    expect(formatCitation(PMID_ONLY, 'apa')).toBe('PMID: 35866234. Bibliographic details not yet available.');
  });

  it('RIS is a valid entry with identifiers only', () => {
    expect(formatCitation(PMID_ONLY, 'ris')).toBe(
      'TY  - JOUR\r\nAN  - 35866234\r\nDB  - PubMed\r\nUR  - https://pubmed.ncbi.nlm.nih.gov/35866234/\r\n' +
        'N1  - Bibliographic details not yet available\r\nER  - \r\n',
    );
  });

  it('BibTeX is a valid entry with eprint and a note', () => {
    expect(formatCitation(PMID_ONLY, 'bibtex')).toBe(
      '@article{pmid35866234,\n  eprint = {35866234},\n  eprinttype = {pubmed},\n' +
        '  note = {Bibliographic details not yet available}\n}',
    );
    const [entry] = plugins.input.data(formatCitation(PMID_ONLY, 'bibtex'), '@biblatex/text') as Array<{
      label: string;
      properties: Record<string, string>;
    }>;
    expect(entry?.label).toBe('pmid35866234');
    expect(entry?.properties.eprint).toBe('35866234');
  });

  it('CSL-JSON has type, id and PMID and nothing null', () => {
    expect(toCslItem(PMID_ONLY)).toEqual({
      type: 'article-journal',
      id: 'pmid:35866234',
      PMID: '35866234',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/35866234/',
      note: 'Bibliographic details not yet available',
    });
  });

  it('a DOI-only record keeps the DOI', () => {
    const s = study('123', { doi: 'https://doi.org/10.1000/xyz' });
    expect(formatCitation(s, 'vancouver')).toBe(
      'doi: 10.1000/xyz. PMID: 123. Bibliographic details not yet available.',
    );
    expect(formatCitation(s, 'ama')).toBe('PMID: 123. Bibliographic details not yet available. doi:10.1000/xyz');
    expect(formatCitation(s, 'apa')).toBe(
      'PMID: 123. Bibliographic details not yet available. https://doi.org/10.1000/xyz',
    );
    expect(toCslItem(s).DOI).toBe('10.1000/xyz');
  });
});

describe('no rendering of missing fields', () => {
  const partial: StudyBibliography[] = [
    PMID_ONLY,
    study('2', { title: 'Only a title' }),
    study('3', { year: 2001 }),
    study('4', { title: 'No issue', journal_iso: 'J', year: 2001, volume: '5', pages: '1-9' }),
    study('5', { title: 'No volume', journal: 'Journal', issue: '2', pages: 'e12' }),
    study('6', { title: 'No year', authors: [nlm('Roe R')], journal_iso: 'J', volume: '1' }),
    study('7', { authors: [], authors_complete: false, last_author: nlm('Last L'), title: 'Only last author' }),
    study('8', { authors: [person('Solo', 'Han')], pages: '12-4' }),
    study('9', { title: 'Season', year: 2001, date_text: 'Spring', month: null, volume: '3' }),
    // runtime garbage from untyped callers must not leak either
    study('10', {
      title: '  ',
      journal: '',
      year: Number.NaN,
      month: 13,
      volume: undefined as unknown as null,
      authors: [{ family: null, given: null, initials: null, collective: null }],
    }),
    ...REAL,
  ];
  for (const s of partial)
    it(`PMID ${s.pmid}: no undefined/null/NaN/()/../;: in any format`, () => {
      for (const f of CITATION_FORMATS) {
        const out = formatBibliography([s], f);
        for (const bad of FORBIDDEN) expect(out, `${f}: ${out}`).not.toMatch(bad);
        // AMA and APA have no PMID element: they show it only when nothing else is known
        if (f !== 'ama' && f !== 'apa') expect(out).toContain(s.pmid);
      }
      const item = toCslItem(s);
      for (const v of Object.values(item)) expect(v === null || v === undefined || v === '').toBe(false);
    });

  it('renders partial records sensibly', () => {
    expect(formatCitation(partial[1]!, 'vancouver')).toBe('Only a title. PMID: 2.');
    expect(formatCitation(partial[1]!, 'apa')).toBe('Only a title. (n.d.).');
    expect(formatCitation(partial[3]!, 'vancouver')).toBe('No issue. J. 2001;5:1-9. PMID: 4.');
    expect(formatCitation(partial[3]!, 'apa')).toBe('No issue. (2001). J, 5, 1–9.');
    expect(formatCitation(partial[4]!, 'ama')).toBe('No volume. Journal. (2):e12.');
    expect(formatCitation(partial[6]!, 'apa')).toBe('. . . Last, L. (n.d.). Only last author.');
    expect(formatCitation(partial[7]!, 'vancouver')).toBe('Solo H. p. 12-4. PMID: 8.');
    expect(formatCitation(partial[8]!, 'ris')).toContain('\r\nDA  - 2001///Spring\r\n');
    expect(toCslItem(partial[8]!).issued).toEqual({ 'date-parts': [[2001]], season: 'Spring' });
    expect(formatCitation(partial[9]!, 'vancouver')).toBe('PMID: 10. Bibliographic details not yet available.');
  });
});

describe('author truncation', () => {
  it('APA: 25 authors → first 19, ". . .", last (no "&")', () => {
    const out = formatCitation(manyAuthors(25), 'apa');
    const first19 = FIRST_NAMES.slice(0, 19)
      .map((g, i) => `Family${i + 1}, ${g[0]}.`)
      .join(', ');
    expect(out).toBe(
      `${first19}, . . . Family25, Y. (2020). A synthetic trial? Journal of Synthetic Results, 12(3), 1165–1171. ` +
        'https://doi.org/10.1000/synth.2020.1',
    );
    expect(out).not.toContain('&');
  });

  it('APA: 20 authors → all, "&" before the last; 2 authors → "A, & B"; 1 author alone', () => {
    const twenty = formatCitation(manyAuthors(20), 'apa');
    expect(twenty).toContain('Family19, S., & Family20, T. (2020).');
    expect(twenty).not.toContain('. . .');
    expect(formatCitation(manyAuthors(2), 'apa').startsWith('Family1, A., & Family2, B. (2020).')).toBe(true);
    expect(formatCitation(manyAuthors(1), 'apa').startsWith('Family1, A. (2020).')).toBe(true);
  });

  it('AMA: 8 authors → first 3 et al; 6 authors → all', () => {
    expect(formatCitation(manyAuthors(8), 'ama')).toBe(
      'Family1 A, Family2 B, Family3 C, et al. A synthetic trial? J Synth Res. 2020;12(3):1165-1171. ' +
        'doi:10.1000/synth.2020.1',
    );
    expect(
      formatCitation(manyAuthors(6), 'ama').startsWith(
        'Family1 A, Family2 B, Family3 C, Family4 D, Family5 E, Family6 F. A synthetic trial?',
      ),
    ).toBe(true);
  });

  it('Vancouver: 8 authors → first 6 et al.; 6 authors → all; pages as stored', () => {
    expect(formatCitation(manyAuthors(8), 'vancouver')).toBe(
      'Family1 A, Family2 B, Family3 C, Family4 D, Family5 E, Family6 F, et al. A synthetic trial? J Synth Res. ' +
        '2020;12(3):1165-71. doi: 10.1000/synth.2020.1. PMID: 99999999.',
    );
    expect(formatCitation(manyAuthors(6), 'vancouver')).toContain('Family6 F. A synthetic trial? J Synth Res.');
  });

  it('incomplete lists always say so', () => {
    expect(formatCitation(SINHA, 'vancouver').startsWith('Sinha S, et al. The skin microbiome')).toBe(true);
    expect(formatCitation(SINHA, 'ama').startsWith('Sinha S, et al. The skin microbiome')).toBe(true);
    // Changed for issue 9: "Sinha, S., . . . (2021)" left a dangling ellipsis; with the last author unknown APA gets "et al.".
    expect(formatCitation(SINHA, 'apa').startsWith('Sinha, S., et al. (2021). The skin microbiome')).toBe(true);
    expect(formatCitation(SINHA, 'bibtex')).toContain('author = {Sinha, S. and others}');
    expect(toCslItem(SINHA).note).toBe('Author list incomplete: first 1 author listed');
    expect(formatCitation(HOU, 'ama').startsWith('Hou K, Wu ZX, Chen XY, et al. Microbiota')).toBe(true);
    expect(formatCitation(HOU, 'apa')).toContain('Xiao, C., . . . Chen, Z. S. (2022).');
    expect(
      formatCitation(ONEILL, 'vancouver').startsWith("O'Neill CA, Monteleone G, McLaughlin JT, Paus R. The gut"),
    ).toBe(true);
    expect(
      formatCitation(ONEILL, 'apa').startsWith("O'Neill, C. A., Monteleone, G., McLaughlin, J. T., & Paus, R. (2016)."),
    ).toBe(true);
  });

  it('APA initials keep hyphens of given names; NLM drops them', () => {
    const s = study('5', {
      title: 'T',
      authors: [person('Dupont', 'Jean-Pierre', 'JP'), person('Lee', 'Mary Ann'), person('Wu', 'JA')],
    });
    expect(formatCitation(s, 'apa').startsWith('Dupont, J.-P., Lee, M. A., & Wu, J. A. (n.d.).')).toBe(true);
    expect(formatCitation(s, 'vancouver').startsWith('Dupont JP, Lee MA, Wu JA. T.')).toBe(true);
    expect(formatCitation(s, 'ris')).toContain('AU  - Dupont, Jean-Pierre\r\n');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Read the RIS and BibTeX output back with citation-js's parsers (an implementation independent of ours).

interface ParsedName {
  family?: string;
  given?: string;
  literal?: string;
}
const nameKey = (n: ParsedName): string => n.literal ?? [n.family, n.given].filter(Boolean).join(', ');
/** The names a reader should see: the known authors (not the separately known last author). */
const expectedNames = (s: StudyBibliography): string[] =>
  (toCslItem({ ...s, last_author: null }).author ?? []).filter((n) => n.literal !== 'et al.').map(nameKey);
const year = (item: Record<string, unknown>): number | undefined =>
  (item.issued as { 'date-parts'?: number[][] } | undefined)?.['date-parts']?.[0]?.[0];

describe('round trip through citation-js', () => {
  const withDetails = REAL.filter((s) => s !== PMID_ONLY);
  const tricky = study('424242', {
    title: 'Costs & 50% of $x_1$ # {braces} ~tilde ^caret \\backslash: "quoted" – dash',
    authors: [person('Petaccia de Macedo', 'Marina'), person('van der Berg', 'Anna'), group('R&D Group, Europe')],
    journal: 'Journal of A & B',
    journal_iso: 'J A B',
    year: 1999,
    month: 6,
    day: 13,
    volume: '10',
    issue: '2 Suppl',
    pages: '1-5',
    doi: '10.1002/(SICI)1097-0258(19980815/30)17:15/16<1661::AID-SIM968>3.0.CO;2-2',
  });

  it('RIS: every line is "XX  - value", CRLF throughout, one TY…ER per study', () => {
    const text = formatBibliography([...REAL, tricky], 'ris');
    expect(text.endsWith('ER  - \r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n').slice(0, -1);
    for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9] {2}- /);
    expect(lines.filter((l) => l === 'TY  - JOUR')).toHaveLength(REAL.length + 1);
    expect(lines.filter((l) => l === 'ER  - ')).toHaveLength(REAL.length + 1);
  });

  it('RIS: title, authors, year, DOI and PMID survive', () => {
    const studies = [...withDetails, tricky];
    const text = formatBibliography(studies, 'ris');
    const items = new Cite(text).data;
    const raw = plugins.input.data(text, '@ris/file') as Array<Record<string, unknown>>;
    expect(items).toHaveLength(studies.length);
    studies.forEach((s, i) => {
      const item = items[i]!;
      expect(item.title).toBe(s.title);
      expect(((item.author as ParsedName[] | undefined) ?? []).map(nameKey)).toEqual(expectedNames(s));
      expect(year(item)).toBe(s.year);
      expect(item.DOI).toBe(s.doi);
      expect(raw[i]?.AN).toBe(s.pmid);
      expect(item.URL).toBe(`https://pubmed.ncbi.nlm.nih.gov/${s.pmid}/`);
    });
    expect(items[studies.length - 1]?.page).toBe('1-5');
    expect(items[studies.length - 1]?.issued).toEqual({ 'date-parts': [[1999, 6, 13]] });
    expect(items[0]?.page).toBe('97-103');
    expect(items[0]?.PMCID).toBe('PMC5827966');
  });

  it('BibTeX: title, authors, year, DOI and PMID survive, special characters included', () => {
    const studies = [...withDetails, tricky];
    const text = formatBibliography(studies, 'bibtex');
    expect(text.split('\n\n')).toHaveLength(studies.length);
    // braces balance in every entry, even with "{" and "}" in the title
    for (const entry of text.split('\n\n')) {
      let depth = 0;
      for (const c of entry) {
        depth += c === '{' ? 1 : c === '}' ? -1 : 0;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect(depth).toBe(0);
    }
    const items = new Cite(text).data;
    expect(items).toHaveLength(studies.length);
    studies.forEach((s, i) => {
      const item = items[i]!;
      expect(item.id).toBe(`pmid${s.pmid}`);
      expect(item.title).toBe(s.title);
      // citation-js reads a braced group as a family name and "others" as a name: map both back
      const names = ((item.author as ParsedName[] | undefined) ?? [])
        .filter((n) => n.family !== 'others')
        .map((n) => nameKey(n.given ? n : { literal: n.family }));
      expect(names).toEqual(expectedNames(s));
      expect(year(item)).toBe(s.year);
      expect(item.DOI).toBe(s.doi);
      expect(item.PMID).toBe(s.pmid);
    });
    expect(items[studies.length - 1]?.['container-title']).toBe('Journal of A & B');
  });
});

describe('CSL-JSON', () => {
  const ALLOWED = new Set([
    'type',
    'id',
    'title',
    'container-title',
    'container-title-short',
    'author',
    'issued',
    'volume',
    'issue',
    'page',
    'DOI',
    'PMID',
    'PMCID',
    'URL',
    'note',
  ]);

  it('items carry type, id, PMID and DOI and use only CSL schema keys', () => {
    const items = JSON.parse(formatBibliography(REAL, 'csl-json')) as Array<Record<string, unknown>>;
    expect(items).toHaveLength(REAL.length);
    items.forEach((item, i) => {
      const s = REAL[i]!;
      expect(item.type).toBe('article-journal');
      expect(item.id).toBe(`pmid:${s.pmid}`);
      expect(item.PMID).toBe(s.pmid);
      if (s.doi) expect(item.DOI).toBe(s.doi);
      for (const key of Object.keys(item)) expect(ALLOWED.has(key), key).toBe(true);
      expect(JSON.stringify(item)).not.toContain('null');
    });
  });

  it('dates: only known parts; raw MedlineDate kept', () => {
    expect(toCslItem(study('1', { year: 2012, month: 6, day: 13 })).issued).toEqual({ 'date-parts': [[2012, 6, 13]] });
    expect(toCslItem(study('1', { year: 2012, month: 6 })).issued).toEqual({ 'date-parts': [[2012, 6]] });
    expect(toCslItem(study('1', { year: 2012, day: 13 })).issued).toEqual({ 'date-parts': [[2012]] });
    expect(toCslItem(study('1', { year: 1998, date_text: '1998 Dec-1999 Jan' })).issued).toEqual({
      'date-parts': [[1998]],
      raw: '1998 Dec-1999 Jan',
    });
    expect(toCslItem(study('1')).issued).toBeUndefined();
  });

  it('citation-js accepts the items', () => {
    const data = new Cite(REAL.map(toCslItem)).data;
    expect(data.map((d) => d.PMID)).toEqual(REAL.map((s) => s.pmid));
  });
});

describe('bibliographies and metadata', () => {
  it('numbers Vancouver and AMA in the order asked; APA is alphabetical and unnumbered; joins with \\n', () => {
    const v = formatBibliography([GOPALAKRISHNAN, HMP, PMID_ONLY], 'vancouver').split('\n');
    expect(v).toHaveLength(3);
    expect(v[0]?.startsWith('1. Gopalakrishnan V,')).toBe(true);
    expect(v[1]?.startsWith('2. Human Microbiome Project Consortium.')).toBe(true);
    expect(v[2]).toBe('3. PMID: 35866234. Bibliographic details not yet available.');
    expect(formatBibliography([SINHA, HMP], 'ama').split('\n')[1]?.startsWith('2. Human')).toBe(true);
    // Changed for issue 9: APA lists are alphabetical (APA 7 §9.44), so HMP ("Human ...") comes before Sinha.
    const apa = formatBibliography([SINHA, HMP], 'apa').split('\n');
    expect(apa[0]?.startsWith('Human Microbiome Project Consortium. (2012).')).toBe(true);
    expect(apa[1]?.startsWith('Sinha, S., et al. (2021).')).toBe(true);
  });

  it('empty input', () => {
    for (const f of CITATION_FORMATS) expect(formatBibliography([], f)).toBe(f === 'csl-json' ? '[]' : '');
  });

  it('media types and file extensions', () => {
    const expected: Record<CitationFormat, [string, string | null]> = {
      vancouver: ['text/plain; charset=utf-8', null],
      ama: ['text/plain; charset=utf-8', null],
      apa: ['text/plain; charset=utf-8', null],
      ris: ['application/x-research-info-systems', '.ris'],
      bibtex: ['application/x-bibtex', '.bib'],
      'csl-json': ['application/vnd.citationstyles.csl+json', '.json'],
    };
    for (const f of CITATION_FORMATS) {
      expect(CITATION_MEDIA_TYPES[f]).toBe(expected[f][0]);
      expect(CITATION_FILE_EXTENSIONS[f]).toBe(expected[f][1]);
    }
  });
});
