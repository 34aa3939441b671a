// The API's evidence-depth fields (GRADE domains, effect estimates, PICO, risk of bias) as the FHIR mapper's extras.
import { RISK_OF_BIAS_TOOL_SPECS, type RiskOfBiasTool } from '../evidence/risk-of-bias.js';
import {
  AGE_GROUP_MESH,
  type DomainJudgement,
  type EffectMeasure,
  type GradeDomain,
  OUTCOME_CODE_SYSTEM_URIS,
  SYSTEMS,
  type TextOnlyMeasure,
} from './fhir.codes.js';
import type {
  ClaimJson,
  EffectEstimate,
  EvidenceExtras,
  GradeDomainRating,
  Pico,
  RiskOfBiasAssessment,
  StudyJson,
} from './fhir.inputs.js';

type Step = NonNullable<ClaimJson['grade']['assessment']>['steps'][number];
type ApiEstimate = ClaimJson['studies'][number]['effect_estimates'][number];

/** Our domain names → the mapper's (certainty-type codes). */
export const DOMAIN_TO_FHIR: Record<Step['domain'], GradeDomain> = {
  risk_of_bias: 'risk_of_bias',
  inconsistency: 'inconsistency',
  indirectness: 'indirectness',
  imprecision: 'imprecision',
  publication_bias: 'publication_bias',
  large_effect: 'large_effect',
  dose_response: 'dose_response_gradient',
  plausible_confounding: 'plausible_confounding',
};

/**
 * A judgement → its certainty-rating concept. A large effect counts as `upcode1`/`upcode2` only when it moved the
 * level; one GRADE did not count (the evidence was rated down, or is not observational) is `no-change`, as in
 * `gradeToFhirCertainty` (src/evidence/grade-domains.ts).
 */
function domainJudgement(step: Step): DomainJudgement {
  switch (step.judgement) {
    case 'not_serious':
      return 'no_serious_concern';
    case 'serious':
      return 'serious_concern';
    case 'very_serious':
      return 'very_serious_concern';
    case 'large':
    case 'very_large':
      return step.change === 2 ? 'rate_up_2' : step.change === 1 ? 'rate_up_1' : 'no_change';
    case 'none':
      return 'no_change';
    default:
      return step.judgement;
  }
}

/** Our effect measures → the mapper's (statistic-type codes; a correlation has no single code). */
export const MEASURE_TO_FHIR: Record<ApiEstimate['measure'], EffectMeasure | TextOnlyMeasure> = {
  risk_ratio: 'risk_ratio',
  odds_ratio: 'odds_ratio',
  hazard_ratio: 'hazard_ratio',
  mean_difference: 'mean_difference',
  standardised_mean_difference: 'standardized_mean_difference',
  risk_difference: 'risk_difference',
  proportion: 'proportion',
  correlation: 'correlation',
};

// `pmid` is the study's key (its PMID, or `asco:...`): the mapper places an estimate on the Evidence of that key.
function effectEstimate(e: ApiEstimate, pmid: string): EffectEstimate {
  const what = [e.outcome, e.timepoint].filter((part): part is string => part !== null).join(', ');
  return {
    measure: MEASURE_TO_FHIR[e.measure],
    value: e.value,
    unit: e.units,
    ci: e.ci,
    p_value:
      e.p_value === null
        ? null
        : { value: e.p_value, ...(e.p_value_comparator === '=' ? {} : { comparator: e.p_value_comparator }) },
    description: what === '' ? null : what,
    sample_size: e.participants_analysed,
    pmid,
  };
}

function pico(p: NonNullable<ClaimJson['pico']>): Pico {
  const code = p.outcome.code;
  return {
    population: {
      description: p.population.description,
      codes: p.population.age_groups.map((group) => {
        const [mesh, display] = AGE_GROUP_MESH[group];
        return { system: SYSTEMS.mesh, code: mesh, display };
      }),
    },
    intervention: { description: p.intervention },
    comparator: p.comparator === null ? null : { description: p.comparator },
    outcome: {
      description: p.outcome.description,
      codes:
        code === null
          ? []
          : [
              {
                system: OUTCOME_CODE_SYSTEM_URIS[code.system],
                code: code.code,
                ...(code.display === null ? {} : { display: code.display }),
              },
            ],
    },
  };
}

function riskOfBias(study: StudyJson): RiskOfBiasAssessment[] {
  return study.risk_of_bias.map((a) => {
    const spec = RISK_OF_BIAS_TOOL_SPECS[a.tool as RiskOfBiasTool];
    return {
      pmid: study.key,
      tool: spec.name,
      overall: a.overall,
      rationale: a.overall_support,
      domains: a.domains.map((d) => ({
        name: spec.domains.find((s) => s.id === d.domain)?.name ?? d.domain,
        judgement: String(d.judgement),
        rationale: d.support,
      })),
    };
  });
}

/**
 * The extras of one claim from its API JSON and its studies' JSON: the assessed GRADE domains (in GRADE's order,
 * with the curator's rationale), every effect estimate on its study links (by study key), its PICO, and the risk-of-bias
 * assessments of its studies. Absent facts stay absent.
 */
export function evidenceExtrasOf(claim: ClaimJson, studies: Record<string, StudyJson>): EvidenceExtras {
  const steps = claim.grade.domains === null ? [] : (claim.grade.assessment?.steps ?? []);
  const grade_domains: GradeDomainRating[] = steps.map((step) => ({
    domain: DOMAIN_TO_FHIR[step.domain],
    judgement: domainJudgement(step),
    rationale: step.rationale,
  }));
  const keys = [...new Set(claim.studies.map((s) => s.key))];
  return {
    grade_domains,
    effect_estimates: claim.studies.flatMap((s) => s.effect_estimates.map((e) => effectEstimate(e, s.key))),
    pico: claim.pico === null ? null : pico(claim.pico),
    risk_of_bias: keys.flatMap((key) => (studies[key] ? riskOfBias(studies[key]) : [])),
  };
}
