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
 * One item of a search response from its index row: a study with no title is named by its PMID, the snippet marks the
 * query's words, and `url` is the item's own resource. `score` as the ranking computed it (lower is better).
 */
function searchHit(hit: Omit<HitRow, 'score'>, words: readonly string[], score: number) {
  return {
    type: hit.type,
    id: hit.id,
    title: hit.title === '' ? `PMID ${hit.id}` : hit.title,
    snippet: highlight(hit.title, hit.body, words),
    url: `${PATHS[hit.type]}${encodeURIComponent(hit.id)}`,
    score,
  };
}

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
 * Most documents one search ranks: the first SEARCH_CANDIDATE_CAP matches in index order (rowid: by entity id, the
 * kind interleaved), then ranked; `capped` says when more matched. Each candidate costs a read of its text and its
 * scoring (6-10 µs), so the cap is what bounds a common word's cost: 5,000 cost 12 ms a query at 100,000 claims
 * and 90 ms at 1,000,000 (2 cores, shared), which under 50 concurrent requests queued into seconds.
 */
export const SEARCH_CANDIDATE_CAP = 500;

/**
 * A query whose phrases are in more documents than this together is common: FTS5's bm25 would walk each phrase's whole
 * document list to count them before ranking anything (45 ms for "with" at 1,000,000 claims, whatever the LIMIT: about
 * 0.15 µs a document, against 6-10 µs a candidate scored here), so it is scored here instead (see bm25), from counts
 * kept per data version and bounded at this number.
 */
export const COMMON_PHRASE_DOCS = 50_000;

/** FTS5's bm25 constants (sqlite.org/fts5.html#the_bm25_function; ext/fts5/fts5_aux.c). */
const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** Column weights as `bm25(search_index, 0, 0, 5, 1)`: kind and ref unindexed, the title 5x the body. */
const TITLE_WEIGHT = 5;
const BODY_WEIGHT = 1;

interface Phrase {
  /** The phrase as written in the MATCH expression (`"w"` or `"w"*`). */
  text: string;
  word: string;
  prefix: boolean;
}

/** `"w1" "w2"*` (toMatchQuery) → its words as the index folds them, the last maybe a prefix. */
function phrasesOf(match: string): Phrase[] {
  return [...match.matchAll(/"([^"]*)"(\*?)/g)].map(([text, word = '', star]) => ({
    text,
    word: lookupKey(word),
    prefix: star === '*',
  }));
}

/** The index's tokens of `text` (unicode61 remove_diacritics: letter/digit runs, case and accents folded). */
function tokensOf(text: string): string[] {
  // Printable ASCII needs no Unicode normalisation (most of the index; lookupKey is 3x slower).
  const folded = /[^\t\n\r -~]/.test(text) ? lookupKey(text) : text.toLowerCase();
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

interface IndexStats {
  /** Documents in the index and their mean length in tokens (all columns), as FTS5's bm25 reads them. */
  rows: number;
  avgTokens: number;
  /** Documents matching each phrase, counted up to COMMON_PHRASE_DOCS + 1 ("common"). */
  docs: Map<string, number>;
}

/** Per data version (meta.data_version, bumped by every commit): what bm25 needs besides the candidates' own text. */
// Keyed by the connection too: one process can serve several database files (tests, tools), each with its own counts.
const statsCache = new WeakMap<object, { version: string; stats: IndexStats }>();
const MAX_CACHED_PHRASES = 10_000;

/** FTS5's averages record (search_index_data id 1): varint row count, then each column's total tokens. */
function decodeAverages(block: Uint8Array): { rows: number; tokens: number } {
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let i = 0; i < 9 && at < block.length; i++) {
      const byte = block[at++] as number;
      if (i === 8) return value * 256 + byte;
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    return value;
  };
  const rows = varint();
  let tokens = 0;
  while (at < block.length) tokens += varint();
  return { rows, tokens };
}

async function indexStats(h: Reader): Promise<IndexStats> {
  const version = (await h.get<{ value: string }>("SELECT value FROM meta WHERE key = 'data_version'"))?.value ?? '';
  const cached = statsCache.get(h.sqlite);
  if (cached?.version === version && cached.stats.docs.size < MAX_CACHED_PHRASES) return cached.stats;
  const block = (await h.get<{ block: Uint8Array }>('SELECT block FROM search_index_data WHERE id = 1'))?.block;
  const { rows, tokens } = block ? decodeAverages(block) : { rows: 0, tokens: 0 };
  const stats = { rows, avgTokens: rows > 0 ? tokens / rows : 0, docs: new Map<string, number>() };
  statsCache.set(h.sqlite, { version, stats });
  return stats;
}

