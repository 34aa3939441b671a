// Every resource as the API serves it, read in keyset batches: the lines of a release's NDJSON files.
import { asc, gt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Reader, Tables } from '../../store/client.js';
import { getClaimsByIds } from '../claims/claims.queries.js';
import { ClaimSchema } from '../claims/claims.schemas.js';
import { getConditionDetail } from '../conditions/conditions.detail.js';
import { ConditionDetailSchema } from '../conditions/conditions.schemas.js';
import { getIntervention } from '../interventions/interventions.queries.js';
import { InterventionDetailSchema } from '../interventions/interventions.schemas.js';
import { getStudy } from '../studies/studies.queries.js';
import { StudyDetailSchema } from '../studies/studies.schemas.js';
import { getTopic } from '../topics/topics.queries.js';
import { TopicDetailSchema } from '../topics/topics.schemas.js';
import type { ReleaseResource } from './releases.schemas.js';

/**
 * A row's public key (claim id, study key, slug), its internal id (where the detail query takes it) and, when the
 * file's order is not the key's own, the keyset value the next batch continues after.
 */
interface Key {
  key: string;
  id: number;
  after?: number;
}

interface ResourceSource {
  /** The 200 schema of the resource's GET route: its serializer writes each line, so a line is that GET's body. */
  schema: z.ZodType;
  /**
   * The next `limit` keys after `after`, in the file's order (the API's own list order), read off a unique index:
   * each batch is an index seek, never a sort of the table (test/releases.test.ts checks the plans).
   */
  keys(h: Reader, after: string | number | undefined, limit: number): Promise<Key[]>;
  /** The representations of `keys`, in their order: the functions behind `GET /v1/{resource}/{key}`. */
  read(h: Reader, keys: Key[]): Promise<unknown[]>;
}

/** The studies list order (STUDY_ORDER in studies.queries.ts, the expression of studies_pmid_num_idx). */
const studyOrder = ({ studies }: Tables) =>
  sql<number>`(CASE WHEN ${studies.pmid} IS NULL THEN 1000000000 + ${studies.id} ELSE CAST(${studies.pmid} AS INTEGER) END)`;

/** Reads one at a time where the API has no batched detail query; each is a few indexed statements. */
async function eachOf<T>(keys: Key[], read: (key: Key) => Promise<T | undefined>): Promise<T[]> {
  const out: T[] = [];
  for (const key of keys) {
    const value = await read(key);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** Keys of a table with a unique slug, in slug order (the order of its API list); the handle's engine's table. */
function bySlug(name: 'conditions' | 'interventions' | 'topics'): ResourceSource['keys'] {
  return (h, from, limit) => {
    const table = h.tables[name];
    return h.orm
      .select({ key: table.slug, id: table.id })
      .from(table)
      .where(from === undefined ? undefined : gt(table.slug, String(from)))
      .orderBy(asc(table.slug))
      .limit(limit);
  };
}

/** Where each resource's lines come from. Claims are read in batches (two statements per batch, any size). */
export const RELEASE_SOURCES: Record<ReleaseResource, ResourceSource> = {
  claims: {
    schema: ClaimSchema,
    keys: (h, from, limit) => {
      const { claims } = h.tables;
      return h.orm
        .select({ key: claims.id, id: claims.seq })
        .from(claims)
        .where(from === undefined ? undefined : gt(claims.id, String(from)))
        .orderBy(asc(claims.id))
        .limit(limit);
    },
    read: (h, keys) =>
      getClaimsByIds(
        h,
        keys.map((k) => k.key),
      ),
  },
  studies: {
    schema: StudyDetailSchema,
    // The order of GET /v1/studies: PubMed articles by PMID, then other sources as added (studies_pmid_num_idx).
    keys: (h, from, limit) => {
      const { studies } = h.tables;
      const order = studyOrder(h.tables);
      return h.orm
        .select({ key: studies.key, id: studies.id, after: order })
        .from(studies)
        .where(from === undefined ? undefined : gt(order, Number(from)))
        .orderBy(order)
        .limit(limit);
    },
    read: (h, keys) => eachOf(keys, (k) => getStudy(h, k.key)),
  },
  conditions: {
    schema: ConditionDetailSchema,
    keys: bySlug('conditions'),
    read: (h, keys) => eachOf(keys, (k) => getConditionDetail(h, k.id)),
  },
  interventions: {
    schema: InterventionDetailSchema,
    keys: bySlug('interventions'),
    read: (h, keys) => eachOf(keys, (k) => getIntervention(h, k.id)),
  },
  topics: {
    schema: TopicDetailSchema,
    keys: bySlug('topics'),
    read: (h, keys) => eachOf(keys, (k) => getTopic(h, k.key)),
  },
};

/** Keys per batch: large enough that per-batch statements are noise, small enough that a batch is a few MB. */
export const DEFAULT_BATCH_SIZE = 500;

/**
 * Every `resource` of the database `h` in the API's representation, one array per batch of at most `batchSize`,
 * in the order of the resource's key. Memory holds one batch at a time, whatever the size of the table.
 */
export async function* representationsOf(
  h: Reader,
  resource: ReleaseResource,
  batchSize = DEFAULT_BATCH_SIZE,
): AsyncGenerator<unknown[]> {
  const source = RELEASE_SOURCES[resource];
  let from: string | number | undefined;
  for (;;) {
    const keys = await source.keys(h, from, batchSize);
    if (keys.length === 0) return;
    yield await source.read(h, keys);
    if (keys.length < batchSize) return;
    const last = keys[keys.length - 1] as Key;
    from = last.after ?? last.key;
  }
}
