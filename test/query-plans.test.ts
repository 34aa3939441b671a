// Guards for the read path at scale: every SQL statement the API runs has a plan that does not read a big table
// end to end, and list endpoints run a fixed number of statements whatever their page size.
//
// The statements are the real ones: the app runs on a generated database (bench/generate.ts, 2,000 claims) with
// `prepare` wrapped so every execution is recorded with its parameters, and each is then EXPLAINed with those same
// parameters. The database has no ANALYZE statistics, like the production one, so the plans here are the plans at
// any size.
import type { Statement } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDatabase } from '../bench/generate.js';
import { buildApp } from '../src/app.js';
import type { Database } from '../src/store/client.js';
import { scratchPath } from './helpers.js';

interface Execution {
  sql: string;
  params: unknown[];
}

/** Tables that grow with the data: reading one of them whole is a defect on the read path. */
const BIG_TABLES = new Set([
  'claims',
  'studies',
  'study_notices',
  'claim_studies',
  'claim_interventions',
  'lookup_keys',
  'search_index',
  'conditions',
  'condition_parents',
  'condition_descendants',
  'condition_codes',
  'claim_relations',
  'interventions',
  'condition_synonyms',
  'intervention_synonyms',
]);

/**
 * Columns with a handful of values (or range constraints): an index search keyed only on them still reads a large
 * share of the table, so it counts as a scan unless the index also delivers the order and the LIMIT stops it early.
 */
const LOW_CARDINALITY = new Set([
  'status',
  'certainty',
  'grade_scheme',
  'grade_level',
  'direction',
  'evidence_type',
  'source',
  'design',
  'kind',
  'entity',
  'exact',
  'relation',
  'species',
  'retracted',
  'year',
]);

// Generated synchronously at load, so the test names can carry the real slugs and ids.
const db: Database = (await generateDatabase({ claims: 2000, seed: 7, path: scratchPath('plans'), temporary: true }))
  .db;
const prepare = db.sqlite.prepare.bind(db.sqlite);
const one = (sql: string) => prepare(sql).pluck().get() as string;
const values = {
  rootCondition: one(
    'SELECT slug FROM conditions k WHERE NOT EXISTS (SELECT 1 FROM condition_parents p WHERE p.condition_id = k.id) ORDER BY id LIMIT 1',
  ),
  leafCondition: one(
    "SELECT co.slug FROM claims c JOIN conditions co ON co.id = c.condition_id WHERE c.status = 'published' GROUP BY co.id ORDER BY count(*) DESC LIMIT 1",
  ),
  intervention: one(
    'SELECT i.slug FROM claim_interventions ci JOIN interventions i ON i.id = ci.intervention_id GROUP BY i.id ORDER BY count(*) DESC LIMIT 1',
  ),
  // The intervention given most often with the most common one: a combination to ask for.
  partner: one(
    `SELECT i.slug FROM claim_interventions a JOIN claim_interventions b ON b.claim_id = a.claim_id AND b.intervention_id <> a.intervention_id
     JOIN interventions i ON i.id = b.intervention_id
     WHERE a.intervention_id = (SELECT intervention_id FROM claim_interventions GROUP BY intervention_id ORDER BY count(*) DESC LIMIT 1)
     GROUP BY i.id ORDER BY count(*) DESC LIMIT 1`,
  ),
  pmid: one('SELECT s.pmid FROM claim_studies cs JOIN studies s ON s.id = cs.study_id LIMIT 1'),
  pmid2: one('SELECT pmid FROM studies ORDER BY id DESC LIMIT 1'),
  biomarker: one("SELECT biomarker FROM claims WHERE biomarker IS NOT NULL AND status = 'published' LIMIT 1"),
  claimId: one("SELECT id FROM claims WHERE status = 'published' ORDER BY seq LIMIT 1"),
  topic: one(
    'SELECT t.slug FROM topics t JOIN topic_claims tc ON tc.topic_id = t.id GROUP BY t.id ORDER BY count(*) DESC LIMIT 1',
  ),
  smallTopic: one(
    'SELECT t.slug FROM topics t JOIN topic_claims tc ON tc.topic_id = t.id GROUP BY t.id ORDER BY count(*) LIMIT 1',
  ),
  word: one("SELECT outcome FROM claims WHERE grade_scheme = 'GRADE' LIMIT 1").split(' ')[0] as string,
};
const conditionPrefix = values.rootCondition.slice(0, 4);
const interventionPrefix = values.intervention.slice(0, 3);

/** Range constraints that are prefix matches on unique-ish text (type-ahead on lookup keys), not open ranges. */
const PREFIX_RANGES = new Set(['key', 'slug']);