/**
 * bm25 as FTS5 computes it (ext/fts5/fts5_aux.c: idf = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6; per phrase
 * idf · f·(k1+1) / (f + k1·(1 - b + b·D/avgD)) with f the weighted frequency and D the document's tokens; negated,
 * lower is better), with one difference: a phrase in more than COMMON_PHRASE_DOCS documents counts as in
 * COMMON_PHRASE_DOCS + 1. Counting a common word's documents is what made FTS5's own bm25 cost 45 ms for "with" at
 * 1,000,000 claims whatever the LIMIT; beyond that a word weighs little (idf 3.4 at 50,001 of 1.6M documents, 1.4 at
 * 300,000) and the difference between two such words is what is given up.
 */
function bm25(title: string[], body: string[], phrases: readonly Phrase[], idf: readonly number[], stats: IndexStats) {
  const size = title.length + body.length;
  const norm = BM25_K1 * (1 - BM25_B + (BM25_B * size) / (stats.avgTokens || 1));
  let score = 0;
  phrases.forEach((p, i) => {
    const hits = (tokens: string[]) =>
      tokens.reduce((n, t) => n + (t === p.word || (p.prefix && t.startsWith(p.word)) ? 1 : 0), 0);
    const f = TITLE_WEIGHT * hits(title) + BODY_WEIGHT * hits(body);
    score += ((idf[i] as number) * (f * (BM25_K1 + 1))) / (f + norm);
  });
  return -score;
}

/**
 * One page of ranked hits for an FTS5 MATCH expression built by toMatchQuery (`words` for highlighting): at most
 * `limit` items, ranked among the first `cap` matches in index order (SEARCH_CANDIDATE_CAP); `capped` says when more
 * matched; `common` is COMMON_PHRASE_DOCS (tests lower it). The cursor is a position in the ranked list, bound to the
 * query and type (a 400 with another).
 * SQLite: FTS5's bm25 ranks them (searchInEngine) unless the query is common (COMMON_PHRASE_DOCS): then one FTS5
 * query reads the candidates' text, scored here (see bm25). PostgreSQL ranks the same bounded candidate set with
 * ts_rank_cd (searchInEngine).
 */
export async function search(
  h: Reader,
  match: string,
  words: readonly string[],
  type: string | undefined,
  limit: number,
  cursor: string | undefined,
  cap = SEARCH_CANDIDATE_CAP,
  common = COMMON_PHRASE_DOCS,
) {
  if (h.engine !== 'sqlite') return searchInEngine(h, match, words, type, limit, cursor, cap);
  const phrases = phrasesOf(match);
  const stats = await indexStats(h);
  const docs: number[] = [];
  for (const p of phrases) {
    const key = `${common}:${p.text}`;
    let n = stats.docs.get(key);
    if (n === undefined) {
      n =
        (
          await h.get<{ n: number }>(
            'SELECT count(*) AS n FROM (SELECT rowid FROM search_index WHERE search_index MATCH @phrase LIMIT @bound)',
            { phrase: p.text, bound: common + 1 },
          )
        )?.n ?? 0;
      stats.docs.set(key, n);
    }
    docs.push(n);
  }
  // Not common: FTS5's own bm25 costs less (its document counts are short) and is exact.
  if (docs.reduce((sum, n) => sum + n, 0) <= common) return searchInEngine(h, match, words, type, limit, cursor, cap);
  const idf = docs.map((n) => {
    const value = Math.log((stats.rows - n + 0.5) / (n + 0.5));
    return value > 0 ? value : 1e-6;
  });
  const scope = `search:${type ?? '*'}:${match}`;
  const start = cursor === undefined ? 0 : Number(decodeCursor(cursor, scope, ['offset'])[0]);
  const kindFilter = type === undefined ? '' : 'AND rowid % 8 = @kind';
  const kind = type && KIND_CODES[type];
  // Reading no aux function keeps FTS5 from walking each phrase's whole document list; LIMIT stops it at cap + 1.
  const found = await h.all<HitRow>(
    `SELECT rowid AS doc, kind AS type, ref AS id, title, body FROM search_index
     WHERE search_index MATCH @match ${kindFilter} LIMIT @cap`,
    { match, kind, cap: cap + 1 },
  );
  const capped = found.length > cap;
  const candidates = found.slice(0, cap);
  const claimSeqs = candidates.filter((r) => r.doc % 8 === 1).map((r) => Math.floor(r.doc / 8));
  const unpublished = new Set(
    claimSeqs.length === 0
      ? []
      : (
          await h.all<{ seq: number }>(
            `SELECT seq FROM claims WHERE seq IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) AND status <> 'published'`,
            [JSON.stringify(claimSeqs)],
          )
        ).map((r) => r.seq * 8 + 1),
  );
  const shown = candidates.filter((r) => !unpublished.has(r.doc));
  const ranked = shown
    .map((r) => ({ ...r, score: bm25(tokensOf(r.title), tokensOf(r.body), phrases, idf, stats) }))
    .sort((a, b) => a.score - b.score || a.doc - b.doc);
  const page = ranked.slice(start, start + limit);
  const more = ranked.length > start + limit;
  return {
    items: page.map((hit) => searchHit(hit, words, hit.score)),
    next_cursor: more ? encodeCursor(scope, [start + limit]) : null,
    capped,
  };
}

