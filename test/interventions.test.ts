// GET /v1/interventions and /v1/interventions/{slug}: kind filter, type-ahead search, lookup by synonym, counts, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certaintyOf } from '../src/evidence/grades.js';
import { type App, getJson, PROBLEM_TYPE, type Problem, type Response, seed, testApp, walkPages } from './helpers.js';

const publishedClaims = seed.claims.filter((c) => c.status === 'published');
const claimsAbout = (slug: string) => publishedClaims.filter((c) => c.interventions.includes(slug));

function seedIntervention(slug: string) {
  const intervention = seed.interventions.find((i) => i.slug === slug);
  if (!intervention) throw new Error(`seed has no intervention ${slug}`);
  return intervention;
}

/** An intervention as the API shows it, without its timestamps. */
function expectedIntervention(slug: string) {
  const i = seedIntervention(slug);
  return {
    slug: i.slug,
    name: i.name,
    kind: i.kind,
    description: i.description,
    synonyms: [...new Set(i.synonyms)],
    claim_count: claimsAbout(slug).length,
  };
}

/** Per grade, strongest first, then scheme and level: what `claim_counts_by_grade` promises. */
function gradeCounts(claims: typeof publishedClaims) {
  const counts = new Map<string, { scheme: string; level: string; certainty: number; count: number }>();
  for (const c of claims) {
    const key = `${c.grade.scheme}/${c.grade.level}`;
    const entry = counts.get(key) ?? {
      scheme: c.grade.scheme,
      level: c.grade.level,
      certainty: certaintyOf(c.grade.scheme, c.grade.level) as number,
      count: 0,
    };
    entry.count++;
    counts.set(key, entry);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...counts.values()].sort(
    (a, b) => b.certainty - a.certainty || cmp(a.scheme, b.scheme) || cmp(a.level, b.level),
  );
}

function withoutTimestamps<T extends { created_at?: unknown; updated_at?: unknown }>(item: T) {
  const { created_at: _created, updated_at: _updated, ...rest } = item;
  return rest;
}

function expectProblem(res: Response<Problem>, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
  expect(res.body).toMatchObject({ type: `urn:evidence-api:problem:${code}`, status, code });
  expect(typeof res.body.request_id).toBe('string');
}

const slugs = (res: Response<{ items: { slug: string }[] }>) => res.body.items.map((i) => i.slug);
const allSlugs = seed.interventions.map((i) => i.slug).sort();

