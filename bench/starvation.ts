// Can expensive requests starve cheap ones? The real server on a generated database: first the most expensive
// queries are timed one by one; then ordinary clients run alone, then beside 2 clients looping on the most expensive
// query, and their p99 and error rate are compared.
//
// npm run bench:data -- --claims 100000 --out bench/out/claims-100k.db
// npx tsx bench/starvation.ts [--db bench/out/claims-100k.db] [--duration 10] [--connections 8] [--server-root DIR]
//                             [--expensive URL] [--before DIR [--before-db FILE]] [--write]
//
// Loopback only; every phase has a bounded duration; the server is stopped on exit. --before DIR first measures the
// server of another checkout (e.g. the code before a change) on a copy of --before-db (a database its migrations
// know), then this one; --server-root measures another checkout instead of this one. --write puts the
// tables in docs/benchmarks.md, in its marked section (bench/doc-sections.ts; `npm run bench` keeps it).
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { writeSection } from './doc-sections.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOST = '127.0.0.1';
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: join(ROOT, 'bench/out/claims-100k.db') },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    'server-root': { type: 'string' },
    expensive: { type: 'string' },
    before: { type: 'string' },
    'before-db': { type: 'string' },
    write: { type: 'boolean', default: false },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const SERVER_ROOT = values['server-root'] ?? ROOT;
if (!existsSync(values.db)) throw new Error(`no database at ${values.db}: run npm run bench:data first`);

