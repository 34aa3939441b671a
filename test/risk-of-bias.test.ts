// Risk of bias per study: each tool's own domains and vocabulary, and the overall judgement each tool's algorithm allows.
import { describe, expect, it } from 'vitest';
import {
  overallRiskOfBias,
  RISK_OF_BIAS_TOOL_SPECS,
  RiskOfBiasInput,
  type RiskOfBiasTool,
  riskOfBiasToFhirContent,
  validateRiskOfBias,
} from '../src/evidence/risk-of-bias.js';

/** Judgements for every domain of a tool, in the tool's order. */
const judged = (tool: RiskOfBiasTool, judgements: (string | number)[]) =>
  RISK_OF_BIAS_TOOL_SPECS[tool].domains.map((d, i) => ({
    domain: d.id,
    judgement: judgements[i] as string | number,
    support: `Support for ${d.id}.`,
  }));

const assessment = (tool: RiskOfBiasTool, judgements: (string | number)[], overall: string) =>
  RiskOfBiasInput.parse({
    tool,
    domains: judged(tool, judgements),
    overall,
    source: { kind: 'curator' },
    assessor: 'alice',
    assessed_on: '2025-01-31',
  });

describe('RoB 2 overall (Sterne et al. 2019, Table 2)', () => {
  it('is low only when every domain is low', () => {
    expect(overallRiskOfBias('rob_2', judged('rob_2', ['low', 'low', 'low', 'low', 'low']))).toMatchObject({
      computed: 'low',
      allowed: ['low'],
    });
  });

  it('is some concerns with one domain of some concerns', () => {
    expect(overallRiskOfBias('rob_2', judged('rob_2', ['low', 'some_concerns', 'low', 'low', 'low'])).allowed).toEqual([
      'some_concerns',
    ]);
  });

  it('is the worst domain: one high domain makes it high', () => {
    const overall = overallRiskOfBias('rob_2', judged('rob_2', ['low', 'some_concerns', 'high', 'low', 'low']));
    expect(overall).toEqual({
      computed: 'high',
      allowed: ['high'],
      rule: '1 domain(s) at high risk: overall high (the least favourable domain).',
      source: 'Sterne et al., BMJ 2019;366:l4898, Table 2; Cochrane Handbook v6 chapter 8',
    });
  });

  it('lets multiple some concerns be judged high, or stay some concerns', () => {
    const overall = overallRiskOfBias(
      'rob_2',
      judged('rob_2', ['some_concerns', 'some_concerns', 'low', 'low', 'low']),
    );
    expect(overall.computed).toBe('some_concerns');
    expect(overall.allowed).toEqual(['some_concerns', 'high']);
    expect(
      validateRiskOfBias(assessment('rob_2', ['some_concerns', 'some_concerns', 'low', 'low', 'low'], 'high')),
    ).toEqual([]);
  });

  it('refuses an overall better than the worst domain, citing the rule', () => {
    expect(validateRiskOfBias(assessment('rob_2', ['low', 'low', 'low', 'high', 'low'], 'some_concerns'))).toEqual([
      {
        path: 'overall',
        rule: 'risk_of_bias.overall_follows_tool',
        message:
          "RoB 2 gives 'high' here, not 'some_concerns': 1 domain(s) at high risk: overall high (the least favourable domain). (Sterne et al., BMJ 2019;366:l4898, Table 2; Cochrane Handbook v6 chapter 8)",
      },
    ]);
  });
});

describe('ROBINS-I overall (Sterne et al. 2016, Table 2)', () => {
  it.each([
    [['low', 'low', 'low', 'low', 'low', 'low', 'low'], ['low']],
    [['low', 'moderate', 'low', 'low', 'moderate', 'low', 'low'], ['moderate']],
    [['moderate', 'serious', 'low', 'low', 'low', 'low', 'moderate'], ['serious']],
    [['serious', 'critical', 'low', 'no_information', 'low', 'low', 'low'], ['critical']],
    [
      ['moderate', 'low', 'no_information', 'low', 'low', 'low', 'low'],
      ['no_information', 'moderate'],
    ],
    [
      [
        'no_information',
        'no_information',
        'no_information',
        'no_information',
        'no_information',
        'no_information',
        'no_information',
      ],
      ['no_information'],
    ],
  ])('gives %j the overall %j', (judgements, allowed) => {
    expect(overallRiskOfBias('robins_i', judged('robins_i', judgements)).allowed).toEqual(allowed);
  });

  it('refuses a moderate overall when a domain is serious', () => {
    const errors = validateRiskOfBias(
      assessment('robins_i', ['serious', 'low', 'low', 'low', 'low', 'low', 'low'], 'moderate'),
    );
    expect(errors.map((e) => [e.path, e.rule])).toEqual([['overall', 'risk_of_bias.overall_follows_tool']]);
    expect(errors[0]?.message).toContain("ROBINS-I gives 'serious' here, not 'moderate'");
  });
});

