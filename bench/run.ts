// The benchmark of issue 12: the real server (its own process, as `npm start` runs it) on generated databases, each
// scenario run several times alternating with a floor (a bare Fastify process serving a body of the scenario's size),
// with medians, spreads and ratios; time to ready and peak RSS per size; p50 growth across sizes.
//
// npm run bench -- [--sizes 100000 | --scale] [--runs 3] [--duration 10] [--warmup 3] [--connections 50]
//                  [--only cold,hot,claim,topic,search,revalidate] [--server-root DIR] [--label NAME] [--profile]
//                  [--no-write] [--report RESULTS.json] [--compare BEFORE.json] [--ready-only N]
//                  [--database-url postgres://... [--replicas N]]
//
// --compare adds a before/after section against an earlier results file (e.g. one measured with --server-root on
// main); --ready-only N only starts the server N times per size and prints the times to ready (no load).
// --database-url runs the API on that PostgreSQL database instead of the SQLite file (load the same data into it first:
// `npm run db:copy -- --from bench/out/claims-100k.db --to postgres://...`; inputs are still read from the file);
// --replicas N starts N API processes on it per run, each driven with its share of the connections.
//
// Everything listens on 127.0.0.1 only, every phase has a bounded duration, and every child is stopped on exit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withKeptSections } from './doc-sections.js';
import { generateFile, mulberry32 } from './generate.js';
import {
  checked,
  drive,
  freePort,
  get,
  HOST,
  killAll,
  type Measurement,
  readStatusKb,
  type Started,
  settle,
  startServer,
  type Target,
} from './lib/harness.js';
import { floorBody, type Inputs, inputsFor, type ScenarioKey } from './lib/inputs.js';
import { comparison, type Results, report, type ScenarioRun, type SizeResult } from './lib/report.js';
import { summarise } from './profile-summary.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench/out');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

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
const SIZES = (args.sizes ?? (args.scale === 'true' ? '10000,100000,1000000' : '100000')).split(',').map(Number);
const RUNS = num('runs', 3);
const DURATION = num('duration', 10);
const WARMUP = num('warmup', 3);
const CONNECTIONS = num('connections', 50);
const SEED = num('seed', 1);
const PROFILE = args.profile === 'true';
const WRITE_DOC = args['no-write'] !== 'true';
/** Another checkout to run the server from (e.g. main as received); the bench itself stays here. */
const SERVER_ROOT = args['server-root'] ? fileURLToPath(new URL(`file://${args['server-root']}/`)) : ROOT;
const LABEL = args.label ?? (SERVER_ROOT === ROOT ? 'this checkout' : relative(ROOT, SERVER_ROOT));
/** PostgreSQL instead of the SQLite file: the database must hold the same data as the file (see the header). */
const DATABASE_URL = args['database-url'];
const REPLICAS = num('replicas', 1);
if (REPLICAS > 1 && !DATABASE_URL) throw new Error('--replicas needs --database-url (one SQLite file is one machine)');

export const SCENARIOS: { key: ScenarioKey; name: string; expected: number }[] = [
  { key: 'cold', name: 'claims by condition, cold (every URL distinct)', expected: 200 },
  { key: 'hot', name: 'claims by condition, hot (50 popular, first pages)', expected: 200 },
  { key: 'claim', name: 'claim by id (2,000 ids)', expected: 200 },
  { key: 'topic', name: 'topic card', expected: 200 },
  { key: 'search', name: 'search, common words (every URL distinct)', expected: 200 },
  { key: 'revalidate', name: 'revalidation (304)', expected: 304 },
];
const ONLY = args.only?.split(',') as ScenarioKey[] | undefined;
const PLAN = SCENARIOS.filter((s) => !ONLY || ONLY.includes(s.key));

// ---------------------------------------------------------------- the server under test

/**
 * How `npm start` runs the server of `root`: compiled JavaScript when its start script runs `dist/server.js` (built
 * once here with its own build script), else the TypeScript sources under tsx's loader (main before issue 12).
 */
function serverCommand(root: string): { argv: string[]; compiled: boolean } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  if (pkg.scripts.start?.includes('dist/server.js')) {
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error(`npm run build failed in ${root}`);
    return { argv: ['dist/server.js'], compiled: true };
  }
  return { argv: ['--import', 'tsx', 'src/server.ts'], compiled: false };
}
const SERVER = serverCommand(SERVER_ROOT);

