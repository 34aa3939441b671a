// The PubMed field reports (test/fixtures/field-reports/README.md) imported with `npm run import -- pubmed` and read
// back through the API: every stored field survives the database, and every citation route gives the value the report
// asks for, in all six formats. (test/citations.field-reports.test.ts pins the formatters on the parsed records.)

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CITATION_FORMATS,
  type CitationFormat,
  formatBibliography,
  formatCitation,
} from '../src/citations/citations.format.js';
import { runImportCli } from '../src/cli/import.js';
import { type PubmedRecord, parsePubmedFile } from '../src/importers/pubmed/pubmed.parse.js';
import { openDatabase } from '../src/store/client.js';
import { type App, scratchPath, testApp } from './helpers.js';

const FILES = [
  '02-elocation-pii-as-locator.xml',
  '04-arxiv-preprint.xml',
  '05-retracted-publication.xml',
  '06-suffix-xml.xml',
  '08-iso-abbreviation-with-periods.xml',
  '09-apa-journal-title.xml',
  '15-validyn-n-author.xml',
  '17-medline-book-chapter.nbib',
] as const;
const pathOf = (file: string) => new URL(`./fixtures/field-reports/${file}`, import.meta.url).pathname;
const recordOf = (file: string) => parsePubmedFile(readFileSync(pathOf(file), 'utf8')).records[0] as PubmedRecord;

let app: App;
let summary: { records: number; inserted: number; skipped: unknown[] };

beforeAll(async () => {
  const path = scratchPath('field-reports');
  const out: string[] = [];
  const code = await runImportCli(['pubmed', '--json', ...FILES.map(pathOf)], {
    env: { DATABASE_PATH: path },
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: () => true },
  });
  expect(code, out.join('')).toBe(0);
  summary = JSON.parse(out.join(''));
  ({ app } = await testApp({
    db: openDatabase(path, { temporary: true, synchronous: 'OFF' }),
    config: { MAX_EVENT_LOOP_DELAY_MS: 0 },
  }));
});

afterAll(async () => {
  await app?.close();
});

