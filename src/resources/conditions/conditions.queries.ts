// SQL for conditions: prefix search over every spelling, keyset pages by slug, detail with the hierarchy (a DAG of
// curated and ontology links, with its closure stored) and counts, and the writes of both curators and ontologies.

import { decodeCursor, paginate } from '../../http/pagination.js';
import { requirePrefix } from '../../http/text-queries.js';
import { insertRows } from '../../store/batch.js';
import type { Reader, Transaction } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { moreOf } from '../../store/dialect-more.js';
import {
  LOOKUP_RANK,
  type LookupSpelling,
  PREFIX_MATCH_SQL,
  replaceSynonyms,
  touch,
  writeLookupKeys,
} from '../../store/lookup.queries.js';
import type { GradeCountRow, Row, RowOf } from '../../store/rows.js';
import { abbreviationsOf } from './conditions.resolve.js';
import type { ConditionInput } from './conditions.schemas.js';

type LinkSource = Row<'condition_parents'>['source'];
type SynonymScope = NonNullable<Row<'condition_synonyms'>['scope']>;

/** A condition as conditionSelect reads it: its columns, its child rows as JSON text, and its claim count. */
type ConditionRow = RowOf<
  'conditions',
  'id' | 'slug' | 'name' | 'description' | 'mesh_id' | 'doid' | 'created_at' | 'updated_at'
> & {
  /** JSON text: [synonym, scope] pairs (condition_synonyms). */
  synonyms: string;
  /** JSON text: [slug, name, source] of each parent link (condition_parents). */
  parents: string;
  /** JSON text: [relation, system, code] (condition_codes). */
  codes: string;
  claim_count: number;
};

// Child rows come as JSON from subqueries, so a page of conditions is one statement whatever its size. Claim counts
// cover the condition and every descendant (the closure), the same set `condition=` filters on; CROSS JOIN keeps
// SQLite starting from the few descendants rather than walking every published claim.
const conditionSelect = (h: Reader) => {
  const m = moreOf(h);
  return m.hints(`SELECT k.id, k.slug, k.name, k.description, k.mesh_id, k.doid,
    ${m.jsonRows(m.jsonTuple('synonym', 'scope'), 'condition_synonyms WHERE condition_id = k.id', 'scope IS NOT NULL, position')} AS synonyms,
    ${m.jsonRows(
      m.jsonTuple('p.slug', 'p.name', 'l.source'),
      'condition_parents l JOIN conditions p ON p.id = l.parent_id WHERE l.condition_id = k.id',
      'l.source, l.position',
    )} AS parents,
    ${m.jsonRows(m.jsonTuple('relation', 'system', 'code'), 'condition_codes WHERE condition_id = k.id', 'relation, position')} AS codes,
    (SELECT count(*) FROM condition_descendants d CROSS JOIN claims c ON c.condition_id = d.descendant_id
      WHERE d.ancestor_id = k.id AND c.status = 'published') AS claim_count,
    k.created_at, k.updated_at
  FROM conditions k`);
};

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
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: limit + 1 };
  if (q !== undefined) {
    Object.assign(params, requirePrefix(q));
    where.push(PREFIX_MATCH_SQL('condition', 'k'));
  }
  if (cursor !== undefined) {
    const [after] = decodeCursor(cursor, 'conditions', ['text']);
    params.after = after;
    where.push('k.slug > @after');
  }
  const sqlText = `${conditionSelect(h)} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k.slug LIMIT @limit`;
  const rows = await h.all<ConditionRow>(sqlText, params);
  const result = paginate(rows, limit, 'conditions', (r) => [r.slug]);
  return { items: result.items.map(toCondition), next_cursor: result.next_cursor };
}

export async function getCondition(h: Reader, id: number) {
  const m = moreOf(h);
  const row = await h.get<ConditionRow>(`${conditionSelect(h)} WHERE k.id = ?`, [id]);
  if (!row) return undefined;
  const children = await h.all<RowOf<'conditions', 'slug' | 'name'> & RowOf<'condition_parents', 'source'>>(
    m.hints(`SELECT k.slug, k.name, l.source FROM condition_parents l CROSS JOIN conditions k ON k.id = l.condition_id
     WHERE l.parent_id = ? ORDER BY k.slug, l.source`),
    [id],
  );
  const counts = await h.all<GradeCountRow>(
    m.hints(`SELECT c.grade_scheme AS scheme, c.grade_level AS level, c.certainty, count(*) AS count
     FROM condition_descendants d CROSS JOIN claims c ON c.condition_id = d.descendant_id
     WHERE d.ancestor_id = ? AND c.status = 'published'
     GROUP BY c.grade_scheme, c.grade_level, c.certainty ORDER BY c.certainty DESC, c.grade_scheme, c.grade_level`),
    [id],
  );
  return {
    ...toCondition(row),
    children: links(children.map((c) => [c.slug, c.name, c.source])),
    abbreviations: abbreviationsOf(row.doid),
    claim_counts_by_grade: counts,
  };
}

