// The benchmark: the real server (a separate process on a generated database) under autocannon, against the floor
// (bare Fastify returning a precomputed body of the same size) and json-server on the same data.
//
// npm run bench -- [--claims 100000] [--db FILE] [--duration 10] [--warmup 3] [--connections 50] [--runs 1]
//                  [--scale] [--scale-sizes 10000,100000,1000000] [--scale-runs N] [--no-json-server] [--cpu-prof]
//                  [--only 1,2,...] [--server-root DIR] [--db-dir DIR] [--no-write] [--report RESULTS.json]
//
// Everything listens on 127.0.0.1 only, every phase has a bounded duration, and every child is stopped on exit.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { withKeptSections } from './doc-sections.js';
import { generateFile, mulberry32 } from './generate.js';
import { exportJsonServer } from './json-server-export.js';
import * as V from './vocabulary.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench/out');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const JSON_SERVER = join(ROOT, 'node_modules/.bin/json-server');
const HOST = '127.0.0.1';

// ---------------------------------------------------------------- arguments

function parseArgs(argv: string[]) {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) continue;
    const [key, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) args[key] = inline;
    else if (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('--')) args[key] = argv[++i] as string;
    else args[key] = 'true';
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const num = (name: string, fallback: number) => {
  const value = args[name] === undefined ? fallback : Number(args[name]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const CLAIMS = num('claims', 100_000);
const DURATION = num('duration', 10);
const WARMUP = num('warmup', 3);
const CONNECTIONS = num('connections', 50);
const RUNS = num('runs', 1);
const SEED = num('seed', 1);
const SCALE = args.scale === 'true';
const SCALE_SIZES = (args['scale-sizes'] ?? '10000,100000,1000000').split(',').map(Number);
const SCALE_RUNS = num('scale-runs', RUNS);
const JSON_SERVER_ON = args['no-json-server'] !== 'true';
const JSON_SERVER_MAX_CLAIMS = 200_000; // db.json above this exceeds what JSON.parse of one string can hold
const CPU_PROF = args['cpu-prof'] === 'true';
const WRITE_DOC = args['no-write'] !== 'true';
const ONLY = args.only?.split(',');
/** Where generated databases are cached (bench/out); another checkout's server may migrate them differently. */
const DB_DIR = args['db-dir'] ?? OUT;
/** Another checkout to run the server from (e.g. a branch with a proposed fix); the bench itself stays here. */
const SERVER_ROOT = args['server-root'] ? fileURLToPath(new URL(`file://${args['server-root']}/`)) : ROOT;

// ---------------------------------------------------------------- processes

const children = new Set<ChildProcess>();
/** Each child leads its own process group (tsx runs the script in a grandchild): kill the whole group. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
function killAll() {
  for (const child of children) killGroup(child, 'SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process that does the work: tsx (and npm) start the script in a child node process. */
function leafPid(pid: number): number {
  for (let depth = 0; depth < 5; depth++) {
    let kids: string[] = [];
    try {
      kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      kids = readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .filter((d) => {
          try {
            return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
          } catch {
            return false;
          }
        });
    }
    if (kids.length === 0) return pid;
    pid = Number(kids[0]);
  }
  return pid;
}

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

interface Started {
  name: string;
  child: ChildProcess;
  base: string;
  readyMs: number;
  pid: number;
  stop(): Promise<void>;
}

/** Spawns a server, polls `readyPath` until it answers 200 (bounded), and returns its base URL and leaf pid. */
async function startServer(
  name: string,
  command: string,
  argv: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  timeoutMs: number,
  cwd = ROOT,
): Promise<Started> {
  const started = performance.now();
  const child = spawn(command, argv, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const base = `http://${HOST}:${port}`;
  let readyMs = -1;
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it was ready:\n${output}`);
    try {
      const res = await fetch(`${base}${readyPath}`);
      await res.arrayBuffer();
      if (res.status === 200) {
        readyMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  if (readyMs < 0) {
    killGroup(child, 'SIGKILL');
    throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${output}`);
  }
  return {
    name,
    child,
    base,
    readyMs,
    pid: leafPid(child.pid as number),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
  };
}

/** Starts the API from SERVER_ROOT; with `profileDir`, as plain node with --cpu-prof (tsx's loader in-process). */
async function startApi(dbPath: string, options: { profileDir?: string } = {}) {
  const port = await freePort();
  // One client (this process, one IP) sends everything: the per-client rate limit is lifted so that it measures
  // the server, not the limiter (which still runs on every request). Load shedding keeps its default.
  const env = {
    DATABASE_PATH: dbPath,
    PORT: String(port),
    HOST,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '1000000',
    RATE_LIMIT_WINDOW_MS: '1000',
  };
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    return startServer(
      'api',
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, '--import', 'tsx', 'src/server.ts'],
      env,
      port,
      '/health',
      60_000,
      SERVER_ROOT,
    );
  }
  return startServer(
    'api',
    join(SERVER_ROOT, 'node_modules/.bin/tsx'),
    ['src/server.ts'],
    env,
    port,
    '/health',
    60_000,
    SERVER_ROOT,
  );
}