/** The engine ranks the first `cap` matches: FTS5's bm25 on SQLite, ts_rank_cd on PostgreSQL; the rest as search. */
async function searchInEngine(
  h: Reader,
  match: string,
  words: readonly string[],
  type: string | undefined,
  limit: number,
  cursor: string | undefined,
  cap: number,
) {
  const d = dialectOf(h);
  const m = moreOf(h);
  const scope = `search:${type ?? '*'}:${match}`;
  const start = cursor === undefined ? 0 : Number(decodeCursor(cursor, scope, ['offset'])[0]);
  const kindFilter = type === undefined ? '' : 'AND rowid % 8 = @kind';
  // Ranking reads only rowid and score: the kind is in the rowid (see migrations/0001_search.sql), and reading any
  // stored column, or checking claim status, for every match costs 5-8x on common words. The inner LIMIT stops FTS5
  // after SEARCH_CANDIDATE_CAP matches, so bm25 runs at most that often whatever the query. Unpublished claims are
  // dropped afterwards from the few ranked rows, fetching further (in doubling batches) only when they leave a page
  // short.
  // On PostgreSQL the engine's own query (a tsquery) binds to @match; the cursor's scope keeps the FTS5 text.
  const query = m.searchParam(match);
  // One match more than the cap is read and counted (n) but not ranked in (i, in FTS5's order): `capped` without a
  // second run of the MATCH, which for a prefix merges every matching word's document list again.
  const rank = `SELECT doc, score, n FROM (
       SELECT doc, score, count(*) OVER () AS n, row_number() OVER () AS i FROM (
         SELECT rowid AS doc, ${m.searchScore('search_index', '@match')} AS score FROM search_index
         WHERE ${m.matches('search_index', '@match')} ${kindFilter} LIMIT @cap) hits) ranked
     WHERE i <= @keep ORDER BY score, doc LIMIT @batch OFFSET @offset`;
  const candidates = `SELECT count(*) AS n FROM (SELECT rowid FROM search_index WHERE ${m.matches('search_index', '@match')} ${kindFilter} LIMIT @cap) hits`;
  const hidden = `SELECT seq FROM claims WHERE seq IN (SELECT CAST(value AS INTEGER) FROM ${d.jsonValues('?')}) AND status <> 'published'`;
  const kind = type && KIND_CODES[type];
  let matched: number | undefined;
  const kept: { doc: number; score: number }[] = [];
  let position = start;
  let exhausted = start >= cap;
  let batch = limit + 9;
  while (kept.length <= limit && !exhausted) {
    const ranked = await h.all<{ doc: number; score: number; n: number }>(rank, {
      match: query,
      kind,
      cap: cap + 1,
      keep: cap,
      batch,
      offset: position,
    });
    exhausted = ranked.length < batch;
    matched ??= ranked[0]?.n;
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
  // A cursor past every candidate ranks nothing: then count.
  matched ??= (await h.get<{ n: number }>(candidates, { match: query, kind, cap: cap + 1 }))?.n ?? 0;
  const capped = matched > cap;
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
    return hit ? [searchHit(hit, words, r.score)] : [];
  });
  return { items, next_cursor: more ? encodeCursor(scope, [nextPosition]) : null, capped };
}
