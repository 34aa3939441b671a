// SQL for full-text search: one bm25-ranked FTS5 query over every kind (claims published only, conditions,
// interventions, studies, topics) with a capped candidate set, then one page's text.

import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import type { Reader } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { moreOf } from '../../store/dialect-more.js';
import { lookupKey } from '../../store/normalize.js';

interface HitRow {
  doc: number;
  type: 'claim' | 'condition' | 'intervention' | 'study' | 'topic';
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
  topic: '/v1/topics/',
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
  const matches = (run: string) => {
    const key = lookupKey(run);
    return key !== '' && words.some((w) => key.startsWith(w));
  };
  // Words as the index splits them: "fibre-rich" is two words, each of which can match.
  const runsOf = (token: string) => token.match(/[\p{L}\p{N}]+/gu) ?? [];
  const hit = (token: string) => runsOf(token).some(matches);
  const tokensOf = (text: string) => text.split(/\s+/).filter((t) => t !== '');
  const pick = [title, body].find((text) => tokensOf(text).some(hit)) ?? title;
  const tokens = tokensOf(pick);
  const first = Math.max(0, tokens.findIndex(hit));
  const start = Math.max(0, Math.min(first - 3, tokens.length - WINDOW));
  const shown = tokens.slice(start, start + WINDOW).map((token) =>
    token
      .split(/([\p{L}\p{N}]+)/u)
      .map((part, i) => (i % 2 === 1 && matches(part) ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part)))
      .join(''),
  );
  return `${start > 0 ? '…' : ''}${shown.join(' ')}${start + WINDOW < tokens.length ? '…' : ''}`;
}

const KIND_CODES: Record<string, number> = { claim: 1, condition: 2, intervention: 3, study: 4, topic: 5 };

/**
 * Most documents one search ranks. bm25 is computed for every candidate before the best can be picked, so a common
 * word ("of": 66,000 documents at 100,000 claims) cost 40-60 ms of blocking work per request; ranking only the first
 * 5,000 matches (in index order: by kind, then oldest first) bounds it to about 6 ms. Results are then the best of
 * those 5,000, and the response says so (`capped`); more words narrow the query below the cap.
 */
export const SEARCH_CANDIDATE_CAP = 5000;

/**
 * One page of ranked hits for an FTS5 MATCH expression built by toMatchQuery (`words` for highlighting): at most
 * `limit` items, from at most `cap` candidates (SEARCH_CANDIDATE_CAP); `capped` says when more matched. The cursor
 * is a position in the ranked list, bound to the query and type (a 400 with another).
 */
export async function search(
  h: Reader,
  match: string,
  words: readonly string[],
  type: string | undefined,
  limit: number,
  cursor: string | undefined,
  cap = SEARCH_CANDIDATE_CAP,
) {
  const d = dialectOf(h);
  const m = moreOf(h);
  const scope = `search:${type ?? '*'}:${match}`;
  const start = cursor === undefined ? 0 : Number(decodeCursor(cursor, scope, 1)[0]);
  const kindFilter = type === undefined ? '' : 'AND rowid % 8 = @kind';
  // Ranking reads only rowid and score: the kind is in the rowid (see migrations/0001_search.sql), and reading any
  // stored column, or checking claim status, for every match costs 5-8x on common words. The inner LIMIT stops FTS5
  // after SEARCH_CANDIDATE_CAP matches, so bm25 runs at most that often whatever the query. Unpublished claims are
  // dropped afterwards from the few ranked rows, fetching further (in doubling batches) only when they leave a page
  // short.
  // On PostgreSQL the engine's own query (a tsquery) binds to @match; the cursor's scope keeps the FTS5 text.
  const query = m.searchParam(match);
  const rank = `SELECT doc, score FROM (
       SELECT rowid AS doc, ${m.searchScore('search_index', '@match')} AS score FROM search_index
       WHERE ${m.matches('search_index', '@match')} ${kindFilter} LIMIT @cap) ranked
     ORDER BY score, doc LIMIT @batch OFFSET @offset`;
  const candidates = `SELECT count(*) AS n FROM (SELECT rowid FROM search_index WHERE ${m.matches('search_index', '@match')} ${kindFilter} LIMIT @cap) hits`;
  const hidden = `SELECT seq FROM claims WHERE seq IN (SELECT CAST(value AS INTEGER) FROM ${d.jsonValues('?')}) AND status <> 'published'`;
  const kind = type && KIND_CODES[type];
  let seenAll = false;
  const kept: { doc: number; score: number }[] = [];
  let position = start;
  let exhausted = start >= cap;
  let batch = limit + 9;
  while (kept.length <= limit && !exhausted) {
    const ranked = await h.all<{ doc: number; score: number }>(rank, {
      match: query,
      kind,
      cap,
      batch,
      offset: position,
    });
    exhausted = ranked.length < batch;
    // Fewer candidates than the cap came back: all of them were ranked, no need to count.
    if (exhausted && position + ranked.length < cap) seenAll = true;
    batch *= 2;
    const claimSeqs = ranked.filter((r) => r.doc % 8 === 1).map((r) => Math.floor(r.doc / 8));
    const unpublished = new Set(
      (await h.all<{ seq: number }>(hidden, [JSON.stringify(claimSeqs)])).map((r) => r.seq * 8 + 1),
    );
    for (const r of ranked) {
      position++;
      if (unpublished.has(r.doc)) continue;
      kept.push(r);
      if (kept.length > limit) break;
    }
  }
  const capped =
    !seenAll && ((await h.get<{ n: number }>(candidates, { match: query, kind, cap: cap + 1 }))?.n ?? 0) > cap;
  const more = kept.length > limit;
  const page = kept.slice(0, limit);
  // The cursor is a position in the ranked list, just after the last item shown.
  const nextPosition = more ? position - 1 : position;
  const text = new Map(
    (
      await h.all<Omit<HitRow, 'score'>>(
        `SELECT rowid AS doc, kind AS type, ref AS id, title, body FROM search_index WHERE rowid IN (SELECT CAST(value AS INTEGER) FROM ${d.jsonValues('?')})`,
        [JSON.stringify(page.map((r) => r.doc))],
      )
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
  return { items, next_cursor: more ? encodeCursor(scope, [nextPosition]) : null, capped };
}
