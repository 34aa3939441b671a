// SQL for interventions: prefix search, kind filter, keyset pages by slug, detail with claim counts.

import type { GradeScheme } from '../../evidence/grades.js';
import type { InterventionKind } from '../../evidence/vocabulary.js';
import { decodeCursor, paginate } from '../../http/pagination.js';
import { requirePrefix } from '../../http/text-queries.js';
import type { Reader, Transaction } from '../../store/client.js';
import { PREFIX_MATCH_SQL, replaceSynonyms, touch, writeLookupKeys } from '../../store/lookup.queries.js';
import { prepared } from '../../store/statements.js';
import type { WriteOutcome } from '../conditions/conditions.queries.js';
import type { InterventionInput } from './interventions.schemas.js';

interface InterventionRow {
  id: number;
  slug: string;
  name: string;
  kind: InterventionKind;
  description: string | null;
  synonyms: string;
  claim_count: number;
  created_at: string;
  updated_at: string;
}

const INTERVENTION_SELECT = `SELECT i.id, i.slug, i.name, i.kind, i.description,
    (SELECT json_group_array(synonym) FROM (SELECT synonym FROM intervention_synonyms WHERE intervention_id = i.id ORDER BY position)) AS synonyms,
    (SELECT count(*) FROM claim_interventions ci CROSS JOIN claims c ON c.id = ci.claim_id
      WHERE ci.intervention_id = i.id AND c.status = 'published') AS claim_count,
    i.created_at, i.updated_at
  FROM interventions i`;

function toIntervention(r: InterventionRow) {
  return {
    slug: r.slug,
    name: r.name,
    kind: r.kind,
    description: r.description,
    synonyms: JSON.parse(r.synonyms) as string[],
    claim_count: r.claim_count,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

export async function listInterventions(
  h: Reader,
  filters: { q?: string; kind?: string },
  limit: number,
  cursor: string | undefined,
) {
  const sqlite = h.sqlite;
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: limit + 1 };
  if (filters.q !== undefined) {
    Object.assign(params, requirePrefix(filters.q));
    where.push(PREFIX_MATCH_SQL('intervention', 'i'));
  }
  if (filters.kind !== undefined) {
    params.kind = filters.kind;
    where.push('i.kind = @kind');
  }
  if (cursor !== undefined) {
    const [after] = decodeCursor(cursor, 'interventions', 1);
    params.after = after;
    where.push('i.slug > @after');
  }
  const sqlText = `${INTERVENTION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.slug LIMIT @limit`;
  const rows = prepared(sqlite, sqlText).all(params) as InterventionRow[];
  const result = paginate(rows, limit, 'interventions', (r) => [r.slug]);
  return { items: result.items.map(toIntervention), next_cursor: result.next_cursor };
}

export async function getIntervention(h: Reader, id: number) {
  const sqlite = h.sqlite;
  const row = prepared(sqlite, `${INTERVENTION_SELECT} WHERE i.id = ?`).get(id) as InterventionRow | undefined;
  if (!row) return undefined;
  const counts = prepared(
    sqlite,
    `SELECT c.grade_scheme AS scheme, c.grade_level AS level, c.certainty, count(*) AS count
     FROM claim_interventions ci CROSS JOIN claims c ON c.id = ci.claim_id
     WHERE ci.intervention_id = ? AND c.status = 'published'
     GROUP BY c.grade_scheme, c.grade_level, c.certainty ORDER BY c.certainty DESC, c.grade_scheme, c.grade_level`,
  ).all(id) as { scheme: GradeScheme; level: string; certainty: number; count: number }[];
  return { ...toIntervention(row), claim_counts_by_grade: counts };
}

/** Inserts or updates an intervention by slug; touches updated_at only when something changed. */
export async function upsertIntervention(tx: Transaction, input: InterventionInput): Promise<WriteOutcome> {
  const sqlite = tx.sqlite;
  const existing = prepared(sqlite, 'SELECT id FROM interventions WHERE slug = ?').get(input.slug) as
    | { id: number }
    | undefined;
  const result = prepared(
    sqlite,
    `INSERT INTO interventions (slug, name, kind, description) VALUES (@slug, @name, @kind, @description)
     ON CONFLICT (slug) DO UPDATE SET name = excluded.name, kind = excluded.kind, description = excluded.description,
       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE name IS NOT excluded.name OR kind IS NOT excluded.kind OR description IS NOT excluded.description`,
  ).run(input);
  const id = existing?.id ?? Number(result.lastInsertRowid);
  const synonymsChanged = await replaceSynonyms(tx, 'intervention', id, input.synonyms);
  await writeLookupKeys(tx, 'intervention', id, [input.slug, input.name, ...input.synonyms]);
  if (!existing) return 'inserted';
  if (result.changes === 0 && !synonymsChanged) return 'unchanged';
  if (result.changes === 0) await touch(tx, 'interventions', id);
  return 'updated';
}

/** The intervention as a curator would write it, for PATCH merges and history. */
export async function interventionInputOf(
  h: Reader,
  slug: string,
): Promise<(InterventionInput & { version: number }) | undefined> {
  const sqlite = h.sqlite;
  const row = prepared(
    sqlite,
    `SELECT i.slug, i.name, i.kind, i.description, i.version,
       (SELECT json_group_array(synonym) FROM (SELECT synonym FROM intervention_synonyms WHERE intervention_id = i.id ORDER BY position)) AS synonyms
     FROM interventions i WHERE i.slug = ?`,
  ).get(slug) as (Omit<InterventionInput, 'synonyms'> & { synonyms: string; version: number }) | undefined;
  return row ? { ...row, synonyms: JSON.parse(row.synonyms) as string[] } : undefined;
}

/** Deletes an intervention no claim uses; returns the number of claims using it otherwise. */
export async function deleteIntervention(tx: Transaction, slug: string): Promise<{ deleted: boolean; claims: number }> {
  const sqlite = tx.sqlite;
  const usage = prepared(
    sqlite,
    'SELECT i.id, (SELECT count(*) FROM claim_interventions ci WHERE ci.intervention_id = i.id) AS claims FROM interventions i WHERE i.slug = ?',
  ).get(slug) as { id: number; claims: number } | undefined;
  if (!usage) return { deleted: false, claims: 0 };
  if (usage.claims > 0) return { deleted: false, claims: usage.claims };
  prepared(sqlite, "DELETE FROM lookup_keys WHERE entity = 'intervention' AND entity_id = ?").run(usage.id);
  prepared(sqlite, 'DELETE FROM interventions WHERE id = ?').run(usage.id);
  return { deleted: true, claims: 0 };
}