// ---------------------------------------------------------------- load

interface Target {
  path: string;
  headers?: Record<string, string>;
}

interface Measurement {
  name: string;
  /** Responses with the expected status; `rps` counts only these. */
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  bad: number;
  errors: number;
  statuses: Record<string, number>;
  bytesPerResponse: number;
  peakRssMb: number;
  /** 1-minute load average when the scenario ended: other work on the machine skews every number. */
  load: number;
}

/** autocannon for `seconds` with a fresh random target per request; latencies recorded exactly (not bucketed). */
async function drive(
  base: string,
  next: () => Target,
  seconds: number,
  expected: number,
  pid?: number,
): Promise<Omit<Measurement, 'name'>> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let bad = 0;
  let bytes = 0;
  const statuses: Record<string, number> = {};
  let peakKb = 0;
  const sampler = pid
    ? setInterval(() => {
        peakKb = Math.max(peakKb, readStatusKb(pid, 'VmRSS'));
      }, 100)
    : undefined;
  const instance = autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const target = next();
          return { ...request, path: target.path, headers: { ...request.headers, ...target.headers } };
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, resBytes: number, responseTime: number) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    statuses[status] = (statuses[status] ?? 0) + 1;
    // Only the expected answers count: a shed (503) or failed request is fast and would flatter the numbers.
    if (status !== expected) {
      bad++;
      return;
    }
    latencies[count++] = responseTime;
    bytes += resBytes;
  });
  const result = await instance;
  if (sampler) clearInterval(sampler);
  if (pid) peakKb = Math.max(peakKb, readStatusKb(pid, 'VmRSS'));
  const sorted = latencies.slice(0, count).sort();
  const at = (q: number) => (count === 0 ? 0 : (sorted[Math.min(count - 1, Math.floor(q * count))] as number));
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i] as number;
  return {
    requests: count,
    rps: count / result.duration,
    p50: at(0.5),
    p99: at(0.99),
    mean: count ? sum / count : 0,
    max: count ? (sorted[count - 1] as number) : 0,
    bad,
    errors: result.errors + result.timeouts,
    statuses,
    bytesPerResponse: count ? bytes / count : 0,
    peakRssMb: peakKb / 1024,
    load: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
  };
}

/**
 * Waits (at most a minute) until /health answers promptly three times in a row: a slow scenario leaves a backlog of
 * requests the server is still working through, and that must not spill into the next scenario's numbers.
 */
async function settle(base: string): Promise<void> {
  const started = performance.now();
  let prompt = 0;
  while (prompt < 3 && performance.now() - started < 60_000) {
    const t = performance.now();
    try {
      await (await fetch(`${base}/health`)).arrayBuffer();
    } catch {
      // not answering yet
    }
    prompt = performance.now() - t < 20 ? prompt + 1 : 0;
    await sleep(50);
  }
}

async function measure(
  name: string,
  base: string,
  next: () => Target,
  expected = 200,
  pid?: number,
  hasHealth = true,
): Promise<Measurement> {
  if (hasHealth) await settle(base);
  await drive(base, next, WARMUP, expected);
  const m = { name, ...(await drive(base, next, DURATION, expected, pid)) };
  console.log(
    `  ${name.padEnd(34)} ${fmt(m.rps, 0).padStart(7)} req/s  p50 ${fmt(m.p50, 2).padStart(6)} ms  p99 ${fmt(m.p99, 2).padStart(6)} ms  ` +
      `${fmt(m.bytesPerResponse / 1024, 1)} KB  RSS ${fmt(m.peakRssMb, 0)} MB${m.bad ? `  UNEXPECTED ${m.bad} (${JSON.stringify(m.statuses)})` : ''}`,
  );
  return m;
}

const fmt = (value: number, digits: number) =>
  value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// ---------------------------------------------------------------- inputs

interface Inputs {
  conditionPages: string[];
  claimUrls: string[];
  searchUrls: string[];
  topicUrls: string[];
  risUrls: string[];
  etag: string;
  page1Bytes: number[];
  floorBody: string;
  conditionSubtreeSizes: number[];
  jsonServerUrls: string[];
}

/** GET for setup work: retried while the server sheds load (503) or limits (429), bounded to ~30 s. */
async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; etag: string | null }> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { headers });
    const text = await res.text();
    if ((res.status !== 503 && res.status !== 429) || attempt >= 60)
      return { status: res.status, text, etag: res.headers.get('etag') };
    await sleep(500);
  }
}