describe('interventions', () => {
  let app: App;

  beforeAll(async () => {
    ({ app } = await testApp());
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /v1/interventions', () => {
    it('lists every seeded intervention in slug order with kind, synonyms and claim count', async () => {
      const res = await getJson(app, '/v1/interventions?limit=100');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(slugs(res)).toEqual(allSlugs);
      expect(res.body.items.map(withoutTimestamps)).toEqual(allSlugs.map(expectedIntervention));
      expect(res.body.next_cursor).toBeNull();
    });

    it('counts every published claim an intervention appears in', async () => {
      const res = await getJson(app, '/v1/interventions?limit=100');
      const bySlug = new Map((res.body.items as { slug: string; claim_count: number }[]).map((i) => [i.slug, i]));
      // gut-dysbiosis is linked to the eczema, psoriasis, acne and rosacea associations.
      expect(bySlug.get('gut-dysbiosis')?.claim_count).toBe(4);
      expect(bySlug.get('anti-pd-1-immunotherapy')?.claim_count).toBe(1);
      for (const slug of allSlugs) expect(bySlug.get(slug)?.claim_count).toBe(claimsAbout(slug).length);
    });

    it('filters by kind=probiotic', async () => {
      const res = await getJson(app, '/v1/interventions?kind=probiotic');
      expect(res.status).toBe(200);
      const expected = seed.interventions
        .filter((i) => i.kind === 'probiotic')
        .map((i) => i.slug)
        .sort();
      expect(expected).toEqual(['oral-probiotics']);
      expect(slugs(res)).toEqual(expected);
      expect(res.body.items[0].kind).toBe('probiotic');
    });

    it('filters by kind=microbiome_feature', async () => {
      const res = await getJson(app, '/v1/interventions?kind=microbiome_feature');
      expect(res.status).toBe(200);
      const expected = seed.interventions
        .filter((i) => i.kind === 'microbiome_feature')
        .map((i) => i.slug)
        .sort();
      expect(expected.length).toBeGreaterThan(1);
      expect(slugs(res)).toEqual(expected);
    });

    it('returns an empty page for a valid kind nothing has', async () => {
      const res = await getJson(app, '/v1/interventions?kind=lifestyle');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [], next_cursor: null });
    });

    it('finds oral probiotics by the prefix probio', async () => {
      const res = await getJson(app, '/v1/interventions?q=probio');
      expect(res.status).toBe(200);
      expect(slugs(res)).toEqual(['oral-probiotics']);
      expect(res.body.items[0].name).toBe('Oral probiotics');
    });

    it('matches q regardless of case', async () => {
      const res = await getJson(app, '/v1/interventions?q=PROBIO');
      expect(res.status).toBe(200);
      expect(slugs(res)).toEqual(['oral-probiotics']);
    });

    it('matches q at the start of a later word of a synonym (supp finds both supplements)', async () => {
      const res = await getJson(app, '/v1/interventions?q=supp');
      expect(res.status).toBe(200);
      // "probiotic supplements" and "prebiotic supplements".
      expect(slugs(res)).toEqual(['oral-probiotics', 'prebiotics']);
    });

    it('composes kind and q (AND)', async () => {
      const both = await getJson(app, '/v1/interventions?q=supp&kind=prebiotic');
      expect(both.status).toBe(200);
      expect(slugs(both)).toEqual(['prebiotics']);
      const none = await getJson(app, '/v1/interventions?q=probio&kind=prebiotic');
      expect(none.status).toBe(200);
      expect(none.body).toEqual({ items: [], next_cursor: null });
    });

    it('walks pages of one to exactly the unpaginated list', async () => {
      const all = await getJson(app, '/v1/interventions?limit=100');
      const walked = await walkPages<{ slug: string }>(app, '/v1/interventions?limit=1');
      expect(walked.items).toEqual(all.body.items);
      expect(walked.pages).toBe(seed.interventions.length);
    });

    it('rejects an invalid kind with a problem naming query.kind', async () => {
      const res = await getJson(app, '/v1/interventions?kind=vitamin');
      expectProblem(res, 400, 'request.validation_failed');
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].path).toBe('query.kind');
      expect(res.body.detail).toContain('query.kind');
      expect(res.body.instance).toBe('/v1/interventions?kind=vitamin');
    });

    it('rejects an unknown parameter by name', async () => {
      const res = await getJson(app, '/v1/interventions?type=probiotic');
      expectProblem(res, 400, 'request.unknown_parameter');
      expect(res.body.errors).toEqual([{ path: 'query.type', message: 'unknown parameter' }]);
    });

    it('rejects a cursor issued by /v1/conditions', async () => {
      const conditions = await getJson(app, '/v1/conditions?limit=1');
      const cursor = conditions.body.next_cursor as string;
      expect(typeof cursor).toBe('string');
      const res = await getJson(app, `/v1/interventions?cursor=${encodeURIComponent(cursor)}`);
      expectProblem(res, 400, 'request.invalid_cursor');
      expect(res.body.errors[0].path).toBe('query.cursor');
    });
  });

  describe('GET /v1/interventions/{slug}', () => {
    it('shows oral probiotics with claim count and claim counts by grade', async () => {
      const res = await getJson(app, '/v1/interventions/oral-probiotics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const { claim_counts_by_grade, ...intervention } = res.body;
      expect(withoutTimestamps(intervention)).toEqual(expectedIntervention('oral-probiotics'));
      expect(claim_counts_by_grade).toEqual(gradeCounts(claimsAbout('oral-probiotics')));
      // The third claim about probiotics (which strain, at which dose) is a draft: it rests on context studies only.
      expect(claim_counts_by_grade).toEqual([{ scheme: 'GRADE', level: 'very_low', certainty: 1, count: 2 }]);
    });

    it('orders claim counts by grade strongest first', async () => {
      const res = await getJson(app, '/v1/interventions/gut-microbiome-composition');
      expect(res.status).toBe(200);
      expect(res.body.claim_count).toBe(claimsAbout('gut-microbiome-composition').length);
      expect(res.body.claim_counts_by_grade).toEqual(gradeCounts(claimsAbout('gut-microbiome-composition')));
      expect(res.body.claim_counts_by_grade).toEqual([
        { scheme: 'GRADE', level: 'low', certainty: 2, count: 1 },
        { scheme: 'GRADE', level: 'very_low', certainty: 1, count: 1 },
      ]);
    });

    it.each([
      ['its slug', 'oral-probiotics'],
      ['a synonym', 'probiotics'],
      ['its name', 'Oral probiotics'],
      ['a different case', 'PROBIOTIC SUPPLEMENTS'],
    ])('finds oral probiotics by %s', async (_how, spelling) => {
      const res = await getJson(app, `/v1/interventions/${encodeURIComponent(spelling)}`);
      expect(res.status).toBe(200);
      expect(res.body.slug).toBe('oral-probiotics');
      expect(res.body.kind).toBe('probiotic');
    });

    it('treats hyphens and spaces alike (anti-PD-1 finds the immunotherapy)', async () => {
      const res = await getJson(app, '/v1/interventions/anti%20PD%201');
      expect(res.status).toBe(200);
      expect(res.body.slug).toBe('anti-pd-1-immunotherapy');
    });

    it('answers an unknown intervention with a 404 problem', async () => {
      const res = await getJson(app, '/v1/interventions/vitamin-d');
      expectProblem(res, 404, 'interventions.not_found');
      expect(res.body.title).toBe('Not found');
      expect(res.body.detail).toBe("No intervention is known by 'vitamin-d'.");
      expect(res.body.instance).toBe('/v1/interventions/vitamin-d');
      expect(res.headers.etag).toBeUndefined();
    });
  });
});
