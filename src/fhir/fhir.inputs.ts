// What the FHIR mapper reads: the API's own JSON representations, plus optional evidence fields not yet in the API.
import type { z } from 'zod';
import type { ClaimSchema } from '../resources/claims/claims.schemas.js';
import type { OntologyCodesSchema } from '../resources/conditions/conditions.schemas.js';
import type { StudySchema } from '../resources/studies/studies.schemas.js';
import type { TopicDetailSchema } from '../resources/topics/topics.schemas.js';
import type { DomainJudgement, EffectMeasure, GradeDomain, PublicationStatus, TextOnlyMeasure } from './fhir.codes.js';

/** The body of `GET /v1/claims/{id}`. */
export type ClaimJson = z.infer<typeof ClaimSchema>;
/** The body of `GET /v1/studies/{pmid}` (its `claims` member is not read). */
export type StudyJson = z.infer<typeof StudySchema>;
/** The body of `GET /v1/topics/{slug}`. */
export type TopicJson = z.infer<typeof TopicDetailSchema>;
/** `codes` of `GET /v1/conditions/{slug}`: MeSH descriptor id (`D008545`) and DOID (`DOID:1909`), each nullable. */
export type OntologyCodes = z.infer<typeof OntologyCodesSchema>;

/**
 * A judgement on one GRADE domain (GRADE handbook §5: risk of bias, inconsistency, indirectness, imprecision,
 * publication bias rate down; large effect, dose-response gradient, plausible confounding rate up). Maps to
 * `Evidence.certainty.subcomponent` {type: certainty-type, rating: certainty-rating}.
 */
export interface GradeDomainRating {
  domain: GradeDomain;
  judgement: DomainJudgement;
  /** Why, in the curator's words; null when not given. */
  rationale?: string | null;
}

/**
 * One effect estimate, e.g. an odds ratio with its 95% CI and p-value. Maps to an `Evidence.statistic` with
 * statisticType (THO statistic-type), quantity, and attributeEstimate for the CI (C53324, with `level`) and the
 * p-value (C44185). With `pmid` it lands on that study's Evidence, without it on the claim's.
 */
export interface EffectEstimate {
  measure: EffectMeasure | TextOnlyMeasure;
  value: number;
  /** UCUM or free unit for differences of means ("mmHg"); ratios have none. */
  unit?: string | null;
  /** Confidence interval; `level` is a fraction (0.95 for a 95% CI). */
  ci?: { level: number; low: number; high: number } | null;
  /** The p-value; `comparator` for reported bounds such as "p < 0.01". */
  p_value?: { value: number; comparator?: '<' | '<=' | '>=' | '>' } | null;
  /** What was compared, as the paper says it. */
  description?: string | null;
  /** Participants in this analysis when it is not the study's whole sample. */
  sample_size?: number | null;
  pmid?: string | null;
}

/** One PICO element: free text, and codes from standard systems when known (e.g. MeSH, SNOMED CT). */
export interface PicoElement {
  description: string;
  codes?: { system: string; code: string; display?: string }[];
}

/**
 * The clinical question as PICO. Each element present replaces the variable derived from the claim (condition →
 * population, interventions → exposure, outcome → measured variable); comparator maps to `referenceExposure`.
 */
export interface Pico {
  population?: PicoElement | null;
  intervention?: PicoElement | null;
  comparator?: PicoElement | null;
  outcome?: PicoElement | null;
}

/** Risk-of-bias judgements of RoB 2 (low, some concerns, high) and ROBINS-I (low … critical, no information). */
export type RiskOfBiasJudgement =
  | 'low'
  | 'some_concerns'
  | 'high'
  | 'moderate'
  | 'serious'
  | 'critical'
  | 'no_information';

/**
 * A risk-of-bias assessment of one study with a named tool (e.g. "RoB 2", "ROBINS-I"). Maps to a certainty of type
 * RiskOfBias on that study's Evidence, one subcomponent per domain; the judgement keeps the tool's own vocabulary.
 */
export interface RiskOfBiasAssessment {
  pmid: string;
  tool: string;
  /** The tool's own overall judgement (RoB 2, ROBINS-I; also Newcastle-Ottawa good/fair/poor, AMSTAR 2 high … critically low). */
  overall: RiskOfBiasJudgement | (string & {});
  rationale?: string | null;
  /** Newcastle-Ottawa items are judged in stars, written as the number. */
  domains?: { name: string; judgement: RiskOfBiasJudgement | (string & {}); rationale?: string | null }[];
}

/** A retraction notice (PubMed CommentsCorrections RetractionIn) for a study. */
export interface RetractionNotice {
  pmid?: string | null;
  doi?: string | null;
  /** The notice as a citation string, when known. */
  citation?: string | null;
}

/** Publication facts about one study that the API does not carry yet. */
export interface PublicationFacts {
  /** PubMed PublicationStatus (PubmedData). */
  status?: PublicationStatus | null;
  retraction_notice?: RetractionNotice | null;
}

/** Evidence fields beyond the claim JSON; each one absent is simply not exported (never filled in). */
export interface EvidenceExtras {
  grade_domains?: GradeDomainRating[];
  effect_estimates?: EffectEstimate[];
  pico?: Pico | null;
  risk_of_bias?: RiskOfBiasAssessment[];
  /** By PMID. */
  publications?: Record<string, PublicationFacts>;
}

export interface ClaimFhirInput {
  claim: ClaimJson;
  /** Bibliographic records by PMID; a study missing here gets a Citation from the claim's own study fields. */
  studies: Record<string, StudyJson>;
  /** The condition's codes; absent or null → the condition variable carries its name only. */
  condition_codes?: OntologyCodes | null;
  extras?: EvidenceExtras;
}

export interface TopicFhirInput {
  topic: TopicJson;
  studies: Record<string, StudyJson>;
  /** Codes by condition slug. */
  condition_codes?: Record<string, OntologyCodes>;
  /** Extras by claim id. */
  extras?: Record<string, EvidenceExtras>;
  /** The topic's overall GRADE level (`high` … `very_low`) with its explanation: the topic's `overall_certainty`. */
  overall_certainty?: { level: string; rationale?: string | null } | null;
}

/** Where the API is served, e.g. `https://evidence.example.org` (no trailing slash): the base of every `url`. */
export interface FhirContext {
  baseUrl: string;
}
