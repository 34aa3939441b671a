// The fuzz harness in the suite, at a modest count: every operation of the OpenAPI document, seeded (FUZZ_SEED).
import { describe, expect, it } from 'vitest';
import { runFuzz, summarize } from './fuzz/fuzz.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);

describe(`fuzzing every operation of openapi/openapi.json (seed ${SEED})`, () => {
  it('answers hostile and boundary input with no 5xx, every error as problem+json, and only statuses the document lists', {
    timeout: 120_000,
  }, async () => {
    const report = await runFuzz({ seed: SEED, perOperation: 12 });
    const summary = summarize(report);
    expect(report.requests, summary).toBeGreaterThanOrEqual(12 * 40);
    expect(report.harnessErrors, summary).toEqual([]);
    expect(report.serverErrors, `reproduce with FUZZ_SEED=${SEED}\n${summary}`).toEqual([]);
    expect(report.notProblemJson, `reproduce with FUZZ_SEED=${SEED}\n${summary}`).toEqual([]);
    // Strict statuses (issue 10): every status answered is listed for its operation (src/plugins/openapi-operations.ts).
    expect(report.undeclared, summary).toEqual({});
    // Every status class is reached, so the harness cannot quietly stop testing anything.
    for (const status of ['200', '201', '400', '401', '404', '412', '415', '428'])
      expect(report.statuses[status], `${status} never answered\n${summary}`).toBeGreaterThan(0);
  });
});
