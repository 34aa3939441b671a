// The study record's new fields through the write API and the PubMed merge: curators write them (with If-Match and
// history), PubMed refreshes what it gives and never erases what it lacks, MEDLINE keeps its title abbreviation.

import { beforeEach, describe, expect, it } from 'vitest';
import { importPubmedFiles } from '../src/importers/pubmed/pubmed.import.js';
import { curatorApp } from './helpers.js';

type Ctx = Awaited<ReturnType<typeof curatorApp>>;
let ctx: Ctx;

beforeEach(async () => {
  ctx = await curatorApp();
});

async function send(method: 'POST' | 'PATCH', url: string, payload: object) {
  const etag = method === 'PATCH' ? ((await ctx.app.inject(url)).headers.etag as string) : undefined;
  const res = await ctx.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${ctx.key}`, ...(etag ? { 'if-match': etag } : {}) },
    payload,
  });
  return { status: res.statusCode, body: res.json() };
}

const CHAPTER = {
  pmid: '900000401',
  title: 'Gut and skin',
  authors: [{ family: 'Wood', given: 'Alastair J', initials: 'AJ', suffix: '3rd' }],
  authors_complete: true,
  journal: 'Handbook of Tests',
  year: 2011,
  publication_kind: 'chapter',
  editors: [{ family: 'Roe', given: 'Richard', initials: 'R' }],
  publisher: 'Test Press',
  publisher_place: 'Boston (MA)',
  edition: '2nd',
  isbn: '0-000-00000-0',
  bookshelf_id: 'NBK0001',
  notices: [{ type: 'ErratumIn', pmid: '900000402', ref_source: 'Handbook of Tests. 2012;1:1' }],
};

describe('curated writes of the study record (synthetic chapter, PMID 900000401)', () => {
  it('stores and shows the kind, book fields, suffix and notices, and cites the study as a chapter (online, from its Bookshelf id)', async () => {
    const created = await send('POST', '/v1/studies', CHAPTER);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      publication_kind: 'chapter',
      publisher: 'Test Press',
      publisher_place: 'Boston (MA)',
      edition: '2nd',
      isbn: '0-000-00000-0',
      bookshelf_id: 'NBK0001',
      editors: [{ family: 'Roe', given: 'Richard', initials: 'R', collective: null, suffix: null }],
      authors: [{ family: 'Wood', given: 'Alastair J', initials: 'AJ', collective: null, suffix: '3rd' }],
      notices: [
        {
          type: 'ErratumIn',
          pmid: '900000402',
          ref_source: 'Handbook of Tests. 2012;1:1',
          note: null,
          in_database: false,
        },
      ],
      retracted: false,
      retraction: null,
      deleted_by_pubmed: false,
    });
    const vancouver = await ctx.app.inject('/v1/studies/900000401/citation?format=vancouver');
    expect(vancouver.body).toBe(
      'Wood AJ 3rd. Gut and skin. In: Roe R, editor. Handbook of Tests [Internet]. 2nd ed. Boston (MA): Test Press; 2011. Erratum in: Handbook of Tests. 2012;1:1. PMID: 900000401.',
    );
  });

  it('a PATCH keeps the fields it does not name, and a history entry shows the one it changed', async () => {
    await send('POST', '/v1/studies', CHAPTER);
    const patched = await send('PATCH', '/v1/studies/900000401?reason=catalogue', { edition: '3rd' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ edition: '3rd', publisher: 'Test Press', notices: [{ type: 'ErratumIn' }] });
    const history = (await ctx.app.inject('/v1/studies/900000401/revisions')).json();
    expect(history.items[0].changes).toEqual({ edition: { before: '2nd', after: '3rd' } });
  });

  it('rejects a degree as a suffix and an unknown notice type, naming the field', async () => {
    const degree = await send('POST', '/v1/studies', {
      ...CHAPTER,
      authors: [{ family: 'Wood', given: 'A', initials: 'A', suffix: 'MD' }],
    });
    expect(degree.status).toBe(400);
    expect(degree.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.authors.0.suffix']);
    const unknown = await send('POST', '/v1/studies', { ...CHAPTER, notices: [{ type: 'Retracted', pmid: '1' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('body.notices.0.type');
  });

  it('a RetractionIn notice written by a curator retracts the study, from the notice', async () => {
    const created = await send('POST', '/v1/studies', {
      ...CHAPTER,
      retracted: true,
      notices: [{ type: 'RetractionIn', pmid: '900000403', ref_source: 'Handbook of Tests. 2013;2:2' }],
    });
    expect(created.body.retraction).toEqual({
      source: 'retraction_in',
      notice_pmid: '900000403',
      notice_citation: 'Handbook of Tests. 2013;2:2',
    });
    const denied = await send('POST', '/v1/studies', {
      ...CHAPTER,
      pmid: '900000404',
      notices: [{ type: 'RetractionIn', pmid: '900000403' }],
    });
    expect(denied.status).toBe(422);
    expect(denied.body.rule).toBe('study.retraction_signals');
  });
});

describe('the PubMed merge of the new fields', () => {
  const OA = new URL('./fixtures/field-reports/08-iso-abbreviation-with-periods.xml', import.meta.url).pathname;

  it('refreshes what PubMed gives (MedlineTA, status, e-locator) and keeps what it lacks (a curated publisher)', async () => {
    await send('POST', '/v1/studies', {
      pmid: '31121294',
      journal_medline_ta: 'Osteoarthr Cartil',
      publisher: 'Curated Press',
      publication_status: 'ppublish',
    });
    expect(await importPubmedFiles(ctx.db, [OA])).toMatchObject({ updated: 1 });
    const study = (await ctx.app.inject('/v1/studies/31121294')).json();
    expect(study).toMatchObject({
      journal_medline_ta: 'Osteoarthritis Cartilage',
      publication_status: 'aheadofprint',
      elocation_id: 'S1063-4584(19)30981-1',
      publisher: 'Curated Press',
    });
  });

  it('stores a MEDLINE record’s TA as journal_medline_ta, leaving journal_iso unknown', async () => {
    await importPubmedFiles(ctx.db, [new URL('./fixtures/pubmed/medline-4-records.nbib', import.meta.url).pathname]);
    const study = (await ctx.app.inject('/v1/studies/16377612')).json();
    expect(study).toMatchObject({
      journal: 'Bioinformatics (Oxford, England)',
      journal_iso: null,
      journal_medline_ta: 'Bioinformatics',
    });
  });
});

describe("a claim's embedded study names the journal as the study detail does", () => {
  it('shows the NLM abbreviation (MedlineTA) "Osteoarthritis Cartilage", never the dotted ISO "Osteoarthr. Cartil."', async () => {
    const FIELD_REPORT = new URL('./fixtures/field-reports/08-iso-abbreviation-with-periods.xml', import.meta.url);
    await importPubmedFiles(ctx.db, [FIELD_REPORT.pathname]);
    const created = await send('POST', '/v1/claims', {
      id: 'cane-use-bone-marrow-lesions',
      statement: 'Cane use is studied for bone marrow lesion volume in medial knee osteoarthritis.',
      plain_summary: 'A trial of walking canes.',
      condition: null,
      interventions: [],
      outcome: 'bone marrow lesion volume',
      direction: 'association',
      grade: { scheme: 'GRADE', level: 'very_low', rationale: 'Test claim.' },
      status: 'draft',
      studies: [{ pmid: '31121294', relation: 'context' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const study = (await ctx.app.inject('/v1/studies/31121294')).json();
    expect(study).toMatchObject({
      journal: 'Osteoarthritis and cartilage',
      journal_iso: 'Osteoarthr. Cartil.',
      journal_medline_ta: 'Osteoarthritis Cartilage',
    });
    expect(created.body.studies[0].journal).toBe('Osteoarthritis Cartilage');
    const claim = (
      await ctx.app.inject({
        url: '/v1/claims/cane-use-bone-marrow-lesions',
        headers: { authorization: `Bearer ${ctx.key}` },
      })
    ).json();
    expect(claim.studies[0].journal).toBe(study.journal_medline_ta);
  });
});