/** A fresh API process on `dbPath`, timed from spawn to `/ready` 200; with `profileDir`, under --cpu-prof. */
async function startApi(dbPath: string, profileDir?: string): Promise<Started> {
  const port = await freePort();
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  return startServer({
    name: 'api',
    command: process.execPath,
    argv: [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...SERVER.argv],
    // One client (this process, one address) sends everything: the rate limit and the fair share are lifted so that
    // the server is measured, not the limiters (which still run on every request). Load shedding keeps its default.
    env: {
      ...(DATABASE_URL ? { DATABASE_URL } : { DATABASE_PATH: dbPath }),
      PORT: String(port),
      HOST,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WINDOW_MS: '1000',
      CLIENT_TIME_BUDGET_MS: '0',
    },
    port,
    readyPath: '/ready',
    timeoutMs: 120_000,
    cwd: SERVER_ROOT,
    // node runs the server itself (compiled, or under tsx's --import loader): its child is the integrity check.
    own: true,
  });
}

async function startFloor(bodies: Record<string, string>): Promise<Started> {
  const file = join(OUT, 'floor-bodies.json');
  writeFileSync(file, JSON.stringify(bodies));
  const port = await freePort();
  return startServer({
    name: 'floor',
    command: TSX,
    argv: ['bench/floor-server.ts'],
    env: { BODIES_FILE: file, PORT: String(port) },
    port,
    readyPath: '/health',
    timeoutMs: 30_000,
    cwd: ROOT,
  });
}

async function ensureDatabase(claims: number): Promise<string> {
  const path = join(OUT, `claims-${claims >= 1000 ? `${claims / 1000}k` : claims}.db`);
  if (!existsSync(path)) {
    mkdirSync(OUT, { recursive: true });
    await generateFile(claims, path, SEED);
  }
  return path;
}

// ---------------------------------------------------------------- targets per request

/** Uniformly random over `urls` (repeats: a hot or popular set). */
function randomOf(urls: readonly string[], seed: number, headers?: Record<string, string>): () => Target {
  const rnd = mulberry32(seed);
  return () => ({ path: urls[Math.floor(rnd() * urls.length)] as string, headers });
}

/** Each URL of `urls` once, in a seeded order; counts the requests that had to reuse one (reported). */
function eachOnce(urls: readonly string[], seed: number) {
  const rnd = mulberry32(seed);
  const order = [...urls];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  let at = 0;
  const state = { reused: 0 };
  const next = (): Target => {
    if (at >= order.length) state.reused++;
    return { path: order[at++ % order.length] as string };
  };
  return { next, state };
}

function targetsOf(key: ScenarioKey, inputs: Inputs, run: number, listTag: string) {
  const seed = SEED * 104_729 + run;
  switch (key) {
    case 'cold':
      return eachOnce(inputs.cold, seed);
    case 'search':
      return eachOnce(inputs.search, seed);
    case 'hot':
      return { next: randomOf(inputs.hot, seed), state: { reused: 0 } };
    case 'claim':
      return { next: randomOf(inputs.claimUrls, seed), state: { reused: 0 } };
    case 'topic':
      return { next: randomOf(inputs.topicUrls, seed), state: { reused: 0 } };
    case 'revalidate':
      return {
        next: randomOf([...inputs.hot, ...inputs.claimUrls], seed, { 'if-none-match': listTag }),
        state: { reused: 0 },
      };
  }
}

// ---------------------------------------------------------------- one size

const fmt = (value: number, digits: number) =>
  value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function line(name: string, m: Measurement) {
  return (
    `  ${name.padEnd(12)} ${fmt(m.rps, 0).padStart(7)} req/s  p50 ${fmt(m.p50, 2).padStart(7)} ms  p99 ${fmt(m.p99, 2).padStart(8)} ms  ` +
    `${fmt(m.bytesPerResponse / 1024, 1)} KB  RSS ${fmt(m.peakRssMb, 0)} MB${m.bad || m.errors ? `  UNEXPECTED ${m.bad + m.errors} (${JSON.stringify(m.statuses)})` : ''}`
  );
}