/** Random but reproducible request targets, with real cursors collected from the running server. */
async function collectInputs(dbPath: string, base: string, limitConditions = 200): Promise<Inputs> {
  const rnd = mulberry32(SEED * 7919);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)] as T;
  const sqlite = new Database(dbPath, { readonly: true, fileMustExist: true });
  const own = new Map(
    (
      sqlite
        .prepare(
          "SELECT condition_id AS id, count(*) AS n FROM claims WHERE status = 'published' AND condition_id IS NOT NULL GROUP BY condition_id",
        )
        .all() as { id: number; n: number }[]
    ).map((r) => [r.id, r.n]),
  );
  // Published claims per condition subtree (what `condition=` matches with include_descendants), from the closure.
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
  const eligible = conditions.filter((c) => (subtree.get(c.id) ?? 0) > 20);
  const chosen = Array.from({ length: Math.min(limitConditions, eligible.length) }, () => pick(eligible));
  const conditionPages: string[] = [];
  const page1Bytes: number[] = [];
  let floorBody = '';
  // Bounded: on a server where these pages are slow, collect what a minute allows rather than stall the run.
  const collectStart = performance.now();
  for (const c of chosen) {
    if (page1Bytes.length > 0 && performance.now() - collectStart > 60_000) {
      console.log(`  (collected pages for ${page1Bytes.length} conditions in 60 s; the pages are slow)`);
      break;
    }
    let url = `/v1/claims?condition=${c.slug}&limit=20`;
    for (let page = 1; page <= 4; page++) {
      const res = await get(`${base}${url}`);
      const text = res.text;
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 300)}`);
      conditionPages.push(url);
      if (page === 1) {
        page1Bytes.push(Buffer.byteLength(text));
        floorBody ||= text;
      }
      const next = (JSON.parse(text) as { next_cursor: string | null }).next_cursor;
      if (!next) break;
      url = `/v1/claims?condition=${c.slug}&limit=20&cursor=${encodeURIComponent(next)}`;
    }
  }
  // The floor's body: a real scenario-1 page, padded (inside a JSON string) to the mean page-1 size.
  const meanBytes = Math.round(page1Bytes.reduce((a, b) => a + b, 0) / page1Bytes.length);
  const padding = Math.max(0, meanBytes - Buffer.byteLength(floorBody) - 12);
  floorBody =
    Buffer.byteLength(floorBody) > meanBytes
      ? JSON.stringify({ pad: 'x'.repeat(Math.max(0, meanBytes - 10)) })
      : `${floorBody.slice(0, -1)},"pad":"${'x'.repeat(padding)}"}`;

  const maxSeq = (sqlite.prepare('SELECT max(seq) AS n FROM claims').get() as { n: number }).n;
  const bySeq = sqlite.prepare("SELECT id FROM claims WHERE seq = ? AND status = 'published'").pluck();
  const claimIds: string[] = [];
  while (claimIds.length < 2000) {
    const id = bySeq.get(1 + Math.floor(rnd() * maxSeq)) as string | undefined;
    if (id) claimIds.push(id);
  }
  const interventionWords = (
    sqlite.prepare('SELECT name FROM interventions ORDER BY id LIMIT 2000').pluck().all() as string[]
  ).flatMap((n) => n.split(/[^\p{L}\p{N}]+/u).filter((w) => /^\p{L}{4,}$/u.test(w)));
  const biomarkers = sqlite
    .prepare('SELECT DISTINCT biomarker FROM claims WHERE biomarker IS NOT NULL LIMIT 300')
    .pluck()
    .all() as string[];
  const stems = V.ROOT_CONDITIONS.flatMap((r) => r.stems);
  const searchTerms: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const kind = rnd();
    if (kind < 0.35) searchTerms.push(pick(V.MEDICAL_WORDS));
    else if (kind < 0.55) {
      const word = pick(V.MEDICAL_WORDS);
      searchTerms.push(word.slice(0, Math.min(word.length, 4 + Math.floor(rnd() * 3))));
    } else if (kind < 0.8) searchTerms.push(`${pick(stems)} ${pick(V.OUTCOMES).split(' ')[0]}`);
    else if (kind < 0.9 && biomarkers.length) searchTerms.push(pick(biomarkers));
    else searchTerms.push(pick(interventionWords.length ? interventionWords : V.MEDICAL_WORDS));
  }
  const topics = sqlite.prepare('SELECT slug FROM topics').pluck().all() as string[];

  // json-server filters on the claim's own condition (no hierarchy): conditions with more than 20 direct claims.
  const direct = conditions.filter((c) => (own.get(c.id) ?? 0) > 20);
  const jsonServerUrls: string[] = [];
  for (let i = 0; i < 400 && direct.length; i++) {
    const c = pick(direct);
    const pages = Math.min(4, Math.ceil((own.get(c.id) ?? 0) / 20));
    jsonServerUrls.push(`/claims?condition=${c.slug}&_limit=20&_page=${1 + Math.floor(rnd() * pages)}`);
  }
  sqlite.close();

  const etag = (await get(`${base}/v1/claims/${encodeURIComponent(claimIds[0] as string)}`)).etag ?? '';
  if (!etag) throw new Error('the server sent no ETag');
  return {
    conditionPages,
    claimUrls: claimIds.map((id) => `/v1/claims/${id}`),
    searchUrls: searchTerms.map((q) => `/v1/search?q=${encodeURIComponent(q)}`),
    topicUrls: topics.map((t) => `/v1/topics/${t}`),
    risUrls: claimIds.map((id) => `/v1/claims/${id}/citations?format=ris`),
    etag,
    page1Bytes,
    floorBody,
    conditionSubtreeSizes: chosen.slice(0, page1Bytes.length).map((c) => subtree.get(c.id) ?? 0),
    jsonServerUrls,
  };
}

/** Every scenario URL must answer as expected before it is measured. */
async function preflight(base: string, urls: string[], expected: number, headers: Record<string, string> = {}) {
  for (const url of urls.slice(0, 30)) {
    const res = await get(`${base}${url}`, headers);
    if (res.status !== expected)
      throw new Error(`GET ${url}: ${res.status} (expected ${expected}) ${res.text.slice(0, 300)}`);
  }
}

// ---------------------------------------------------------------- scenarios

function randomOf(urls: readonly string[], headers?: Record<string, string>): () => Target {
  const rnd = mulberry32(SEED * 104_729 + urls.length);
  return () => ({ path: urls[Math.floor(rnd() * urls.length)] as string, headers });
}

interface RunResult {
  readyMs: number;
  floor: Measurement;
  scenarios: Measurement[];
  jsonServer?: Measurement & { readyMs: number; claims: number; dbJsonMb: number };
  hwmMb: number;
}

const SCENARIOS = [
  '1. claims by condition (pages 1-4)',
  '2. one claim by id',
  '3. full-text search',
  '4. topic answer card',
  '5. claim bibliography (RIS)',
  '6. revalidation (304)',
];

async function ensureDatabase(claims: number, explicit?: string): Promise<string> {
  const path = explicit ?? join(DB_DIR, `claims-${claims >= 1000 ? `${claims / 1000}k` : claims}.db`);
  if (!existsSync(path)) {
    if (explicit) throw new Error(`${explicit} does not exist`);
    mkdirSync(DB_DIR, { recursive: true });
    await generateFile(claims, path, SEED);
  }
  return path;
}

async function runOnce(dbPath: string, claims: number, run: number): Promise<{ result: RunResult; inputs: Inputs }> {
  console.log(`\nrun ${run}: starting the server on ${dbPath}`);
  const api = await startApi(dbPath);
  console.log(`  ready (listening, /health 200) in ${fmt(api.readyMs, 0)} ms; server pid ${api.pid}`);
  const inputs = await collectInputs(dbPath, api.base);
  const revalidate = [...inputs.conditionPages, ...inputs.claimUrls];
  await preflight(api.base, inputs.conditionPages, 200);
  await preflight(api.base, inputs.claimUrls, 200);
  await preflight(api.base, inputs.searchUrls, 200);
  await preflight(api.base, inputs.topicUrls, 200);
  await preflight(api.base, inputs.risUrls, 200);
  await preflight(api.base, revalidate, 304, { 'if-none-match': inputs.etag });

  // The floor first (the API's process is idle meanwhile), in its own process like the API.
  const bodyFile = join(OUT, 'floor-body.json');
  writeFileSync(bodyFile, inputs.floorBody);
  const floorPort = await freePort();
  const floorServer = await startServer(
    'floor',
    TSX,
    ['bench/floor-server.ts'],
    { BODY_FILE: bodyFile, PORT: String(floorPort) },
    floorPort,
    '/health',
    30_000,
  );
  const floor = await measure(
    `floor (${fmt(Buffer.byteLength(inputs.floorBody) / 1024, 1)} KB)`,
    floorServer.base,
    () => ({ path: '/floor' }),
    200,
    floorServer.pid,
  );
  await floorServer.stop();

  const plan: [string, () => Target, number][] = [
    [SCENARIOS[0] as string, randomOf(inputs.conditionPages), 200],
    [SCENARIOS[1] as string, randomOf(inputs.claimUrls), 200],
    [SCENARIOS[2] as string, randomOf(inputs.searchUrls), 200],
    [SCENARIOS[3] as string, randomOf(inputs.topicUrls), 200],
    [SCENARIOS[4] as string, randomOf(inputs.risUrls), 200],
    [SCENARIOS[5] as string, randomOf(revalidate, { 'if-none-match': inputs.etag }), 304],
  ];
  const scenarios: Measurement[] = [];
  for (const [i, [name, next, expected]] of plan.entries()) {
    if (ONLY && !ONLY.includes(String(i + 1))) continue;
    if (!CPU_PROF) {
      scenarios.push(await measure(name, api.base, next, expected, api.pid));
      continue;
    }
    // One profiled server per scenario, so each profile shows one workload (plus a boot of about a second).
    const profileDir = join(OUT, 'profiles', `run${run}-scenario${i + 1}`);
    const profiled = await startApi(dbPath, { profileDir });
    scenarios.push(await measure(name, profiled.base, next, expected, profiled.pid));
    await profiled.stop();
    console.log(`    profile: npx tsx bench/profile-summary.ts ${relative(ROOT, profileDir)}/*`);
  }
  const hwmMb = readStatusKb(api.pid, 'VmHWM') / 1024;
  await api.stop();

  let jsonServer: RunResult['jsonServer'];
  if (JSON_SERVER_ON && claims <= JSON_SERVER_MAX_CLAIMS && inputs.jsonServerUrls.length > 0) {
    const dbJson = dbPath.replace(/\.db$/, '.json-server.json');
    if (!existsSync(dbJson) || statSync(dbJson).mtimeMs < statSync(dbPath).mtimeMs) {
      console.log('  exporting the dataset for json-server');
      exportJsonServer(dbPath, dbJson);
    }
    const port = await freePort();
    const js = await startServer(
      'json-server',
      JSON_SERVER,
      ['--port', String(port), '--host', HOST, '--quiet', dbJson],
      {},
      port,
      '/claims?_limit=1',
      180_000,
    );
    await preflight(js.base, inputs.jsonServerUrls, 200);
    const m = await measure(
      'json-server: claims by condition',
      js.base,
      randomOf(inputs.jsonServerUrls),
      200,
      js.pid,
      false,
    );
    await js.stop();
    jsonServer = {
      ...m,
      readyMs: js.readyMs,
      claims: countJsonClaims(dbJson),
      dbJsonMb: statSync(dbJson).size / 1e6,
    };
  }
  return { result: { readyMs: api.readyMs, floor, scenarios, jsonServer, hwmMb }, inputs };
}

function countJsonClaims(path: string): number {
  // One claim per line after the opening line (see json-server-export.ts).
  const text = readFileSync(path, 'utf8');
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return Math.max(0, lines - 2);
}

// ---------------------------------------------------------------- aggregation and report

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function medianOf(ms: Measurement[]): Measurement {
  const first = ms[0] as Measurement;
  return {
    ...first,
    requests: median(ms.map((m) => m.requests)),
    rps: median(ms.map((m) => m.rps)),
    p50: median(ms.map((m) => m.p50)),
    p99: median(ms.map((m) => m.p99)),
    mean: median(ms.map((m) => m.mean)),
    max: Math.max(...ms.map((m) => m.max)),
    bad: ms.reduce((a, m) => a + m.bad, 0),
    errors: ms.reduce((a, m) => a + m.errors, 0),
    peakRssMb: Math.max(...ms.map((m) => m.peakRssMb)),
    load: Math.max(...ms.map((m) => m.load)),
    bytesPerResponse: median(ms.map((m) => m.bytesPerResponse)),
  };
}

/** What the report says about the request targets; kept in the results file so a report can be rebuilt from it. */
interface InputSummary {
  pages: number;
  subtreeMedian: number;
  subtreeMax: number;
  page1MeanBytes: number;
}

