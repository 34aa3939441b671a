// What a CIViC evidence item means: one mapping table (type × significance × direction), summaries, agreement, order.
import {
  DESIGN_STRENGTH,
  DIRECTION_DEFINITIONS,
  type Direction,
  EVIDENCE_TYPES,
  type StudyRelation,
} from '../../evidence/vocabulary.js';
import type {
  CivicEvidence,
  CivicInteractionType,
  CivicSource,
  CivicTherapy,
  CivicVariantOrigin,
} from './civic.parse.js';

/**
 * Directions CIViC evidence needs beyond the original six of src/evidence/vocabulary.ts DIRECTIONS, which lists them
 * after those six with these definitions (test/civic.semantics.test.ts keeps the two equal). Each says which way the biomarker points, so that "Does Not Support X" is never served
 * like "Supports X" and prognosis and diagnosis keep their sign.
 */
export const CIVIC_NEW_DIRECTIONS = [
  'resistance',
  'no_resistance',
  'reduced_benefit',
  'better_outcome',
  'poor_outcome',
  'inverse_association',
  'not_associated',
] as const;
export type CivicNewDirection = (typeof CIVIC_NEW_DIRECTIONS)[number];
export type CivicClaimDirection = Direction | CivicNewDirection;

/** One line each (the vocabulary's definitions of these directions), for the README. */
export const CIVIC_NEW_DIRECTION_DEFINITIONS = Object.fromEntries(
  CIVIC_NEW_DIRECTIONS.map((d) => [d, DIRECTION_DEFINITIONS[d]]),
) as Record<CivicNewDirection, string>;

/** CIViC's six evidence types (civic-v2 Constants::EVIDENCE_TYPES), in the lower case this service uses. */
export const CIVIC_EVIDENCE_TYPES = EVIDENCE_TYPES;
export type CivicEvidenceType = (typeof CIVIC_EVIDENCE_TYPES)[number];

/** "Supports", "Does Not Support", or neither (empty, "N/A", and "NA", which CIViC used for four days in 2019). */
export const CIVIC_EVIDENCE_DIRECTIONS = ['supports', 'does_not_support', 'unstated'] as const;
export type CivicEvidenceDirection = (typeof CIVIC_EVIDENCE_DIRECTIONS)[number];

/**
 * Earlier names of significance values → the current name. CIViC renamed values in place (app/const/constants.rb in
 * civic-server): "Sensitivity" → "Sensitive/Response" (2018-05-11) → "Sensitivity/Response" (2018-05-17);
 * "Resistance or Non-Response" → "Resistant" → "Resistance"; functional "Other" → "Unknown" (2019-02). The 2015
 * releases also wrote N/A as "N / A" and "NA".
 */
export const CIVIC_SIGNIFICANCE_ALIASES: Readonly<Record<string, string>> = {
  sensitivity: 'Sensitivity/Response',
  'sensitive/response': 'Sensitivity/Response',
  'resistance or non-response': 'Resistance',
  resistant: 'Resistance',
  other: 'Unknown',
  'n / a': 'N/A',
  na: 'N/A',
};

/** A proposition an item takes a side on: "predictive:sensitivity" holds (true) or is denied (false). */
export interface CivicStance {
  proposition: string;
  holds: boolean;
}

/**
 * Pairs of propositions that cannot both hold for one biomarker, disease and therapy (CIViC's own definitions in
 * docs/model/evidence/significance.rst: response vs resistance, better vs worse outcome, diagnosis vs lack of it,
 * predisposing/oncogenic vs protective; a function that is unaltered vs any alteration; gained vs lost or blocked).
 */
export const CIVIC_CONTRARY_PROPOSITIONS: readonly (readonly [string, string])[] = [
  ['predictive:sensitivity', 'predictive:resistance'],
  ['diagnostic:positive', 'diagnostic:negative'],
  ['prognostic:better_outcome', 'prognostic:poor_outcome'],
  ['predisposing:predisposition', 'predisposing:protectiveness'],
  ['oncogenic:oncogenicity', 'oncogenic:protectiveness'],
  ['functional:unaltered', 'functional:gain'],
  ['functional:unaltered', 'functional:loss'],
  ['functional:unaltered', 'functional:neomorphic'],
  ['functional:unaltered', 'functional:dominant_negative'],
  ['functional:gain', 'functional:loss'],
  ['functional:gain', 'functional:dominant_negative'],
];

