// Zod schemas shared by several resources: problems, grades, caveats, authors, references between resources.
import { z } from 'zod';
import { GRADE_SCHEMES } from '../evidence/grades.js';
import { RETRACTION_SOURCES } from '../evidence/retraction.js';
import { NOTICE_TYPES } from '../evidence/study-record.js';
import {
  CAVEAT_CODES,
  DIRECTION_DEFINITIONS,
  DIRECTIONS,
  INTERVENTION_KINDS,
  RETRACTED_EVIDENCE,
  SPECIES,
  STUDY_DESIGNS,
  STUDY_RELATIONS,
} from '../evidence/vocabulary.js';

export const Slug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and single hyphens')
  .describe('Stable slug: lower-case letters, digits and single hyphens.');

export const Pmid = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, 'must be a PubMed id: 1 to 9 digits, no leading zero')
  .describe('PubMed identifier (digits only).')
  .meta({ example: '29097493' });

/** A study's key: a PMID, or `<source type>:<id>` for a source without one (`asco:160900`). */
export const StudyKey = z
  .string()
  .min(1)
  .max(300)
  .regex(
    /^(?:[1-9][0-9]{0,8}|(?:asco|ash|other):\S+)$/,
    'must be a PubMed id (digits) or a source key such as asco:160900',
  )
  .describe('Study key: the PMID of a PubMed article, or `asco:<web id>`, `ash:<DOI>`, `other:<type>:<id>`.')
  .meta({ example: '29097493' });

export const SourceCitationSchema = z
  .object({
    text: z.string().describe('The citation exactly as the source wrote it, e.g. `Levine et al., 2005, Blood`.'),
    source: z.string().describe('Who wrote it, e.g. `CIViC`.'),
    note: z
      .string()
      .describe('What the citation is: never bibliographic metadata, only what the source that cited it says.'),
  })
  .meta({ id: 'SourceCitation' });

export const ClaimId = z
  .string()
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a claim id: lower-case letters, digits and hyphens')
  .describe('Stable claim id.')
  .meta({ example: 'melanoma-microbiome-immunotherapy-response' });

export const ProblemSchema = z
  .object({
    type: z.string().describe('URI identifying the problem type: `urn:evidence-api:problem:<code>`.'),
    title: z.string().describe('Short summary of the problem type.'),
    status: z.number().int().describe('HTTP status code.'),
    detail: z.string().describe('What went wrong with this request, naming the parameter and why.'),
    instance: z.string().describe('The request path that produced the problem.'),
    code: z.string().describe('Stable machine-readable code, e.g. `claims.not_found`.'),
    request_id: z.string().describe('The request id, also in the `x-request-id` response header and the logs.'),
    errors: z
      .array(
        z.object({
          path: z.string().describe('Where: `query.limit`, `body.grade.level`, `body.studies[1]`.'),
          message: z.string(),
          pointer: z
            .string()
            .optional()
            .describe('For a place in the request body: its RFC 6901 JSON Pointer, e.g. `/grade/level`.'),
        }),
      )
      .optional()
      .describe(
        'One entry per invalid parameter or body member: for validation errors (400) and broken evidence rules (422).',
      ),
    rule: z
      .string()
      .optional()
      .describe('For `evidence.rule_violated` (422): the evidence rule the write broke, e.g. `claim.needs_study`.'),
    missing: z
      .array(z.string())
      .optional()
      .describe('For `citations.unknown_pmids`: the requested PMIDs that are not in the database.'),
    grade_arithmetic: z
      .looseObject({
        claimed_level: z.string(),
        computed_level: z.string(),
      })
      .optional()
      .describe(
        'For rules `grade.level_matches_domains` and `grade.level_above_start`: the GRADE arithmetic (start, steps, computed and claimed level, unassessed domains) that the level contradicts.',
      ),
    // For POST /mcp: the refusal is also a JSON-RPC error response, so an MCP client reads it as one.
    jsonrpc: z.literal('2.0').optional().describe('For `mcp.*` problems: the JSON-RPC version, `2.0`.'),
    id: z
      .union([z.string(), z.number(), z.null()])
      .optional()
      .describe('For `mcp.*` problems: the JSON-RPC id the error answers; null when the body could not be read.'),
    error: z
      .object({ code: z.number().int(), message: z.string() })
      .optional()
      .describe(
        'For `mcp.*` problems: the JSON-RPC error, e.g. `{ "code": -32600, "message": "Invalid Request: …" }`.',
      ),
    retracted_studies: z
      .array(z.string())
      .optional()
      .describe('For rule `claim.rests_on_retracted_studies`: the retracted supporting studies (PMIDs).'),
    phrases: z
      .array(z.object({ phrase: z.string(), index: z.number().int(), needs: z.string() }))
      .optional()
      .describe(
        'For rule `topic.bottom_line_within_certainty`: the words that claim more than the overall certainty allows, with the level each needs.',
      ),
    duplicate: z
      .string()
      .optional()
      .describe(
        'For rules `*_unique` (422): the item a list names twice (a study key, a slug, a synonym as lookups compare it).',
      ),
    candidates: z
      .array(z.object({ slug: z.string().nullable(), name: z.string(), doid: z.string().nullable() }))
      .optional()
      .describe(
        'For `conditions.ambiguous`: the conditions the text could mean; pass one slug instead (null: the term is not a condition in this database).',
      ),
  })
  .meta({
    id: 'Problem',
    description:
      'RFC 9457 problem details, served as `application/problem+json`. Each response documents an example of its own status.',
  });

