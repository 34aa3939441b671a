// Issue 16 through the API: effect estimates, GRADE domains, PICO, risk of bias, supporting-only summaries, topic
// certainty and answer cards by condition; each 422 names its rule and path, and every field keeps its history.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { RISK_OF_BIAS_TOOL_SPECS } from '../src/evidence/risk-of-bias.js';
import { CLAIM_RANK_KEY_SQL } from '../src/resources/claims/claims.rank.js';
import { MIGRATIONS_FOLDER } from '../src/store/migrate.js';
import { PROBLEM_TYPE, testApp } from './helpers.js';

/** RoB 2's domains, in the tool's order. */
const ROB_2_DOMAINS = RISK_OF_BIAS_TOOL_SPECS.rob_2.domains.map((d) => d.id);

let ctx: Awaited<ReturnType<typeof testApp>>;
let key: string;

beforeEach(async () => {
  ctx = await testApp();
  key = (await createApiKey(ctx.db, { name: 'curator', scope: 'write', secret: await resolveKeySecret(ctx.db) })).key;
});

async function call(method: string, url: string, body?: unknown, ifMatch?: string) {
  const res = await ctx.app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${key}`, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body ? res.json() : undefined };
}

async function patch(url: string, body: unknown) {
  const current = await call('GET', url);
  return call('PATCH', url, body, current.headers.etag as string);
}

/** A made-up randomised trial, with only the fields these tests need. */
const TRIAL = { pmid: '31000042', design: 'rct', sample_size: 120 };

/** An estimate a curator would copy from a trial's table, made up for these tests. */
const estimate = (overrides: Record<string, unknown> = {}) => ({
  measure: 'risk_ratio',
  value: 0.62,
  ci: { low: 0.45, high: 0.85, level: 0.95 },
  p_value: 0.003,
  participants_analysed: 118,
  intervention_group: { label: 'Probiotic X', participants: 59, events: 14 },
  comparator_group: { label: 'Placebo', participants: 59, events: 23 },
  outcome: 'eczema flares',
  timepoint: '12 weeks',
  benefit_direction: 'lower',
  source: { location: 'table', label: 'Table 2', quote: null },
  ...overrides,
});

const claim = (overrides: Record<string, unknown> = {}) => ({
  id: 'probiotic-x-eczema-flares',
  statement: 'Probiotic X probably reduces eczema flares.',
  plain_summary: 'Probiotic X probably means fewer flares.',
  condition: 'eczema',
  interventions: ['oral-probiotics'],
  outcome: 'eczema flares',
  direction: 'benefit',
  grade: { scheme: 'GRADE', level: 'high', rationale: 'One large trial.' },
  studies: [{ pmid: TRIAL.pmid, relation: 'supports', effect_estimates: [estimate()] }],
  ...overrides,
});

describe('effect estimates on a claim-study link', () => {
  it('returns an estimate with its CI, groups, source and one-line summary, in history and as_of reads', async () => {
    expect((await call('POST', '/v1/studies', TRIAL)).status).toBe(201);
    const created = await call('POST', '/v1/claims', claim());
    expect(created.status).toBe(201);
    expect(created.body.studies[0].effect_estimates).toEqual([
      {
        ...estimate(),
        p_value_comparator: '=',
        units: null,
        adjusted_for: null,
        summary: 'RR 0.62 (95% CI 0.45 to 0.85; p = 0.003; n = 118)',
      },
    ]);
    // Revision times and this clock round to the millisecond differently: keep the moment clear of both writes.
    await new Promise((r) => setTimeout(r, 15));
    const moment = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 15));
    const changed = await patch(`/v1/claims/${claim().id}`, {
      studies: [{ pmid: TRIAL.pmid, relation: 'supports', effect_estimates: [estimate({ value: 0.7, ci: null })] }],
    });
    expect(changed.status).toBe(200);
    expect(changed.body.studies[0].effect_estimates[0].summary).toBe('RR 0.7 (p = 0.003; n = 118)');
    const past = await call('GET', `/v1/claims/${claim().id}?as_of=${moment}`);
    expect(past.body.studies[0].effect_estimates[0]).toMatchObject({ value: 0.62, ci: { low: 0.45, high: 0.85 } });
    const revisions = await call('GET', `/v1/claims/${claim().id}/revisions`);
    expect(revisions.body.items[0].changes.studies.after[0].effect_estimates[0].value).toBe(0.7);
  });

  it.each([
    [
      'a CI that does not contain its estimate',
      { ci: { low: 0.7, high: 0.9 } },
      'effect_estimate.ci_contains_estimate',
      'body.studies[0].effect_estimates[0].ci',
      'the 95% CI 0.7 to 0.9 does not contain the estimate 0.62.',
    ],
    [
      'a negative ratio',
      { value: -0.62, ci: null },
      'effect_estimate.ratio_positive',
      'body.studies[0].effect_estimates[0].value',
      'a risk ratio must be greater than 0 (got -0.62): ratios are never negative or zero.',
    ],
    [
      'a p-value outside [0, 1]',
      { p_value: 3 },
      'effect_estimate.p_value_range',
      'body.studies[0].effect_estimates[0].p_value',
      'a p-value lies from 0 to 1 (got 3).',
    ],
  ])('refuses %s with a 422 naming the path', async (_what, overrides, rule, path, message) => {
    await call('POST', '/v1/studies', TRIAL);
    const res = await call(
      'POST',
      '/v1/claims',
      claim({ studies: [{ pmid: TRIAL.pmid, relation: 'supports', effect_estimates: [estimate(overrides)] }] }),
    );
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(res.body).toMatchObject({ code: 'evidence.rule_violated', rule, errors: [{ path, message }] });
    expect(res.body.detail).toBe(`${path.slice('body.'.length)}: ${message}`);
  });

  it('refuses an estimate that favours the comparator as support for a claim of benefit', async () => {
    await call('POST', '/v1/studies', TRIAL);
    const reversed = estimate({ value: 1.6, ci: { low: 1.2, high: 2.1 } });
    const res = await call(
      'POST',
      '/v1/claims',
      claim({ studies: [{ pmid: TRIAL.pmid, relation: 'supports', effect_estimates: [reversed] }] }),
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      rule: 'effect_estimate.direction_matches_relation',
      errors: [{ path: 'body.studies[0].effect_estimates[0]' }],
    });
    expect(res.body.detail).toBe(
      'studies[0].effect_estimates[0]: RR 1.6 (95% CI 1.2 to 2.1; p = 0.003; n = 118) favours the comparator, so it cannot support a claim of benefit: link the study as contradicts, or check benefit_direction.',
    );
  });
});

describe('GRADE domains on a claim', () => {
  const domains = {
    risk_of_bias: { judgement: 'not_serious', rationale: null },
    imprecision: {
      judgement: 'serious',
      rationale: '118 participants, 37 events: below the optimal information size.',
    },
  };

  it('refuses a level the domains do not give with a 422 that shows the arithmetic', async () => {
    await call('POST', '/v1/studies', TRIAL);
    const res = await call(
      'POST',
      '/v1/claims',
      claim({ grade: { scheme: 'GRADE', level: 'high', rationale: 'x', domains } }),
    );
    expect(res.status).toBe(422);
    expect(res.body.rule).toBe('grade.level_matches_domains');
    expect(res.body.detail).toBe(
      "GRADE level 'high' does not follow from the evidence, which gives moderate. Start high: the strongest supporting design is rct, and randomised evidence starts high (GRADE guidelines 3). Risk of bias: not serious 0 → high. Imprecision: serious -1 → moderate. Result: moderate. Not assessed: inconsistency, indirectness, publication bias, large effect, dose-response gradient, plausible confounding; moderate is the most the assessed domains allow. Set grade.level to 'moderate', change a domain judgement, or give grade.override_reason.",
    );
    expect(res.body.errors).toEqual([{ path: 'body.grade.level', message: res.body.detail, pointer: '/grade/level' }]);
    expect(res.body.grade_arithmetic).toMatchObject({
      claimed_level: 'high',
      computed_level: 'moderate',
      start: { level: 'high', basis: 'randomised', design: 'rct' },
      steps: [
        { domain: 'risk_of_bias', change: 0, level_after: 'high' },
        { domain: 'imprecision', change: -1, level_after: 'moderate' },
      ],
    });
  });

  it('accepts a level that differs with an override reason, and flags it in the response', async () => {
    await call('POST', '/v1/studies', TRIAL);
    const reason = 'The trial was powered for this outcome; the panel does not rate down for imprecision.';
    const res = await call(
      'POST',
      '/v1/claims',
      claim({ grade: { scheme: 'GRADE', level: 'high', rationale: 'x', domains, override_reason: reason } }),
    );
    expect(res.status).toBe(201);
    expect(res.body.grade).toMatchObject({ level: 'high', override_reason: reason });
    expect(res.body.grade.assessment).toMatchObject({
      computed_level: 'moderate',
      overridden: true,
      override_reason: reason,
    });
  });

  it('asks for the rationale of a judgement that moves the level, naming its path', async () => {
    await call('POST', '/v1/studies', TRIAL);
    const res = await call(
      'POST',
      '/v1/claims',
      claim({
        grade: {
          scheme: 'GRADE',
          level: 'moderate',
          rationale: 'x',
          domains: { imprecision: { judgement: 'serious', rationale: null } },
        },
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      rule: 'grade.domain_needs_rationale',
      errors: [
        {
          path: 'body.grade.domains.imprecision.rationale',
          message: "imprecision 'serious' moves the level, so it needs a rationale saying why.",
        },
      ],
    });
  });

  it('refuses to change a study design under a claim whose grade it starts, naming the claim', async () => {
    await call('POST', '/v1/studies', TRIAL);
    expect(
      (
        await call(
          'POST',
          '/v1/claims',
          claim({ grade: { scheme: 'GRADE', level: 'moderate', rationale: 'x', domains } }),
        )
      ).status,
    ).toBe(201);
    const res = await patch(`/v1/studies/${TRIAL.pmid}`, { design: 'cohort' });
    expect(res.status).toBe(422);
    expect(res.body.rule).toBe('grade.level_matches_domains');
    expect(res.body.detail).toMatch(
      /^Claim 'probiotic-x-eczema-flares' rests on this study: with design cohort its grade no longer holds\. GRADE level 'moderate' does not follow from the evidence, which gives very low\./,
    );
    expect((await call('GET', `/v1/studies/${TRIAL.pmid}`)).body.design).toBe('rct');
  });
});

describe('evidence summary from supporting studies only', () => {
  it('counts contradicting and context studies apart, lending the claim neither their n nor their design', async () => {
    await call('POST', '/v1/studies', TRIAL);
    await call('POST', '/v1/studies', { pmid: '31000043', design: 'cohort', sample_size: 5000 });
    await call('POST', '/v1/studies', { pmid: '31000044', design: 'rct', sample_size: 80 });
    const res = await call(
      'POST',
      '/v1/claims',
      claim({
        grade: { scheme: 'GRADE', level: 'low', rationale: 'x' },
        studies: [
          { pmid: '31000043', relation: 'supports' },
          { pmid: TRIAL.pmid, relation: 'context' },
          { pmid: '31000044', relation: 'contradicts' },
        ],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.sample_size).toBe(5000);
    expect(res.body.evidence_summary).toEqual({
      study_count: 1,
      studies_by_design: [{ design: 'cohort', count: 1 }],
      total_participants: 5000,
      studies_with_unknown_sample_size: 0,
      strongest_design: 'cohort',
      has_rct: false,
      has_systematic_review: false,
      sample_size: 5000,
      contradicting_study_count: 1,
      contradicting_participants: 80,
      context_study_count: 1,
    });
    // The context trial's size moves nothing; the supporting cohort's does.
    expect((await patch(`/v1/studies/${TRIAL.pmid}`, { sample_size: 9000 })).status).toBe(200);
    expect((await call('GET', `/v1/claims/${claim().id}`)).body.sample_size).toBe(5000);
    expect((await patch('/v1/studies/31000043', { sample_size: 4000 })).status).toBe(200);
    expect((await call('GET', `/v1/claims?min_sample_size=4000&condition=eczema`)).body.items[0].sample_size).toBe(
      4000,
    );
  });
});

describe('PICO on a claim', () => {
  const pico = {
    population: {
      description: 'Children aged 2 to 12 with moderate eczema',
      age_groups: ['child_preschool', 'child'],
      sex: 'any',
      setting: 'outpatient',
    },
    intervention: 'Probiotic X, 10^9 CFU daily for 12 weeks',
    comparator: 'Placebo',
    outcome: { description: 'Eczema flares', code: { system: 'MeSH', code: 'D003876', display: 'Dermatitis, Atopic' } },
    timeframe: '12 weeks',
  };

  it('is written, returned, filtered on and searched', async () => {
    await call('POST', '/v1/studies', TRIAL);
    const created = await call(
      'POST',
      '/v1/claims',
      claim({ grade: { scheme: 'GRADE', level: 'high', rationale: 'x' }, pico }),
    );
    expect(created.status).toBe(201);
    expect(created.body.pico).toEqual(pico);
    const ids = async (query: string) =>
      (await call('GET', `/v1/claims?${query}&limit=100`)).body.items.map((c: { id: string }) => c.id).sort();
    expect(await ids('age_group=child')).toEqual(['probiotic-x-eczema-flares']);
    expect(await ids('age_group=aged')).toEqual([]);
    expect(await ids('sex=male')).toEqual(['probiotic-x-eczema-flares']);
    expect(await ids('setting=outpatient')).toEqual(['probiotic-x-eczema-flares']);
    expect(await ids('setting=inpatient')).toEqual([]);
    // The seed codes the eczema outcomes of its claims with the condition's MeSH id.
    expect(await ids('outcome_code=MeSH:D003876')).toEqual([
      'gut-dysbiosis-eczema-association',
      'probiotic-x-eczema-flares',
      'probiotics-prebiotics-eczema',
    ]);
    expect(await ids('q=CFU')).toEqual(['probiotic-x-eczema-flares']);
    const removed = await patch(`/v1/claims/${claim().id}`, { pico: null });
    expect(removed.body.pico).toBeNull();
    expect(await ids('age_group=child')).toEqual([]);
    expect(await ids('q=CFU')).toEqual([]);
  });

  it('refuses an outcome code that is not of its system with a 400 naming the path', async () => {
    await call('POST', '/v1/studies', TRIAL);
    const res = await call(
      'POST',
      '/v1/claims',
      claim({ pico: { ...pico, outcome: { description: 'x', code: { system: 'MeSH', code: '24079001' } } } }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        path: 'body.pico.outcome.code.code',
        message: "'24079001' is not a MeSH code (^[DC]\\d{6,9}$)",
        pointer: '/pico/outcome/code/code',
      },
    ]);
  });
});

describe('risk of bias on a study', () => {
  const rob2 = (judgements: string[], overall: string) => ({
    tool: 'rob_2',
    result: 'Eczema flares at 12 weeks, intention to treat',
    domains: ROB_2_DOMAINS.map((domain, i) => ({
      domain,
      judgement: judgements[i],
      support: 'Made up for this test.',
    })),
    overall,
    overall_support: null,
    source: { kind: 'curator', pmid: null },
    assessor: 'curator',
    assessed_on: '2026-01-31',
  });

  it('records the domains, support, source and assessor, with what the tool’s algorithm gives', async () => {
    const res = await call('POST', '/v1/studies', {
      ...TRIAL,
      risk_of_bias: [rob2(['low', 'low', 'some_concerns', 'low', 'low'], 'some_concerns')],
    });
    expect(res.status).toBe(201);
    expect(res.body.risk_of_bias[0]).toMatchObject({
      tool: 'rob_2',
      tool_name: 'RoB 2',
      overall: 'some_concerns',
      assessor: 'curator',
      source: { kind: 'curator', pmid: null },
      algorithm: { computed: 'some_concerns', allowed: ['some_concerns'] },
    });
    await call('POST', '/v1/claims', claim({ grade: { scheme: 'GRADE', level: 'high', rationale: 'x' } }));
    const claimRead = await call('GET', `/v1/claims/${claim().id}`);
    expect(claimRead.body.studies[0].risk_of_bias).toEqual([
      { tool: 'rob_2', result: 'Eczema flares at 12 weeks, intention to treat', overall: 'some_concerns' },
    ]);
  });

  it('refuses an overall judgement the tool does not allow, and a tool that does not fit the design', async () => {
    const overall = await call('POST', '/v1/studies', {
      ...TRIAL,
      risk_of_bias: [rob2(['low', 'high', 'low', 'low', 'low'], 'low')],
    });
    expect(overall.status).toBe(422);
    expect(overall.body).toMatchObject({
      rule: 'risk_of_bias.overall_follows_tool',
      errors: [{ path: 'body.risk_of_bias[0].overall' }],
    });
    expect(overall.body.errors[0].message).toContain("RoB 2 gives 'high' here, not 'low'");
    const design = await call('POST', '/v1/studies', {
      pmid: '31000045',
      design: 'cohort',
      risk_of_bias: [rob2(['low', 'low', 'low', 'low', 'low'], 'low')],
    });
    expect(design.status).toBe(422);
    expect(design.body).toMatchObject({
      rule: 'risk_of_bias.tool_fits_design',
      errors: [{ path: 'body.risk_of_bias[0].tool', message: 'RoB 2 is for rct studies; this study is cohort.' }],
    });
  });
});

describe('topics: overall certainty, bottom line, and answer cards by condition', () => {
  it('finds answer cards by condition with its sub-conditions, and lists them on the condition', async () => {
    const slugs = async (query: string) =>
      (await call('GET', `/v1/topics?${query}`)).body.items.map((t: { slug: string }) => t.slug);
    expect(await slugs('condition=melanoma')).toEqual(['gut-microbiome-and-skin']);
    expect(await slugs('condition=skin-cancer')).toEqual(['gut-microbiome-and-skin']);
    expect(await slugs('condition=skin-cancer&include_descendants=false')).toEqual([]);
    expect(await slugs('condition=DOID:3310')).toEqual(['gut-microbiome-and-skin']);
    const unknown = await call('GET', '/v1/topics?condition=narnia');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      {
        path: 'query.condition',
        message: "no condition is known by 'narnia' (slug, name, synonym or code)",
      },
    ]);
    const melanoma = await call('GET', '/v1/conditions/melanoma');
    expect(melanoma.body.topics).toEqual([
      {
        slug: 'gut-microbiome-and-skin',
        question: 'Does a healthy gut microbiome lead to better skin?',
        overall_certainty: 'very_low',
      },
    ]);
  });

  it('follows the condition graph (every parent, through the stored closure) and resolves a condition as claims do', async () => {
    // A second curated parent of melanoma: its answer cards are now under both parents, as its claims are.
    const created = await call('POST', '/v1/conditions', {
      slug: 'cancer-immunotherapy-targets',
      name: 'Immunotherapy targets',
    });
    expect(created.status).toBe(201);
    expect((await patch('/v1/conditions/melanoma', { parents: ['cancer-immunotherapy-targets'] })).status).toBe(200);
    const slugs = async (query: string) =>
      (await call('GET', `/v1/topics?${query}`)).body.items.map((t: { slug: string }) => t.slug);
    expect(await slugs('condition=cancer-immunotherapy-targets')).toEqual(['gut-microbiome-and-skin']);
    expect(await slugs('condition=skin-cancer')).toEqual(['gut-microbiome-and-skin']);
    expect((await call('GET', '/v1/conditions/cancer-immunotherapy-targets')).body.topics).toEqual([
      {
        slug: 'gut-microbiome-and-skin',
        question: 'Does a healthy gut microbiome lead to better skin?',
        overall_certainty: 'very_low',
      },
    ]);
    // An abbreviation the curated file marks ambiguous is a 400 listing the candidates, as for claims.
    const ambiguous = await call('GET', '/v1/topics?condition=MM');
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.code).toBe('conditions.ambiguous');
    expect(ambiguous.body.errors[0].path).toBe('query.condition');
  });

  it('refuses a bottom line that claims more than the overall certainty, naming the words', async () => {
    const res = await patch('/v1/topics/gut-microbiome-and-skin', {
      bottom_line:
        'There is clear evidence suggesting that a balanced gut flora contributes to healthier skin, but the evidence is still preliminary.',
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      rule: 'topic.bottom_line_within_certainty',
      phrases: [{ phrase: 'clear evidence', index: 9, needs: 'moderate' }],
      errors: [{ path: 'body.bottom_line' }],
    });
    expect(res.body.detail).toBe(
      "The bottom line claims more than an overall certainty of very low allows: 'clear evidence' (needs moderate). At this certainty GRADE's wording is \"the evidence is very uncertain about ...\" (GRADE guidelines 26).",
    );
  });

  it('refuses a claim grade that would leave a topic’s bottom line claiming too much', async () => {
    await call('POST', '/v1/studies', TRIAL);
    expect(
      (await call('POST', '/v1/claims', claim({ grade: { scheme: 'GRADE', level: 'high', rationale: 'x' } }))).status,
    ).toBe(201);
    const topic = await call('POST', '/v1/topics', {
      slug: 'probiotic-x-and-eczema',
      question: 'Does probiotic X help eczema?',
      bottom_line: 'Probiotic X is well documented to reduce eczema flares.',
      evidence_summary: 'One large trial.',
      claims: [claim().id],
      claim_importance: { [claim().id]: 'critical' },
    });
    expect(topic.status).toBe(201);
    expect(topic.body.overall_certainty).toMatchObject({ level: 'high', basis: 'critical_claims' });
    const lowered = await patch(`/v1/claims/${claim().id}`, {
      grade: {
        scheme: 'GRADE',
        level: 'low',
        rationale: 'x',
        domains: { imprecision: { judgement: 'very_serious', rationale: 'Few events.' } },
      },
    });
    expect(lowered.status).toBe(422);
    expect(lowered.body.rule).toBe('topic.bottom_line_within_certainty');
    expect(lowered.body.detail).toMatch(
      /^Topic 'probiotic-x-and-eczema' lists this claim, and with this grade its bottom line would claim too much\. The bottom line claims more than an overall certainty of low allows: 'well documented' \(needs moderate\)/,
    );
    // Retracting is never refused for it.
    const current = await call('GET', `/v1/claims/${claim().id}`);
    const retracted = await call(
      'DELETE',
      `/v1/claims/${claim().id}?reason=test`,
      undefined,
      current.headers.etag as string,
    );
    expect(retracted.status).toBe(200);
  });

  it('refuses an importance for a claim the topic does not list', async () => {
    const res = await patch('/v1/topics/gut-microbiome-and-skin', {
      claim_importance: { 'not-listed-here': 'critical' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      rule: 'topic.importance_of_listed_claims',
      errors: [{ path: 'body.claim_importance.not-listed-here', message: 'not in claims' }],
    });
  });
});

describe('reads as of a time', () => {
  it('serves a claim snapshot recorded before issue 16 with the new fields filled from it, never guessed', async () => {
    const moment = new Date().toISOString();
    const id = 'gut-flora-skin-health-overall';
    // Strip the snapshot of its new fields, as a revision written before the upgrade would be.
    const row = (await ctx.db.get(
      "SELECT id, snapshot FROM revisions WHERE entity = 'claim' AND entity_key = ? ORDER BY id DESC LIMIT 1",
      [id],
    )) as { id: number; snapshot: string };
    const old = JSON.parse(row.snapshot);
    delete old.pico;
    for (const field of ['domains', 'synthesis_of', 'override_reason', 'assessment']) delete old.grade[field];
    old.grade.level = 'low';
    old.sample_size = 242;
    old.evidence_summary = { study_count: 8, total_participants: 354 };
    for (const s of old.studies) {
      delete s.effect_estimates;
      delete s.risk_of_bias;
    }
    await ctx.db.run('UPDATE revisions SET snapshot = ? WHERE id = ?', [JSON.stringify(old), row.id]);
    const res = await call('GET', `/v1/claims/${id}?as_of=${moment}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      pico: null,
      sample_size: 242,
      grade: {
        level: 'low',
        domains: null,
        override_reason: null,
        assessment: { computed_level: 'very_low', overridden: false },
      },
      evidence_summary: { study_count: 3, strongest_design: 'narrative_review', context_study_count: 5 },
    });
    expect(res.body.studies[0]).toMatchObject({ effect_estimates: [], risk_of_bias: [] });
  });
});

