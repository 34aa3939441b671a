// SQL for conditions: prefix search over every spelling, keyset pages by slug, detail with hierarchy and counts.

import type { GradeScheme } from '../../evidence/grades.js';
import { decodeCursor, paginate } from '../../http/pagination.js';
import { requirePrefix } from '../../http/text-queries.js';
import type { Reader, Transaction } from '../../store/client.js';
import { PREFIX_MATCH_SQL, replaceSynonyms, touch, writeLookupKeys } from '../../store/lookup.queries.js';
import { prepared } from '../../store/statements.js';
import type { ConditionInput } from './conditions.schemas.js';

interface ConditionRow {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  mesh_id: string | null;
  doid: string | null;
  parent_slug: string | null;
  parent_name: string | null;
  synonyms: string;
  claim_count: number;
  created_at: string;
  updated_at: string;
}

// Claim counts cover the condition and every descendant, the same set `condition=` filters on. CROSS JOIN keeps
// SQLite starting from the few conditions rather than walking every published claim (it would, without stats).
const CONDITION_SELECT = `SELECT k.id, k.slug, k.name, k.description, k.mesh_id, k.doid,
    p.slug AS parent_slug, p.name AS parent_name,
    (SELECT json_group_array(synonym) FROM (SELECT synonym FROM condition_synonyms WHERE condition_id = k.id ORDER BY position)) AS synonyms,
    (WITH RECURSIVE d(id) AS (SELECT k.id UNION SELECT x.id FROM conditions x JOIN d ON x.parent_id = d.id)
      SELECT count(*) FROM d CROSS JOIN claims c ON c.condition_id = d.id WHERE c.status = 'published') AS claim_count,
    k.created_at, k.updated_at
  FROM conditions k LEFT JOIN conditions p ON p.id = k.parent_id`;

function toCondition(r: ConditionRow) {
  return {
    slug: r.slug,
    name: r.name,
    description: r.description,
    synonyms: JSON.parse(r.synonyms) as string[],
    codes: { mesh: r.mesh_id, doid: r.doid },
    parent: r.parent_slug === null ? null : { slug: r.parent_slug, name: r.parent_name as string },
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
  const children = prepared(sqlite, 'SELECT slug, name FROM conditions WHERE parent_id = ? ORDER BY slug').all(id) as {
    slug: string;
    name: string;
  }[];
  const counts = prepared(
    sqlite,
    `WITH RECURSIVE d(id) AS (SELECT ? UNION SELECT x.id FROM conditions x JOIN d ON x.parent_id = d.id)
     SELECT c.grade_scheme AS scheme, c.grade_level AS level, c.certainty, count(*) AS count
     FROM d CROSS JOIN claims c ON c.condition_id = d.id WHERE c.status = 'published'
     GROUP BY c.grade_scheme, c.grade_level, c.certainty ORDER BY c.certainty DESC, c.grade_scheme, c.grade_level`,
  ).all(id) as { scheme: GradeScheme; level: string; certainty: number; count: number }[];
  return { ...toCondition(row), children, claim_counts_by_grade: counts };
}

export type WriteOutcome = 'inserted' | 'updated' | 'unchanged';

/** Inserts or updates a condition by slug; touches updated_at only when something changed. */
export async function upsertCondition(tx: Transaction, input: ConditionInput): Promise<WriteOutcome> {
  const sqlite = tx.sqlite;
  let parentId: number | null = null;
  if (input.parent !== null) {
    const parent = prepared(sqlite, 'SELECT id FROM conditions WHERE slug = ?').get(input.parent) as
      | { id: number }
      | undefined;
    if (!parent) throw new Error(`condition ${input.slug}: parent '${input.parent}' does not exist`);
    parentId = parent.id;
  }
  const existing = prepared(sqlite, 'SELECT id FROM conditions WHERE slug = ?').get(input.slug) as
    | { id: number }
    | undefined;
  const result = prepared(
    sqlite,
    `INSERT INTO conditions (slug, name, description, mesh_id, doid, parent_id)
     VALUES (@slug, @name, @description, @mesh_id, @doid, @parent_id)
     ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description, mesh_id = excluded.mesh_id,
       doid = excluded.doid, parent_id = excluded.parent_id, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE name IS NOT excluded.name OR description IS NOT excluded.description OR mesh_id IS NOT excluded.mesh_id
       OR doid IS NOT excluded.doid OR parent_id IS NOT excluded.parent_id`,
  ).run({ ...input, parent_id: parentId });
  const id = existing?.id ?? Number(result.lastInsertRowid);
  const synonymsChanged = replaceSynonyms(tx, 'condition', id, input.synonyms);
  const codes = [input.doid, input.mesh_id, input.mesh_id && `MeSH:${input.mesh_id}`].filter((c): c is string => !!c);
  writeLookupKeys(tx, 'condition', id, [input.slug, input.name, ...input.synonyms, ...codes]);
  if (!existing) return 'inserted';
  if (result.changes === 0 && !synonymsChanged) return 'unchanged';
  if (result.changes === 0) touch(tx, 'conditions', id);
  return 'updated';
}

/** The condition as a curator would write it (the body of a PUT/POST), for PATCH merges and history. */
export async function conditionInputOf(
  h: Reader,
  slug: string,
): Promise<(ConditionInput & { version: number }) | undefined> {
  const sqlite = h.sqlite;
  const row = prepared(
    sqlite,
    `SELECT k.slug, k.name, k.description, k.mesh_id, k.doid, p.slug AS parent, k.version,
       (SELECT json_group_array(synonym) FROM (SELECT synonym FROM condition_synonyms WHERE condition_id = k.id ORDER BY position)) AS synonyms
     FROM conditions k LEFT JOIN conditions p ON p.id = k.parent_id WHERE k.slug = ?`,
  ).get(slug) as (Omit<ConditionInput, 'synonyms'> & { synonyms: string; version: number }) | undefined;
  return row ? { ...row, synonyms: JSON.parse(row.synonyms) as string[] } : undefined;
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
       (SELECT count(*) FROM conditions x WHERE x.parent_id = k.id) AS children FROM conditions k WHERE k.slug = ?`,
  ).get(slug) as { id: number; claims: number; children: number } | undefined;
  if (!usage) return { deleted: false, claims: 0, children: 0 };
  if (usage.claims > 0 || usage.children > 0) return { deleted: false, claims: usage.claims, children: usage.children };
  prepared(sqlite, "DELETE FROM lookup_keys WHERE entity = 'condition' AND entity_id = ?").run(usage.id);
  prepared(sqlite, 'DELETE FROM conditions WHERE id = ?').run(usage.id);
  return { deleted: true, claims: 0, children: 0 };
}
