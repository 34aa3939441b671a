// Effect estimates on a claim-study link: the measure, value and confidence interval, where in the study they come from, and the checks that catch a mistyped or reversed number.
import { z } from 'zod';
import type { FieldViolation, RuleViolation } from './violations.js';
import type { Direction, StudyRelation } from './vocabulary.js';

/**
 * Effect measures (Cochrane Handbook v6.4 chapter 6, "Choosing effect measures"). Ratios (risk, odds, hazard) have no
 * unit and no effect at 1; differences (mean, standardised mean, risk) have no effect at 0; a proportion (response
 * rate) is a fraction 0-1 in one group; a correlation is Pearson's or Spearman's coefficient, -1 to 1.
 */
export const EFFECT_MEASURES = [
  'risk_ratio',
  'odds_ratio',
  'hazard_ratio',
  'mean_difference',
  'standardised_mean_difference',
  'risk_difference',
  'proportion',
  'correlation',
] as const;
export type EffectMeasure = (typeof EFFECT_MEASURES)[number];

const RATIOS = new Set<EffectMeasure>(['risk_ratio', 'odds_ratio', 'hazard_ratio']);
/** The value that means "no difference"; a proportion describes one group and has none. */
export const NO_EFFECT_VALUE: Record<EffectMeasure, number | null> = {
  risk_ratio: 1,
  odds_ratio: 1,
  hazard_ratio: 1,
  mean_difference: 0,
  standardised_mean_difference: 0,
  risk_difference: 0,
  proportion: null,
  correlation: 0,
};
const ABBREVIATION: Record<EffectMeasure, string> = {
  risk_ratio: 'RR',
  odds_ratio: 'OR',
  hazard_ratio: 'HR',
  mean_difference: 'MD',
  standardised_mean_difference: 'SMD',
  risk_difference: 'RD',
  proportion: 'proportion',
  correlation: 'r',
};
const MEASURE_TEXT = (m: EffectMeasure) => m.replaceAll('_', ' ');

/** Which values favour the intervention (or exposed group); `not_applicable` for an association with no good side. */
export const BENEFIT_DIRECTIONS = ['higher', 'lower', 'not_applicable'] as const;
export type BenefitDirection = (typeof BENEFIT_DIRECTIONS)[number];

/** Where in the study the numbers are printed, so a reader can check them. */
export const ESTIMATE_LOCATIONS = ['abstract', 'text', 'table', 'figure', 'supplement'] as const;

const headCount = (description: string) =>
  z.number().int().min(0).max(1_000_000_000).nullable().default(null).describe(description);

const Group = (role: string) =>
  z
    .object({
      label: z.string().min(1).max(200).describe(`What the ${role} group received or was, as the study names it.`),
      participants: headCount('Participants analysed in this group; null when not reported.'),
      events: headCount('Participants with the outcome event (dichotomous outcomes); null when not reported.'),
    })
    .strict()
    .nullable()
    .default(null);

/** One effect estimate as a curator writes it on a claim-study link. */
export const EffectEstimateInput = z
  .object({
    measure: z.enum(EFFECT_MEASURES).describe('Effect measure.').meta({ example: 'risk_ratio' }),
    value: z
      .number()
      .describe(
        'Point estimate. Ratios as ratios (0.62), proportions and risk differences as fractions (0.45, not 45).',
      )
      .meta({ example: 0.62 }),
    ci: z
      .object({
        low: z.number().describe('Lower confidence limit, same scale as `value`.'),
        high: z.number().describe('Upper confidence limit, same scale as `value`.'),
        level: z.number().default(0.95).describe('Confidence level as a fraction, e.g. 0.95 for a 95% CI.'),
      })
      .strict()
      .nullable()
      .default(null)
      .describe('Confidence interval; null when the study reports none.')
      .meta({ example: { low: 0.45, high: 0.85, level: 0.95 } }),
    p_value: z.number().nullable().default(null).describe('P-value, 0 to 1; null when not reported.').meta({
      example: 0.003,
    }),
    p_value_comparator: z
      .enum(['=', '<', '<='])
      .default('=')
      .describe('`<` when the study reports only a bound, e.g. "P < 0.01" is `p_value` 0.01 with `<`.'),
    participants_analysed: headCount('Participants in this analysis, all groups; null when not reported.').meta({
      example: 43,
    }),
    intervention_group: Group('intervention (or exposed)').describe(
      'The intervention group, or the exposed group of an observational comparison (FHIR variable role `exposure`).',
    ),
    comparator_group: Group('comparator (or reference)').describe(
      'The comparator group, or the reference group of an observational comparison (FHIR `referenceExposure`).',
    ),
    outcome: z
      .string()
      .max(500)
      .nullable()
      .default(null)
      .describe("The outcome measured, when more specific than the claim's, e.g. `EASI score`."),
    timepoint: z.string().max(200).nullable().default(null).describe('When measured, e.g. `12 weeks`.'),
    units: z
      .string()
      .max(100)
      .nullable()
      .default(null)
      .describe('Units of a mean difference (e.g. `points on the EASI scale`); null for unitless measures.'),
    benefit_direction: z
      .enum(BENEFIT_DIRECTIONS)
      .describe(
        'Which values favour the intervention or exposure: `lower` (e.g. RR of flares, MD in a severity score), `higher` (e.g. response rate), `not_applicable` for an association with no favourable side.',
      )
      .meta({ example: 'lower' }),
    adjusted_for: z
      .string()
      .max(1000)
      .nullable()
      .default(null)
      .describe('Confounders the estimate is adjusted for; null for an unadjusted estimate.'),
    source: z
      .object({
        location: z.enum(ESTIMATE_LOCATIONS).describe('Where in the study the numbers are printed.'),
        label: z
          .string()
          .max(100)
          .nullable()
          .default(null)
          .describe('The table or figure label, e.g. `Table 2` or `Fig. 2C`.'),
        quote: z
          .string()
          .max(1000)
          .nullable()
          .default(null)
          .describe('The sentence or table row the numbers are taken from.'),
      })
      .strict()
      .describe('Where in the study the estimate comes from.')
      .meta({ example: { location: 'table', label: 'Table 2', quote: null } }),
  })
  .strict()
  .meta({ id: 'EffectEstimateWrite' });
