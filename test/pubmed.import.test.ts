// PubMed import: upsert rules (curated values win), idempotency, malformed input, the efetch client, the CLI end to end.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchPubmedXml, InvalidPmidError, PubmedFetchError } from '../src/importers/pubmed/pubmed.fetch.js';
import {
  type ImportOptions,
  importPubmedFiles,
  PubmedImportError,
  parseEfetchBatches,
  parsePubmedSources,
  writePubmedImport,
} from '../src/importers/pubmed/pubmed.import.js';
import type { Database } from '../src/store/client.js';
import { readDataVersion } from '../src/store/data-version.queries.js';
import { freshDatabase, getJson, testApp } from './helpers.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/pubmed/', import.meta.url));
const fixturePath = (name: string): string => join(FIXTURES, name);
const fixtureText = (name: string): string => readFileSync(fixturePath(name), 'utf8');
const FIXTURE_FILES = [
  'rct-29768149.xml',
  'observational-inline-markup.xml',
  'two-records-season-date.xml',
  'medline-4-records.nbib',
];

/** Each record's own DOI, read off the fixture files (ELocationID / ArticleId doi / AID "[doi]"); null: none given. */
const FIXTURE_DOIS: Record<string, string | null> = {
  '29768149': '10.1056/NEJMoa1715274',
  '27797938': '10.1136/gutjnl-2016-312510',
  '12091962': null,
  '9997': '10.1016/0005-2795(76)90109-4',
  '16403221': '10.1186/1471-2105-7-10',
  '16377612': '10.1093/bioinformatics/btk021',
  '14871861': '10.1093/bioinformatics/bth078',
  '14630660': null,
};

let scratch: string;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'pubmed-import-test-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

let fileCounter = 0;
function scratchFile(content: string, name = `input-${++fileCounter}.xml`): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

interface StoredStudy {
  pmid: string;
  doi: string | null;
  pmcid: string | null;
  title: string | null;
  authors: string;
  authors_complete: number;
  last_author: string | null;
  author_count: number | null;
  journal: string | null;
  journal_iso: string | null;
  year: number | null;
  month: number | null;
  day: number | null;
  date_text: string | null;
  volume: string | null;
  issue: string | null;
  pages: string | null;
  publication_types: string;
  mesh_terms: string;
  abstract: string | null;
  design: string | null;
  design_source: string | null;
  sample_size: number | null;
  sample_size_note: string | null;
  population: string | null;
  species: string | null;
  updated_at: string;
}

const studyRow = async (db: Database, pmid: string): Promise<StoredStudy> =>
  (await db.get('SELECT * FROM studies WHERE pmid = ?', [pmid])) as StoredStudy;
const allStudies = (db: Database) => db.all('SELECT * FROM studies ORDER BY pmid');
const studyCount = async (db: Database): Promise<number> =>
  ((await db.get('SELECT count(*) AS n FROM studies')) as { n: number }).n;
const lastNames = (row: StoredStudy): (string | null)[] =>
  (JSON.parse(row.authors) as { family: string | null }[]).map((a) => a.family);

/** The <PubmedArticle> elements of a fixture, as text, keyed by their own PMID. */
function articlesOf(name: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [element] of fixtureText(name).matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)) {
    const pmid = /<MedlineCitation[^>]*>\s*<PMID[^>]*>(\d+)<\/PMID>/.exec(element)?.[1];
    if (pmid) out.set(pmid, element);
  }
  return out;
}

const articleSet = (...articles: string[]): string =>
  `<?xml version="1.0"?>\n<PubmedArticleSet>\n${articles.join('\n')}\n</PubmedArticleSet>\n`;

interface ArticleFacts {
  pmid: string | null;
  title: string;
  journal?: string;
  journalIso?: string;
  year?: number;
  volume?: string;
  issue?: string;
  pages?: string;
  doi?: string;
  pmcid?: string;
  /** [LastName, Initials] pairs, or a CollectiveName string. */
  authors?: ([string, string] | string)[];
  authorsComplete?: boolean;
  publicationTypes: string[];
  mesh?: string[];
}