const executions: Execution[] = [];
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  // Every statement prepared from now on records its executions (the app prepares lazily, on first use).
  db.sqlite.prepare = ((source: string) => record(prepare(source))) as typeof db.sqlite.prepare;
  // The guards are about requests that are computed: a response-cache hit runs no statement, so the cache is off.
  app = await buildApp({ db, config: { RESPONSE_CACHE_MB: 0 } });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

const explain = ({ sql, params }: Execution) =>
  prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as [])) as { id: number; parent: number; detail: string }[];

function record(statement: Statement): Statement {
  const proxy: Statement = new Proxy(statement, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'all' || property === 'get' || property === 'run' || property === 'iterate')
        return (...params: unknown[]) => {
          executions.push({ sql: target.source, params });
          return (value as (...a: unknown[]) => unknown).apply(target, params);
        };
      // Chainable modifiers return the statement itself: keep handing out the recording proxy.
      if (property === 'pluck' || property === 'raw' || property === 'expand' || property === 'safeIntegers')
        return (...params: unknown[]) => {
          (value as (...a: unknown[]) => unknown).apply(target, params);
          return proxy;
        };
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return proxy;
}

/** GET through the app, returning the body and the statements it executed. */
async function run(url: string) {
  const from = executions.length;
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.body, executed: executions.slice(from) };
}

/** Table names behind the aliases a plan prints ("SEARCH c USING ..." → claims). */
function aliases(sql: string): Map<string, string> {
  const map = new Map<string, string>();
  const keywords = new Set(['on', 'where', 'join', 'left', 'inner', 'cross', 'group', 'order', 'limit', 'using', 'as']);
  for (const m of sql.matchAll(
    /\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s+(?:AS\s+)?([A-Za-z_][A-Za-z0-9_]*))?/gi,
  )) {
    const table = (m[1] as string).toLowerCase();
    const alias = m[2]?.toLowerCase();
    map.set(table, table);
    if (alias && !keywords.has(alias)) map.set(alias, table);
  }
  return map;
}

/**
 * What is wrong with a statement's plan, one line per offending step:
 * - a full table scan of a big table (or of the full-text index without MATCH);
 * - a full index scan, unless it is the statement's own ordered walk that its LIMIT stops early;
 * - an index search keyed only on low-cardinality columns (`status=?`, `kind=?`, ranges) that reads every match:
 *   inside a subquery (count, IN list), or followed by a sort (USE TEMP B-TREE in the same query block). That is
 *   a scan of most of the table in disguise, e.g. `SEARCH c USING INDEX claims_status_certainty_idx (status=?)`.
 */
function planProblems(execution: Execution): string[] {
  const plan = explain(execution);
  const names = aliases(execution.sql);
  const byId = new Map(plan.map((row) => [row.id, row]));
  const limited = /\bLIMIT\b/i.test(execution.sql);
  const problems: string[] = [];
  for (const row of plan) {
    const step = /^(SCAN|SEARCH) (\S+)(?: (.*))?$/.exec(row.detail);
    if (!step) continue;
    const [, kind, alias, rest = ''] = step as unknown as [string, string, string, string | undefined];
    const table = names.get(alias.toLowerCase()) ?? alias.toLowerCase();
    if (!BIG_TABLES.has(table)) continue;
    if (rest.startsWith('VIRTUAL TABLE')) {
      // FTS5: an index string after ':' (M = MATCH, = / < / > on rowid) means the full-text index is used.
      if (/INDEX \d+:\S/.test(rest)) continue;
      problems.push(`full scan of the full-text index: ${row.detail}`);
      continue;
    }
    // Does this step's query block sort what it reads, and is it the top-level (LIMIT-bounded) block?
    const sorts = plan.some((r) => r.parent === row.parent && r.detail.startsWith('USE TEMP B-TREE'));
    let inSubquery = false;
    for (let at = byId.get(row.parent); at; at = byId.get(at.parent))
      if (/SUBQUERY|CO-ROUTINE|MATERIALIZE|COMPOUND/.test(at.detail)) inSubquery = true;
    const readsAll = sorts || inSubquery || !limited;
    if (kind === 'SCAN') {
      if (!/USING (COVERING )?INDEX|PRIMARY KEY/.test(rest)) problems.push(`full table scan: ${row.detail}`);
      else if (readsAll) problems.push(`full index scan: ${row.detail}`);
      continue;
    }
    const key = /\(([^()]*)\)/.exec(rest)?.[1] ?? '';
    const selective = key
      .split(' AND ')
      .map((c) => /^(\w+)\s*(=|>|<|>=|<=)/.exec(c.trim()))
      .some((m) =>
        m?.[2] === '=' ? !LOW_CARDINALITY.has(m[1] as string) : PREFIX_RANGES.has((m?.[1] as string | undefined) ?? ''),
      );
    if (!selective && readsAll)
      problems.push(`index search on a low-selectivity key (${key}) reads most of ${table}: ${row.detail}`);
  }
  return problems;
}

