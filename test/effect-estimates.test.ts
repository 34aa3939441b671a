// Effect estimates: the numbers a reader can check, each mistake a path-named 422 error, and a direction that cannot reverse the claim.
import { describe, expect, it } from 'vitest';
import {
  checkEstimateDirection,
  describeEstimate,
  EffectEstimateInput,
  estimateSide,
  validateEffectEstimate,
} from '../src/evidence/effect-estimates.js';
import { violationOf } from '../src/evidence/violations.js';

const estimate = (overrides: Record<string, unknown> = {}) =>
  EffectEstimateInput.parse({
    measure: 'risk_ratio',
    value: 0.62,
    ci: { low: 0.45, high: 0.85 },
    p_value: 0.003,
    participants_analysed: 120,
    intervention_group: { label: 'Lactobacillus rhamnosus GG', participants: 60, events: 14 },
    comparator_group: { label: 'placebo', participants: 60, events: 23 },
    benefit_direction: 'lower',
    source: { location: 'table', label: 'Table 2' },
    ...overrides,
  });

describe('EffectEstimateInput', () => {
  it('fills what was not reported with null and the CI level with 0.95', () => {
    expect(
      EffectEstimateInput.parse({
        measure: 'odds_ratio',
        value: 2.1,
        benefit_direction: 'not_applicable',
        source: { location: 'text' },
      }),
    ).toEqual({
      measure: 'odds_ratio',
      value: 2.1,
      ci: null,
      p_value: null,
      p_value_comparator: '=',
      participants_analysed: null,
      intervention_group: null,
      comparator_group: null,
      outcome: null,
      timepoint: null,
      units: null,
      benefit_direction: 'not_applicable',
      adjusted_for: null,
      source: { location: 'text', label: null, quote: null },
    });
    expect(EffectEstimateInput.parse({ ...estimate(), ci: { low: 0.4, high: 0.9 } }).ci?.level).toBe(0.95);
  });

  it('rejects an unknown measure and a missing benefit direction as shapes', () => {
    const res = EffectEstimateInput.safeParse({
      measure: 'number_needed_to_treat',
      value: 4,
      source: { location: 'text' },
    });
    expect(res.error?.issues.map((i) => i.path.join('.'))).toEqual(['measure', 'benefit_direction']);
  });
});

describe('validateEffectEstimate', () => {
  it('accepts a consistent estimate', () => {
    expect(validateEffectEstimate(estimate())).toEqual([]);
  });

  it('refuses a CI that does not contain its estimate', () => {
    expect(validateEffectEstimate(estimate({ value: 0.95 }))).toEqual([
      {
        path: 'ci',
        rule: 'effect_estimate.ci_contains_estimate',
        message: 'the 95% CI 0.45 to 0.85 does not contain the estimate 0.95.',
      },
    ]);
  });

  it('refuses a CI whose limits are swapped', () => {
    expect(validateEffectEstimate(estimate({ ci: { low: 0.85, high: 0.45, level: 0.95 } }))).toEqual([
      {
        path: 'ci',
        rule: 'effect_estimate.ci_ordered',
        message: 'the lower limit 0.85 is above the upper limit 0.45.',
      },
    ]);
  });

  it('refuses a negative ratio and a ratio limit at zero', () => {
    const errors = validateEffectEstimate(
      estimate({ measure: 'hazard_ratio', value: -0.8, ci: { low: 0, high: 1.2, level: 0.9 } }),
    );
    expect(errors.map((e) => [e.path, e.rule])).toEqual([
      ['value', 'effect_estimate.ratio_positive'],
      ['ci.low', 'effect_estimate.ratio_positive'],
      ['ci', 'effect_estimate.ci_contains_estimate'],
    ]);
    expect(errors[0]?.message).toBe(
      'a hazard ratio must be greater than 0 (got -0.8): ratios are never negative or zero.',
    );
    expect(errors[2]?.message).toBe('the 90% CI 0 to 1.2 does not contain the estimate -0.8.');
  });

  it.each([
    [-0.01, 'p_value'],
    [1.5, 'p_value'],
  ])('refuses the p-value %s outside [0, 1]', (p, path) => {
    expect(validateEffectEstimate(estimate({ p_value: p }))).toEqual([
      { path, rule: 'effect_estimate.p_value_range', message: `a p-value lies from 0 to 1 (got ${p}).` },
    ]);
  });

  it('accepts the bounds of a p-value, including a reported bound such as P < 0.001', () => {
    expect(validateEffectEstimate(estimate({ p_value: 0.001, p_value_comparator: '<' }))).toEqual([]);
    expect(validateEffectEstimate(estimate({ p_value: 1 }))).toEqual([]);
  });

  it('refuses a percentage given as a proportion, a correlation beyond 1 and a CI level given in percent', () => {
    const proportion = validateEffectEstimate(
      estimate({ measure: 'proportion', value: 45, ci: null, benefit_direction: 'higher' }),
    );
    expect(proportion).toEqual([
      {
        path: 'value',
        rule: 'effect_estimate.proportion_range',
        message: 'a proportion is a fraction from 0 to 1 (got 45); write 45% as 0.45.',
      },
    ]);
    expect(validateEffectEstimate(estimate({ measure: 'correlation', value: 1.2, ci: null }))[0]?.rule).toBe(
      'effect_estimate.correlation_range',
    );
    expect(validateEffectEstimate(estimate({ measure: 'risk_difference', value: -1.5, ci: null }))[0]?.rule).toBe(
      'effect_estimate.risk_difference_range',
    );
    expect(validateEffectEstimate(estimate({ ci: { low: 0.45, high: 0.85, level: 95 } }))).toEqual([
      {
        path: 'ci.level',
        rule: 'effect_estimate.ci_level_fraction',
        message: 'the confidence level is a fraction such as 0.95 (got 95).',
      },
    ]);
  });

  it('refuses more events than participants and groups larger than the analysis', () => {
    const errors = validateEffectEstimate(
      estimate({
        participants_analysed: 100,
        intervention_group: { label: 'LGG', participants: 60, events: 61 },
      }),
    );
    expect(errors).toEqual([
      {
        path: 'intervention_group.events',
        rule: 'effect_estimate.events_within_participants',
        message: '61 events cannot exceed the 60 participants of the group.',
      },
      {
        path: 'participants_analysed',
        rule: 'effect_estimate.participants_add_up',
        message: 'the groups hold 120 participants, more than the 100 analysed.',
      },
    ]);
  });

  it('asks a mean difference for its units', () => {
    expect(
      validateEffectEstimate(estimate({ measure: 'mean_difference', value: -3.2, ci: { low: -5, high: -1.4 } })),
    ).toEqual([
      {
        path: 'units',
        rule: 'effect_estimate.units_required',
        message: 'a mean difference is in the units of its outcome: state them, e.g. `points on EASI`.',
      },
    ]);
  });

  it('folds into one 422 violation whose errors name the full path', () => {
    const violation = violationOf(validateEffectEstimate(estimate({ p_value: 2 })), 'studies[0].effect_estimates[1]');
    expect(violation).toEqual({
      rule: 'effect_estimate.p_value_range',
      detail: 'studies[0].effect_estimates[1].p_value: a p-value lies from 0 to 1 (got 2).',
      errors: [{ path: 'studies[0].effect_estimates[1].p_value', message: 'a p-value lies from 0 to 1 (got 2).' }],
    });
    expect(violationOf([])).toBeNull();
  });
});

