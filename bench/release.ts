// Bulk release benchmark: export a generated database, then check the release round-trips through the API.
//
// npx tsx bench/release.ts --db bench/out/claims-100k.db [--db bench/out/claims-1m.db ...] [--write-doc]
//
// Each export runs in a child process of its own (`node --import tsx`, as `npm run export` runs), so its peak RSS
// (VmHWM) is the export's alone. The parent then verifies every file's SHA-256 by streaming it, gunzips
// the SQLite file, opens it with the API (migrations, buildApp) and walks every list to count what it serves:
// claims of each status, studies, conditions, interventions, topics, which must equal the manifest and the source.
// `--write-doc` puts the table into docs/benchmarks.md between its markers (bench/run.ts keeps that section).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { buildApp } from '../src/app.js';
import { exportRelease } from '../src/resources/releases/releases.export.js';
import type { ReleaseManifest } from '../src/resources/releases/releases.schemas.js';
import { openDatabase } from '../src/store/client.js';
import { migrateDatabase } from '../src/store/migrate.js';
import { BENCHMARKS_DOC, writeSection } from './doc-sections.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const _DOC = join(ROOT, 'docs/benchmarks.md');
const STATUSES = ['published', 'draft', 'retracted', 'withdrawn'] as const;

interface ChildResult {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  /** RSS sampled every 250 ms: the highest value after each phase line. */
  phases: { line: string; rssMb: number }[];
  manifest: ReleaseManifest;
  path: string;
}

const { values } = parseArgs({
  options: {
    db: { type: 'string', multiple: true, default: [] },
    child: { type: 'boolean', default: false },
    out: { type: 'string' },
    'write-doc': { type: 'boolean', default: false },
    'skip-api': { type: 'boolean', default: false },
  },
});

const mb = (bytes: number) => Math.round(bytes / 1048576);

/**
 * This process's peak RSS in MB: VmHWM, the high-water mark of its own address space. Not getrusage's maxrss, which
 * Linux carries over from the parent through fork and exec: a child spawned by a parent holding 700 MB reports at
 * least 700 MB whatever it uses itself.
 */
function peakRssMb(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb !== undefined) return Math.round(Number(kb) / 1024);
  } catch {
    // Not Linux: fall back to getrusage (KiB on Linux, bytes on macOS; only Linux is measured here).
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

if (values.child) {
  // The export alone, in this process: time, CPU, peak RSS.
  const [dbPath] = values.db;
  const db = openDatabase(dbPath as string);
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 250);
  const phases: ChildResult['phases'] = [];
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await exportRelease(db, {
    dir: values.out as string,
    keep: 100,
    log: (line) => {
      peak = Math.max(peak, process.memoryUsage().rss);
      phases.push({ line, rssMb: mb(peak) });
      process.stderr.write(`    ${line} (rss so far ${mb(peak)} MB)\n`);
    },
  });
  clearInterval(sampler);
  const used = process.cpuUsage(cpu);
  await db.close();
  const out: ChildResult = {
    wallMs: Math.round(performance.now() - started),
    cpuMs: Math.round((used.user + used.system) / 1000),
    maxRssMb: peakRssMb(),
    phases,
    manifest: result.manifest,
    path: result.path,
  };
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** What the source database holds, counted directly (the yardstick for the manifest and the API). */
function sourceCounts(path: string) {
  const sqlite = new BetterSqlite3(path, { readonly: true });
  const n = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
  const counts = {
    claims: n('SELECT count(*) AS n FROM claims'),
    claims_by_status: Object.fromEntries(
      STATUSES.map((s) => [s, n(`SELECT count(*) AS n FROM claims WHERE status = '${s}'`)]),
    ),
    studies: n('SELECT count(*) AS n FROM studies'),
    conditions: n('SELECT count(*) AS n FROM conditions'),
    interventions: n('SELECT count(*) AS n FROM interventions'),
    topics: n('SELECT count(*) AS n FROM topics'),
  };
  sqlite.close();
  return counts;
}

/** Opens the release's SQLite file with the API and counts what every list serves, page by page. */
async function countsThroughApi(dbFile: string) {
  const db = openDatabase(dbFile, { synchronous: 'OFF' });
  await migrateDatabase(db);
  // A walk of a million claims is ten thousand requests: no rate limit, no load shedding for this one client.
  const app = await buildApp({ db, config: { RATE_LIMIT_MAX: 1_000_000, MAX_EVENT_LOOP_DELAY_MS: 0 } });
  const walk = async (url: string) => {
    let count = 0;
    let cursor: string | null = null;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const res = await app.inject(cursor === null ? url : `${url}${sep}cursor=${encodeURIComponent(cursor)}`);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      const body = JSON.parse(res.body) as { items: unknown[]; next_cursor: string | null };
      count += body.items.length;
      cursor = body.next_cursor;
      // inject alone never lets the event loop reach its check phase: every request's setImmediate callbacks (and
      // the request they hold) would pile up until the walk ends, 4 GB at a million claims. Let them run.
      await new Promise((resolve) => setImmediate(resolve));
    } while (cursor !== null);
    return count;
  };
  const byStatus: Record<string, number> = {};
  for (const s of STATUSES) byStatus[s] = await walk(`/v1/claims?status=${s}&limit=100`);
  const counts = {
    claims: Object.values(byStatus).reduce((a, b) => a + b, 0),
    claims_by_status: byStatus,
    studies: await walk('/v1/studies?limit=100'),
    conditions: await walk('/v1/conditions?limit=100'),
    interventions: await walk('/v1/interventions?limit=100'),
    topics: await walk('/v1/topics?limit=100'),
  };
  const dataVersion = JSON.parse((await app.inject('/')).body).data_version as string;
  await app.close();
  return { counts, dataVersion };
}