async function cite(pmid: string, format: CitationFormat): Promise<string> {
  const res = await app.inject(
    format === 'csl-json' ? `/v1/studies/${pmid}/citation/csl-json` : `/v1/studies/${pmid}/citation?format=${format}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.body;
}

const study = async (pmid: string) => (await app.inject(`/v1/studies/${pmid}`)).json();

describe('npm run import -- pubmed with every PubMed field report', () => {
  it('imports the eight records, skipping none', () => {
    expect(summary).toMatchObject({ records: 8, inserted: 8, skipped: [] });
  });

  for (const file of FILES)
    it(`${file}: each of the six formats through GET /v1/studies/{pmid}/citation equals the format of the parsed record`, async () => {
      const record = recordOf(file);
      for (const format of CITATION_FORMATS) {
        // The single-study route answers a reference-list file for RIS, BibTeX and CSL-JSON, one citation otherwise.
        const expected =
          format === 'ris' || format === 'bibtex' || format === 'csl-json'
            ? formatBibliography([record], format)
            : formatCitation(record, format);
        expect(await cite(record.pmid, format), `${file} ${format}`).toBe(expected);
      }
    });
});

describe('the values each field report asks for, through the API', () => {
  it('02: the e-locator stands in for pages, the vernacular title for the empty ArticleTitle', async () => {
    const body = await study('29292925');
    expect(body).toMatchObject({
      title: 'Psykisk ohälsa, radikalisering och terrorism - Inget säkert samband har kunnat påvisas.',
      pages: null,
      elocation_id: 'EWLS',
      publication_kind: 'journal_article',
    });
    expect(await cite('29292925', 'vancouver')).toBe(
      'Köhler P, Krona H, Josefsson J. Psykisk ohälsa, radikalisering och terrorism - Inget säkert samband har kunnat påvisas. Lakartidningen. 2017;114:EWLS. PMID: 29292925.',
    );
    expect((await cite('29292925', 'ris')).split('\r\n')).toContain('SP  - EWLS');
    expect(JSON.parse(await cite('29292925', 'csl-json'))[0].page).toBe('EWLS');
  });

  it('04: an arXiv preprint is a preprint with its arXiv id in every format', async () => {
    expect(await study('37064529')).toMatchObject({
      publication_kind: 'preprint',
      publication_status: 'epublish',
      arxiv_id: '2304.02112v2',
      elocation_id: 'arXiv:2304.02112v2',
    });
    expect(await cite('37064529', 'vancouver')).toBe(
      'Dutta S, Farhadifar R, Lu W, Kabacaoğlu G, Blackwell R, Stein DB, et al. Self-organized intracellular twisters. ArXiv [Preprint]. 2023 Apr 6:arXiv:2304.02112v2. PMID: 37064529; PMCID: PMC10104197.',
    );
    const csl = JSON.parse(await cite('37064529', 'csl-json'))[0];
    expect(csl).toMatchObject({ type: 'article', number: 'arXiv:2304.02112v2' });
    expect((await cite('37064529', 'ris')).split('\r\n')).toContain('M1  - arXiv:2304.02112v2');
    expect(await cite('37064529', 'bibtex')).toContain('  eprint = {2304.02112v2},\n  eprinttype = {arxiv},');
  });

  it('05: a retracted publication is retracted, with its notice linked, and every format marks it', async () => {
    expect(await study('993')).toMatchObject({
      retracted: true,
      retraction: {
        source: 'retraction_in',
        notice_pmid: '195582',
        notice_citation: 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8',
      },
      notices: [
        {
          type: 'RetractionIn',
          pmid: '195582',
          ref_source: 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8',
          note: null,
          in_database: false,
        },
      ],
    });
    expect(await cite('993', 'vancouver')).toBe(
      'Gullis RJ, Rowe CE. The stimulation by synaptic transmitters of the incorporation of oleate into the phospholipid of synaptic membranes. Biochem J. 1975;148(3):557-65. Retraction in: Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8. PMID: 993; PMCID: PMC1165577.',
    );
  });

  it('06: the <Suffix> is kept: stored on the author, printed by every format', async () => {
    const body = await study('31120893');
    expect(body.authors[3]).toEqual({
      family: 'Camargo',
      given: 'Carlos A',
      initials: 'CA',
      collective: null,
      suffix: 'Jr',
    });
    expect(await cite('31120893', 'vancouver')).toMatch(
      /^Baugh CW, Faridi MK, Mueller EL, Camargo CA Jr, Pallin DJ\. /,
    );
    expect(await cite('31120893', 'apa')).toMatch(/Camargo, C\. A\., Jr\., & Pallin, D\. J\. \(2019\)/);
    expect(await cite('31120893', 'bibtex')).toContain('Camargo, Jr, Carlos A');
    expect(JSON.parse(await cite('31120893', 'csl-json'))[0].author[3]).toEqual({
      family: 'Camargo',
      given: 'Carlos A',
      suffix: 'Jr',
    });
  });

  it('08: Vancouver and AMA print the NLM abbreviation (MedlineTA), never the dotted ISO form', async () => {
    expect(await study('31121294')).toMatchObject({
      journal_iso: 'Osteoarthr. Cartil.',
      journal_medline_ta: 'Osteoarthritis Cartilage',
      publication_status: 'aheadofprint',
      elocation_id: 'S1063-4584(19)30981-1',
    });
    for (const format of ['vancouver', 'ama'] as const) {
      const text = await cite('31121294', format);
      expect(text).toContain(' Osteoarthritis Cartilage. ');
      expect(text).not.toContain('Osteoarthr. Cartil.');
    }
  });

  it('09: APA prints the journal in title case without the place qualifier', async () => {
    expect(await cite('33760390', 'apa')).toContain(' Arthritis & Rheumatology, 73(9), 1638–1645. ');
  });

  it('15: the ValidYN="N" name is not an author; the erratum is a notice', async () => {
    const body = await study('900000015');
    expect(body.authors.map((a: { family: string }) => a.family)).toEqual(['Dunkel', 'Whitley']);
    expect(body.notices).toEqual([
      {
        type: 'ErratumIn',
        pmid: null,
        ref_source: 'J Infect Dis 1998 Aug;178(2):601',
        note: 'Whitely RJ [corrected to Whitley RJ]',
        in_database: false,
      },
    ]);
    expect(await cite('900000015', 'vancouver')).toMatch(/^Dunkel EC, Whitley RJ\. /);
  });

  it('17: a MEDLINE book chapter keeps its book, editors, publisher and place, and cites as a chapter', async () => {
    const body = await study('21249755');
    expect(body).toMatchObject({
      publication_kind: 'chapter',
      journal: 'Cancer Syndromes',
      publisher: 'National Center for Biotechnology Information (US)',
      publisher_place: 'Bethesda (MD)',
      bookshelf_id: 'NBK1826',
    });
    expect(body.editors.map((e: { family: string; given: string }) => `${e.family}, ${e.given}`)).toEqual([
      'Riegert-Johnson, Douglas L',
      'Boardman, Lisa A',
      'Hefferon, Timothy',
      'Roberts, Maegan',
    ]);
    const ris = (await cite('21249755', 'ris')).split('\r\n');
    expect(ris).toEqual(
      expect.arrayContaining([
        'TY  - CHAP',
        'T2  - Cancer Syndromes',
        'A2  - Riegert-Johnson, Douglas L',
        'PB  - National Center for Biotechnology Information (US)',
        'CY  - Bethesda (MD)',
      ]),
    );
    expect(JSON.parse(await cite('21249755', 'csl-json'))[0].type).toBe('chapter');
    expect(await cite('21249755', 'vancouver')).toContain(
      '. In: Riegert-Johnson DL, Boardman LA, Hefferon T, Roberts M, editors. Cancer Syndromes [Internet]. Bethesda (MD): National Center for Biotechnology Information (US); 2009.',
    );
  });

  it('the PMID-list route cites all eight in the order asked, as the single-study route does', async () => {
    const pmids = FILES.map((f) => recordOf(f).pmid);
    const res = await app.inject(`/v1/citations?pmids=${pmids.join(',')}&format=vancouver`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(formatBibliography(FILES.map(recordOf), 'vancouver'));
  });
});