describe('estimateSide and checkEstimateDirection', () => {
  it('reads the CI through the benefit direction', () => {
    expect(estimateSide(estimate())).toBe('favours_intervention');
    expect(estimateSide(estimate({ benefit_direction: 'higher' }))).toBe('favours_comparator');
    expect(estimateSide(estimate({ ci: { low: 0.45, high: 1.3 } }))).toBe('unclear');
    expect(estimateSide(estimate({ ci: null }))).toBe('unclear');
    expect(estimateSide(estimate({ benefit_direction: 'not_applicable' }))).toBe('below_no_effect');
  });

  it('refuses a supporting estimate that favours the comparator on a claim of benefit', () => {
    expect(
      checkEstimateDirection('supports', 'benefit', estimate({ value: 1.6, ci: { low: 1.2, high: 2.1 } })),
    ).toEqual({
      rule: 'effect_estimate.direction_matches_relation',
      detail:
        'RR 1.6 (95% CI 1.2 to 2.1; p = 0.003; n = 120) favours the comparator, so it cannot support a claim of benefit: link the study as contradicts, or check benefit_direction.',
    });
  });

  it('refuses a supporting estimate that excludes no effect on a claim of no effect, and a contradicting one that shows the benefit', () => {
    expect(checkEstimateDirection('supports', 'no_effect', estimate())?.detail).toContain(
      'excludes no effect, so it cannot support a claim of no effect.',
    );
    expect(checkEstimateDirection('contradicts', 'benefit', estimate())?.detail).toContain(
      'favours the intervention, so it supports a claim of benefit rather than contradicting it.',
    );
  });

  it('accepts agreeing estimates, estimates without a clear side, and associations', () => {
    expect(checkEstimateDirection('supports', 'benefit', estimate())).toBeNull();
    expect(checkEstimateDirection('supports', 'benefit', estimate({ ci: { low: 0.5, high: 1.4 } }))).toBeNull();
    expect(
      checkEstimateDirection('supports', 'association', estimate({ benefit_direction: 'not_applicable' })),
    ).toBeNull();
    expect(
      checkEstimateDirection('context', 'benefit', estimate({ value: 1.6, ci: { low: 1.2, high: 2.1 } })),
    ).toBeNull();
  });
});

describe('describeEstimate', () => {
  it('writes the estimate as a reader expects it', () => {
    expect(describeEstimate(estimate())).toBe('RR 0.62 (95% CI 0.45 to 0.85; p = 0.003; n = 120)');
    expect(
      describeEstimate(
        estimate({
          measure: 'mean_difference',
          value: -3.2,
          units: 'points on EASI',
          ci: { low: -5, high: -1.4, level: 0.9 },
          p_value: 0.01,
          p_value_comparator: '<',
          participants_analysed: null,
        }),
      ),
    ).toBe('MD -3.2 points on EASI (90% CI -5 to -1.4; p < 0.01)');
  });
});
