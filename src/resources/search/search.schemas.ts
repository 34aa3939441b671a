// API shapes for full-text search across claims, conditions, interventions, studies and topics.
import { z } from 'zod';
import { cursorParam } from '../../http/pagination.js';

export const SEARCH_TYPES = ['claim', 'condition', 'intervention', 'study', 'topic'] as const;

export const SearchHitSchema = z
  .object({
    type: z.enum(SEARCH_TYPES),
    id: z.string().describe('Claim id, condition, intervention or topic slug, or PMID.'),
    title: z
      .string()
      .describe(
        'Claim statement, condition or intervention name, study title (`PMID n` when unknown), or topic question.',
      ),
    snippet: z
      .string()
      .describe('The best-matching passage, HTML-escaped, with matched words wrapped in `<mark>` … `</mark>`.'),
    url: z.string().describe('Path of the resource in this API.'),
    score: z
      .number()
      .describe(
        'Relevance, lower is better, with titles weighing 5x the other text: bm25 on SQLite (a word in more than 50,000 documents counts as in 50,001), minus ts_rank_cd on PostgreSQL. Compare scores within one response only; the scale differs by engine.',
      ),
  })
  .meta({ id: 'SearchHit' });

export const SearchListSchema = z
  .object({
    items: z.array(SearchHitSchema),
    next_cursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page.'),
    capped: z
      .boolean()
      .describe(
        'True when more than 500 documents matched: only the first 500 (in index order: by id, oldest first) were ranked, so these are the best of those. Add words to narrow the query.',
      ),
  })
  .meta({ id: 'SearchResults' });

export const SearchQuery = z
  .object({
    q: z
      .string()
      .min(1)
      .max(1000)
      .describe(
        'Words to find, all of which must match; the last one also as a prefix (type-ahead) when it has 2 characters or more. At most 32 words are used. Any text is safe.',
      )
      .meta({ example: 'melanoma immunotherapy' }),
    type: z.enum(SEARCH_TYPES).optional().describe('Only results of this type.'),
    limit: z.coerce.number().int().min(1).max(50).default(20).describe('Page size, 1-50.'),
    cursor: cursorParam,
  })
  .strict();
