// SQL for conditions: prefix search over every spelling, keyset pages by slug, detail with the hierarchy (a DAG of
// curated and ontology links, with its closure stored) and counts, and the writes of both curators and ontologies.

import type { GradeScheme } from '../../evidence/grades.js';
import { decodeCursor, paginate } from '../../http/pagination.js';
import { requirePrefix } from '../../http/text-queries.js';
import type { Reader, Transaction } from '../../store/client.js';
import {
  LOOKUP_RANK,
  type LookupSpelling,
  PREFIX_MATCH_SQL,
  replaceSynonyms,
  touch,
  writeLookupKeys,
} from '../../store/lookup.queries.js';
import { prepared } from '../../store/statements.js';
import { abbreviationsOf } from './conditions.resolve.js';
import type { ConditionInput } from './conditions.schemas.js';

type LinkSource = 'curated' | 'ontology';
type SynonymScope = 'EXACT' | 'RELATED' | 'BROAD' | 'NARROW';

interface ConditionRow {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  mesh_id: string | null;
  doid: string | null;
  synonyms: string;
  parents: string;
  codes: string;
  claim_count: number;
  created_at: string;
  updated_at: string;
}

// Child rows come as JSON from subqueries, so a page of conditions is one statement whatever its size. Claim counts
// cover the condition and every descendant (the closure), the same set `condition=` filters on; CROSS JOIN keeps
// SQLite starting from the few descendants rather than walking every published claim.
const CONDITION_SELECT = `SELECT k.id, k.slug, k.name, k.description, k.mesh_id, k.doid,
    (SELECT json_group_array(json_array(synonym, scope)) FROM
       (SELECT synonym, scope FROM condition_synonyms WHERE condition_id = k.id ORDER BY scope IS NOT NULL, position)) AS synonyms,
    (SELECT json_group_array(json_array(p.slug, p.name, l.source)) FROM
       (SELECT parent_id, source, position FROM condition_parents WHERE condition_id = k.id ORDER BY source, position) l
       JOIN conditions p ON p.id = l.parent_id) AS parents,
    (SELECT json_group_array(json_array(relation, system, code)) FROM
       (SELECT relation, system, code FROM condition_codes WHERE condition_id = k.id ORDER BY relation, position)) AS codes,
    (SELECT count(*) FROM condition_descendants d CROSS JOIN claims c ON c.condition_id = d.descendant_id
      WHERE d.ancestor_id = k.id AND c.status = 'published') AS claim_count,
    k.created_at, k.updated_at
  FROM conditions k`;

/** [slug, name, source] rows → one link per slug with all its sources, curated first, in order. */
function links(rows: [string, string, LinkSource][]) {
  const bySlug = new Map<string, { slug: string; name: string; sources: LinkSource[] }>();
  for (const [slug, name, source] of rows) {
    const link = bySlug.get(slug) ?? { slug, name, sources: [] };
    if (!link.sources.includes(source)) link.sources.push(source);
    bySlug.set(slug, link);
  }
  return [...bySlug.values()];
}

