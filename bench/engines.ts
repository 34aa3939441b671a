// Side by side: the same scenarios measured on SQLite and on PostgreSQL (one or more API replicas), one results file
// each (`npm run bench -- --label ... [--database-url ...] [--replicas N] --no-write` writes them to bench/out/).
//
// npx tsx bench/engines.ts bench/out/results-sqlite-1-*.json bench/out/results-postgres-1-*.json ...
//
// Prints one Markdown table: per scenario and file, the median req/s, its share of the floor measured in the same run
// (the portable figure on a shared machine), p99 and unexpected statuses.
import { readFileSync } from 'node:fs';
import type { ScenarioKey } from './lib/inputs.js';
import { fmt, type Results, summary } from './lib/report.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: npx tsx bench/engines.ts RESULTS.json [RESULTS.json ...]\n');
  process.exit(2);
}
const results = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as Results);
const sizes = results.map((r) => r.sizes[0]);
const keys = [...new Set(sizes.flatMap((s) => Object.keys(s?.scenarios ?? {}) as ScenarioKey[]))];
const header = results.map((r) => r.label);
const lines = [
  `| scenario | ${header.map((h) => `${h}: req/s (share of floor), p99 ms`).join(' | ')} |`,
  `|---|${header.map(() => '---:').join('|')}|`,
];
for (const key of keys) {
  const cells = sizes.map((size) => {
    const scenario = size?.scenarios[key];
    if (!scenario) return '–';
    const s = summary(scenario.runs);
    const bad = s.unexpected ? `, ${s.unexpected} unexpected` : '';
    return `${fmt(s.rps)} (${fmt(s.ratio, 1)}%), ${fmt(s.p99, 0)}${bad}`;
  });
  const name = sizes.find((size) => size?.scenarios[key])?.scenarios[key]?.name;
  lines.push(`| ${name ?? key} | ${cells.join(' | ')} |`);
}
const claims = sizes.map((s) => s?.claims.toLocaleString('en')).join(', ');
const labels = results.map((r) => r.label).join(', ');
process.stdout.write(`${lines.join('\n')}\n\nclaims: ${claims}; results: ${labels}\n`);