export const GradeSchema = z
  .object({
    scheme: z
      .enum(GRADE_SCHEMES)
      .describe('Grading scheme. `GRADE` for curated claims; `civic` for CIViC evidence levels.'),
    level: z.string().describe('Level within the scheme: GRADE `high`, `moderate`, `low`, `very_low`; CIViC `A`-`E`.'),
    certainty: z
      .number()
      .int()
      .min(0)
      .max(4)
      .describe(
        'Normalised certainty for filtering and sorting across schemes: GRADE high 4, moderate 3, low 2, very_low 1; CIViC A 4, B 3, C 2, D 1, E 0.',
      ),
    rationale: z.string().nullable().describe('Why this level: starting level, reasons for rating down or up.'),
    upgrade_rationale: z
      .string()
      .nullable()
      .describe(
        'Why the claim was rated up, in words. Without GRADE domains a level above the design start rests on it, and `assessment.overridden` says so.',
      ),
    rating: z
      .number()
      .int()
      .nullable()
      .describe("The scheme's own rating where it has one (CIViC: 1-5 stars); null otherwise."),
  })
  .meta({ id: 'Grade' });

export const CaveatsSchema = z
  .object({
    codes: z
      .array(z.enum(CAVEAT_CODES))
      .describe(`Structured caveats. \`${RETRACTED_EVIDENCE.code}\`: ${RETRACTED_EVIDENCE.definition}`),
    notes: z.string().nullable().describe('Free-text caveats.'),
  })
  .meta({ id: 'Caveats' });

export const AuthorSchema = z
  .object({
    family: z.string().nullable(),
    given: z.string().nullable(),
    initials: z.string().nullable(),
    collective: z.string().nullable().describe('Group author name; the other fields are null for a group author.'),
    suffix: z
      .string()
      .nullable()
      .describe('Family-rank suffix as NLM records it (`Jr`, `Sr`, `2nd`, `3rd`, `III`); null when none.')
      .meta({ example: 'Jr' }),
  })
  .meta({ id: 'Author' });