/** A PubmedArticle in efetch's shape, for records whose real XML is not available here. */
function article(f: ArticleFacts): string {
  const authors = f.authors
    ? `<AuthorList CompleteYN="${f.authorsComplete === false ? 'N' : 'Y'}">${f.authors
        .map((a) =>
          typeof a === 'string'
            ? `<Author><CollectiveName>${a}</CollectiveName></Author>`
            : `<Author ValidYN="Y"><LastName>${a[0]}</LastName><Initials>${a[1]}</Initials></Author>`,
        )
        .join('')}</AuthorList>`
    : '';
  const mesh = f.mesh
    ? `<MeshHeadingList>${f.mesh.map((m) => `<MeshHeading><DescriptorName>${m}</DescriptorName></MeshHeading>`).join('')}</MeshHeadingList>`
    : '';
  const ids = [
    f.pmid === null ? '' : `<ArticleId IdType="pubmed">${f.pmid}</ArticleId>`,
    f.doi ? `<ArticleId IdType="doi">${f.doi}</ArticleId>` : '',
    f.pmcid ? `<ArticleId IdType="pmc">${f.pmcid}</ArticleId>` : '',
  ].join('');
  return `<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">${f.pmid === null ? '' : `<PMID Version="1">${f.pmid}</PMID>`}
  <Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print">${f.volume ? `<Volume>${f.volume}</Volume>` : ''}${f.issue ? `<Issue>${f.issue}</Issue>` : ''}
  <PubDate>${f.year ? `<Year>${f.year}</Year>` : ''}</PubDate></JournalIssue>${f.journal ? `<Title>${f.journal}</Title>` : ''}${f.journalIso ? `<ISOAbbreviation>${f.journalIso}</ISOAbbreviation>` : ''}</Journal>
  <ArticleTitle>${f.title}</ArticleTitle>${f.pages ? `<Pagination><MedlinePgn>${f.pages}</MedlinePgn></Pagination>` : ''}
  ${f.doi ? `<ELocationID EIdType="doi" ValidYN="Y">${f.doi}</ELocationID>` : ''}${authors}
  <PublicationTypeList>${f.publicationTypes.map((t) => `<PublicationType>${t}</PublicationType>`).join('')}</PublicationTypeList>
  </Article>${mesh}</MedlineCitation><PubmedData><ArticleIdList>${ids}</ArticleIdList></PubmedData></PubmedArticle>`;
}

function importXml(db: Database, xml: string, options: ImportOptions = {}) {
  return importPubmedFiles(db, [scratchFile(articleSet(xml))], options);
}

// ---------------------------------------------------------------------------------------------------------------

describe('importPubmedFiles: the randomised trial fixture', () => {
  const xml = fixtureText('rct-29768149.xml');
  // Independent of the parser: the LastName elements of the record's own AuthorList, in document order.
  const authorList = /<AuthorList[^>]*>([\s\S]*?)<\/AuthorList>/.exec(xml)?.[1] ?? '';
  const xmlLastNames = [...authorList.matchAll(/<LastName>([^<]+)<\/LastName>/g)].map((m) =>
    m[1]?.replace('&apos;', "'"),
  );

  it('imports as an rct study with every author, identifier and bibliographic field', async () => {
    const db = await freshDatabase({ seed: false });
    const summary = await importPubmedFiles(db, [fixturePath('rct-29768149.xml')]);
    expect(summary).toEqual({
      files: 1,
      records: 1,
      inserted: 1,
      updated: 0,
      unchanged: 0,
      skipped: [],
      deleted: [],
      duplicates: [],
    });

    const row = await studyRow(db, '29768149');
    expect(row.design).toBe('rct');
    expect(row.design_source).toBe('pubmed');
    expect(xmlLastNames).toHaveLength(10);
    expect(lastNames(row)).toEqual(xmlLastNames);
    expect([row.authors_complete, row.author_count, row.last_author]).toEqual([1, 10, null]);
    expect(row.doi).toBe('10.1056/NEJMoa1715274');
    expect(row.pmcid).toBeNull();
    expect(row.title).toBe('Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.');
    expect([row.journal, row.journal_iso]).toEqual(['The New England journal of medicine', 'N Engl J Med']);
    expect([row.year, row.month, row.day, row.date_text]).toEqual([2018, 5, 17, null]);
    expect([row.volume, row.issue, row.pages]).toEqual(['378', '20', '1865-1876']);
    expect(JSON.parse(row.publication_types)).toEqual([
      'Clinical Trial, Phase III',
      'Comparative Study',
      'Journal Article',
      'Multicenter Study',
      'Randomized Controlled Trial',
      "Research Support, Non-U.S. Gov't",
    ]);
    const mesh = JSON.parse(row.mesh_terms) as string[];
    expect(mesh).toHaveLength(23);
    expect(mesh[0]).toBe('Administration, Inhalation');
    expect(mesh).toContain('Bronchodilator Agents');
    const abstract = row.abstract ?? '';
    expect(abstract.startsWith('BACKGROUND: ')).toBe(true);
    for (const label of ['METHODS', 'RESULTS', 'CONCLUSIONS']) expect(abstract).toContain(`\n\n${label}: `);
    expect([row.sample_size, row.population, row.species]).toEqual([null, null, null]);
  });

  it('shows the same values through GET /v1/studies/29768149, with metadata_status complete', async () => {
    const db = await freshDatabase({ seed: false });
    await importPubmedFiles(db, [fixturePath('rct-29768149.xml')]);
    const { app } = await testApp({ db });
    try {
      const res = await getJson(app, '/v1/studies/29768149');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        pmid: '29768149',
        doi: '10.1056/NEJMoa1715274',
        title: 'Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.',
        authors_complete: true,
        last_author: null,
        author_count: 10,
        journal: 'The New England journal of medicine',
        journal_iso: 'N Engl J Med',
        year: 2018,
        month: 5,
        day: 17,
        volume: '378',
        issue: '20',
        pages: '1865-1876',
        design: 'rct',
        sample_size: null,
        metadata_status: 'complete',
      });
      expect(res.body.authors.map((a: { family: string }) => a.family)).toEqual(xmlLastNames);
      expect(res.body.authors[0]).toEqual({
        family: "O'Byrne",
        given: 'Paul M',
        initials: 'PM',
        collective: null,
        suffix: null,
      });
      expect(res.body.publication_types).toContain('Randomized Controlled Trial');
    } finally {
      await app.close();
    }
  });
});

