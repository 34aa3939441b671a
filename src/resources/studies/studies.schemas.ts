// API shapes for studies: full bibliographic record, design and sample size, and the claims a study bears on.
import { z } from 'zod';
import { RISK_OF_BIAS_TOOLS, RiskOfBiasInput } from '../../evidence/risk-of-bias.js';
import { NOTICE_TYPES, PUBLICATION_KINDS } from '../../evidence/study-record.js';
import { SPECIES, STUDY_DESIGNS, STUDY_SOURCE_TYPES } from '../../evidence/vocabulary.js';
import {
  AuthorSchema,
  booleanFilter,
  DesignSchema,
  GradeSchema,
  MetadataStatus,
  NoticeSchema,
  Pmid,
  page,
  RelationSchema,
  RetractionSchema,
  SourceCitationSchema,
  SpeciesSchema,
  StudyKey,
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

const HistoryDateSchema = z
  .object({
    status: z.string().describe('PubMed PubStatus: received, accepted, aheadofprint, epublish, pubmed, medline, ...'),
    date: z.string().describe('ISO 8601 date, `YYYY-MM-DD` (or `YYYY-MM`, `YYYY` when PubMed gives less).'),
  })
  .meta({ id: 'PubmedHistoryDate' });

/** What the record is, how PubMed dates and identifies it, its book fields, notices, retraction and deletion. */
const StudyRecordFields = {
  retraction: RetractionSchema.nullable().describe('Why the study is retracted; null when it is not.'),
  deleted_by_pubmed: z
    .boolean()
    .describe(
      'True when PubMed withdrew the PMID (a `<DeleteCitation>` in an imported file). The study stays, marked; it is no longer current in PubMed.',
    ),
  deleted_by_pubmed_at: z
    .string()
    .nullable()
    .describe('When the import that read the DeleteCitation ran (UTC); null unless deleted.'),
  journal_medline_ta: z
    .string()
    .nullable()
    .describe(
      'NLM title abbreviation (MedlineTA), what Vancouver and AMA print, and the `journal` a claim shows for this study (else the full title `journal`, else `journal_iso`).',
    )
    .meta({ example: 'Biochem J' }),
  publication_kind: z
    .enum(PUBLICATION_KINDS)
    .nullable()
    .describe('What the record is (CSL item type): journal article, preprint, book, chapter; null read as an article.')
    .meta({ example: 'journal_article' }),
  publication_status: z
    .string()
    .nullable()
    .describe(
      'PubMed PublicationStatus: `ppublish` (in an issue), `epublish` (electronic only), `aheadofprint` (online before its issue).',
    )
    .meta({ example: 'aheadofprint' }),
  article_date: z
    .string()
    .nullable()
    .describe('Electronic publication date (ArticleDate), ISO `YYYY-MM-DD`.')
    .meta({ example: '2019-05-20' }),
  history: z.array(HistoryDateSchema).describe('PubMed History dates in the order given.'),
  elocation_id: z
    .string()
    .nullable()
    .describe('Electronic locator (ELocationID pii): article number, publisher item id or preprint id.')
    .meta({ example: 'S1063-4584(19)30981-1' }),
  arxiv_id: z.string().nullable().describe('arXiv identifier of a preprint.').meta({ example: '2304.02112v2' }),
  bookshelf_id: z.string().nullable().describe('NCBI Bookshelf accession.').meta({ example: 'NBK1826' }),
  isbn: z.string().nullable(),
  editors: z.array(AuthorSchema).describe('Book editors in order.'),
  publisher: z.string().nullable().meta({ example: 'National Center for Biotechnology Information (US)' }),
  publisher_place: z.string().nullable().meta({ example: 'Bethesda (MD)' }),
  edition: z.string().nullable(),
  collection_title: z.string().nullable().describe('Series the book belongs to.').meta({ example: 'GeneReviews®' }),
  notices: z
    .array(NoticeSchema)
    .describe(
      "Links to retraction, erratum, expression-of-concern, comment and other notices (PubMed CommentsCorrections), in PubMed's order.",
    ),
};

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
    retracted: z
      .boolean()
      .describe(
        'True when PubMed marks the record retracted (publication type "Retracted Publication" or a RetractionIn notice) or a curator flagged it. Claims resting on it carry the caveat `retracted_evidence`.',
      ),
    ...StudyRecordFields,
    metadata_status: MetadataStatus,
    risk_of_bias: z
      .array(StudyRiskOfBiasSchema)
      .describe('Risk-of-bias assessments of the study, each by its tool’s own domains, with source and assessor.'),
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
  linked_from: z
    .array(
      z
        .object({
          pmid: z.string().describe('The study here that makes the link.'),
          type: z
            .enum(NOTICE_TYPES)
            .describe('Its RefType, e.g. `RetractionIn` when this study is its retraction notice.'),
        })
        .meta({ id: 'NoticeBacklink' }),
    )
    .describe('Studies in this database whose notices link to this PMID (the other direction of `notices`).'),
  claims: z
    .array(StudyClaimSchema)
    .describe('Claims this study bears on, strongest first; drafts only for callers with an API key.'),
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
    retracted: booleanFilter().describe('`true`: only retracted studies; `false`: none of them.'),
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
    suffix: z
      .string()
      .regex(
        /^(?:Jr|Sr|[2-9](?:nd|rd|th)|II|III|IV|VI|VII|VIII|IX)$/,
        'must be a family-rank suffix: Jr, Sr, 2nd, 3rd, II, III, ...',
      )
      .nullable()
      .default(null)
      .describe('Family-rank suffix as NLM records it (no degrees).'),
  })
  .strict()
  .refine(
    (a) => (a.collective === null) !== (a.family === null),
    'an author has either a family name or a collective name',
  );

