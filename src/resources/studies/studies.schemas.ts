// API shapes for studies: full bibliographic record, design and sample size, and the claims a study bears on.
import { z } from 'zod';
import { SPECIES, STUDY_DESIGNS, STUDY_SOURCE_TYPES } from '../../evidence/vocabulary.js';
import {
  AuthorSchema,
  DesignSchema,
  GradeSchema,
  MetadataStatus,
  Pmid,
  page,
  RelationSchema,
  SourceCitationSchema,
  SpeciesSchema,
  StudyKey,
} from '../../http/api-schemas.js';
import { cursorParam, limitParam } from '../../http/pagination.js';

export const StudySchema = z
  .object({
    key: StudyKey.describe(
      'The stable id of a study: its PMID, or `asco:<web id>` / `ash:<DOI>` / `other:<type>:<id>` for a source without one.',
    ),
    pmid: z.string().nullable().describe('PubMed id; null for a source that is not a PubMed article.'),
    source_type: z
      .enum(STUDY_SOURCE_TYPES)
      .describe('`pubmed`, or the kind of source without a PMID: `asco` (ASCO meeting abstract), `ash`, `other`.'),
    source_id: z.string().nullable().describe("The source's own id when it is not a PMID: ASCO web id, ASH DOI."),
    abstract_number: z.string().nullable().describe('The abstract number within its meeting (ASCO).'),
    source_url: z.string().nullable().describe('Where a source without a PubMed record can be read.'),
    source_citation: SourceCitationSchema.nullable().describe(
      'The citation string of the source that cited this study (CIViC), labelled, served while the bibliographic record is missing (no title); null once it is known.',
    ),
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
    pubmed_url: z.string().nullable().describe('Link to the PubMed record; null for a source without a PMID.'),
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
  })
  .strict()
  .meta({ id: 'StudyWrite' });
export type StudyInput = z.infer<typeof StudyInput>;