describe('importPubmedFiles: every fixture', () => {
  it('imports all eight records without a crash, each with its own DOI', async () => {
    const db = await freshDatabase({ seed: false });
    const summary = await importPubmedFiles(db, FIXTURE_FILES.map(fixturePath));
    expect(summary).toMatchObject({ files: 4, records: 8, inserted: 8, updated: 0, unchanged: 0, skipped: [] });
    expect(await studyCount(db)).toBe(8);
    for (const [pmid, doi] of Object.entries(FIXTURE_DOIS))
      expect([pmid, (await studyRow(db, pmid)).doi]).toEqual([pmid, doi]);
    // PMIDs of other papers (CommentsCorrectionsList) never become studies.
    expect(await studyRow(db, '27920200')).toBeUndefined();
  });

  it('keeps a season as date_text and derives case-control for the nested case-control study', async () => {
    const db = await freshDatabase({ seed: false });
    await importPubmedFiles(db, FIXTURE_FILES.map(fixturePath));
    expect([(await studyRow(db, '12091962')).year, (await studyRow(db, '12091962')).date_text]).toEqual([
      1990,
      'Spring',
    ]);
    expect((await studyRow(db, '12091962')).design).toBe('narrative_review');
    expect((await studyRow(db, '27797938')).design).toBe('case_control');
    expect((await studyRow(db, '16403221')).design).toBeNull();
  });
});

describe('importPubmedFiles: idempotency and batches', () => {
  it('changes nothing the second time: every record unchanged, same rows, same updated_at, same data version', async () => {
    const db = await freshDatabase();
    const paths = FIXTURE_FILES.map(fixturePath);
    await importPubmedFiles(db, paths);
    const rows = await allStudies(db);
    const version = await readDataVersion(db);

    const again = await importPubmedFiles(db, paths);
    expect(again).toMatchObject({ records: 8, inserted: 0, updated: 0, unchanged: 8, skipped: [] });
    expect(await allStudies(db)).toEqual(rows);
    expect(await readDataVersion(db)).toBe(version);

    // Overwrite changes nothing either: these designs already came from PubMed.
    expect((await importPubmedFiles(db, paths, { overwrite: true })).unchanged).toBe(8);
    expect(await readDataVersion(db)).toBe(version);
  });

  it('writes in batches, bumping the data version once per batch that changed something', async () => {
    const db = await freshDatabase({ seed: false });
    const before = Number((await readDataVersion(db)).split('.')[1]);
    const progress: [number, number][] = [];
    await importPubmedFiles(db, FIXTURE_FILES.map(fixturePath), {
      batchSize: 3,
      onProgress: ({ done, total }) => progress.push([done, total]),
    });
    expect(progress).toEqual([
      [0, 8],
      [3, 8],
      [6, 8],
      [8, 8],
    ]);
    expect(Number((await readDataVersion(db)).split('.')[1])).toBe(before + 3);
  });

  it('counts a PMID repeated within one import once, and its last occurrence wins', async () => {
    const db = await freshDatabase({ seed: false });
    const first = scratchFile(
      articleSet(article({ pmid: '123', title: 'First title.', publicationTypes: ['Review'] })),
    );
    const second = scratchFile(
      articleSet(
        article({ pmid: '123', title: 'Second title.', publicationTypes: ['Review'] }),
        article({ pmid: '123', title: 'Third title.', publicationTypes: ['Review'] }),
      ),
    );
    expect(await importPubmedFiles(db, [first, second])).toMatchObject({
      records: 1,
      inserted: 1,
      skipped: [],
      duplicates: [{ pmid: '123', records: 3 }],
    });
    expect((await studyRow(db, '123')).title).toBe('Third title.');
  });
});

