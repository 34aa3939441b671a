// The closed vocabularies of the evidence model, used by the database writers, the API schemas and the seed files.
export { STUDY_DESIGNS, type StudyDesign } from './study-record.js';

export const DIRECTIONS = ['benefit', 'harm', 'no_effect', 'association', 'mixed', 'unclear'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const CAVEAT_CODES = [
  'causality_not_established',
  'observational_only',
  'small_sample',
  'animal_data',
  'no_rcts',
  'preliminary',
  'population_specific',
  'heterogeneous_findings',
  'indirect_evidence',
  'unverified_sources',
] as const;
export type CaveatCode = (typeof CAVEAT_CODES)[number];

/** `withdrawn`: an imported claim that its source no longer publishes (kept, not deleted). */
export const CLAIM_STATUSES = ['published', 'draft', 'retracted', 'withdrawn'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const STUDY_RELATIONS = ['supports', 'contradicts', 'context'] as const;
export type StudyRelation = (typeof STUDY_RELATIONS)[number];

export const INTERVENTION_KINDS = [
  'probiotic',
  'prebiotic',
  'diet',
  'drug',
  'immunotherapy',
  'microbiome_feature',
  'lifestyle',
  'other',
] as const;
export type InterventionKind = (typeof INTERVENTION_KINDS)[number];

export const SPECIES = ['human', 'animal', 'in_vitro', 'mixed'] as const;
export type Species = (typeof SPECIES)[number];

/** Strongest first: the order an evidence summary uses to name a claim's strongest design. */
export const DESIGN_STRENGTH: readonly string[] = [
  'meta_analysis',
  'systematic_review',
  'rct',
  'non_randomised_trial',
  'cohort',
  'case_control',
  'cross_sectional',
  'case_series',
  'case_report',
  'narrative_review',
  'expert_opinion',
  'animal',
  'in_vitro',
  'other',
];
