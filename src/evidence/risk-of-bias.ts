// Risk of bias per study by each tool's own domains and judgements (RoB 2, ROBINS-I, Newcastle-Ottawa, AMSTAR 2), and the overall judgement each tool's algorithm allows.
import { z } from 'zod';
import { Pmid } from '../http/api-schemas.js';
import type { StudyDesign } from './study-record.js';
import type { FieldViolation } from './violations.js';

/**
 * `rob_2`: Cochrane RoB 2 for individually randomised, parallel-group trials (Sterne et al., BMJ 2019;366:l4898; the
 * cluster and crossover variants add domains and are not modelled yet). `robins_i`: ROBINS-I 2016 for non-randomised
 * studies of interventions (Sterne et al., BMJ 2016;355:i4919). `nos_cohort`, `nos_case_control`: the Newcastle-Ottawa
 * Scale (Wells et al., Ottawa Hospital Research Institute). `amstar_2`: AMSTAR 2 for systematic reviews (Shea et al.,
 * BMJ 2017;358:j4008).
 */
export const RISK_OF_BIAS_TOOLS = ['rob_2', 'robins_i', 'nos_cohort', 'nos_case_control', 'amstar_2'] as const;
export type RiskOfBiasTool = (typeof RISK_OF_BIAS_TOOLS)[number];

export interface ToolDomain {
  id: string;
  /** The tool's own wording. */
  name: string;
  /** Newcastle-Ottawa: the most stars the item gives (1, or 2 for comparability). */
  max_stars?: number;
  /** Newcastle-Ottawa: the item's category. */
  category?: 'selection' | 'comparability' | 'outcome' | 'exposure';
  /** AMSTAR 2: one of the seven critical domains. */
  critical?: boolean;
  /** AMSTAR 2: the answers this item allows. */
  answers?: readonly AmstarAnswer[];
}

export interface ToolSpec {
  name: string;
  designs: readonly StudyDesign[];
  domains: readonly ToolDomain[];
  /** Domain-level judgements, best first; empty for Newcastle-Ottawa, whose items take stars. */
  judgements: readonly string[];
  /** Overall judgements, best first. */
  overall: readonly string[];
  source: string;
}

export const ROB_2_JUDGEMENTS = ['low', 'some_concerns', 'high'] as const;
export const ROBINS_I_JUDGEMENTS = ['low', 'moderate', 'serious', 'critical', 'no_information'] as const;
/** The conversion of Newcastle-Ottawa stars to AHRQ standards; NOS itself defines no overall rating. */
export const NOS_OVERALL = ['good', 'fair', 'poor'] as const;
export const AMSTAR_ANSWERS = ['yes', 'partial_yes', 'no', 'no_meta_analysis'] as const;
export type AmstarAnswer = (typeof AMSTAR_ANSWERS)[number];
export const AMSTAR_OVERALL = ['high', 'moderate', 'low', 'critically_low'] as const;

const NOS_SOURCE =
  'Newcastle-Ottawa Scale (Wells et al.) for the stars; the AHRQ conversion thresholds for good/fair/poor, as applied e.g. in PMC6889795 Table 7';
const YN: readonly AmstarAnswer[] = ['yes', 'no'];
const YPN: readonly AmstarAnswer[] = ['yes', 'partial_yes', 'no'];
const YN_NMA: readonly AmstarAnswer[] = ['yes', 'no', 'no_meta_analysis'];