export type WriteOutcome = 'inserted' | 'updated' | 'unchanged';

const idOfSlug = async (h: Reader, slug: string) =>
  (await h.get<RowOf<'conditions', 'id'>>('SELECT id FROM conditions WHERE slug = ?', [slug]))?.id;

/** The curated parents of a condition write: `parent` first, then `parents`, without repeats. */
export function curatedParents(input: Pick<ConditionInput, 'parent' | 'parents'>): string[] {
  return [...new Set([...(input.parent === null ? [] : [input.parent]), ...(input.parents ?? [])])];
}

/** Replaces the links of one source from a condition to its parents; returns whether they changed. */
async function replaceParents(
  tx: Transaction,
  id: number,
  source: LinkSource,
  parentIds: readonly number[],
): Promise<boolean> {
  const current = (
    await tx.all<RowOf<'condition_parents', 'parent_id'>>(
      'SELECT parent_id FROM condition_parents WHERE condition_id = ? AND source = ? ORDER BY position',
      [id, source],
    )
  ).map((r) => r.parent_id);
  const wanted = [...new Set(parentIds)];
  if (current.length === wanted.length && current.every((p, i) => p === wanted[i])) return false;
  await tx.run('DELETE FROM condition_parents WHERE condition_id = ? AND source = ?', [id, source]);
  await insertRows(
    tx,
    'condition_parents',
    ['condition_id', 'parent_id', 'source', 'position'],
    wanted.map((parent, position) => [id, parent, source, position]),
  );
  return true;
}

/**
 * Recomputes the closure rows (condition_descendants) of the given conditions and of everything below them: each
 * gets itself and every ancestor reachable through condition_parents. Linear in the size of the affected subgraph
 * times its depth; the whole closure is never rebuilt for one write.
 */
export async function refreshClosure(tx: Transaction, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const d = dialectOf(tx);
  const affected = (
    await tx.all<RowOf<'conditions', 'id'>>(
      `SELECT CAST(value AS INTEGER) AS id FROM ${d.jsonValues('@ids')}
       UNION SELECT descendant_id FROM condition_descendants WHERE ancestor_id IN (SELECT CAST(value AS INTEGER) FROM ${d.jsonValues('@ids')})`,
      { ids: JSON.stringify(ids) },
    )
  ).map((r) => r.id);
  for (const id of affected) {
    await tx.run('DELETE FROM condition_descendants WHERE descendant_id = ?', [id]);
    await tx.run(
      `INSERT INTO condition_descendants (ancestor_id, descendant_id)
     WITH RECURSIVE up(id) AS (SELECT CAST(@id AS INTEGER) UNION SELECT p.parent_id FROM condition_parents p JOIN up ON p.condition_id = up.id)
     SELECT id, CAST(@id AS INTEGER) FROM up`,
      { id },
    );
  }
}

/** Every spelling that finds a condition, at its rank: its own, the curated synonyms, the ontology's. */
async function conditionSpellings(tx: Transaction, id: number, input: ConditionInput): Promise<LookupSpelling[]> {
  const codes = [input.doid, input.mesh_id, input.mesh_id && `MeSH:${input.mesh_id}`].filter((c): c is string => !!c);
  // One round trip: the ontology's synonyms, its codes, and its xrefs as SYSTEM:code.
  const attached = await tx.all<{ kind: 'synonym' | 'code'; text: string; scope: SynonymScope | null }>(
    `SELECT 'synonym' AS kind, synonym AS text, scope FROM condition_synonyms
       WHERE condition_id = @id AND scope IN ('EXACT', 'RELATED')
     UNION ALL SELECT 'code', code, NULL FROM condition_codes WHERE condition_id = @id
     UNION ALL SELECT 'code', system || ':' || code, NULL FROM condition_codes WHERE condition_id = @id AND relation = 'xref'`,
    { id },
  );
  const primary = (text: string) => ({ text, rank: LOOKUP_RANK.primary });
  return [
    ...[input.slug, input.name, ...codes].map(primary),
    ...input.synonyms.map((text) => ({ text, rank: LOOKUP_RANK.synonym })),
    ...attached
      .filter((a) => a.kind === 'synonym' || a.text.includes(':'))
      .map((a) =>
        a.kind === 'code'
          ? primary(a.text)
          : { text: a.text, rank: a.scope === 'EXACT' ? LOOKUP_RANK.synonym : LOOKUP_RANK.related },
      ),
  ];
}

