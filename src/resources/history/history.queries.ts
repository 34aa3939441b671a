// SQL for history: revisions written in the same transaction as each change, the change feed, and reads as of a time.

import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import type { Reader, Transaction } from '../../store/client.js';
import type { Narrow, RowOf } from '../../store/rows.js';

export const ENTITIES = ['claim', 'study', 'condition', 'intervention', 'topic'] as const;
export type Entity = (typeof ENTITIES)[number];
/**
 * `review`: a curator reviewed a claim that awaited review (retracted evidence). `publish` and `restore`: a claim's
 * status moved by its own operation (draft to published; retracted back to what it was), like `retract`.
 */
export const ACTIONS = ['create', 'update', 'retract', 'delete', 'purge', 'review', 'publish', 'restore'] as const;
export type Action = (typeof ACTIONS)[number];

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

const IGNORED = new Set(['created_at', 'updated_at', 'version']);

/** Top-level fields that differ between two snapshots (either may be null: created or deleted). */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChanges {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: FieldChanges = {};
  for (const key of keys) {
    if (IGNORED.has(key)) continue;
    const b = before?.[key] ?? null;
    const a = after?.[key] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) changes[key] = { before: b, after: a };
  }
  return changes;
}

export interface RevisionInput {
  entity: Entity;
  key: string;
  action: Action;
  actor: string;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Call inside the change's own transaction: the change and its record commit or vanish together. */
export async function recordRevision(tx: Transaction, input: RevisionInput): Promise<number> {
  const [row] = await tx.all<RowOf<'revisions', 'id'>>(
    `INSERT INTO revisions (entity, entity_key, action, actor, reason, changes, snapshot)
     VALUES (@entity, @key, @action, @actor, @reason, @changes, @snapshot) RETURNING id`,
    {
      entity: input.entity,
      key: input.key,
      action: input.action,
      actor: input.actor,
      reason: input.reason,
      changes: JSON.stringify(diff(input.before, input.after)),
      snapshot: input.after === null ? null : JSON.stringify(input.after),
    },
  );
  if (!row) throw new Error('INSERT ... RETURNING gave no revision id');
  return row.id;
}

type RevisionRow = Narrow<
  RowOf<'revisions', 'id' | 'entity' | 'entity_key' | 'action' | 'actor' | 'reason' | 'changes' | 'created_at'>,
  { entity: Entity; action: Action }
>;

function toRevision(r: RevisionRow) {
  return {
    revision: r.id,
    entity: r.entity,
    key: r.entity_key,
    action: r.action,
    actor: r.actor,
    reason: r.reason,
    changes: JSON.parse(r.changes) as FieldChanges,
    at: r.created_at,
  };
}

/**
 * Bytes of revisions one page of the change feed or of a resource's revisions may carry (their `changes` and
 * `reason`, plus a fixed allowance per item): pages stop at `limit` items or at this budget, whichever comes first,
 * and always hold at least one item, so a client always moves forward. Without it, `limit=1000` over revisions of
 * large texts answered 134 MB, and 8 such requests at once took the server to 3.9 GB.
 */
export const PAGE_BYTE_BUDGET = 1024 * 1024;
/** What an item costs beyond its `changes` and `reason`: ids, action, actor, time and JSON punctuation. */
const ITEM_OVERHEAD_BYTES = 256;

/**
 * How many of the rows (id and size, in page order) fit the byte budget: at least one, at most all. Sizes come from
 * `octet_length`, which SQLite answers from the record header without reading the text itself.
 */
function rowsWithinBudget(sizes: readonly { bytes: number }[], budget: number): number {
  let total = 0;
  for (let i = 0; i < sizes.length; i++) {
    total += (sizes[i]?.bytes ?? 0) + ITEM_OVERHEAD_BYTES;
    if (total > budget) return Math.max(1, i);
  }
  return sizes.length;
}

/**
 * The largest revision id (PostgreSQL's integer): cursor positions are clamped to it, so a made-up cursor past it
 * binds on either engine (and finds nothing) instead of overflowing the parameter.
 */
const MAX_REVISION_ID = 2 ** 31 - 1;

const SIZE = 'octet_length(changes) + coalesce(octet_length(reason), 0) AS bytes';

/** A resource's revisions, newest first, at most `limit` and about `budget` bytes per page (see PAGE_BYTE_BUDGET). */
export async function listRevisions(
  h: Reader,
  entity: Entity,
  key: string,
  limit: number,
  cursor: string | undefined,
  budget = PAGE_BYTE_BUDGET,
) {
  const scope = `revisions:${entity}:${key}`;
  const before = Math.min(
    MAX_REVISION_ID,
    cursor === undefined ? MAX_REVISION_ID : Number(decodeCursor(cursor, scope, ['integer'])[0]),
  );
  const sizes = await h.all<RowOf<'revisions', 'id'> & { bytes: number }>(
    `SELECT id, ${SIZE} FROM revisions WHERE entity = ? AND entity_key = ? AND id < ? ORDER BY id DESC LIMIT ?`,
    [entity, key, before, limit + 1],
  );
  const fits = Math.min(limit, rowsWithinBudget(sizes, budget));
  if (sizes.length === 0) return { items: [], next_cursor: null };
  const last = sizes[fits - 1]?.id ?? before;
  // Bounded on both sides by what was sized: a revision committed in between belongs to no page of this walk.
  const rows = await h.all<RevisionRow>(
    `SELECT id, entity, entity_key, action, actor, reason, changes, created_at FROM revisions
     WHERE entity = ? AND entity_key = ? AND id <= ? AND id >= ? ORDER BY id DESC`,
    [entity, key, sizes[0]?.id, last],
  );
  // The budget may end a page before `limit`: there is more whenever a row was left out.
  const more = sizes.length > fits && rows.length > 0;
  return { items: rows.map(toRevision), next_cursor: more ? encodeCursor(scope, [last]) : null };
}

/**
 * Changes in commit order after a cursor, at most `limit` and about `budget` bytes per page (see PAGE_BYTE_BUDGET).
 * Revision ids are assigned inside each write's transaction, and SQLite has one writer at a time, so id order is
 * commit order and a cursor never skips a change that commits later.
 */
export async function listChanges(h: Reader, since: string | undefined, limit: number, budget = PAGE_BYTE_BUDGET) {
  const after = Math.min(
    MAX_REVISION_ID,
    since === undefined ? 0 : Number(decodeCursor(since, 'changes', ['integer'], 'since')[0]),
  );
  const sizes = await h.all<RowOf<'revisions', 'id'> & { bytes: number }>(
    `SELECT id, ${SIZE} FROM revisions WHERE id > ? ORDER BY id LIMIT ?`,
    [after, limit + 1],
  );
  const fits = Math.min(limit, rowsWithinBudget(sizes, budget));
  const last = sizes[fits - 1]?.id ?? after;
  const items = await h.all<RevisionRow>(
    `SELECT id, entity, entity_key, action, actor, reason, changes, created_at FROM revisions
     WHERE id > ? AND id <= ? ORDER BY id`,
    [after, last],
  );
  return {
    items: items.map(toRevision),
    next_cursor: encodeCursor('changes', [last]),
    has_more: sizes.length > fits,
  };
}

/** The resource as it was at a moment: the snapshot of its last revision at or before `asOf`. */
export async function snapshotAt(h: Reader, entity: Entity, key: string, asOf: string) {
  const row = await h.get<Narrow<RowOf<'revisions', 'action' | 'snapshot' | 'created_at'>, { action: Action }>>(
    `SELECT action, snapshot, created_at FROM revisions WHERE entity = ? AND entity_key = ? AND created_at <= ?
     ORDER BY id DESC LIMIT 1`,
    [entity, key, asOf],
  );
  if (!row) return { found: false as const };
  if (row.snapshot === null) return { found: false as const, deletedAt: row.created_at };
  return { found: true as const, snapshot: JSON.parse(row.snapshot) as Record<string, unknown>, at: row.created_at };
}
