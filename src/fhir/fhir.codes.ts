// The code systems and code tables of the FHIR R5 export: every system URI and code it emits is named here once.
import type { StudyDesign } from '../evidence/vocabulary.js';

/**
 * System URIs. The `http://hl7.org/fhir/...` systems are FHIR R5 core CodeSystems (package hl7.fhir.r5.core 5.0.0);
 * the `http://terminology.hl7.org/...` ones are HL7 Terminology (THO) CodeSystems that R5 binds to (package
 * hl7.terminology.r5 7.0.1); see ../shared/reference/evidence-standards.md §5.1. MeSH's URI is the preferred `uri`
 * of THO's MeSH NamingSystem; DOID has no THO NamingSystem, so it follows the OBO form THO gives MONDO.
 * `urn:evidence-api:*` systems carry this API's own vocabularies where FHIR has no standard code (they reuse the
 * `urn:evidence-api:` namespace of the problem types).
 */
export const SYSTEMS = {
  studyDesign: 'http://hl7.org/fhir/study-design',
  certaintyType: 'http://hl7.org/fhir/certainty-type',
  certaintyRating: 'http://hl7.org/fhir/certainty-rating',
  variableRole: 'http://terminology.hl7.org/CodeSystem/variable-role',
  statisticType: 'http://terminology.hl7.org/CodeSystem/statistic-type',
  attributeEstimateType: 'http://terminology.hl7.org/CodeSystem/attribute-estimate-type',
  citationSummaryStyle: 'http://hl7.org/fhir/citation-summary-style',
  citedArtifactClassificationType: 'http://hl7.org/fhir/cited-artifact-classification-type',
  citedArtifactStatusType: 'http://hl7.org/fhir/cited-artifact-status-type',
  citationStatusType: 'http://hl7.org/fhir/citation-status-type',
  artifactUrlClassifier: 'http://hl7.org/fhir/artifact-url-classifier',
  artifactAssessmentInformationType: 'http://hl7.org/fhir/artifactassessment-information-type',
  pubmed: 'https://pubmed.ncbi.nlm.nih.gov',
  doi: 'https://doi.org',
  pmc: 'https://www.ncbi.nlm.nih.gov/pmc',
  mesh: 'https://www.nlm.nih.gov/mesh',
  doid: 'http://purl.obolibrary.org/obo/doid.owl',
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  apiStudyDesign: 'urn:evidence-api:study-design',
  apiDirection: 'urn:evidence-api:direction',
  apiClaimStatus: 'urn:evidence-api:claim-status',
  apiCaveat: 'urn:evidence-api:caveat',
  apiStudyRelation: 'urn:evidence-api:study-relation',
  apiCivicLevel: 'urn:evidence-api:civic-evidence-level',
  apiRiskOfBias: 'urn:evidence-api:risk-of-bias-judgement',
} as const;