async function measure(
  base: string | string[],
  next: () => Target,
  expected: number,
  pid: number | number[],
  health: string,
) {
  for (const b of typeof base === 'string' ? [base] : base) await settle(b, health);
  await drive({ base, next, seconds: WARMUP, expected, connections: CONNECTIONS });
  return drive({ base, next, seconds: DURATION, expected, connections: CONNECTIONS, pid });
}

async function runSize(size: number): Promise<SizeResult> {
  const dbPath = await ensureDatabase(size);
  console.log(`\n${size.toLocaleString('en')} claims: ${relative(ROOT, dbPath)}`);
  const inputs = await inputsFor(dbPath, () => startApi(dbPath), SEED);
  console.log(
    `  inputs: ${inputs.cold.length} cold URLs over ${inputs.coldConditions} conditions, ${inputs.hot.length} hot, ` +
      `${inputs.claimUrls.length} claims, ${inputs.topicUrls.length} topics, ${inputs.search.length} searches`,
  );
  const bodies = Object.fromEntries(
    Object.entries(inputs.bodies).map(([key, b]) => [key, floorBody(b.sample, b.meanBytes)]),
  );
  const floor = await startFloor(bodies);
  const scenarios: SizeResult['scenarios'] = {};
  const profiles: Record<string, string> = {};
  try {
    for (const scenario of PLAN) {
      console.log(`  ${scenario.name}`);
      const runs: ScenarioRun[] = [];
      for (let run = 1; run <= RUNS; run++) {
        // Alternating: the floor, then a fresh API process (nothing cached from an earlier run), then the next pair.
        const floorPath = `/floor/${scenario.key}`;
        const floorM = await measure(floor.base, () => ({ path: floorPath }), scenario.expected, floor.pid, '/health');
        console.log(line(`floor ${run}`, floorM));
        const apis: Started[] = [];
        try {
          for (let r = 0; r < REPLICAS; r++) apis.push(await startApi(dbPath));
          const api = apis[0] as Started;
          // Its background integrity check is start-up work, not the scenario's (the floor has none).
          for (const a of apis) await checked(a.base);
          const listTag = (await get(`${api.base}/v1/claims?limit=1`)).etag ?? '';
          const targets = targetsOf(scenario.key, inputs, run, listTag);
          const m = await measure(
            apis.map((a) => a.base),
            targets.next,
            scenario.expected,
            apis.map((a) => a.pid),
            '/health',
          );
          console.log(
            `${line(`api ${run}`, m)}  ready ${fmt(api.readyMs, 0)} ms${targets.state.reused ? `  (${targets.state.reused} requests reused a URL)` : ''}`,
          );
          runs.push({
            floor: floorM,
            api: m,
            readyMs: api.readyMs,
            listeningMs: api.listeningMs,
            hwmMb: Math.max(...apis.map((a) => readStatusKb(a.pid, 'VmHWM'))) / 1024,
            reused: targets.state.reused,
          });
        } finally {
          for (const a of apis) await a.stop();
        }
      }
      scenarios[scenario.key] = { name: scenario.name, runs };
      if (PROFILE) {
        const dir = join(OUT, 'profiles', `${LABEL.replace(/[^a-z0-9]+/gi, '-')}-${size}-${scenario.key}`);
        const api = await startApi(dbPath, dir);
        await checked(api.base);
        const listTag = (await get(`${api.base}/v1/claims?limit=1`)).etag ?? '';
        await measure(
          api.base,
          targetsOf(scenario.key, inputs, 99, listTag).next,
          scenario.expected,
          api.pid,
          '/health',
        );
        await api.stop();
        profiles[scenario.key] = profileText(dir);
        console.log(profiles[scenario.key]);
      }
    }
  } finally {
    await floor.stop();
  }
  return {
    claims: size,
    db: relative(ROOT, dbPath),
    dbMb: statSync(dbPath).size / 1e6,
    inputs: {
      cold: inputs.cold.length,
      coldConditions: inputs.coldConditions,
      hot: inputs.hot.length,
      claims: inputs.claimUrls.length,
      topics: inputs.topicUrls.length,
      search: inputs.search.length,
      commonWords: inputs.commonWords.slice(0, 12),
      floorBytes: Object.fromEntries(Object.entries(bodies).map(([k, b]) => [k, Buffer.byteLength(b)])),
    },
    scenarios,
    profiles,
  };
}

