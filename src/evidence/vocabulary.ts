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
  // Set and cleared by the write path, never by hand: see RETRACTED_EVIDENCE.
  'retracted_evidence',
] as const;
export type CaveatCode = (typeof CAVEAT_CODES)[number];

/**
 * Caveat `retracted_evidence`: at least one study the claim links is retracted (PubMed publication type "Retracted
 * Publication", a RetractionIn / RetractedandRepublishedIn notice, or a curator's flag). The write path adds it in the
 * commit that retracts the study (or links a retracted one) and removes it when no linked study is retracted; the
 * claim then awaits a curator's review (`review.needed`) and is left out of `min_grade` filters above very_low until
 * reviewed. Source of the rule: COPE Retraction Guidelines (2019): a retraction alerts readers that an article's
 * findings and conclusions cannot be relied upon; NLM marks such records in PubMed (publication type and
 * CommentsCorrections RetractionIn).
 */
export const RETRACTED_EVIDENCE = {
  code: 'retracted_evidence',
  definition:
    'At least one linked study is retracted (PubMed publication type "Retracted Publication", a RetractionIn notice, or a curator\'s flag); `retracted_evidence` names which. Set and cleared by the service, never by hand.',
} as const satisfies { code: CaveatCode; definition: string };

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
