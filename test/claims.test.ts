// GET /v1/claims and /v1/claims/{id}: filters, composition, sort, pagination, and the claim shape users see.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { compareWithinCertainty } from '../src/importers/civic/civic.semantics.js';
import { getJson, testApp, walkPages } from './helpers.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Awaited<ReturnType<typeof testApp>>['db'];

const seed = JSON.parse(readFileSync(new URL('../seeds/gut-skin-axis.json', import.meta.url), 'utf8')) as {
  claims: {
    id: string;
    condition: string | null;
    grade: { level: string };
    status?: string;
    direction: string;
    interventions: string[];
    studies: { pmid: string }[];
  }[];
  studies: { pmid: string; design?: string; sample_size?: number }[];
};
// The two claims that rest only on context studies are drafts (issue 16): lists show published claims by default.
const published = seed.claims.filter((c) => (c.status ?? 'published') === 'published');
const ids = (items: { id: string }[]) => items.map((c) => c.id).sort();

beforeAll(async () => {
  ({ app, db } = await testApp());
});
afterAll(async () => {
  await app.close();
});

describe('GET /v1/claims?condition=melanoma', () => {
  it('returns the melanoma claim with its n=112 observational cohort study', async () => {
    const res = await getJson(app, '/v1/claims?condition=melanoma');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const claim = res.body.items[0];
    expect(claim.id).toBe('melanoma-microbiome-immunotherapy-response');
    expect(claim.condition).toEqual({ slug: 'melanoma', name: 'Melanoma' });
    // Starts low from its cohort; rated down once for imprecision (faecal samples from 43 patients).
    expect(claim.grade).toMatchObject({ scheme: 'GRADE', level: 'very_low', certainty: 1, override_reason: null });
    expect(claim.grade.domains).toMatchObject({
      indirectness: { judgement: 'not_serious' },
      imprecision: { judgement: 'serious' },
      risk_of_bias: null,
    });
    expect(claim.grade.assessment).toMatchObject({
      start: { level: 'low', basis: 'observational', design: 'cohort' },
      computed_level: 'very_low',
      upper_bound: true,
      overridden: false,
    });
    expect(claim.grade.assessment.steps.map((s: any) => [s.domain, s.judgement, s.change, s.level_after])).toEqual([
      ['indirectness', 'not_serious', 0, 'low'],
      ['imprecision', 'serious', -1, 'very_low'],
    ]);
    expect(claim.grade.assessment.explanation).toContain(
      'Start low: the strongest supporting design is cohort, and observational evidence starts low (GRADE guidelines 3). Indirectness: not serious 0 → low. Imprecision: serious -1 → very low. Result: very low.',
    );
    expect(claim.sample_size).toBe(112);
    expect(claim.pico).toMatchObject({
      population: { description: 'melanoma patients receiving anti-PD-1 immunotherapy', age_groups: [], sex: null },
      outcome: { description: 'Response to anti-PD-1 immunotherapy', code: null },
    });
    expect(claim.direction).toBe('association');
    expect(claim.caveats.codes).toEqual(
      expect.arrayContaining(['observational_only', 'causality_not_established', 'animal_data']),
    );
    expect(claim.studies).toHaveLength(1);
    expect(claim.studies[0]).toMatchObject({
      pmid: '29097493',
      design: 'cohort',
      sample_size: 112,
      year: 2018,
      journal: 'Science',
      relation: 'supports',
      subgroup_sample_size: 43,
      metadata_status: 'partial',
      effect_estimates: [],
      risk_of_bias: [],
    });
    expect(claim.evidence_summary).toEqual({
      study_count: 1,
      studies_by_design: [{ design: 'cohort', count: 1 }],
      total_participants: 112,
      studies_with_unknown_sample_size: 0,
      strongest_design: 'cohort',
      has_rct: false,
      has_systematic_review: false,
      sample_size: 112,
      contradicting_study_count: 0,
      contradicting_participants: null,
      context_study_count: 0,
    });
    expect(res.body.next_cursor).toBeNull();
  });
});