describe('migration 0008 (evidence depth)', () => {
  it('recounts a stored sample_size from supporting studies only, and re-indexes claims with their PICO', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-migrate-'));
    const before = join(dir, 'migrations');
    // The migrations before this one, with their journal.
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'));
    const index = journal.entries.findIndex((e: { tag: string }) => e.tag === '0008_evidence_depth');
    mkdirSync(join(before, 'meta'), { recursive: true });
    for (const file of readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')))
      if (journal.entries.slice(0, index).some((e: { tag: string }) => file === `${e.tag}.sql`))
        copyFileSync(join(MIGRATIONS_FOLDER, file), join(before, file));
    writeFileSync(
      join(before, 'meta/_journal.json'),
      JSON.stringify({ ...journal, entries: journal.entries.slice(0, index) }),
    );
    const sqlite = new BetterSqlite3(join(dir, 'old.db'));
    migrate(drizzle(sqlite), { migrationsFolder: before });
    sqlite.exec(`INSERT INTO meta (key, value) VALUES ('data_version', '7');
      INSERT INTO studies (id, key, pmid, design, sample_size) VALUES (1, '1', '1', 'narrative_review', NULL), (2, '2', '2', 'cross_sectional', 242);
      INSERT INTO claims (id, statement, direction, grade_level, certainty, sample_size)
        VALUES ('overall', 'Gut and skin.', 'association', 'low', 2, 242), ('survey', 'Microbiomes differ.', 'association', 'low', 2, 242);
      INSERT INTO claim_studies (claim_id, study_id, relation, position)
        VALUES ('overall', 1, 'supports', 0), ('overall', 2, 'context', 1), ('survey', 2, 'supports', 0);`);
    migrate(drizzle(sqlite), { migrationsFolder: MIGRATIONS_FOLDER });
    expect(sqlite.prepare('SELECT id, sample_size, version FROM claims ORDER BY id').all()).toEqual([
      { id: 'overall', sample_size: null, version: 2 },
      { id: 'survey', sample_size: 242, version: 1 },
    ]);
    // The rank key (0007) moves with the sample size, in the same UPDATE (one version step), as the writers compute it.
    expect(
      sqlite.prepare(`SELECT rank_key, ${CLAIM_RANK_KEY_SQL} AS computed FROM claims WHERE id = 'overall'`).get(),
    ).toEqual({ rank_key: '5|06|1000000000001|99999999|overall', computed: '5|06|1000000000001|99999999|overall' });
    expect(sqlite.prepare("SELECT value FROM meta WHERE key = 'data_version'").pluck().get()).toBe('8');
    sqlite
      .prepare(
        "INSERT INTO claim_picos (claim_id, population, intervention, outcome) VALUES ('survey', 'Healthy adults', 'Diet', 'Gut bacteria')",
      )
      .run();
    const hits = sqlite
      .prepare("SELECT ref FROM search_index WHERE search_index MATCH 'healthy' AND kind = 'claim'")
      .pluck()
      .all();
    expect(hits).toEqual(['survey']);
    sqlite.close();
  });
});