export type EffectEstimateInput = z.input<typeof EffectEstimateInput>;
export type EffectEstimate = z.output<typeof EffectEstimateInput>;

const fmt = (n: number) => `${n}`;

/**
 * Checks the numbers of one estimate; each error names its path relative to the estimate (e.g. `ci.low`), a rule and
 * a message. Rules: `effect_estimate.ratio_positive` (a risk, odds or hazard ratio and its limits must be > 0),
 * `.proportion_range` (0-1), `.risk_difference_range` and `.correlation_range` (-1 to 1),
 * `.ci_level_fraction` (0 < level < 1), `.ci_ordered` (low <= high), `.ci_contains_estimate` (low <= value <= high),
 * `.p_value_range` (0-1), `.events_within_participants`, `.participants_add_up` (groups <= participants_analysed),
 * `.units_required` (a mean difference states its units). An empty list means the estimate is consistent.
 */
export function validateEffectEstimate(e: EffectEstimate): FieldViolation[] {
  const errors: FieldViolation[] = [];
  const add = (path: string, rule: string, message: string) =>
    errors.push({ path, rule: `effect_estimate.${rule}`, message });
  const name = MEASURE_TEXT(e.measure);
  const range = (path: string, v: number) => {
    if (RATIOS.has(e.measure) && v <= 0)
      add(
        path,
        'ratio_positive',
        `a ${name} must be greater than 0 (got ${fmt(v)}): ratios are never negative or zero.`,
      );
    if (e.measure === 'proportion' && (v < 0 || v > 1))
      add(path, 'proportion_range', `a proportion is a fraction from 0 to 1 (got ${fmt(v)}); write 45% as 0.45.`);
    if (e.measure === 'risk_difference' && (v < -1 || v > 1))
      add(path, 'risk_difference_range', `a risk difference is a fraction from -1 to 1 (got ${fmt(v)}).`);
    if (e.measure === 'correlation' && (v < -1 || v > 1))
      add(path, 'correlation_range', `a correlation lies from -1 to 1 (got ${fmt(v)}).`);
  };
  range('value', e.value);
  if (e.ci) {
    range('ci.low', e.ci.low);
    range('ci.high', e.ci.high);
    if (!(e.ci.level > 0 && e.ci.level < 1))
      add('ci.level', 'ci_level_fraction', `the confidence level is a fraction such as 0.95 (got ${fmt(e.ci.level)}).`);
    const pct = e.ci.level > 0 && e.ci.level < 1 ? `${Math.round(e.ci.level * 1000) / 10}% ` : '';
    if (e.ci.low > e.ci.high)
      add('ci', 'ci_ordered', `the lower limit ${fmt(e.ci.low)} is above the upper limit ${fmt(e.ci.high)}.`);
    else if (e.value < e.ci.low || e.value > e.ci.high)
      add(
        'ci',
        'ci_contains_estimate',
        `the ${pct}CI ${fmt(e.ci.low)} to ${fmt(e.ci.high)} does not contain the estimate ${fmt(e.value)}.`,
      );
  }
  if (e.p_value !== null && (e.p_value < 0 || e.p_value > 1))
    add('p_value', 'p_value_range', `a p-value lies from 0 to 1 (got ${fmt(e.p_value)}).`);
  for (const key of ['intervention_group', 'comparator_group'] as const) {
    const g = e[key];
    if (g?.events != null && g.participants != null && g.events > g.participants)
      add(
        `${key}.events`,
        'events_within_participants',
        `${g.events} events cannot exceed the ${g.participants} participants of the group.`,
      );
  }
  const grouped = (e.intervention_group?.participants ?? 0) + (e.comparator_group?.participants ?? 0);
  if (e.participants_analysed !== null && grouped > e.participants_analysed)
    add(
      'participants_analysed',
      'participants_add_up',
      `the groups hold ${grouped} participants, more than the ${e.participants_analysed} analysed.`,
    );
  if (e.measure === 'mean_difference' && !e.units?.trim())
    add(
      'units',
      'units_required',
      'a mean difference is in the units of its outcome: state them, e.g. `points on EASI`.',
    );
  return errors;
}

