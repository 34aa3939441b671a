// GET /v1/topics and /v1/topics/{slug}: the answer card with its curated claims, their grades and studies, and errors.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { certaintyOf } from '../src/evidence/grades.js';
import { type App, getJson, PROBLEM_TYPE, type Problem, type Response, seed, testApp, walkPages } from './helpers.js';

const SLUG = 'gut-microbiome-and-skin';
const seedTopic = seed.topics.find((t) => t.slug === SLUG);
if (!seedTopic) throw new Error(`seed has no topic ${SLUG}`);
const topic = seedTopic;
const claimById = new Map(seed.claims.map((c) => [c.id, c]));
const topicClaims = topic.claims.flatMap((id) => {
  const claim = claimById.get(id);
  return claim && claim.status === 'published' ? [claim] : [];
});

// Line 1 of test/fixtures/seed/gut-skin-axis.txt, word for word.
const QUESTION = 'Does a healthy gut microbiome lead to better skin?';
// Line 2 in the document's words, worded within the topic's very low certainty (issue 16; see test/seed.test.ts).
const BOTTOM_LINE =
  'The evidence is very uncertain about whether a balanced gut flora contributes to healthier skin: it is still preliminary, and concrete advice about probiotics is not yet available. A varied, fibre-rich diet is currently the lowest-risk way to support your gut flora.';
// Its last line, with the PMIDs it cites, and the gap in knowledge its line 7 names.
const EVIDENCE_SUMMARY =
  'Based on multiple reviews and observational studies (PMID 35866234, 34785010, 27554239, 35393656, 35461318, 37513540, 29097493, 22699609). No large randomised clinical trials available for probiotics and skin. Melanoma study is observational, n=112. Which probiotics, at which dose and for which condition have the greatest effect remains unclear.';
const OVERALL_CERTAINTY = {
  level: 'very_low',
  certainty: 1,
  basis: 'critical_claims',
  determined_by: [
    'gut-flora-skin-health-overall',
    'gut-dysbiosis-eczema-association',
    'gut-dysbiosis-psoriasis-association',
    'gut-dysbiosis-acne-association',
    'gut-dysbiosis-rosacea-association',
    'probiotics-prebiotics-eczema',
    'probiotics-prebiotics-acne',
  ],
};

function expectProblem(res: Response<Problem>, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
  expect(res.body).toMatchObject({ type: `urn:evidence-api:problem:${code}`, status, code });
  expect(typeof res.body.request_id).toBe('string');
}

