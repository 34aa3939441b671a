// The benchmark's results file and its Markdown: medians and spreads of the runs, ratios to the floor measured
// beside each run, ready time and RSS per size, p50 growth across sizes, and issue 12's targets.
import type { Measurement } from './harness.js';
import { median } from './harness.js';
import type { ScenarioKey } from './inputs.js';

export interface ScenarioRun {
  floor: Measurement;
  api: Measurement;
  readyMs: number;
  listeningMs: number;
  hwmMb: number;
  /** Requests of an every-URL-distinct mix that had to reuse a URL (the pool ran out). */
  reused: number;
}

export interface SizeResult {
  claims: number;
  db: string;
  dbMb: number;
  inputs: {
    cold: number;
    coldConditions: number;
    hot: number;
    claims: number;
    topics: number;
    search: number;
    commonWords: string[];
    floorBytes: Record<string, number>;
  };
  scenarios: Partial<Record<ScenarioKey, { name: string; runs: ScenarioRun[] }>>;
  profiles: Record<string, string>;
}

export interface Results {
  label: string;
  server: string;
  settings: { runs: number; duration: number; warmup: number; connections: number; seed: number };
  sizes: SizeResult[];
  machine: { cpu: string; cores: number; memoryGb: number; node: string; deps: string };
  date: string;
}

