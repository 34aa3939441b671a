// SQL for interventions: prefix search, kind filter, keyset pages by slug, detail with claim counts.

import type { InterventionKind } from '../../evidence/vocabulary.js';
import { decodeCursor, paginate } from '../../http/pagination.js';
import { requirePrefix } from '../../http/text-queries.js';
import type { Reader, Transaction } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import { moreOf } from '../../store/dialect-more.js';
import { PREFIX_MATCH_SQL, replaceSynonyms, touch, writeLookupKeys } from '../../store/lookup.queries.js';
import type { GradeCountRow, Narrow, RowOf } from '../../store/rows.js';
import type { WriteOutcome } from '../conditions/conditions.queries.js';
import type { InterventionInput } from './interventions.schemas.js';

/** An intervention as interventionSelect reads it: its columns, its synonyms as JSON text, and its claim count. */
type InterventionRow = Narrow<
  RowOf<'interventions', 'id' | 'slug' | 'name' | 'kind' | 'description' | 'created_at' | 'updated_at'>,
  { kind: InterventionKind }
> & {
  /** JSON text: the synonyms in order. */
  synonyms: string;
  claim_count: number;
};

const interventionSelect = (h: Reader) =>
  moreOf(h).hints(`SELECT i.id, i.slug, i.name, i.kind, i.description,
    ${dialectOf(h).jsonArray('synonym', 'intervention_synonyms WHERE intervention_id = i.id', 'position')} AS synonyms,
    (SELECT count(*) FROM claim_interventions ci CROSS JOIN claims c ON c.id = ci.claim_id
      WHERE ci.intervention_id = i.id AND c.status = 'published') AS claim_count,
    i.created_at, i.updated_at
  FROM interventions i`);

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
    const [after] = decodeCursor(cursor, 'interventions', ['text']);
    params.after = after;
    where.push('i.slug > @after');
  }
  const sqlText = `${interventionSelect(h)} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.slug LIMIT @limit`;
  const rows = await h.all<InterventionRow>(sqlText, params);
  const result = paginate(rows, limit, 'interventions', (r) => [r.slug]);
  return { items: result.items.map(toIntervention), next_cursor: result.next_cursor };
}

export async function getIntervention(h: Reader, id: number) {
  const row = await h.get<InterventionRow>(`${interventionSelect(h)} WHERE i.id = ?`, [id]);
  if (!row) return undefined;
  const counts = await h.all<GradeCountRow>(
    moreOf(h).hints(`SELECT c.grade_scheme AS scheme, c.grade_level AS level, c.certainty, count(*) AS count
     FROM claim_interventions ci CROSS JOIN claims c ON c.id = ci.claim_id
     WHERE ci.intervention_id = ? AND c.status = 'published'
     GROUP BY c.grade_scheme, c.grade_level, c.certainty ORDER BY c.certainty DESC, c.grade_scheme, c.grade_level`),
    [id],
  );
  return { ...toIntervention(row), claim_counts_by_grade: counts };
}

/** Inserts or updates an intervention by slug; touches updated_at only when something changed. */
export async function upsertIntervention(tx: Transaction, input: InterventionInput): Promise<WriteOutcome> {
  const existing = await tx.get<RowOf<'interventions', 'id'>>('SELECT id FROM interventions WHERE slug = ?', [
    input.slug,
  ]);
  // RETURNING: the new row's id, and a row only when the insert or the update happened (the changes).
  const written = await tx.all<RowOf<'interventions', 'id'>>(
    `INSERT INTO interventions (slug, name, kind, description) VALUES (@slug, @name, @kind, @description)
     ON CONFLICT (slug) DO UPDATE SET name = excluded.name, kind = excluded.kind, description = excluded.description,
       updated_at = ${dialectOf(tx).now}
     WHERE interventions.name IS DISTINCT FROM excluded.name OR interventions.kind IS DISTINCT FROM excluded.kind
       OR interventions.description IS DISTINCT FROM excluded.description
     RETURNING id`,
    { slug: input.slug, name: input.name, kind: input.kind, description: input.description },
  );
  const result = { changes: written.length };
  const id = existing?.id ?? written[0]?.id;
  if (id === undefined) throw new Error(`intervention ${input.slug}: the insert returned no id`);
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
  const row = await h.get<
    Narrow<RowOf<'interventions', 'slug' | 'name' | 'kind' | 'description' | 'version'>, { kind: InterventionKind }> & {
      /** JSON text: the synonyms in order. */
      synonyms: string;
    }
  >(
    `SELECT i.slug, i.name, i.kind, i.description, i.version,
       ${dialectOf(h).jsonArray('synonym', 'intervention_synonyms WHERE intervention_id = i.id', 'position')} AS synonyms
     FROM interventions i WHERE i.slug = ?`,
    [slug],
  );
  return row ? { ...row, synonyms: JSON.parse(row.synonyms) as string[] } : undefined;
}

/** Deletes an intervention no claim uses; returns the number of claims using it otherwise. */
export async function deleteIntervention(tx: Transaction, slug: string): Promise<{ deleted: boolean; claims: number }> {
  const usage = await tx.get<RowOf<'interventions', 'id'> & { claims: number }>(
    'SELECT i.id, (SELECT count(*) FROM claim_interventions ci WHERE ci.intervention_id = i.id) AS claims FROM interventions i WHERE i.slug = ?',
    [slug],
  );
  if (!usage) return { deleted: false, claims: 0 };
  if (usage.claims > 0) return { deleted: false, claims: usage.claims };
  await tx.run("DELETE FROM lookup_keys WHERE entity = 'intervention' AND entity_id = ?", [usage.id]);
  await tx.run('DELETE FROM interventions WHERE id = ?', [usage.id]);
  return { deleted: true, claims: 0 };
}
