// Specification of the PubMed XML / MEDLINE parser and the study-design mapping, against real PubMed fixtures.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveDesign } from '../src/importers/pubmed/pubmed.design.js';
import {
  MalformedFileError,
  type PubmedRecord,
  parseMedline,
  parsePubmedFile,
  parsePubmedXml,
} from '../src/importers/pubmed/pubmed.parse.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/pubmed/${name}`, import.meta.url), 'utf8');

function only(records: PubmedRecord[]): PubmedRecord {
  expect(records).toHaveLength(1);
  return records[0] as PubmedRecord;
}

const person = (family: string, given: string | null, initials: string | null) => ({
  family,
  given,
  initials,
  collective: null,
});

const articleSet = (...articles: string[]): string =>
  `<?xml version="1.0"?>\n<PubmedArticleSet>${articles.join('\n')}</PubmedArticleSet>`;

/** A minimal PubmedArticle; `pmid` null leaves the PMID element out. */
const article = (pmid: string | null, title: string): string => `
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">${pmid === null ? '' : `<PMID Version="1">${pmid}</PMID>`}
  <Article PubModel="Print"><Journal>
  <JournalIssue CitedMedium="Print"><PubDate><Year>2020</Year></PubDate></JournalIssue>
  <Title>Test journal</Title></Journal><ArticleTitle>${title}</ArticleTitle>
  <PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList></Article>
</MedlineCitation></PubmedArticle>`;

describe('parsePubmedXml: randomised trial (rct-29768149.xml)', () => {
  const { records, skipped } = parsePubmedXml(fixture('rct-29768149.xml'));
  const record = only(records);

  it('reads the record’s own identifiers and not those of the comments on it', () => {
    expect(skipped).toEqual([]);
    expect(record.pmid).toBe('29768149');
    expect(record.doi).toBe('10.1056/NEJMoa1715274');
    expect(record.pmcid).toBeNull();
    expect(record.kind).toBe('article');
  });

  it('reads title, journal, date, volume, issue and pages', () => {
    expect(record.title).toBe('Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.');
    expect(record.journal).toBe('The New England journal of medicine');
    expect(record.journal_iso).toBe('N Engl J Med');
    expect([record.year, record.month, record.day, record.date_text]).toEqual([2018, 5, 17, null]);
    expect([record.volume, record.issue, record.pages]).toEqual(['378', '20', '1865-1876']);
  });

  it('reads all ten authors in order', () => {
    expect(record.authors).toHaveLength(10);
    expect(record.authors[0]).toEqual(person("O'Byrne", 'Paul M', 'PM'));
    expect(record.authors[9]).toEqual(person('Reddel', 'Helen K', 'HK'));
    expect(record.authors_complete).toBe(true);
    expect(record.last_author).toBeNull();
  });

  it('keeps the structured abstract’s labels and decodes numeric character references', () => {
    const abstract = record.abstract ?? '';
    expect(abstract.startsWith('BACKGROUND: In patients with mild asthma, as-needed use')).toBe(true);
    expect(abstract).toContain('\n\nMETHODS: We conducted a 52-week, double-blind trial');
    expect(abstract).toContain('\n\nRESULTS: A total of 3849 patients');
    expect(abstract).toContain('\n\nCONCLUSIONS: In patients with mild asthma');
    expect(abstract).toContain('(200 μg of budesonide and 6 μg of formoterol)');
    expect(abstract).toContain('fast-acting β 2-agonist');
  });

  it('lists publication types and MeSH descriptors, and classifies it as an RCT', () => {
    expect(record.publication_types).toEqual([
      'Clinical Trial, Phase III',
      'Comparative Study',
      'Journal Article',
      'Multicenter Study',
      'Randomized Controlled Trial',
      "Research Support, Non-U.S. Gov't",
    ]);
    expect(record.mesh_terms).toHaveLength(23);
    expect(record.mesh_terms[0]).toBe('Administration, Inhalation');
    expect(record.mesh_terms[22]).toBe('Young Adult');
    expect(record.mesh_terms).toContain('Bronchodilator Agents');
    expect(record.design).toBe('rct');
  });
});