describe('GET /v1/claims', () => {
  it('lists every published claim, strongest certainty first, then rating, design, sample size, recency, id', async () => {
    const res = await getJson(app, '/v1/claims?limit=100');
    expect(res.status).toBe(200);
    expect(ids(res.body.items)).toEqual(ids(published));
    // The newest publication date among each claim's studies, as the studies resource gives it.
    const dated = async (c: any) => {
      let newest: string | null = null;
      for (const link of c.studies) {
        const s = (await getJson(app, `/v1/studies/${link.key}`)).body;
        if (s.year === null) continue;
        const date = `${s.year}-${String(s.month ?? 0).padStart(2, '0')}-${String(s.day ?? 0).padStart(2, '0')}`;
        if (newest === null || date > newest) newest = date;
      }
      return {
        certainty: c.grade.certainty,
        rating: c.grade.rating,
        strongest_design: c.evidence_summary.strongest_design,
        sample_size: c.sample_size,
        published: newest,
        id: c.id,
      };
    };
    const keys = await Promise.all(res.body.items.map(dated));
    const sorted = [...keys].sort((a, b) => b.certainty - a.certainty || compareWithinCertainty(a, b));
    expect(keys.map((k) => k.id)).toEqual(sorted.map((k) => k.id));
  });

  it('grades no seeded claim high (GRADE honesty: observational evidence starts low)', async () => {
    const res = await getJson(app, '/v1/claims?grade=high');
    expect(res.body.items).toEqual([]);
    const all = await getJson(app, '/v1/claims?limit=100');
    expect(all.body.items.every((c: any) => c.grade.certainty <= 2)).toBe(true);
  });

  it.each([
    ['eczema', 'eczema'],
    ['Atopic Dermatitis', 'eczema'],
    ['ATOPIC-DERMATITIS', 'eczema'],
    ['DOID:1909', 'melanoma'],
    ['doid:1909', 'melanoma'],
    ['MeSH:D008545', 'melanoma'],
    ['D008545', 'melanoma'],
    ['ÉCZÉMA', 'eczema'],
  ])('resolves condition=%s to %s', async (given, slug) => {
    const res = await getJson(app, `/v1/claims?condition=${encodeURIComponent(given)}&include_descendants=false`);
    expect(res.status).toBe(200);
    const expected = published
      .filter((c) => c.condition === slug)
      .map((c) => c.id)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(res.body.items)).toEqual(expected);
  });

  it('includes sub-conditions by default and not with include_descendants=false', async () => {
    const withChildren = await getJson(app, '/v1/claims?condition=skin-cancer');
    expect(ids(withChildren.body.items)).toEqual(['melanoma-microbiome-immunotherapy-response']);
    const only = await getJson(app, '/v1/claims?condition=skin-cancer&include_descendants=false');
    expect(only.body.items).toEqual([]);
    const skin = await getJson(app, '/v1/claims?condition=skin-conditions&limit=100');
    const skinSlugs = ['skin-conditions', 'eczema', 'psoriasis', 'acne', 'rosacea'];
    expect(ids(skin.body.items)).toEqual(
      published
        .filter((c) => skinSlugs.includes(c.condition ?? ''))
        .map((c) => c.id)
        .sort(),
    );
  });

  it('filters by intervention slug or synonym', async () => {
    const bySlug = await getJson(app, '/v1/claims?intervention=oral-probiotics');
    const bySynonym = await getJson(app, '/v1/claims?intervention=Probiotics');
    const expected = published
      .filter((c) => c.interventions.includes('oral-probiotics'))
      .map((c) => c.id)
      .sort();
    expect(ids(bySlug.body.items)).toEqual(expected);
    expect(ids(bySynonym.body.items)).toEqual(expected);
  });

  it('filters by min_grade as a GRADE level name or a number; a CIViC letter matches no GRADE claim', async () => {
    const expected = published
      .filter((c) => ['high', 'moderate', 'low'].includes(c.grade.level))
      .map((c) => c.id)
      .sort();
    for (const value of ['low', '2']) {
      const res = await getJson(app, `/v1/claims?min_grade=${value}&limit=100`);
      expect(ids(res.body.items)).toEqual(expected);
    }
    expect(ids((await getJson(app, '/v1/claims?min_grade=C&limit=100')).body.items)).toEqual([]);
  });

  it('refuses a min_grade level of one scheme with grade_scheme of the other (400 naming min_grade)', async () => {
    const res = await getJson(app, '/v1/claims?min_grade=low&grade_scheme=civic');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        path: 'query.min_grade',
        message: "'low' is a GRADE level and cannot filter grade_scheme=civic; give a number 0-4 to compare schemes",
      },
    ]);
  });

  it('filters by exact grade, direction, design, pmid and min_sample_size', async () => {
    const veryLow = await getJson(app, '/v1/claims?grade=very_low&limit=100');
    expect(ids(veryLow.body.items)).toEqual(
      published
        .filter((c) => c.grade.level === 'very_low')
        .map((c) => c.id)
        .sort(),
    );

    const benefit = await getJson(app, '/v1/claims?direction=benefit&limit=100');
    expect(ids(benefit.body.items)).toEqual(
      published
        .filter((c) => c.direction === 'benefit')
        .map((c) => c.id)
        .sort(),
    );

    const crossSectional = await getJson(app, '/v1/claims?design=cross_sectional');
    expect(ids(crossSectional.body.items)).toEqual([
      'gut-flora-skin-health-overall',
      'no-universal-ideal-gut-microbiome',
    ]);

    const byPmid = await getJson(app, '/v1/claims?pmid=35866234');
    expect(ids(byPmid.body.items)).toEqual(
      published
        .filter((c) => c.studies.some((s) => s.pmid === '35866234'))
        .map((c) => c.id)
        .sort(),
    );

    // Supporting studies only: the overall claim cites the n=242 survey as context, so it no longer counts.
    const big = await getJson(app, '/v1/claims?min_sample_size=200&limit=100');
    expect(ids(big.body.items)).toEqual(['no-universal-ideal-gut-microbiome']);
    expect(big.body.items.every((c: any) => c.sample_size >= 200)).toBe(true);
  });

  it('composes filters with AND', async () => {
    const res = await getJson(
      app,
      '/v1/claims?condition=eczema&intervention=oral-probiotics&direction=benefit&grade=very_low',
    );
    expect(ids(res.body.items)).toEqual(['probiotics-prebiotics-eczema']);
    const none = await getJson(app, '/v1/claims?condition=eczema&design=cohort');
    expect(none.body.items).toEqual([]);
    const melanoma = await getJson(
      app,
      '/v1/claims?condition=skin-cancer&min_grade=very_low&design=cohort&min_sample_size=100',
    );
    expect(ids(melanoma.body.items)).toEqual(['melanoma-microbiome-immunotherapy-response']);
    const melanomaLow = await getJson(app, '/v1/claims?condition=skin-cancer&min_grade=low');
    expect(melanomaLow.body.items).toEqual([]);
  });

  it('sorts by -sample_size with unknown sizes last', async () => {
    const res = await getJson(app, '/v1/claims?sort=-sample_size&limit=100');
    const sizes = res.body.items.map((c: any) => c.sample_size);
    expect(sizes.slice(0, 2)).toEqual([242, 112]);
    const firstNull = sizes.indexOf(null);
    expect(sizes.slice(firstNull).every((s: unknown) => s === null)).toBe(true);
  });

  it('defaults to published claims; status=draft shows a key the two seeded claims that rest on context studies only', async () => {
    expect((await getJson(app, '/v1/claims?status=draft')).status).toBe(401);
    const { key } = await createApiKey(db, { name: 'reader', scope: 'write', secret: await resolveKeySecret(db) });
    const drafts = await getJson(app, '/v1/claims?status=draft', { authorization: `Bearer ${key}` });
    expect(drafts.status).toBe(200);
    expect(ids(drafts.body.items)).toEqual(['fibre-rich-diet-gut-flora', 'probiotic-strain-dose-unknown']);
  });
});