describe('Newcastle-Ottawa stars and the AHRQ conversion', () => {
  it.each([
    // selection (4 items), comparability (0-2), outcome (3 items)
    [[1, 1, 1, 1, 2, 1, 1, 1], 'good', 9],
    [[1, 1, 1, 0, 1, 1, 1, 0], 'good', 6],
    [[1, 1, 0, 0, 1, 1, 1, 0], 'fair', 5],
    [[1, 0, 0, 0, 2, 1, 1, 1], 'poor', 6],
    [[1, 1, 1, 1, 0, 1, 1, 1], 'poor', 7],
    [[1, 1, 1, 1, 2, 1, 0, 0], 'poor', 7],
  ])('rates cohort stars %j %s (%i stars)', (stars, overall, total) => {
    const result = overallRiskOfBias('nos_cohort', judged('nos_cohort', stars));
    expect(result.allowed).toEqual([overall]);
    expect(result.stars?.total).toBe(total);
  });

  it('explains the case-control conversion by exposure stars', () => {
    expect(overallRiskOfBias('nos_case_control', judged('nos_case_control', [1, 1, 1, 1, 1, 1, 1, 0])).rule).toBe(
      '4 selection, 1 comparability and 2 exposure stars (7 of 9): AHRQ good (good: 3-4 selection, 1-2 comparability, 2-3 exposure; fair: 2 selection with the same; poor: 0-1 selection, 0 comparability or 0-1 exposure).',
    );
  });

  it('refuses more stars than an item gives', () => {
    expect(validateRiskOfBias(assessment('nos_cohort', [2, 1, 1, 1, 3, 1, 1, 1], 'good'))).toEqual([
      {
        path: 'domains[0].judgement',
        rule: 'risk_of_bias.judgement_of_tool',
        message: "'representativeness_of_the_exposed_cohort' takes 0 to 1 star (got 2).",
      },
      {
        path: 'domains[4].judgement',
        rule: 'risk_of_bias.judgement_of_tool',
        message: "'comparability_of_cohorts' takes 0 to 2 stars (got 3).",
      },
    ]);
  });
});

describe('AMSTAR 2 overall (Shea et al. 2017, Box 2)', () => {
  const allYes = Array.from({ length: 16 }, () => 'yes');
  const answers = (changes: Record<number, string>) => allYes.map((a, i) => changes[i + 1] ?? a);

  it('is high with at most one non-critical weakness', () => {
    expect(overallRiskOfBias('amstar_2', judged('amstar_2', answers({ 10: 'no' }))).allowed).toEqual(['high']);
  });

  it('is moderate, or low, with more than one non-critical weakness', () => {
    expect(overallRiskOfBias('amstar_2', judged('amstar_2', answers({ 3: 'no', 10: 'no' }))).allowed).toEqual([
      'moderate',
      'low',
    ]);
  });

  it('is low with one critical flaw and critically low with more', () => {
    const one = overallRiskOfBias('amstar_2', judged('amstar_2', answers({ 7: 'no', 10: 'no', 3: 'no' })));
    expect(one).toMatchObject({ allowed: ['low'], critical_flaws: ['excluded_studies_justified'] });
    const two = overallRiskOfBias('amstar_2', judged('amstar_2', answers({ 2: 'no', 15: 'no' })));
    expect(two.allowed).toEqual(['critically_low']);
    expect(two.rule).toBe(
      '2 critical flaw(s) (protocol_established_in_advance, publication_bias_investigated) and 0 non-critical weakness(es): more than one critical flaw gives critically low.',
    );
  });

  it('counts partial yes and no meta-analysis as no flaw', () => {
    expect(
      overallRiskOfBias(
        'amstar_2',
        judged('amstar_2', answers({ 2: 'partial_yes', 4: 'partial_yes', 11: 'no_meta_analysis' })),
      ).allowed,
    ).toEqual(['high']);
  });

  it('refuses an answer the item does not allow', () => {
    expect(validateRiskOfBias(assessment('amstar_2', answers({ 1: 'partial_yes' }), 'high'))).toEqual([
      {
        path: 'domains[0].judgement',
        rule: 'risk_of_bias.judgement_of_tool',
        message: '\'pico_components\' is answered yes, no (got "partial_yes").',
      },
    ]);
  });
});

