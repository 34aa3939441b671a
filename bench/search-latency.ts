// Per-query cost of common-word search on a generated database, one request at a time: no queueing, no load shedding.
//
// npx tsx bench/search-latency.ts --db bench/out/claims-100k.db [--server-root DIR] [--passes 3] [--queries 300]
//
// Starts the server of --server-root (this checkout by default; `npm run build` there first), waits until its start-up
// integrity check has finished, then sends --passes passes of --queries distinct searches (pairs of the index's 200 most
// frequent words, as the search scenario of bench/run.ts; each pass its own pairs, so the response cache never
// answers) and prints requests/s and percentiles per pass, with the load average.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { mulberry32 } from './generate.js';
import { checked, freePort, startServer } from './lib/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]?.replace(/^--/, '') ?? '', process.argv[i + 1] ?? '');
const db = resolve(args.get('db') ?? join(ROOT, 'bench/out/claims-100k.db'));
const root = resolve(args.get('server-root') ?? ROOT);
const passes = Number(args.get('passes') ?? 3);
const perPass = Number(args.get('queries') ?? 300);

const sqlite = new BetterSqlite3(db, { readonly: true });
sqlite.exec("CREATE VIRTUAL TABLE temp.bench_vocab USING fts5vocab(main, search_index, 'row')");
const words = sqlite
  .prepare(
    `SELECT term FROM temp.bench_vocab WHERE length(term) >= 3 AND term NOT GLOB '*[^a-z]*' ORDER BY doc DESC LIMIT 200`,
  )
  .pluck()
  .all() as string[];
sqlite.close();

const port = await freePort();
const api = await startServer({
  name: 'api',
  command: process.execPath,
  argv: ['dist/server.js'],
  env: {
    DATABASE_PATH: db,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '1000000',
    CLIENT_TIME_BUDGET_MS: '0',
  },
  port,
  readyPath: '/ready',
  timeoutMs: 180_000,
  cwd: root,
  own: true,
});
try {
  await checked(api.base);
  console.log(`${db} (server ${root}): ready after ${Math.round(api.readyMs)} ms`);
  for (let pass = 1; pass <= passes; pass++) {
    const rnd = mulberry32(1000 + pass);
    const pick = () => words[Math.floor(rnd() * words.length)] as string;
    const times: number[] = [];
    const statuses: Record<number, number> = {};
    const started = performance.now();
    for (let i = 0; i < perPass; i++) {
      const t = performance.now();
      const res = await fetch(`${api.base}/v1/search?q=${encodeURIComponent(`${pick()} ${pick()}`)}`);
      await res.arrayBuffer();
      times.push(performance.now() - t);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
    const seconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    const at = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
    console.log(
      `pass ${pass}: ${(perPass / seconds).toFixed(0)} req/s  p50 ${at(0.5)} ms  p90 ${at(0.9)} ms  p99 ${at(0.99)} ms  ` +
        `${JSON.stringify(statuses)}  load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
    );
  }
} finally {
  await api.stop();
}
