// The benchmark's request targets, reproducible from a seed: the cold and hot claims-by-condition mixes of issue 12,
// claim ids, topics, common-word searches, revalidations, and per scenario a real body for the floor to serve.
// Collected once per database (cursors need a running server) and kept in bench/out/inputs-<db>.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { mulberry32 } from '../generate.js';
import { get } from './harness.js';

/** Bumped when the shape or the definition of the inputs changes, so a cached file is collected again. */
const FORMAT = 3;
/** Grade filters of the cold mix: none, two minimum grades, two exact GRADE levels, the CIViC scheme. */
const GRADE_FILTERS = [
  '',
  '&min_grade=low',
  '&min_grade=moderate',
  '&grade=very_low',
  '&grade=low',
  '&grade_scheme=civic',
];
const SORTS = ['-certainty', '-updated', '-sample_size'];
/** Distinct (condition, grade filter, sort) combinations fetched to find pages with claims and their cursors. */
const MAX_COMBINATIONS = 24_000;
/** How long collecting the cold mix may take (a slow server yields a smaller pool; the report says how many). */
const COLLECT_BUDGET_MS = 240_000;
export const HOT_CONDITIONS = 50;
const CLAIM_IDS = 2000;
/** Most frequent words of the search index that the search scenario combines. */
const COMMON_WORDS = 200;

export type ScenarioKey = 'cold' | 'hot' | 'claim' | 'topic' | 'search' | 'revalidate';

export interface Inputs {
  format: number;
  db: string;
  /** The database's own id (meta.database_id): a server start writes to the file, so its size and time move. */
  databaseId: string;
  claims: number;
  /** Claims by condition, every URL distinct: condition × grade filter × sort × page (1-3 through real cursors). */
  cold: string[];
  coldConditions: number;
  /** The 50 conditions with the most published claims in their subtree, first page, default filters and sort. */
  hot: string[];
  claimUrls: string[];
  topicUrls: string[];
  /** Searches for the most frequent words of the index, alone and in pairs, every URL distinct. */
  search: string[];
  commonWords: string[];
  /** Per scenario: the mean body size of a sample of its responses, and one real body to pad to that size. */
  bodies: Record<Exclude<ScenarioKey, 'revalidate'>, { meanBytes: number; sample: string }>;
}

/** Inputs for `dbPath`, read from bench/out when collected before for this file, else collected against `base`. */
export async function inputsFor(
  dbPath: string,
  base: () => Promise<{ base: string; stop(): Promise<void> }>,
  seed = 1,
) {
  const file = join(dirname(dbPath), `inputs-${basename(dbPath, '.db')}.json`);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Inputs;
    if (saved.format === FORMAT && saved.databaseId === databaseIdOf(dbPath)) return saved;
  }
  const server = await base();
  try {
    const inputs = await collect(dbPath, server.base, seed);
    writeFileSync(file, JSON.stringify(inputs));
    return inputs;
  } finally {
    await server.stop();
  }
}

function databaseIdOf(dbPath: string): string {
  const sqlite = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return String(sqlite.prepare("SELECT value FROM meta WHERE key = 'database_id'").pluck().get());
  } finally {
    sqlite.close();
  }
}

function shuffle<T>(items: T[], rnd: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Runs `work` over `items` with `parallel` requests in flight, until done or `budgetMs` has passed. */
async function inParallel<T>(items: T[], parallel: number, budgetMs: number, work: (item: T) => Promise<void>) {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length && performance.now() - started < budgetMs) await work(items[next++] as T);
    }),
  );
  return next;
}

