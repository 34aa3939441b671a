// SQL for the normalised lookup keys that let users name conditions and interventions by anything they know them by.

import type { Reader, Transaction } from './client.js';
import { lookupKey } from './normalize.js';
import { prepared } from './statements.js';

export type LookupEntity = 'condition' | 'intervention';

/** Resolves a slug, name, synonym or code (any case, any accents) to an id. */
export async function resolveLookup(h: Reader, entity: LookupEntity, text: string): Promise<number | undefined> {
  const row = prepared(
    h.sqlite,
    'SELECT entity_id FROM lookup_keys WHERE entity = ? AND key = ? AND exact = 1 ORDER BY entity_id LIMIT 1',
  ).get(entity, lookupKey(text)) as { entity_id: number } | undefined;
  return row?.entity_id;
}

/** Replaces the lookup keys of one entity: every whole spelling, plus each later word for prefix search. */
export function writeLookupKeys(tx: Transaction, entity: LookupEntity, id: number, spellings: readonly string[]): void {
  prepared(tx.sqlite, 'DELETE FROM lookup_keys WHERE entity = ? AND entity_id = ?').run(entity, id);
  const insert = prepared(
    tx.sqlite,
    'INSERT INTO lookup_keys (entity, key, entity_id, exact) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET exact = max(exact, excluded.exact)',
  );
  for (const spelling of spellings) {
    const key = lookupKey(spelling);
    if (key === '') continue;
    insert.run(entity, key, id, 1);
    const words = key.split(' ');
    for (let i = 1; i < words.length; i++) insert.run(entity, words.slice(i).join(' '), id, 0);
  }
}

/** Ids whose spellings start with the typed prefix, in key order, for `?q=` type-ahead. */
export const PREFIX_MATCH_SQL = (entity: LookupEntity, alias: string) =>
  `${alias}.id IN (SELECT entity_id FROM lookup_keys WHERE entity = '${entity}' AND key >= @q AND key < @q_end)`;

/** The key range of a typed prefix; undefined when it has no letter or digit to match. */
export function prefixParams(q: string): { q: string; q_end: string } | undefined {
  const key = lookupKey(q);
  if (!/[\p{L}\p{N}]/u.test(key)) return undefined;
  return { q: key, q_end: `${key}\u{10FFFF}` };
}

const SYNONYM_TABLES = {
  condition: { table: 'condition_synonyms', fk: 'condition_id' },
  intervention: { table: 'intervention_synonyms', fk: 'intervention_id' },
} as const;

/** Replaces an entity's synonyms when they differ; returns whether they did. */
export function replaceSynonyms(
  tx: Transaction,
  entity: LookupEntity,
  id: number,
  synonyms: readonly string[],
): boolean {
  const { table, fk } = SYNONYM_TABLES[entity];
  const current = (
    prepared(tx.sqlite, `SELECT synonym FROM ${table} WHERE ${fk} = ? ORDER BY position`).all(id) as {
      synonym: string;
    }[]
  ).map((r) => r.synonym);
  const wanted = [...new Set(synonyms)];
  if (current.length === wanted.length && current.every((s, i) => s === wanted[i])) return false;
  prepared(tx.sqlite, `DELETE FROM ${table} WHERE ${fk} = ?`).run(id);
  const insert = prepared(tx.sqlite, `INSERT INTO ${table} (${fk}, synonym, position) VALUES (?, ?, ?)`);
  for (const [position, synonym] of wanted.entries()) insert.run(id, synonym, position);
  return true;
}

const TOUCHABLE = new Set(['conditions', 'interventions', 'studies', 'claims', 'topics']);

/** Marks a row as changed when only its child rows (synonyms, links) changed. */
export function touch(tx: Transaction, table: string, id: number | string): void {
  if (!TOUCHABLE.has(table)) throw new Error(`touch: unknown table ${table}`);
  prepared(tx.sqlite, `UPDATE ${table} SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`).run(id);
}