describe('validateRiskOfBias', () => {
  it("refuses a domain of another tool, a repeated domain and a missing one, naming the tool's domains", () => {
    const a = assessment('rob_2', ['low', 'low', 'low', 'low', 'low'], 'low');
    a.domains[0] = { domain: 'confounding', judgement: 'low', support: 'x' };
    a.domains[2] = { ...a.domains[1]! };
    expect(validateRiskOfBias(a)).toEqual([
      {
        path: 'domains[0].domain',
        rule: 'risk_of_bias.domain_of_tool',
        message:
          "'confounding' is not a RoB 2 domain; its domains are randomisation_process, deviations_from_intended_interventions, missing_outcome_data, measurement_of_the_outcome, selection_of_the_reported_result.",
      },
      {
        path: 'domains[2].domain',
        rule: 'risk_of_bias.domain_once',
        message: "'deviations_from_intended_interventions' is judged more than once.",
      },
      {
        path: 'domains',
        rule: 'risk_of_bias.all_domains',
        message: 'RoB 2 needs every domain judged; missing: randomisation_process, missing_outcome_data.',
      },
    ]);
  });

  it("refuses another tool's judgement words", () => {
    expect(validateRiskOfBias(assessment('rob_2', ['low', 'moderate', 'low', 'low', 'low'], 'serious'))).toEqual([
      {
        path: 'domains[1].judgement',
        rule: 'risk_of_bias.judgement_of_tool',
        message: '"moderate" is not a RoB 2 judgement (low, some_concerns, high).',
      },
      {
        path: 'overall',
        rule: 'risk_of_bias.judgement_of_tool',
        message: "'serious' is not a RoB 2 overall judgement (low, some_concerns, high).",
      },
    ]);
  });

  it('refuses a tool that does not fit the study design, and a review source without its PMID', () => {
    const a = RiskOfBiasInput.parse({
      ...assessment('rob_2', ['low', 'low', 'low', 'low', 'low'], 'low'),
      source: { kind: 'systematic_review' },
    });
    expect(validateRiskOfBias(a, 'cohort').map((e) => [e.path, e.rule, e.message])).toEqual([
      ['tool', 'risk_of_bias.tool_fits_design', 'RoB 2 is for rct studies; this study is cohort.'],
      [
        'source.pmid',
        'risk_of_bias.source_pmid',
        'an assessment taken from a systematic review names the review by its PMID.',
      ],
    ]);
    expect(validateRiskOfBias(a, null).map((e) => e.rule)).toEqual(['risk_of_bias.source_pmid']);
  });
});

describe('RiskOfBiasInput', () => {
  it('requires support text for every domain, the assessor and the date', () => {
    const res = RiskOfBiasInput.safeParse({
      tool: 'rob_2',
      domains: [{ domain: 'randomisation_process', judgement: 'low' }],
      overall: 'low',
      source: { kind: 'curator' },
      assessed_on: '31/01/2025',
    });
    expect(res.error?.issues.map((i) => i.path.join('.'))).toEqual(['domains.0.support', 'assessor', 'assessed_on']);
  });
});

describe('riskOfBiasToFhirContent', () => {
  it('maps an assessment to an ArtifactAssessment rating with one component per domain', () => {
    const content = riskOfBiasToFhirContent(
      assessment('rob_2', ['low', 'some_concerns', 'low', 'low', 'low'], 'some_concerns'),
    );
    expect(content).toMatchObject({
      informationType: 'rating',
      type: { coding: [{ system: 'http://hl7.org/fhir/certainty-type', code: 'RiskOfBias' }], text: 'RoB 2' },
      classifier: [{ text: 'some_concerns' }],
      author: { display: 'alice' },
    });
    expect(content.component[1]).toEqual({
      informationType: 'rating',
      summary: 'Support for deviations_from_intended_interventions.',
      type: { text: 'Bias due to deviations from intended interventions' },
      classifier: [{ text: 'some_concerns' }],
    });
  });
});