async function collect(dbPath: string, base: string, seed: number): Promise<Inputs> {
  const rnd = mulberry32(seed * 7919);
  const sqlite = new Database(dbPath, { readonly: true, fileMustExist: true });
  const conditions = sqlite.prepare('SELECT id, slug FROM conditions').all() as { id: number; slug: string }[];
  const subtree = new Map(
    (
      sqlite
        .prepare(
          `SELECT d.ancestor_id AS id, count(*) AS n FROM condition_descendants d
           JOIN claims c ON c.condition_id = d.descendant_id AND c.status = 'published' GROUP BY d.ancestor_id`,
        )
        .all() as { id: number; n: number }[]
    ).map((r) => [r.id, r.n]),
  );
  const withClaims = conditions.filter((c) => (subtree.get(c.id) ?? 0) > 0);

  // Cold: every combination once, in a seeded order; each page 1 with claims is kept, and its cursor gives page 2
  // (fetched) and page 3 (not fetched: its URL is enough).
  const combinations = shuffle(
    withClaims.flatMap((c) => GRADE_FILTERS.flatMap((f) => SORTS.map((s) => ({ slug: c.slug, filter: f, sort: s })))),
    rnd,
  ).slice(0, MAX_COMBINATIONS);
  const cold: string[] = [];
  const coldSizes: number[] = [];
  let coldSample = '';
  const coldConditions = new Set<string>();
  const page = async (url: string) => {
    const res = await get(`${base}${url}`);
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text.slice(0, 300)}`);
    const body = JSON.parse(res.text) as { items: unknown[]; next_cursor: string | null };
    return { body, bytes: Buffer.byteLength(res.text), text: res.text };
  };
  const done = await inParallel(combinations, 4, COLLECT_BUDGET_MS, async ({ slug, filter, sort }) => {
    const first = `/v1/claims?condition=${slug}${filter}&sort=${sort}&limit=20`;
    const one = await page(first);
    if (one.body.items.length === 0) return;
    cold.push(first);
    coldConditions.add(slug);
    coldSizes.push(one.bytes);
    if (!coldSample || one.bytes < Buffer.byteLength(coldSample)) coldSample = one.text;
    if (!one.body.next_cursor) return;
    const second = `${first}&cursor=${encodeURIComponent(one.body.next_cursor)}`;
    const two = await page(second);
    cold.push(second);
    coldSizes.push(two.bytes);
    if (two.body.next_cursor) cold.push(`${first}&cursor=${encodeURIComponent(two.body.next_cursor)}`);
  });
  if (done < combinations.length)
    console.log(`  cold mix: ${done} of ${combinations.length} combinations fetched within the time budget`);

  const popular = [...withClaims]
    .sort((a, b) => (subtree.get(b.id) ?? 0) - (subtree.get(a.id) ?? 0))
    .slice(0, HOT_CONDITIONS);
  const hot = popular.map((c) => `/v1/claims?condition=${c.slug}&limit=20`);

  const maxSeq = (sqlite.prepare('SELECT max(seq) AS n FROM claims').get() as { n: number }).n;
  const bySeq = sqlite.prepare("SELECT id FROM claims WHERE seq = ? AND status = 'published'").pluck();
  const ids = new Set<string>();
  while (ids.size < CLAIM_IDS) {
    const id = bySeq.get(1 + Math.floor(rnd() * maxSeq)) as string | undefined;
    if (id) ids.add(id);
  }
  const claimUrls = [...ids].map((id) => `/v1/claims/${id}`);
  const topicUrls = (sqlite.prepare('SELECT slug FROM topics').pluck().all() as string[]).map((t) => `/v1/topics/${t}`);

  // The index's most frequent words (documents containing them), letters only, 3 or more.
  sqlite.exec("CREATE VIRTUAL TABLE temp.bench_vocab USING fts5vocab(main, search_index, 'row')");
  const commonWords = sqlite
    .prepare(
      `SELECT term FROM temp.bench_vocab WHERE length(term) >= 3 AND term NOT GLOB '*[^a-z]*' ORDER BY doc DESC LIMIT ?`,
    )
    .pluck()
    .all(COMMON_WORDS) as string[];
  const queries = [...commonWords];
  for (let i = 0; i < commonWords.length; i++)
    for (let j = i + 1; j < commonWords.length; j++) queries.push(`${commonWords[i]} ${commonWords[j]}`);
  const search = shuffle(queries, rnd).map((q) => `/v1/search?q=${encodeURIComponent(q)}`);
  const claims = (sqlite.prepare('SELECT count(*) FROM claims').pluck().get() as number) ?? 0;
  sqlite.close();

  const sampleOf = async (urls: string[]) => {
    const sizes: number[] = [];
    let sample = '';
    for (const url of urls.slice(0, 50)) {
      const res = await get(`${base}${url}`);
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text.slice(0, 300)}`);
      sizes.push(Buffer.byteLength(res.text));
      if (!sample || Buffer.byteLength(res.text) < Buffer.byteLength(sample)) sample = res.text;
    }
    return { meanBytes: Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length), sample };
  };
  return {
    format: FORMAT,
    db: dbPath,
    databaseId: databaseIdOf(dbPath),
    claims,
    cold,
    coldConditions: coldConditions.size,
    hot,
    claimUrls,
    topicUrls,
    search,
    commonWords,
    bodies: {
      cold: {
        meanBytes: Math.round(coldSizes.reduce((a, b) => a + b, 0) / Math.max(1, coldSizes.length)),
        sample: coldSample,
      },
      hot: await sampleOf(hot),
      claim: await sampleOf(shuffle([...claimUrls], rnd)),
      topic: await sampleOf(topicUrls),
      search: await sampleOf(search),
    },
  };
}

/** A JSON body of exactly `bytes` bytes (when possible) built from a real response: what the floor serves. */
export function floorBody(sample: string, bytes: number): string {
  const size = Buffer.byteLength(sample);
  if (size >= bytes || !sample.endsWith('}')) return JSON.stringify({ pad: 'x'.repeat(Math.max(0, bytes - 10)) });
  return `${sample.slice(0, -1)},"pad":"${'x'.repeat(Math.max(0, bytes - size - 9))}"}`;
}
