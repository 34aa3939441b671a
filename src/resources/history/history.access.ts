// What a caller sees of the history: revisions that record a draft only with a key; API keys as `key:<id>` to everyone,
// with the key's name beside it (`actor_name`) for callers with a key.
import { and, inArray, like } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Reader } from '../../store/client.js';
import { api_keys, revisions } from '../../store/schema.js';
import type { FieldChanges } from './history.queries.js';

interface Item {
  revision: number;
  entity: string;
  action: string;
  actor: string;
  changes: FieldChanges;
}

const KEY_ACTOR = /^key:(\d+)$/;

/**
 * The revisions among `items` that record a claim as a draft: those whose snapshot (the claim after the change) has
 * status `draft`, and purges of a draft (no snapshot; the status before is in `changes`). The snapshot is matched as
 * text, `"status":"draft"`: the claim's own status is the only `status` member of its representation, and a quote
 * inside a string value is escaped, so no text field can forge it. A page's claim snapshots are never parsed.
 */
async function draftRevisions(h: Reader, items: readonly Item[]): Promise<Set<number>> {
  const drafts = new Set<number>();
  const claimIds: number[] = [];
  for (const item of items) {
    if (item.entity !== 'claim') continue;
    if (item.action === 'purge') {
      if (item.changes.status?.before === 'draft') drafts.add(item.revision);
    } else claimIds.push(item.revision);
  }
  // Bounded by the page (at most 1000 revisions), well under SQLite's 32,766 bound parameters.
  if (claimIds.length === 0) return drafts;
  const rows = await h.orm
    .select({ id: revisions.id })
    .from(revisions)
    .where(and(inArray(revisions.id, claimIds), like(revisions.snapshot, '%"status":"draft"%')));
  for (const row of rows) drafts.add(row.id);
  return drafts;
}

/** Key names by id for the `key:<id>` actors among `items` (a revoked key keeps its name). */
async function keyNames(h: Reader, items: readonly Item[]): Promise<Map<string, string>> {
  const ids = [...new Set(items.flatMap((i) => KEY_ACTOR.exec(i.actor)?.[1] ?? []).map(Number))];
  if (ids.length === 0) return new Map();
  const rows = await h.orm
    .select({ id: api_keys.id, name: api_keys.name })
    .from(api_keys)
    .where(inArray(api_keys.id, ids));
  return new Map(rows.map((r) => [`key:${r.id}`, r.name]));
}

/**
 * One page of revisions as `request`'s caller sees it: without a key, revisions recording a draft are left out (a page
 * may then hold fewer than `limit`, even none, with the cursor still moving on) and `actor_name` is null; with a key,
 * every revision, and `actor_name` is the key's name for `key:<id>` actors (null for `seed`, `import:*`, ...).
 */
export async function visibleRevisions<T extends Item>(
  h: Reader,
  request: FastifyRequest,
  items: readonly T[],
): Promise<(T & { actor_name: string | null })[]> {
  if (!request.apiKey) {
    const drafts = await draftRevisions(h, items);
    return items.filter((item) => !drafts.has(item.revision)).map((item) => ({ ...item, actor_name: null }));
  }
  const names = await keyNames(h, items);
  return items.map((item) => ({ ...item, actor_name: names.get(item.actor) ?? null }));
}
