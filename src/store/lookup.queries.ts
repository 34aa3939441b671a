// SQL for the normalised lookup keys that let users name conditions and interventions by anything they know them by.

import { insertRows } from './batch.js';
import type { Reader, Transaction } from './client.js';
import { dialectOf } from './dialect.js';
import { lookupKey } from './normalize.js';
import type { RowOf } from './rows.js';

export type LookupEntity = 'condition' | 'intervention';

/**
 * How strongly a whole spelling names its entity (`lookup_keys.exact`; 0 is a later word, for prefix search only).
 * A lookup takes the highest rank that matches: a condition's own name or code beats another's EXACT synonym, which
 * beats a RELATED one (OBO 1.2 synonym scopes), so "CML" is chronic myeloid leukemia (EXACT) and not chronic
 * leukemia (RELATED). Strings passed to writeLookupKeys without a rank get `whole`.
 */
export const LOOKUP_RANK = { related: 1, whole: 1, synonym: 2, primary: 3 } as const;

/** A spelling to index: plain text (rank LOOKUP_RANK.whole), or text with its rank. */
export type LookupSpelling = string | { text: string; rank: number };

/** The best rank at which `text` (any case, any accents) names something, and the ids at that rank, lowest first. */
export async function lookupBest(
  h: Reader,
  entity: LookupEntity,
  text: string,
): Promise<{ rank: number; ids: number[] } | undefined> {
  const rows = await h.all<RowOf<'lookup_keys', 'entity_id' | 'exact'>>(
    `SELECT entity_id, exact FROM lookup_keys WHERE entity = @entity AND key = @key
       AND exact = (SELECT max(exact) FROM lookup_keys WHERE entity = @entity AND key = @key)
       AND exact >= 1 ORDER BY entity_id LIMIT 20`,
    { entity, key: lookupKey(text) },
  );
  return rows.length === 0 ? undefined : { rank: rows[0]?.exact as number, ids: rows.map((r) => r.entity_id) };
}

/** The ids whose spellings at the highest matching rank equal `text` (any case, any accents), lowest id first. */
export async function lookupCandidates(h: Reader, entity: LookupEntity, text: string): Promise<number[]> {
  return (await lookupBest(h, entity, text))?.ids ?? [];
}

/** Resolves a slug, name, synonym or code (any case, any accents) to an id: the best-ranked, then the lowest id. */
export async function resolveLookup(h: Reader, entity: LookupEntity, text: string): Promise<number | undefined> {
  return (await lookupCandidates(h, entity, text))[0];
}

/** Replaces the lookup keys of one entity: every whole spelling at its rank, plus each later word for prefix search. */
export async function writeLookupKeys(
  tx: Transaction,
  entity: LookupEntity,
  id: number,
  spellings: readonly LookupSpelling[],
): Promise<void> {
  await tx.run('DELETE FROM lookup_keys WHERE entity = ? AND entity_id = ?', [entity, id]);
  // A key spelled more than once keeps its best rank; all of them go in a few multi-row statements.
  const ranks = new Map<string, number>();
  const add = (key: string, rank: number) => ranks.set(key, Math.max(rank, ranks.get(key) ?? rank));
  for (const spelling of spellings) {
    const key = lookupKey(typeof spelling === 'string' ? spelling : spelling.text);
    if (key === '') continue;
    add(key, typeof spelling === 'string' ? LOOKUP_RANK.whole : spelling.rank);
    const words = key.split(' ');
    for (let i = 1; i < words.length; i++) add(words.slice(i).join(' '), 0);
  }
  await insertRows(
    tx,
    'lookup_keys',
    ['entity', 'key', 'entity_id', 'exact'],
    [...ranks].map(([key, rank]) => [entity, key, id, rank]),
    `ON CONFLICT (entity, key, entity_id) DO UPDATE SET exact = ${dialectOf(tx).greatest('lookup_keys.exact', 'excluded.exact')}`,
  );
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

/**
 * Replaces an entity's synonyms when they differ; returns whether they did. Conditions keep their ontology synonyms
 * (scope not null) apart: these are the curated ones (scope null), written after them.
 */
export async function replaceSynonyms(
  tx: Transaction,
  entity: LookupEntity,
  id: number,
  synonyms: readonly string[],
): Promise<boolean> {
  const { table, fk } = SYNONYM_TABLES[entity];
  const curatedOnly = entity === 'condition' ? ' AND scope IS NULL' : '';
  const current = (
    await tx.all<RowOf<'condition_synonyms' | 'intervention_synonyms', 'synonym'>>(
      `SELECT synonym FROM ${table} WHERE ${fk} = ?${curatedOnly} ORDER BY position`,
      [id],
    )
  ).map((r) => r.synonym);
  const wanted = [...new Set(synonyms)];
  if (current.length === wanted.length && current.every((s, i) => s === wanted[i])) return false;
  await tx.run(`DELETE FROM ${table} WHERE ${fk} = ?${curatedOnly}`, [id]);
  // A curated synonym that an ontology also gives becomes curated: the curator's word is the one kept.
  if (entity === 'condition')
    await tx.run(
      `DELETE FROM ${table} WHERE ${fk} = ? AND synonym IN (SELECT value FROM ${dialectOf(tx).jsonValues('?')})`,
      [id, JSON.stringify(wanted)],
    );
  await insertRows(
    tx,
    table,
    [fk, 'synonym', 'position'],
    wanted.map((synonym, position) => [id, synonym, position]),
  );
  return true;
}

const TOUCHABLE = new Set(['conditions', 'interventions', 'studies', 'claims', 'topics']);

/** Marks a row as changed when only its child rows (synonyms, links) changed. */
export async function touch(tx: Transaction, table: string, id: number | string): Promise<void> {
  if (!TOUCHABLE.has(table)) throw new Error(`touch: unknown table ${table}`);
  await tx.run(`UPDATE ${table} SET updated_at = ${dialectOf(tx).now} WHERE id = ?`, [id]);
}
