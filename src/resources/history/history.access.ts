// What a caller sees of the history: revisions that record a draft only with a key; API keys as `key:<id>` to everyone,
// with the key's name beside it (`actor_name`) for callers with a key.
import { and, eq, inArray, like } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Reader } from '../../store/client.js';
import { api_keys, claims, revisions } from '../../store/schema.js';
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

/** The claim ids a topic change mentions: its `claims` lists and the keys of its `claim_importance` maps. */
function topicClaimIds(changes: FieldChanges): string[] {
  const ids: string[] = [];
  for (const side of ['before', 'after'] as const) {
    const listed = changes.claims?.[side];
    if (Array.isArray(listed)) ids.push(...listed.filter((id): id is string => typeof id === 'string'));
    const rated = changes.claim_importance?.[side];
    if (rated !== null && typeof rated === 'object') ids.push(...Object.keys(rated));
  }
  return ids;
}

/**
 * `changes` of a topic revision without the claims that are drafts now: a topic may list a draft (the seed's does;
 * the topic's own representation leaves it out until it is published), and its id must not reach a caller without a
 * key through the topic's history either. Returns the same object when nothing is removed.
 */
function withoutDrafts(changes: FieldChanges, drafts: ReadonlySet<string>): FieldChanges {
  const out: FieldChanges = { ...changes };
  let removed = false;
  for (const field of ['claims', 'claim_importance'] as const) {
    const change = changes[field];
    if (!change) continue;
    const clean = (value: unknown): unknown => {
      if (Array.isArray(value)) {
        const kept = value.filter((id) => !drafts.has(id as string));
        removed ||= kept.length !== value.length;
        return kept;
      }
      if (value !== null && typeof value === 'object') {
        const kept = Object.entries(value).filter(([id]) => !drafts.has(id));
        removed ||= kept.length !== Object.keys(value).length;
        return Object.fromEntries(kept);
      }
      return value;
    };
    out[field] = { before: clean(change.before), after: clean(change.after) };
  }
  return removed ? out : changes;
}

/** Of `ids`, those of claims whose status is draft now. */
async function draftClaimIds(h: Reader, ids: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  const rows = await h.orm
    .select({ id: claims.id })
    .from(claims)
    .where(and(inArray(claims.id, unique), eq(claims.status, 'draft')));
  return new Set(rows.map((r) => r.id));
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
 * may then hold fewer than `limit`, even none, with the cursor still moving on), topic revisions do not name claims
 * that are drafts now, and `actor_name` is null; with a key,
 * every revision, and `actor_name` is the key's name for `key:<id>` actors (null for `seed`, `import:*`, ...).
 */
export async function visibleRevisions<T extends Item>(
  h: Reader,
  request: FastifyRequest,
  items: readonly T[],
): Promise<(T & { actor_name: string | null })[]> {
  if (!request.apiKey) {
    const drafts = await draftRevisions(h, items);
    const shown = items.filter((item) => !drafts.has(item.revision));
    const draftClaims = await draftClaimIds(
      h,
      shown.flatMap((item) => (item.entity === 'topic' ? topicClaimIds(item.changes) : [])),
    );
    return shown.map((item) => ({
      ...item,
      changes: item.entity === 'topic' ? withoutDrafts(item.changes, draftClaims) : item.changes,
      actor_name: null,
    }));
  }
  const names = await keyNames(h, items);
  return items.map((item) => ({ ...item, actor_name: names.get(item.actor) ?? null }));
}