describe('parsePubmedXml: observational study with inline markup (observational-inline-markup.xml)', () => {
  const record = only(parsePubmedXml(fixture('observational-inline-markup.xml')).records);

  it('flattens <i>TERT</i> in the title', () => {
    expect(record.title).toBe(
      'Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer.',
    );
  });

  it('takes its own PMID, DOI and PMCID, never an id from CommentsCorrectionsList', () => {
    expect(record.pmid).toBe('27797938');
    expect(record.doi).toBe('10.1136/gutjnl-2016-312510');
    expect(record.pmcid).toBe('PMC5442267');
  });

  it('flattens sub/sup markup inside the abstract without inventing spaces, and leaves out the copyright line', () => {
    const abstract = record.abstract ?? '';
    expect(abstract.startsWith('OBJECTIVE: Telomere shortening occurs')).toBe(true);
    expect(abstract).toContain('\n\nDESIGN: We measured prediagnostic leucocyte telomere length in 386');
    expect(abstract).toContain('reverse transcriptase (TERT) gene region');
    expect(abstract).toContain('OR 1.72; 95% CI 1.07 to 2.78; ptrend=0.048)');
    expect(abstract).toContain('(linkage disequilibrium r2<0.25)');
    expect(abstract).not.toContain('BMJ Publishing Group');
    expect(abstract).not.toMatch(/<\/?(i|sub|sup)>/);
  });

  it('reads journal, date, pages and the 22 authors', () => {
    expect([record.journal, record.journal_iso]).toEqual(['Gut', 'Gut']);
    expect([record.year, record.month, record.day, record.date_text]).toEqual([2017, 6, null, null]);
    expect([record.volume, record.issue, record.pages]).toEqual(['66', '6', '1116-1122']);
    expect(record.authors).toHaveLength(22);
    expect(record.authors[0]).toEqual(person('Bao', 'Ying', 'Y'));
    expect(record.authors[21]).toEqual(person('Wolpin', 'Brian M', 'BM'));
  });

  it('classifies Observational Study + MeSH Case-Control Studies as case-control, despite Prospective Studies', () => {
    expect(record.publication_types).toContain('Observational Study');
    expect(record.mesh_terms).toEqual(expect.arrayContaining(['Case-Control Studies', 'Prospective Studies']));
    expect(record.design).toBe('case_control');
  });
});

describe('parsePubmedXml: two records on one line (two-records-season-date.xml)', () => {
  const { records, skipped } = parsePubmedXml(fixture('two-records-season-date.xml'));
  const [review, article2] = records as [PubmedRecord, PubmedRecord];

  it('reads both records in file order', () => {
    expect(skipped).toEqual([]);
    expect(records.map((r) => r.pmid)).toEqual(['12091962', '9997']);
  });

  it('keeps a Season as date_text and reads pagination', () => {
    expect(review.title).toBe('The treatment of AIDS behind the walls of correctional facilities.');
    expect([review.year, review.month, review.day, review.date_text]).toEqual([1990, null, null, 'Spring']);
    expect([review.volume, review.issue, review.pages]).toEqual(['17', '1', '113-25']);
    expect(review.journal).toBe('Social justice (San Francisco, Calif.)');
    expect(review.journal_iso).toBe('Soc Justice');
    expect(review.authors).toEqual([person('Olivero', 'J Michael', 'JM')]);
  });

  it('gives null for a missing abstract and DOI, and maps Review to narrative_review', () => {
    expect(review.abstract).toBeNull();
    expect(review.doi).toBeNull();
    expect(review.publication_types).toEqual(['Journal Article', 'Review']);
    expect(review.design).toBe('narrative_review');
  });

  it('converts the textual month "Sep" and takes the DOI from the ArticleIdList', () => {
    expect([article2.year, article2.month, article2.day, article2.date_text]).toEqual([1976, 9, 28, null]);
    expect(article2.doi).toBe('10.1016/0005-2795(76)90109-4');
    expect(article2.pages).toBe('179-91');
    expect(article2.abstract?.startsWith('Electron paramagnetic resonance and magnetic susceptibility')).toBe(true);
  });

  it('leaves the design unknown when only "Journal Article" is given', () => {
    expect(article2.publication_types).toEqual(['Journal Article']);
    expect(article2.design).toBeNull();
  });
});