function summariseInputs(inputs: Inputs): InputSummary {
  const sizes = inputs.conditionSubtreeSizes.slice().sort((a, b) => a - b);
  return {
    pages: inputs.conditionPages.length,
    subtreeMedian: sizes[Math.floor(sizes.length / 2)] ?? 0,
    subtreeMax: sizes[sizes.length - 1] ?? 0,
    page1MeanBytes: inputs.page1Bytes.reduce((a, b) => a + b, 0) / Math.max(1, inputs.page1Bytes.length),
  };
}

interface ScaleRow {
  claims: number;
  dbMb: number;
  readyMs: number;
  s1: Measurement;
  s2: Measurement;
  hwmMb: number;
}

async function scaleRun(size: number): Promise<ScaleRow> {
  const dbPath = await ensureDatabase(size);
  const readies: number[] = [];
  const s1: Measurement[] = [];
  const s2: Measurement[] = [];
  let hwm = 0;
  for (let run = 1; run <= SCALE_RUNS; run++) {
    console.log(`\nscale ${size.toLocaleString('en')} claims, run ${run}`);
    const api = await startApi(dbPath);
    readies.push(api.readyMs);
    console.log(`  ready in ${fmt(api.readyMs, 0)} ms`);
    const inputs = await collectInputs(dbPath, api.base);
    s1.push(await measure(SCENARIOS[0] as string, api.base, randomOf(inputs.conditionPages), 200, api.pid));
    s2.push(await measure(SCENARIOS[1] as string, api.base, randomOf(inputs.claimUrls), 200, api.pid));
    hwm = Math.max(hwm, readStatusKb(api.pid, 'VmHWM') / 1024);
    await api.stop();
  }
  return {
    claims: size,
    dbMb: statSync(dbPath).size / 1e6,
    readyMs: median(readies),
    s1: medianOf(s1),
    s2: medianOf(s2),
    hwmMb: hwm,
  };
}