describe('GET /v1/claims pagination', () => {
  it.each(['-certainty', '-updated', '-sample_size'])(
    'walks sort=%s with limit=1 to the end: no duplicates, no gaps, same set as one page',
    async (sort) => {
      const whole = await getJson(app, `/v1/claims?sort=${sort}&limit=100`);
      const walked = await walkPages(app, `/v1/claims?sort=${sort}&limit=1`);
      expect(walked.items.map((c: any) => c.id)).toEqual(whole.body.items.map((c: any) => c.id));
      expect(walked.pages).toBe(whole.body.items.length);
      expect(new Set(walked.items.map((c: any) => c.id)).size).toBe(walked.items.length);
    },
  );

  it('walks a filtered list with limit=2 and matches the unpaginated filter', async () => {
    const whole = await getJson(app, '/v1/claims?condition=skin-conditions&limit=100');
    const walked = await walkPages(app, '/v1/claims?condition=skin-conditions&limit=2');
    expect(walked.items.map((c: any) => c.id)).toEqual(whole.body.items.map((c: any) => c.id));
  });

  it('rejects a cursor used with another sort order', async () => {
    const first = await getJson(app, '/v1/claims?limit=1');
    const res = await getJson(app, `/v1/claims?limit=1&sort=-updated&cursor=${first.body.next_cursor}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.invalid_cursor');
    expect(res.body.errors).toEqual([{ path: 'query.cursor', message: expect.stringContaining('sort order') }]);
  });

  it.each([
    ['garbage', 'request.invalid_cursor'],
    ['eyJzIjoiY2xhaW1zOi1jZXJ0YWludHkiLCJrIjpbXX0', 'request.invalid_cursor'],
    // A NUL anywhere in a URL is refused before the route (plugins/control-characters.ts), naming the parameter.
    ['%00%01', 'request.validation_failed'],
  ])('rejects malformed cursor %s', async (cursor, code) => {
    const res = await getJson(app, `/v1/claims?cursor=${cursor}`);
    expect([res.status, res.body.code, res.body.errors[0].path]).toEqual([400, code, 'query.cursor']);
  });
});

describe('GET /v1/claims errors', () => {
  it.each([
    ['conditon=melanoma', 'query.conditon', 'request.unknown_parameter'],
    ['limit=0', 'query.limit', 'request.validation_failed'],
    ['limit=101', 'query.limit', 'request.validation_failed'],
    ['limit=ten', 'query.limit', 'request.validation_failed'],
    ['min_grade=excellent', 'query.min_grade', 'request.validation_failed'],
    ['grade=great', 'query.grade', 'request.validation_failed'],
    ['design=anecdote', 'query.design', 'request.validation_failed'],
    ['direction=up', 'query.direction', 'request.validation_failed'],
    ['pmid=12ab', 'query.pmid', 'request.validation_failed'],
    ['min_sample_size=-1', 'query.min_sample_size', 'request.validation_failed'],
    ['sort=certainty', 'query.sort', 'request.validation_failed'],
    ['include_descendants=maybe', 'query.include_descendants', 'request.validation_failed'],
    ['condition=narnia', 'query.condition', 'request.validation_failed'],
    ['intervention=unobtainium', 'query.intervention', 'request.validation_failed'],
    ['age_group=toddler', 'query.age_group', 'request.validation_failed'],
    ['sex=other', 'query.sex', 'request.validation_failed'],
    ['outcome_code=D003876', 'query.outcome_code', 'request.validation_failed'],
  ])('?%s is a 400 problem naming %s', async (query, path, code) => {
    const res = await app.inject(`/v1/claims?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const body = res.json();
    expect(body).toMatchObject({
      status: 400,
      code,
      type: `urn:evidence-api:problem:${code}`,
      instance: `/v1/claims?${query}`,
    });
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(body.detail).toContain(path);
  });

  it('names every bad parameter at once', async () => {
    const res = await getJson(app, '/v1/claims?limit=0&direction=up&foo=1');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'query.direction',
      'query.foo',
      'query.limit',
    ]);
  });
});