describe('topics', () => {
  let app: App;

  beforeAll(async () => {
    ({ app } = await testApp());
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /v1/topics', () => {
    it('lists the seeded topics in slug order with question, bottom line and claim count', async () => {
      const res = await getJson(app, '/v1/topics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body.items.map((t: { slug: string }) => t.slug)).toEqual(seed.topics.map((t) => t.slug).sort());
      expect(res.body.items[0]).toMatchObject({
        slug: SLUG,
        question: QUESTION,
        bottom_line: BOTTOM_LINE,
        evidence_summary: EVIDENCE_SUMMARY,
        claim_count: topicClaims.length,
        overall_certainty: OVERALL_CERTAINTY,
      });
      // 12 claims listed, 10 published: the two resting only on context studies are drafts.
      expect(res.body.items[0].claim_count).toBe(10);
      expect(res.body.next_cursor).toBeNull();
    });

    it('walks pages of one to exactly the unpaginated list', async () => {
      const all = await getJson(app, '/v1/topics?limit=100');
      const walked = await walkPages(app, '/v1/topics?limit=1');
      expect(walked.items).toEqual(all.body.items);
      expect(walked.pages).toBe(seed.topics.length);
    });

    it('rejects an unknown parameter by name', async () => {
      const res = await getJson(app, '/v1/topics?q=skin');
      expectProblem(res, 400, 'request.unknown_parameter');
      expect(res.body.errors).toEqual([{ path: 'query.q', message: 'unknown parameter' }]);
    });

    it('rejects limit=0', async () => {
      const res = await getJson(app, '/v1/topics?limit=0');
      expectProblem(res, 400, 'request.validation_failed');
      expect(res.body.errors[0].path).toBe('query.limit');
    });
  });

  describe('GET /v1/topics/{slug}', () => {
    it('answers the question with the bottom line of the source document', async () => {
      const res = await getJson(app, `/v1/topics/${SLUG}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body.slug).toBe(SLUG);
      expect(res.body.question).toBe(QUESTION);
      expect(res.body.bottom_line).toBe(BOTTOM_LINE);
      expect(res.body.evidence_summary).toBe(EVIDENCE_SUMMARY);
      expect(res.body.claim_count).toBe(topicClaims.length);
    });

    it('states its overall certainty: very low, the lowest among its seven critical claims', async () => {
      const res = await getJson(app, `/v1/topics/${SLUG}`);
      expect(res.body.overall_certainty).toMatchObject({
        ...OVERALL_CERTAINTY,
        considered: OVERALL_CERTAINTY.determined_by,
        excluded: [
          { id: 'gut-skin-axis-mechanism', reason: 'rated important, not critical' },
          { id: 'melanoma-microbiome-immunotherapy-response', reason: 'rated important, not critical' },
          { id: 'no-universal-ideal-gut-microbiome', reason: 'rated important, not critical' },
        ],
      });
      expect(res.body.overall_certainty.explanation).toBe(
        'Very low: the lowest certainty among its 7 critical claim(s), from gut-flora-skin-health-overall, gut-dysbiosis-eczema-association, gut-dysbiosis-psoriasis-association, gut-dysbiosis-acne-association, gut-dysbiosis-rosacea-association, probiotics-prebiotics-eczema, probiotics-prebiotics-acne (GRADE guidelines 11).',
      );
      expect(res.body.claim_importance['melanoma-microbiome-immunotherapy-response']).toBe('important');
      expect(res.body.claim_importance['probiotic-strain-dose-unknown']).toBeUndefined();
    });

    it('lists the claims in the curated order of the seed', async () => {
      const res = await getJson(app, `/v1/topics/${SLUG}`);
      expect(res.status).toBe(200);
      expect(res.body.claims.map((c: { id: string }) => c.id)).toEqual(topicClaims.map((c) => c.id));
      expect(res.body.claims[0].id).toBe('gut-flora-skin-health-overall');
    });

    it('gives each claim its grade, caveats, condition and studies as curated', async () => {
      const res = await getJson(app, `/v1/topics/${SLUG}`);
      expect(res.status).toBe(200);
      for (const [i, expected] of topicClaims.entries()) {
        const claim = res.body.claims[i];
        expect(claim.statement).toBe(expected.statement);
        expect(claim.plain_summary).toBe(expected.plain_summary);
        expect(claim.status).toBe('published');
        expect(claim.direction).toBe(expected.direction);
        expect(claim.grade).toMatchObject({
          scheme: expected.grade.scheme,
          level: expected.grade.level,
          certainty: certaintyOf(expected.grade.scheme, expected.grade.level),
          rationale: expected.grade.rationale,
          upgrade_rationale: null,
          rating: null,
          domains: expected.grade.domains === null ? null : expect.any(Object),
          override_reason: null,
        });
        expect(claim.grade.assessment.computed_level).toBe(expected.grade.level);
        expect(claim.pico).toEqual(expected.pico);
        expect(claim.caveats).toEqual(expected.caveats);
        expect(claim.condition?.slug ?? null).toBe(expected.condition);
        expect(claim.interventions.map((x: { slug: string }) => x.slug)).toEqual(expected.interventions);
        expect(
          claim.studies.map((s: { pmid: string; relation: string; finding: string | null }) => ({
            pmid: s.pmid,
            relation: s.relation,
            finding: s.finding,
          })),
        ).toEqual(expected.studies.map((s) => ({ pmid: s.pmid, relation: s.relation, finding: s.finding })));
      }
    });

    it('shows the melanoma claim with its study, subgroup and evidence summary', async () => {
      const res = await getJson(app, `/v1/topics/${SLUG}`);
      const claim = res.body.claims.find((c: { id: string }) => c.id === 'melanoma-microbiome-immunotherapy-response');
      expect(claim).toMatchObject({
        condition: { slug: 'melanoma', name: 'Melanoma' },
        grade: { scheme: 'GRADE', level: 'very_low', certainty: 1, assessment: { start: { level: 'low' } } },
        sample_size: 112,
        studies: [
          {
            pmid: '29097493',
            journal: 'Science',
            year: 2018,
            design: 'cohort',
            sample_size: 112,
            relation: 'supports',
            subgroup_sample_size: 43,
            metadata_status: 'partial',
          },
        ],
        evidence_summary: { study_count: 1, strongest_design: 'cohort', total_participants: 112, has_rct: false },
      });
    });

    it('summarises the 8 distinct PMIDs behind its claims: 5 support a claim, 3 are context only, none an RCT', async () => {
      const res = await getJson(app, `/v1/topics/${SLUG}`);
      expect(res.status).toBe(200);
      const distinct = new Set(topicClaims.flatMap((c) => c.studies.map((s) => s.pmid)));
      expect(distinct.size).toBe(8);
      const supporting = new Set(
        topicClaims.flatMap((c) => c.studies.filter((s) => s.relation === 'supports').map((s) => s.pmid)),
      );
      expect(supporting.size).toBe(5);
      expect(res.body.evidence_overview).toEqual({
        study_count: 5,
        studies_by_design: [
          { design: 'cohort', count: 1 },
          { design: 'cross_sectional', count: 1 },
          { design: 'narrative_review', count: 3 },
        ],
        total_participants: 112 + 242,
        studies_with_unknown_sample_size: 3,
        strongest_design: 'cohort',
        has_rct: false,
        has_systematic_review: false,
        sample_size: 242,
        contradicting_study_count: 0,
        contradicting_participants: null,
        context_study_count: 3,
      });
    });

    it('cites exactly the PMIDs the source document names', async () => {
      const res = await getJson(app, `/v1/topics/${SLUG}`);
      const cited = new Set<string>(
        res.body.claims.flatMap((c: { studies: { pmid: string }[] }) => c.studies.map((s) => s.pmid)),
      );
      const named = [...EVIDENCE_SUMMARY.matchAll(/\b\d{8}\b/g)].map((m) => m[0]);
      expect([...cited].sort()).toEqual(named.sort());
    });

    it('answers an unknown topic with a 404 problem', async () => {
      const res = await getJson(app, '/v1/topics/coffee-and-skin');
      expectProblem(res, 404, 'topics.not_found');
      expect(res.body.title).toBe('Not found');
      expect(res.body.detail).toBe("No topic has slug 'coffee-and-skin'.");
      expect(res.body.instance).toBe('/v1/topics/coffee-and-skin');
      expect(res.headers.etag).toBeUndefined();
    });

    it('rejects a slug that is not lower-case words and hyphens', async () => {
      const res = await getJson(app, '/v1/topics/Bad_Slug');
      expectProblem(res, 400, 'request.validation_failed');
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].path).toBe('params.slug');
      expect(res.body.instance).toBe('/v1/topics/Bad_Slug');
    });
  });
});

describe('GET /v1/topics with an unpublished claim', () => {
  let app: App;
  const DRAFT = 'gut-dysbiosis-rosacea-association';

  beforeEach(async () => {
    const built = await testApp();
    app = built.app;
    await built.db.run("UPDATE claims SET status = 'draft' WHERE id = ?", [DRAFT]);
  });
  afterEach(async () => {
    await app.close();
  });

  it('leaves a draft claim off the answer card', async () => {
    const res = await getJson(app, `/v1/topics/${SLUG}`);
    expect(res.status).toBe(200);
    expect(res.body.claims.map((c: { id: string }) => c.id)).toEqual(
      topicClaims.filter((c) => c.id !== DRAFT).map((c) => c.id),
    );
    expect(res.body.claim_count).toBe(topicClaims.length - 1);
  });

  it('counts only published claims in the list, as the detail does', async () => {
    const list = await getJson(app, '/v1/topics');
    const detail = await getJson(app, `/v1/topics/${SLUG}`);
    expect(list.status).toBe(200);
    expect(detail.body.claim_count).toBe(topicClaims.length - 1);
    expect(list.body.items[0].claim_count).toBe(detail.body.claim_count);
  });
});