/** FHIR Coding and CodeableConcept, as much of them as this export writes. */
export interface Coding {
  system: string;
  code: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export const coding = (system: string, code: string, display?: string): Coding =>
  display === undefined ? { system, code } : { system, code, display };

export function concept(system: string, code: string, display?: string): CodeableConcept;
export function concept(system: string, entry: readonly [string, string]): CodeableConcept;
export function concept(system: string, code: string | readonly [string, string], display?: string): CodeableConcept {
  return typeof code === 'string'
    ? { coding: [coding(system, code, display)] }
    : { coding: [coding(system, code[0], code[1])] };
}

/** SEVCO codes with their displays exactly as in CodeSystem study-design 5.0.0 (trailing space trimmed). */
export const SEVCO = {
  interventional: ['SEVCO:01001', 'Interventional research'],
  observational: ['SEVCO:01002', 'Observational research'],
  randomized: ['SEVCO:01003', 'randomized assignment'],
  nonRandomized: ['SEVCO:01005', 'Non-randomized assignment'],
  caseControl: ['SEVCO:01013', 'Case control design'],
  uncontrolledCohort: ['SEVCO:01016', 'Uncontrolled cohort design'],
  caseReport: ['SEVCO:01017', 'Case report'],
  crossSectional: ['SEVCO:01027', 'Cross sectional data collection'],
  longitudinal: ['SEVCO:01028', 'Longitudinal data collection'],
  secondaryData: ['SEVCO:01049', 'Secondary data collection from prior research'],
} as const satisfies Record<string, readonly [string, string]>;

/**
 * Our study design → SEVCO study-design codes (one study carries several characteristics, §5.2). Designs SEVCO has
 * no code for map to none: SEVCO has no "systematic review" or "meta-analysis" (their data come from prior research,
 * SEVCO:01049), nor animal, in-vitro, narrative-review, expert-opinion codes. A cohort is observational and
 * longitudinal; whether it compares groups (SEVCO:01011) is not recorded, so that code is not claimed.
 */
export const DESIGN_SEVCO: Record<StudyDesign, readonly (keyof typeof SEVCO)[]> = {
  meta_analysis: ['secondaryData'],
  systematic_review: ['secondaryData'],
  rct: ['interventional', 'randomized'],
  non_randomised_trial: ['interventional', 'nonRandomized'],
  cohort: ['observational', 'longitudinal'],
  case_control: ['observational', 'caseControl'],
  cross_sectional: ['observational', 'crossSectional'],
  case_series: ['observational', 'uncontrolledCohort'],
  case_report: ['observational', 'caseReport'],
  narrative_review: [],
  animal: [],
  in_vitro: [],
  expert_opinion: [],
  other: [],
};

/** GRADE level (this API's spelling) → certainty-rating code (R5 has no GRADE symbols, §5.1). */
export const GRADE_RATING: Record<string, readonly [string, string]> = {
  high: ['high', 'High quality'],
  moderate: ['moderate', 'Moderate quality'],
  low: ['low', 'Low quality'],
  very_low: ['very-low', 'Very low quality'],
};

/** The GRADE domains (GRADE handbook: five reasons to rate down, three to rate up) → certainty-type codes. */
export const GRADE_DOMAINS = {
  risk_of_bias: ['RiskOfBias', 'Risk of bias'],
  inconsistency: ['Inconsistency', 'Inconsistency'],
  indirectness: ['Indirectness', 'Indirectness'],
  imprecision: ['Imprecision', 'Imprecision'],
  publication_bias: ['PublicationBias', 'Publication bias'],
  large_effect: ['LargeEffect', 'Large effect'],
  dose_response_gradient: ['DoseResponseGradient', 'Dose response gradient'],
  plausible_confounding: ['PlausibleConfounding', 'Plausible confounding'],
} as const;
export type GradeDomain = keyof typeof GRADE_DOMAINS;

/** A judgement on one GRADE domain → certainty-rating code (the 12 domain-level concepts of that CodeSystem). */
export const DOMAIN_JUDGEMENTS = {
  no_serious_concern: ['no-concern', 'no serious concern'],
  serious_concern: ['serious-concern', 'serious concern'],
  very_serious_concern: ['very-serious-concern', 'very serious concern'],
  extremely_serious_concern: ['extremely-serious-concern', 'extremely serious concern'],
  present: ['present', 'present'],
  absent: ['absent', 'absent'],
  no_change: ['no-change', 'no change to rating'],
  rate_down_1: ['downcode1', 'reduce rating: -1'],
  rate_down_2: ['downcode2', 'reduce rating: -2'],
  rate_down_3: ['downcode3', 'reduce rating: -3'],
  rate_up_1: ['upcode1', 'increase rating: +1'],
  rate_up_2: ['upcode2', 'increase rating: +2'],
} as const;
export type DomainJudgement = keyof typeof DOMAIN_JUDGEMENTS;

/** Effect measures → statistic-type codes (THO CodeSystem statistic-type). */
export const EFFECT_MEASURES = {
  odds_ratio: ['C16932', 'Odds Ratio'],
  risk_ratio: ['C93152', 'Relative Risk'],
  hazard_ratio: ['C93150', 'Hazard Ratio'],
  incidence_rate_ratio: ['rate-ratio', 'Incidence Rate Ratio'],
  risk_difference: ['0000424', 'Risk Difference'],
  mean_difference: ['0000457', 'Mean Difference'],
  standardized_mean_difference: ['0000100', 'Standardized Mean Difference'],
  median_difference: ['absolute-MedianDiff', 'Absolute Median Difference'],
  proportion: ['C44256', 'Proportion'],
  mean: ['C53319', 'Mean'],
  median: ['C28007', 'Median'],
  count: ['C25463', 'Count'],
  correlation_pearson: ['C65172', 'Pearson Correlation Coefficient'],
  correlation_spearman: ['C65171', 'Spearman Rank-Order Correlation'],
} as const;
export type EffectMeasure = keyof typeof EFFECT_MEASURES;

/** Effect measures statistic-type has no single code for (a correlation whose coefficient is not recorded): text only. */
export const TEXT_ONLY_MEASURES = {
  correlation: 'Correlation coefficient (Pearson or Spearman not recorded)',
} as const;
export type TextOnlyMeasure = keyof typeof TEXT_ONLY_MEASURES;

/** The API's outcome code systems (PICO `outcome.code.system`) → their FHIR system URIs. */
export const OUTCOME_CODE_SYSTEM_URIS = {
  MeSH: SYSTEMS.mesh,
  'SNOMED CT': SYSTEMS.snomed,
  LOINC: SYSTEMS.loinc,
} as const;

/**
 * PICO age groups → MeSH descriptors (the check tags PubMed's age filters use; the UIs as listed in
 * src/evidence/pico.ts), so a population's age groups travel as codes.
 */
export const AGE_GROUP_MESH = {
  infant_newborn: ['D007231', 'Infant, Newborn'],
  infant: ['D007223', 'Infant'],
  child_preschool: ['D002675', 'Child, Preschool'],
  child: ['D002648', 'Child'],
  adolescent: ['D000293', 'Adolescent'],
  young_adult: ['D055815', 'Young Adult'],
  adult: ['D000328', 'Adult'],
  middle_aged: ['D008875', 'Middle Aged'],
  aged: ['D000368', 'Aged'],
  aged_80_and_over: ['D000369', 'Aged, 80 and over'],
} as const;

/** attribute-estimate-type codes (THO) for the two attributes an effect estimate carries. */
export const ATTRIBUTE_ESTIMATES = {
  confidenceInterval: ['C53324', 'Confidence interval'],
  pValue: ['C44185', 'P-value'],
} as const;

/** PubMed PublicationStatus (PubmedData) → citation-status-type code. */
export const PUBLICATION_STATUSES = {
  ppublish: ['pubmed-publication-status-ppublish', 'PubMed PublicationStatus of ppublish'],
  epublish: ['pubmed-publication-status-epublish', 'PubMed PublicationStatus of epublish'],
  aheadofprint: ['pubmed-publication-status-aheadofprint', 'PubMed PublicationStatus of aheadofprint'],
} as const;
export type PublicationStatus = keyof typeof PUBLICATION_STATUSES;

/** Claim status → Evidence.status (publication-status); the exact status is kept as a classifier too. */
export const CLAIM_STATUS_TO_PUBLICATION: Record<string, 'draft' | 'active' | 'retired'> = {
  published: 'active',
  draft: 'draft',
  retracted: 'retired',
  withdrawn: 'retired',
};

export const VARIABLE_ROLES = {
  population: ['population', 'population'],
  subpopulation: ['subpopulation', 'subpopulation'],
  exposure: ['exposure', 'exposure'],
  referenceExposure: ['referenceExposure', 'reference exposure'],
  measuredVariable: ['measuredVariable', 'measured variable'],
} as const;
export type VariableRole = keyof typeof VARIABLE_ROLES;