export const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const spread = (values: number[], digits = 0) =>
  values.length < 2 ? '' : ` (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;

/** Medians over a scenario's runs, with the ratio computed per run against the floor measured just before it. */
export function summary(runs: ScenarioRun[]) {
  const ratios = runs.map((r) => (100 * r.api.rps) / r.floor.rps);
  return {
    rps: median(runs.map((r) => r.api.rps)),
    rpsAll: runs.map((r) => r.api.rps),
    floorRps: median(runs.map((r) => r.floor.rps)),
    floorAll: runs.map((r) => r.floor.rps),
    ratio: median(ratios),
    ratioAll: ratios,
    p50: median(runs.map((r) => r.api.p50)),
    p99: median(runs.map((r) => r.api.p99)),
    p99All: runs.map((r) => r.api.p99),
    bytes: median(runs.map((r) => r.api.bytesPerResponse)),
    peakRssMb: Math.max(...runs.map((r) => r.api.peakRssMb)),
    unexpected: runs.reduce((a, r) => a + r.api.bad + r.api.errors, 0),
    reused: runs.reduce((a, r) => a + r.reused, 0),
    requests: runs.reduce((a, r) => a + r.api.requests, 0),
    load: Math.max(...runs.map((r) => r.api.load)),
  };
}

/** Ready and RSS of one size, over every server start and scenario. */
export function sizeSummary(size: SizeResult) {
  const runs = Object.values(size.scenarios).flatMap((s) => s?.runs ?? []);
  return {
    readyMs: median(runs.map((r) => r.readyMs)),
    readyAll: runs.map((r) => r.readyMs),
    listeningMs: median(runs.map((r) => r.listeningMs)),
    peakRssMb: Math.max(...runs.map((r) => r.api.peakRssMb)),
    hwmMb: Math.max(...runs.map((r) => r.hwmMb)),
    loads: runs.flatMap((r) => [r.api.load, r.floor.load]),
  };
}

export interface TargetRow {
  what: string;
  goal: string;
  measured: string;
  met: boolean | undefined;
}

/** Issue 12's targets against one results file (ratios and latencies at 100,000 claims, the rest at 1M). */
export function targets(results: Results): TargetRow[] {
  const rows: TargetRow[] = [];
  const at = (claims: number) => results.sizes.find((s) => s.claims === claims);
  const main = at(100_000) ?? results.sizes[results.sizes.length - 1];
  const big = at(1_000_000);
  const small = at(10_000);
  const of = (size: SizeResult | undefined, key: ScenarioKey) => {
    const runs = size?.scenarios[key]?.runs;
    return runs?.length ? summary(runs) : undefined;
  };
  const healthy = (s: ReturnType<typeof summary>) => s.unexpected <= 0.01 * s.requests;
  const where = (size: SizeResult | undefined) => (size ? ` at ${fmt(size.claims)}` : '');
  const ratio = (key: ScenarioKey, label: string, goal: number) => {
    const s = of(main, key);
    if (s)
      rows.push({
        what: `${label}${where(main)}`,
        goal: `≥ ${goal}% of the floor`,
        measured: `${fmt(s.ratio, 1)}%${healthy(s) ? '' : ` (${s.unexpected} unexpected statuses)`}`,
        met: s.ratio >= goal && healthy(s),
      });
  };
  const p99 = (key: ScenarioKey, label: string, goal: number, size = main) => {
    const s = of(size, key);
    if (s)
      rows.push({
        what: `${label} p99${where(size)}`,
        goal: `≤ ${goal} ms`,
        measured: `${fmt(s.p99, 2)} ms`,
        met: s.p99 <= goal && healthy(s),
      });
  };
  ratio('cold', 'claims by condition, cold', 25);
  p99('cold', 'claims by condition, cold', 25);
  ratio('hot', 'claims by condition, hot', 70);
  p99('hot', 'claims by condition, hot', 10);
  ratio('claim', 'claim by id', 50);
  ratio('topic', 'topic card', 40);
  p99('search', 'search, common words', 50, big);
  ratio('revalidate', '304 revalidation', 80);
  if (big) {
    const b = sizeSummary(big);
    rows.push({ what: 'ready at 1M', goal: '≤ 1.0 s', measured: `${fmt(b.readyMs)} ms`, met: b.readyMs <= 1000 });
    rows.push({
      what: 'peak RSS under load at 1M',
      goal: '≤ 200 MB',
      measured: `${fmt(b.peakRssMb)} MB`,
      met: b.peakRssMb <= 200,
    });
  }
  if (big && small)
    for (const key of Object.keys(big.scenarios) as ScenarioKey[]) {
      const a = of(small, key);
      const b = of(big, key);
      if (!a || !b) continue;
      const factor = b.p50 / a.p50;
      rows.push({
        what: `p50 growth 10k → 1M, ${key}`,
        goal: '≤ 1.3x',
        measured: `${fmt(factor, 2)}x (${fmt(a.p50, 2)} → ${fmt(b.p50, 2)} ms)`,
        met: factor <= 1.3 && healthy(a) && healthy(b),
      });
    }
  return rows;
}

export function report(results: Results): string {
  const m = results.machine;
  const st = results.settings;
  const sizesArg = results.sizes.map((s) => s.claims).join(',');
  const loads = results.sizes.flatMap((s) => sizeSummary(s).loads);
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Reproduce with',
    '',
    '```sh',
    `npm run bench -- --sizes ${sizesArg} --runs ${st.runs} --duration ${st.duration}`,
    '```',
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${fmt(m.memoryGb, 1)} GB RAM; Node ${m.node}; ${m.deps}. Date: ${results.date}. Server: \`${results.server}\` (${results.label}).`,
    `- Load generator (autocannon, ${st.connections} connections, in the bench process) and server share the same ${m.cores} cores: read absolute numbers as this machine's, ratios as portable. The 1-minute load average at the end of each measurement ranged ${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)}; above ${m.cores} other work competed for the CPU.`,
    `- Method (issue 12): each scenario is run ${st.runs} times, alternating with the floor: the floor, then a fresh server process (nothing cached from an earlier run; its spawn-to-\`/ready\` time is one ready sample), ${st.warmup} s warm-up then ${st.duration} s measured, then the next pair. The floor is a bare Fastify process (bench/floor-server.ts) answering a precomputed body of the scenario's mean response size (a real response, padded), or a bare 304. Ratios are per run (the API's requests/s over the floor's just before); tables give medians with the spread (min–max) of the runs.`,
    '- The server runs with LOG_LEVEL=warn and the rate limit and fair share lifted (one client address sends everything); load shedding keeps its default. Requests/s and percentiles count only the expected status; anything else is in the last column. Percentiles are exact (every response time recorded), in ms. Peak RSS is the server’s VmRSS sampled every 100 ms under load.',
    '- Scenarios: **cold** claims by condition, every URL distinct: condition × grade filter (none, `min_grade=low|moderate`, `grade=very_low|low`, `grade_scheme=civic`) × sort (`-certainty`, `-updated`, `-sample_size`) × page (1-3 through real cursors), pages with at least one claim, each requested once per server process; **hot**: the 50 conditions with the most published claims in their subtree (the large top-level trees), first page, at random; **claim by id**: 2,000 published claims at random; **topic card**: every topic; **search**: the 200 most frequent words of the search index alone and in pairs, each query once; **revalidation**: hot pages and claims with the current `If-None-Match`.',
    '',
  ];
  for (const size of results.sizes) {
    const sz = sizeSummary(size);
    lines.push(
      `## ${fmt(size.claims)} claims (\`${size.db}\`, ${fmt(size.dbMb)} MB)`,
      '',
      `Ready (spawn → \`/ready\` 200, median of ${sz.readyAll.length} starts): ${fmt(sz.readyMs)} ms${spread(sz.readyAll)}; listening after ${fmt(sz.listeningMs)} ms. Peak RSS under load ${fmt(sz.peakRssMb)} MB (VmHWM ${fmt(sz.hwmMb)} MB). Cold pool: ${fmt(size.inputs.cold)} URLs over ${fmt(size.inputs.coldConditions)} conditions; search pool ${fmt(size.inputs.search)} queries (most frequent words: ${size.inputs.commonWords.join(', ')}).`,
      '',
      '| scenario | requests/s | floor req/s (body) | of floor | p50 ms | p99 ms | body | peak RSS | unexpected |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const [key, scenario] of Object.entries(size.scenarios)) {
      if (!scenario) continue;
      const s = summary(scenario.runs);
      const floorBytes = size.inputs.floorBytes[key];
      lines.push(
        `| ${scenario.name} | ${fmt(s.rps)}${spread(s.rpsAll)} | ${fmt(s.floorRps)} (${floorBytes === undefined ? '304' : `${fmt(floorBytes / 1024, 1)} KB`}) | ${fmt(s.ratio, 1)}%${spread(s.ratioAll, 1)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)}${spread(s.p99All, 1)} | ${fmt(s.bytes / 1024, 1)} KB | ${fmt(s.peakRssMb)} MB | ${s.unexpected}${s.reused ? ` (${fmt(s.reused)} reused URLs)` : ''} |`,
      );
    }
    lines.push('');
    for (const [key, text] of Object.entries(size.profiles)) {
      if (!text) continue;
      lines.push(`<details><summary>CPU profile, ${key}</summary>`, '', '```', text, '```', '', '</details>', '');
    }
  }
  if (results.sizes.length > 1) {
    const keys = [...new Set(results.sizes.flatMap((s) => Object.keys(s.scenarios)))] as ScenarioKey[];
    lines.push(
      '## By data size',
      '',
      `| claims | database | ready ms | peak RSS | ${keys.map((k) => `${k} p50`).join(' | ')} |`,
      `|---:|---:|---:|---:|${keys.map(() => '---:').join('|')}|`,
      ...results.sizes.map((size) => {
        const sz = sizeSummary(size);
        const p50s = keys.map((k) => {
          const runs = size.scenarios[k]?.runs;
          return runs ? fmt(summary(runs).p50, 2) : '—';
        });
        return `| ${fmt(size.claims)} | ${fmt(size.dbMb)} MB | ${fmt(sz.readyMs)} | ${fmt(sz.peakRssMb)} MB | ${p50s.join(' | ')} |`;
      }),
      '',
    );
  }
  lines.push(
    '## Targets (issue 12)',
    '',
    '| target | goal | measured | |',
    '|---|---|---|---|',
    ...targets(results).map(
      (t) => `| ${t.what} | ${t.goal} | ${t.measured} | ${t.met === undefined ? '' : t.met ? 'met' : '**missed**'} |`,
    ),
    '',
  );
  return lines.join('\n');
}

