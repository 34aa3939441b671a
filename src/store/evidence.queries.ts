// SQL behind the evidence rules: which referenced rows exist, the designs of a claim's studies, the claims of topics.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ClaimImportance } from '../evidence/topic-certainty.js';
import type { Reader } from './client.js';
import { dialectOf } from './dialect.js';
import type { RowOf } from './rows.js';

type Table = 'conditions' | 'interventions' | 'studies' | 'claims';
const KEY: Record<Table, string> = { conditions: 'slug', interventions: 'slug', studies: 'key', claims: 'id' };

/** The keys among `keys` that have no row in `table`. */
export async function missingKeys(h: Reader, table: Table, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const found = new Set(
    (
      await h.all<{ k: string }>(
        `SELECT ${KEY[table]} AS k FROM ${table} WHERE ${KEY[table]} IN (SELECT value FROM ${dialectOf(h).jsonValues('?')})`,
        [JSON.stringify(keys)],
      )
    ).map((r) => r.k),
  );
  return keys.filter((k) => !found.has(k));
}

/** The designs of the studies with these keys (PMIDs, or `asco:...` keys). */
export async function designsOf(h: Reader, keys: readonly string[]): Promise<(string | null)[]> {
  return (
    await h.all<RowOf<'studies', 'design'>>(
      `SELECT design FROM studies WHERE key IN (SELECT value FROM ${dialectOf(h).jsonValues('?')})`,
      [JSON.stringify(keys)],
    )
  ).map((r) => r.design);
}

/** The descendants of a condition (itself included), from the stored closure: a parent among them makes a cycle. */
export async function descendantSlugs(h: Reader, slug: string): Promise<string[]> {
  return (
    await h.all<RowOf<'conditions', 'slug'>>(
      // SQLite's CROSS JOIN fixes the join order (the slug first); PostgreSQL's planner needs no hint and refuses ON.
      `SELECT d2.slug FROM conditions k ${h.engine === 'sqlite' ? 'CROSS JOIN' : 'JOIN'} condition_descendants d
         ON d.ancestor_id = k.id JOIN conditions d2 ON d2.id = d.descendant_id WHERE k.slug = ?`,
      [slug],
    )
  ).map((r) => r.slug);
}

/** Status and grade of the claims among `ids` (unknown ids skipped), for a topic's overall certainty. */
export async function topicClaimGrades(
  h: Reader,
  ids: readonly string[],
): Promise<{ id: string; status: string; grade: { scheme: string; level: string } }[]> {
  if (ids.length === 0) return [];
  const { claims } = h.tables;
  const rows = await h.orm
    .select({ id: claims.id, status: claims.status, scheme: claims.grade_scheme, level: claims.grade_level })
    .from(claims)
    .where(inArray(claims.id, [...ids]));
  return rows.map((r) => ({ id: r.id, status: r.status, grade: { scheme: r.scheme, level: r.level } }));
}

/** The topics that list a claim, each with its bottom line, its claims in order and their importance. */
export async function topicsListing(
  h: Reader,
  claimId: string,
): Promise<{ slug: string; bottom_line: string; claims: string[]; importance: Record<string, ClaimImportance> }[]> {
  const { topics, topic_claims } = h.tables;
  const listing = await h.orm
    .select({ id: topics.id, slug: topics.slug, bottom_line: topics.bottom_line })
    .from(topic_claims)
    .innerJoin(topics, eq(topics.id, topic_claims.topic_id))
    .where(eq(topic_claims.claim_id, claimId))
    .orderBy(asc(topics.slug));
  const result = [];
  for (const topic of listing) {
    const rows = await h.orm
      .select({ claim_id: topic_claims.claim_id, importance: topic_claims.importance })
      .from(topic_claims)
      .where(eq(topic_claims.topic_id, topic.id))
      .orderBy(asc(topic_claims.position));
    result.push({
      slug: topic.slug,
      bottom_line: topic.bottom_line,
      claims: rows.map((r) => r.claim_id),
      importance: Object.fromEntries(
        rows.filter((r) => r.importance !== null).map((r) => [r.claim_id, r.importance as ClaimImportance]),
      ),
    });
  }
  return result;
}

/** The ids of the claims that link a study (by its key: a PMID or `asco:...`) as `supports`, in id order. */
export async function claimIdsSupportedBy(h: Reader, key: string): Promise<string[]> {
  const { claim_studies, studies } = h.tables;
  const rows = await h.orm
    .select({ id: claim_studies.claim_id })
    .from(claim_studies)
    .innerJoin(studies, eq(studies.id, claim_studies.study_id))
    .where(and(eq(studies.key, key), eq(claim_studies.relation, 'supports')))
    .orderBy(asc(claim_studies.claim_id));
  return rows.map((r) => r.id);
}

/** The slug of the condition other than `slug` that holds this DOID, if any. */
export async function doidHolder(h: Reader, doid: string, slug: string): Promise<string | undefined> {
  return (
    await h.get<RowOf<'conditions', 'slug'>>(
      'SELECT slug FROM conditions WHERE doid = ? AND slug <> ? ORDER BY id LIMIT 1',
      [doid, slug],
    )
  )?.slug;
}