const v = values;
const URLS = [
  '/v1/claims',
  `/v1/claims?condition=${v.rootCondition}`,
  `/v1/claims?condition=${v.leafCondition}&include_descendants=false`,
  `/v1/claims?intervention=${v.intervention}`,
  `/v1/claims?intervention=${v.intervention}&intervention=${v.partner}`,
  '/v1/claims?min_grade=moderate',
  '/v1/claims?grade=low',
  '/v1/claims?grade_scheme=civic',
  '/v1/claims?design=rct',
  '/v1/claims?min_sample_size=100',
  '/v1/claims?direction=harm',
  '/v1/claims?evidence_type=prognostic',
  '/v1/claims?evidence_type=prognostic&sort=-updated',
  '/v1/claims?evidence_type=predictive&sort=-sample_size',
  `/v1/claims?pmid=${v.pmid}`,
  `/v1/claims?biomarker=${encodeURIComponent(v.biomarker)}`,
  '/v1/claims?source=civic',
  `/v1/claims?q=${v.word}`,
  // A word in every claim: a broad match does not drive, the sort index does (see LARGE_MATCH).
  '/v1/claims?q=with',
  // A status other than the default (drafts need a key: withdrawn takes the same index).
  '/v1/claims?status=withdrawn',
  '/v1/claims?sort=-updated',
  '/v1/claims?sort=-sample_size',
  `/v1/claims?condition=${v.rootCondition}&intervention=${v.intervention}&min_grade=low&sort=-updated`,
  '/v1/claims?has_retracted_evidence=true',
  '/v1/claims?has_retracted_evidence=false',
  '/v1/claims?has_retracted_evidence=true&sort=-updated',
  '/v1/claims?has_retracted_evidence=false&min_grade=low&sort=-sample_size',
  `/v1/claims/${v.claimId}`,
  // Issue 16: PICO filters, and answer cards by condition.
  '/v1/claims?age_group=adult',
  '/v1/claims?sex=female',
  '/v1/claims?setting=outpatient',
  '/v1/claims?outcome_code=MeSH:D003876',
  '/v1/claims?outcome_code=MeSH:D003876&sort=-updated',
  `/v1/topics?condition=${v.rootCondition}`,
  `/v1/topics?condition=${v.leafCondition}&include_descendants=false`,
  '/v1/conditions',
  `/v1/conditions?q=${conditionPrefix}`,
  `/v1/conditions/${v.rootCondition}`,
  '/v1/interventions',
  `/v1/interventions?q=${interventionPrefix}`,
  '/v1/interventions?kind=drug',
  `/v1/interventions?q=${interventionPrefix}&kind=drug`,
  `/v1/interventions/${v.intervention}`,
  '/v1/studies',
  '/v1/studies?design=rct',
  '/v1/studies?min_sample_size=100',
  '/v1/studies?year_from=2010&year_to=2020',
  '/v1/studies?retracted=true',
  '/v1/studies?retracted=false',
  '/v1/studies?retracted=true&design=rct',
  `/v1/studies/${v.pmid}`,
  '/v1/topics',
  `/v1/topics/${v.topic}`,
  `/v1/search?q=${v.word}`,
  `/v1/search?q=${v.word}&type=claim`,
  `/v1/search?q=${v.word}&type=study`,
  `/v1/studies/${v.pmid}/citation?format=ris`,
  `/v1/claims/${v.claimId}/citations?format=ris`,
  `/v1/topics/${v.topic}/citations?format=bibtex`,
  `/v1/citations?pmids=${v.pmid},${v.pmid2}&format=ris`,
];

