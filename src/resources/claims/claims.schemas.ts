// API shapes for claims: the claim with its grade, caveats and studies, its evidence summary, and the list filters.
import { z } from 'zod';
import { EffectEstimateInput } from '../../evidence/effect-estimates.js';
import { GradeAssessmentSchema } from '../../evidence/grade-assessment.js';
import { GradeAssessmentInput, GradeDomainsInput } from '../../evidence/grade-domains.js';
import { certaintyOf, GRADE_SCHEMES } from '../../evidence/grades.js';
import { PicoFilterQuery, PicoInput } from '../../evidence/pico.js';
import { RISK_OF_BIAS_TOOLS } from '../../evidence/risk-of-bias.js';
import { NOTICE_TYPES, PUBLICATION_KINDS } from '../../evidence/study-record.js';
import {
  CAVEAT_CODES,
  CLAIM_STATUSES,
  DIRECTIONS,
  EVIDENCE_TYPES,
  INTERVENTION_RELATIONS,
  PLAIN_SUMMARY_SOURCES,
  STUDY_DESIGNS,
  STUDY_SOURCE_TYPES,
  VARIANT_ORIGINS,
} from '../../evidence/vocabulary.js';
import {
  booleanFilter,
  booleanQuery,
  CaveatsSchema,
  ClaimId,
  ConditionRefSchema,
  DesignSchema,
  DirectionSchema,
  GradeSchema,
  InterventionRefSchema,
  MetadataStatus,
  Pmid,
  page,
  RelationSchema,
  RetractionSchema,
  Slug,
  SourceCitationSchema,
  SpeciesSchema,
  StudyKey,
} from '../../http/api-schemas.js';
import { cursorParam, limitParam } from '../../http/pagination.js';
import { REVIEW_REASONS } from './claims.retractions.js';

// Evidence depth (issue 16): effect estimates, risk of bias, GRADE domains and PICO as a reader sees them.

/** An effect estimate as stored, with the one-line summary a reader sees. */
export const EffectEstimateSchema = EffectEstimateInput.extend({
  summary: z
    .string()
    .describe('The estimate in one line, e.g. `RR 0.62 (95% CI 0.45 to 0.85; p = 0.003; n = 43)`.')
    .meta({ example: 'RR 0.62 (95% CI 0.45 to 0.85; p = 0.003; n = 43)' }),
}).meta({ id: 'EffectEstimate' });

export const StudyRiskOfBiasRefSchema = z
  .object({
    tool: z.enum(RISK_OF_BIAS_TOOLS),
    result: z.string().nullable().describe('The result assessed, for RoB 2 and ROBINS-I.'),
    overall: z.string().describe("Overall judgement in the tool's vocabulary."),
  })
  .meta({ id: 'StudyRiskOfBiasRef' });

export const ClaimGradeSchema = GradeSchema.extend({
  domains: GradeDomainsInput.nullable().describe(
    'GRADE domain judgements (each null when not assessed); null when the claim has not been assessed by domain.',
  ),
  synthesis_of: GradeAssessmentInput.shape.synthesis_of,
  override_reason: z
    .string()
    .nullable()
    .describe('Why the level differs from what the domains give; null when it does not (see `assessment.overridden`).'),
  assessment: GradeAssessmentSchema.nullable().describe(
    'The GRADE arithmetic: where the rating starts (from the strongest supporting design), each domain step, and the level it gives; null for non-GRADE schemes.',
  ),
}).meta({ id: 'ClaimGrade' });