/**
 * Inserts or updates a condition by slug with its curated synonyms and parents (`parent`, then `parents`); what an
 * ontology import attached (its synonyms, codes and is_a links) is kept. Touches updated_at only when something
 * changed; keeps the hierarchy's closure in step.
 */
export async function upsertCondition(tx: Transaction, input: ConditionInput): Promise<WriteOutcome> {
  const parentIds: number[] = [];
  for (const slug of curatedParents(input))
    parentIds.push((await idOfSlug(tx, slug)) ?? fail(`condition ${input.slug}: parent '${slug}' does not exist`));
  const existing = await idOfSlug(tx, input.slug);
  // RETURNING: the new row's id, and a row only when the insert or the update happened (the changes).
  const written = await tx.all<RowOf<'conditions', 'id'>>(
    `INSERT INTO conditions (slug, name, description, mesh_id, doid)
     VALUES (@slug, @name, @description, @mesh_id, @doid)
     ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description, mesh_id = excluded.mesh_id,
       doid = excluded.doid, updated_at = ${dialectOf(tx).now}
     WHERE conditions.name IS DISTINCT FROM excluded.name OR conditions.description IS DISTINCT FROM excluded.description
       OR conditions.mesh_id IS DISTINCT FROM excluded.mesh_id OR conditions.doid IS DISTINCT FROM excluded.doid
     RETURNING id`,
    {
      slug: input.slug,
      name: input.name,
      description: input.description,
      mesh_id: input.mesh_id,
      doid: input.doid,
    },
  );
  const result = { changes: written.length };
  const id = existing ?? written[0]?.id ?? fail(`condition ${input.slug}: the insert returned no id`);
  const synonymsChanged = await replaceSynonyms(tx, 'condition', id, input.synonyms);
  const parentsChanged = await replaceParents(tx, id, 'curated', parentIds);
  if (parentsChanged || existing === undefined) await refreshClosure(tx, [id]);
  await writeLookupKeys(tx, 'condition', id, await conditionSpellings(tx, id, input));
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
  const id = (await idOfSlug(tx, slug)) ?? fail(`condition '${slug}' does not exist`);
  let changed = 0;
  // A condition found by one of the term's older ids (alt_id, or an obsolete id it replaces) takes the current id as
  // its DOID; the older id stays among its codes, so it still finds the condition.
  const olderIds = term.codes.filter((c) => c.relation !== 'xref').map((c) => c.code);
  const { doid } =
    (await tx.get<RowOf<'conditions', 'doid'>>('SELECT doid FROM conditions WHERE id = ?', [id])) ??
    fail(`condition '${slug}' does not exist`);
  if (doid === null || olderIds.includes(doid))
    changed += (await tx.run('UPDATE conditions SET doid = ? WHERE id = ?', [term.term_id, id])).changes;
  // New synonyms and codes only (a synonym the condition has in any scope, or its name, stays as it is), numbered on
  // from the ontology's last position (per relation for codes), each list in one multi-row INSERT.
  const { name } =
    (await tx.get<RowOf<'conditions', 'name'>>('SELECT name FROM conditions WHERE id = ?', [id])) ??
    fail(`condition '${slug}' does not exist`);
  const synonymsHeld = await tx.all<RowOf<'condition_synonyms', 'synonym' | 'scope' | 'position'>>(
    'SELECT synonym, scope, position FROM condition_synonyms WHERE condition_id = ?',
    [id],
  );
  const seen = new Set([name, ...synonymsHeld.map((r) => r.synonym)]);
  let nextSynonym = Math.max(-1, ...synonymsHeld.filter((r) => r.scope !== null).map((r) => r.position)) + 1;
  const newSynonyms: unknown[][] = [];
  for (const s of term.synonyms) {
    if (seen.has(s.text)) continue;
    seen.add(s.text);
    newSynonyms.push([id, s.text, nextSynonym++, s.scope]);
  }
  changed += await insertRows(
    tx,
    'condition_synonyms',
    ['condition_id', 'synonym', 'position', 'scope'],
    newSynonyms,
    'ON CONFLICT DO NOTHING',
  );
  const codesHeld = await tx.all<RowOf<'condition_codes', 'relation' | 'system' | 'code' | 'position'>>(
    'SELECT relation, system, code, position FROM condition_codes WHERE condition_id = ?',
    [id],
  );
  const codeKey = (c: { relation: string; system: string; code: string }) => `${c.relation}\t${c.system}\t${c.code}`;
  const codesSeen = new Set(codesHeld.map(codeKey));
  const nextCode = new Map<string, number>();
  for (const c of codesHeld) nextCode.set(c.relation, Math.max(nextCode.get(c.relation) ?? 0, c.position + 1));
  const newCodes: unknown[][] = [];
  for (const c of term.codes) {
    if (codesSeen.has(codeKey(c))) continue;
    codesSeen.add(codeKey(c));
    const position = nextCode.get(c.relation) ?? 0;
    nextCode.set(c.relation, position + 1);
    newCodes.push([id, c.relation, c.system, c.code, position]);
  }
  changed += await insertRows(
    tx,
    'condition_codes',
    ['condition_id', 'relation', 'system', 'code', 'position'],
    newCodes,
    'ON CONFLICT DO NOTHING',
  );
  const current = (
    await tx.all<RowOf<'condition_parents', 'parent_id'>>(
      "SELECT parent_id FROM condition_parents WHERE condition_id = ? AND source = 'ontology' ORDER BY position",
      [id],
    )
  ).map((r) => r.parent_id);
  const added: number[] = [];
  for (const p of term.parents) {
    const parentId = (await idOfSlug(tx, p)) ?? fail(`condition '${p}' does not exist`);
    if (!current.includes(parentId)) added.push(parentId);
  }
  if (added.length > 0) {
    await replaceParents(tx, id, 'ontology', [...current, ...added]);
    await refreshClosure(tx, [id]);
    changed++;
  }
  if (changed === 0) return 'unchanged';
  const input = await conditionInputOf(tx, slug);
  if (input) await writeLookupKeys(tx, 'condition', id, await conditionSpellings(tx, id, input));
  await touch(tx, 'conditions', id);
  return 'updated';
}