// Lists with a second page, so the keyset (cursor) variant of each query is checked too.
const PAGED = [
  '/v1/claims?limit=5',
  '/v1/claims?limit=5&sort=-updated',
  '/v1/claims?limit=5&sort=-sample_size',
  `/v1/claims?limit=5&condition=${values.rootCondition}`,
  // A driving filter with every sort: the keyset range of the sort must not pull in its own status-led index
  // for the inner loop (once per condition of the tree: minutes at 1M claims).
  `/v1/claims?limit=5&condition=${values.rootCondition}&sort=-updated`,
  `/v1/claims?limit=5&condition=${values.rootCondition}&sort=-sample_size`,
  '/v1/claims?limit=5&evidence_type=predictive',
  '/v1/claims?limit=5&evidence_type=predictive&sort=-updated',
  `/v1/claims?limit=5&intervention=${values.intervention}&sort=-updated`,
  `/v1/claims?limit=5&intervention=${values.intervention}&sort=-sample_size`,
  `/v1/claims?limit=5&q=${values.word}&sort=-updated`,
  `/v1/claims?limit=5&q=${values.word}&sort=-sample_size`,
  '/v1/claims?limit=5&q=with&sort=-updated',
  '/v1/claims?limit=5&q=with&sort=-sample_size',
  '/v1/conditions?limit=5',
  '/v1/interventions?limit=5',
  '/v1/studies?limit=5',
  '/v1/studies?limit=5&retracted=false',
  '/v1/claims?limit=5&has_retracted_evidence=true',
  '/v1/claims?limit=5&has_retracted_evidence=true&sort=-updated',
  '/v1/topics?limit=2',
  `/v1/search?q=${values.word}&limit=5`,
];

async function checkPlans(url: string) {
  const res = await run(url);
  expect(res.status, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  const report: string[] = [];
  const seen = new Set<string>();
  for (const execution of res.executed) {
    if (seen.has(execution.sql)) continue;
    seen.add(execution.sql);
    const problems = planProblems(execution);
    if (problems.length > 0)
      report.push(`SQL: ${execution.sql.replace(/\s+/g, ' ').trim()}\n  ${problems.join('\n  ')}`);
  }
  expect(report, `GET ${url}: statements whose plan reads a big table end to end:\n${report.join('\n')}`).toEqual([]);
  return res;
}

describe('query plans on the read path: no big table read end to end', () => {
  for (const url of URLS) it(`GET ${url}`, () => checkPlans(url));
  for (const url of PAGED)
    it(`GET ${url} and its next page (keyset cursor)`, async () => {
      const first = await run(url);
      const cursor = (JSON.parse(first.body) as { next_cursor: string | null }).next_cursor;
      expect(cursor, `${url} has a second page`).not.toBeNull();
      await checkPlans(url);
      await checkPlans(`${url}&cursor=${encodeURIComponent(cursor as string)}`);
    });

  it('the guard records the statements a request runs, and flags a full table scan', async () => {
    const res = await run(`/v1/claims/${values.claimId}`);
    expect(res.executed.some((e) => /FROM claims c/.test(e.sql))).toBe(true);
    expect(planProblems({ sql: 'SELECT * FROM claims WHERE outcome = ?', params: ['x'] })).toEqual([
      expect.stringContaining('full table scan'),
    ]);
    expect(planProblems({ sql: 'SELECT * FROM claims WHERE id = ?', params: ['x'] })).toEqual([]);
  });
});

describe('statements per request', () => {
  const statements = async (url: string) => {
    const res = await run(url);
    expect(res.status, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.executed.map((e) => e.sql.replace(/\s+/g, ' ').trim().slice(0, 100));
  };

  it('GET /v1/claims runs the same few statements for 1 claim as for 100', async () => {
    const one = await statements('/v1/claims?limit=1');
    const hundred = await statements('/v1/claims?limit=100');
    expect(hundred).toEqual(one);
    // 7: with the agreement links, the studies' notices and (issue 16) the claims' PICO, one statement each.
    expect(hundred.length, hundred.join('\n')).toBeLessThanOrEqual(7);
    const filters = `condition=${values.rootCondition}&intervention=${values.intervention}`;
    expect(await statements(`/v1/claims?limit=100&${filters}`)).toEqual(
      await statements(`/v1/claims?limit=1&${filters}`),
    );
  });

  it('GET /v1/topics/{slug} runs the same few statements for a small topic as for a large one', async () => {
    const small = await statements(`/v1/topics/${values.smallTopic}`);
    const large = await statements(`/v1/topics/${values.topic}`);
    expect(large).toEqual(small);
    // 10: hydrateClaims reads the agreement links (claim_relations), the studies' notices (study_notices) and the
    // claims' PICO (claim_picos) too.
    expect(large.length, large.join('\n')).toBeLessThanOrEqual(10);
    expect(await statements('/v1/topics?limit=100')).toEqual(await statements('/v1/topics?limit=1'));
  });

  it('other lists run the same statements whatever the page size', async () => {
    for (const list of ['/v1/conditions', '/v1/interventions', '/v1/studies', `/v1/search?q=${values.word}`]) {
      const sep = list.includes('?') ? '&' : '?';
      const max = list.startsWith('/v1/search') ? 50 : 100;
      expect(await statements(`${list}${sep}limit=${max}`), list).toEqual(await statements(`${list}${sep}limit=1`));
    }
  });
});
