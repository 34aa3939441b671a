// API shapes for studies: full bibliographic record, design and sample size, and the claims a study bears on.
import { z } from 'zod';
import { RISK_OF_BIAS_TOOLS, RiskOfBiasInput } from '../../evidence/risk-of-bias.js';
import { SPECIES, STUDY_DESIGNS } from '../../evidence/vocabulary.js';
import {
  AuthorSchema,
  DesignSchema,
  GradeSchema,
  MetadataStatus,
  Pmid,
  page,
  RelationSchema,
  SpeciesSchema,
} from '../../http/api-schemas.js';
import { cursorParam, limitParam } from '../../http/pagination.js';

// Evidence depth (issue 16): a risk-of-bias assessment as a reader sees it, with what the tool's algorithm gives.
export const StudyRiskOfBiasSchema = RiskOfBiasInput.extend({
  tool_name: z.string().describe("The tool's name, e.g. `RoB 2`.").meta({ example: 'RoB 2' }),
  algorithm: z
    .object({
      computed: z.string().describe("The overall judgement the tool's algorithm gives for these domains."),
      allowed: z
        .array(z.string())
        .describe(
          'Every overall judgement the algorithm permits (more than one where the tool leaves it to the assessor).',
        ),
      rule: z.string().describe('The algorithm in words, with what it found.'),
      source: z.string().describe('Where the tool defines it.'),
      stars: z
        .object({
          total: z.number().int(),
          selection: z.number().int(),
          comparability: z.number().int(),
          outcome: z.number().int(),
        })
        .optional()
        .describe('Newcastle-Ottawa: stars per category and in total (0-9).'),
      critical_flaws: z.array(z.string()).optional().describe('AMSTAR 2: critical items answered no.'),
      non_critical_weaknesses: z.array(z.string()).optional().describe('AMSTAR 2: other items answered no.'),
    })
    .describe("How the tool's own algorithm reaches the overall judgement from the domains."),
}).meta({ id: 'StudyRiskOfBias' });

export const StudySchema = z
  .object({
    pmid: z.string().describe('PubMed id; the stable id of a study.'),
    doi: z.string().nullable(),
    pmcid: z.string().nullable(),
    title: z.string().nullable().describe('Null until known: never guessed.'),
    authors: z
      .array(AuthorSchema)
      .describe('Authors in citation order; possibly only the first few (see `authors_complete`).'),
    authors_complete: z.boolean().describe('False when `authors` holds only the first few authors.'),
    last_author: AuthorSchema.nullable().describe(
      'The last author, when the list is incomplete but the last author is known.',
    ),
    author_count: z.number().int().nullable().describe('Total number of authors, when known.'),
    journal: z.string().nullable().describe('Full journal title.'),
    journal_iso: z.string().nullable().describe('Journal abbreviation (NLM/ISO).'),
    year: z.number().int().nullable(),
    month: z.number().int().nullable(),
    day: z.number().int().nullable(),
    date_text: z.string().nullable().describe('Season or free-text date, when PubMed gives one.'),
    volume: z.string().nullable(),
    issue: z.string().nullable(),
    pages: z.string().nullable(),
    publication_types: z.array(z.string()).describe('PubMed publication types, as given.'),
    design: DesignSchema.nullable().describe('Study design; null when not yet known.'),
    sample_size: z.number().int().nullable().describe('Participants; null when not known.'),
    sample_size_note: z.string().nullable(),
    population: z.string().nullable(),
    species: SpeciesSchema.nullable(),
    retracted: z.boolean(),
    metadata_status: MetadataStatus,
    risk_of_bias: z
      .array(StudyRiskOfBiasSchema)
      .describe('Risk-of-bias assessments of the study, each by its tool’s own domains, with source and assessor.'),
    pubmed_url: z.string().describe('Link to the PubMed record.'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Study' });

export const StudyClaimSchema = z
  .object({
    id: z.string(),
    statement: z.string(),
    relation: RelationSchema,
    finding: z.string().nullable(),
    grade: GradeSchema,
    status: z.string(),
  })
  .meta({ id: 'StudyClaim' });

export const StudyDetailSchema = StudySchema.extend({
  claims: z.array(StudyClaimSchema).describe('Claims this study bears on, strongest first.'),
}).meta({ id: 'StudyDetail' });

export const StudyListSchema = page(StudySchema, 'StudyList');

export const StudyListQuery = z
  .object({
    design: z.enum(STUDY_DESIGNS).optional().describe('Only studies of this design.'),
    min_sample_size: z.coerce
      .number()
      .int()
      .min(0)
      .max(1_000_000_000)
      .optional()
      .describe('Only studies with at least this many participants (unknown sizes never match).'),
    year_from: z.coerce.number().int().min(1800).max(2200).optional().describe('Published in or after this year.'),
    year_to: z.coerce.number().int().min(1800).max(2200).optional().describe('Published in or before this year.'),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

const AuthorInput = z
  .object({
    family: z.string().min(1).max(200).nullable().default(null),
    given: z.string().min(1).max(200).nullable().default(null),
    initials: z.string().min(1).max(20).nullable().default(null),
    collective: z.string().min(1).max(500).nullable().default(null),
  })
  .strict()
  .refine(
    (a) => (a.collective === null) !== (a.family === null),
    'an author has either a family name or a collective name',
  );

/** What a curator (or a seed file) supplies for a study. Unknown facts are null: never fill them with a guess. */
export const StudyInput = z
  .object({
    pmid: Pmid,
    doi: z
      .string()
      .regex(/^10\.\d{4,9}\/\S+$/, 'must be a DOI such as 10.1126/science.aan4236')
      .nullable()
      .default(null),
    pmcid: z
      .string()
      .regex(/^PMC[0-9]+$/, 'must be a PMCID such as PMC5827966')
      .nullable()
      .default(null),
    title: z.string().min(1).max(2000).nullable().default(null),
    authors: z.array(AuthorInput).max(5000).default([]),
    authors_complete: z.boolean().default(false),
    last_author: AuthorInput.nullable().default(null),
    author_count: z.number().int().min(1).max(100_000).nullable().default(null),
    journal: z.string().min(1).max(500).nullable().default(null),
    journal_iso: z.string().min(1).max(200).nullable().default(null),
    year: z.number().int().min(1800).max(2200).nullable().default(null),
    month: z.number().int().min(1).max(12).nullable().default(null),
    day: z.number().int().min(1).max(31).nullable().default(null),
    date_text: z.string().max(100).nullable().default(null),
    volume: z.string().max(50).nullable().default(null),
    issue: z.string().max(50).nullable().default(null),
    pages: z.string().max(50).nullable().default(null),
    publication_types: z.array(z.string().min(1).max(200)).max(50).default([]),
    design: z.enum(STUDY_DESIGNS).nullable().default(null),
    sample_size: z.number().int().min(0).max(1_000_000_000).nullable().default(null),
    sample_size_note: z.string().max(2000).nullable().default(null),
    population: z.string().max(2000).nullable().default(null),
    species: z.enum(SPECIES).nullable().default(null),
    retracted: z.boolean().default(false),
    risk_of_bias: z
      .array(RiskOfBiasInput)
      .max(20)
      .default([])
      .describe(
        `Risk-of-bias assessments (${RISK_OF_BIAS_TOOLS.join(', ')}), each judging every domain of its tool with support text, and an overall judgement its algorithm allows (otherwise 422 naming the path). A tool must fit the study's design.`,
      ),
  })
  .strict()
  .meta({ id: 'StudyWrite' });
export type StudyInput = z.infer<typeof StudyInput>;