/** One cell of the mapping table: evidence type × significance × evidence direction → meaning. */
export interface CivicMappingCell {
  evidence_type: CivicEvidenceType;
  /** CIViC's current name of the significance (see CIVIC_SIGNIFICANCE_ALIASES for earlier names). */
  significance: string;
  evidence_direction: CivicEvidenceDirection;
  direction: CivicClaimDirection;
  /**
   * How the item's own source relates to the claim. Always `supports`: the claim's statement is the curator's summary
   * of that source's finding, including when the finding is that X was not supported.
   */
  relation: StudyRelation;
  /** What the item asserts or denies, for agreement between items (civicConcordance). */
  stance: readonly CivicStance[];
  /**
   * Plain-language template. `{subject}` is "tumours with {biomarker}" (somatic), "people carrying {biomarker}"
   * (germline) or "cases with {biomarker}"; `{therapy}` the therapies joined by their interaction type;
   * `{disease}`, `{biomarker}` as recorded; `{type}`, `{significance}` the cell's own names.
   */
  summary: string;
}

interface Side {
  direction: CivicClaimDirection;
  summary: string;
  stance: CivicStance[];
}

const yes = (proposition: string): CivicStance[] => [{ proposition, holds: true }];
const no = (proposition: string): CivicStance[] => [{ proposition, holds: false }];

/** A row of the table; the third cell (no stated direction) is the same for every row: `unclear`, no stance. */
function row(type: CivicEvidenceType, significance: string, supports: Side, notSupported: Side): CivicMappingCell[] {
  const unstated =
    type === 'functional'
      ? 'CIViC records functional evidence ({significance}) about {biomarker} without saying whether the study supports it'
      : type === 'predictive'
        ? 'In {disease}, CIViC records predictive evidence ({significance}) about {subject} and {therapy} without saying whether the study supports it'
        : 'In {disease}, CIViC records {type} evidence ({significance}) about {biomarker} without saying whether the study supports it';
  const cell = (evidence_direction: CivicEvidenceDirection, side: Side): CivicMappingCell => ({
    evidence_type: type,
    significance,
    evidence_direction,
    direction: side.direction,
    relation: 'supports',
    stance: side.stance,
    summary: side.summary,
  });
  return [
    cell('supports', supports),
    cell('does_not_support', notSupported),
    cell('unstated', { direction: 'unclear', summary: unstated, stance: [] }),
  ];
}

const legacy = (type: string, value: string) =>
  `In {disease}, {biomarker} has a ${type} significance recorded as "${value}", which CIViC does not define for ${type} evidence`;

/**
 * The mapping table. Definitions quoted from CIViC's documentation (docs/model/evidence/significance.rst and
 * direction.rst in griffithlab/civic-docs, and the tooltips of civic-v2): "Does Not Support" means the study "does
 * not support, or was inconclusive of" the significance; for predisposing and oncogenic evidence it "supports a
 * benign (for Predisposition/Oncogenicity) or lack of protective (for Protectiveness) role". Values marked legacy
 * occur in the 2018 releases outside CIViC's documented pairs (Prognostic Positive/Negative, Predisposing Positive)
 * or only in older releases (Pathogenic ... Uncertain Significance for predisposing evidence, before 2022).
 */
