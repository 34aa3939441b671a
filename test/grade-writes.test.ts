// POST /v1/claims refuses over-graded writes (issue 16): only supporting studies lift a claim, and without domains no level stands above its start.
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

// A study whose design nobody recorded, made up for this test: GRADE cannot rate it, so it starts at very low.
const unknownDesign = { pmid: '31000078', sample_size: 40 };

describe('POST /v1/claims without GRADE domains', () => {
  it('refuses GRADE low resting only on a study of unknown design, showing the arithmetic', async () => {
    expect((await post('/v1/studies', unknownDesign)).status).toBe(201);
    const res = await post('/v1/claims', claim({ level: 'low' }, [{ pmid: '31000078', relation: 'supports' }]));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(res.body.rule).toBe('grade.level_above_start');
    expect(res.body.detail).toMatch(/^GRADE level 'low' is above what the evidence gives: very low\. Start very low: /);
    expect(res.body.detail).toContain("Set grade.level to 'very_low', assess the GRADE domains in grade.domains");
    expect(res.body.errors).toEqual([{ path: 'body.grade.level', message: res.body.detail, pointer: '/grade/level' }]);
    expect(res.body.grade_arithmetic).toMatchObject({
      claimed_level: 'low',
      computed_level: 'very_low',
      start: { level: 'very_low', basis: 'not_rateable', design: null },
      steps: [],
      upper_bound: true,
    });
  });

  it('accepts the same claim with an override reason and serves it as overridden, with the reason', async () => {
    await post('/v1/studies', unknownDesign);
    const reason = 'Design not yet recorded; the abstract describes a prospective cohort.';
    const res = await post(
      '/v1/claims',
      claim({ level: 'low', override_reason: reason }, [{ pmid: '31000078', relation: 'supports' }]),
    );
    expect(res.status).toBe(201);
    expect(res.body.grade.level).toBe('low');
    expect(res.body.grade.override_reason).toBe(reason);
    expect(res.body.grade.assessment).toMatchObject({
      computed_level: 'very_low',
      overridden: true,
      override_reason: reason,
    });
  });

  it('accepts GRADE very low on the same study without an override', async () => {
    await post('/v1/studies', unknownDesign);
    const res = await post('/v1/claims', claim({ level: 'very_low' }, [{ pmid: '31000078', relation: 'supports' }]));
    expect(res.status).toBe(201);
    expect(res.body.grade.assessment).toMatchObject({ computed_level: 'very_low', overridden: false });
  });
});
