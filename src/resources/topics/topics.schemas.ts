// API shapes for topics: a consumer question with its bottom line and the claims behind it, ready for an answer card.
import { z } from 'zod';
import { ClaimId, page, Slug } from '../../http/api-schemas.js';
import { cursorParam, limitParam } from '../../http/pagination.js';
import { ClaimSchema, EvidenceSummarySchema } from '../claims/claims.schemas.js';

export const TopicSchema = z
  .object({
    slug: z.string().describe('Stable id.'),
    question: z.string().describe('The consumer question, e.g. "Does a healthy gut microbiome lead to better skin?"'),
    bottom_line: z.string().describe('The short answer, in plain language.'),
    evidence_summary: z.string().describe('What the evidence base is, and what it lacks.'),
    claim_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Topic' });

export const TopicDetailSchema = TopicSchema.extend({
  claims: z.array(ClaimSchema).describe("The topic's claims in the curated order, each with its grade and studies."),
  evidence_overview: EvidenceSummarySchema.describe("Summary over the distinct studies behind all the topic's claims."),
}).meta({ id: 'TopicDetail' });

export const TopicListSchema = page(TopicSchema, 'TopicList');

export const TopicListQuery = z.object({ limit: limitParam, cursor: cursorParam }).strict();

/** What a curator (or a seed file) supplies for a topic. */
export const TopicInput = z
  .object({
    slug: Slug,
    question: z.string().min(1).max(1000),
    bottom_line: z.string().min(1).max(5000),
    evidence_summary: z.string().min(1).max(5000),
    claims: z.array(ClaimId).max(500).describe('Claim ids in display order.'),
  })
  .strict()
  .meta({ id: 'TopicWrite' });
export type TopicInput = z.infer<typeof TopicInput>;