interface Row {
  db: string;
  dbMb: number;
  child: ChildResult;
  digestsOk: boolean;
  apiMs: number | null;
  roundTrip: string;
  load: string;
}

async function measure(dbPath: string): Promise<Row> {
  const out = mkdtempSync(join(tmpdir(), 'bench-release-'));
  try {
    console.log(`\n${dbPath} (${mb(statSync(dbPath).size)} MB): exporting in a child process`);
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--db', dbPath, '--out', out],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
    );
    if (run.status !== 0) throw new Error(`export failed with ${run.status}`);
    const child = JSON.parse(run.stdout) as ChildResult;
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
    console.log(
      `  wall ${(child.wallMs / 1000).toFixed(1)} s, CPU ${(child.cpuMs / 1000).toFixed(1)} s, peak RSS ${child.maxRssMb} MB (load ${load})`,
    );

    let digestsOk = true;
    for (const file of child.manifest.files) {
      const ok = (await sha256Of(join(child.path, file.name))) === file.sha256;
      digestsOk &&= ok;
      console.log(
        `  ${file.name.padEnd(24)} ${String(file.bytes).padStart(12)} bytes  sha256 ${ok ? 'ok' : 'MISMATCH'}`,
      );
    }

    const source = sourceCounts(dbPath);
    const sameAsSource = JSON.stringify(source) === JSON.stringify(child.manifest.counts);
    let apiMs: number | null = null;
    let roundTrip = `manifest ${sameAsSource ? '=' : '≠'} source`;
    if (!values['skip-api']) {
      const plain = join(out, 'evidence.sqlite');
      await pipeline(
        createReadStream(join(child.path, 'evidence.sqlite.gz')),
        createGunzip(),
        createWriteStream(plain),
      );
      const t = performance.now();
      const served = await countsThroughApi(plain);
      apiMs = Math.round(performance.now() - t);
      const sameAsApi = JSON.stringify(served.counts) === JSON.stringify(child.manifest.counts);
      const sameVersion = served.dataVersion === `${child.manifest.database_id}.${child.manifest.data_version}`;
      roundTrip += `; API on the SQLite file ${sameAsApi ? '=' : '≠'} manifest; data version ${sameVersion ? 'same' : 'DIFFERENT'}`;
      console.log(
        `  API on the release's SQLite file: ${JSON.stringify(served.counts)} in ${(apiMs / 1000).toFixed(1)} s`,
      );
      if (!sameAsApi || !sameVersion) process.exitCode = 1;
    }
    if (!sameAsSource || !digestsOk) process.exitCode = 1;
    console.log(`  round trip: ${roundTrip}`);
    return { db: dbPath, dbMb: mb(statSync(dbPath).size), child, digestsOk, apiMs, roundTrip, load };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function report(rows: Row[]): string {
  const size = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
  const lines = [
    '## Bulk releases (`npx tsx bench/release.ts`)',
    '',
    `- Machine: ${cpus()[0]?.model.trim() ?? 'unknown'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM; Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    "- Method: `exportRelease` (what `npm run export` runs) in a child process of its own on a generated database: online backup, private rows removed, five gzip NDJSON files read from the copy in keyset batches of 500, the copy gzipped alongside. Peak RSS is the child's VmHWM, its own high-water mark (getrusage's maxrss would include the parent's, carried through fork). Then every SHA-256 is checked, the SQLite file is gunzipped and served by `buildApp`, and every list is walked (pages of 100) to count claims of each status, studies, conditions, interventions and topics.",
    '- The machine is shared: the load average (1/5/15 min, 2 cores) is given per run; CPU time is the steadier number.',
    '',
    '| database | wall | CPU | peak RSS | claims | studies | NDJSON (gz) | SQLite (gz / plain) | API walk | round trip |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const m = r.child.manifest;
    const ndjson = m.files.filter((f) => f.resource !== null).reduce((a, f) => a + f.bytes, 0);
    const sqlite = m.files.find((f) => f.resource === null);
    lines.push(
      `| ${r.db.replace(/^.*\//, '')} (${r.dbMb} MB) | ${(r.child.wallMs / 1000).toFixed(1)} s | ${(r.child.cpuMs / 1000).toFixed(1)} s | ${r.child.maxRssMb} MB | ${m.counts.claims.toLocaleString('en')} | ${m.counts.studies.toLocaleString('en')} | ${size(ndjson)} | ${size(sqlite?.bytes ?? 0)} / ${size(sqlite?.uncompressed_bytes ?? 0)} | ${r.apiMs === null ? '—' : `${(r.apiMs / 1000).toFixed(1)} s`} | ${r.roundTrip}; SHA-256 ${r.digestsOk ? 'ok' : 'MISMATCH'} |`,
    );
  }
  lines.push(
    '',
    `Peak RSS by size: ${rows.map((r) => `${r.child.manifest.counts.claims.toLocaleString('en')} claims ${r.child.maxRssMb} MB`).join(', ')}; CPU time grows linearly with the data, memory does not.`,
  );
  lines.push('', 'Per file (bytes as stored, gzip; records):', '');
  for (const r of rows) {
    lines.push(
      `- ${r.db.replace(/^.*\//, '')} (load ${r.load}): ${r.child.manifest.files
        .map(
          (f) =>
            `${f.name} ${f.bytes.toLocaleString('en')}${f.records === null ? '' : ` (${f.records.toLocaleString('en')})`}`,
        )
        .join(', ')}`,
    );
    lines.push(
      `  - phases: ${r.child.phases.map((p) => `${p.line.replace(/ \(.*$/, '')} [${p.rssMb} MB]`).join('; ')}`,
    );
  }
  return lines.join('\n');
}

if (values.db.length === 0) {
  console.error('usage: npx tsx bench/release.ts --db FILE [--db FILE ...] [--write-doc] [--skip-api]');
  process.exit(2);
}
const rows: Row[] = [];
for (const path of values.db) {
  if (!existsSync(path)) throw new Error(`${path} does not exist: npm run bench:data -- --claims N --out ${path}`);
  rows.push(await measure(path));
}
const body = report(rows);
console.log(`\n${body}`);
if (values['write-doc']) {
  writeSection('bench/release.ts', body);
  console.log(`wrote ${BENCHMARKS_DOC}`);
}
