// The PubMed field reports (test/fixtures/field-reports/README.md) in all six citation formats, exact strings.
// Each record is parsed from the real file, so these also pin what the parser reads; the README gives the value
// the report asked for, and the rest of each string follows the style named in the format's docstring.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCitation, toCslItem } from '../src/citations/citations.format.js';
import { type PubmedRecord, parsePubmedFile } from '../src/importers/pubmed/pubmed.parse.js';

function fieldReport(name: string): PubmedRecord {
  const { records, skipped } = parsePubmedFile(
    readFileSync(new URL(`./fixtures/field-reports/${name}`, import.meta.url), 'utf8'),
  );
  expect(skipped).toEqual([]);
  expect(records).toHaveLength(1);
  return records[0] as PubmedRecord;
}

describe('02-elocation-pii-as-locator: the e-locator stands in for pages; an empty ArticleTitle falls back to the VernacularTitle', () => {
  const record = fieldReport('02-elocation-pii-as-locator.xml');

  it('vancouver', () => {
    expect(formatCitation(record, 'vancouver')).toBe(
      'Köhler P, Krona H, Josefsson J. Psykisk ohälsa, radikalisering och terrorism - Inget säkert samband har kunnat påvisas. Lakartidningen. 2017;114:EWLS. PMID: 29292925.',
    );
  });

  it('ama', () => {
    expect(formatCitation(record, 'ama')).toBe(
      'Köhler P, Krona H, Josefsson J. Psykisk ohälsa, radikalisering och terrorism - Inget säkert samband har kunnat påvisas. Lakartidningen. 2017;114:EWLS.',
    );
  });

  it('apa', () => {
    expect(formatCitation(record, 'apa')).toBe(
      'Köhler, P., Krona, H., & Josefsson, J. (2017). Psykisk ohälsa, radikalisering och terrorism - Inget säkert samband har kunnat påvisas. Lakartidningen, 114, Article EWLS.',
    );
  });

  it('ris', () => {
    expect(formatCitation(record, 'ris')).toBe(
      [
        'TY  - JOUR',
        'AU  - Köhler, Per',
        'AU  - Krona, Hedvig',
        'AU  - Josefsson, Johanna',
        'TI  - Psykisk ohälsa, radikalisering och terrorism - Inget säkert samband har kunnat påvisas',
        'T2  - Lakartidningen',
        'J2  - Lakartidningen',
        'PY  - 2017',
        'DA  - 2017/11/09/',
        'VL  - 114',
        'SP  - EWLS',
        'AN  - 29292925',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/29292925/',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });

  it('bibtex', () => {
    expect(formatCitation(record, 'bibtex')).toBe(
      [
        '@article{pmid29292925,',
        '  author = {Köhler, Per and Krona, Hedvig and Josefsson, Johanna},',
        '  title = {{Psykisk ohälsa, radikalisering och terrorism - Inget säkert samband har kunnat påvisas}},',
        '  journal = {Lakartidningen},',
        '  year = {2017},',
        '  month = nov,',
        '  volume = {114},',
        '  pages = {EWLS},',
        '  eprint = {29292925},',
        '  eprinttype = {pubmed}',
        '}',
      ].join('\n'),
    );
  });

  it('csl-json', () => {
    expect(toCslItem(record)).toEqual({
      type: 'article-journal',
      id: 'pmid:29292925',
      title: 'Psykisk ohälsa, radikalisering och terrorism - Inget säkert samband har kunnat påvisas',
      'container-title': 'Lakartidningen',
      'container-title-short': 'Lakartidningen',
      author: [
        {
          family: 'Köhler',
          given: 'Per',
        },
        {
          family: 'Krona',
          given: 'Hedvig',
        },
        {
          family: 'Josefsson',
          given: 'Johanna',
        },
      ],
      issued: {
        'date-parts': [[2017, 11, 9]],
      },
      volume: '114',
      page: 'EWLS',
      PMID: '29292925',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/29292925/',
    });
  });
});

describe('04-arxiv-preprint: an arXiv preprint is cited as a preprint with its server and id', () => {
  const record = fieldReport('04-arxiv-preprint.xml');

  it('vancouver', () => {
    expect(formatCitation(record, 'vancouver')).toBe(
      'Dutta S, Farhadifar R, Lu W, Kabacaoğlu G, Blackwell R, Stein DB, et al. Self-organized intracellular twisters. ArXiv [Preprint]. 2023 Apr 6:arXiv:2304.02112v2. PMID: 37064529; PMCID: PMC10104197.',
    );
  });

  it('ama', () => {
    expect(formatCitation(record, 'ama')).toBe(
      'Dutta S, Farhadifar R, Lu W, et al. Self-organized intracellular twisters. ArXiv. Preprint posted online April 6, 2023. arXiv:2304.02112v2',
    );
  });

  it('apa', () => {
    expect(formatCitation(record, 'apa')).toBe(
      'Dutta, S., Farhadifar, R., Lu, W., Kabacaoğlu, G., Blackwell, R., Stein, D. B., Lakonishok, M., Gelfand, V. I., Shvartsman, S. Y., & Shelley, M. J. (2023). Self-organized intracellular twisters [Preprint]. ArXiv. https://arxiv.org/abs/2304.02112v2',
    );
  });

  it('ris', () => {
    expect(formatCitation(record, 'ris')).toBe(
      [
        'TY  - UNPB',
        'AU  - Dutta, Sayantan',
        'AU  - Farhadifar, Reza',
        'AU  - Lu, Wen',
        'AU  - Kabacaoğlu, Gokberk',
        'AU  - Blackwell, Robert',
        'AU  - Stein, David B',
        'AU  - Lakonishok, Margot',
        'AU  - Gelfand, Vladimir I',
        'AU  - Shvartsman, Stanislav Y',
        'AU  - Shelley, Michael J',
        'TI  - Self-organized intracellular twisters',
        'PY  - 2023',
        'DA  - 2023/04/06/',
        'PB  - ArXiv',
        'M1  - arXiv:2304.02112v2',
        'M3  - Preprint',
        'AN  - 37064529',
        'C2  - PMC10104197',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/37064529/',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });

  it('bibtex', () => {
    expect(formatCitation(record, 'bibtex')).toBe(
      [
        '@misc{pmid37064529,',
        '  author = {Dutta, Sayantan and Farhadifar, Reza and Lu, Wen and Kabacaoğlu, Gokberk and Blackwell, Robert and Stein, David B and Lakonishok, Margot and Gelfand, Vladimir I and Shvartsman, Stanislav Y and Shelley, Michael J},',
        '  title = {{Self-organized intracellular twisters}},',
        '  howpublished = {ArXiv},',
        '  year = {2023},',
        '  month = apr,',
        '  eprint = {2304.02112v2},',
        '  eprinttype = {arxiv},',
        '  pmid = {37064529},',
        '  pmcid = {PMC10104197},',
        '  note = {Preprint}',
        '}',
      ].join('\n'),
    );
  });

  it('csl-json', () => {
    expect(toCslItem(record)).toEqual({
      type: 'article',
      id: 'pmid:37064529',
      title: 'Self-organized intracellular twisters',
      author: [
        {
          family: 'Dutta',
          given: 'Sayantan',
        },
        {
          family: 'Farhadifar',
          given: 'Reza',
        },
        {
          family: 'Lu',
          given: 'Wen',
        },
        {
          family: 'Kabacaoğlu',
          given: 'Gokberk',
        },
        {
          family: 'Blackwell',
          given: 'Robert',
        },
        {
          family: 'Stein',
          given: 'David B',
        },
        {
          family: 'Lakonishok',
          given: 'Margot',
        },
        {
          family: 'Gelfand',
          given: 'Vladimir I',
        },
        {
          family: 'Shvartsman',
          given: 'Stanislav Y',
        },
        {
          family: 'Shelley',
          given: 'Michael J',
        },
      ],
      issued: {
        'date-parts': [[2023, 4, 6]],
      },
      'available-date': {
        'date-parts': [[2023, 4, 6]],
      },
      publisher: 'ArXiv',
      number: 'arXiv:2304.02112v2',
      genre: 'Preprint',
      PMID: '37064529',
      PMCID: 'PMC10104197',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/37064529/',
    });
  });
});

describe('05-retracted-publication: a retracted publication is marked retracted in every format, with the notice', () => {
  const record = fieldReport('05-retracted-publication.xml');

  it('vancouver', () => {
    expect(formatCitation(record, 'vancouver')).toBe(
      'Gullis RJ, Rowe CE. The stimulation by synaptic transmitters of the incorporation of oleate into the phospholipid of synaptic membranes. Biochem J. 1975;148(3):557-65. Retraction in: Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8. PMID: 993; PMCID: PMC1165577.',
    );
  });

  it('ama', () => {
    expect(formatCitation(record, 'ama')).toBe(
      'Gullis RJ, Rowe CE. The stimulation by synaptic transmitters of the incorporation of oleate into the phospholipid of synaptic membranes [retracted in: Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8]. Biochem J. 1975;148(3):557-565.',
    );
  });

  it('apa', () => {
    expect(formatCitation(record, 'apa')).toBe(
      'Gullis, R. J., & Rowe, C. E. (1975). The stimulation by synaptic transmitters of the incorporation of oleate into the phospholipid of synaptic membranes. The Biochemical Journal, 148(3), 557–565. (Retraction published 1977, Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8)',
    );
  });

  it('ris', () => {
    expect(formatCitation(record, 'ris')).toBe(
      [
        'TY  - JOUR',
        'AU  - Gullis, R J',
        'AU  - Rowe, C E',
        'TI  - The stimulation by synaptic transmitters of the incorporation of oleate into the phospholipid of synaptic membranes',
        'T2  - The Biochemical Journal',
        'J2  - Biochem J',
        'PY  - 1975',
        'DA  - 1975/06//',
        'VL  - 148',
        'IS  - 3',
        'SP  - 557',
        'EP  - 565',
        'AN  - 993',
        'C2  - PMC1165577',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/993/',
        'N1  - Retracted publication',
        'N1  - Retraction in: Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8. PMID: 195582',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });

  it('bibtex', () => {
    expect(formatCitation(record, 'bibtex')).toBe(
      [
        '@article{pmid993,',
        '  author = {Gullis, R J and Rowe, C E},',
        '  title = {{The stimulation by synaptic transmitters of the incorporation of oleate into the phospholipid of synaptic membranes}},',
        '  journal = {The Biochemical Journal},',
        '  shortjournal = {Biochem J},',
        '  year = {1975},',
        '  month = jun,',
        '  volume = {148},',
        '  number = {3},',
        '  pages = {557--565},',
        '  eprint = {993},',
        '  eprinttype = {pubmed},',
        '  pmcid = {PMC1165577},',
        '  note = {Retracted publication. Retraction in: Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8. PMID: 195582}',
        '}',
      ].join('\n'),
    );
  });

  it('csl-json', () => {
    expect(toCslItem(record)).toEqual({
      type: 'article-journal',
      id: 'pmid:993',
      title:
        'The stimulation by synaptic transmitters of the incorporation of oleate into the phospholipid of synaptic membranes',
      'container-title': 'The Biochemical Journal',
      'container-title-short': 'Biochem J',
      author: [
        {
          family: 'Gullis',
          given: 'R J',
        },
        {
          family: 'Rowe',
          given: 'C E',
        },
      ],
      issued: {
        'date-parts': [[1975, 6]],
      },
      volume: '148',
      issue: '3',
      page: '557-565',
      PMID: '993',
      PMCID: 'PMC1165577',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/993/',
      status: 'retracted',
      note: 'Retraction in: Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8. PMID: 195582',
    });
  });
});

describe('06-suffix-xml: a <Suffix> is kept in every format', () => {
  const record = fieldReport('06-suffix-xml.xml');

  it('vancouver', () => {
    expect(formatCitation(record, 'vancouver')).toBe(
      'Baugh CW, Faridi MK, Mueller EL, Camargo CA Jr, Pallin DJ. Near-universal hospitalization of US emergency department patients with cancer and febrile neutropenia. PLoS One. 2019;14(5):e0216835. doi: 10.1371/journal.pone.0216835. PMID: 31120893.',
    );
  });

  it('ama', () => {
    expect(formatCitation(record, 'ama')).toBe(
      'Baugh CW, Faridi MK, Mueller EL, Camargo CA Jr, Pallin DJ. Near-universal hospitalization of US emergency department patients with cancer and febrile neutropenia. PLoS One. 2019;14(5):e0216835. doi:10.1371/journal.pone.0216835',
    );
  });

  it('apa', () => {
    expect(formatCitation(record, 'apa')).toBe(
      'Baugh, C. W., Faridi, M. K., Mueller, E. L., Camargo, C. A., Jr., & Pallin, D. J. (2019). Near-universal hospitalization of US emergency department patients with cancer and febrile neutropenia. PLoS ONE, 14(5), Article e0216835. https://doi.org/10.1371/journal.pone.0216835',
    );
  });

  it('ris', () => {
    expect(formatCitation(record, 'ris')).toBe(
      [
        'TY  - JOUR',
        'AU  - Baugh, Christopher W',
        'AU  - Faridi, Mohammad Kamal',
        'AU  - Mueller, Emily L',
        'AU  - Camargo, Carlos A, Jr',
        'AU  - Pallin, Daniel J',
        'TI  - Near-universal hospitalization of US emergency department patients with cancer and febrile neutropenia',
        'T2  - PLoS ONE',
        'J2  - PLoS One',
        'PY  - 2019',
        'VL  - 14',
        'IS  - 5',
        'SP  - e0216835',
        'DO  - 10.1371/journal.pone.0216835',
        'AN  - 31120893',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/31120893/',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });

  it('bibtex', () => {
    expect(formatCitation(record, 'bibtex')).toBe(
      [
        '@article{pmid31120893,',
        '  author = {Baugh, Christopher W and Faridi, Mohammad Kamal and Mueller, Emily L and Camargo, Jr, Carlos A and Pallin, Daniel J},',
        '  title = {{Near-universal hospitalization of US emergency department patients with cancer and febrile neutropenia}},',
        '  journal = {PLoS ONE},',
        '  shortjournal = {PLoS One},',
        '  year = {2019},',
        '  volume = {14},',
        '  number = {5},',
        '  pages = {e0216835},',
        '  doi = {10.1371/journal.pone.0216835},',
        '  eprint = {31120893},',
        '  eprinttype = {pubmed}',
        '}',
      ].join('\n'),
    );
  });

  it('csl-json', () => {
    expect(toCslItem(record)).toEqual({
      type: 'article-journal',
      id: 'pmid:31120893',
      title: 'Near-universal hospitalization of US emergency department patients with cancer and febrile neutropenia',
      'container-title': 'PLoS ONE',
      'container-title-short': 'PLoS One',
      author: [
        {
          family: 'Baugh',
          given: 'Christopher W',
        },
        {
          family: 'Faridi',
          given: 'Mohammad Kamal',
        },
        {
          family: 'Mueller',
          given: 'Emily L',
        },
        {
          family: 'Camargo',
          given: 'Carlos A',
          suffix: 'Jr',
        },
        {
          family: 'Pallin',
          given: 'Daniel J',
        },
      ],
      issued: {
        'date-parts': [[2019]],
      },
      volume: '14',
      issue: '5',
      page: 'e0216835',
      DOI: '10.1371/journal.pone.0216835',
      PMID: '31120893',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/31120893/',
    });
  });
});

describe('08-iso-abbreviation-with-periods: MedlineTA, not an ISO abbreviation with periods; ahead of print per style', () => {
  const record = fieldReport('08-iso-abbreviation-with-periods.xml');

  it('vancouver', () => {
    expect(formatCitation(record, 'vancouver')).toBe(
      'Van Ginckel A, Hinman RS, Wrigley TV, Hunter DJ, Marshall CJ, Duryea J, et al. Effect of Cane Use on Bone Marrow Lesion Volume in People with Medial Tibiofemoral Knee Osteoarthritis: Randomized Clinical Trial. Osteoarthritis Cartilage. 2019 May 20:S1063-4584(19)30981-1 [Epub ahead of print]. doi: 10.1016/j.joca.2019.05.004. PMID: 31121294.',
    );
  });

  it('ama', () => {
    expect(formatCitation(record, 'ama')).toBe(
      'Van Ginckel A, Hinman RS, Wrigley TV, et al. Effect of Cane Use on Bone Marrow Lesion Volume in People with Medial Tibiofemoral Knee Osteoarthritis: Randomized Clinical Trial. Osteoarthritis Cartilage. Published online May 20, 2019. doi:10.1016/j.joca.2019.05.004',
    );
  });

  it('apa', () => {
    expect(formatCitation(record, 'apa')).toBe(
      'Van Ginckel, A., Hinman, R. S., Wrigley, T. V., Hunter, D. J., Marshall, C. J., Duryea, J., Melo, L., Simic, M., Kasza, J., Robbins, S. R., Wallis, J. A., & Bennell, K. L. (2019). Effect of Cane Use on Bone Marrow Lesion Volume in People with Medial Tibiofemoral Knee Osteoarthritis: Randomized Clinical Trial. Osteoarthritis and Cartilage. Advance online publication. https://doi.org/10.1016/j.joca.2019.05.004',
    );
  });

  it('ris', () => {
    expect(formatCitation(record, 'ris')).toBe(
      [
        'TY  - JOUR',
        'AU  - Van Ginckel, Ans',
        'AU  - Hinman, Rana S',
        'AU  - Wrigley, Tim V',
        'AU  - Hunter, David J',
        'AU  - Marshall, Charlotte J',
        'AU  - Duryea, Jeff',
        'AU  - Melo, Luciano',
        'AU  - Simic, Milena',
        'AU  - Kasza, Jessica',
        'AU  - Robbins, Sarah R',
        'AU  - Wallis, Jason A',
        'AU  - Bennell, Kim L',
        'TI  - Effect of Cane Use on Bone Marrow Lesion Volume in People with Medial Tibiofemoral Knee Osteoarthritis: Randomized Clinical Trial',
        'T2  - Osteoarthritis and Cartilage',
        'J2  - Osteoarthritis Cartilage',
        'PY  - 2019',
        'DA  - 2019/05/20/',
        'SP  - S1063-4584(19)30981-1',
        'DO  - 10.1016/j.joca.2019.05.004',
        'AN  - 31121294',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/31121294/',
        'N1  - Epub ahead of print 2019 May 20',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });

  it('bibtex', () => {
    expect(formatCitation(record, 'bibtex')).toBe(
      [
        '@article{pmid31121294,',
        '  author = {{Van Ginckel}, Ans and Hinman, Rana S and Wrigley, Tim V and Hunter, David J and Marshall, Charlotte J and Duryea, Jeff and Melo, Luciano and Simic, Milena and Kasza, Jessica and Robbins, Sarah R and Wallis, Jason A and Bennell, Kim L},',
        '  title = {{Effect of Cane Use on Bone Marrow Lesion Volume in People with Medial Tibiofemoral Knee Osteoarthritis: Randomized Clinical Trial}},',
        '  journal = {Osteoarthritis and Cartilage},',
        '  shortjournal = {Osteoarthritis Cartilage},',
        '  year = {2019},',
        '  month = may,',
        '  pages = {S1063-4584(19)30981-1},',
        '  doi = {10.1016/j.joca.2019.05.004},',
        '  eprint = {31121294},',
        '  eprinttype = {pubmed},',
        '  note = {Epub ahead of print 2019 May 20}',
        '}',
      ].join('\n'),
    );
  });

  it('csl-json', () => {
    expect(toCslItem(record)).toEqual({
      type: 'article-journal',
      id: 'pmid:31121294',
      title:
        'Effect of Cane Use on Bone Marrow Lesion Volume in People with Medial Tibiofemoral Knee Osteoarthritis: Randomized Clinical Trial',
      'container-title': 'Osteoarthritis and Cartilage',
      'container-title-short': 'Osteoarthritis Cartilage',
      author: [
        {
          family: 'Van Ginckel',
          given: 'Ans',
        },
        {
          family: 'Hinman',
          given: 'Rana S',
        },
        {
          family: 'Wrigley',
          given: 'Tim V',
        },
        {
          family: 'Hunter',
          given: 'David J',
        },
        {
          family: 'Marshall',
          given: 'Charlotte J',
        },
        {
          family: 'Duryea',
          given: 'Jeff',
        },
        {
          family: 'Melo',
          given: 'Luciano',
        },
        {
          family: 'Simic',
          given: 'Milena',
        },
        {
          family: 'Kasza',
          given: 'Jessica',
        },
        {
          family: 'Robbins',
          given: 'Sarah R',
        },
        {
          family: 'Wallis',
          given: 'Jason A',
        },
        {
          family: 'Bennell',
          given: 'Kim L',
        },
      ],
      issued: {
        'date-parts': [[2019, 5, 20]],
      },
      'available-date': {
        'date-parts': [[2019, 5, 20]],
      },
      page: 'S1063-4584(19)30981-1',
      DOI: '10.1016/j.joca.2019.05.004',
      PMID: '31121294',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/31121294/',
      status: 'advance online publication',
      note: 'Epub ahead of print 2019 May 20',
    });
  });
});

describe('09-apa-journal-title: APA prints the journal name in title case without the place qualifier', () => {
  const record = fieldReport('09-apa-journal-title.xml');

  it('vancouver', () => {
    expect(formatCitation(record, 'vancouver')).toBe(
      'Brisson NM, Gatti AA, Damm P, Duda GN, Maly MR. Association of Machine Learning-Based Predictions of Medial Knee Contact Force With Cartilage Loss Over 2.5 Years in Knee Osteoarthritis. Arthritis Rheumatol. 2021;73(9):1638-45. doi: 10.1002/art.41735. PMID: 33760390.',
    );
  });

  it('ama', () => {
    expect(formatCitation(record, 'ama')).toBe(
      'Brisson NM, Gatti AA, Damm P, Duda GN, Maly MR. Association of Machine Learning-Based Predictions of Medial Knee Contact Force With Cartilage Loss Over 2.5 Years in Knee Osteoarthritis. Arthritis Rheumatol. 2021;73(9):1638-1645. doi:10.1002/art.41735',
    );
  });

  it('apa', () => {
    expect(formatCitation(record, 'apa')).toBe(
      'Brisson, N. M., Gatti, A. A., Damm, P., Duda, G. N., & Maly, M. R. (2021). Association of Machine Learning-Based Predictions of Medial Knee Contact Force With Cartilage Loss Over 2.5 Years in Knee Osteoarthritis. Arthritis & Rheumatology, 73(9), 1638–1645. https://doi.org/10.1002/art.41735',
    );
  });

  it('ris', () => {
    expect(formatCitation(record, 'ris')).toBe(
      [
        'TY  - JOUR',
        'AU  - Brisson, Nicholas M',
        'AU  - Gatti, Anthony A',
        'AU  - Damm, Philipp',
        'AU  - Duda, Georg N',
        'AU  - Maly, Monica R',
        'TI  - Association of Machine Learning-Based Predictions of Medial Knee Contact Force With Cartilage Loss Over 2.5 Years in Knee Osteoarthritis',
        'T2  - Arthritis & Rheumatology',
        'J2  - Arthritis Rheumatol',
        'PY  - 2021',
        'DA  - 2021/09//',
        'VL  - 73',
        'IS  - 9',
        'SP  - 1638',
        'EP  - 1645',
        'DO  - 10.1002/art.41735',
        'AN  - 33760390',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/33760390/',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });

  it('bibtex', () => {
    expect(formatCitation(record, 'bibtex')).toBe(
      [
        '@article{pmid33760390,',
        '  author = {Brisson, Nicholas M and Gatti, Anthony A and Damm, Philipp and Duda, Georg N and Maly, Monica R},',
        '  title = {{Association of Machine Learning-Based Predictions of Medial Knee Contact Force With Cartilage Loss Over 2.5 Years in Knee Osteoarthritis}},',
        '  journal = {Arthritis \\& Rheumatology},',
        '  shortjournal = {Arthritis Rheumatol},',
        '  year = {2021},',
        '  month = sep,',
        '  volume = {73},',
        '  number = {9},',
        '  pages = {1638--1645},',
        '  doi = {10.1002/art.41735},',
        '  eprint = {33760390},',
        '  eprinttype = {pubmed}',
        '}',
      ].join('\n'),
    );
  });

  it('csl-json', () => {
    expect(toCslItem(record)).toEqual({
      type: 'article-journal',
      id: 'pmid:33760390',
      title:
        'Association of Machine Learning-Based Predictions of Medial Knee Contact Force With Cartilage Loss Over 2.5 Years in Knee Osteoarthritis',
      'container-title': 'Arthritis & Rheumatology',
      'container-title-short': 'Arthritis Rheumatol',
      author: [
        {
          family: 'Brisson',
          given: 'Nicholas M',
        },
        {
          family: 'Gatti',
          given: 'Anthony A',
        },
        {
          family: 'Damm',
          given: 'Philipp',
        },
        {
          family: 'Duda',
          given: 'Georg N',
        },
        {
          family: 'Maly',
          given: 'Monica R',
        },
      ],
      issued: {
        'date-parts': [[2021, 9]],
      },
      volume: '73',
      issue: '9',
      page: '1638-1645',
      DOI: '10.1002/art.41735',
      PMID: '33760390',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/33760390/',
    });
  });
});

describe('15-validyn-n-author: an author marked ValidYN="N" is not an author', () => {
  const record = fieldReport('15-validyn-n-author.xml');

  it('vancouver', () => {
    expect(formatCitation(record, 'vancouver')).toBe(
      'Dunkel EC, Whitley RJ. Author list from the NLM element-description example for a corrected author name. J Infect Dis. 1998;178(2). Erratum in: J Infect Dis 1998 Aug;178(2):601. PMID: 900000015.',
    );
  });

  it('ama', () => {
    expect(formatCitation(record, 'ama')).toBe(
      'Dunkel EC, Whitley RJ. Author list from the NLM element-description example for a corrected author name [published correction appears in J Infect Dis 1998 Aug;178(2):601]. J Infect Dis. 1998;178(2).',
    );
  });

  it('apa', () => {
    expect(formatCitation(record, 'apa')).toBe(
      'Dunkel, E. C., & Whitley, R. J. (1998). Author list from the NLM element-description example for a corrected author name. The Journal of Infectious Diseases, 178(2).',
    );
  });

  it('ris', () => {
    expect(formatCitation(record, 'ris')).toBe(
      [
        'TY  - JOUR',
        'AU  - Dunkel, E C',
        'AU  - Whitley, R J',
        'TI  - Author list from the NLM element-description example for a corrected author name',
        'T2  - The Journal of Infectious Diseases',
        'J2  - J Infect Dis',
        'PY  - 1998',
        'DA  - 1998/08//',
        'VL  - 178',
        'IS  - 2',
        'AN  - 900000015',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/900000015/',
        'N1  - Erratum in: J Infect Dis 1998 Aug;178(2):601',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });

  it('bibtex', () => {
    expect(formatCitation(record, 'bibtex')).toBe(
      [
        '@article{pmid900000015,',
        '  author = {Dunkel, E C and Whitley, R J},',
        '  title = {{Author list from the NLM element-description example for a corrected author name}},',
        '  journal = {The Journal of Infectious Diseases},',
        '  shortjournal = {J Infect Dis},',
        '  year = {1998},',
        '  month = aug,',
        '  volume = {178},',
        '  number = {2},',
        '  eprint = {900000015},',
        '  eprinttype = {pubmed},',
        '  note = {Erratum in: J Infect Dis 1998 Aug;178(2):601}',
        '}',
      ].join('\n'),
    );
  });

  it('csl-json', () => {
    expect(toCslItem(record)).toEqual({
      type: 'article-journal',
      id: 'pmid:900000015',
      title: 'Author list from the NLM element-description example for a corrected author name',
      'container-title': 'The Journal of Infectious Diseases',
      'container-title-short': 'J Infect Dis',
      author: [
        {
          family: 'Dunkel',
          given: 'E C',
        },
        {
          family: 'Whitley',
          given: 'R J',
        },
      ],
      issued: {
        'date-parts': [[1998, 8]],
      },
      volume: '178',
      issue: '2',
      PMID: '900000015',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/900000015/',
      note: 'Erratum in: J Infect Dis 1998 Aug;178(2):601',
    });
  });
});

describe('17-medline-book-chapter: a MEDLINE book chapter is a chapter in every format', () => {
  const record = fieldReport('17-medline-book-chapter.nbib');

  it('vancouver', () => {
    expect(formatCitation(record, 'vancouver')).toBe(
      'Riegert-Johnson D, Gleeson FC, Westra W, Hefferon T, Wong Kee Song LM, Spurck L, et al. Peutz-Jeghers Syndrome. In: Riegert-Johnson DL, Boardman LA, Hefferon T, Roberts M, editors. Cancer Syndromes [Internet]. Bethesda (MD): National Center for Biotechnology Information (US); 2009. PMID: 21249755.',
    );
  });

  it('ama', () => {
    expect(formatCitation(record, 'ama')).toBe(
      'Riegert-Johnson D, Gleeson FC, Westra W, et al. Peutz-Jeghers Syndrome. In: Riegert-Johnson DL, Boardman LA, Hefferon T, Roberts M, eds. Cancer Syndromes. National Center for Biotechnology Information (US); 2009.',
    );
  });

  it('apa', () => {
    expect(formatCitation(record, 'apa')).toBe(
      'Riegert-Johnson, D., Gleeson, F. C., Westra, W., Hefferon, T., Wong Kee Song, L. M., Spurck, L., & Boardman, L. A. (2009). Peutz-Jeghers Syndrome. In D. L. Riegert-Johnson, L. A. Boardman, T. Hefferon, & M. Roberts (Eds.), Cancer Syndromes. National Center for Biotechnology Information (US). https://www.ncbi.nlm.nih.gov/books/NBK1826/',
    );
  });

  it('ris', () => {
    expect(formatCitation(record, 'ris')).toBe(
      [
        'TY  - CHAP',
        'AU  - Riegert-Johnson, Douglas',
        'AU  - Gleeson, Ferga C.',
        'AU  - Westra, Wytske',
        'AU  - Hefferon, Timothy',
        'AU  - Wong Kee Song, Louis M.',
        'AU  - Spurck, Lauren',
        'AU  - Boardman, Lisa A.',
        'A2  - Riegert-Johnson, Douglas L',
        'A2  - Boardman, Lisa A',
        'A2  - Hefferon, Timothy',
        'A2  - Roberts, Maegan',
        'TI  - Peutz-Jeghers Syndrome',
        'T2  - Cancer Syndromes',
        'PY  - 2009',
        'PB  - National Center for Biotechnology Information (US)',
        'CY  - Bethesda (MD)',
        'AN  - 21249755',
        'DB  - PubMed',
        'UR  - https://pubmed.ncbi.nlm.nih.gov/21249755/',
        'UR  - https://www.ncbi.nlm.nih.gov/books/NBK1826/',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });

  it('bibtex', () => {
    expect(formatCitation(record, 'bibtex')).toBe(
      [
        '@incollection{pmid21249755,',
        '  author = {Riegert-Johnson, Douglas and Gleeson, Ferga C. and Westra, Wytske and Hefferon, Timothy and {Wong Kee Song}, Louis M. and Spurck, Lauren and Boardman, Lisa A.},',
        '  editor = {Riegert-Johnson, Douglas L and Boardman, Lisa A and Hefferon, Timothy and Roberts, Maegan},',
        '  title = {{Peutz-Jeghers Syndrome}},',
        '  booktitle = {Cancer Syndromes},',
        '  publisher = {National Center for Biotechnology Information (US)},',
        '  address = {Bethesda (MD)},',
        '  year = {2009},',
        '  eprint = {21249755},',
        '  eprinttype = {pubmed}',
        '}',
      ].join('\n'),
    );
  });

  it('csl-json', () => {
    expect(toCslItem(record)).toEqual({
      type: 'chapter',
      id: 'pmid:21249755',
      title: 'Peutz-Jeghers Syndrome',
      'container-title': 'Cancer Syndromes',
      author: [
        {
          family: 'Riegert-Johnson',
          given: 'Douglas',
        },
        {
          family: 'Gleeson',
          given: 'Ferga C.',
        },
        {
          family: 'Westra',
          given: 'Wytske',
        },
        {
          family: 'Hefferon',
          given: 'Timothy',
        },
        {
          family: 'Wong Kee Song',
          given: 'Louis M.',
        },
        {
          family: 'Spurck',
          given: 'Lauren',
        },
        {
          family: 'Boardman',
          given: 'Lisa A.',
        },
      ],
      editor: [
        {
          family: 'Riegert-Johnson',
          given: 'Douglas L',
        },
        {
          family: 'Boardman',
          given: 'Lisa A',
        },
        {
          family: 'Hefferon',
          given: 'Timothy',
        },
        {
          family: 'Roberts',
          given: 'Maegan',
        },
      ],
      issued: {
        'date-parts': [[2009]],
      },
      publisher: 'National Center for Biotechnology Information (US)',
      'publisher-place': 'Bethesda (MD)',
      PMID: '21249755',
      URL: 'https://pubmed.ncbi.nlm.nih.gov/21249755/',
    });
  });
});