export const RISK_OF_BIAS_TOOL_SPECS: Record<RiskOfBiasTool, ToolSpec> = {
  rob_2: {
    name: 'RoB 2',
    designs: ['rct'],
    domains: [
      { id: 'randomisation_process', name: 'Bias arising from the randomisation process' },
      { id: 'deviations_from_intended_interventions', name: 'Bias due to deviations from intended interventions' },
      { id: 'missing_outcome_data', name: 'Bias due to missing outcome data' },
      { id: 'measurement_of_the_outcome', name: 'Bias in measurement of the outcome' },
      { id: 'selection_of_the_reported_result', name: 'Bias in selection of the reported result' },
    ],
    judgements: ROB_2_JUDGEMENTS,
    overall: ROB_2_JUDGEMENTS,
    source: 'Sterne et al., BMJ 2019;366:l4898, Table 2; Cochrane Handbook v6 chapter 8',
  },
  robins_i: {
    name: 'ROBINS-I',
    designs: ['non_randomised_trial', 'cohort', 'case_control', 'cross_sectional'],
    domains: [
      { id: 'confounding', name: 'Bias due to confounding' },
      { id: 'selection_of_participants', name: 'Bias in selection of participants into the study' },
      { id: 'classification_of_interventions', name: 'Bias in classification of interventions' },
      { id: 'deviations_from_intended_interventions', name: 'Bias due to deviations from intended interventions' },
      { id: 'missing_data', name: 'Bias due to missing data' },
      { id: 'measurement_of_outcomes', name: 'Bias in measurement of outcomes' },
      { id: 'selection_of_the_reported_result', name: 'Bias in selection of the reported result' },
    ],
    judgements: ROBINS_I_JUDGEMENTS,
    overall: ROBINS_I_JUDGEMENTS,
    source: 'Sterne et al., BMJ 2016;355:i4919, Table 2',
  },
  nos_cohort: {
    name: 'Newcastle-Ottawa Scale (cohort studies)',
    designs: ['cohort'],
    domains: [
      {
        id: 'representativeness_of_the_exposed_cohort',
        name: 'Representativeness of the exposed cohort',
        max_stars: 1,
        category: 'selection',
      },
      {
        id: 'selection_of_the_non_exposed_cohort',
        name: 'Selection of the non exposed cohort',
        max_stars: 1,
        category: 'selection',
      },
      { id: 'ascertainment_of_exposure', name: 'Ascertainment of exposure', max_stars: 1, category: 'selection' },
      {
        id: 'outcome_not_present_at_start',
        name: 'Demonstration that outcome of interest was not present at start of study',
        max_stars: 1,
        category: 'selection',
      },
      {
        id: 'comparability_of_cohorts',
        name: 'Comparability of cohorts on the basis of the design or analysis',
        max_stars: 2,
        category: 'comparability',
      },
      { id: 'assessment_of_outcome', name: 'Assessment of outcome', max_stars: 1, category: 'outcome' },
      {
        id: 'follow_up_long_enough',
        name: 'Was follow-up long enough for outcomes to occur',
        max_stars: 1,
        category: 'outcome',
      },
      { id: 'adequacy_of_follow_up', name: 'Adequacy of follow up of cohorts', max_stars: 1, category: 'outcome' },
    ],
    judgements: [],
    overall: NOS_OVERALL,
    source: NOS_SOURCE,
  },
  nos_case_control: {
    name: 'Newcastle-Ottawa Scale (case-control studies)',
    designs: ['case_control'],
    domains: [
      { id: 'adequate_case_definition', name: 'Is the case definition adequate?', max_stars: 1, category: 'selection' },
      {
        id: 'representativeness_of_the_cases',
        name: 'Representativeness of the cases',
        max_stars: 1,
        category: 'selection',
      },
      { id: 'selection_of_controls', name: 'Selection of Controls', max_stars: 1, category: 'selection' },
      { id: 'definition_of_controls', name: 'Definition of Controls', max_stars: 1, category: 'selection' },
      {
        id: 'comparability_of_cases_and_controls',
        name: 'Comparability of cases and controls on the basis of the design or analysis',
        max_stars: 2,
        category: 'comparability',
      },
      { id: 'ascertainment_of_exposure', name: 'Ascertainment of exposure', max_stars: 1, category: 'exposure' },
      {
        id: 'same_method_of_ascertainment',
        name: 'Same method of ascertainment for cases and controls',
        max_stars: 1,
        category: 'exposure',
      },
      { id: 'non_response_rate', name: 'Non-Response rate', max_stars: 1, category: 'exposure' },
    ],
    judgements: [],
    overall: NOS_OVERALL,
    source: NOS_SOURCE,
  },
  amstar_2: {
    name: 'AMSTAR 2',
    designs: ['systematic_review', 'meta_analysis'],
    domains: [
      {
        id: 'pico_components',
        name: '1. Research questions and inclusion criteria include the components of PICO',
        answers: YN,
      },
      {
        id: 'protocol_established_in_advance',
        name: '2. Review methods established prior to the conduct of the review, deviations justified',
        critical: true,
        answers: YPN,
      },
      {
        id: 'study_design_selection_explained',
        name: '3. Selection of the study designs for inclusion explained',
        answers: YN,
      },
      {
        id: 'comprehensive_literature_search',
        name: '4. Comprehensive literature search strategy',
        critical: true,
        answers: YPN,
      },
      { id: 'study_selection_in_duplicate', name: '5. Study selection performed in duplicate', answers: YN },
      { id: 'data_extraction_in_duplicate', name: '6. Data extraction performed in duplicate', answers: YN },
      {
        id: 'excluded_studies_justified',
        name: '7. List of excluded studies provided and exclusions justified',
        critical: true,
        answers: YPN,
      },
      { id: 'included_studies_described', name: '8. Included studies described in adequate detail', answers: YPN },
      {
        id: 'risk_of_bias_technique',
        name: '9. Satisfactory technique for assessing risk of bias in individual studies',
        critical: true,
        answers: YPN,
      },
      {
        id: 'funding_of_included_studies',
        name: '10. Sources of funding for the included studies reported',
        answers: YN,
      },
      {
        id: 'meta_analysis_methods',
        name: '11. Appropriate methods for statistical combination of results',
        critical: true,
        answers: YN_NMA,
      },
      {
        id: 'risk_of_bias_impact_on_synthesis',
        name: '12. Potential impact of risk of bias in individual studies on the synthesis assessed',
        answers: YN_NMA,
      },
      {
        id: 'risk_of_bias_in_interpretation',
        name: '13. Risk of bias in individual studies accounted for when interpreting the results',
        critical: true,
        answers: YN,
      },
      { id: 'heterogeneity_explained', name: '14. Heterogeneity satisfactorily explained and discussed', answers: YN },
      {
        id: 'publication_bias_investigated',
        name: '15. Publication bias (small study bias) investigated and its likely impact discussed',
        critical: true,
        answers: YN_NMA,
      },
      {
        id: 'conflicts_of_interest_reported',
        name: '16. Potential sources of conflict of interest reported',
        answers: YN,
      },
    ],
    judgements: AMSTAR_ANSWERS,
    overall: AMSTAR_OVERALL,
    source: 'Shea et al., BMJ 2017;358:j4008, Box 2 (critical domains: items 2, 4, 7, 9, 11, 13, 15)',
  },
};

