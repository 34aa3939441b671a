// A condition's slug is its identifier: another condition spelled the same (by name, any width or case) never makes
// the slug ambiguous, so its page, `condition=` filters and the FHIR export of its claims keep working (hostile review).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curatorApp, getJson } from './helpers.js';

let ctx: Awaited<ReturnType<typeof curatorApp>>;
beforeAll(async () => {
  ctx = await curatorApp();
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/v1/conditions',
    headers: { authorization: `Bearer ${ctx.key}` },
    // Full-width letters: the lookup folds them to "acne", the seeded condition's slug.
    payload: { slug: 'acne-twin', name: 'ａｃｎｅ' },
  });
  expect(created.statusCode, created.body).toBe(201);
});
afterAll(() => ctx.app.close());

describe('a condition named like another condition’s slug', () => {
  it('leaves the slug naming its own condition: page, claims filter, FHIR', async () => {
    const page = await getJson(ctx.app, '/v1/conditions/acne');
    expect(page.status).toBe(200);
    expect(page.body.slug).toBe('acne');
    const claims = await getJson(ctx.app, '/v1/claims?condition=acne&limit=100');
    expect(claims.status).toBe(200);
    expect(claims.body.items.map((c: { id: string }) => c.id)).toContain('gut-dysbiosis-acne-association');
    const fhir = await ctx.app.inject('/v1/claims/gut-dysbiosis-acne-association/fhir');
    expect(fhir.statusCode).toBe(200);
    expect(fhir.json().resourceType).toBe('Bundle');
  });

  it('still calls the shared spelling ambiguous when it is not a slug, listing both', async () => {
    const res = await getJson(ctx.app, `/v1/claims?condition=${encodeURIComponent('ＡＣＮＥ')}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('conditions.ambiguous');
    expect(res.body.candidates.map((c: { slug: string }) => c.slug)).toEqual(['acne', 'acne-twin']);
  });
});