describe('GET /v1/claims/{id}', () => {
  it('returns the overall claim with all eight seed PMIDs and an honest evidence summary', async () => {
    const res = await getJson(app, '/v1/claims/gut-flora-skin-health-overall');
    expect(res.status).toBe(200);
    expect(res.body.studies.map((s: any) => s.pmid)).toEqual([
      '34785010',
      '27554239',
      '35461318',
      '29097493',
      '22699609',
      '35866234',
      '35393656',
      '37513540',
    ]);
    const unknown = res.body.studies.filter((s: any) => s.metadata_status === 'unknown').map((s: any) => s.pmid);
    expect(unknown).toEqual(['35866234', '35393656', '37513540']);
    for (const s of res.body.studies.filter((x: any) => x.metadata_status === 'unknown')) {
      expect(s).toMatchObject({ title: null, journal: null, year: null, design: null, sample_size: null });
    }
    // Issue 16: only the three supporting reviews count. The n=112 cohort, the n=242 survey and the three bare PMIDs
    // are context: they lend the claim neither their sample size (it showed 242 and 354 participants) nor their design
    // (it showed cohort).
    expect(res.body.sample_size).toBeNull();
    expect(res.body.evidence_summary).toEqual({
      study_count: 3,
      studies_by_design: [{ design: 'narrative_review', count: 3 }],
      total_participants: null,
      studies_with_unknown_sample_size: 3,
      strongest_design: 'narrative_review',
      has_rct: false,
      has_systematic_review: false,
      sample_size: null,
      contradicting_study_count: 0,
      contradicting_participants: null,
      context_study_count: 5,
    });
    expect(res.body.grade).toMatchObject({ level: 'very_low', certainty: 1 });
    expect(res.body.grade.assessment).toMatchObject({
      start: { level: 'very_low', basis: 'not_rateable', design: 'narrative_review' },
      computed_level: 'very_low',
      overridden: false,
    });
    expect(res.body.caveats.codes).toContain('unverified_sources');
  });

  it('returns a general claim with a null condition', async () => {
    const res = await getJson(app, '/v1/claims/no-universal-ideal-gut-microbiome');
    expect(res.body.condition).toBeNull();
    expect(res.body.studies[0]).toMatchObject({ pmid: '22699609', design: 'cross_sectional', sample_size: 242 });
  });

  it('is a 404 problem for an unknown id and a 400 for a malformed one', async () => {
    const missing = await getJson(app, '/v1/claims/no-such-claim');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'claims.not_found', detail: "No claim has id 'no-such-claim'." });
    const malformed = await getJson(app, '/v1/claims/Bad%20Id');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].path).toBe('params.id');
  });
});