export const RISK_OF_BIAS_SOURCES = ['curator', 'systematic_review', 'study_authors'] as const;

/** One risk-of-bias assessment of one study (for RoB 2 and ROBINS-I, of one result of it). */
export const RiskOfBiasInput = z
  .object({
    tool: z
      .enum(RISK_OF_BIAS_TOOLS)
      .describe(
        '`rob_2` (randomised trials), `robins_i` (non-randomised studies of interventions), `nos_cohort` / `nos_case_control` (Newcastle-Ottawa), `amstar_2` (systematic reviews).',
      )
      .meta({ example: 'rob_2' }),
    result: z
      .string()
      .max(500)
      .nullable()
      .default(null)
      .describe(
        'The result assessed (RoB 2 and ROBINS-I judge one result), e.g. `EASI at 12 weeks, intention to treat`.',
      ),
    domains: z
      .array(
        z
          .object({
            domain: z.string().min(1).max(100).describe("The tool's domain or item id, e.g. `randomisation_process`."),
            judgement: z
              .union([z.string().min(1).max(40), z.number().int()])
              .describe(
                'RoB 2: `low`/`some_concerns`/`high`; ROBINS-I: `low`/`moderate`/`serious`/`critical`/`no_information`; Newcastle-Ottawa: stars (0-1, comparability 0-2); AMSTAR 2: `yes`/`partial_yes`/`no`/`no_meta_analysis`.',
              ),
            support: z
              .string()
              .min(1)
              .max(5000)
              .describe('Why: what the study reports that leads to this judgement (quote or page where possible).'),
          })
          .strict(),
      )
      .min(1)
      .max(30)
      .describe("Every one of the tool's domains (or items), once each.")
      .meta({
        example: [
          {
            domain: 'randomisation_process',
            judgement: 'low',
            support: 'Computer-generated list, central allocation.',
          },
        ],
      }),
    overall: z
      .string()
      .min(1)
      .max(40)
      .describe("The overall judgement in the tool's vocabulary; it must be one the tool's algorithm allows.")
      .meta({ example: 'some_concerns' }),
    overall_support: z.string().max(5000).nullable().default(null).describe('Why the overall judgement.'),
    source: z
      .object({
        kind: z
          .enum(RISK_OF_BIAS_SOURCES)
          .describe('`curator` (assessed here), `systematic_review` (taken from a review), `study_authors`.'),
        pmid: Pmid.nullable()
          .default(null)
          .describe('The review the assessment is taken from; required for `systematic_review`.'),
      })
      .strict()
      .describe('Where the assessment comes from.'),
    assessor: z.string().min(1).max(200).describe('Who assessed it: a person, team or API key name.'),
    assessed_on: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .describe('Date of the assessment, YYYY-MM-DD.')
      .meta({ example: '2025-01-31' }),
  })
  .strict()
  .meta({ id: 'RiskOfBiasWrite' });
