// POST /v1/claims refuses the over-graded writes of issue 16: only supporting studies can lift a claim above low.
import { beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { PROBLEM_TYPE, testApp } from './helpers.js';

let ctx: Awaited<ReturnType<typeof testApp>>;
let key: string;

beforeEach(async () => {
  ctx = await testApp();
  key = (await createApiKey(ctx.db, { name: 'curator', scope: 'write', secret: await resolveKeySecret(ctx.db) })).key;
});

async function post(url: string, body: unknown) {
  const res = await ctx.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${key}` },
    payload: body as object,
  });
  return { status: res.statusCode, headers: res.headers, body: res.json() };
}

const claim = (grade: Record<string, unknown>, studies: { pmid: string; relation: string }[]) => ({
  id: 'probiotics-eczema-overgraded',
  statement: 'Oral probiotics reduce eczema severity.',
  plain_summary: 'Probiotics help eczema.',
  condition: 'eczema',
  interventions: ['oral-probiotics'],
  outcome: 'eczema severity',
  direction: 'benefit',
  grade: { scheme: 'GRADE', rationale: 'Asserted.', ...grade },
  studies,
});

// A randomised trial about asthma, made up for this test: no title, only what the test needs.
const asthmaTrial = { pmid: '31000077', design: 'rct', sample_size: 300 };

describe('POST /v1/claims over-grading', () => {
  it('refuses GRADE high when the only linked trial contradicts the claim', async () => {
    expect((await post('/v1/studies', asthmaTrial)).status).toBe(201);
    const res = await post('/v1/claims', claim({ level: 'high' }, [{ pmid: '31000077', relation: 'contradicts' }]));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(res.body).toMatchObject({
      code: 'evidence.rule_violated',
      rule: 'grade.high_needs_rct_or_upgrade_rationale',
      detail:
        'GRADE high needs a supporting randomised trial, systematic review or meta-analysis, or an explicit grade.upgrade_rationale saying why observational evidence was rated up. Designs of the supporting studies: none.',
    });
  });

  it('refuses GRADE moderate on a single narrative review', async () => {
    const res = await post('/v1/claims', claim({ level: 'moderate' }, [{ pmid: '34785010', relation: 'supports' }]));
    expect(res.status).toBe(422);
    expect(res.body.rule).toBe('grade.moderate_needs_rct_or_upgrade_rationale');
    expect(res.body.detail).toContain('Designs of the supporting studies: narrative_review.');
  });

  it('accepts GRADE high when the same trial supports the claim', async () => {
    await post('/v1/studies', asthmaTrial);
    const res = await post('/v1/claims', claim({ level: 'high' }, [{ pmid: '31000077', relation: 'supports' }]));
    expect(res.status).toBe(201);
    expect(res.body.grade).toMatchObject({ level: 'high', certainty: 4 });
  });
});