function toCondition(r: ConditionRow) {
  const synonyms = JSON.parse(r.synonyms) as [string, SynonymScope | null][];
  const codes = JSON.parse(r.codes) as [string, string, string][];
  const parents = links(JSON.parse(r.parents) as [string, string, LinkSource][]);
  const first = parents[0];
  return {
    slug: r.slug,
    name: r.name,
    description: r.description,
    synonyms: synonyms.filter(([, scope]) => scope === null).map(([text]) => text),
    ontology_synonyms: synonyms.flatMap(([text, scope]) => (scope === null ? [] : [{ text, scope }])),
    codes: {
      mesh: r.mesh_id,
      doid: r.doid,
      xrefs: codes.filter(([relation]) => relation === 'xref').map(([, system, code]) => ({ system, code })),
      alt_ids: codes.filter(([relation]) => relation !== 'xref').map(([, , code]) => code),
    },
    parent: first ? { slug: first.slug, name: first.name } : null,
    parents,
    claim_count: r.claim_count,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

export async function listConditions(h: Reader, q: string | undefined, limit: number, cursor: string | undefined) {
  const sqlite = h.sqlite;
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: limit + 1 };
  if (q !== undefined) {
    Object.assign(params, requirePrefix(q));
    where.push(PREFIX_MATCH_SQL('condition', 'k'));
  }
  if (cursor !== undefined) {
    const [after] = decodeCursor(cursor, 'conditions', 1);
    params.after = after;
    where.push('k.slug > @after');
  }
  const sqlText = `${CONDITION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k.slug LIMIT @limit`;
  const rows = prepared(sqlite, sqlText).all(params) as ConditionRow[];
  const result = paginate(rows, limit, 'conditions', (r) => [r.slug]);
  return { items: result.items.map(toCondition), next_cursor: result.next_cursor };
}

export async function getCondition(h: Reader, id: number) {
  const sqlite = h.sqlite;
  const row = prepared(sqlite, `${CONDITION_SELECT} WHERE k.id = ?`).get(id) as ConditionRow | undefined;
  if (!row) return undefined;
  const children = prepared(
    sqlite,
    `SELECT k.slug, k.name, l.source FROM condition_parents l CROSS JOIN conditions k ON k.id = l.condition_id
     WHERE l.parent_id = ? ORDER BY k.slug, l.source`,
  ).all(id) as { slug: string; name: string; source: LinkSource }[];
  const counts = prepared(
    sqlite,
    `SELECT c.grade_scheme AS scheme, c.grade_level AS level, c.certainty, count(*) AS count
     FROM condition_descendants d CROSS JOIN claims c ON c.condition_id = d.descendant_id
     WHERE d.ancestor_id = ? AND c.status = 'published'
     GROUP BY c.grade_scheme, c.grade_level, c.certainty ORDER BY c.certainty DESC, c.grade_scheme, c.grade_level`,
  ).all(id) as { scheme: GradeScheme; level: string; certainty: number; count: number }[];
  return {
    ...toCondition(row),
    children: links(children.map((c) => [c.slug, c.name, c.source])),
    abbreviations: abbreviationsOf(row.doid),
    claim_counts_by_grade: counts,
  };
}

export type WriteOutcome = 'inserted' | 'updated' | 'unchanged';

const idOfSlug = (h: Reader, slug: string) =>
  (prepared(h.sqlite, 'SELECT id FROM conditions WHERE slug = ?').get(slug) as { id: number } | undefined)?.id;

/** The curated parents of a condition write: `parent` first, then `parents`, without repeats. */
export function curatedParents(input: Pick<ConditionInput, 'parent' | 'parents'>): string[] {
  return [...new Set([...(input.parent === null ? [] : [input.parent]), ...(input.parents ?? [])])];
}

/** Replaces the links of one source from a condition to its parents; returns whether they changed. */
function replaceParents(tx: Transaction, id: number, source: LinkSource, parentIds: readonly number[]): boolean {
  const sqlite = tx.sqlite;
  const current = (
    prepared(
      sqlite,
      'SELECT parent_id FROM condition_parents WHERE condition_id = ? AND source = ? ORDER BY position',
    ).all(id, source) as { parent_id: number }[]
  ).map((r) => r.parent_id);
  const wanted = [...new Set(parentIds)];
  if (current.length === wanted.length && current.every((p, i) => p === wanted[i])) return false;
  prepared(sqlite, 'DELETE FROM condition_parents WHERE condition_id = ? AND source = ?').run(id, source);
  const insert = prepared(
    sqlite,
    'INSERT INTO condition_parents (condition_id, parent_id, source, position) VALUES (?, ?, ?, ?)',
  );
  for (const [position, parent] of wanted.entries()) insert.run(id, parent, source, position);
  return true;
}

/**
 * Recomputes the closure rows (condition_descendants) of the given conditions and of everything below them: each
 * gets itself and every ancestor reachable through condition_parents. Linear in the size of the affected subgraph
 * times its depth; the whole closure is never rebuilt for one write.
 */
export async function refreshClosure(tx: Transaction, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const sqlite = tx.sqlite;
  const affected = (
    prepared(
      sqlite,
      `SELECT value AS id FROM json_each(@ids)
       UNION SELECT descendant_id FROM condition_descendants WHERE ancestor_id IN (SELECT value FROM json_each(@ids))`,
    ).all({ ids: JSON.stringify(ids) }) as { id: number }[]
  ).map((r) => r.id);
  const remove = prepared(sqlite, 'DELETE FROM condition_descendants WHERE descendant_id = ?');
  const insert = prepared(
    sqlite,
    `INSERT INTO condition_descendants (ancestor_id, descendant_id)
     WITH RECURSIVE up(id) AS (SELECT @id UNION SELECT p.parent_id FROM condition_parents p JOIN up ON p.condition_id = up.id)
     SELECT id, @id FROM up`,
  );
  for (const id of affected) {
    remove.run(id);
    insert.run({ id });
  }
}

/** Every spelling that finds a condition, at its rank: its own, the curated synonyms, the ontology's. */
function conditionSpellings(tx: Transaction, id: number, input: ConditionInput): LookupSpelling[] {
  const sqlite = tx.sqlite;
  const codes = [input.doid, input.mesh_id, input.mesh_id && `MeSH:${input.mesh_id}`].filter((c): c is string => !!c);
  const ontologySynonyms = prepared(
    sqlite,
    "SELECT synonym, scope FROM condition_synonyms WHERE condition_id = ? AND scope IN ('EXACT', 'RELATED')",
  ).all(id) as { synonym: string; scope: SynonymScope }[];
  const ontologyCodes = prepared(sqlite, 'SELECT code FROM condition_codes WHERE condition_id = ?').all(id) as {
    code: string;
  }[];
  const xrefCodes = prepared(
    sqlite,
    "SELECT system || ':' || code AS code FROM condition_codes WHERE condition_id = ? AND relation = 'xref'",
  ).all(id) as { code: string }[];
  const primary = (text: string) => ({ text, rank: LOOKUP_RANK.primary });
  return [
    ...[input.slug, input.name, ...codes].map(primary),
    ...input.synonyms.map((text) => ({ text, rank: LOOKUP_RANK.synonym })),
    ...ontologySynonyms.map((s) => ({
      text: s.synonym,
      rank: s.scope === 'EXACT' ? LOOKUP_RANK.synonym : LOOKUP_RANK.related,
    })),
    ...ontologyCodes.filter((c) => c.code.includes(':')).map((c) => primary(c.code)),
    ...xrefCodes.map((c) => primary(c.code)),
  ];
}

/**
 * Inserts or updates a condition by slug with its curated synonyms and parents (`parent`, then `parents`); what an
 * ontology import attached (its synonyms, codes and is_a links) is kept. Touches updated_at only when something
 * changed; keeps the hierarchy's closure in step.
 */
export async function upsertCondition(tx: Transaction, input: ConditionInput): Promise<WriteOutcome> {
  const sqlite = tx.sqlite;
  const parentIds = curatedParents(input).map(
    (slug) => idOfSlug(tx, slug) ?? fail(`condition ${input.slug}: parent '${slug}' does not exist`),
  );
  const existing = idOfSlug(tx, input.slug);
  const result = prepared(
    sqlite,
    `INSERT INTO conditions (slug, name, description, mesh_id, doid)
     VALUES (@slug, @name, @description, @mesh_id, @doid)
     ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description, mesh_id = excluded.mesh_id,
       doid = excluded.doid, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE name IS NOT excluded.name OR description IS NOT excluded.description OR mesh_id IS NOT excluded.mesh_id
       OR doid IS NOT excluded.doid`,
  ).run({
    slug: input.slug,
    name: input.name,
    description: input.description,
    mesh_id: input.mesh_id,
    doid: input.doid,
  });
  const id = existing ?? Number(result.lastInsertRowid);
  const synonymsChanged = await replaceSynonyms(tx, 'condition', id, input.synonyms);
  const parentsChanged = replaceParents(tx, id, 'curated', parentIds);
  if (parentsChanged || existing === undefined) await refreshClosure(tx, [id]);
  await writeLookupKeys(tx, 'condition', id, conditionSpellings(tx, id, input));
  if (existing === undefined) return 'inserted';
  if (result.changes === 0 && !synonymsChanged && !parentsChanged) return 'unchanged';
  if (result.changes === 0) await touch(tx, 'conditions', id);
  return 'updated';
}

/** What an ontology term contributes to the condition attached to it. */
export interface OntologyAttachment {
  /** The term id, e.g. "DOID:1324": set as the condition's DOID when it has none or has one of the term's older ids. */
  term_id: string;
  synonyms: { text: string; scope: SynonymScope }[];
  codes: { relation: 'xref' | 'alt_id' | 'replaces'; system: string; code: string }[];
  /** Slugs of the conditions attached to the term's is_a parents. */
  parents: string[];
}

/**
 * Adds an ontology term's synonyms (with their scope), codes and is_a links to a condition and attaches it to the
 * term (sets its DOID when it has none, or replaces an older id of the term, which stays a code). Adds only: a second file of the same ontology merges into what the first
 * gave, and a curator's name, description, synonyms and parents are never touched (a synonym the curator also wrote
 * stays curated). Returns whether anything changed; keeps the lookup keys and the closure in step.
 */
export async function attachOntologyTerm(
  tx: Transaction,
  slug: string,
  term: OntologyAttachment,
): Promise<WriteOutcome> {
  const sqlite = tx.sqlite;
  const id = idOfSlug(tx, slug) ?? fail(`condition '${slug}' does not exist`);
  let changed = 0;
  // A condition found by one of the term's older ids (alt_id, or an obsolete id it replaces) takes the current id as
  // its DOID; the older id stays among its codes, so it still finds the condition.
  const olderIds = term.codes.filter((c) => c.relation !== 'xref').map((c) => c.code);
  const { doid } = prepared(sqlite, 'SELECT doid FROM conditions WHERE id = ?').get(id) as { doid: string | null };
  if (doid === null || olderIds.includes(doid))
    changed += prepared(sqlite, 'UPDATE conditions SET doid = ? WHERE id = ?').run(term.term_id, id).changes;
  const synonymAt = prepared(
    sqlite,
    'SELECT coalesce(max(position) + 1, 0) AS n FROM condition_synonyms WHERE condition_id = ? AND scope IS NOT NULL',
  );
  const addSynonym = prepared(
    sqlite,
    'INSERT INTO condition_synonyms (condition_id, synonym, position, scope) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const name = (prepared(sqlite, 'SELECT name FROM conditions WHERE id = ?').get(id) as { name: string }).name;
  for (const s of term.synonyms) {
    if (s.text === name) continue;
    const { n } = synonymAt.get(id) as { n: number };
    changed += addSynonym.run(id, s.text, n, s.scope).changes;
  }
  const codeAt = prepared(
    sqlite,
    'SELECT coalesce(max(position) + 1, 0) AS n FROM condition_codes WHERE condition_id = ? AND relation = ?',
  );
  const addCode = prepared(
    sqlite,
    'INSERT INTO condition_codes (condition_id, relation, system, code, position) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  for (const c of term.codes) {
    const { n } = codeAt.get(id, c.relation) as { n: number };
    changed += addCode.run(id, c.relation, c.system, c.code, n).changes;
  }
  const current = (
    prepared(
      sqlite,
      "SELECT parent_id FROM condition_parents WHERE condition_id = ? AND source = 'ontology' ORDER BY position",
    ).all(id) as { parent_id: number }[]
  ).map((r) => r.parent_id);
  const added = term.parents
    .map((p) => idOfSlug(tx, p) ?? fail(`condition '${p}' does not exist`))
    .filter((p) => !current.includes(p));
  if (added.length > 0) {
    replaceParents(tx, id, 'ontology', [...current, ...added]);
    await refreshClosure(tx, [id]);
    changed++;
  }
  if (changed === 0) return 'unchanged';
  const input = await conditionInputOf(tx, slug);
  if (input) await writeLookupKeys(tx, 'condition', id, conditionSpellings(tx, id, input));
  await touch(tx, 'conditions', id);
  return 'updated';
}

/** True when `parentSlug` is `slug` or one of its descendants: making it a parent would close a cycle. */
export async function wouldCycle(h: Reader, slug: string, parentSlug: string): Promise<boolean> {
  if (slug === parentSlug) return true;
  return (
    prepared(
      h.sqlite,
      `SELECT 1 FROM conditions k JOIN condition_descendants d ON d.ancestor_id = k.id
       JOIN conditions p ON p.id = d.descendant_id WHERE k.slug = ? AND p.slug = ?`,
    ).get(slug, parentSlug) !== undefined
  );
}

/**
 * The condition as a curator would write it (the body of a PUT/POST), for PATCH merges and history: curated
 * synonyms, and the curated parents as `parent` (the first) and `parents` (the rest).
 */
export async function conditionInputOf(
  h: Reader,
  slug: string,
): Promise<(ConditionInput & { version: number }) | undefined> {
  const sqlite = h.sqlite;
  const row = prepared(
    sqlite,
    `SELECT k.slug, k.name, k.description, k.mesh_id, k.doid, k.version,
       (SELECT json_group_array(synonym) FROM (SELECT synonym FROM condition_synonyms
          WHERE condition_id = k.id AND scope IS NULL ORDER BY position)) AS synonyms,
       (SELECT json_group_array(p.slug) FROM (SELECT parent_id FROM condition_parents
          WHERE condition_id = k.id AND source = 'curated' ORDER BY position) l JOIN conditions p ON p.id = l.parent_id) AS parents
     FROM conditions k WHERE k.slug = ?`,
  ).get(slug) as
    | (Omit<ConditionInput, 'synonyms' | 'parent' | 'parents'> & { synonyms: string; parents: string; version: number })
    | undefined;
  if (!row) return undefined;
  const [parent = null, ...parents] = JSON.parse(row.parents) as string[];
  return { ...row, synonyms: JSON.parse(row.synonyms) as string[], parent, parents };
}

/** What a revision keeps of a condition: the curated shape, plus what an ontology attached (read-only in the API). */
export async function conditionSnapshotOf(h: Reader, slug: string) {
  const input = await conditionInputOf(h, slug);
  if (!input) return undefined;
  const id = idOfSlug(h, slug) as number;
  const full = toCondition(prepared(h.sqlite, `${CONDITION_SELECT} WHERE k.id = ?`).get(id) as ConditionRow);
  const ontology = {
    synonyms: full.ontology_synonyms,
    xrefs: full.codes.xrefs,
    alt_ids: full.codes.alt_ids,
    parents: full.parents.filter((p) => p.sources.includes('ontology')).map((p) => p.slug),
  };
  const attached = Object.values(ontology).some((list) => list.length > 0);
  // Only a condition an ontology touched has the block, so the history of the others reads as before.
  return attached ? { ...input, ontology } : input;
}

/** Deletes a condition nothing refers to; returns what still refers to it otherwise. */
export async function deleteCondition(
  tx: Transaction,
  slug: string,
): Promise<{ deleted: boolean; claims: number; children: number }> {
  const sqlite = tx.sqlite;
  const usage = prepared(
    sqlite,
    `SELECT k.id, (SELECT count(*) FROM claims c WHERE c.condition_id = k.id) AS claims,
       (SELECT count(DISTINCT x.condition_id) FROM condition_parents x WHERE x.parent_id = k.id) AS children
     FROM conditions k WHERE k.slug = ?`,
  ).get(slug) as { id: number; claims: number; children: number } | undefined;
  if (!usage) return { deleted: false, claims: 0, children: 0 };
  if (usage.claims > 0 || usage.children > 0) return { deleted: false, claims: usage.claims, children: usage.children };
  prepared(sqlite, "DELETE FROM lookup_keys WHERE entity = 'condition' AND entity_id = ?").run(usage.id);
  prepared(sqlite, 'DELETE FROM conditions WHERE id = ?').run(usage.id);
  return { deleted: true, claims: 0, children: 0 };
}

function fail(message: string): never {
  throw new Error(message);
}
