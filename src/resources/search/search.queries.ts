// SQL for full-text search: one bm25-ranked FTS5 query over every kind, published claims only.
import type { Sqlite } from '../../db/client.js';
import { prepared } from '../../db/statements.js';
import { decodeCursor, encodeCursor } from '../../shared/pagination.js';

interface HitRow {
  type: 'claim' | 'condition' | 'intervention' | 'study';
  id: string;
  title: string;
  snippet: string;
  score: number;
}

// Control characters mark matches so the text can be HTML-escaped before <mark> tags go in.
const OPEN = '\u0002';
const CLOSE = '\u0003';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const PATHS = {
  claim: '/v1/claims/',
  condition: '/v1/conditions/',
  intervention: '/v1/interventions/',
  study: '/v1/studies/',
};

export function search(
  sqlite: Sqlite,
  match: string,
  type: string | undefined,
  limit: number,
  cursor: string | undefined,
) {
  const scope = `search:${type ?? '*'}:${match}`;
  const offset = cursor === undefined ? 0 : Number(decodeCursor(cursor, scope, 1)[0]);
  const rows = prepared(
    sqlite,
    `SELECT kind AS type, ref AS id, title,
       snippet(search_index, -1, '${OPEN}', '${CLOSE}', '…', 16) AS snippet,
       bm25(search_index, 0, 0, 5, 1) AS score
     FROM search_index
     WHERE search_index MATCH @match ${type === undefined ? '' : 'AND kind = @type'}
       AND NOT EXISTS (SELECT 1 FROM claims c WHERE search_index.kind = 'claim' AND c.seq = search_index.rowid >> 3
                       AND c.status <> 'published')
     ORDER BY score, search_index.rowid LIMIT @limit OFFSET @offset`,
  ).all({ match, type, limit: limit + 1, offset }) as HitRow[];
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((r) => ({
    type: r.type,
    id: r.id,
    title: r.title === '' ? `PMID ${r.id}` : r.title,
    snippet: escapeHtml(r.snippet).replaceAll(OPEN, '<mark>').replaceAll(CLOSE, '</mark>'),
    url: `${PATHS[r.type]}${encodeURIComponent(r.id)}`,
    score: r.score,
  }));
  return { items, next_cursor: more ? encodeCursor(scope, [offset + limit]) : null };
}