export type RiskOfBiasInput = z.input<typeof RiskOfBiasInput>;
export type RiskOfBias = z.output<typeof RiskOfBiasInput>;

export interface DomainJudgement {
  domain: string;
  judgement: string | number;
}

export interface OverallRiskOfBias {
  /** What the tool's algorithm gives. */
  computed: string;
  /** Every overall judgement the algorithm permits (more than one where the tool leaves a judgement to the assessor). */
  allowed: string[];
  /** The algorithm, in words, with what it found. */
  rule: string;
  source: string;
  /** Newcastle-Ottawa: stars per category and in total (0-9). */
  stars?: { total: number; selection: number; comparability: number; outcome: number };
  /** AMSTAR 2: critical items answered no (flaws) and non-critical items answered no (weaknesses). */
  critical_flaws?: string[];
  non_critical_weaknesses?: string[];
}

const count = (list: readonly DomainJudgement[], judgement: string) =>
  list.filter((d) => d.judgement === judgement).length;

/**
 * The overall judgement each tool's own algorithm gives for a complete, valid set of domain judgements (validate
 * first; unknown domains are ignored here).
 *
 * - RoB 2: the least favourable domain; "high" also when "some concerns" in multiple domains substantially lowers
 *   confidence, an assessor's call, so two or more `some_concerns` (and no `high`) allow `some_concerns` or `high`
 *   (Sterne et al. 2019, Table 2).
 * - ROBINS-I: `critical` if any domain is; else `serious` if any is; else `low` if all are low, `moderate` if all are low
 *   or moderate; with `no_information` in a domain and nothing serious, `no_information` or the worst known judgement,
 *   since the tool asks the assessor whether the domain is key (Sterne et al. 2016, Table 2).
 * - Newcastle-Ottawa, AHRQ conversion: `good` = 3-4 selection stars, 1-2 comparability, 2-3 outcome/exposure; `fair` =
 *   2 selection stars with the same others; `poor` = 0-1 selection or 0 comparability or 0-1 outcome/exposure.
 * - AMSTAR 2: `critically_low` with more than one critical flaw, `low` with one, `moderate` with more than one
 *   non-critical weakness (which "may" move it down to `low`), else `high` (Shea et al. 2017, Box 2). A flaw or
 *   weakness is an item answered `no`; `partial_yes` meets the item's partial standard.
 */