export const NoticeSchema = z
  .object({
    type: z
      .enum(NOTICE_TYPES)
      .describe(
        'PubMed CommentsCorrections RefType: `RetractionIn` (retracted by the linked notice), `ErratumIn`, `ExpressionOfConcernIn` (shown, not acted on), `CommentIn`, ...',
      )
      .meta({ example: 'RetractionIn' }),
    pmid: z
      .string()
      .nullable()
      .describe('PMID of the linked citation; null when PubMed gives none.')
      .meta({ example: '195582' }),
    ref_source: z
      .string()
      .nullable()
      .describe("NLM's short citation of the linked item (RefSource).")
      .meta({ example: 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8' }),
    note: z.string().nullable().describe("PubMed's note on the link, when any."),
    in_database: z.boolean().describe('Whether the linked PMID is a study in this database (`/v1/studies/{pmid}`).'),
  })
  .meta({ id: 'Notice' });

export const RetractionSchema = z
  .object({
    source: z
      .enum(RETRACTION_SOURCES)
      .describe(
        '`retraction_in`: PubMed links a retraction notice (RetractionIn); `publication_type`: PubMed types the record "Retracted Publication" without a notice; `curator`: flagged here.',
      ),
    notice_pmid: z
      .string()
      .nullable()
      .describe('PMID of the retraction notice, when known.')
      .meta({ example: '195582' }),
    notice_citation: z
      .string()
      .nullable()
      .describe("The notice's citation as PubMed gives it (RefSource), when known.")
      .meta({ example: 'Rowe CE. Biochem J. 1977 Apr 15;164(1):287-8' }),
  })
  .meta({
    id: 'Retraction',
    description:
      'How a study is known to be retracted, and the notice when PubMed links one. It never lapses on a later import.',
  });

export const ConditionRefSchema = z.object({ slug: z.string(), name: z.string() }).meta({ id: 'ConditionRef' });

export const InterventionRefSchema = z
  .object({ slug: z.string(), name: z.string(), kind: z.enum(INTERVENTION_KINDS) })
  .meta({ id: 'InterventionRef' });

export const MetadataStatus = z
  .enum(['complete', 'partial', 'unknown'])
  .describe(
    '`unknown`: only the PMID is known (title, authors and journal are null until a PubMed record is imported); `partial`: some bibliographic fields or authors are missing; `complete`: title, authors, journal and year are all known.',
  );

export const DesignSchema = z.enum(STUDY_DESIGNS).describe('Study design, strongest first in the enum order.');
export const SpeciesSchema = z.enum(SPECIES);
export const DirectionSchema = z
  .enum(DIRECTIONS)
  .describe(`Which way the claim points: ${DIRECTIONS.map((d) => `\`${d}\`: ${DIRECTION_DEFINITIONS[d]}`).join(' ')}`);
export const RelationSchema = z.enum(STUDY_RELATIONS);

export interface SharedProblem {
  /** The `components.responses` entry every route declaring this problem points at. */
  name: string;
  /** What its example shows, where the status alone does not say (see plugins/openapi-operations.ts). */
  example?: { code: string; detail: string; [member: string]: unknown };
}

/** Problem responses documented once under `components.responses`, by description. */
export const SHARED_PROBLEMS = new Map<string, SharedProblem>();

/**
 * A response documented as `application/problem+json`, the media type every error is served with. With `shared`,
 * every route that declares it points at one `components.responses` entry instead of a copy.
 */
export const problem = (description: string, shared?: SharedProblem) => {
  if (shared !== undefined) SHARED_PROBLEMS.set(description, shared);
  return { description, content: { 'application/problem+json': { schema: ProblemSchema } } };
};

const NOT_FOUND = {
  claims: ['Claim', "No claim has id 'no-such-claim'."],
  conditions: ['Condition', "No condition is 'no-such-condition'."],
  interventions: ['Intervention', "No intervention is 'no-such-intervention'."],
  studies: ['Study', 'No study has PMID 1.'],
  topics: ['Topic', "No topic has slug 'no-such-topic'."],
} as const;

/** The 404 of a route whose path names a `resource` that must exist; one shared response per resource. */
export const notFoundProblem = (resource: keyof typeof NOT_FOUND) => {
  const [noun, detail] = NOT_FOUND[resource];
  return problem(`No such ${noun.toLowerCase()}: the detail names it.`, {
    name: `${noun}NotFound`,
    example: { code: `${resource}.not_found`, detail },
  });
};

/**
 * A query flag: `true` or `false` in the URL, a boolean to the handler and `type: boolean` in the OpenAPI document,
 * so generated clients take `include_descendants: false` rather than the string `"false"`.
 */
export const booleanQuery = (defaultValue: boolean) =>
  z
    .preprocess(
      (value) => (value === 'true' ? true : value === 'false' ? false : value),
      z.boolean({ error: 'must be true or false' }),
    )
    .default(defaultValue);

/** An optional query filter: absent matches either value; `true` or `false` as for booleanQuery, typed boolean. */
export const booleanFilter = () =>
  z
    .preprocess(
      (value) => (value === 'true' ? true : value === 'false' ? false : value),
      z.boolean({ error: 'must be true or false' }),
    )
    .optional();

export const page = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      next_cursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page.'),
    })
    .meta({ id });