export const CIVIC_MAPPING: readonly CivicMappingCell[] = [
  ...row(
    'predictive',
    'Sensitivity/Response',
    {
      direction: 'benefit',
      summary: 'In {disease}, {subject} responded to {therapy}',
      stance: yes('predictive:sensitivity'),
    },
    {
      direction: 'no_effect',
      summary: 'In {disease}, {subject} were not shown to respond to {therapy}',
      stance: no('predictive:sensitivity'),
    },
  ),
  ...row(
    'predictive',
    'Resistance',
    {
      direction: 'resistance',
      summary: 'In {disease}, {subject} showed resistance to {therapy}',
      stance: yes('predictive:resistance'),
    },
    {
      direction: 'no_resistance',
      summary: 'In {disease}, {subject} did not show resistance to {therapy}',
      stance: no('predictive:resistance'),
    },
  ),
  ...row(
    'predictive',
    'Reduced Sensitivity',
    {
      direction: 'reduced_benefit',
      summary: 'In {disease}, {subject} showed a reduced response to {therapy}',
      stance: yes('predictive:reduced_sensitivity'),
    },
    {
      direction: 'not_associated',
      summary: 'In {disease}, {subject} did not show a reduced response to {therapy}',
      stance: no('predictive:reduced_sensitivity'),
    },
  ),
  ...row(
    'predictive',
    'Adverse Response',
    {
      direction: 'harm',
      summary: 'In {disease}, {subject} had an adverse response to {therapy}',
      stance: yes('predictive:adverse_response'),
    },
    {
      direction: 'not_associated',
      summary: 'In {disease}, {subject} did not show an adverse response to {therapy}',
      stance: no('predictive:adverse_response'),
    },
  ),
  ...row(
    'predictive',
    'N/A',
    {
      direction: 'not_associated',
      summary: 'In {disease}, {biomarker} was not shown to inform response to {therapy}',
      stance: [],
    },
    {
      direction: 'not_associated',
      summary: 'In {disease}, {biomarker} was not shown to affect response to {therapy}',
      stance: [],
    },
  ),
  ...row(
    'diagnostic',
    'Positive',
    {
      direction: 'association',
      summary: '{biomarker} was associated with a diagnosis of {disease}',
      stance: yes('diagnostic:positive'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to be associated with a diagnosis of {disease}',
      stance: no('diagnostic:positive'),
    },
  ),
  ...row(
    'diagnostic',
    'Negative',
    {
      direction: 'inverse_association',
      summary: '{biomarker} was associated with the absence of {disease}',
      stance: yes('diagnostic:negative'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to be associated with the absence of {disease}',
      stance: no('diagnostic:negative'),
    },
  ),
  ...row(
    'prognostic',
    'Better Outcome',
    {
      direction: 'better_outcome',
      summary: 'In {disease}, {biomarker} was associated with a better outcome',
      stance: yes('prognostic:better_outcome'),
    },
    {
      direction: 'not_associated',
      summary: 'In {disease}, {biomarker} was not shown to be associated with a better outcome',
      stance: no('prognostic:better_outcome'),
    },
  ),
  ...row(
    'prognostic',
    'Poor Outcome',
    {
      direction: 'poor_outcome',
      summary: 'In {disease}, {biomarker} was associated with a poorer outcome',
      stance: yes('prognostic:poor_outcome'),
    },
    {
      direction: 'not_associated',
      summary: 'In {disease}, {biomarker} was not shown to be associated with a poorer outcome',
      stance: no('prognostic:poor_outcome'),
    },
  ),
  // CIViC: "The N/A option can be used to imply that the variant does not have an impact on patient prognosis".
  ...row(
    'prognostic',
    'N/A',
    {
      direction: 'not_associated',
      summary: 'In {disease}, {biomarker} was not shown to affect outcome',
      stance: [...no('prognostic:better_outcome'), ...no('prognostic:poor_outcome')],
    },
    {
      direction: 'not_associated',
      summary: 'In {disease}, {biomarker} was not shown to be associated with outcome',
      stance: [...no('prognostic:better_outcome'), ...no('prognostic:poor_outcome')],
    },
  ),
  ...row(
    'prognostic',
    'Positive',
    { direction: 'unclear', summary: legacy('prognostic', 'Positive'), stance: [] },
    {
      direction: 'unclear',
      summary: `${legacy('prognostic', 'Positive')}, and the study does not support it`,
      stance: [],
    },
  ),
  ...row(
    'prognostic',
    'Negative',
    { direction: 'unclear', summary: legacy('prognostic', 'Negative'), stance: [] },
    {
      direction: 'unclear',
      summary: `${legacy('prognostic', 'Negative')}, and the study does not support it`,
      stance: [],
    },
  ),
  ...row(
    'predisposing',
    'Predisposition',
    {
      direction: 'association',
      summary: '{biomarker} was associated with a predisposition to {disease}',
      stance: yes('predisposing:predisposition'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to predispose to {disease}',
      stance: no('predisposing:predisposition'),
    },
  ),
  ...row(
    'predisposing',
    'Protectiveness',
    {
      direction: 'inverse_association',
      summary: '{biomarker} was associated with protection against {disease}',
      stance: yes('predisposing:protectiveness'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to protect against {disease}',
      stance: no('predisposing:protectiveness'),
    },
  ),
  ...row(
    'predisposing',
    'Pathogenic',
    {
      direction: 'association',
      summary: '{biomarker} was reported as pathogenic for {disease}',
      stance: yes('predisposing:predisposition'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to be pathogenic for {disease}',
      stance: no('predisposing:predisposition'),
    },
  ),
  ...row(
    'predisposing',
    'Likely Pathogenic',
    {
      direction: 'association',
      summary: '{biomarker} was reported as likely pathogenic for {disease}',
      stance: yes('predisposing:predisposition'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to be likely pathogenic for {disease}',
      stance: no('predisposing:predisposition'),
    },
  ),
  ...row(
    'predisposing',
    'Benign',
    {
      direction: 'not_associated',
      summary: '{biomarker} was reported as benign for {disease}',
      stance: no('predisposing:predisposition'),
    },
    { direction: 'unclear', summary: '{biomarker} was not shown to be benign for {disease}', stance: [] },
  ),
  ...row(
    'predisposing',
    'Likely Benign',
    {
      direction: 'not_associated',
      summary: '{biomarker} was reported as likely benign for {disease}',
      stance: no('predisposing:predisposition'),
    },
    { direction: 'unclear', summary: '{biomarker} was not shown to be likely benign for {disease}', stance: [] },
  ),
  ...row(
    'predisposing',
    'Uncertain Significance',
    { direction: 'unclear', summary: '{biomarker} was of uncertain significance for {disease}', stance: [] },
    {
      direction: 'unclear',
      summary: '{biomarker} was not shown to be of uncertain significance for {disease}',
      stance: [],
    },
  ),
  ...row(
    'predisposing',
    'Positive',
    {
      direction: 'association',
      summary: '{biomarker} was associated with {disease}',
      stance: yes('predisposing:predisposition'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to be associated with {disease}',
      stance: no('predisposing:predisposition'),
    },
  ),
  ...row(
    'predisposing',
    'N/A',
    { direction: 'unclear', summary: '{biomarker} has no stated predisposing significance for {disease}', stance: [] },
    { direction: 'unclear', summary: '{biomarker} has no stated predisposing significance for {disease}', stance: [] },
  ),
  ...row(
    'oncogenic',
    'Oncogenicity',
    {
      direction: 'association',
      summary: 'In {disease}, {biomarker} showed oncogenic potential',
      stance: yes('oncogenic:oncogenicity'),
    },
    {
      direction: 'not_associated',
      summary: 'In {disease}, {biomarker} was not shown to have oncogenic potential',
      stance: no('oncogenic:oncogenicity'),
    },
  ),
  ...row(
    'oncogenic',
    'Likely Oncogenic',
    {
      direction: 'association',
      summary: 'In {disease}, {biomarker} was reported as likely oncogenic',
      stance: yes('oncogenic:oncogenicity'),
    },
    {
      direction: 'not_associated',
      summary: 'In {disease}, {biomarker} was not shown to be likely oncogenic',
      stance: no('oncogenic:oncogenicity'),
    },
  ),
  ...row(
    'oncogenic',
    'Oncogenic',
    {
      direction: 'association',
      summary: 'In {disease}, {biomarker} was reported as oncogenic',
      stance: yes('oncogenic:oncogenicity'),
    },
    {
      direction: 'not_associated',
      summary: 'In {disease}, {biomarker} was not shown to be oncogenic',
      stance: no('oncogenic:oncogenicity'),
    },
  ),
  ...row(
    'oncogenic',
    'Protectiveness',
    {
      direction: 'inverse_association',
      summary: 'In {disease}, {biomarker} showed a protective role against the cancer',
      stance: yes('oncogenic:protectiveness'),
    },
    {
      direction: 'not_associated',
      summary: 'In {disease}, {biomarker} was not shown to have a protective role against the cancer',
      stance: no('oncogenic:protectiveness'),
    },
  ),
  ...row(
    'functional',
    'Gain of Function',
    {
      direction: 'association',
      summary: '{biomarker} increased the normal function of the gene product',
      stance: yes('functional:gain'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to increase the normal function of the gene product',
      stance: no('functional:gain'),
    },
  ),
  ...row(
    'functional',
    'Loss of Function',
    {
      direction: 'association',
      summary: '{biomarker} diminished or abolished the function of the gene product',
      stance: yes('functional:loss'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to diminish the function of the gene product',
      stance: no('functional:loss'),
    },
  ),
  ...row(
    'functional',
    'Unaltered Function',
    {
      direction: 'no_effect',
      summary: '{biomarker} left the function of the gene product unchanged',
      stance: yes('functional:unaltered'),
    },
    {
      direction: 'unclear',
      summary: '{biomarker} was not shown to leave the function of the gene product unchanged',
      stance: no('functional:unaltered'),
    },
  ),
  ...row(
    'functional',
    'Neomorphic',
    {
      direction: 'association',
      summary: '{biomarker} gave the gene product a new function',
      stance: yes('functional:neomorphic'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to give the gene product a new function',
      stance: no('functional:neomorphic'),
    },
  ),
  ...row(
    'functional',
    'Dominant Negative',
    {
      direction: 'association',
      summary: '{biomarker} blocked the function of the normal (wild-type) gene product',
      stance: yes('functional:dominant_negative'),
    },
    {
      direction: 'not_associated',
      summary: '{biomarker} was not shown to block the function of the normal (wild-type) gene product',
      stance: no('functional:dominant_negative'),
    },
  ),
  ...row(
    'functional',
    'Unknown',
    {
      direction: 'unclear',
      summary: "{biomarker} changed the function of the gene product in a way CIViC's categories do not describe",
      stance: [],
    },
    {
      direction: 'unclear',
      summary: 'An effect of {biomarker} on the function of the gene product was not supported',
      stance: [],
    },
  ),
];

const CELLS = new Map(CIVIC_MAPPING.map((c) => [`${c.evidence_type}|${c.significance}|${c.evidence_direction}`, c]));
const CANONICAL_SIGNIFICANCE = new Map(CIVIC_MAPPING.map((c) => [c.significance.toLowerCase(), c.significance]));

/**
 * The meaning of one item: its table cell, or `unclear` with `known: false` for a combination outside the table
 * (then `evidence_type` is null for a type CIViC does not have, and `significance` is the value as written).
 */
export type CivicMeaning = Omit<CivicMappingCell, 'evidence_type'> & {
  evidence_type: CivicEvidenceType | null;
  /** False when type × significance is not a cell of CIVIC_MAPPING (an unknown or new CIViC value). */
  known: boolean;
};

/** "Predictive" → `predictive`; null for anything else. */
export function civicEvidenceType(text: string): CivicEvidenceType | null {
  const key = text.trim().toLowerCase() as CivicEvidenceType;
  return CIVIC_EVIDENCE_TYPES.includes(key) ? key : null;
}

/** "Supports" → `supports`, "Does Not Support" → `does_not_support`, anything else (empty, "N/A") → `unstated`. */
export function civicEvidenceDirection(text: string): CivicEvidenceDirection {
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (key === 'supports') return 'supports';
  if (key === 'does not support') return 'does_not_support';
  return 'unstated';
}

/** A significance under its current CIViC name ("Sensitivity" → "Sensitivity/Response"); unknown values as written. */
export function civicSignificance(text: string): string {
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return CIVIC_SIGNIFICANCE_ALIASES[key] ?? CANONICAL_SIGNIFICANCE.get(key) ?? text.trim();
}

/**
 * Looks up an item in CIVIC_MAPPING by its three fields as written in any release. Never throws: a combination the
 * table does not have (e.g. a predictive item with an empty significance, 8 rows in 2018) is `unclear`, relation
 * `supports`, no stance, `known: false`, with a summary that says so.
 */
export function civicMeaning(
  item: Pick<CivicEvidence, 'evidence_type' | 'significance' | 'evidence_direction'>,
): CivicMeaning {
  const type = civicEvidenceType(item.evidence_type);
  const significance = civicSignificance(item.significance);
  const evidenceDirection = civicEvidenceDirection(item.evidence_direction);
  const cell = type === null ? undefined : CELLS.get(`${type}|${significance}|${evidenceDirection}`);
  if (cell) return { ...cell, known: true };
  const typeName = type ?? (item.evidence_type.trim().toLowerCase() || 'unclassified');
  const sig = significance === '' ? 'no significance' : `"${significance}"`;
  return {
    evidence_type: type,
    significance,
    evidence_direction: evidenceDirection,
    direction: 'unclear',
    relation: 'supports',
    stance: [],
    summary: `In {disease}, CIViC records ${typeName} evidence with ${sig} about {biomarker}${type === 'predictive' ? ' and {therapy}' : ''}, which this service does not interpret`,
    known: false,
  };
}

const LEVEL_EVIDENCE: Record<string, readonly [string, string]> = {
  A: ['one source', 'CIViC level A (validated association)'],
  B: ['one clinical study', 'CIViC level B'],
  C: ['one case study', 'CIViC level C'],
  D: ['one preclinical study', 'CIViC level D'],
  E: ['one source of indirect evidence', 'CIViC level E'],
};

const GERMLINE: readonly (CivicVariantOrigin | null)[] = ['rare_germline', 'common_germline'];

/** "Erlotinib" → "erlotinib" (a drug's name is a common noun); names with capitals inside, digits or spaces stay. */
function drugWord(name: string): string {
  return /^[A-Z][a-z]+(?:-[a-z]+)*$/.test(name) ? name.toLowerCase() : name;
}

function listed(names: string[], conjunction: string): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`;
}

/** Therapies as a phrase: "erlotinib", "the combination of afatinib and rapamycin", "afatinib or erlotinib", ... */
export function civicTherapyPhrase(terms: readonly CivicTherapy[], interaction: CivicInteractionType | null): string {
  const names = terms.map((t) => drugWord(t.name));
  if (names.length === 0) return 'a therapy the record does not name';
  if (names.length === 1) return names[0] as string;
  if (interaction === 'combination') return `the combination of ${listed(names, 'and')}`;
  if (interaction === 'sequential') return `${listed(names, 'and')} given in sequence`;
  if (interaction === 'substitutes') return listed(names, 'or');
  return `${listed(names, 'and')} (how they were given together is not recorded)`;
}

function sourceKindNote(source: CivicSource | undefined): string {
  if (!source || source.kind === 'pubmed') return '';
  return source.kind === 'other' ? ` (${source.source_type} source)` : ' (conference abstract)';
}

export interface CivicSummaryOptions {
  /** Disease name to use instead of CIViC's (e.g. the Disease Ontology's lower-case name for the DOID). */
  disease?: string | null;
}

/**
 * A plain-language summary a health app can show, composed only from the item's structured fields:
 *
 *   `<cell summary with placeholders filled>; <evidence>.`
 *
 * The cell summary comes from CIVIC_MAPPING (every type × significance × direction, negations included, e.g. "In
 * colorectal cancer, tumours with NRAS Q61 did not show resistance to cetuximab"). `{subject}` is "tumours with X" for
 * somatic variants, "people carrying X" for germline ones and "cases with X" otherwise; `{therapy}` comes from
 * civicTherapyPhrase; a missing disease reads "a disease the record does not name" and drops the "In ...," opening.
 * `<evidence>` is one source at the item's level: A "one source, CIViC level A (validated association)", B "one
 * clinical study", C "one case study", D "one preclinical study", E "one source of indirect evidence", with
 * "(conference abstract)" for an ASCO or ASH source. Nothing else (sample size, design, effect size) is claimed.
 * Stored with `plain_summary_source: generated`.
 */
export function civicPlainSummary(
  item: Pick<
    CivicEvidence,
    | 'evidence_type'
    | 'significance'
    | 'evidence_direction'
    | 'evidence_level'
    | 'biomarker'
    | 'disease'
    | 'therapy_terms'
    | 'therapy_interaction_type'
    | 'variant_origin'
  > & { source?: CivicSource },
  options: CivicSummaryOptions = {},
): string {
  const meaning = civicMeaning(item);
  const biomarker = item.biomarker ?? 'a biomarker the record does not name';
  const subject =
    item.variant_origin === 'somatic'
      ? `tumours with ${biomarker}`
      : GERMLINE.includes(item.variant_origin)
        ? `people carrying ${biomarker}`
        : `cases with ${biomarker}`;
  const disease = options.disease === undefined ? item.disease : options.disease;
  let template = meaning.summary;
  if (!disease) template = template.replace('In {disease}, ', '');
  const text = template
    .replaceAll('{subject}', subject)
    .replaceAll('{biomarker}', biomarker)
    .replaceAll('{therapy}', civicTherapyPhrase(item.therapy_terms, item.therapy_interaction_type))
    .replaceAll('{disease}', disease || 'a disease the record does not name')
    .replaceAll('{type}', meaning.evidence_type ?? 'unclassified')
    .replaceAll('{significance}', meaning.significance || 'no significance');
  const [kind, level] = LEVEL_EVIDENCE[item.evidence_level] ?? ['one source', `CIViC level ${item.evidence_level}`];
  const evidence = `${kind}${sourceKindNote(item.source)}, ${level}`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}; ${evidence}.`;
}

const CONTRARY = new Set(CIVIC_CONTRARY_PROPOSITIONS.flatMap(([a, b]) => [`${a}|${b}`, `${b}|${a}`]));

function normal(text: string | null | undefined): string {
  return (text ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * The comparison group of an item: same evidence type, biomarker (case-insensitive), disease (DOID, else name) and
 * therapy set (names without aliases, order ignored, with the interaction type when there are several: a combination
 * and the same drugs as substitutes are different therapies). Null when the type is not one of CIViC's.
 */
export function civicComparisonKey(
  item: Pick<
    CivicEvidence,
    'evidence_type' | 'biomarker' | 'disease' | 'doid' | 'therapy_terms' | 'therapy_interaction_type'
  >,
): string | null {
  const type = civicEvidenceType(item.evidence_type);
  if (type === null) return null;
  const therapies = [...new Set(item.therapy_terms.map((t) => normal(t.name)))].sort();
  const interaction = therapies.length > 1 ? (item.therapy_interaction_type ?? 'unrecorded') : '';
  return [type, normal(item.biomarker), item.doid ?? normal(item.disease), therapies.join('+'), interaction].join('|');
}

/** Whether two stances disagree, agree, or say nothing about each other. */
function relate(a: readonly CivicStance[], b: readonly CivicStance[]): 'agree' | 'disagree' | null {
  let shared = false;
  for (const x of a)
    for (const y of b) {
      if (x.proposition === y.proposition) {
        if (x.holds !== y.holds) return 'disagree';
        shared = true;
      } else if (x.holds && y.holds && CONTRARY.has(`${x.proposition}|${y.proposition}`)) return 'disagree';
    }
  return shared ? 'agree' : null;
}

/**
 * For each item, the evidence ids of items that agree and that disagree with it. Two items are compared only when
 * they share civicComparisonKey (same type, biomarker, disease and therapy set). Then, from their CIVIC_MAPPING
 * stances: they DISAGREE when one asserts a proposition the other denies (Supports Resistance vs Does Not Support
 * Resistance) or both assert contrary propositions (CIVIC_CONTRARY_PROPOSITIONS: Sensitivity/Response vs Resistance,
 * Better vs Poor Outcome, ...); they AGREE when they take the same side on a proposition and do not disagree. Items
 * without a stance (unclear cells, unknown values) neither agree nor disagree with anything. Every input id is a key;
 * lists are sorted by evidence id (numerically) and never contain the item itself. Pure: O(n) grouping, then pairs
 * within a group.
 */
export function civicConcordance(
  items: readonly Pick<
    CivicEvidence,
    | 'evidence_id'
    | 'evidence_type'
    | 'significance'
    | 'evidence_direction'
    | 'biomarker'
    | 'disease'
    | 'doid'
    | 'therapy_terms'
    | 'therapy_interaction_type'
  >[],
): Map<string, { agrees: string[]; disagrees: string[] }> {
  const out = new Map<string, { agrees: string[]; disagrees: string[] }>();
  const groups = new Map<string, { id: string; stance: readonly CivicStance[] }[]>();
  for (const item of items) {
    out.set(item.evidence_id, { agrees: [], disagrees: [] });
    const key = civicComparisonKey(item);
    const stance = civicMeaning(item).stance;
    if (key === null || stance.length === 0) continue;
    const group = groups.get(key) ?? [];
    group.push({ id: item.evidence_id, stance });
    groups.set(key, group);
  }
  for (const group of groups.values())
    for (let i = 0; i < group.length; i++)
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i] as (typeof group)[number];
        const b = group[j] as (typeof group)[number];
        if (a.id === b.id) continue;
        const relation = relate(a.stance, b.stance);
        if (relation === null) continue;
        const list = relation === 'agree' ? 'agrees' : 'disagrees';
        out.get(a.id)?.[list].push(b.id);
        out.get(b.id)?.[list].push(a.id);
      }
  const byId = (x: string, y: string) => Number(x) - Number(y) || codePointOrder(x, y);
  for (const v of out.values()) {
    v.agrees = [...new Set(v.agrees)].sort(byId);
    v.disagrees = [...new Set(v.disagrees)].sort(byId);
  }
  return out;
}

/** What orders claims of one certainty level. Unknown values are null and sort after every known one. */
export interface WithinCertaintyFields {
  /** CIViC's 1-5 star rating. */
  rating: number | null;
  /** The strongest study design among the claim's studies (a STUDY_DESIGNS value). */
  strongest_design: string | null;
  /** Participants in the largest study. */
  sample_size: number | null;
  /** Publication date of the newest source, ISO 8601 ("2018", "2018-05" or "2018-05-12"). */
  published: string | null;
  /** Stable last resort. */
  id: string;
}

const codePointOrder = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

const designRank = (design: string | null) => {
  const at = design === null ? -1 : DESIGN_STRENGTH.indexOf(design);
  return at < 0 ? DESIGN_STRENGTH.length : at;
};

/**
 * Comparator for claims of one certainty level, best first: higher CIViC rating, then stronger design (the order of
 * DESIGN_STRENGTH in src/evidence/vocabulary.ts, meta-analysis first), then larger sample, then more recent
 * publication, then id. Nulls last at every step, so a missing value never outranks a known one.
 */
export function compareWithinCertainty(a: WithinCertaintyFields, b: WithinCertaintyFields): number {
  return (
    (b.rating ?? 0) - (a.rating ?? 0) ||
    designRank(a.strongest_design) - designRank(b.strongest_design) ||
    (b.sample_size ?? -1) - (a.sample_size ?? -1) ||
    codePointOrder(b.published ?? '', a.published ?? '') ||
    codePointOrder(a.id, b.id)
  );
}

/**
 * The same order as compareWithinCertainty as one string that sorts ascending (for a stored, indexed column):
 * `<5 - rating>|<design rank, 2 digits>|<10^12 - sample, 13 digits>|<published with each digit d as 9 - d>~|<id>`.
 */
export function withinCertaintySortKey(x: WithinCertaintyFields): string {
  const rating = 5 - Math.max(0, Math.min(5, x.rating ?? 0));
  const design = String(designRank(x.strongest_design)).padStart(2, '0');
  const sample = String(1e12 - Math.max(-1, Math.min(1e12, x.sample_size ?? -1))).padStart(13, '0');
  // '~' after the inverted date sorts a shorter (less precise) date after a longer one that starts the same way,
  // as the comparator's descending order puts "2018-05" before "2018".
  const published = (x.published ?? '').replace(/\d/g, (d) => String(9 - Number(d)));
  return `${rating}|${design}|${sample}|${published}~|${x.id}`;
}

/** CIVIC_MAPPING as the Markdown table in src/importers/civic/README.md (a test keeps the two equal). */
export function civicMappingMarkdown(): string {
  const lines = [
    '| evidence type | significance | evidence direction | direction | relation | stance | summary template |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of CIVIC_MAPPING) {
    const stance = c.stance.map((s) => `${s.holds ? '+' : '¬'}${s.proposition}`).join(', ') || '–';
    lines.push(
      `| ${c.evidence_type} | ${c.significance} | ${c.evidence_direction} | ${c.direction} | ${c.relation} | ${stance} | ${c.summary} |`,
    );
  }
  return lines.join('\n');
}