export function overallRiskOfBias(tool: RiskOfBiasTool, domains: readonly DomainJudgement[]): OverallRiskOfBias {
  const spec = RISK_OF_BIAS_TOOL_SPECS[tool];
  const known = domains.filter((d) => spec.domains.some((s) => s.id === d.domain));
  switch (tool) {
    case 'rob_2': {
      const high = count(known, 'high');
      const concerns = count(known, 'some_concerns');
      if (high > 0)
        return rob2(['high'], `${high} domain(s) at high risk: overall high (the least favourable domain).`);
      if (concerns >= 2)
        return rob2(
          ['some_concerns', 'high'],
          `some concerns in ${concerns} domains and none high: overall some concerns, or high where the multiple concerns substantially lower confidence in the result (an assessor's call).`,
        );
      if (concerns === 1)
        return rob2(['some_concerns'], 'some concerns in 1 domain and none high: overall some concerns.');
      return rob2(['low'], 'low risk in every domain: overall low.');
    }
    case 'robins_i': {
      const source = spec.source;
      const at = (j: string) => count(known, j);
      if (at('critical') > 0)
        return {
          computed: 'critical',
          allowed: ['critical'],
          rule: 'critical risk in at least one domain: overall critical.',
          source,
        };
      if (at('serious') > 0)
        return {
          computed: 'serious',
          allowed: ['serious'],
          rule: 'serious risk in at least one domain and critical in none: overall serious.',
          source,
        };
      const worstKnown = at('moderate') > 0 ? 'moderate' : at('low') > 0 ? 'low' : null;
      if (at('no_information') > 0)
        return {
          computed: 'no_information',
          allowed: worstKnown === null ? ['no_information'] : ['no_information', worstKnown],
          rule: `no information in ${at('no_information')} domain(s) and nothing serious: overall no information if a domain lacking information is key, else the worst known judgement${worstKnown ? ` (${worstKnown})` : ''}.`,
          source,
        };
      return worstKnown === 'moderate'
        ? {
            computed: 'moderate',
            allowed: ['moderate'],
            rule: 'low or moderate in every domain: overall moderate.',
            source,
          }
        : { computed: 'low', allowed: ['low'], rule: 'low risk in every domain: overall low.', source };
    }
    case 'nos_cohort':
    case 'nos_case_control': {
      const stars = { selection: 0, comparability: 0, outcome: 0 };
      for (const d of known) {
        const item = spec.domains.find((s) => s.id === d.domain);
        const category = item?.category === 'exposure' ? 'outcome' : item?.category;
        if (category && typeof d.judgement === 'number') stars[category] += d.judgement;
      }
      const total = stars.selection + stars.comparability + stars.outcome;
      const last = tool === 'nos_cohort' ? 'outcome' : 'exposure';
      const computed =
        stars.selection <= 1 || stars.comparability === 0 || stars.outcome <= 1
          ? 'poor'
          : stars.selection === 2
            ? 'fair'
            : 'good';
      return {
        computed,
        allowed: [computed],
        rule: `${stars.selection} selection, ${stars.comparability} comparability and ${stars.outcome} ${last} stars (${total} of 9): AHRQ ${computed} (good: 3-4 selection, 1-2 comparability, 2-3 ${last}; fair: 2 selection with the same; poor: 0-1 selection, 0 comparability or 0-1 ${last}).`,
        source: spec.source,
        stars: { total, ...stars },
      };
    }
    case 'amstar_2': {
      const flaws = spec.domains.filter(
        (s) => s.critical && known.some((d) => d.domain === s.id && d.judgement === 'no'),
      );
      const weaknesses = spec.domains.filter(
        (s) => !s.critical && known.some((d) => d.domain === s.id && d.judgement === 'no'),
      );
      const found = `${flaws.length} critical flaw(s)${flaws.length ? ` (${flaws.map((f) => f.id).join(', ')})` : ''} and ${weaknesses.length} non-critical weakness(es)`;
      const result = (allowed: string[], why: string): OverallRiskOfBias => ({
        computed: allowed[0] as string,
        allowed,
        rule: `${found}: ${why}`,
        source: spec.source,
        critical_flaws: flaws.map((f) => f.id),
        non_critical_weaknesses: weaknesses.map((w) => w.id),
      });
      if (flaws.length > 1) return result(['critically_low'], 'more than one critical flaw gives critically low.');
      if (flaws.length === 1) return result(['low'], 'one critical flaw gives low.');
      if (weaknesses.length > 1)
        return result(
          ['moderate', 'low'],
          'more than one non-critical weakness gives moderate, or low where they together diminish confidence.',
        );
      return result(['high'], 'no critical flaw and at most one non-critical weakness gives high.');
    }
  }
}

function rob2(allowed: string[], rule: string): OverallRiskOfBias {
  return { computed: allowed[0] as string, allowed, rule, source: RISK_OF_BIAS_TOOL_SPECS.rob_2.source };
}

/**
 * Checks one assessment against its tool; paths are relative to the assessment (e.g. `domains[2].judgement`).
 * Rules: `risk_of_bias.tool_fits_design` (when the study's design is known), `.domain_of_tool`, `.domain_once`,
 * `.all_domains`, `.judgement_of_tool` (domain judgements, stars within the item's maximum, AMSTAR 2 answers the item
 * allows, the overall in the tool's vocabulary), `.overall_follows_tool` (the overall is one `overallRiskOfBias`
 * allows) and `.source_pmid` (an assessment taken from a review names the review).
 */