/** The busiest profile in `dir` (the server's main thread, by non-idle samples), summarised: self time by package and by function. */
function profileText(dir: string): string {
  const files = spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  let best: { text: string; busy: number } = { text: '', busy: -1 };
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    // The busiest thread, not the longest: tsx's loader thread is sampled as long as the main one, idle throughout.
    const idle = new Set(
      (profile.nodes as { id: number; callFrame: { functionName: string } }[])
        .filter((n) => n.callFrame.functionName === '(idle)')
        .map((n) => n.id),
    );
    const busy = (profile.samples as number[]).filter((id) => !idle.has(id)).length;
    if (busy > best.busy) best = { text: summarise(profile, 15), busy };
  }
  return best.text;
}

// ---------------------------------------------------------------- main

async function main() {
  mkdirSync(OUT, { recursive: true });
  if (args.report) {
    // Rebuild docs/benchmarks.md from a results file (e.g. after changing the report) without measuring again.
    const saved = JSON.parse(readFileSync(args.report, 'utf8')) as Results;
    const doc = withComparison(report(saved), saved);
    console.log(doc);
    if (WRITE_DOC) writeFileSync(join(ROOT, 'docs/benchmarks.md'), withKeptSections(doc));
    return;
  }
  if (args['ready-only']) return readyOnly(num('ready-only', 5));
  // Generous bound: per run two measurements, a server start and a settle of up to a minute each.
  const watchdog = setTimeout(
    () => {
      console.error('benchmark watchdog: took far longer than planned; stopping');
      killAll();
      process.exit(2);
    },
    SIZES.length * (900 + PLAN.length * RUNS * (2 * (WARMUP + DURATION) + 300)) * 1000,
  );
  watchdog.unref();
  const sizes: SizeResult[] = [];
  for (const size of SIZES) sizes.push(await runSize(size));
  const results: Results = {
    label: LABEL,
    server: SERVER.compiled ? 'node dist/server.js' : 'node --import tsx src/server.ts',
    settings: { runs: RUNS, duration: DURATION, warmup: WARMUP, connections: CONNECTIONS, seed: SEED },
    sizes,
    ...machine(),
  };
  const file = join(OUT, `results-${LABEL.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`raw results in ${relative(ROOT, file)} (npm run bench -- --report ${relative(ROOT, file)})`);
  const doc = withComparison(report(results), results);
  console.log(`\n${doc}`);
  if (WRITE_DOC) {
    writeFileSync(join(ROOT, 'docs/benchmarks.md'), withKeptSections(doc));
    console.log('wrote docs/benchmarks.md');
  }
}

/** `doc` with the before/after section when --compare names an earlier results file. */
function withComparison(doc: string, results: Results): string {
  if (!args.compare) return doc;
  const before = JSON.parse(readFileSync(args.compare, 'utf8')) as Results;
  return `${doc.trimEnd()}\n\n${comparison(before, results)}`;
}

/** Starts the server `times` times on each size's database, one after another, and prints spawn → /ready. */
async function readyOnly(times: number) {
  for (const size of SIZES) {
    const dbPath = await ensureDatabase(size);
    const samples: number[] = [];
    for (let i = 0; i < times; i++) {
      const api = await startApi(dbPath);
      samples.push(api.readyMs);
      await api.stop();
    }
    samples.sort((a, b) => a - b);
    console.log(
      `${size.toLocaleString('en')} claims (${SERVER.compiled ? 'node dist/server.js' : 'tsx'}): ready ${samples.map((v) => fmt(v, 0)).join(', ')} ms; median ${fmt(samples[Math.floor(samples.length / 2)] as number, 0)} ms; load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
    );
  }
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const mem = /MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
  const version = (name: string) =>
    (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return {
    machine: {
      cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
      cores: (cpuinfo.match(/^processor\s*:/gm) ?? []).length,
      memoryGb: mem ? Number(mem) / 1024 / 1024 : 0,
      node: process.version,
      deps: ['fastify', 'better-sqlite3', 'autocannon'].map((n) => `${n} ${version(n)}`).join(', '),
    },
    date: new Date().toISOString().slice(0, 10),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  killAll();
  process.exit(1);
});
