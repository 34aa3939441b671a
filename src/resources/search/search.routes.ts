// GET /v1/search: typed, ranked full-text search for type-ahead and discovery.
import type { RoutePlugin } from '../../http/route-types.js';
import { requireMatchQuery } from '../../http/text-queries.js';
import { queryWords } from '../../store/fts.js';
import { search } from './search.queries.js';
import { SearchListSchema, SearchQuery } from './search.schemas.js';

export const searchRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/search', {
    schema: {
      operationId: 'search',
      tags: ['search'],
      summary: 'Search everything',
      description:
        'Full-text search (SQLite FTS5, bm25 ranking with titles weighted 5x) across published claims (statement, plain summary, biomarker, outcome, interventions), conditions (name, synonyms, codes), interventions (name, synonyms), studies (title, journal) and topics (question, bottom line). Every word must match; the last one also matches as a prefix when it has 2 characters or more (type-ahead). Accents and case are ignored. Punctuation and FTS syntax in `q` are treated as plain text; a `q` without any letter or digit is a 400. Bounded cost for any input: at most 32 words are used, and at most 500 matching documents (the first in index order) are ranked (`capped` says when more matched).',
      querystring: SearchQuery,
      response: { 200: SearchListSchema },
    },
    handler: async (request) => {
      const { q, type, limit, cursor } = request.query;
      return await search(db, requireMatchQuery('query.q', q), queryWords(q), type, limit, cursor);
    },
  });
};
