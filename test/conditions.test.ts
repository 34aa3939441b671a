// GET /v1/conditions and /v1/conditions/{slug}: search, pagination, lookup by any spelling, counts, errors, ETags.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { certaintyOf } from '../src/evidence/grades.js';
import { bumpDataVersion } from '../src/store/data-version.queries.js';
import { type App, getJson, PROBLEM_TYPE, type Problem, type Response, seed, testApp, walkPages } from './helpers.js';

const publishedClaims = seed.claims.filter((c) => c.status === 'published');

function seedCondition(slug: string) {
  const condition = seed.conditions.find((c) => c.slug === slug);
  if (!condition) throw new Error(`seed has no condition ${slug}`);
  return condition;
}

function selfAndDescendants(slug: string): string[] {
  const out = [slug];
  for (let i = 0; i < out.length; i++) for (const c of seed.conditions) if (c.parent === out[i]) out.push(c.slug);
  return out;
}

function claimsAbout(slug: string) {
  const slugs = selfAndDescendants(slug);
  return publishedClaims.filter((c) => c.condition !== null && slugs.includes(c.condition));
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

/** A condition as the API shows it, without its timestamps. */
function expectedCondition(slug: string) {
  const c = seedCondition(slug);
  return {
    slug: c.slug,
    name: c.name,
    description: c.description,
    synonyms: [...new Set(c.synonyms)],
    ontology_synonyms: [],
    codes: { mesh: c.mesh_id, doid: c.doid, xrefs: [], alt_ids: [] },
    parent: c.parent === null ? null : { slug: c.parent, name: seedCondition(c.parent).name },
    parents: c.parent === null ? [] : [{ slug: c.parent, name: seedCondition(c.parent).name, sources: ['curated'] }],
    claim_count: claimsAbout(slug).length,
  };
}

function withoutTimestamps<T extends { created_at?: unknown; updated_at?: unknown }>(item: T) {
  const { created_at: _created, updated_at: _updated, ...rest } = item;
  return rest;
}

function expectProblem(res: Response<Problem>, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
  expect(res.headers.etag).toBeUndefined();
  expect(res.body).toMatchObject({
    type: `urn:evidence-api:problem:${code}`,
    status,
    code,
  });
  expect(typeof res.body.request_id).toBe('string');
}

const slugs = (res: Response<{ items: { slug: string }[] }>) => res.body.items.map((i) => i.slug);

describe('conditions', () => {
  let app: App;

  beforeAll(async () => {
    ({ app } = await testApp());
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /v1/conditions', () => {
    it.each(['%20', '-', '%20-%20'])('rejects q=%s, which has no letter or digit to match', async (q) => {
      const res = await getJson(app, `/v1/conditions?q=${q}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
      expect(res.body.errors).toEqual([{ path: 'query.q', message: 'must contain at least one letter or digit' }]);
    });

    it('lists every seeded condition in slug order with synonyms, codes, parent and claim count', async () => {
      const res = await getJson(app, '/v1/conditions?limit=100');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const expected = seed.conditions.map((c) => c.slug).sort();
      expect(slugs(res)).toEqual(expected);
      expect(res.body.items.map(withoutTimestamps)).toEqual(expected.map(expectedCondition));
      expect(res.body.next_cursor).toBeNull();
      for (const item of res.body.items) {
        expect(item.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(item.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }
    });

    it('counts the claims of sub-conditions: skin cancer counts the melanoma claim', async () => {
      const res = await getJson(app, '/v1/conditions?limit=100');
      const bySlug = new Map((res.body.items as { slug: string; claim_count: number }[]).map((i) => [i.slug, i]));
      const melanomaClaims = publishedClaims.filter((c) => c.condition === 'melanoma').length;
      expect(melanomaClaims).toBeGreaterThan(0);
      expect(publishedClaims.filter((c) => c.condition === 'skin-cancer')).toHaveLength(0);
      expect(bySlug.get('skin-cancer')?.claim_count).toBe(melanomaClaims);
      expect(bySlug.get('melanoma')?.claim_count).toBe(melanomaClaims);
      // skin-conditions has claims of its own plus those of eczema, psoriasis, acne and rosacea.
      expect(bySlug.get('skin-conditions')?.claim_count).toBe(claimsAbout('skin-conditions').length);
      expect(bySlug.get('skin-conditions')?.claim_count).toBeGreaterThan(
        publishedClaims.filter((c) => c.condition === 'skin-conditions').length,
      );
    });

    it('defaults to pages of 20', async () => {
      const res = await getJson(app, '/v1/conditions');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(Math.min(20, seed.conditions.length));
    });

    it('finds atopic dermatitis (eczema) by the prefix derm', async () => {
      const res = await getJson(app, '/v1/conditions?q=derm');
      expect(res.status).toBe(200);
      // eczema through its synonym "atopic dermatitis", skin-conditions through "dermatological conditions".
      expect(slugs(res)).toEqual(['eczema', 'skin-conditions']);
      expect(res.body.items[0].synonyms).toContain('atopic dermatitis');
      expect(res.body.next_cursor).toBeNull();
    });

    it('finds melanoma by the code prefix DOID:19', async () => {
      const res = await getJson(app, '/v1/conditions?q=DOID:19');
      expect(res.status).toBe(200);
      expect(slugs(res)).toEqual(['melanoma']);
      expect(res.body.items[0].codes).toEqual({ mesh: 'D008545', doid: 'DOID:1909', xrefs: [], alt_ids: [] });
    });

    it('matches q regardless of case and accents (ECZÉ finds eczema)', async () => {
      const res = await getJson(app, `/v1/conditions?q=${encodeURIComponent('ECZÉ')}`);
      expect(res.status).toBe(200);
      expect(slugs(res)).toEqual(['eczema']);
    });

    it('matches q at the start of a later word of a name (cancer finds skin cancer)', async () => {
      const res = await getJson(app, '/v1/conditions?q=cancer');
      expect(res.status).toBe(200);
      expect(slugs(res)).toEqual(['skin-cancer']);
    });

    it('returns an empty page when nothing matches q', async () => {
      const res = await getJson(app, '/v1/conditions?q=zzz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [], next_cursor: null });
    });

    it('walks pages of one to exactly the unpaginated list, without duplicates or gaps', async () => {
      const all = await getJson(app, '/v1/conditions?limit=100');
      const walked = await walkPages<{ slug: string }>(app, '/v1/conditions?limit=1');
      expect(walked.items.map((i) => i.slug)).toEqual(slugs(all));
      expect(walked.items).toEqual(all.body.items);
      expect(walked.pages).toBe(seed.conditions.length);
      expect(new Set(walked.items.map((i) => i.slug)).size).toBe(seed.conditions.length);
    });

    it('walks a filtered list with its cursor', async () => {
      const walked = await walkPages<{ slug: string }>(app, '/v1/conditions?q=derm&limit=1');
      expect(walked.items.map((i) => i.slug)).toEqual(['eczema', 'skin-conditions']);
      expect(walked.pages).toBe(2);
    });

    it('gives a next_cursor only when another page follows', async () => {
      const first = await getJson(app, '/v1/conditions?limit=2');
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      expect(typeof first.body.next_cursor).toBe('string');
      const last = await getJson(app, `/v1/conditions?limit=${seed.conditions.length}`);
      expect(last.body.next_cursor).toBeNull();
    });

    it.each(['0', '101', 'abc', '1.5'])('rejects limit=%s with a problem naming query.limit', async (limit) => {
      const res = await getJson(app, `/v1/conditions?limit=${limit}`);
      expectProblem(res, 400, 'request.validation_failed');
      expect(res.body.title).toBe('Invalid request');
      expect(res.body.instance).toBe(`/v1/conditions?limit=${limit}`);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].path).toBe('query.limit');
      expect(res.body.detail).toContain('query.limit');
    });

    it('accepts the limits 1 and 100', async () => {
      const one = await getJson(app, '/v1/conditions?limit=1');
      expect(one.status).toBe(200);
      expect(one.body.items).toHaveLength(1);
      const hundred = await getJson(app, '/v1/conditions?limit=100');
      expect(hundred.status).toBe(200);
      expect(hundred.body.items).toHaveLength(seed.conditions.length);
    });

    it('rejects an unknown parameter by name', async () => {
      const res = await getJson(app, '/v1/conditions?qq=1');
      expectProblem(res, 400, 'request.unknown_parameter');
      expect(res.body.errors).toEqual([{ path: 'query.qq', message: 'unknown parameter' }]);
      expect(res.body.instance).toBe('/v1/conditions?qq=1');
    });

    it('rejects an empty q', async () => {
      const res = await getJson(app, '/v1/conditions?q=');
      expectProblem(res, 400, 'request.validation_failed');
      expect(res.body.errors[0].path).toBe('query.q');
    });

    it('rejects a garbage cursor', async () => {
      const res = await getJson(app, '/v1/conditions?cursor=garbage');
      expectProblem(res, 400, 'request.invalid_cursor');
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].path).toBe('query.cursor');
    });

    it('rejects a well-formed cursor that is not a cursor object', async () => {
      const cursor = Buffer.from('null').toString('base64url');
      const res = await getJson(app, `/v1/conditions?cursor=${cursor}`);
      expectProblem(res, 400, 'request.invalid_cursor');
      expect(res.body.errors[0].path).toBe('query.cursor');
    });

    it('rejects a cursor issued by /v1/interventions', async () => {
      const interventions = await getJson(app, '/v1/interventions?limit=1');
      expect(interventions.status).toBe(200);
      const cursor = interventions.body.next_cursor as string;
      expect(typeof cursor).toBe('string');
      const res = await getJson(app, `/v1/conditions?cursor=${encodeURIComponent(cursor)}`);
      expectProblem(res, 400, 'request.invalid_cursor');
      expect(res.body.errors[0].path).toBe('query.cursor');
    });
  });

  describe('GET /v1/conditions/{slug}', () => {
    it('shows eczema with its parent, no children and claim counts by grade', async () => {
      const res = await getJson(app, '/v1/conditions/eczema');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const { children, claim_counts_by_grade, abbreviations, topics, ...condition } = res.body;
      expect(withoutTimestamps(condition)).toEqual(expectedCondition('eczema'));
      expect(abbreviations).toEqual([]);
      expect(children).toEqual([]);
      expect(claim_counts_by_grade).toEqual(gradeCounts(claimsAbout('eczema')));
      // Spelled out too, so a mistake in the derivation above cannot hide one in the API.
      expect(claim_counts_by_grade).toEqual([{ scheme: 'GRADE', level: 'very_low', certainty: 1, count: 2 }]);
      // The answer card with a published claim about eczema.
      expect(topics).toEqual([
        {
          slug: 'gut-microbiome-and-skin',
          question: 'Does a healthy gut microbiome lead to better skin?',
          overall_certainty: 'very_low',
        },
      ]);
    });

    it('shows skin cancer with melanoma as its child and the melanoma claim in its counts', async () => {
      const res = await getJson(app, '/v1/conditions/skin-cancer');
      expect(res.status).toBe(200);
      expect(res.body.parent).toBeNull();
      expect(res.body.children).toEqual([{ slug: 'melanoma', name: 'Melanoma', sources: ['curated'] }]);
      expect(res.body.claim_count).toBe(claimsAbout('melanoma').length);
      expect(res.body.claim_counts_by_grade).toEqual(gradeCounts(claimsAbout('melanoma')));
    });

    it('lists the children of skin conditions in slug order', async () => {
      const res = await getJson(app, '/v1/conditions/skin-conditions');
      expect(res.status).toBe(200);
      const expected = seed.conditions
        .filter((c) => c.parent === 'skin-conditions')
        .map((c) => ({ slug: c.slug, name: c.name, sources: ['curated'] }))
        .sort((a, b) => (a.slug < b.slug ? -1 : 1));
      expect(res.body.children).toEqual(expected);
      expect(res.body.claim_counts_by_grade).toEqual(gradeCounts(claimsAbout('skin-conditions')));
    });

    it.each([
      ['its slug', 'melanoma'],
      ['its name', 'Melanoma'],
      ['a synonym', 'malignant melanoma'],
      ['its Disease Ontology id', 'DOID:1909'],
      ['its MeSH id with prefix', 'MeSH:D008545'],
      ['its bare MeSH id', 'D008545'],
      ['a different case', 'CUTANEOUS Melanoma'],
      ['accents', 'Mélanoma'],
    ])('finds melanoma by %s', async (_how, spelling) => {
      const res = await getJson(app, `/v1/conditions/${encodeURIComponent(spelling)}`);
      expect(res.status).toBe(200);
      expect(res.body.slug).toBe('melanoma');
      expect(res.body.parent).toEqual({ slug: 'skin-cancer', name: 'Skin cancer' });
      expect(res.body.children).toEqual([]);
    });

    it('finds eczema by the synonym atopic dermatitis in any case', async () => {
      const res = await getJson(app, `/v1/conditions/${encodeURIComponent('Atopic Dermatitis')}`);
      expect(res.status).toBe(200);
      expect(res.body.slug).toBe('eczema');
    });

    it('answers an unknown condition with a 404 problem', async () => {
      const res = await getJson(app, '/v1/conditions/lupus');
      expectProblem(res, 404, 'conditions.not_found');
      expect(res.body.title).toBe('Not found');
      expect(res.body.detail).toBe("No condition is known by 'lupus'.");
      expect(res.body.instance).toBe('/v1/conditions/lupus');
      expect(res.body.errors).toBeUndefined();
    });

    it('does not resolve a word inside a name as if it were the whole name', async () => {
      // "cancer" is only a later word of "Skin cancer": good for type-ahead, not an identity.
      const res = await getJson(app, '/v1/conditions/cancer');
      expectProblem(res, 404, 'conditions.not_found');
    });
  });
});

describe('conditional GET on /v1/conditions/{slug}', () => {
  let app: App;
  let db: Awaited<ReturnType<typeof testApp>>['db'];

  beforeEach(async () => {
    ({ app, db } = await testApp());
  });
  afterEach(async () => {
    await app.close();
  });

  it('returns a strong ETag naming the row version, and no-cache; lists get a weak one', async () => {
    const res = await getJson(app, '/v1/conditions/eczema');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toMatch(/^"[^"]+\.v1"$/);
    const list = await getJson(app, '/v1/conditions');
    expect(list.headers.etag).toMatch(/^W\/"[^"]+"$/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers If-None-Match with the current ETag by a 304 with an empty body', async () => {
    const first = await getJson(app, '/v1/conditions/eczema');
    const etag = first.headers.etag as string;
    const res = await app.inject({ method: 'GET', url: '/v1/conditions/eczema', headers: { 'if-none-match': etag } });
    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBe(etag);
  });

  it('matches the ETag inside a list of If-None-Match values', async () => {
    const first = await getJson(app, '/v1/conditions/eczema');
    const etag = first.headers.etag as string;
    const res = await app.inject({
      method: 'GET',
      url: '/v1/conditions/eczema',
      headers: { 'if-none-match': `W/"something-else", ${etag}` },
    });
    expect(res.statusCode).toBe(304);
  });

  it('serves the full body with a new ETag once the data version changes', async () => {
    const first = await getJson(app, '/v1/conditions/eczema');
    const oldEtag = first.headers.etag as string;
    await db.transaction(async (tx) => bumpDataVersion(tx));
    const res = await getJson(app, '/v1/conditions/eczema', { 'if-none-match': oldEtag });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(first.body);
    expect(res.headers.etag).toMatch(/^"[^"]+\.v1"$/);
    expect(res.headers.etag).not.toBe(oldEtag);
    const again = await app.inject({
      method: 'GET',
      url: '/v1/conditions/eczema',
      headers: { 'if-none-match': res.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
  });
});
