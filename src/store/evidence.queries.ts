// SQL behind the evidence rules: which referenced rows exist, and the designs of a claim's studies.
import type { Reader } from './client.js';
import { prepared } from './statements.js';

type Table = 'conditions' | 'interventions' | 'studies' | 'claims';
const KEY: Record<Table, string> = { conditions: 'slug', interventions: 'slug', studies: 'key', claims: 'id' };

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

/** The designs of the studies with these keys (PMIDs, or `asco:...` keys). */
export async function designsOf(h: Reader, keys: readonly string[]): Promise<(string | null)[]> {
  return (
    prepared(h.sqlite, 'SELECT design FROM studies WHERE key IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(keys),
    ) as { design: string | null }[]
  ).map((r) => r.design);
}

/** The descendants of a condition (itself included), from the stored closure: a parent among them makes a cycle. */
export async function descendantSlugs(h: Reader, slug: string): Promise<string[]> {
  return (
    prepared(
      h.sqlite,
      `SELECT d2.slug FROM conditions k CROSS JOIN condition_descendants d ON d.ancestor_id = k.id
       JOIN conditions d2 ON d2.id = d.descendant_id WHERE k.slug = ?`,
    ).all(slug) as { slug: string }[]
  ).map((r) => r.slug);
}

/** The slug of the condition other than `slug` that holds this DOID, if any. */
export async function doidHolder(h: Reader, doid: string, slug: string): Promise<string | undefined> {
  return (
    prepared(h.sqlite, 'SELECT slug FROM conditions WHERE doid = ? AND slug <> ? ORDER BY id LIMIT 1').get(
      doid,
      slug,
    ) as { slug: string } | undefined
  )?.slug;
}
