// Citation kinds and rules beyond the field reports, on synthetic records (marked) shaped like parsed PubMed records:
// books, chapters, preprints, online-first, retraction by type, expressions of concern, suffixes, NLM page ranges,
// APA title case and reference-list order.

import { describe, expect, it } from 'vitest';
import {
  formatBibliography,
  formatCitation,
  journalName,
  nlmPageRange,
  titleCase,
  toCslItem,
} from '../src/citations/citations.format.js';
import type { StudyBibliography } from '../src/evidence/study-record.js';
import { person, study } from './study-builders.js';

const base = study;
const p = person;
const BOOK = base('900000301', {
  publication_kind: 'book',
  title: 'Handbook of Tests',
  authors: [p('Roe', 'Richard', 'R', 'Sr')],
  editors: [],
  publisher: 'Test Press',
  publisher_place: 'Boston (MA)',
  edition: '3rd',
  isbn: '0-000-00000-0',
  year: 2010,
  bookshelf_id: 'NBK0001',
  publication_types: ['Book'],
});
const CHAPTER = base('900000302', {
  publication_kind: 'chapter',
  title: 'Gut and skin',
  authors: [p('Smith', 'Jane', 'J'), p('Wood', 'Alastair J', 'AJ', '3rd')],
  journal: 'Handbook of Tests',
  editors: [p('Roe', 'Richard', 'R')],
  publisher: 'Test Press',
  publisher_place: 'Boston (MA)',
  edition: '2nd',
  year: 2011,
  pages: '93-113',
  doi: '10.1000/chap',
});
const PT_ONLY = base('900000303', {
  title: 'Retracted by type only.',
  authors: [p('Doe', 'John', 'J')],
  journal: 'Journal of tests (London, England)',
  journal_medline_ta: 'J Tests',
  year: 2001,
  volume: '5',
  pages: '100-109',
  publication_types: ['Journal Article', 'Retracted Publication'],
});
const EOC = base('900000304', {
  title: 'Concerning.',
  authors: [p('Doe', 'John', 'J')],
  journal_medline_ta: 'J Tests',
  journal: 'Journal of tests',
  year: 2020,
  volume: '7',
  pages: '1-2',
  doi: '10.1000/eoc',
  notices: [{ type: 'ExpressionOfConcernIn', pmid: '900000305', ref_source: 'J Tests. 2021;8:3', note: null }],
});
const BIORXIV = base('900000306', {
  publication_kind: 'preprint',
  title: 'A bioRxiv preprint.',
  authors: [p('Lee', 'Ann', 'A')],
  journal: 'bioRxiv : the preprint server for biology',
  journal_iso: 'bioRxiv',
  journal_medline_ta: 'bioRxiv',
  year: 2023,
  month: 1,
  day: 3,
  doi: '10.1101/2023.01.02.522533',
  elocation_id: '2023.01.02.522533',
  publication_status: 'epublish',
  publication_types: ['Preprint'],
});
const EPUB = base('900000307', {
  title: 'Online first.',
  authors: [p('Doe', 'John', 'J')],
  journal: 'JAMA',
  journal_iso: 'JAMA',
  journal_medline_ta: 'JAMA',
  year: 2022,
  month: 11,
  day: 1,
  article_date: '2022-10-07',
  publication_status: 'aheadofprint',
  doi: '10.1001/jama.2022.1',
});