export const ClaimStudySchema = z
  .object({
    key: StudyKey,
    pmid: z.string().nullable().describe('PubMed id; null for a source without one (a meeting abstract).'),
    source_type: z.enum(STUDY_SOURCE_TYPES).describe('`pubmed`, or the kind of source without a PMID.'),
    title: z.string().nullable(),
    journal: z
      .string()
      .nullable()
      .describe(
        "The journal as the study's own record names it: its NLM title abbreviation (the study's `journal_medline_ta`, e.g. `Osteoarthritis Cartilage`), else its full title (`journal`), else its ISO abbreviation (`journal_iso`).",
      ),
    year: z.number().int().nullable(),
    design: DesignSchema.nullable().describe('Study design; null when not yet known.'),
    sample_size: z.number().int().nullable().describe('Participants in the study; null when not known.'),
    sample_size_note: z.string().nullable(),
    species: SpeciesSchema.nullable(),
    retracted: z.boolean(),
    metadata_status: MetadataStatus,
    source_citation: SourceCitationSchema.nullable().describe(
      "The citation string of the source that cited the study (CIViC), served while the study's bibliographic record is missing (no title); null once it is known.",
    ),
    relation: RelationSchema.describe('How this study bears on the claim.'),
    finding: z.string().nullable().describe('What this study found, as it bears on the claim.'),
    subgroup_sample_size: z
      .number()
      .int()
      .nullable()
      .describe('Participants in the subgroup behind this finding, when smaller than the study.'),
    publication_kind: z
      .enum(PUBLICATION_KINDS)
      .nullable()
      .describe('Journal article, preprint, book or chapter; null when not yet known (read as an article).'),
    publication_status: z
      .string()
      .nullable()
      .describe('PubMed PublicationStatus: `ppublish`, `epublish` or `aheadofprint`.'),
    retraction: RetractionSchema.nullable().describe('Why the study is retracted; null when it is not.'),
    deleted_by_pubmed: z.boolean().describe('PubMed withdrew this PMID (DeleteCitation); the study is kept, marked.'),
    notices: z
      .array(z.object({ type: z.enum(NOTICE_TYPES), pmid: z.string().nullable() }).meta({ id: 'NoticeSummary' }))
      .describe(
        "The study's notices (retraction, erratum, expression of concern, comment...): type and PMID; the whole links are on `/v1/studies/{pmid}`.",
      ),
    // Evidence depth (issue 16).
    effect_estimates: z
      .array(EffectEstimateSchema)
      .describe('Effect estimates this study gives for the claim, each with its CI and where in the study it is.'),
    risk_of_bias: z
      .array(StudyRiskOfBiasRefSchema)
      .describe("The study's risk-of-bias assessments, overall judgement per tool (the domains are on the study)."),
  })
  .meta({ id: 'ClaimStudy' });

export const ClaimReviewSchema = z
  .object({
    needed: z
      .boolean()
      .describe(
        "True while the claim awaits a curator's review: it is then left out of `min_grade` filters above very_low. Cleared by `POST /v1/claims/{id}/review`.",
      ),
    reason: z
      .enum(REVIEW_REASONS)
      .nullable()
      .describe(
        'Why a review is needed: `retracted_evidence` (a linked study was retracted, or a retracted one linked).',
      ),
    requested_at: z.string().nullable().describe('When the review was asked for (UTC).'),
    reviewed_at: z.string().nullable().describe('When a curator last reviewed the claim (UTC).'),
    reviewed_by: z
      .string()
      .nullable()
      .describe(
        'Who reviewed it, as revisions name actors: `key:<id>` for an API key (its name is shown to keys in the revisions).',
      ),
    note: z
      .string()
      .nullable()
      .describe("The curator's note on the last review.")
      .meta({ example: 'Retracted trial unlinked; grade lowered to very_low on the remaining cohort.' }),
  })
  .meta({ id: 'ClaimReview' });

export const EvidenceSummarySchema = z
  .object({
    study_count: z.number().int().describe('Studies linked as `supports`.'),
    studies_by_design: z
      .array(z.object({ design: DesignSchema.nullable(), count: z.number().int() }))
      .describe('Supporting studies per design, strongest first; `design: null` counts studies of unknown design.'),
    total_participants: z
      .number()
      .int()
      .nullable()
      .describe('Sum of the known sample sizes of the supporting studies; null when none is known.'),
    studies_with_unknown_sample_size: z.number().int().describe('Supporting studies whose sample size is unknown.'),
    strongest_design: DesignSchema.nullable().describe('The strongest design among the supporting studies.'),
    has_rct: z.boolean().describe('Whether any supporting study is a randomised controlled trial.'),
    has_systematic_review: z
      .boolean()
      .describe('Whether any supporting study is a systematic review or meta-analysis.'),
    sample_size: z
      .number()
      .int()
      .nullable()
      .describe("Largest known sample size among the supporting studies (the claim's `sample_size`)."),
    contradicting_study_count: z.number().int().describe('Studies linked as `contradicts`, counted apart.'),
    contradicting_participants: z
      .number()
      .int()
      .nullable()
      .describe('Sum of the known sample sizes of the contradicting studies; null when none is known.'),
    context_study_count: z
      .number()
      .int()
      .describe('Studies linked as `context` only: background, never counted as evidence for the claim.'),
  })
  .describe(
    'The evidence behind the claim, counted from the studies linked as `supports`; contradicting and context studies are counted apart and lend the claim neither their sample size nor their design.',
  )
  .meta({ id: 'EvidenceSummary' });

