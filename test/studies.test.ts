// GET /v1/studies and /v1/studies/{pmid}: PMID order, filters, unknown metadata, the claims a study bears on, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certaintyOf } from '../src/evidence/grades.js';
import { type App, getJson, PROBLEM_TYPE, type Problem, type Response, seed, testApp, walkPages } from './helpers.js';

const byPmid = (a: string, b: string) => Number(a) - Number(b);
const pmidsWhere = (keep: (s: (typeof seed.studies)[number]) => boolean) =>
  seed.studies
    .filter(keep)
    .map((s) => s.pmid)
    .sort(byPmid);

/** The PMIDs cited by the source document with no bibliographic record in pmids.json. */
const UNKNOWN_PMIDS = ['35866234', '35393656', '37513540'];

function expectProblem(res: Response<Problem>, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
  expect(res.body).toMatchObject({ type: `urn:evidence-api:problem:${code}`, status, code });
  expect(typeof res.body.request_id).toBe('string');
}

const pmids = (res: Response<{ items: { pmid: string }[] }>) => res.body.items.map((i) => i.pmid);

describe('studies', () => {
  let app: App;

  beforeAll(async () => {
    ({ app } = await testApp());
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /v1/studies', () => {
    it('lists every seeded study in numeric PMID order', async () => {
      const res = await getJson(app, '/v1/studies?limit=100');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(pmids(res)).toEqual(pmidsWhere(() => true));
      expect(pmids(res)).toHaveLength(8);
      expect(res.body.next_cursor).toBeNull();
    });

    it('shows each study with its PubMed link and how complete its metadata is', async () => {
      const res = await getJson(app, '/v1/studies?limit=100');
      const items = new Map((res.body.items as { pmid: string }[]).map((i) => [i.pmid, i]));
      for (const pmid of pmids(res))
        expect(items.get(pmid)).toMatchObject({ pubmed_url: `https://pubmed.ncbi.nlm.nih.gov/${pmid}/` });
      // Title, authors (complete list), journal and year known.
      expect(items.get('22699609')).toMatchObject({
        title: 'Structure, function and diversity of the healthy human microbiome',
        authors: [{ family: null, given: null, initials: null, collective: 'Human Microbiome Project Consortium' }],
        authors_complete: true,
        journal_iso: 'Nature',
        year: 2012,
        design: 'cross_sectional',
        sample_size: 242,
        metadata_status: 'complete',
      });
      // Only the first author is known.
      expect(items.get('34785010')).toMatchObject({ authors_complete: false, metadata_status: 'partial' });
    });

    it('filters by design=cohort', async () => {
      const res = await getJson(app, '/v1/studies?design=cohort');
      expect(res.status).toBe(200);
      expect(pmids(res)).toEqual(['29097493']);
      expect(pmids(res)).toEqual(pmidsWhere((s) => s.design === 'cohort'));
      expect(res.body.items[0].design).toBe('cohort');
    });

    it('filters by design=narrative_review', async () => {
      const res = await getJson(app, '/v1/studies?design=narrative_review');
      expect(res.status).toBe(200);
      expect(pmids(res)).toEqual(pmidsWhere((s) => s.design === 'narrative_review'));
      expect(pmids(res)).toHaveLength(3);
    });

    it('filters by min_sample_size=200, never matching an unknown sample size', async () => {
      const res = await getJson(app, '/v1/studies?min_sample_size=200');
      expect(res.status).toBe(200);
      expect(pmids(res)).toEqual(['22699609']);
      expect(pmids(res)).toEqual(pmidsWhere((s) => s.sample_size !== null && s.sample_size >= 200));
    });

    it('counts min_sample_size inclusively', async () => {
      const res = await getJson(app, '/v1/studies?min_sample_size=112');
      expect(res.status).toBe(200);
      expect(pmids(res)).toEqual(['22699609', '29097493']);
    });

    it('composes year_from and year_to (inclusive)', async () => {
      const res = await getJson(app, '/v1/studies?year_from=2016&year_to=2021');
      expect(res.status).toBe(200);
      const expected = pmidsWhere((s) => s.year !== null && s.year >= 2016 && s.year <= 2021);
      expect(expected).toEqual(['27554239', '29097493', '34785010']);
      expect(pmids(res)).toEqual(expected);
    });

    it('accepts year_from equal to year_to', async () => {
      const res = await getJson(app, '/v1/studies?year_from=2018&year_to=2018');
      expect(res.status).toBe(200);
      expect(pmids(res)).toEqual(['29097493']);
    });

    it('never matches a study of unknown year with a year filter', async () => {
      const res = await getJson(app, '/v1/studies?year_from=1800');
      expect(res.status).toBe(200);
      expect(pmids(res)).toEqual(pmidsWhere((s) => s.year !== null));
      for (const pmid of UNKNOWN_PMIDS) expect(pmids(res)).not.toContain(pmid);
    });

    it('composes design with a year filter', async () => {
      const res = await getJson(app, '/v1/studies?design=narrative_review&year_to=2020');
      expect(res.status).toBe(200);
      expect(pmids(res)).toEqual(['27554239']);
    });

    it('rejects year_from after year_to with a problem naming query.year_to', async () => {
      const res = await getJson(app, '/v1/studies?year_from=2021&year_to=2016');
      expectProblem(res, 400, 'request.validation_failed');
      expect(res.body.errors).toEqual([{ path: 'query.year_to', message: 'must not be before year_from (2021)' }]);
      expect(res.body.detail).toBe('query.year_to: must not be before year_from (2021)');
    });

    it('rejects an unknown design', async () => {
      const res = await getJson(app, '/v1/studies?design=anecdote');
      expectProblem(res, 400, 'request.validation_failed');
      expect(res.body.errors[0].path).toBe('query.design');
    });

    it('rejects a negative min_sample_size', async () => {
      const res = await getJson(app, '/v1/studies?min_sample_size=-1');
      expectProblem(res, 400, 'request.validation_failed');
      expect(res.body.errors[0].path).toBe('query.min_sample_size');
    });

    it('walks pages of one to exactly the unpaginated list', async () => {
      const all = await getJson(app, '/v1/studies?limit=100');
      const walked = await walkPages<{ pmid: string }>(app, '/v1/studies?limit=1');
      expect(walked.items).toEqual(all.body.items);
      expect(walked.pages).toBe(seed.studies.length);
      expect(new Set(walked.items.map((i) => i.pmid)).size).toBe(seed.studies.length);
    });

    it('walks a filtered list with its cursor', async () => {
      const walked = await walkPages<{ pmid: string }>(app, '/v1/studies?year_from=2012&limit=2');
      expect(walked.items.map((i) => i.pmid)).toEqual(pmidsWhere((s) => s.year !== null && s.year >= 2012));
    });

    it('rejects a cursor issued by another list', async () => {
      const conditions = await getJson(app, '/v1/conditions?limit=1');
      const cursor = conditions.body.next_cursor as string;
      const res = await getJson(app, `/v1/studies?cursor=${encodeURIComponent(cursor)}`);
      expectProblem(res, 400, 'request.invalid_cursor');
      expect(res.body.errors[0].path).toBe('query.cursor');
    });
  });

  describe('GET /v1/studies/{pmid}', () => {
    it.each(UNKNOWN_PMIDS)('shows %s with no bibliographic data and metadata_status unknown', async (pmid) => {
      const res = await getJson(app, `/v1/studies/${pmid}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        pmid,
        doi: null,
        pmcid: null,
        title: null,
        authors: [],
        authors_complete: false,
        last_author: null,
        journal: null,
        journal_iso: null,
        year: null,
        design: null,
        sample_size: null,
        metadata_status: 'unknown',
        pubmed_url: `https://pubmed.ncbi.nlm.nih.gov/${pmid}/`,
      });
      const citing = seed.claims.filter((c) => c.studies.some((s) => s.pmid === pmid)).map((c) => c.id);
      expect(res.body.claims.map((c: { id: string }) => c.id)).toEqual(citing);
    });

    it('shows 29097493 with its design, sample size and bibliographic record', async () => {
      const res = await getJson(app, '/v1/studies/29097493');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      // Facts as test/fixtures/reference/pmids.json gives them.
      expect(res.body).toMatchObject({
        pmid: '29097493',
        doi: '10.1126/science.aan4236',
        pmcid: 'PMC5827966',
        title: 'Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients',
        journal_iso: 'Science',
        year: 2018,
        volume: '359',
        issue: '6371',
        pages: '97-103',
        design: 'cohort',
        sample_size: 112,
        sample_size_note:
          'oral and gut microbiome profiled in 112 patients; faecal samples from 43 (30 responders, 13 non-responders)',
        population: 'melanoma patients receiving anti-PD-1 immunotherapy',
        species: 'mixed',
        retracted: false,
        authors_complete: false,
        last_author: { family: 'Wargo', given: null, initials: 'JA', collective: null },
        metadata_status: 'partial',
        pubmed_url: 'https://pubmed.ncbi.nlm.nih.gov/29097493/',
      });
      expect(res.body.authors).toEqual(
        [
          ['Gopalakrishnan', 'V'],
          ['Spencer', 'CN'],
          ['Nezi', 'L'],
          ['Reuben', 'A'],
          ['Andrews', 'MC'],
          ['Karpinets', 'TV'],
        ].map(([family, initials]) => ({ family, given: null, initials, collective: null, suffix: null })),
      );
    });

    it('lists the claims 29097493 bears on, strongest first, with relation and finding', async () => {
      const res = await getJson(app, '/v1/studies/29097493');
      expect(res.status).toBe(200);
      const expected = seed.claims
        .flatMap((c) => {
          const link = c.studies.find((s) => s.pmid === '29097493');
          if (!link) return [];
          const certainty = certaintyOf(c.grade.scheme, c.grade.level) as number;
          return [
            {
              id: c.id,
              statement: c.statement,
              relation: link.relation,
              finding: link.finding,
              grade: {
                scheme: c.grade.scheme,
                level: c.grade.level,
                certainty,
                rationale: c.grade.rationale,
                upgrade_rationale: null,
                rating: null,
              },
              status: c.status,
            },
          ];
        })
        .sort((a, b) => b.grade.certainty - a.grade.certainty || (a.id < b.id ? -1 : 1));
      expect(res.body.claims).toEqual(expected);
      expect(res.body.claims).toContainEqual(
        expect.objectContaining({ id: 'melanoma-microbiome-immunotherapy-response', relation: 'supports' }),
      );
      expect(res.body.claims).toContainEqual(
        expect.objectContaining({ id: 'gut-flora-skin-health-overall', relation: 'context', finding: null }),
      );
    });

    it.each(['abc', '0123', '1234567890', '12a'])(
      'rejects the malformed PMID %s with a problem naming params.pmid',
      async (pmid) => {
        const res = await getJson(app, `/v1/studies/${pmid}`);
        expectProblem(res, 400, 'request.validation_failed');
        expect(res.body.errors).toHaveLength(1);
        expect(res.body.errors[0].path).toBe('params.pmid');
        expect(res.body.instance).toBe(`/v1/studies/${pmid}`);
      },
    );

    it('answers a well-formed PMID it does not hold with a 404 problem', async () => {
      const res = await getJson(app, '/v1/studies/99999999');
      expectProblem(res, 404, 'studies.not_found');
      expect(res.body.title).toBe('Not found');
      expect(res.body.detail).toBe('No study has PMID 99999999.');
      expect(res.body.instance).toBe('/v1/studies/99999999');
      expect(res.body.errors).toBeUndefined();
      expect(res.headers.etag).toBeUndefined();
    });
  });
});