describe('parseMedline: four .nbib records (medline-4-records.nbib)', () => {
  const { records, skipped } = parseMedline(fixture('medline-4-records.nbib'));

  it('reads all four records with their PMIDs and titles, joining continuation lines', () => {
    expect(skipped).toEqual([]);
    expect(records.map((r) => [r.pmid, r.title])).toEqual([
      ['16403221', 'A high level interface to SCOP and ASTRAL implemented in python.'],
      ['16377612', 'GenomeDiagram: a python package for the visualization of large-scale genomic data.'],
      ['14871861', 'Open source clustering software.'],
      ['14630660', 'PDB file parser and structure class implemented in Python.'],
    ]);
  });

  it('takes the DOI from AID "[doi]", not the [pii], and null when there is none', () => {
    expect(records.map((r) => r.doi)).toEqual([
      '10.1186/1471-2105-7-10',
      '10.1093/bioinformatics/btk021',
      '10.1093/bioinformatics/bth078',
      null,
    ]);
    expect(records[0]?.pmcid).toBe('PMC1373603');
  });

  it('pairs FAU full names with AU initials', () => {
    expect(records[0]?.authors).toEqual([
      person('Casbon', 'James A', 'JA'),
      person('Crooks', 'Gavin E', 'GE'),
      person('Saqi', 'Mansoor A S', 'MA'),
    ]);
    expect(records[2]?.authors[0]).toEqual(person('de Hoon', 'M J L', 'MJ'));
    expect(records.map((r) => r.authors.length)).toEqual([3, 4, 4, 2]);
  });

  it('reads journal, date, volume, issue and pages', () => {
    const second = records[1] as PubmedRecord;
    expect([second.journal, second.journal_iso]).toEqual(['Bioinformatics (Oxford, England)', 'Bioinformatics']);
    expect([second.year, second.month, second.day]).toEqual([2006, 3, 1]);
    expect([second.volume, second.issue, second.pages]).toEqual(['22', '5', '616-7']);
    const first = records[0] as PubmedRecord;
    expect([first.year, first.month, first.issue, first.pages]).toEqual([2006, null, null, '10']);
  });

  it('joins the abstract’s continuation lines with single spaces', () => {
    expect(records[0]?.abstract).toMatch(
      /^BACKGROUND: Benchmarking algorithms in structural bioinformatics often involves the construction of datasets/,
    );
    expect(records[0]?.abstract).toContain('The ASTRAL compendium provides');
  });

  it('strips MeSH qualifiers and major-topic stars, and keeps repeated PT lines', () => {
    expect(records[3]?.mesh_terms).toContain('Information Storage and Retrieval');
    expect(records[0]?.mesh_terms.slice(0, 3)).toEqual([
      'Database Management Systems',
      'Databases, Protein',
      'Information Storage and Retrieval',
    ]);
    expect(records[2]?.publication_types).toEqual([
      'Comparative Study',
      'Evaluation Studies',
      'Journal Article',
      'Validation Studies',
    ]);
    expect(records.map((r) => r.design)).toEqual([null, null, null, null]);
  });

  it('is chosen by parsePubmedFile for text that does not start with "<"', () => {
    expect(parsePubmedFile(fixture('medline-4-records.nbib')).records).toHaveLength(4);
  });
});

