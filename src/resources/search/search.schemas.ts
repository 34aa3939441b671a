// API shapes for full-text search across claims, conditions, interventions and studies.
import { z } from 'zod';
import { page } from '../../http/api-schemas.js';
import { cursorParam } from '../../http/pagination.js';

export const SEARCH_TYPES = ['claim', 'condition', 'intervention', 'study'] as const;

export const SearchHitSchema = z
  .object({
    type: z.enum(SEARCH_TYPES),
    id: z.string().describe('Claim id, condition or intervention slug, or PMID.'),
    title: z
      .string()
      .describe('Claim statement, condition or intervention name, or study title (`PMID n` when unknown).'),
    snippet: z
      .string()
      .describe('The best-matching passage, HTML-escaped, with matched words wrapped in `<mark>` … `</mark>`.'),
    url: z.string().describe('Path of the resource in this API.'),
    score: z.number().describe('bm25 relevance (lower is better); titles weigh 5x the other text.'),
  })
  .meta({ id: 'SearchHit' });

export const SearchListSchema = page(SearchHitSchema, 'SearchResults');

export const SearchQuery = z
  .object({
    q: z
      .string()
      .min(1)
      .max(1000)
      .describe('Words to find; each word matches as a prefix (type-ahead), all words must match. Any text is safe.')
      .meta({ example: 'melanoma immunotherapy' }),
    type: z.enum(SEARCH_TYPES).optional().describe('Only results of this type.'),
    limit: z.coerce.number().int().min(1).max(50).default(20).describe('Page size, 1-50.'),
    cursor: cursorParam,
  })
  .strict();
