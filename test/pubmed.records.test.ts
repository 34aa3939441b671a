// What the PubMed parser says a record is: kind, status, dates, identifiers, names, notices, books, deletions, and
// the per-record reasons for records it cannot read. Real field-report files first; synthetic variants (marked so)
// copy the real records' structure and change the one element under test.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type MedlineWork, medlineRecords } from '../src/importers/pubmed/pubmed.medline.js';
import {
  type PubmedRecord,
  parseMedline,
  parsePubmedFile,
  parsePubmedXml,
} from '../src/importers/pubmed/pubmed.parse.js';
import { MAX_XML_DEPTH } from '../src/importers/pubmed/pubmed.xml.js';
import { person } from './study-builders.js';

const text = (path: string): string => readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');
const fieldReport = (name: string): PubmedRecord => {
  const { records, skipped } = parsePubmedFile(text(`field-reports/${name}`));
  expect(skipped).toEqual([]);
  return records[0] as PubmedRecord;
};

/** Synthetic: the PubmedArticle of 05-retracted-publication.xml with `inner` inserted before </MedlineCitation>. */
const articleXml = (pmid: string, articleExtra: string, citationExtra = '', pubmedData = '') => `<?xml version="1.0"?>
<PubmedArticleSet><PubmedArticle><MedlineCitation Owner="NLM" Status="MEDLINE"><PMID Version="1">${pmid}</PMID>
<Article PubModel="Print-Electronic"><Journal><JournalIssue CitedMedium="Internet"><Volume>10</Volume><PubDate><Year>2022</Year><Month>Dec</Month></PubDate></JournalIssue>
<Title>The Lancet. Oncology</Title><ISOAbbreviation>Lancet Oncol</ISOAbbreviation></Journal>
<ArticleTitle>A synthetic variant.</ArticleTitle>${articleExtra}
<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList></Article>
<MedlineJournalInfo><MedlineTA>Lancet Oncol</MedlineTA></MedlineJournalInfo>${citationExtra}</MedlineCitation>
<PubmedData>${pubmedData}<ArticleIdList><ArticleId IdType="pubmed">${pmid}</ArticleId></ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>`;

