// SQL for full-text search: one bm25-ranked FTS5 query over every kind, published claims only, then one page's text.

import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import type { Reader } from '../../store/client.js';
import { lookupKey } from '../../store/normalize.js';
import { prepared } from '../../store/statements.js';

interface HitRow {
  doc: number;
  type: 'claim' | 'condition' | 'intervention' | 'study';
  id: string;
  title: string;
  body: string;
  score: number;
}

const PATHS = {
  claim: '/v1/claims/',
  condition: '/v1/conditions/',
  intervention: '/v1/interventions/',
  study: '/v1/studies/',
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const WINDOW = 16;

/**
 * The best passage (title if it matches, else the body) cut to a window of words around the first match, HTML-escaped,
 * with matched words in <mark>. Built here rather than by FTS5's snippet(), which re-runs the whole MATCH for every row
 * it is asked about (~3 ms each on 100,000 claims).
 */
export function highlight(title: string, body: string, words: readonly string[]): string {
  const matches = (token: string) => {
    const key = lookupKey(token);
    return key !== '' && words.some((w) => key.startsWith(w));
  };
  const tokensOf = (text: string) => text.split(/(\s+)/);
  const pick =
    [title, body].find((text) => tokensOf(text).some((t) => matches(t.replace(/[^\p{L}\p{N}]/gu, '')))) ?? title;
  const tokens = tokensOf(pick).filter((t) => t.trim() !== '');
  const first = Math.max(
    0,
    tokens.findIndex((t) => matches(t.replace(/[^\p{L}\p{N}]/gu, ''))),
  );
  const start = Math.max(0, Math.min(first - 3, tokens.length - WINDOW));
  const shown = tokens.slice(start, start + WINDOW).map((token) => {
    const core = token.replace(/[^\p{L}\p{N}]/gu, '');
    return matches(core)
      ? escapeHtml(token).replace(escapeHtml(core), `<mark>${escapeHtml(core)}</mark>`)
      : escapeHtml(token);
  });
  return `${start > 0 ? '…' : ''}${shown.join(' ')}${start + WINDOW < tokens.length ? '…' : ''}`;
}

const KIND_CODES: Record<string, number> = { claim: 1, condition: 2, intervention: 3, study: 4 };

export async function search(
  h: Reader,
  match: string,
  words: readonly string[],
  type: string | undefined,
  limit: number,
  cursor: string | undefined,
) {
  const sqlite = h.sqlite;
  const scope = `search:${type ?? '*'}:${match}`;
  const start = cursor === undefined ? 0 : Number(decodeCursor(cursor, scope, 1)[0]);
  // Ranking reads only rowid and score: the kind is in the rowid (see migrations/0001_search.sql), and reading any
  // stored column, or checking claim status, for every match costs 5-8x on common words. Unpublished claims are
  // dropped afterwards from the few ranked rows, fetching further only when they leave a page short.
  const rank = prepared(
    sqlite,
    `SELECT rowid AS doc, bm25(search_index, 0, 0, 5, 1) AS score FROM search_index
     WHERE search_index MATCH @match ${type === undefined ? '' : 'AND rowid % 8 = @kind'}
     ORDER BY score, rowid LIMIT @batch OFFSET @offset`,
  );
  const hidden = prepared(
    sqlite,
    "SELECT seq FROM claims WHERE seq IN (SELECT value FROM json_each(?)) AND status <> 'published'",
  );
  const kept: { doc: number; score: number }[] = [];
  let position = start;
  let exhausted = false;
  while (kept.length <= limit && !exhausted) {
    const batch = limit + 1 - kept.length + 8;
    const ranked = rank.all({ match, kind: type && KIND_CODES[type], batch, offset: position }) as {
      doc: number;
      score: number;
    }[];
    exhausted = ranked.length < batch;
    const claimSeqs = ranked.filter((r) => r.doc % 8 === 1).map((r) => Math.floor(r.doc / 8));
    const unpublished = new Set((hidden.all(JSON.stringify(claimSeqs)) as { seq: number }[]).map((r) => r.seq * 8 + 1));
    for (const r of ranked) {
      position++;
      if (unpublished.has(r.doc)) continue;
      kept.push(r);
      if (kept.length > limit) break;
    }
  }
  const more = kept.length > limit;
  const page = kept.slice(0, limit);
  // The cursor is a position in the ranked list, just after the last item shown.
  const nextPosition = more ? position - 1 : position;
  const text = new Map(
    (
      prepared(
        sqlite,
        'SELECT rowid AS doc, kind AS type, ref AS id, title, body FROM search_index WHERE rowid IN (SELECT value FROM json_each(?))',
      ).all(JSON.stringify(page.map((r) => r.doc))) as Omit<HitRow, 'score'>[]
    ).map((r) => [r.doc, r]),
  );
  const items = page.flatMap((r) => {
    const hit = text.get(r.doc);
    if (!hit) return [];
    return [
      {
        type: hit.type,
        id: hit.id,
        title: hit.title === '' ? `PMID ${hit.id}` : hit.title,
        snippet: highlight(hit.title, hit.body, words),
        url: `${PATHS[hit.type]}${encodeURIComponent(hit.id)}`,
        score: r.score,
      },
    ];
  });
  return { items, next_cursor: more ? encodeCursor(scope, [nextPosition]) : null };
}
