// `npm run openapi:examples`: captures real responses of a seeded app as the OpenAPI examples (openapi/examples.json).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../app.js';
import { prepareDatabase } from '../curation/prepare.js';
import { openScratchDatabase } from '../store/client.js';

export const EXAMPLES_PATH = fileURLToPath(new URL('../../openapi/examples.json', import.meta.url));

/** Component schema name → the request whose 200 body illustrates it. */
export const EXAMPLE_SOURCES: Record<string, string> = {
  Claim: '/v1/claims/melanoma-microbiome-immunotherapy-response',
  ClaimList: '/v1/claims?condition=melanoma',
  StudyDetail: '/v1/studies/29097493',
  StudyList: '/v1/studies?design=cohort',
  ConditionDetail: '/v1/conditions/eczema',
  ConditionList: '/v1/conditions?q=derm',
  InterventionDetail: '/v1/interventions/oral-probiotics',
  InterventionList: '/v1/interventions?kind=probiotic',
  TopicDetail: '/v1/topics/gut-microbiome-and-skin',
  TopicList: '/v1/topics',
  SearchResults: '/v1/search?q=ruminococcaceae',
};

export async function captureExamples(): Promise<Record<string, unknown>> {
  const db = openScratchDatabase('openapi');
  await prepareDatabase(db);
  const app = await buildApp({ db });
  const examples: Record<string, unknown> = {};
  for (const [name, url] of Object.entries(EXAMPLE_SOURCES)) {
    const res = await app.inject(url);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    // Timestamps of a fresh seed say nothing; fixed ones keep the committed document stable.
    examples[name] = JSON.parse(res.body, (key, value) =>
      key === 'created_at' || key === 'updated_at' ? '2026-11-26T09:00:00.000Z' : value,
    );
  }
  await app.close();
  return examples;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(EXAMPLES_PATH, `${JSON.stringify(await captureExamples(), null, 2)}\n`);
  process.stdout.write(`wrote ${EXAMPLES_PATH}\n`);
}