describe('parsePubmedXml: PubmedBookArticle', () => {
  const book = `<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN"
  "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet>
<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">90000001</PMID>
    <ArticleIdList><ArticleId IdType="bookaccession">NBK90001</ArticleId></ArticleIdList>
    <Book>
      <Publisher><PublisherName>Test Press</PublisherName></Publisher>
      <BookTitle book="test">Handbook of <i>Test</i> Conditions</BookTitle>
      <PubDate><MedlineDate>1995-1997</MedlineDate></PubDate>
      <AuthorList Type="editors">
        <Author><LastName>Editor</LastName><ForeName>Ed</ForeName><Initials>E</Initials></Author>
      </AuthorList>
    </Book>
    <ArticleTitle>Chapter on skin &amp; gut</ArticleTitle>
    <Language>eng</Language>
    <AuthorList Type="authors">
      <Author><CollectiveName>Skin-Gut Working Group</CollectiveName></Author>
      <Author><LastName>Smith</LastName><ForeName>Jane</ForeName><Initials>J</Initials></Author>
    </AuthorList>
    <PublicationType UI="D016454">Review</PublicationType>
    <Abstract><AbstractText>A chapter.</AbstractText></Abstract>
    <ReferenceList><Reference><Citation>Other paper.</Citation>
      <ArticleIdList>
        <ArticleId IdType="doi">10.9999/not-this-one</ArticleId><ArticleId IdType="pubmed">123</ArticleId>
      </ArticleIdList>
    </Reference></ReferenceList>
  </BookDocument>
  <PubmedBookData><History/><PublicationStatus>ppublish</PublicationStatus>
    <ArticleIdList><ArticleId IdType="pubmed">90000001</ArticleId></ArticleIdList></PubmedBookData>
</PubmedBookArticle>
</PubmedArticleSet>`;
  const record = only(parsePubmedXml(book).records);

  it('takes the PMID from BookDocument and the book title as the container', () => {
    expect(record.kind).toBe('book');
    expect(record.pmid).toBe('90000001');
    expect(record.title).toBe('Chapter on skin & gut');
    expect(record.journal).toBe('Handbook of Test Conditions');
    expect(record.journal_iso).toBeNull();
  });

  it('reads a group author and a person, and not the book’s editors', () => {
    expect(record.authors).toEqual([
      { family: null, given: null, initials: null, collective: 'Skin-Gut Working Group' },
      person('Smith', 'Jane', 'J'),
    ]);
  });

  it('reads a MedlineDate range as its first year plus the raw text', () => {
    expect([record.year, record.month, record.day, record.date_text]).toEqual([1995, null, null, '1995-1997']);
  });

  it('ignores ids inside ReferenceList and reads PublicationType directly under BookDocument', () => {
    expect(record.doi).toBeNull();
    expect(record.publication_types).toEqual(['Review']);
    expect(record.design).toBe('narrative_review');
    expect(record.abstract).toBe('A chapter.');
  });
});

describe('parsePubmedXml: problems', () => {
  it('skips a record without a PMID, reporting its position, and parses the others', () => {
    const result = parsePubmedXml(
      articleSet(article('111', 'First.'), article(null, 'Second.'), article('333', 'Third.')),
    );
    expect(result.records.map((r) => [r.pmid, r.title])).toEqual([
      ['111', 'First.'],
      ['333', 'Third.'],
    ]);
    expect(result.skipped).toEqual([{ position: 2, pmid: null, reason: 'no PMID' }]);
  });

  it('skips a record whose PMID is not a number', () => {
    const result = parsePubmedXml(articleSet(article('12a', 'Odd.')));
    expect(result.records).toEqual([]);
    expect(result.skipped).toEqual([{ position: 1, pmid: '12a', reason: 'PMID "12a" is not a number' }]);
  });

  it('decodes the five XML entities and numeric references exactly once', () => {
    const title = 'Diet &amp; the gut&#x2013;skin axis: &lt;i&gt;is text&lt;/i&gt; &amp;amp; &#946;-glucan';
    const record = only(parsePubmedXml(articleSet(article('1', title))).records);
    expect(record.title).toBe('Diet & the gut–skin axis: <i>is text</i> &amp; β-glucan');
  });

  it('does not expand entities declared in a DOCTYPE (no billion laughs)', () => {
    let entities = '<!ENTITY lol0 "lol">';
    for (let i = 1; i <= 9; i++) entities += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
    const body = articleSet(article('1', 'A &lol9; B')).replace(/^<\?xml[^>]*>/, '');
    const xml = `<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [${entities}]>${body}`;
    const record = only(parsePubmedXml(xml).records);
    expect(record.title).toBe('A &lol9; B');
  });

  it('throws MalformedFileError for text that is not XML', () => {
    expect(() => parsePubmedXml('this is not xml at all')).toThrow(MalformedFileError);
    expect(() => parsePubmedFile('<html><body>502 Bad Gateway</body>')).toThrow(/Not well-formed XML/);
  });

  it('throws MalformedFileError for well-formed XML that is not a PubmedArticleSet', () => {
    expect(() =>
      parsePubmedFile('<eFetchResult><ERROR>UID=0: cannot get document summary</ERROR></eFetchResult>'),
    ).toThrow(/expected <PubmedArticleSet>, found <eFetchResult>/);
  });

  it('throws MalformedFileError for a truncated download rather than returning half a record', () => {
    const full = fixture('rct-29768149.xml');
    expect(() => parsePubmedFile(full.slice(0, full.length / 2))).toThrow(MalformedFileError);
  });

  it('throws MalformedFileError for an empty file and for text with no MEDLINE records', () => {
    expect(() => parsePubmedFile('  \n')).toThrow(MalformedFileError);
    expect(() => parsePubmedFile('{"esearchresult": {"idlist": []}}')).toThrow(/no MEDLINE records/);
  });

  it('sniffs XML after a byte-order mark and leading whitespace', () => {
    const result = parsePubmedFile(`\ufeff\n  ${articleSet(article('42', 'Sniffed.'))}`);
    expect(result.records.map((r) => r.pmid)).toEqual(['42']);
  });
});

