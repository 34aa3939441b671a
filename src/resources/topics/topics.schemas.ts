// API shapes for topics: a consumer question with its bottom line and the claims behind it, ready for an answer card.
import { z } from 'zod';
import { GRADE_LEVEL_NAMES } from '../../evidence/grades.js';
import { CLAIM_IMPORTANCE } from '../../evidence/topic-certainty.js';
import { ClaimId, page, Slug } from '../../http/api-schemas.js';
import { cursorParam, limitParam } from '../../http/pagination.js';
import { ClaimListQuery, ClaimSchema, EvidenceSummarySchema } from '../claims/claims.schemas.js';

// Evidence depth (issue 16): the topic's overall certainty by GRADE's rule, and how much each claim matters to it.
export const ClaimImportanceSchema = z
  .enum(CLAIM_IMPORTANCE)
  .describe(
    'GRADE outcome importance of the claim to the question: `critical` (7-9), `important` (4-6) or `not_important` (1-3).',
  );

export const TopicCertaintySchema = z
  .object({
    level: z
      .enum(GRADE_LEVEL_NAMES)
      .nullable()
      .describe('The overall GRADE level; null when no published GRADE claim counts.'),
    certainty: z.number().int().nullable().describe('1 (very low) to 4 (high), as `grade.certainty`.'),
    basis: z
      .enum(['critical_claims', 'all_claims', 'none'])
      .describe(
        '`critical_claims`: the lowest among the claims rated critical (GRADE guidelines 11); `all_claims`: none is rated critical, so the lowest among the published GRADE claims not rated `not_important`; `none`: nothing counts.',
      ),
    determined_by: z.array(z.string()).describe('The claims at that lowest level, in topic order.'),
    considered: z.array(z.string()).describe('The claims that counted.'),
    excluded: z
      .array(z.object({ id: z.string(), reason: z.string() }))
      .describe('Claims that did not count (not published, not GRADE, not critical), and why.'),
    explanation: z.string().describe('The rule and its result in words.'),
  })
  .describe(
    "The topic's overall certainty: the lowest certainty among its critical claims (GRADE guidelines 11). The bottom line may not claim more than it allows.",
  )
  .meta({ id: 'TopicCertainty' });

export const TopicSchema = z
  .object({
    slug: z.string().describe('Stable id.'),
    question: z.string().describe('The consumer question, e.g. "Does a healthy gut microbiome lead to better skin?"'),
    bottom_line: z.string().describe('The short answer, in plain language.'),
    evidence_summary: z.string().describe('What the evidence base is, and what it lacks.'),
    claim_count: z.number().int(),
    overall_certainty: TopicCertaintySchema,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Topic' });

export const TopicDetailSchema = TopicSchema.extend({
  claims: z.array(ClaimSchema).describe("The topic's claims in the curated order, each with its grade and studies."),
  claim_importance: z
    .record(z.string(), ClaimImportanceSchema)
    .describe('Importance of each published claim to the question, by claim id; a claim not rated is absent.'),
  evidence_overview: EvidenceSummarySchema.describe(
    "Summary over the distinct studies behind the topic's claims: a study supporting any claim counts as supporting; one that is only context everywhere is counted apart.",
  ),
}).meta({ id: 'TopicDetail' });

export const TopicListSchema = page(TopicSchema, 'TopicList');

export const TopicListQuery = z
  .object({
    // The claims' own condition parameters, so both lists resolve a condition alike.
    condition: ClaimListQuery.shape.condition.describe(
      'Topics with a published claim about this condition: slug, name, synonym or ontology code, case- and accent-insensitive.',
    ),
    include_descendants: ClaimListQuery.shape.include_descendants.describe(
      'Include topics about sub-conditions (e.g. melanoma under skin cancer), as for claims. Default true.',
    ),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

/** What a curator (or a seed file) supplies for a topic. */
export const TopicInput = z
  .object({
    slug: Slug,
    question: z.string().min(1).max(1000),
    bottom_line: z.string().min(1).max(5000),
    evidence_summary: z.string().min(1).max(5000),
    claims: z.array(ClaimId).max(500).describe('Claim ids in display order.'),
    claim_importance: z
      .record(ClaimId, z.enum(CLAIM_IMPORTANCE))
      // As many as `claims` may list (issue 10: every part of a write body is bounded).
      .refine((ratings) => Object.keys(ratings).length <= 500, 'at most 500 claims are rated')
      .meta({ maxProperties: 500 })
      .default({})
      .describe(
        'GRADE outcome importance per listed claim id (`critical`, `important`, `not_important`); unrated claims are left out. The overall certainty is the lowest among the critical claims, and the bottom line may not claim more (422 `topic.bottom_line_within_certainty`).',
      )
      .meta({ example: { 'melanoma-microbiome-immunotherapy-response': 'important' } }),
  })
  .strict()
  .meta({ id: 'TopicWrite' });
export type TopicInput = z.infer<typeof TopicInput>;