/** Which side of "no effect" an estimate's CI lies on; `unclear` when it includes no effect or cannot be judged. */
export type EstimateSide =
  | 'favours_intervention'
  | 'favours_comparator'
  | 'above_no_effect'
  | 'below_no_effect'
  | 'unclear';

/**
 * The side an estimate shows with its CI: wholly above or below the no-effect value, read through
 * `benefit_direction` (`favours_intervention` / `favours_comparator`, or `above_no_effect` / `below_no_effect` for an
 * association with no favourable side). Without a CI, or for a proportion, `unclear`: a point estimate alone shows no
 * direction with any confidence.
 */
export function estimateSide(e: EffectEstimate): EstimateSide {
  const none = NO_EFFECT_VALUE[e.measure];
  if (none === null || e.ci === null) return 'unclear';
  const side = e.ci.low > none ? 'above' : e.ci.high < none ? 'below' : null;
  if (side === null) return 'unclear';
  if (e.benefit_direction === 'not_applicable') return side === 'above' ? 'above_no_effect' : 'below_no_effect';
  return (side === 'above') === (e.benefit_direction === 'higher') ? 'favours_intervention' : 'favours_comparator';
}

/**
 * A reversed direction is harm: an estimate whose CI clearly favours the comparator cannot support a claim of benefit
 * (nor one favouring the intervention a claim of harm), one that excludes no effect cannot support a claim of no
 * effect, and a study "contradicting" a benefit claim cannot show clear benefit. Association, mixed and unclear claims
 * and estimates without a clear side are not checked. Rule `effect_estimate.direction_matches_relation`, or null.
 */
export function checkEstimateDirection(
  relation: StudyRelation,
  claimDirection: Direction,
  e: EffectEstimate,
): RuleViolation | null {
  const side = estimateSide(e);
  if (side === 'unclear') return null;
  const shown = describeEstimate(e);
  const clearSide = side === 'favours_intervention' || side === 'favours_comparator';
  const fail = (why: string): RuleViolation => ({
    rule: 'effect_estimate.direction_matches_relation',
    detail: `${shown} ${why}`,
  });
  if (relation === 'supports') {
    if (claimDirection === 'benefit' && side === 'favours_comparator')
      return fail(
        'favours the comparator, so it cannot support a claim of benefit: link the study as contradicts, or check benefit_direction.',
      );
    if (claimDirection === 'harm' && side === 'favours_intervention')
      return fail('favours the intervention, so it cannot support a claim of harm.');
    if (claimDirection === 'no_effect') return fail('excludes no effect, so it cannot support a claim of no effect.');
  }
  if (relation === 'contradicts' && clearSide) {
    if (claimDirection === 'benefit' && side === 'favours_intervention')
      return fail('favours the intervention, so it supports a claim of benefit rather than contradicting it.');
    if (claimDirection === 'harm' && side === 'favours_comparator')
      return fail('favours the comparator, so it supports a claim of harm rather than contradicting it.');
  }
  return null;
}

/** One line for a reader, e.g. "RR 0.62 (95% CI 0.45 to 0.85; p = 0.003; n = 43)". */
export function describeEstimate(e: EffectEstimate): string {
  const parts: string[] = [];
  if (e.ci) {
    const pct = Math.round(e.ci.level * 1000) / 10;
    parts.push(`${pct}% CI ${fmt(e.ci.low)} to ${fmt(e.ci.high)}`);
  }
  if (e.p_value !== null)
    parts.push(`p ${e.p_value_comparator === '<=' ? '≤' : e.p_value_comparator} ${fmt(e.p_value)}`);
  if (e.participants_analysed !== null) parts.push(`n = ${e.participants_analysed}`);
  const units = e.units ? ` ${e.units}` : '';
  return `${ABBREVIATION[e.measure]} ${fmt(e.value)}${units}${parts.length ? ` (${parts.join('; ')})` : ''}`;
}