let child: ChildProcess | undefined;
const stop = () => {
  if (child?.pid)
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
};
process.on('exit', stop);
process.on('SIGINT', () => process.exit(130));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServer(serverRoot: string, database: string): Promise<string> {
  const port = await freePort();
  child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/server.ts'], {
    cwd: serverRoot,
    // Every client here is 127.0.0.1: the per-address rate limit would measure itself, not the server.
    env: {
      ...process.env,
      DATABASE_PATH: database,
      PORT: String(port),
      HOST,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '1000000',
      // Clients are told apart by X-Forwarded-For, as behind a reverse proxy (see load()).
      TRUST_PROXY: 'loopback',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const base = `http://${HOST}:${port}`;
  const started = performance.now();
  while (performance.now() - started < 120_000) {
    try {
      if ((await fetch(`${base}/ready`)).status === 200) return base;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server was not ready within 120 s');
}

/** Targets for the ordinary clients, read off the database: claims by id, conditions' first pages, topics. */
function cheapTargets(database: string): string[] {
  const db = new Database(database, { readonly: true });
  const ids = db.prepare("SELECT id FROM claims WHERE status = 'published' ORDER BY seq LIMIT 500").all() as {
    id: string;
  }[];
  const slugs = db.prepare('SELECT slug FROM conditions ORDER BY id LIMIT 200').all() as { slug: string }[];
  const topics = db.prepare('SELECT slug FROM topics').all() as { slug: string }[];
  db.close();
  return [
    ...ids.map((r) => `/v1/claims/${r.id}`),
    ...slugs.map((r) => `/v1/claims?condition=${r.slug}&limit=20`),
    ...topics.map((r) => `/v1/topics/${r.slug}`),
  ];
}

/** The expensive candidates: what issue 10 measured, and what else a client can ask for in one request. */
const EXPENSIVE = [
  '/v1/search?q=a',
  '/v1/search?q=e',
  '/v1/search?q=of',
  '/v1/search?q=of%20the%20a%20in%20and%20with',
  `/v1/search?q=${encodeURIComponent(Array(32).fill('a').join(' '))}`,
  `/v1/search?q=${encodeURIComponent('of the a in and with to for on by at from as is was be')}`,
  '/v1/search?q=a&limit=50',
  '/v1/claims?q=a&limit=100',
  '/v1/claims?q=of&limit=100',
  '/v1/claims?limit=100&sort=-sample_size',
  '/v1/changes?limit=1000',
  '/v1/studies?limit=100',
];

/**
 * Mean time of `runs` answers to one request, one at a time. A 503 (load shedding after the previous, slow answer)
 * is not a timing of the request: the client waits as Retry-After asks (at most 5 s) and asks again, up to 3 times.
 */
async function timeOne(base: string, path: string, runs = 5): Promise<{ ms: number; status: number; bytes: number }> {
  let total = 0;
  let status = 0;
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const started = performance.now();
      const res = await fetch(`${base}${path}`);
      const body = await res.arrayBuffer();
      const ms = performance.now() - started;
      status = res.status;
      bytes = body.byteLength;
      if (status !== 503 || attempt === 3) {
        total += ms;
        break;
      }
      const wait = Math.min(5, Number(res.headers.get('retry-after') ?? 1)) * 1000;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  return { ms: total / runs, status, bytes };
}

interface Load {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  statuses: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
}

/**
 * Closed-loop clients for `seconds`: each sends its next request when the last one answered. Every request names
 * one of `addresses` as its client (X-Forwarded-For), so the server can tell the ordinary clients from the heavy ones.
 */
function load(
  base: string,
  paths: string[],
  connections: number,
  seconds: number,
  seed: number,
  addresses: string[],
): Promise<Load> {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: paths[Math.floor(random() * paths.length)] as string,
          headers: { 'x-forwarded-for': addresses[Math.floor(random() * addresses.length)] as string },
        }),
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status >= 400) errors++;
    else latencies.push(ms);
  });
  instance.on('reqError', () => {
    errors++;
  });
  return new Promise((resolve, reject) => {
    instance.then((result) => {
      const sorted = latencies.sort((a, b) => a - b);
      const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
      resolve({
        requests,
        perSecond: requests / (result.duration || seconds),
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        errors: errors + result.timeouts,
        statuses,
      });
    }, reject);
  });
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const rate = (l: Load) => `${fmt((100 * l.errors) / Math.max(1, l.requests), 2)}%`;
const statusText = (l: Load) =>
  Object.entries(l.statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');

const out: string[] = [];
const print = (text: string) => {
  out.push(text);
  console.log(text);
};

/** One server: the expensive requests timed alone, then the ordinary clients alone and beside 2 heavy ones. */
async function measure(serverRoot: string, source: string, title: string): Promise<void> {
  // A server from another checkout gets its own copy: this checkout's migrations must not reach its database first.
  const database = serverRoot === ROOT ? source : join(serverRoot, 'starvation.db');
  if (database !== source) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
    copyFileSync(source, database);
  }
  const cheap = cheapTargets(database);
  const base = await startServer(serverRoot, database);
  const loadBefore = loadavg()[0] ?? 0;
  print(`### ${title}`);
  print('\nOne request at a time (mean of 5, after one warm-up):\n');
  print('| request | ms | status | bytes |\n|---|---:|---:|---:|');
  const timed: { path: string; ms: number }[] = [];
  for (const path of values.expensive ? [values.expensive] : EXPENSIVE) {
    await timeOne(base, path, 1);
    const t = await timeOne(base, path);
    timed.push({ path, ms: t.ms });
    print(`| \`${path}\` | ${fmt(t.ms)} | ${t.status} | ${t.bytes.toLocaleString('en')} |`);
  }
  const worst = timed.reduce((a, b) => (b.ms > a.ms ? b : a));
  print(`\nMost expensive: \`${worst.path}\` (${fmt(worst.ms)} ms).`);

  const ordinary = Array.from({ length: CONNECTIONS }, (_, i) => `198.51.100.${i + 1}`);
  await load(base, cheap, CONNECTIONS, 2, 7, ordinary); // warm-up
  const alone = await load(base, cheap, CONNECTIONS, DURATION, 1, ordinary);
  const [others, heavy] = await Promise.all([
    load(base, cheap, CONNECTIONS, DURATION, 1, ordinary),
    load(base, [worst.path], 2, DURATION, 2, ['203.0.113.1', '203.0.113.2']),
  ]);
  print(
    `\n${CONNECTIONS} ordinary clients (claim by id, claims by condition, topic; ${CONNECTIONS} addresses), ${DURATION} s each phase:\n\n` +
      '| phase | who | requests/s | p50 ms | p99 ms | errors | statuses |\n|---|---|---:|---:|---:|---:|---|\n' +
      `| alone | ordinary | ${fmt(alone.perSecond, 0)} | ${fmt(alone.p50)} | ${fmt(alone.p99)} | ${rate(alone)} | ${statusText(alone)} |\n` +
      `| beside 2 looping on the most expensive | ordinary | ${fmt(others.perSecond, 0)} | ${fmt(others.p50)} | ${fmt(others.p99)} | ${rate(others)} | ${statusText(others)} |\n` +
      `| beside 2 looping on the most expensive | the 2 | ${fmt(heavy.perSecond, 0)} | ${fmt(heavy.p50)} | ${fmt(heavy.p99)} | ${rate(heavy)} | ${statusText(heavy)} |`,
  );
  print(
    `\n1-minute load average ${fmt(loadBefore, 1)} before and ${fmt(loadavg()[0] ?? 0, 1)} after (${cpus().length} cores, ${fmt(totalmem() / 1024 ** 3, 1)} GB; other work shares them).\n`,
  );
  stop();
  if (database !== source) for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
}

async function main() {
  if (values.before)
    await measure(
      values.before,
      values['before-db'] ?? values.db,
      'Before: the code of --before, on a copy of --before-db',
    );
  await measure(SERVER_ROOT, values.db, SERVER_ROOT === ROOT ? 'This checkout' : 'The code of --server-root');
  if (values.write)
    writeSection(
      'bench/starvation.ts',
      [
        '## Expensive requests beside cheap ones',
        '',
        `Written by \`npx tsx bench/starvation.ts --write\` (${new Date().toISOString().slice(0, 10)}; Node ${process.version}): the real server on the 100,000-claim database of \`npm run bench:data\`, closed-loop clients told apart by X-Forwarded-For (TRUST_PROXY=loopback), the per-address rate limit raised out of the way, load shedding and the fair share at their defaults. Each server's most expensive request (timed first) is the one 2 clients loop on. Issue 10 measured 26% of other clients' requests answered 503 this way before; the first table is the code before issue 10's bounded-work changes.`,
        '',
        out.join('\n'),
      ].join('\n'),
    );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