function loadRange(runs: RunResult[], scale: ScaleRow[] | undefined): string {
  const loads = [
    ...runs.flatMap((r) => [r.floor, ...r.scenarios, ...(r.jsonServer ? [r.jsonServer] : [])]),
    ...(scale ?? []).flatMap((r) => [r.s1, r.s2]),
  ].map((m) => m.load);
  return `${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)}`;
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const mem = /MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
  return {
    cpu: model,
    cores: cpus().length,
    memoryGb: mem ? Number(mem) / 1024 / 1024 : 0,
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
  };
}

function deps() {
  const version = (name: string) =>
    (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return ['fastify', 'better-sqlite3', 'autocannon', 'json-server'].map((n) => `${n} ${version(n)}`).join(', ');
}

function report(
  dbPath: string,
  claims: number,
  runs: RunResult[],
  inputs: InputSummary,
  scale: ScaleRow[] | undefined,
  settings = { runs: RUNS, duration: DURATION, warmup: WARMUP, connections: CONNECTIONS, scaleRuns: SCALE_RUNS },
): string {
  const {
    runs: RUNS_,
    duration: DURATION_,
    warmup: WARMUP_,
    connections: CONNECTIONS_,
    scaleRuns: SCALE_RUNS_,
  } = settings;
  const m = machine();
  const floor = medianOf(runs.map((r) => r.floor));
  const names = runs[0]?.scenarios.map((s) => s.name) ?? [];
  const scenarios = names.map((name) =>
    medianOf(runs.map((r) => r.scenarios.find((s) => s.name === name) as Measurement)),
  );
  const readyMs = median(runs.map((r) => r.readyMs));
  const js = runs.some((r) => r.jsonServer)
    ? medianOf(runs.flatMap((r) => (r.jsonServer ? [r.jsonServer] : [])))
    : undefined;
  const jsMeta = runs.find((r) => r.jsonServer)?.jsonServer;
  const row = (s: Measurement, ratio: boolean) =>
    `| ${s.name} | ${fmt(s.rps, 0)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${ratio ? `${fmt((100 * s.rps) / floor.rps, 1)}%` : '—'} | ${fmt(s.bytesPerResponse / 1024, 1)} KB | ${fmt(s.peakRssMb, 0)} MB | ${s.bad + s.errors} |`;
  const targetRows: string[] = [];
  const target = (what: string, goal: string, measured: string, ok: boolean) =>
    targetRows.push(`| ${what} | ${goal} | ${measured} | ${ok ? 'met' : '**missed**'} |`);
  const byNumber = (n: number) => scenarios.find((s) => s.name.startsWith(`${n}.`));
  for (const [n, goal] of [
    [1, 25],
    [2, 40],
    [6, 70],
  ] as const) {
    const s = byNumber(n);
    if (s) {
      const pct = (100 * s.rps) / floor.rps;
      target(`scenario ${n} throughput`, `≥ ${goal}% of floor`, `${fmt(pct, 1)}%`, pct >= goal);
    }
  }
  for (const n of [1, 2, 3, 4, 5]) {
    const s = byNumber(n);
    if (!s) continue;
    const shed = s.bad + s.errors > 0.01 * (s.requests + s.bad);
    target(
      `scenario ${n} p99`,
      '≤ 20 ms',
      `${fmt(s.p99, 2)} ms${shed ? ` (and ${s.bad + s.errors} requests not answered 200)` : ''}`,
      !shed && s.p99 <= 20,
    );
  }
  target('time to ready', '≤ 1 s', `${fmt(readyMs, 0)} ms (${claims.toLocaleString('en')} claims)`, readyMs <= 1000);
  const peak = Math.max(...scenarios.map((s) => s.peakRssMb));
  target(
    'server RSS under load',
    '≤ 250 MB',
    `${fmt(peak, 0)} MB (${claims.toLocaleString('en')} claims)`,
    peak <= 250,
  );
  if (scale) {
    const at = (size: number) => scale.find((r) => r.claims === size);
    const big = at(1_000_000);
    const mid = at(100_000);
    if (big && mid) {
      for (const key of ['s1', 's2'] as const) {
        for (const q of ['p50', 'p99'] as const) {
          const factor = big[key][q] / mid[key][q];
          // A latency over a handful of answers (the rest shed) compares nothing: it counts as missed.
          const healthy = [big[key], mid[key]].every((m) => m.bad + m.errors <= 0.01 * (m.requests + m.bad));
          target(
            `1M vs 100k, scenario ${key === 's1' ? 1 : 2} ${q}`,
            '≤ 1.5x',
            `${fmt(factor, 2)}x (${fmt(mid[key][q], 2)} → ${fmt(big[key][q], 2)} ms)${healthy ? '' : '; most requests were shed'}`,
            healthy && factor <= 1.5,
          );
        }
      }
      target('time to ready at 1M', '≤ 1 s', `${fmt(big.readyMs, 0)} ms`, big.readyMs <= 1000);
      const rss = Math.max(big.s1.peakRssMb, big.s2.peakRssMb);
      target('server RSS under load at 1M', '≤ 250 MB', `${fmt(rss, 0)} MB`, rss <= 250);
    }
  }

  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Reproduce with',
    '',
    '```sh',
    `npm run bench -- --claims ${claims} --runs ${RUNS_} --duration ${DURATION_}${scale ? ` --scale --scale-runs ${SCALE_RUNS_}` : ''}`,
    '```',
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${fmt(m.memoryGb, 1)} GB RAM; Node ${m.node}; ${deps()}. Date: ${m.date}.`,
    `- Load generator (autocannon, in the bench process) and server share the same ${m.cores} cores: read absolute numbers as this machine's, ratios as portable.`,
    `- Method: the real server (\`tsx src/server.ts\`, LOG_LEVEL=warn, 127.0.0.1) as its own process on a generated database; ${CONNECTIONS_} connections, ${WARMUP_} s warm-up then ${DURATION_} s per scenario; ${RUNS_ === 1 ? 'one run' : `medians of ${RUNS_} runs`}${scale ? ` (the data-size table: ${SCALE_RUNS_ === 1 ? 'one run' : `medians of ${SCALE_RUNS_} runs`})` : ''}. Every request picks a random target (seeded): ${inputs.pages} condition pages (first pages and pages 2-4 through real cursors, conditions with 21 or more published claims in their subtree: median ${inputs.subtreeMedian}, max ${inputs.subtreeMax} claims), 2,000 claim ids, 1,000 search terms (vocabulary words, prefixes, condition + outcome pairs, biomarkers, intervention names), every topic.`,
    '- Requests/s and latency percentiles count only responses with the expected status (200, or 304 for revalidation); anything else (e.g. 503 from load shedding) is counted in the last column. Percentiles are exact (every response time recorded), in milliseconds. RSS is the server process’s peak resident set sampled every 100 ms during the scenario.',
    `- Machine load: the 1-minute load average at the end of each scenario ranged ${loadRange(runs, scale)} (${m.cores} cores); above ${m.cores} other work competed for the CPU and every number is pessimistic.`,
    `- Floor: a bare Fastify route returning a precomputed JSON string of the mean scenario-1 page size (${fmt(inputs.page1MeanBytes / 1024, 1)} KB), in its own process.`,
    '',
    `## ${claims.toLocaleString('en')} claims (\`${relative(ROOT, dbPath)}\`, ${fmt(statSync(dbPath).size / 1e6, 0)} MB)`,
    '',
    `Time to ready (spawn → listening with the database migrated, /health 200): ${fmt(readyMs, 0)} ms. Server peak RSS over the run (VmHWM): ${fmt(Math.max(...runs.map((r) => r.hwmMb)), 0)} MB.`,
    '',
    '| scenario | requests/s | p50 ms | p99 ms | of floor | body | peak RSS | unexpected status or errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row(floor, false),
    ...scenarios.map((s) => row(s, true)),
    '',
  ];
  if (js && jsMeta) {
    const s1 = byNumber(1);
    lines.push(
      '## json-server 0.17 on the same data',
      '',
      `\`bench/json-server-export.ts\` writes the ${jsMeta.claims.toLocaleString('en')} published claims with their studies embedded (${fmt(jsMeta.dbJsonMb, 0)} MB db.json; json-server took ${fmt(jsMeta.readyMs / 1000, 1)} s to start). The equivalent of scenario 1 is \`/claims?condition=<slug>&_limit=20&_page=k\` (json-server filters on the claim's own condition; it has no hierarchy, no sort and no cursors).`,
      '',
      '| server | requests/s | p50 ms | p99 ms | peak RSS |',
      '|---|---:|---:|---:|---:|',
      `| json-server | ${fmt(js.rps, 0)} | ${fmt(js.p50, 2)} | ${fmt(js.p99, 2)} | ${fmt(js.peakRssMb, 0)} MB |`,
      s1
        ? `| this API, scenario 1 | ${fmt(s1.rps, 0)} | ${fmt(s1.p50, 2)} | ${fmt(s1.p99, 2)} | ${fmt(s1.peakRssMb, 0)} MB |`
        : '',
      '',
      s1 ? `This API serves scenario 1 at **${fmt(s1.rps / js.rps, 1)}x** json-server's requests/s.` : '',
      '',
    );
  } else if (claims > JSON_SERVER_MAX_CLAIMS) {
    lines.push(
      '## json-server',
      '',
      `Not run at ${claims.toLocaleString('en')} claims: its db.json would exceed what one JSON.parse can hold. Run with --claims 100000 for the comparison.`,
      '',
    );
  }
  if (scale) {
    lines.push(
      '## Latency vs data size (scenarios 1 and 2)',
      '',
      '| claims | database | ready | s1 req/s | s1 p50 | s1 p99 | s2 req/s | s2 p50 | s2 p99 | peak RSS under load | unexpected status or errors (s1 / s2) |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...scale.map(
        (r) =>
          `| ${r.claims.toLocaleString('en')} | ${fmt(r.dbMb, 0)} MB | ${fmt(r.readyMs, 0)} ms | ${fmt(r.s1.rps, 0)} | ${fmt(r.s1.p50, 2)} ms | ${fmt(r.s1.p99, 2)} ms | ${fmt(r.s2.rps, 0)} | ${fmt(r.s2.p50, 2)} ms | ${fmt(r.s2.p99, 2)} ms | ${fmt(Math.max(r.s1.peakRssMb, r.s2.peakRssMb), 0)} MB | ${r.s1.bad + r.s1.errors} / ${r.s2.bad + r.s2.errors} |`,
      ),
      '',
    );
  }
  lines.push(
    '## Targets (issue 6, section 3)',
    '',
    '| target | goal | measured | |',
    '|---|---|---|---|',
    ...targetRows,
    '',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function main() {
  const watchdog = setTimeout(
    () => {
      console.error('benchmark watchdog: took far longer than planned; stopping');
      killAll();
      process.exit(2);
    },
    // Generous bounds: each measurement may first wait up to 60 s for a backlog to drain; generation up to 10 min.
    (RUNS * (8 * (DURATION + WARMUP + 60) + 300) +
      (SCALE ? SCALE_SIZES.length * (SCALE_RUNS * (2 * (DURATION + WARMUP + 60) + 120) + 600) : 0) +
      600) *
      1000,
  );
  watchdog.unref();
  mkdirSync(OUT, { recursive: true });
  if (args.report) {
    // Rebuild docs/benchmarks.md from a results file (e.g. after changing the report) without measuring again.
    const saved = JSON.parse(readFileSync(args.report, 'utf8')) as {
      args: Record<string, string>;
      dbPath: string;
      claims: number;
      summary: InputSummary;
      runs: RunResult[];
      scale?: ScaleRow[];
    };
    const n = (key: string, fallback: number) => Number(saved.args[key] ?? fallback);
    const doc = report(saved.dbPath, saved.claims, saved.runs, saved.summary, saved.scale, {
      runs: n('runs', 1),
      duration: n('duration', 10),
      warmup: n('warmup', 3),
      connections: n('connections', 50),
      scaleRuns: n('scale-runs', n('runs', 1)),
    });
    console.log(doc);
    if (WRITE_DOC) writeFileSync(join(ROOT, 'docs/benchmarks.md'), withKeptSections(doc));
    return;
  }
  const dbPath = await ensureDatabase(CLAIMS, args.db);
  const runs: RunResult[] = [];
  let inputs: Inputs | undefined;
  for (let run = 1; run <= RUNS; run++) {
    const once = await runOnce(dbPath, CLAIMS, run);
    runs.push(once.result);
    inputs ??= once.inputs;
  }
  let scale: ScaleRow[] | undefined;
  if (SCALE) {
    scale = [];
    for (const size of SCALE_SIZES) scale.push(await scaleRun(size));
  }
  const summary = summariseInputs(inputs as Inputs);
  const doc = report(dbPath, CLAIMS, runs, summary, scale);
  const resultsFile = join(OUT, `results-${Date.now()}.json`);
  writeFileSync(resultsFile, JSON.stringify({ args, dbPath, claims: CLAIMS, summary, runs, scale }, null, 2));
  console.log(
    `raw results in ${relative(ROOT, resultsFile)} (npm run bench -- --report ${relative(ROOT, resultsFile)})`,
  );
  console.log(`\n${doc}`);
  if (WRITE_DOC) {
    writeFileSync(join(ROOT, 'docs/benchmarks.md'), withKeptSections(doc));
    console.log('wrote docs/benchmarks.md');
  }
  const bad = runs.flatMap((r) => r.scenarios).filter((s) => s.bad > 0 || s.errors > 0);
  if (bad.length) {
    console.error(`unexpected statuses or errors in: ${bad.map((s) => s.name).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  killAll();
  process.exit(1);
});