/**
 * Before and after, per scenario of the sizes both results have: medians with their spread, the ratio to the floor
 * measured beside each run, p99, and ready time; the load average of each side, since the machine is shared.
 */
export function comparison(before: Results, after: Results): string {
  const loadRange = (r: Results) => {
    const loads = r.sizes.flatMap((s) => sizeSummary(s).loads);
    return `${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)}`;
  };
  const lines = [
    `## Before and after (issue 12)`,
    '',
    `Before: \`${before.server}\` (${before.label}, ${before.date}, 1-minute load ${loadRange(before)}). After: \`${after.server}\` (${after.label}, ${after.date}, load ${loadRange(after)}). Medians of ${before.settings.runs} and ${after.settings.runs} runs, spread (min–max) in brackets; "of floor" is per run against the floor measured just before it.`,
    '',
  ];
  for (const a of after.sizes) {
    const b = before.sizes.find((s) => s.claims === a.claims);
    if (!b) continue;
    const rb = sizeSummary(b);
    const ra = sizeSummary(a);
    lines.push(
      `### ${fmt(a.claims)} claims`,
      '',
      `Ready (spawn → \`/ready\` 200): ${fmt(rb.readyMs)} ms${spread(rb.readyAll)} → ${fmt(ra.readyMs)} ms${spread(ra.readyAll)}. Peak RSS under load: ${fmt(rb.peakRssMb)} → ${fmt(ra.peakRssMb)} MB.`,
      '',
      '| scenario | req/s before | req/s after | of floor before | of floor after | p50 ms before → after | p99 ms before | p99 ms after | unexpected before / after |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const [key, sa] of Object.entries(a.scenarios)) {
      const sb = b.scenarios[key as ScenarioKey];
      if (!sa || !sb) continue;
      const x = summary(sb.runs);
      const y = summary(sa.runs);
      lines.push(
        `| ${sa.name} | ${fmt(x.rps)}${spread(x.rpsAll)} | ${fmt(y.rps)}${spread(y.rpsAll)} | ${fmt(x.ratio, 1)}%${spread(x.ratioAll, 1)} | ${fmt(y.ratio, 1)}%${spread(y.ratioAll, 1)} | ${fmt(x.p50, 2)} → ${fmt(y.p50, 2)} | ${fmt(x.p99, 1)}${spread(x.p99All, 1)} | ${fmt(y.p99, 1)}${spread(y.p99All, 1)} | ${x.unexpected} / ${y.unexpected} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
