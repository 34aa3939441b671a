// `npm run fuzz -- [--seed N] [--per-operation N]`: the fuzz harness at a larger count, for CI (seed 1 unless given,
// so a run is reproducible; pass other seeds to explore); exit 1 on any 5xx, error that is not problem+json or
// harness error, and on undeclared statuses when FUZZ_STRICT_STATUSES=1.
import { parseArgs } from 'node:util';
import { runFuzz, summarize } from './fuzz.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: process.env.FUZZ_SEED ?? '1' },
    'per-operation': { type: 'string', default: process.env.FUZZ_PER_OPERATION ?? '200' },
  },
});
const seed = Number(values.seed);
const perOperation = Number(values['per-operation']);
if (!Number.isInteger(seed) || !Number.isInteger(perOperation) || perOperation < 1) {
  process.stderr.write('usage: npm run fuzz -- [--seed N] [--per-operation N]\n');
  process.exit(2);
}
const strict = process.env.FUZZ_STRICT_STATUSES === '1';
process.stderr.write(
  `fuzz: seed ${seed}, ${perOperation} requests per operation${strict ? ', strict statuses' : ''}\n`,
);
const started = performance.now();
const report = await runFuzz({
  seed,
  perOperation,
  onProgress: (done, total) => process.stderr.write(`\r  ${done}/${total}`),
});
process.stderr.write('\n');
process.stdout.write(summarize(report));
process.stdout.write(`took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
const failed =
  report.serverErrors.length + report.notProblemJson.length + report.harnessErrors.length > 0 ||
  (strict && Object.keys(report.undeclared).length > 0);
if (failed)
  process.stdout.write(`FAILED: reproduce with npm run fuzz -- --seed ${seed} --per-operation ${perOperation}\n`);
process.exit(failed ? 1 : 0);