// The facts below come from test/fixtures/reference/pmids.json; what pmids.json does not give is marked synthetic.
const MELANOMA_FACTS = {
  pmid: '29097493',
  title: 'Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients',
  journal: 'Science',
  journalIso: 'Science',
  year: 2018,
  volume: '359',
  issue: '6371',
  pages: '97-103',
  doi: '10.1126/science.aan4236',
  pmcid: 'PMC5827966',
  // SYNTHETIC: pmids.json lists the first six authors and the last; the real paper has more. This list is a
  // stand-in that the test marks complete, to exercise the complete-author-list rule.
  authors: [
    ['Gopalakrishnan', 'V'],
    ['Spencer', 'CN'],
    ['Nezi', 'L'],
    ['Reuben', 'A'],
    ['Andrews', 'MC'],
    ['Karpinets', 'TV'],
    ['Wargo', 'JA'],
  ] as [string, string][],
  authorsComplete: true,
  publicationTypes: ['Journal Article', 'Research Support, N.I.H., Extramural'],
};

describe('importPubmedRecords: curated values win', () => {
  let db: Database;
  beforeEach(async () => {
    db = await freshDatabase();
  });

  it('refreshes the bibliography of a curated study but keeps its design and sample size', async () => {
    await db.run("UPDATE studies SET updated_at = '2000-01-01T00:00:00.000Z' WHERE pmid = '29097493'");
    const before = await studyRow(db, '29097493');
    expect([before.design, before.design_source, before.sample_size]).toEqual(['cohort', 'curated', 112]);

    const summary = await importXml(db, article(MELANOMA_FACTS));
    expect(summary).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    const after = await studyRow(db, '29097493');
    expect([after.design, after.design_source, after.sample_size]).toEqual(['cohort', 'curated', 112]);
    expect([after.sample_size_note, after.population, after.species]).toEqual([
      before.sample_size_note,
      before.population,
      before.species,
    ]);
    expect(after.journal).toBe('Science');
    expect(JSON.parse(after.publication_types)).toEqual(MELANOMA_FACTS.publicationTypes);
    expect(lastNames(after)).toEqual(MELANOMA_FACTS.authors.map(([family]) => family));
    expect([after.authors_complete, after.last_author, after.author_count]).toEqual([1, null, 7]);
    expect(after.updated_at).not.toBe('2000-01-01T00:00:00.000Z');
  });

  it('with overwrite, keeps the curated design when PubMed yields none, and the sample size always', async () => {
    const version = await readDataVersion(db);
    await importXml(db, article(MELANOMA_FACTS), { overwrite: true });
    const after = await studyRow(db, '29097493');
    // Journal Article and Research Support name no design, so PubMed says nothing that could replace "cohort".
    expect([after.design, after.design_source, after.sample_size]).toEqual(['cohort', 'curated', 112]);
    expect(await readDataVersion(db)).not.toBe(version);
  });

  it('with overwrite, replaces a curated design by the one PubMed gives, never the sample size', async () => {
    // SYNTHETIC: 22699609 indexed as a Review, only to have PubMed disagree with the curated cross_sectional.
    const review = article({ pmid: '22699609', title: 'Synthetic stand-in.', publicationTypes: ['Review'] });
    await importXml(db, review);
    expect([(await studyRow(db, '22699609')).design, (await studyRow(db, '22699609')).sample_size]).toEqual([
      'cross_sectional',
      242,
    ]);
    expect((await importXml(db, review, { overwrite: true })).updated).toBe(1);
    const after = await studyRow(db, '22699609');
    expect([after.design, after.design_source, after.sample_size]).toEqual(['narrative_review', 'pubmed', 242]);
  });

  it('never erases a stored value with a missing one, nor a complete author list with a truncated one', async () => {
    await importXml(db, article(MELANOMA_FACTS));
    const full = await studyRow(db, '29097493');
    // A sparse record: no DOI, PMCID, journal, date, volume, pages or MeSH, and a truncated author list.
    const sparse = article({
      pmid: '29097493',
      title: MELANOMA_FACTS.title,
      authors: [['Gopalakrishnan', 'V']],
      authorsComplete: false,
      publicationTypes: [],
    });
    expect(await importXml(db, sparse)).toMatchObject({ updated: 0, unchanged: 1 });
    expect(await studyRow(db, '29097493')).toEqual(full);
  });

  it('fills a bare seed PMID (35866234) and leaves the claims that cite it untouched', async () => {
    const claimsOf = () =>
      db.all(
        `SELECT c.*, cs.relation, cs.finding, cs.position FROM claim_studies cs
           JOIN claims c ON c.id = cs.claim_id JOIN studies s ON s.id = cs.study_id
           WHERE s.pmid = '35866234' ORDER BY c.id`,
      );
    const claimsBefore = await claimsOf();
    expect(claimsBefore.length).toBeGreaterThan(0);
    const { app } = await testApp({ db });
    try {
      const before = await getJson(app, '/v1/studies/35866234');
      expect(before.body).toMatchObject({ title: null, authors: [], journal: null, metadata_status: 'unknown' });

      // SYNTHETIC stand-in: the real record for 35866234 cannot be fetched here; every value below is invented
      // for the test and must never be mistaken for the paper's metadata.
      await importXml(
        db,
        article({
          pmid: '35866234',
          title: 'SYNTHETIC stand-in title for PMID 35866234.',
          journal: 'Synthetic Journal',
          journalIso: 'Synth J',
          year: 2022,
          authors: [
            ['Synthetic', 'A'],
            ['Standin', 'B'],
          ],
          publicationTypes: ['Journal Article', 'Review'],
        }),
      );

      const after = await getJson(app, '/v1/studies/35866234');
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({
        title: 'SYNTHETIC stand-in title for PMID 35866234.',
        journal: 'Synthetic Journal',
        authors_complete: true,
        design: 'narrative_review',
        sample_size: null,
      });
      expect(after.body.metadata_status).not.toBe('unknown');
      expect(after.body.claims).toEqual(before.body.claims);
      expect(await claimsOf()).toEqual(claimsBefore);
    } finally {
      await app.close();
    }
  });
});