export function validateRiskOfBias(a: RiskOfBias, studyDesign: StudyDesign | null = null): FieldViolation[] {
  const spec = RISK_OF_BIAS_TOOL_SPECS[a.tool];
  const errors: FieldViolation[] = [];
  const add = (path: string, rule: string, message: string) =>
    errors.push({ path, rule: `risk_of_bias.${rule}`, message });

  if (studyDesign !== null && !spec.designs.includes(studyDesign))
    add(
      'tool',
      'tool_fits_design',
      `${spec.name} is for ${spec.designs.join(', ')} studies; this study is ${studyDesign}.`,
    );

  const seen = new Set<string>();
  a.domains.forEach((d, i) => {
    const item = spec.domains.find((s) => s.id === d.domain);
    if (!item) {
      add(
        `domains[${i}].domain`,
        'domain_of_tool',
        `'${d.domain}' is not a ${spec.name} domain; its domains are ${spec.domains.map((s) => s.id).join(', ')}.`,
      );
      return;
    }
    if (seen.has(d.domain)) add(`domains[${i}].domain`, 'domain_once', `'${d.domain}' is judged more than once.`);
    seen.add(d.domain);
    const problem = judgementProblem(spec, item, d.judgement);
    if (problem) add(`domains[${i}].judgement`, 'judgement_of_tool', problem);
  });
  const missing = spec.domains.filter((s) => !seen.has(s.id)).map((s) => s.id);
  if (missing.length > 0)
    add('domains', 'all_domains', `${spec.name} needs every domain judged; missing: ${missing.join(', ')}.`);

  if (!spec.overall.includes(a.overall))
    add(
      'overall',
      'judgement_of_tool',
      `'${a.overall}' is not a ${spec.name} overall judgement (${spec.overall.join(', ')}).`,
    );
  else if (errors.length === 0) {
    const overall = overallRiskOfBias(a.tool, a.domains);
    if (!overall.allowed.includes(a.overall))
      add(
        'overall',
        'overall_follows_tool',
        `${spec.name} gives ${overall.allowed.map((j) => `'${j}'`).join(' or ')} here, not '${a.overall}': ${overall.rule} (${overall.source})`,
      );
  }
  if (a.source.kind === 'systematic_review' && a.source.pmid === null)
    add('source.pmid', 'source_pmid', 'an assessment taken from a systematic review names the review by its PMID.');
  return errors;
}

function judgementProblem(spec: ToolSpec, item: ToolDomain, judgement: string | number): string | null {
  if (item.max_stars !== undefined) {
    if (typeof judgement === 'number' && judgement >= 0 && judgement <= item.max_stars) return null;
    return `'${item.id}' takes 0 to ${item.max_stars} star${item.max_stars === 1 ? '' : 's'} (got ${JSON.stringify(judgement)}).`;
  }
  const allowed = item.answers ?? spec.judgements;
  if (typeof judgement === 'string' && allowed.includes(judgement)) return null;
  return item.answers
    ? `'${item.id}' is answered ${allowed.join(', ')} (got ${JSON.stringify(judgement)}).`
    : `${JSON.stringify(judgement)} is not a ${spec.name} judgement (${allowed.join(', ')}).`;
}

/**
 * The FHIR R5 `ArtifactAssessment.content` for an assessment: one `rating` of type `RiskOfBias` (certainty-type) whose
 * classifier is the overall judgement, with one component per domain (its name as the type's text, the judgement as
 * classifier text, the support as summary). Tool judgements have no FHIR code system, so they travel as text.
 */
export function riskOfBiasToFhirContent(a: RiskOfBias) {
  const spec = RISK_OF_BIAS_TOOL_SPECS[a.tool];
  return {
    informationType: 'rating',
    summary: a.overall_support ?? undefined,
    type: { coding: [{ system: 'http://hl7.org/fhir/certainty-type', code: 'RiskOfBias' }], text: spec.name },
    classifier: [{ text: a.overall }],
    author: { display: a.assessor },
    component: a.domains.map((d) => ({
      informationType: 'rating',
      summary: d.support,
      type: { text: spec.domains.find((s) => s.id === d.domain)?.name ?? d.domain },
      classifier: [{ text: String(d.judgement) }],
    })),
  };
}