export const ClaimSourceSchema = z
  .object({
    name: z.string().describe('`curated` for claims written here; `civic` for CIViC evidence items.'),
    id: z.string().nullable().describe("The source's own id (CIViC evidence id)."),
    url: z.string().nullable(),
    release: z.string().nullable().describe('The release file the claim was imported from.'),
    imported_at: z.string().nullable(),
    evidence_direction: z
      .string()
      .nullable()
      .describe("The source's own evidence direction as written (CIViC: `Supports`, `Does Not Support`)."),
    significance: z
      .string()
      .nullable()
      .describe("The source's clinical significance as written (CIViC: `Resistance`, `Poor Outcome`, ...)."),
    reviewed_at: z.string().nullable().describe('When the source last reviewed the item (CIViC last review date).'),
  })
  .meta({ id: 'ClaimSource' });

export const AgreementSchema = z
  .object({
    agreeing: z.number().int().describe('Items on the same biomarker, disease and interventions that agree.'),
    disagreeing: z.number().int().describe('Items on the same biomarker, disease and interventions that disagree.'),
    agreeing_claims: z.array(z.string()).describe('Their claim ids.'),
    disagreeing_claims: z.array(z.string()).describe('Their claim ids; each lists this claim among its own.'),
  })
  .describe(
    'Other claims about the same biomarker, disease and intervention set, with the same evidence type, that reach the same or the opposite conclusion (CIViC items compared by their stance in the mapping table; curated claims have none).',
  )
  .meta({ id: 'Agreement' });