/** True when `parentSlug` is `slug` or one of its descendants: making it a parent would close a cycle. */
export async function wouldCycle(h: Reader, slug: string, parentSlug: string): Promise<boolean> {
  if (slug === parentSlug) return true;
  return (
    (await h.get(
      `SELECT 1 FROM conditions k JOIN condition_descendants d ON d.ancestor_id = k.id
       JOIN conditions p ON p.id = d.descendant_id WHERE k.slug = ? AND p.slug = ?`,
      [slug, parentSlug],
    )) !== undefined
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
  const d = dialectOf(h);
  const row = await h.get<
    RowOf<'conditions', 'slug' | 'name' | 'description' | 'mesh_id' | 'doid' | 'version'> & {
      /** JSON text: the curated synonyms in order. */
      synonyms: string;
      /** JSON text: the curated parents' slugs in order. */
      parents: string;
    }
  >(
    `SELECT k.slug, k.name, k.description, k.mesh_id, k.doid, k.version,
       ${d.jsonArray('synonym', 'condition_synonyms WHERE condition_id = k.id AND scope IS NULL', 'position')} AS synonyms,
       ${d.jsonArray(
         'p.slug',
         "condition_parents l JOIN conditions p ON p.id = l.parent_id WHERE l.condition_id = k.id AND l.source = 'curated'",
         'l.position',
       )} AS parents
     FROM conditions k WHERE k.slug = ?`,
    [slug],
  );
  if (!row) return undefined;
  const [parent = null, ...parents] = JSON.parse(row.parents) as string[];
  return { ...row, synonyms: JSON.parse(row.synonyms) as string[], parent, parents };
}

/** What a revision keeps of a condition: the curated shape, plus what an ontology attached (read-only in the API). */
export async function conditionSnapshotOf(h: Reader, slug: string) {
  const input = await conditionInputOf(h, slug);
  if (!input) return undefined;
  const id = await idOfSlug(h, slug);
  const row = id === undefined ? undefined : await h.get<ConditionRow>(`${conditionSelect(h)} WHERE k.id = ?`, [id]);
  if (!row) return undefined;
  const full = toCondition(row);
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
  const usage = await tx.get<RowOf<'conditions', 'id'> & { claims: number; children: number }>(
    `SELECT k.id, (SELECT count(*) FROM claims c WHERE c.condition_id = k.id) AS claims,
       (SELECT count(DISTINCT x.condition_id) FROM condition_parents x WHERE x.parent_id = k.id) AS children
     FROM conditions k WHERE k.slug = ?`,
    [slug],
  );
  if (!usage) return { deleted: false, claims: 0, children: 0 };
  if (usage.claims > 0 || usage.children > 0) return { deleted: false, claims: usage.claims, children: usage.children };
  await tx.run("DELETE FROM lookup_keys WHERE entity = 'condition' AND entity_id = ?", [usage.id]);
  await tx.run('DELETE FROM conditions WHERE id = ?', [usage.id]);
  return { deleted: true, claims: 0, children: 0 };
}

function fail(message: string): never {
  throw new Error(message);
}
