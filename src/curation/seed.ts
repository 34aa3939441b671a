// Curated seed data: files in seeds/, validated by the same zod input schemas the API uses, applied idempotently.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { claimRecordFromInput, refreshClaimSampleSizes, upsertClaim } from '../resources/claims/claims.queries.js';
import { ClaimInput } from '../resources/claims/claims.schemas.js';
import { upsertCondition, type WriteOutcome } from '../resources/conditions/conditions.queries.js';
import { ConditionInput } from '../resources/conditions/conditions.schemas.js';
import type { Entity } from '../resources/history/history.queries.js';
import { upsertIntervention } from '../resources/interventions/interventions.queries.js';
import { InterventionInput } from '../resources/interventions/interventions.schemas.js';
import { upsertStudy } from '../resources/studies/studies.queries.js';
import { StudyInput } from '../resources/studies/studies.schemas.js';
import { upsertTopic } from '../resources/topics/topics.queries.js';
import { TopicInput } from '../resources/topics/topics.schemas.js';
import type { AppDatabase, Sqlite } from '../store/client.js';
import { bumpDataVersion } from '../store/data-version.queries.js';
import { recordChange } from './snapshots.js';

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

/** Applies a seed in one transaction; a second run of the same seed changes nothing (not even the data version). */
export function applySeed(db: AppDatabase, seed: Seed): SeedSummary {
  const sqlite = db.sqlite;
  const tally = () => ({ inserted: 0, updated: 0, unchanged: 0 });
  const summary: SeedSummary = {
    conditions: tally(),
    interventions: tally(),
    studies: tally(),
    claims: tally(),
    topics: tally(),
  };
  // Every seeded change is in the revision history too (actor `seed`), so reads as of a time work from the start.
  const track = (entity: Entity, key: string, outcome: WriteOutcome, tally: Record<WriteOutcome, number>) => {
    tally[outcome]++;
    if (outcome !== 'unchanged')
      recordChange(sqlite, { entity, key, action: outcome === 'inserted' ? 'create' : 'update', actor: 'seed' });
  };
  sqlite.transaction(() => {
    for (const c of seed.conditions) track('condition', c.slug, upsertCondition(sqlite, c), summary.conditions);
    for (const i of seed.interventions)
      track('intervention', i.slug, upsertIntervention(sqlite, i), summary.interventions);
    for (const s of seed.studies) track('study', s.pmid, upsertStudy(sqlite, s), summary.studies);
    refreshClaimSampleSizes(sqlite);
    for (const c of seed.claims) track('claim', c.id, upsertClaim(sqlite, claimRecordFromInput(c)), summary.claims);
    for (const t of seed.topics) track('topic', t.slug, upsertTopic(sqlite, t), summary.topics);
    const changed = Object.values(summary).some((t) => t.inserted + t.updated > 0);
    if (changed) bumpDataVersion(sqlite);
  })();
  return summary;
}

export function isEmpty(sqlite: Sqlite): boolean {
  return (
    (
      sqlite
        .prepare(
          'SELECT EXISTS (SELECT 1 FROM claims) + EXISTS (SELECT 1 FROM conditions) + EXISTS (SELECT 1 FROM studies) AS n',
        )
        .get() as {
        n: number;
      }
    ).n === 0
  );
}

/** Loads every seed file when the database has no content yet. Returns whether it did. */
export function seedIfEmpty(db: AppDatabase): boolean {
  if (!isEmpty(db.sqlite)) return false;
  for (const { seed } of readSeedFiles()) applySeed(db, seed);
  return true;
}
