// Lists that name each item once: a repeat is a 422 naming the item and both places, never a 500 or a silent merge.
import { beforeEach, describe, expect, it } from 'vitest';
import { curatorApp, PROBLEM_TYPE } from './helpers.js';

let ctx: Awaited<ReturnType<typeof curatorApp>>;
beforeEach(async () => {
  ctx = await curatorApp();
});

async function post(url: string, payload: object) {
  const res = await ctx.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${ctx.key}` },
    payload,
  });
  return { status: res.statusCode, type: res.headers['content-type'], body: res.json() };
}

const claim = (overrides: Record<string, unknown>) => ({
  id: 'duplicate-links',
  statement: 'Oral probiotics may reduce rosacea flares.',
  plain_summary: 'Probiotics might help rosacea.',
  condition: 'rosacea',
  interventions: ['oral-probiotics'],
  direction: 'benefit',
  grade: { scheme: 'GRADE', level: 'very_low' },
  studies: [{ pmid: '29097493', relation: 'supports' }],
  ...overrides,
});

/** The 422 a repeat gets: the rule, the detail naming the item and both places, the path, the duplicate's key. */
function expectDuplicate(
  res: Awaited<ReturnType<typeof post>>,
  rule: string,
  detail: string,
  path: string,
  duplicate: string,
) {
  expect(res.status).toBe(422);
  expect(res.type).toBe(PROBLEM_TYPE);
  expect(res.body).toMatchObject({ code: 'evidence.rule_violated', rule, detail, duplicate });
  // The JSON Pointer of the same place (RFC 6901), for clients that patch the body they sent.
  const pointer = path
    .slice('body'.length)
    .replace(/\[(\d+)\]/g, '.$1')
    .replaceAll('.', '/');
  expect(res.body.errors).toEqual([{ path, pointer, message: expect.stringMatching(/ is already /) }]);
}

describe('a claim that lists something twice', () => {
  it('is a 422 naming the study, whether given as pmid or key, with another relation or the same', async () => {
    const twice = await post(
      '/v1/claims',
      claim({
        studies: [
          { pmid: '29097493', relation: 'supports' },
          { key: '29097493', relation: 'context' },
        ],
      }),
    );
    expectDuplicate(
      twice,
      'claim.studies_unique',
      'studies[1] repeats PMID 29097493 (already studies[0]): a claim links each study once, with one relation.',
      'body.studies[1]',
      '29097493',
    );
    expect((await ctx.app.inject('/v1/claims/duplicate-links')).statusCode).toBe(404);
  });

  it('is a 422 naming the intervention', async () => {
    const res = await post('/v1/claims', claim({ interventions: ['oral-probiotics', 'oral-probiotics'] }));
    expectDuplicate(
      res,
      'claim.interventions_unique',
      "interventions[1] repeats 'oral-probiotics' (already interventions[0]): a claim names each intervention once.",
      'body.interventions[1]',
      'oral-probiotics',
    );
  });

  it('is a 422 naming a repeated PICO age group', async () => {
    const pico = {
      population: { description: 'Adults with rosacea', age_groups: ['adult', 'aged', 'adult'] },
      intervention: 'Oral probiotics',
      outcome: { description: 'Flares' },
    };
    const res = await post('/v1/claims', claim({ pico }));
    expectDuplicate(
      res,
      'claim.age_groups_unique',
      "pico.population.age_groups[2] repeats 'adult' (already pico.population.age_groups[0]): a population names each age group once.",
      'body.pico.population.age_groups[2]',
      'adult',
    );
  });
});

describe('a topic that lists a claim twice', () => {
  it('is a 422 naming the claim', async () => {
    const res = await post('/v1/topics', {
      slug: 'twice',
      question: 'Does it count twice?',
      bottom_line: 'No.',
      evidence_summary: 'One claim.',
      claims: ['gut-dysbiosis-rosacea-association', 'gut-dysbiosis-rosacea-association'],
    });
    expectDuplicate(
      res,
      'topic.claims_unique',
      "claims[1] repeats claim 'gut-dysbiosis-rosacea-association' (already claims[0]): a claim appears only once in a topic.",
      'body.claims[1]',
      'gut-dysbiosis-rosacea-association',
    );
  });
});

describe('a condition that names a parent or a synonym twice', () => {
  it('is a 422 naming a parent given as `parent` and in `parents`, or twice in `parents`', async () => {
    const both = await post('/v1/conditions', {
      slug: 'twice',
      name: 'Twice',
      parent: 'rosacea',
      parents: ['rosacea'],
    });
    expectDuplicate(
      both,
      'condition.parents_unique',
      "parents[0] repeats 'rosacea' (already parent): a condition names each parent once (`parent` is the first, `parents` the others).",
      'body.parents[0]',
      'rosacea',
    );
    const list = await post('/v1/conditions', {
      slug: 'twice',
      name: 'Twice',
      parent: null,
      parents: ['rosacea', 'eczema', 'rosacea'],
    });
    expect(list.body.errors).toEqual([
      { path: 'body.parents[2]', pointer: '/parents/2', message: "'rosacea' is already parents[0]" },
    ]);
  });

  it('is a 422 naming synonyms that differ only in case, accents or spacing', async () => {
    const res = await post('/v1/conditions', {
      slug: 'twice',
      name: 'Twice',
      parent: null,
      synonyms: ['Acne rosacea', 'Red face', 'acne  Rosacéa'],
    });
    expectDuplicate(
      res,
      'condition.synonyms_unique',
      "synonyms[2] repeats 'acne  Rosacéa' (already synonyms[0]): synonyms that differ only in case, accents or spacing find the same condition; give it once.",
      'body.synonyms[2]',
      'acne rosacea',
    );
  });
});

describe('an intervention that names a synonym twice', () => {
  it('is a 422 naming it', async () => {
    const res = await post('/v1/interventions', {
      slug: 'twice',
      name: 'Twice',
      kind: 'drug',
      synonyms: ['LGG', 'lgg'],
    });
    expectDuplicate(
      res,
      'intervention.synonyms_unique',
      "synonyms[1] repeats 'lgg' (already synonyms[0]): synonyms that differ only in case, accents or spacing find the same intervention; give it once.",
      'body.synonyms[1]',
      'lgg',
    );
    expect((await ctx.app.inject('/v1/interventions/twice')).statusCode).toBe(404);
  });
});