describe('synthetic BOOK: a whole book (MEDLINE PT "Book") with a Sr suffix, edition, ISBN and Bookshelf id', () => {
  it('vancouver', () => {
    expect(formatCitation(BOOK, 'vancouver')).toBe(
      'Roe R Sr. Handbook of Tests [Internet]. 3rd ed. Boston (MA): Test Press; 2010. PMID: 900000301.',
    );
  });
  it('ama', () => {
    expect(formatCitation(BOOK, 'ama')).toBe('Roe R Sr. Handbook of Tests. 3rd ed. Test Press; 2010.');
  });
  it('apa', () => {
    expect(formatCitation(BOOK, 'apa')).toBe(
      'Roe, R., Sr. (2010). Handbook of Tests (3rd ed.). Test Press. https://www.ncbi.nlm.nih.gov/books/NBK0001/',
    );
  });
  it('ris', () => {
    expect(formatCitation(BOOK, 'ris')).toBe(
      [
        'TY  - BOOK',
        'AU  - Roe, Richard, Sr',
        'TI  - Handbook of Tests',
        'PY  - 2010',
        'ET  - 3rd',
        'PB  - Test Press',
        'CY  - Boston (MA)',
        'SN  - 0-000-00000-0',
        'AN  - 900000301',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/900000301/',
        'UR  - https://www.ncbi.nlm.nih.gov/books/NBK0001/',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });
  it('bibtex', () => {
    expect(formatCitation(BOOK, 'bibtex')).toBe(
      [
        '@book{pmid900000301,',
        '  author = {Roe, Sr, Richard},',
        '  title = {{Handbook of Tests}},',
        '  edition = {3rd},',
        '  publisher = {Test Press},',
        '  address = {Boston (MA)},',
        '  year = {2010},',
        '  isbn = {0-000-00000-0},',
        '  eprint = {900000301},',
        '  eprinttype = {pubmed}',
        '}',
      ].join('\n'),
    );
  });
  it('csl-json', () => {
    expect(toCslItem(BOOK)).toEqual({
      type: 'book',
      id: 'pmid:900000301',
      title: 'Handbook of Tests',
      author: [{ family: 'Roe', given: 'Richard', suffix: 'Sr' }],
      issued: { 'date-parts': [[2010]] },
      edition: '3rd',
      publisher: 'Test Press',
      'publisher-place': 'Boston (MA)',
      ISBN: '0-000-00000-0',
      PMID: '900000301',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/900000301/',
    });
  });
});

describe('synthetic CHAPTER: a chapter with pages, an editor and a 3rd suffix', () => {
  it('vancouver', () => {
    expect(formatCitation(CHAPTER, 'vancouver')).toBe(
      'Smith J, Wood AJ 3rd. Gut and skin. In: Roe R, editor. Handbook of Tests. 2nd ed. Boston (MA): Test Press; 2011. p. 93-113. doi: 10.1000/chap. PMID: 900000302.',
    );
  });
  it('ama', () => {
    expect(formatCitation(CHAPTER, 'ama')).toBe(
      'Smith J, Wood AJ 3rd. Gut and skin. In: Roe R, ed. Handbook of Tests. 2nd ed. Test Press; 2011:93-113. doi:10.1000/chap',
    );
  });
  it('apa', () => {
    expect(formatCitation(CHAPTER, 'apa')).toBe(
      'Smith, J., & Wood, A. J., 3rd. (2011). Gut and skin. In R. Roe (Ed.), Handbook of Tests (2nd ed., pp. 93–113). Test Press. https://doi.org/10.1000/chap',
    );
  });
  it('ris', () => {
    expect(formatCitation(CHAPTER, 'ris')).toBe(
      [
        'TY  - CHAP',
        'AU  - Smith, Jane',
        'AU  - Wood, Alastair J, 3rd',
        'A2  - Roe, Richard',
        'TI  - Gut and skin',
        'T2  - Handbook of Tests',
        'PY  - 2011',
        'SP  - 93',
        'EP  - 113',
        'ET  - 2nd',
        'PB  - Test Press',
        'CY  - Boston (MA)',
        'DO  - 10.1000/chap',
        'AN  - 900000302',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/900000302/',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });
  it('bibtex', () => {
    expect(formatCitation(CHAPTER, 'bibtex')).toBe(
      [
        '@incollection{pmid900000302,',
        '  author = {Smith, Jane and Wood, 3rd, Alastair J},',
        '  editor = {Roe, Richard},',
        '  title = {{Gut and skin}},',
        '  booktitle = {Handbook of Tests},',
        '  edition = {2nd},',
        '  publisher = {Test Press},',
        '  address = {Boston (MA)},',
        '  year = {2011},',
        '  pages = {93--113},',
        '  doi = {10.1000/chap},',
        '  eprint = {900000302},',
        '  eprinttype = {pubmed}',
        '}',
      ].join('\n'),
    );
  });
  it('csl-json', () => {
    expect(toCslItem(CHAPTER)).toEqual({
      type: 'chapter',
      id: 'pmid:900000302',
      title: 'Gut and skin',
      'container-title': 'Handbook of Tests',
      author: [
        { family: 'Smith', given: 'Jane' },
        { family: 'Wood', given: 'Alastair J', suffix: '3rd' },
      ],
      editor: [{ family: 'Roe', given: 'Richard' }],
      issued: { 'date-parts': [[2011]] },
      page: '93-113',
      edition: '2nd',
      publisher: 'Test Press',
      'publisher-place': 'Boston (MA)',
      DOI: '10.1000/chap',
      PMID: '900000302',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/900000302/',
    });
  });
});

describe('synthetic PT_ONLY: a retraction known only from the publication type', () => {
  it('vancouver', () => {
    expect(formatCitation(PT_ONLY, 'vancouver')).toBe(
      'Doe J. Retracted by type only. J Tests. 2001;5:100-9. Retracted publication. PMID: 900000303.',
    );
  });
  it('ama', () => {
    expect(formatCitation(PT_ONLY, 'ama')).toBe('Doe J. Retracted by type only [retracted]. J Tests. 2001;5:100-109.');
  });
  it('apa', () => {
    expect(formatCitation(PT_ONLY, 'apa')).toBe(
      'Doe, J. (2001). Retracted by type only. Journal of Tests, 5, 100–109. (Retracted)',
    );
  });
  it('ris', () => {
    expect(formatCitation(PT_ONLY, 'ris')).toBe(
      [
        'TY  - JOUR',
        'AU  - Doe, John',
        'TI  - Retracted by type only',
        'T2  - Journal of Tests',
        'J2  - J Tests',
        'PY  - 2001',
        'VL  - 5',
        'SP  - 100',
        'EP  - 109',
        'AN  - 900000303',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/900000303/',
        'N1  - Retracted publication',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });
  it('bibtex', () => {
    expect(formatCitation(PT_ONLY, 'bibtex')).toBe(
      [
        '@article{pmid900000303,',
        '  author = {Doe, John},',
        '  title = {{Retracted by type only}},',
        '  journal = {Journal of Tests},',
        '  shortjournal = {J Tests},',
        '  year = {2001},',
        '  volume = {5},',
        '  pages = {100--109},',
        '  eprint = {900000303},',
        '  eprinttype = {pubmed},',
        '  note = {Retracted publication}',
        '}',
      ].join('\n'),
    );
  });
  it('csl-json', () => {
    expect(toCslItem(PT_ONLY)).toEqual({
      type: 'article-journal',
      id: 'pmid:900000303',
      title: 'Retracted by type only',
      'container-title': 'Journal of Tests',
      'container-title-short': 'J Tests',
      author: [{ family: 'Doe', given: 'John' }],
      issued: { 'date-parts': [[2001]] },
      volume: '5',
      page: '100-109',
      PMID: '900000303',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/900000303/',
      status: 'retracted',
    });
  });
});

describe('synthetic EOC: an expression of concern is shown, not acted on', () => {
  it('vancouver', () => {
    expect(formatCitation(EOC, 'vancouver')).toBe(
      'Doe J. Concerning. J Tests. 2020;7:1-2. doi: 10.1000/eoc. Expression of concern in: J Tests. 2021;8:3. PMID: 900000304.',
    );
  });
  it('ama', () => {
    expect(formatCitation(EOC, 'ama')).toBe(
      'Doe J. Concerning [expression of concern in: J Tests. 2021;8:3]. J Tests. 2020;7:1-2. doi:10.1000/eoc',
    );
  });
  it('apa', () => {
    expect(formatCitation(EOC, 'apa')).toBe(
      'Doe, J. (2020). Concerning. Journal of Tests, 7, 1–2. https://doi.org/10.1000/eoc (Expression of concern published 2021, J Tests. 2021;8:3)',
    );
  });
  it('ris', () => {
    expect(formatCitation(EOC, 'ris')).toBe(
      [
        'TY  - JOUR',
        'AU  - Doe, John',
        'TI  - Concerning',
        'T2  - Journal of Tests',
        'J2  - J Tests',
        'PY  - 2020',
        'VL  - 7',
        'SP  - 1',
        'EP  - 2',
        'DO  - 10.1000/eoc',
        'AN  - 900000304',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/900000304/',
        'N1  - Expression of concern in: J Tests. 2021;8:3. PMID: 900000305',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });
  it('bibtex', () => {
    expect(formatCitation(EOC, 'bibtex')).toBe(
      [
        '@article{pmid900000304,',
        '  author = {Doe, John},',
        '  title = {{Concerning}},',
        '  journal = {Journal of Tests},',
        '  shortjournal = {J Tests},',
        '  year = {2020},',
        '  volume = {7},',
        '  pages = {1--2},',
        '  doi = {10.1000/eoc},',
        '  eprint = {900000304},',
        '  eprinttype = {pubmed},',
        '  note = {Expression of concern in: J Tests. 2021;8:3. PMID: 900000305}',
        '}',
      ].join('\n'),
    );
  });
  it('csl-json', () => {
    expect(toCslItem(EOC)).toEqual({
      type: 'article-journal',
      id: 'pmid:900000304',
      title: 'Concerning',
      'container-title': 'Journal of Tests',
      'container-title-short': 'J Tests',
      author: [{ family: 'Doe', given: 'John' }],
      issued: { 'date-parts': [[2020]] },
      volume: '7',
      page: '1-2',
      DOI: '10.1000/eoc',
      PMID: '900000304',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/900000304/',
      note: 'Expression of concern in: J Tests. 2021;8:3. PMID: 900000305',
    });
  });
});

describe('synthetic BIORXIV: a bioRxiv preprint with a DOI and no arXiv id', () => {
  it('vancouver', () => {
    expect(formatCitation(BIORXIV, 'vancouver')).toBe(
      'Lee A. A bioRxiv preprint. bioRxiv [Preprint]. 2023 Jan 3:2023.01.02.522533. doi: 10.1101/2023.01.02.522533. PMID: 900000306.',
    );
  });
  it('ama', () => {
    expect(formatCitation(BIORXIV, 'ama')).toBe(
      'Lee A. A bioRxiv preprint. bioRxiv. Preprint posted online January 3, 2023. doi:10.1101/2023.01.02.522533',
    );
  });
  it('apa', () => {
    expect(formatCitation(BIORXIV, 'apa')).toBe(
      'Lee, A. (2023). A bioRxiv preprint [Preprint]. bioRxiv. https://doi.org/10.1101/2023.01.02.522533',
    );
  });
  it('ris', () => {
    expect(formatCitation(BIORXIV, 'ris')).toBe(
      [
        'TY  - UNPB',
        'AU  - Lee, Ann',
        'TI  - A bioRxiv preprint',
        'PY  - 2023',
        'DA  - 2023/01/03/',
        'PB  - bioRxiv',
        'M1  - 2023.01.02.522533',
        'M3  - Preprint',
        'DO  - 10.1101/2023.01.02.522533',
        'AN  - 900000306',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/900000306/',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });
  it('bibtex', () => {
    expect(formatCitation(BIORXIV, 'bibtex')).toBe(
      [
        '@misc{pmid900000306,',
        '  author = {Lee, Ann},',
        '  title = {{A bioRxiv preprint}},',
        '  howpublished = {bioRxiv},',
        '  year = {2023},',
        '  month = jan,',
        '  doi = {10.1101/2023.01.02.522533},',
        '  eprint = {900000306},',
        '  eprinttype = {pubmed},',
        '  note = {Preprint}',
        '}',
      ].join('\n'),
    );
  });
  it('csl-json', () => {
    expect(toCslItem(BIORXIV)).toEqual({
      type: 'article',
      id: 'pmid:900000306',
      title: 'A bioRxiv preprint',
      author: [{ family: 'Lee', given: 'Ann' }],
      issued: { 'date-parts': [[2023, 1, 3]] },
      'available-date': { 'date-parts': [[2023, 1, 3]] },
      publisher: 'bioRxiv',
      number: '2023.01.02.522533',
      genre: 'Preprint',
      DOI: '10.1101/2023.01.02.522533',
      PMID: '900000306',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/900000306/',
    });
  });
});

describe('synthetic EPUB: ahead of print with an ArticleDate: the electronic date per style', () => {
  it('vancouver', () => {
    expect(formatCitation(EPUB, 'vancouver')).toBe(
      'Doe J. Online first. JAMA. 2022 Oct 7 [Epub ahead of print]. doi: 10.1001/jama.2022.1. PMID: 900000307.',
    );
  });
  it('ama', () => {
    expect(formatCitation(EPUB, 'ama')).toBe(
      'Doe J. Online first. JAMA. Published online October 7, 2022. doi:10.1001/jama.2022.1',
    );
  });
  it('apa', () => {
    expect(formatCitation(EPUB, 'apa')).toBe(
      'Doe, J. (2022). Online first. JAMA. Advance online publication. https://doi.org/10.1001/jama.2022.1',
    );
  });
  it('ris', () => {
    expect(formatCitation(EPUB, 'ris')).toBe(
      [
        'TY  - JOUR',
        'AU  - Doe, John',
        'TI  - Online first',
        'T2  - JAMA',
        'J2  - JAMA',
        'PY  - 2022',
        'DA  - 2022/11/01/',
        'DO  - 10.1001/jama.2022.1',
        'AN  - 900000307',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/900000307/',
        'N1  - Epub ahead of print 2022 Oct 7',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });
  it('bibtex', () => {
    expect(formatCitation(EPUB, 'bibtex')).toBe(
      [
        '@article{pmid900000307,',
        '  author = {Doe, John},',
        '  title = {{Online first}},',
        '  journal = {JAMA},',
        '  year = {2022},',
        '  month = nov,',
        '  doi = {10.1001/jama.2022.1},',
        '  eprint = {900000307},',
        '  eprinttype = {pubmed},',
        '  note = {Epub ahead of print 2022 Oct 7}',
        '}',
      ].join('\n'),
    );
  });
  it('csl-json', () => {
    expect(toCslItem(EPUB)).toEqual({
      type: 'article-journal',
      id: 'pmid:900000307',
      title: 'Online first',
      'container-title': 'JAMA',
      'container-title-short': 'JAMA',
      author: [{ family: 'Doe', given: 'John' }],
      issued: { 'date-parts': [[2022, 11, 1]] },
      'available-date': { 'date-parts': [[2022, 10, 7]] },
      DOI: '10.1001/jama.2022.1',
      PMID: '900000307',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/900000307/',
      status: 'advance online publication',
      note: 'Epub ahead of print 2022 Oct 7',
    });
  });
});

describe('NLM page ranges (Citing Medicine): Vancouver shortens every range the same way', () => {
  it.each([
    ['829-839', '829-39'],
    ['207-14', '207-14'],
    ['1865-1876', '1865-76'],
    ['97-103', '97-103'],
    ['100-109', '100-9'],
    ['1638-1645', '1638-45'],
    ['R12-R19', 'R12-9'],
    ['e0216835', 'e0216835'],
    ['207-14, 220-225', '207-14, 220-5'],
  ])('%s → %s', (stored, printed) => {
    expect(nlmPageRange(stored)).toBe(printed);
  });

  it('applies it in the citation, whatever form PubMed stored', () => {
    const full = base('1', { title: 'T', journal_medline_ta: 'J', year: 2021, volume: '39', pages: '829-839' });
    expect(formatCitation(full, 'vancouver')).toBe('T. J. 2021;39:829-39. PMID: 1.');
  });
});

describe('journal names for APA, RIS, BibTeX and CSL (APA 7 §6.17 title case, NLM place qualifier removed)', () => {
  it.each([
    ['Arthritis & rheumatology (Hoboken, N.J.)', 'Arthritis Rheumatol', 'Arthritis & Rheumatology'],
    ['Osteoarthritis and cartilage', 'Osteoarthr. Cartil.', 'Osteoarthritis and Cartilage'],
    ['PloS one', 'PLoS ONE', 'PLoS ONE'],
    ['Science (New York, N.Y.)', 'Science', 'Science'],
    ['The Lancet. Oncology', 'Lancet Oncol', 'The Lancet. Oncology'],
    [
      'Journal of the American Academy of Dermatology',
      'J Am Acad Dermatol',
      'Journal of the American Academy of Dermatology',
    ],
  ])('%s (ISO %s) → %s', (journal, iso, name) => {
    expect(journalName({ journal, journalIso: iso, journalTa: null })).toBe(name);
  });

  it('keeps minor words lower case except first and after a colon, and capitalises both halves of a hyphenated word', () => {
    expect(titleCase('the journal of self-report studies: a review in practice')).toBe(
      'The Journal of Self-Report Studies: A Review in Practice',
    );
  });
});

describe('APA reference list order (APA 7 §9.44-9.47)', () => {
  it('sorts by surname letter by letter, then initials, groups by name, titles without authors without "The"', () => {
    const s = (pmid: string, fields: Partial<StudyBibliography>) =>
      base(pmid, { journal_iso: 'J', year: 2020, ...fields });
    const list = [
      s('1', { title: 'Zeta.', authors: [p('Browning', 'Anne', 'A')] }),
      s('2', { title: 'The anonymous report.' }),
      s('3', { title: 'Alpha.', authors: [p('Brown', 'John', 'J')] }),
      s('4', {
        title: 'Group.',
        authors: [{ family: null, given: null, initials: null, collective: 'Cochrane Group' }],
      }),
      s('5', { title: 'Later.', authors: [p('Brown', 'John', 'J')], year: 2021 }),
      s('6', { title: 'Earlier.', authors: [p('Brown', 'Ann', 'A')] }),
    ];
    expect(
      formatBibliography(list, 'apa')
        .split('\n')
        .map((line) => line.slice(0, 22)),
    ).toEqual([
      'The anonymous report. ',
      'Brown, A. (2020). Earl',
      'Brown, J. (2020). Alph',
      'Brown, J. (2021). Late',
      'Browning, A. (2020). Z',
      'Cochrane Group. (2020)',
    ]);
  });

  it('numbers Vancouver and AMA in the order asked, never re-sorted', () => {
    const list = [base('2', { title: 'Second.', year: 2020 }), base('1', { title: 'First.', year: 2020 })];
    expect(formatBibliography(list, 'vancouver')).toBe('1. Second. 2020. PMID: 2.\n2. First. 2020. PMID: 1.');
    expect(formatBibliography(list, 'ama')).toBe('1. Second. 2020.\n2. First. 2020.');
  });

  it('21 authors: first 19, ". . .", the last (APA 7 §9.8)', () => {
    const authors = Array.from({ length: 21 }, (_, i) => p(`F${i + 1}`, 'A', 'A'));
    const out = formatCitation(base('1', { title: 'T.', authors, year: 2020 }), 'apa');
    expect(
      out.startsWith(
        `${authors
          .slice(0, 19)
          .map((_, i) => `F${i + 1}, A.`)
          .join(', ')}, . . . F21, A. (2020).`,
      ),
    ).toBe(true);
  });
});
