// SQL behind the evidence rules: which referenced rows exist, and the designs of a claim's studies.
import type { Reader } from './client.js';
import { prepared } from './statements.js';

type Table = 'conditions' | 'interventions' | 'studies' | 'claims';
const KEY: Record<Table, string> = { conditions: 'slug', interventions: 'slug', studies: 'pmid', claims: 'id' };

/** The keys among `keys` that have no row in `table`. */
export async function missingKeys(h: Reader, table: Table, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const found = new Set(
    (
      prepared(
        h.sqlite,
        `SELECT ${KEY[table]} AS k FROM ${table} WHERE ${KEY[table]} IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(keys)) as { k: string }[]
    ).map((r) => r.k),
  );
  return keys.filter((k) => !found.has(k));
}

export async function designsOf(h: Reader, pmids: readonly string[]): Promise<(string | null)[]> {
  return (
    prepared(h.sqlite, 'SELECT design FROM studies WHERE pmid IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(pmids),
    ) as { design: string | null }[]
  ).map((r) => r.design);
}

/** The ancestors of a condition, nearest first (for refusing a parent that would make a cycle). */
export async function ancestorSlugs(h: Reader, slug: string): Promise<string[]> {
  return (
    prepared(
      h.sqlite,
      `WITH RECURSIVE up(id, parent_id, slug) AS (
         SELECT id, parent_id, slug FROM conditions WHERE slug = ?
         UNION ALL SELECT k.id, k.parent_id, k.slug FROM conditions k JOIN up ON k.id = up.parent_id)
       SELECT slug FROM up`,
    ).all(slug) as { slug: string }[]
  ).map((r) => r.slug);
}
