// Curated seed data: files in seeds/, validated by the same zod input schemas the API uses, applied idempotently.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { checkClaimRules, checkStudyRules, checkTopicRules } from '../evidence/rules.js';
import { claimRecordFromInput } from '../resources/claims/claims.queries.js';
import { ClaimInput } from '../resources/claims/claims.schemas.js';
import { ConditionInput } from '../resources/conditions/conditions.schemas.js';
import { InterventionInput } from '../resources/interventions/interventions.schemas.js';
import { StudyInput } from '../resources/studies/studies.schemas.js';
import { TopicInput } from '../resources/topics/topics.schemas.js';
import type { Database, Reader } from '../store/client.js';
import { type Changes, commit, type WriteOutcome } from './commit.js';

export const SEEDS_FOLDER = fileURLToPath(new URL('../../seeds', import.meta.url));

export const SeedSchema = z
  .object({
    source: z.string().describe('Where the content comes from.'),
    conditions: z.array(ConditionInput).default([]),
    interventions: z.array(InterventionInput).default([]),
    studies: z.array(StudyInput).default([]),
    claims: z.array(ClaimInput).default([]),
    topics: z.array(TopicInput).default([]),
  })
  .strict();
export type Seed = z.infer<typeof SeedSchema>;

export class SeedError extends Error {}

export function parseSeed(text: string, name: string): Seed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SeedError(`${name}: not valid JSON (${(error as Error).message})`);
  }
  const result = SeedSchema.safeParse(json);
  if (!result.success)
    throw new SeedError(`${name}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data;
}

export function readSeedFiles(folder = SEEDS_FOLDER): { name: string; seed: Seed }[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => ({ name, seed: parseSeed(readFileSync(`${folder}/${name}`, 'utf8'), name) }));
}

export type SeedSummary = Record<
  'conditions' | 'interventions' | 'studies' | 'claims' | 'topics',
  Record<WriteOutcome, number>
>;

/**
 * Applies a seed in one commit (actor `seed`): every change has its revision, so reads as of a time work from the
 * start. A second run of the same seed changes nothing (not even the data version).
 */
export async function applySeed(db: Database, seed: Seed): Promise<SeedSummary> {
  return commit(db, { actor: 'seed' }, (changes) => applySeedIn(changes, seed));
}

async function applySeedIn(changes: Changes, seed: Seed): Promise<SeedSummary> {
  const tally = () => ({ inserted: 0, updated: 0, unchanged: 0 });
  const summary: SeedSummary = {
    conditions: tally(),
    interventions: tally(),
    studies: tally(),
    claims: tally(),
    topics: tally(),
  };
  // The evidence rules of the API hold for seeded content too (a 422 problem here names the rule and what broke it).
  for (const c of seed.conditions) summary.conditions[await changes.upsertCondition(c)]++;
  for (const i of seed.interventions) summary.interventions[await changes.upsertIntervention(i)]++;
  for (const s of seed.studies) {
    checkStudyRules(s);
    summary.studies[await changes.upsertStudy(s)]++;
  }
  for (const c of seed.claims) {
    const record = claimRecordFromInput(c);
    await checkClaimRules(changes.read, record, { topics: false });
    summary.claims[await changes.upsertClaim(record)]++;
  }
  for (const t of seed.topics) {
    await checkTopicRules(changes.read, t);
    summary.topics[await changes.upsertTopic(t)]++;
  }
  return summary;
}

export async function isEmpty(h: Reader): Promise<boolean> {
  const row = await h.get<{ n: number }>(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM claims LIMIT 1) c) + (SELECT count(*) FROM (SELECT 1 FROM conditions LIMIT 1) d)
          + (SELECT count(*) FROM (SELECT 1 FROM studies LIMIT 1) s) AS n`,
  );
  return row?.n === 0;
}

/**
 * Loads every seed file when the database has no content yet. Returns whether it did. The check runs inside the
 * seed's own commit, so two processes starting on one new file seed it once.
 */
export async function seedIfEmpty(db: Database): Promise<boolean> {
  const files = readSeedFiles();
  return commit(db, { actor: 'seed' }, async (changes) => {
    if (!(await isEmpty(changes.read))) return false;
    for (const { seed } of files) await applySeedIn(changes, seed);
    return true;
  });
}
