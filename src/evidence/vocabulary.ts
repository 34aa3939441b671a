// The closed vocabularies of the evidence model, used by the database writers, the API schemas and the seed files.
export { STUDY_DESIGNS, type StudyDesign } from './study-record.js';

/**
 * Which way a claim points. The first six are the original vocabulary; the last seven keep the sign of biomarker
 * evidence (CIViC), so that "Does Not Support Resistance" is never served like "Supports Resistance" and prognosis
 * and diagnosis keep their direction (the mapping: src/importers/civic/README.md).
 */
export const DIRECTIONS = [
  'benefit',
  'harm',
  'no_effect',
  'association',
  'mixed',
  'unclear',
  'resistance',
  'no_resistance',
  'reduced_benefit',
  'better_outcome',
  'poor_outcome',
  'inverse_association',
  'not_associated',
] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** One line per direction: the API documentation of `direction` reads these. */
export const DIRECTION_DEFINITIONS: Record<Direction, string> = {
  benefit: 'The intervention improved the outcome (for CIViC predictive evidence: sensitivity or response).',
  harm: 'The intervention worsened the outcome or caused an adverse response.',
  no_effect: 'The evidence shows no effect, or did not show the effect it looked for.',
  association: 'An association without a stated direction of effect (a diagnosis, a predisposition, a function).',
  mixed: 'Findings point both ways.',
  unclear: 'The evidence does not say which way.',
  resistance: 'The biomarker was associated with resistance to the therapy (CIViC: Resistance).',
  no_resistance:
    'The study did not support resistance to the therapy in biomarker carriers (Does Not Support Resistance).',
  reduced_benefit: 'Response to the therapy was lower than in other treatment contexts (CIViC: Reduced Sensitivity).',
  better_outcome: 'The biomarker was associated with a better than expected outcome (CIViC: Better Outcome).',
  poor_outcome: 'The biomarker was associated with a worse than expected outcome (CIViC: Poor Outcome).',
  inverse_association:
    'The biomarker was associated with the absence of the disease or with protection against it (CIViC: Negative, Protectiveness).',
  not_associated: 'The study did not support the stated association (CIViC: Does Not Support, or N/A significance).',
};

/** The kind of evidence a biomarker claim is (CIViC's six evidence types, civic-v2 Constants::EVIDENCE_TYPES). */
export const EVIDENCE_TYPES = [
  'predictive',
  'diagnostic',
  'prognostic',
  'predisposing',
  'oncogenic',
  'functional',
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/**
 * How a claim's several interventions were given (CIViC drug/therapy interaction type): together (`combination`),
 * one after another (`sequential`) or any one of them (`substitutes`).
 */
export const INTERVENTION_RELATIONS = ['combination', 'sequential', 'substitutes'] as const;
export type InterventionRelation = (typeof INTERVENTION_RELATIONS)[number];

/** Where a variant comes from (CIViC variant origin, normalised across its renames; see importers/civic/civic.parse.ts). */
export const VARIANT_ORIGINS = [
  'somatic',
  'rare_germline',
  'common_germline',
  'mixed',
  'combined',
  'unknown',
  'not_applicable',
] as const;
export type VariantOrigin = (typeof VARIANT_ORIGINS)[number];

/** Who wrote a claim's plain-language summary: a person, or an importer composing it from the claim's fields. */
export const PLAIN_SUMMARY_SOURCES = ['curated', 'generated'] as const;
export type PlainSummarySource = (typeof PLAIN_SUMMARY_SOURCES)[number];

/** What a study record is: a PubMed article, or a source without a PMID (CIViC source types). */
export const STUDY_SOURCE_TYPES = ['pubmed', 'asco', 'ash', 'other'] as const;
export type StudySourceType = (typeof STUDY_SOURCE_TYPES)[number];

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