describe('importPubmedFiles: malformed input', () => {
  it('throws on a truncated file, naming it, and changes no row even when a good file comes first', async () => {
    const db = await freshDatabase();
    const rows = await allStudies(db);
    const version = await readDataVersion(db);
    const xml = fixtureText('rct-29768149.xml');
    const truncated = scratchFile(xml.slice(0, Math.floor(xml.length / 2)), 'truncated.xml');
    await expect(importPubmedFiles(db, [fixturePath('rct-29768149.xml'), truncated])).rejects.toThrow(
      PubmedImportError,
    );
    await expect(importPubmedFiles(db, [fixturePath('rct-29768149.xml'), truncated])).rejects.toThrow(
      /truncated\.xml: /,
    );
    expect(await allStudies(db)).toEqual(rows);
    expect(await readDataVersion(db)).toBe(version);
  });

  it('throws on a missing file, naming it, before writing anything', async () => {
    const db = await freshDatabase({ seed: false });
    const missing = join(scratch, 'does-not-exist.xml');
    await expect(importPubmedFiles(db, [fixturePath('rct-29768149.xml'), missing])).rejects.toThrow(
      `${missing}: cannot read: no such file`,
    );
    expect(await studyCount(db)).toBe(0);
  });

  it('skips a record without a PMID (and one with an impossible PMID), reports its position, imports the rest', async () => {
    const db = await freshDatabase({ seed: false });
    const rct = articlesOf('rct-29768149.xml').get('29768149') ?? '';
    const observational = articlesOf('observational-inline-markup.xml').get('27797938') ?? '';
    const file = scratchFile(
      articleSet(
        rct,
        article({ pmid: null, title: 'No PMID here.', publicationTypes: ['Journal Article'] }),
        observational,
        article({ pmid: '1234567890', title: 'Ten digits.', publicationTypes: ['Journal Article'] }),
      ),
    );
    const summary = await importPubmedFiles(db, [file]);
    expect(summary).toMatchObject({ files: 1, records: 2, inserted: 2 });
    expect(summary.skipped).toEqual([
      { file, position: 2, pmid: null, reason: 'no PMID' },
      { file, position: 4, pmid: '1234567890', reason: expect.stringContaining('not a PubMed id') },
    ]);
    expect(await studyCount(db)).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A fake E-utilities server serving the fixture records

interface FakeRequest {
  ids: string[];
  apiKey: string | null;
  tool: string | null;
}

const FIXTURE_ARTICLES = new Map<string, string>(
  ['rct-29768149.xml', 'observational-inline-markup.xml', 'two-records-season-date.xml'].flatMap((f) => [
    ...articlesOf(f),
  ]),
);

const fake = {
  server: undefined as Server | undefined,
  baseUrl: '',
  requests: [] as FakeRequest[],
  /** Responses to give instead of the records, one per request, in order. */
  failures: [] as { status: number; retryAfter?: string }[],
  /** Hostile answers, one per request, in order, before any failure above. */
  hostile: [] as Hostile[],
};

type Hostile =
  | { kind: 'redirect'; location: string }
  | { kind: 'stall' }
  | { kind: 'huge'; bytes: number; declare: boolean }
  | { kind: 'extra'; pmids: string[] };

beforeAll(async () => {
  fake.server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/efetch.fcgi') {
      res.writeHead(404).end('not found');
      return;
    }
    const ids = (url.searchParams.get('id') ?? '').split(',').filter(Boolean);
    fake.requests.push({ ids, apiKey: url.searchParams.get('api_key'), tool: url.searchParams.get('tool') });
    const hostile = fake.hostile.shift();
    if (hostile?.kind === 'redirect') {
      res.writeHead(302, { location: hostile.location }).end();
      return;
    }
    if (hostile?.kind === 'stall') {
      // Headers and the start of a record, then nothing: the connection stays open.
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<?xml version="1.0"?><PubmedArticleSet><PubmedArticle>');
      return;
    }
    if (hostile?.kind === 'huge') {
      res.writeHead(200, {
        'content-type': 'text/xml',
        ...(hostile.declare ? { 'content-length': hostile.bytes } : {}),
      });
      const chunk = `<!-- ${'x'.repeat(64 * 1024 - 9)} -->`;
      let sent = 0;
      const more = () => {
        while (sent < hostile.bytes && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
      return;
    }
    if (hostile?.kind === 'extra') ids.push(...hostile.pmids);
    const failure = fake.failures.shift();
    if (failure) {
      res.writeHead(failure.status, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
      res.end(`fake failure ${failure.status}`);
      return;
    }
    const found = ids.map((id) => FIXTURE_ARTICLES.get(id)).filter((a): a is string => a !== undefined);
    res.writeHead(200, { 'content-type': 'text/xml' }).end(articleSet(...found));
  });
  await new Promise<void>((resolve) => fake.server?.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => fake.server?.close(resolve));
});
beforeEach(async () => {
  fake.requests = [];
  fake.failures = [];
  fake.hostile = [];
});

/** An injected clock: sleeping advances it instantly; request starts are read off it. */
function fakeClock() {
  const clock = { t: 0, sleeps: [] as number[], starts: [] as number[] };
  return {
    clock,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
    fetchImpl: ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      clock.starts.push(clock.t);
      return fetch(input, init);
    }) as typeof fetch,
  };
}

const gaps = (starts: number[]): number[] => starts.slice(1).map((t, i) => t - (starts[i] ?? 0));

describe('fetchPubmedXml against a local E-utilities server', () => {
  it('fetches the records for the PMIDs, which then import like files', async () => {
    const { now, sleep, fetchImpl } = fakeClock();
    const batches = await fetchPubmedXml(['29768149', '27797938'], { baseUrl: fake.baseUrl, now, sleep, fetchImpl });
    expect(fake.requests).toEqual([{ ids: ['29768149', '27797938'], apiKey: null, tool: 'evidence-api' }]);
    const db = await freshDatabase({ seed: false });
    const summary = await writePubmedImport(
      db,
      parsePubmedSources(batches.map((b) => ({ name: 'efetch', text: b.xml }))),
    );
    expect(summary).toMatchObject({ records: 2, inserted: 2 });
    expect((await studyRow(db, '29768149')).design).toBe('rct');
    expect((await studyRow(db, '27797938')).doi).toBe('10.1136/gutjnl-2016-312510');
  });

  it('asks for at most 200 ids per request: 450 ids are 3 requests, in order', async () => {
    const { now, sleep, fetchImpl } = fakeClock();
    const pmids = ['29768149', ...Array.from({ length: 449 }, (_, i) => String(40_000_000 + i))];
    const batches = await fetchPubmedXml(pmids, { baseUrl: fake.baseUrl, now, sleep, fetchImpl });
    expect(fake.requests.map((r) => r.ids.length)).toEqual([200, 200, 50]);
    expect(fake.requests.flatMap((r) => r.ids)).toEqual(pmids);
    expect(batches.map((b) => b.pmids.length)).toEqual([200, 200, 50]);
    expect(batches[0]?.xml).toContain('<PMID Version="1">29768149</PMID>');
  });

  it('keeps request starts at least 1000/3 ms apart without a key', async () => {
    const { clock, now, sleep, fetchImpl } = fakeClock();
    const pmids = Array.from({ length: 801 }, (_, i) => String(1000 + i));
    await fetchPubmedXml(pmids, { baseUrl: fake.baseUrl, now, sleep, fetchImpl });
    expect(clock.starts).toHaveLength(5);
    for (const gap of gaps(clock.starts)) expect(gap).toBeGreaterThanOrEqual(1000 / 3);
    expect(fake.requests.every((r) => r.apiKey === null)).toBe(true);
  });

  it('sends api_key and keeps request starts at least 100 ms apart with a key', async () => {
    const { clock, now, sleep, fetchImpl } = fakeClock();
    const pmids = Array.from({ length: 801 }, (_, i) => String(1000 + i));
    await fetchPubmedXml(pmids, { baseUrl: fake.baseUrl, apiKey: 'test-key', now, sleep, fetchImpl });
    expect(fake.requests.map((r) => r.apiKey)).toEqual(Array(5).fill('test-key'));
    for (const gap of gaps(clock.starts)) expect(gap).toBeGreaterThanOrEqual(100);
    expect(Math.max(...gaps(clock.starts))).toBeLessThan(1000 / 3);
  });

  it('retries a 429, honouring a numeric Retry-After', async () => {
    const { clock, now, sleep, fetchImpl } = fakeClock();
    fake.failures = [{ status: 429, retryAfter: '2' }];
    const batches = await fetchPubmedXml(['9997'], { baseUrl: fake.baseUrl, now, sleep, fetchImpl });
    expect(fake.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([2000]);
    expect(batches[0]?.xml).toContain('<PMID Version="1">9997</PMID>');
  });

  it('retries 5xx with exponential backoff and gives up after five attempts with a clear error', async () => {
    const { clock, now, sleep, fetchImpl } = fakeClock();
    fake.failures = Array(5).fill({ status: 500 });
    const run = fetchPubmedXml(['9997'], { baseUrl: fake.baseUrl, now, sleep, fetchImpl });
    await expect(run).rejects.toThrow(PubmedFetchError);
    await expect(run).rejects.toThrow('efetch for PMID 9997 failed after 5 attempts: HTTP 500');
    expect(fake.requests).toHaveLength(5);
    expect(clock.sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  it('fails at once on a 4xx other than 429', async () => {
    const { now, sleep, fetchImpl } = fakeClock();
    fake.failures = [{ status: 400 }];
    await expect(fetchPubmedXml(['9997'], { baseUrl: fake.baseUrl, now, sleep, fetchImpl })).rejects.toThrow(
      'efetch for PMID 9997 failed: HTTP 400',
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects a PMID that is not digits before any request', async () => {
    const { now, sleep, fetchImpl } = fakeClock();
    await expect(
      fetchPubmedXml(['9997', 'PMC123', '12a'], { baseUrl: fake.baseUrl, now, sleep, fetchImpl }),
    ).rejects.toThrow(InvalidPmidError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('fetchPubmedXml against a hostile E-utilities server', () => {
  it('imports only the PMIDs asked for: a record nobody asked for is skipped and never overwrites a study', async () => {
    const { now, sleep, fetchImpl } = fakeClock();
    fake.hostile = [{ kind: 'extra', pmids: ['12091962', '29768149'] }];
    const db = await freshDatabase({ seed: false });
    await importPubmedFiles(db, [fixturePath('two-records-season-date.xml')]);
    const before = await studyRow(db, '12091962');
    const batches = await fetchPubmedXml(['9997'], { baseUrl: fake.baseUrl, now, sleep, fetchImpl });
    expect(batches[0]?.xml).toContain('<PMID Version="1">29768149</PMID>');
    const summary = await writePubmedImport(db, parseEfetchBatches(batches), { overwrite: true });
    expect(summary).toMatchObject({ records: 1, unchanged: 1, inserted: 0, updated: 0 });
    expect(summary.skipped.map((s) => [s.pmid, s.reason])).toEqual([
      ['12091962', 'PMID 12091962 was not asked for; a record efetch returns unrequested is never imported'],
      ['29768149', 'PMID 29768149 was not asked for; a record efetch returns unrequested is never imported'],
    ]);
    expect(await studyRow(db, '12091962')).toEqual(before);
    expect(await db.get("SELECT count(*) AS n FROM studies WHERE pmid = '29768149'")).toEqual({ n: 0 });
  });

  it('refuses a redirect to another host, without retrying, and never contacts it', async () => {
    const { now, sleep, fetchImpl } = fakeClock();
    const elsewhere = 'http://127.0.0.2:9/efetch.fcgi?db=pubmed&id=9997';
    fake.hostile = [{ kind: 'redirect', location: elsewhere }];
    const run = fetchPubmedXml(['9997'], { baseUrl: fake.baseUrl, apiKey: 'secret-key', now, sleep, fetchImpl });
    await expect(run).rejects.toThrow(PubmedFetchError);
    await expect(run).rejects.toThrow(
      `efetch for PMID 9997 failed: the server redirected to http://127.0.0.2:9, which is not ${new URL(fake.baseUrl).host}; refused`,
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('follows a redirect on the configured host', async () => {
    const { now, sleep, fetchImpl } = fakeClock();
    fake.hostile = [{ kind: 'redirect', location: '/efetch.fcgi?db=pubmed&id=9997&moved=1' }];
    const batches = await fetchPubmedXml(['9997'], { baseUrl: fake.baseUrl, now, sleep, fetchImpl });
    expect(fake.requests.map((r) => r.ids)).toEqual([['9997'], ['9997']]);
    expect(batches[0]?.xml).toContain('<PMID Version="1">9997</PMID>');
  });

  it('refuses a response over the size cap, declared or streamed, without retrying', async () => {
    const { now, sleep, fetchImpl } = fakeClock();
    const cap = 1024 * 1024;
    fake.hostile = [{ kind: 'huge', bytes: 3 * cap, declare: true }];
    await expect(
      fetchPubmedXml(['9997'], { baseUrl: fake.baseUrl, now, sleep, fetchImpl, maxResponseBytes: cap }),
    ).rejects.toThrow(
      'efetch for PMID 9997 failed: the response is larger than 1048576 bytes (3145728 bytes declared); refused',
    );
    fake.hostile = [{ kind: 'huge', bytes: 3 * cap, declare: false }];
    await expect(
      fetchPubmedXml(['9997'], { baseUrl: fake.baseUrl, now, sleep, fetchImpl, maxResponseBytes: cap }),
    ).rejects.toThrow(
      /^efetch for PMID 9997 failed: the response is larger than 1048576 bytes \(over \d+ bytes received\); refused$/,
    );
    expect(fake.requests).toHaveLength(2);
  });

  it('abandons a stalled response and retries it with backoff', async () => {
    const { clock, now, sleep, fetchImpl } = fakeClock();
    fake.hostile = [{ kind: 'stall' }, { kind: 'stall' }];
    const batches = await fetchPubmedXml(['9997'], {
      baseUrl: fake.baseUrl,
      now,
      sleep,
      fetchImpl,
      stallTimeoutMs: 150,
    });
    expect(fake.requests).toHaveLength(3);
    expect(clock.sleeps.filter((ms) => ms >= 500)).toEqual([500, 1000]);
    expect(batches[0]?.xml).toContain('<PMID Version="1">9997</PMID>');
  });

  it('gives up on a server that always stalls, saying so', async () => {
    const { now, sleep, fetchImpl } = fakeClock();
    fake.hostile = Array(3).fill({ kind: 'stall' });
    await expect(
      fetchPubmedXml(['9997'], { baseUrl: fake.baseUrl, now, sleep, fetchImpl, stallTimeoutMs: 100, maxRetries: 2 }),
    ).rejects.toThrow('efetch for PMID 9997 failed after 3 attempts: the response stalled (nothing for 100 ms)');
    expect(fake.requests).toHaveLength(3);
  });
});

// ---------------------------------------------------------------------------------------------------------------

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command as `npm run import` does, in a child process, against the given database file. */
function runCli(args: string[], databasePath: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      join(REPO, 'node_modules/.bin/tsx'),
      ['src/cli/import.ts', ...args],
      {
        cwd: REPO,
        env: { ...process.env, DATABASE_PATH: databasePath, NCBI_API_KEY: '', NCBI_EUTILS_BASE_URL: '', ...env },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('npm run import -- pubmed (child process)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(scratch, 'cli');
    mkdirSync(dir, { recursive: true });
  });

  it('imports with --json, and a second run reports every record unchanged', async () => {
    const database = join(dir, 'files.db');
    const files = [fixturePath('rct-29768149.xml'), fixturePath('two-records-season-date.xml')];
    const [first, human] = await Promise.all([
      runCli(['pubmed', '--json', ...files], database),
      runCli(['pubmed', fixturePath('rct-29768149.xml')], join(dir, 'human.db')),
    ]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toEqual({
      files: 2,
      records: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      skipped: [],
      deleted: [],
      duplicates: [],
    });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/inserted +1\n/);
    const second = await runCli(['pubmed', '--json', ...files], database);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ records: 3, inserted: 0, updated: 0, unchanged: 3 });
  });

  it('exits 2 with the usage on bad usage, and 1 naming a missing file without creating the database', async () => {
    const database = join(dir, 'never-created.db');
    const missing = join(dir, 'missing.xml');
    const [unknownOption, noFiles, noSource, missingFile] = await Promise.all([
      runCli(['pubmed', '--nope', fixturePath('rct-29768149.xml')], database),
      runCli(['pubmed', '--json'], database),
      runCli([], database),
      runCli(['pubmed', fixturePath('rct-29768149.xml'), missing], database),
    ]);
    for (const usage of [unknownOption, noFiles, noSource]) {
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('Usage:');
      expect(usage.stdout).toBe('');
    }
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toContain(missing);
    expect(missingFile.stdout).toBe('');
    expect(existsSync(database)).toBe(false);
  });

  it('fetches with --fetch --base-url from the local server and reports PMIDs PubMed does not have', async () => {
    const database = join(dir, 'fetch.db');
    const result = await runCli(
      ['pubmed', '--fetch', '--json', '--base-url', fake.baseUrl, '29768149', '12091962', '9997', '99999999'],
      database,
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({
      files: 1,
      records: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      skipped: [],
      deleted: [],
      duplicates: [],
      not_found: ['99999999'],
    });
    expect(fake.requests.map((r) => r.ids)).toEqual([['29768149', '12091962', '9997', '99999999']]);

    // NCBI_API_KEY is read from the environment (and shortens the spacing between the retries).
    fake.requests = [];
    fake.failures = Array(5).fill({ status: 503, retryAfter: '0' });
    const failed = await runCli(['pubmed', '--fetch', '--base-url', fake.baseUrl, '9997'], database, {
      NCBI_API_KEY: 'cli-key',
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('failed after 5 attempts: HTTP 503');
    expect(failed.stderr).not.toContain('cli-key');
    expect(fake.requests.map((r) => r.apiKey)).toEqual(Array(5).fill('cli-key'));
  });
});