export const ClaimSchema = z
  .object({
    id: z.string().describe('Stable claim id.'),
    statement: z.string().describe('Precise statement, for clinicians.'),
    plain_summary: z
      .string()
      .nullable()
      .describe('Plain-language summary, for patients and health apps; null when none exists.'),
    plain_summary_source: z
      .enum(PLAIN_SUMMARY_SOURCES)
      .nullable()
      .describe(
        "`curated`: written by a person. `generated`: composed by an importer from the claim's own fields only (nothing they do not say), replaced when a curator writes one. Null with no summary.",
      ),
    condition: ConditionRefSchema.nullable().describe('The condition; null for claims about health in general.'),
    interventions: z.array(InterventionRefSchema).describe('Treatments or exposures the claim is about, in order.'),
    intervention_relation: z
      .enum(INTERVENTION_RELATIONS)
      .nullable()
      .describe(
        'How several interventions were given: `combination` (together, as one treatment), `sequential` (one after another), `substitutes` (any one of them). Null with one intervention, or when the source does not record it.',
      ),
    outcome: z.string().nullable(),
    direction: DirectionSchema,
    evidence_type: z
      .enum(EVIDENCE_TYPES)
      .nullable()
      .describe('The kind of biomarker evidence (CIViC evidence type); null for other claims. A filter.'),
    biomarker: z.string().nullable().describe('The biomarker or population the claim is about, e.g. `BRAF V600E`.'),
    variant_origin: z
      .enum(VARIANT_ORIGINS)
      .nullable()
      .describe('Where the variant comes from (somatic, rare or common germline, ...); null when not recorded.'),
    nct_ids: z
      .array(z.string())
      .describe('ClinicalTrials.gov ids of the trials behind the evidence.')
      .meta({ example: ['NCT01585805'] }),
    grade: ClaimGradeSchema,
    caveats: CaveatsSchema,
    retracted_evidence: z
      .array(
        z
          .object({ pmid: z.string().describe('The retracted study.'), retraction: RetractionSchema })
          .meta({ id: 'RetractedEvidence' }),
      )
      .describe(
        'The linked studies that are retracted, with the notice that retracts each; empty when none. Non-empty exactly when `caveats.codes` has `retracted_evidence`.',
      ),
    review: ClaimReviewSchema,
    status: z.enum(CLAIM_STATUSES),
    sample_size: z
      .number()
      .int()
      .nullable()
      .describe(
        'Largest known sample size among the studies linked as `supports` (what `min_sample_size` and `sort=-sample_size` use); context and contradicting studies do not count.',
      ),
    pico: PicoInput.nullable().describe(
      'The clinical question as PICO (population, intervention, comparator, outcome, timeframe); null when not written.',
    ),
    studies: z.array(ClaimStudySchema),
    evidence_summary: EvidenceSummarySchema,
    agreement: AgreementSchema,
    source: ClaimSourceSchema,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Claim' });

export const ClaimListSchema = page(ClaimSchema, 'ClaimList');

export const CLAIM_SORTS = ['-certainty', '-updated', '-sample_size'] as const;
export type ClaimSort = (typeof CLAIM_SORTS)[number];

/** How many `intervention=` a claim list may repeat: one EXISTS test per intervention. */
export const MAX_INTERVENTIONS_QUERIED = 5;

export const ClaimListQuery = z
  .object({
    condition: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'Condition slug, name, synonym, ontology code (`DOID:1909`, `MeSH:D008545`, `NCI:C3224`) or clinical abbreviation (`AML`, from seeds/condition-abbreviations.tsv), case- and accent-insensitive. One that could mean several conditions (`MM`) is a 400 `conditions.ambiguous` listing `candidates`.',
      )
      .meta({ example: 'melanoma' }),
    include_descendants: booleanQuery(true).describe(
      'Include claims about every descendant through the whole hierarchy, curated and ontology links (e.g. lung adenocarcinoma under lung cancer). Default true.',
    ),
    // Repeated (`intervention=a&intervention=b`) the query string gives an array, once a string: both are read as a list.
    intervention: z
      .preprocess(
        (v) => (typeof v === 'string' ? [v] : v),
        z.array(z.string().min(1).max(200)).min(1).max(MAX_INTERVENTIONS_QUERIED),
      )
      .optional()
      .describe(
        `Intervention slug, name or synonym; finds claims where it is one of several (a combination with it included). Repeat it (\`intervention=dabrafenib&intervention=trametinib\`, up to ${MAX_INTERVENTIONS_QUERIED}) for claims about all of them together: each claim listed involves every one given (and possibly more); how they were given is in \`intervention_relation\`.`,
      ),
    min_grade: z
      .string()
      .max(20)
      .optional()
      .describe(
        'Minimum grade, scheme by scheme: a GRADE level (`low`: GRADE-graded claims at low or above) or a CIViC evidence level (`B`: CIViC claims at A or B). A level never matches the other scheme (GRADE low and CIViC C are not the same evidence). A number 0-4 compares every scheme on the shared certainty scale (`grade.certainty`: GRADE high 4 ... very_low 1; CIViC A 4 ... E 0). Combined with `grade_scheme`, the level must belong to it (400 otherwise). Above certainty 1, claims awaiting review (`review.needed`: retracted evidence) are left out until a curator reviews them.',
      )
      // very_low: the docs page fills every example into one "Try it out", and the seeded melanoma claim is very low.
      .meta({ example: 'very_low' }),
    grade: z.string().max(20).optional().describe('Exact grade level, e.g. `low` or `B`.'),
    grade_scheme: z.enum(GRADE_SCHEMES).optional().describe('Only claims graded with this scheme.'),
    design: z.enum(STUDY_DESIGNS).optional().describe('Claims with at least one linked study of this design.'),
    min_sample_size: z.coerce
      .number()
      .int()
      .min(0)
      .max(1_000_000_000)
      .optional()
      .describe('Minimum `sample_size`: the largest n among the supporting studies (unknown never matches).'),
    direction: z.enum(DIRECTIONS).optional().describe('Direction of the effect or association.'),
    evidence_type: z
      .enum(EVIDENCE_TYPES)
      .optional()
      // No example: the docs page fills every example into one "Try it out", and the seeded claims have no type.
      .describe('Only claims of this evidence type (CIViC: predictive, diagnostic, prognostic, ...).'),
    pmid: z
      .string()
      .regex(/^[1-9][0-9]{0,8}$/, 'must be a PubMed id: 1 to 9 digits')
      .optional()
      .describe('Claims that cite this PubMed id.'),
    biomarker: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Exact biomarker, case-insensitive, e.g. `BRAF V600E` (imported CIViC evidence).'),
    source: z.enum(['curated', 'civic']).optional().describe('Only claims from this source.'),
    has_retracted_evidence: booleanFilter().describe(
      '`true`: only claims resting on at least one retracted study; `false`: none of them.',
    ),
    q: z
      .string()
      .max(1000)
      .optional()
      .describe(
        'Full-text search over statement, plain summary, biomarker, outcome and interventions; composes with the other filters. Words match as prefixes.',
      ),
    status: z
      .enum(CLAIM_STATUSES)
      .default('published')
      .describe(
        'Claim status; default `published`. Retracted and withdrawn claims are listed only when asked for; `draft` only to callers with an API key (401 without one).',
      ),
    // Evidence depth (issue 16): PICO filters.
    ...PicoFilterQuery.shape,
    sort: z
      .enum(CLAIM_SORTS)
      .default('-certainty')
      .describe(
        '`-certainty` (default): strongest certainty first; within one certainty level, higher CIViC rating, then stronger study design, then larger sample size, then more recent publication, then id (unknown values last at each step). `-updated` (newest first) and `-sample_size` (largest first) break ties on id.',
      ),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict()
  // @fastify/swagger reads a parameter's serialisation from the query object: form, exploded (OpenAPI's default for
  // query parameters), so the array `intervention` is written `intervention=a&intervention=b`.
  .meta({ style: 'form', explode: true });
export type ClaimListQuery = z.infer<typeof ClaimListQuery>;

/** Effect estimates on one claim-study link, as a curator writes them (checked on write: 422 with the path). */
export const EffectEstimatesInput = z
  .array(EffectEstimateInput)
  .max(50)
  .default([])
  .describe(
    'Effect estimates this study gives for the claim. A CI that does not contain its estimate, a ratio at or below 0, a p-value outside 0-1 or an estimate whose CI points against the relation of its link are 422s naming the path.',
  );

/** What a curator (or a seed file) supplies for a claim; grades are checked against their scheme on write. */
export const ClaimInput = z
  .object({
    id: ClaimId,
    statement: z.string().min(1).max(5000),
    plain_summary: z.string().min(1).max(5000),
    condition: Slug.nullable().describe('Slug of the condition; null for claims about health in general.'),
    interventions: z.array(Slug).max(50).default([]),
    intervention_relation: z
      .enum(INTERVENTION_RELATIONS)
      .nullable()
      .default(null)
      .describe('How several interventions were given; null with one.'),
    outcome: z.string().max(500).nullable().default(null),
    direction: z.enum(DIRECTIONS),
    evidence_type: z.enum(EVIDENCE_TYPES).nullable().default(null),
    variant_origin: z.enum(VARIANT_ORIGINS).nullable().default(null),
    nct_ids: z
      .array(z.string().regex(/^NCT[0-9]{8}$/, 'must be a ClinicalTrials.gov id such as NCT01585805'))
      .max(50)
      .default([]),
    grade: z
      .object({
        scheme: z.enum(GRADE_SCHEMES).default('GRADE'),
        level: z.string().min(1).max(20),
        rationale: z.string().max(5000).nullable().default(null),
        upgrade_rationale: z
          .string()
          .max(5000)
          .nullable()
          .default(null)
          .describe(
            'Why the claim was rated up, in words. A level above where the supporting designs start needs `domains` that rate it up (or `override_reason`); this text alone no longer lifts a grade.',
          ),
        // Evidence depth (issue 16): GRADE domains, what reviews pool, and an explicit override.
        ...GradeAssessmentInput.shape,
      })
      .strict()
      .refine((g) => certaintyOf(g.scheme, g.level) !== undefined, {
        message: 'level must belong to the scheme (GRADE: high, moderate, low, very_low; civic: A-E)',
        path: ['level'],
      }),
    caveats: z
      .object({
        codes: z
          .array(z.enum(CAVEAT_CODES))
          .max(20)
          .default([])
          .describe(
            '`retracted_evidence` is kept by the service: added while a linked study is retracted, removed otherwise.',
          ),
        notes: z.string().max(5000).nullable().default(null),
      })
      .strict()
      .default({ codes: [], notes: null }),
    status: z.enum(CLAIM_STATUSES).default('published'),
    pico: PicoInput.nullable()
      .default(null)
      .describe('The clinical question as PICO; null when not written. Fields the evidence does not state stay null.'),
    studies: z
      .array(
        z
          .object({
            pmid: Pmid.optional().describe('PubMed id of the study (or give `key`).'),
            key: StudyKey.optional().describe('Key of the study: its PMID, or e.g. `asco:160900` (or give `pmid`).'),
            relation: RelationSchema,
            finding: z.string().max(5000).nullable().default(null),
            subgroup_sample_size: z.number().int().min(0).max(1_000_000_000).nullable().default(null),
            effect_estimates: EffectEstimatesInput,
          })
          .strict()
          .refine(
            (l) => (l.pmid === undefined) !== (l.key === undefined),
            'give the study as `pmid` or `key`, not both',
          ),
      )
      .min(1, 'a claim needs at least one linked study')
      .max(500),
  })
  .strict()
  .meta({ id: 'ClaimWrite' });
export type ClaimInput = z.infer<typeof ClaimInput>;