describe('parseMedline: problems and group authors', () => {
  it('skips a record without a PMID, reporting its position, and parses the others', () => {
    const text = ['PMID- 1', 'TI  - One.', '', 'TI  - No id.', '', 'PMID- 3', 'TI  - Three.'].join('\n');
    const result = parseMedline(text);
    expect(result.records.map((r) => r.pmid)).toEqual(['1', '3']);
    expect(result.skipped).toEqual([{ position: 2, pmid: null, reason: 'no PMID' }]);
  });

  it('reads CN as a group author in its place, a season date, and LID [doi] before AID [doi]', () => {
    const text = [
      'PMID- 5',
      'DP  - 2001 Spring',
      'FAU - Smith, Jane',
      'AU  - Smith J',
      'CN  - Skin-Gut Working Group',
      'LID - 10.1000/own [doi]',
      'AID - 10.1000/other [doi]',
      'PT  - Meta-Analysis',
      'PT  - Systematic Review',
    ].join('\r\n');
    const record = only(parseMedline(text).records);
    expect(record.authors).toEqual([
      person('Smith', 'Jane', 'J'),
      { family: null, given: null, initials: null, collective: 'Skin-Gut Working Group' },
    ]);
    expect([record.year, record.month, record.date_text]).toEqual([2001, null, 'Spring']);
    expect(record.doi).toBe('10.1000/own');
    expect(record.design).toBe('meta_analysis');
  });

  it('keeps a date range as raw text with its first year', () => {
    const record = only(parseMedline('PMID- 6\nDP  - 1984 Apr-May\n').records);
    expect([record.year, record.month, record.date_text]).toEqual([1984, null, '1984 Apr-May']);
  });
});

describe('deriveDesign', () => {
  const cases: [string[], string[], ReturnType<typeof deriveDesign>][] = [
    [['Systematic Review', 'Meta-Analysis'], [], 'meta_analysis'],
    [['Network Meta-Analysis'], [], 'meta_analysis'],
    [['Review', 'Systematic Review'], [], 'systematic_review'],
    [['Pragmatic Clinical Trial'], [], 'rct'],
    [['Clinical Trial, Phase II', 'Journal Article'], [], 'non_randomised_trial'],
    [['Controlled Clinical Trial'], [], 'non_randomised_trial'],
    [['Observational Study'], ['Cross-Sectional Studies'], 'cross_sectional'],
    [['Observational Study'], ['Retrospective Studies', 'Humans'], 'cohort'],
    [['Observational Study'], ['Humans'], 'other'],
    [['Case Reports', 'Review'], ['Humans'], 'case_report'],
    [['Editorial'], [], 'expert_opinion'],
    [['Comment', 'Letter'], ['Animals'], 'expert_opinion'],
    [['Practice Guideline'], [], 'expert_opinion'],
    [['Journal Article'], ['Animals', 'Mice'], 'animal'],
    [['Journal Article'], ['Animals', 'Humans'], null],
    [['Randomized Controlled Trial, Veterinary'], ['Animals', 'Dogs'], 'animal'],
    [['Journal Article'], ['In Vitro Techniques'], 'in_vitro'],
    [['Journal Article'], ['Cell Line', 'Humans'], null],
    [['Journal Article', 'Comparative Study', 'Multicenter Study'], ['Randomized Controlled Trials as Topic'], null],
    [[], [], null],
  ];
  it.each(cases)('%j with MeSH %j → %s', (publicationTypes, mesh, expected) => {
    expect(deriveDesign(publicationTypes, mesh)).toBe(expected);
  });
});