describe('XML field reports: what the record is', () => {
  it('05: "Retracted Publication" with a RetractionIn link is retracted, the notice kept with its PMID', () => {
    const r = fieldReport('05-retracted-publication.xml');
    expect(r.retracted).toBe(true);
    expect(r.notices).toEqual([
      { type: 'RetractionIn', pmid: '195582', ref_source: 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8', note: null },
    ]);
    expect([r.publication_kind, r.publication_status]).toEqual(['journal_article', 'ppublish']);
    expect([r.journal_iso, r.journal_medline_ta]).toEqual(['Biochem. J.', 'Biochem J']);
  });

  it('04: publication type Preprint makes a preprint; the arXiv id comes from the e-locator', () => {
    const r = fieldReport('04-arxiv-preprint.xml');
    expect([r.publication_kind, r.publication_status]).toEqual(['preprint', 'epublish']);
    expect([r.elocation_id, r.arxiv_id]).toEqual(['arXiv:2304.02112v2', '2304.02112v2']);
    expect(r.retracted).toBe(false);
  });

  it('02 and 08: the pii e-locator is kept apart from pages; 08 is ahead of print', () => {
    const r02 = fieldReport('02-elocation-pii-as-locator.xml');
    expect([r02.pages, r02.elocation_id, r02.title]).toEqual([
      null,
      'EWLS',
      'Psykisk ohälsa, radikalisering och terrorism - Inget säkert samband har kunnat påvisas.',
    ]);
    const r08 = fieldReport('08-iso-abbreviation-with-periods.xml');
    expect([r08.elocation_id, r08.publication_status, r08.journal_iso, r08.journal_medline_ta]).toEqual([
      'S1063-4584(19)30981-1',
      'aheadofprint',
      'Osteoarthr. Cartil.',
      'Osteoarthritis Cartilage',
    ]);
  });

  it('06 and 15: the Suffix is read; a ValidYN="N" author is left out; the erratum link keeps its Note', () => {
    expect(fieldReport('06-suffix-xml.xml').authors[3]).toEqual(person('Camargo', 'Carlos A', 'CA', 'Jr'));
    const r15 = fieldReport('15-validyn-n-author.xml');
    expect(r15.authors).toEqual([person('Dunkel', 'E C', 'EC'), person('Whitley', 'R J', 'RJ')]);
    expect(r15.notices).toEqual([
      {
        type: 'ErratumIn',
        pmid: null,
        ref_source: 'J Infect Dis 1998 Aug;178(2):601',
        note: 'Whitely RJ [corrected to Whitley RJ]',
      },
    ]);
  });
});

describe('XML variants (synthetic, on the structure of the field-report records)', () => {
  it('reads ArticleDate, History and PublicationStatus; a RetractionIn link alone marks the record retracted', () => {
    const xml = articleXml(
      '900000101',
      '<ELocationID EIdType="pii" ValidYN="Y">S1470-2045(22)00001-1</ELocationID><ELocationID EIdType="pii" ValidYN="N">WRONG</ELocationID>' +
        '<ArticleDate DateType="Electronic"><Year>2022</Year><Month>10</Month><Day>07</Day></ArticleDate>',
      '<CommentsCorrectionsList><CommentsCorrections RefType="Cites"><RefSource>Other. 2001</RefSource><PMID Version="1">1</PMID></CommentsCorrections>' +
        '<CommentsCorrections RefType="RetractionIn"><RefSource>Lancet Oncol. 2023 Mar;24(3):e101</RefSource><PMID Version="1">900000102</PMID></CommentsCorrections></CommentsCorrectionsList>',
      '<History><PubMedPubDate PubStatus="received"><Year>2022</Year><Month>3</Month><Day>1</Day></PubMedPubDate>' +
        '<PubMedPubDate PubStatus="aheadofprint"><Year>2022</Year><Month>10</Month><Day>7</Day></PubMedPubDate></History>' +
        '<PublicationStatus>aheadofprint</PublicationStatus>',
    );
    const [r] = parsePubmedXml(xml).records as [PubmedRecord];
    expect(r.article_date).toBe('2022-10-07');
    expect(r.history).toEqual([
      { status: 'received', date: '2022-03-01' },
      { status: 'aheadofprint', date: '2022-10-07' },
    ]);
    expect([r.publication_status, r.elocation_id, r.retracted]).toEqual([
      'aheadofprint',
      'S1470-2045(22)00001-1',
      true,
    ]);
    expect(r.notices.map((n) => [n.type, n.pmid])).toEqual([['RetractionIn', '900000102']]);
  });

  it('an expression of concern is kept but does not retract', () => {
    const xml = articleXml(
      '900000103',
      '',
      '<CommentsCorrectionsList><CommentsCorrections RefType="ExpressionOfConcernIn"><RefSource>Lancet Oncol. 2023;24:e5</RefSource><PMID Version="1">900000104</PMID></CommentsCorrections></CommentsCorrectionsList>',
    );
    const [r] = parsePubmedXml(xml).records as [PubmedRecord];
    expect(r.retracted).toBe(false);
    expect(r.notices.map((n) => n.type)).toEqual(['ExpressionOfConcernIn']);
  });

  it('Sr, 3rd and III suffixes; the trailing period of "Jr." is dropped', () => {
    const authors = ['Jr.', 'Sr', '3rd', 'III']
      .map(
        (s, i) =>
          `<Author ValidYN="Y"><LastName>Name${i}</LastName><ForeName>A</ForeName><Initials>A</Initials><Suffix>${s}</Suffix></Author>`,
      )
      .join('');
    const [r] = parsePubmedXml(articleXml('900000105', `<AuthorList CompleteYN="N">${authors}</AuthorList>`))
      .records as [PubmedRecord];
    expect(r.authors.map((a) => a.suffix)).toEqual(['Jr', 'Sr', '3rd', 'III']);
    expect(r.authors_complete).toBe(false);
  });

  it('returns DeleteCitation PMIDs apart from the records', () => {
    const xml = articleXml('900000106', '').replace(
      '</PubmedArticleSet>',
      '<DeleteCitation><PMID Version="1">29292925</PMID><PMID Version="1">993</PMID></DeleteCitation></PubmedArticleSet>',
    );
    const result = parsePubmedXml(xml);
    expect(result.records.map((r) => r.pmid)).toEqual(['900000106']);
    expect(result.deleted).toEqual(['29292925', '993']);
  });

  it('a record nested deeper than the limit is skipped with its reason; the others are read', () => {
    const deep = `${'<i>'.repeat(MAX_XML_DEPTH + 50)}x${'</i>'.repeat(MAX_XML_DEPTH + 50)}`;
    const xml = articleXml('900000107', '').replace(
      '</PubmedArticleSet>',
      `${articleXml('900000108', '')
        .replace(/^[\s\S]*<PubmedArticleSet>/, '')
        .replace('A synthetic variant.', deep)}`,
    );
    const result = parsePubmedXml(xml);
    expect(result.records.map((r) => r.pmid)).toEqual(['900000107']);
    expect(result.skipped).toEqual([
      { position: 2, pmid: '900000108', reason: `elements nested more than ${MAX_XML_DEPTH} deep` },
    ]);
  });

  it('100,000 nested elements give the same clear reason, not "Maximum call stack size exceeded"', () => {
    const deep = `${'<b>'.repeat(100_000)}${'</b>'.repeat(100_000)}`;
    const result = parsePubmedXml(articleXml('900000109', '').replace('A synthetic variant.', deep));
    expect(result.skipped[0]?.reason).toBe(`elements nested more than ${MAX_XML_DEPTH} deep`);
  });
});

describe('PubmedBookArticle (synthetic, on the Bookshelf record structure of PubMed XML)', () => {
  const bookXml = (articleTitle: string) => `<?xml version="1.0"?><PubmedArticleSet><PubmedBookArticle><BookDocument>
<PMID Version="1">20301295</PMID><ArticleIdList><ArticleId IdType="bookaccession">NBK1116</ArticleId></ArticleIdList>
<Book><Publisher><PublisherName>University of Washington, Seattle</PublisherName><PublisherLocation>Seattle (WA)</PublisherLocation></Publisher>
<BookTitle book="gene">GeneReviews®</BookTitle><PubDate><Year>1993</Year></PubDate>
<AuthorList Type="editors"><Author><LastName>Adam</LastName><ForeName>Margaret P</ForeName><Initials>MP</Initials></Author>
<Author><LastName>Feldman</LastName><ForeName>Jerry</ForeName><Initials>J</Initials></Author></AuthorList>
<Edition>2nd</Edition><Isbn>978-0-00-000000-0</Isbn><CollectionTitle book="gene">GeneReviews</CollectionTitle></Book>
${articleTitle}<AuthorList Type="authors"><Author><LastName>Petrucelli</LastName><ForeName>Nancie</ForeName><Initials>N</Initials></Author></AuthorList>
<PublicationType UI="D016454">Review</PublicationType></BookDocument>
<PubmedBookData><PublicationStatus>ppublish</PublicationStatus></PubmedBookData></PubmedBookArticle></PubmedArticleSet>`;

  it('with an ArticleTitle: a chapter in the book, with editors, publisher, place, edition, ISBN, series, Bookshelf id', () => {
    const [r] = parsePubmedXml(
      bookXml('<ArticleTitle>BRCA1- and BRCA2-Associated Hereditary Breast and Ovarian Cancer</ArticleTitle>'),
    ).records as [PubmedRecord];
    expect([r.publication_kind, r.title, r.journal]).toEqual([
      'chapter',
      'BRCA1- and BRCA2-Associated Hereditary Breast and Ovarian Cancer',
      'GeneReviews®',
    ]);
    expect(r.editors).toEqual([person('Adam', 'Margaret P', 'MP'), person('Feldman', 'Jerry', 'J')]);
    expect([r.publisher, r.publisher_place, r.edition, r.isbn, r.collection_title, r.bookshelf_id]).toEqual([
      'University of Washington, Seattle',
      'Seattle (WA)',
      '2nd',
      '978-0-00-000000-0',
      'GeneReviews',
      'NBK1116',
    ]);
  });

  it('without an ArticleTitle: the whole book, titled by BookTitle, no container', () => {
    const [r] = parsePubmedXml(bookXml('')).records as [PubmedRecord];
    expect([r.publication_kind, r.title, r.journal, r.kind]).toEqual(['book', 'GeneReviews®', null, 'book']);
  });
});

describe('MEDLINE field report 17 and variants', () => {
  it('17: a chapter with FED/ED editors, PB, PL and the Bookshelf id', () => {
    const r = fieldReport('17-medline-book-chapter.nbib');
    expect([r.publication_kind, r.title, r.journal, r.kind]).toEqual([
      'chapter',
      'Peutz-Jeghers Syndrome',
      'Cancer Syndromes',
      'book',
    ]);
    expect(r.editors[0]).toEqual(person('Riegert-Johnson', 'Douglas L', 'DL'));
    expect(r.editors).toHaveLength(4);
    expect([r.publisher, r.publisher_place, r.bookshelf_id]).toEqual([
      'National Center for Biotechnology Information (US)',
      'Bethesda (MD)',
      'NBK1826',
    ]);
    expect(r.authors[4]).toEqual(person('Wong Kee Song', 'Louis M.', 'LM'));
  });

  it('synthetic whole book: PT "Book", BTI without TI, EN, ISBN, CTI; PL is the place only on a book', () => {
    const r = parseMedline(
      [
        'PMID- 900000201',
        'PT  - Book',
        'BTI - Handbook of Tests',
        'ED  - Roe R',
        'PB  - Test Press',
        'PL  - Boston (MA)',
        'EN  - 3rd',
        'ISBN- 0-000-00000-0',
        'CTI - Test Series',
        'DP  - 2010',
      ].join('\n'),
    ).records[0] as PubmedRecord;
    expect([r.publication_kind, r.title, r.journal, r.edition, r.isbn, r.collection_title]).toEqual([
      'book',
      'Handbook of Tests',
      null,
      '3rd',
      '0-000-00000-0',
      'Test Series',
    ]);
    expect(r.editors).toEqual([person('Roe', null, 'R')]);
    const article = parseMedline('PMID- 900000202\nTI  - Article.\nJT  - Journal\nPL  - England\n').records[0];
    expect(article?.publisher_place).toBeNull();
  });

  it('synthetic: AU/FAU suffixes by NLM’s rule (Jr, Sr, 2nd, 3rd, II, III); "V" stays an initial', () => {
    const r = parseMedline(
      [
        'PMID- 900000203',
        'FAU - Maurer, Calvin R Jr',
        'AU  - Maurer CR Jr',
        'AU  - Wood AJ 3rd',
        'FAU - Doe, John, Sr',
        'AU  - Doe J Sr',
        'AU  - Smith JA II',
        'AU  - Brown K 2nd',
        'AU  - Dupont V',
        'AU  - Wong Kee Song LM',
      ].join('\n'),
    ).records[0] as PubmedRecord;
    expect(r.authors).toEqual([
      person('Maurer', 'Calvin R', 'CR', 'Jr'),
      person('Wood', null, 'AJ', '3rd'),
      person('Doe', 'John', 'J', 'Sr'),
      person('Smith', null, 'JA', 'II'),
      person('Brown', null, 'K', '2nd'),
      person('Dupont', null, 'V'),
      person('Wong Kee Song', null, 'LM'),
    ]);
  });

  it('synthetic: PST, DEP, PHST, LID [pii], and RIN/ECI/EIN notices with their PMIDs', () => {
    const r = parseMedline(
      [
        'PMID- 900000204',
        'TI  - Variant.',
        'TA  - Lancet Oncol',
        'JT  - The Lancet. Oncology',
        'PT  - Journal Article',
        'PT  - Retracted Publication',
        'LID - S1470-2045(22)00001-1 [pii]',
        'LID - 10.1016/S1470-2045(22)00001-1 [doi]',
        'DEP - 20221007',
        'PST - aheadofprint',
        'PHST- 2022/03/01 00:00 [received]',
        'PHST- 2022/10/07 00:00 [aheadofprint]',
        'RIN - Lancet Oncol. 2023 Mar;24(3):e101. PMID: 900000102',
        'ECI - Lancet Oncol. 2023;24:e5. PMID: 900000104',
        'EIN - Lancet Oncol. 2022 Nov;23(11):e480',
      ].join('\n'),
    ).records[0] as PubmedRecord;
    expect([r.publication_status, r.article_date, r.elocation_id, r.doi, r.journal_medline_ta, r.journal_iso]).toEqual([
      'aheadofprint',
      '2022-10-07',
      'S1470-2045(22)00001-1',
      '10.1016/S1470-2045(22)00001-1',
      'Lancet Oncol',
      null,
    ]);
    expect(r.history).toEqual([
      { status: 'received', date: '2022-03-01' },
      { status: 'aheadofprint', date: '2022-10-07' },
    ]);
    expect(r.notices).toEqual([
      { type: 'RetractionIn', pmid: '900000102', ref_source: 'Lancet Oncol. 2023 Mar;24(3):e101', note: null },
      { type: 'ExpressionOfConcernIn', pmid: '900000104', ref_source: 'Lancet Oncol. 2023;24:e5', note: null },
      { type: 'ErratumIn', pmid: null, ref_source: 'Lancet Oncol. 2022 Nov;23(11):e480', note: null },
    ]);
    expect(r.retracted).toBe(true);
  });
});

describe('the MEDLINE reader is linear in its input (work counted, not timed; bench/pubmed-parse.ts prints times)', () => {
  /** One record whose abstract runs over `lines` continuation lines of 70 characters. */
  const longAbstract = (lines: number): string =>
    ['PMID- 1', 'AB  - Start.', ...Array.from({ length: lines }, () => `      ${'x'.repeat(70)}`)].join('\n');

  it('copies each character of a field a bounded number of times, however many continuation lines it has', () => {
    for (const lines of [10, 1_000, 20_000]) {
      const input = longAbstract(lines);
      const work: MedlineWork = { copied: 0, lines: 0 };
      const [record] = medlineRecords(input, work);
      expect(record?.byTag.get('AB')?.[0]?.length).toBe('Start.'.length + lines * 71);
      // Each character is copied at most twice (once as a line piece, once when the field is joined).
      expect(work.copied).toBeLessThanOrEqual(2 * input.length);
      expect(work.lines).toBe(lines + 2);
    }
  });

  it('a record with 20,000 tagged lines is split once, not rescanned per line', () => {
    const input = ['PMID- 1', ...Array.from({ length: 20_000 }, (_, i) => `MH  - Heading ${i}`)].join('\n');
    const work: MedlineWork = { copied: 0, lines: 0 };
    const records = medlineRecords(input, work);
    expect(records).toHaveLength(1);
    expect(records[0]?.byTag.get('MH')).toHaveLength(20_000);
    expect(work.copied).toBeLessThanOrEqual(2 * input.length);
  });
});