const shortText = (max: number) => z.string().min(1).max(max).nullable().default(null);

/** The record's kind, dates, identifiers, book fields and notices as a curator (or the importer) writes them. */
const StudyRecordInput = {
  journal_medline_ta: shortText(200),
  publication_kind: z.enum(PUBLICATION_KINDS).nullable().default(null),
  publication_status: shortText(50),
  article_date: z
    .string()
    .regex(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/, 'must be an ISO date: YYYY-MM-DD, YYYY-MM or YYYY')
    .nullable()
    .default(null),
  history: z
    .array(
      z
        .object({
          status: z.string().min(1).max(50),
          date: z.string().regex(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/, 'must be an ISO date: YYYY-MM-DD, YYYY-MM or YYYY'),
        })
        .strict(),
    )
    .max(100)
    .default([]),
  elocation_id: shortText(200),
  arxiv_id: shortText(100),
  bookshelf_id: shortText(50),
  isbn: shortText(50),
  editors: z.array(AuthorInput).max(500).default([]),
  publisher: shortText(500),
  publisher_place: shortText(200),
  edition: shortText(100),
  collection_title: shortText(500),
  notices: z
    .array(
      z
        .object({
          type: z.enum(NOTICE_TYPES),
          pmid: z
            .string()
            .regex(/^[1-9][0-9]{0,8}$/, 'must be a PubMed id')
            .nullable()
            .default(null),
          ref_source: shortText(2000),
          note: shortText(2000),
        })
        .strict(),
    )
    .max(200)
    .default([])
    .describe('PubMed CommentsCorrections links; a `RetractionIn` retracts the study.'),
};

/** What a curator (or a seed file) supplies for a study. Unknown facts are null: never fill them with a guess. */
export const StudyInput = z
  .object({
    pmid: Pmid,
    // No standard bounds a DOI's suffix; 300 characters is over twice the longest in Crossref's samples (issue 10:
    // every write string has a limit, so responses stay bounded in bytes).
    doi: z
      .string()
      .max(300)
      .regex(/^10\.\d{4,9}\/\S+$/, 'must be a DOI such as 10.1126/science.aan4236')
      .nullable()
      .default(null),
    pmcid: z
      .string()
      .max(20)
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
    retracted: z
      .boolean()
      .default(false)
      .describe(
        "A curator's retraction flag. Must be true when the record's own publication types or notices retract it (422 `study.retraction_signals`).",
      ),
    ...StudyRecordInput,
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
