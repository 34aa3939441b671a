// SQL for history: revisions written in the same transaction as each change, the change feed, and reads as of a time.

import { decodeCursor, encodeCursor, paginate } from '../../http/pagination.js';
import type { Reader, Transaction } from '../../store/client.js';
import { prepared } from '../../store/statements.js';

export const ENTITIES = ['claim', 'study', 'condition', 'intervention', 'topic'] as const;
export type Entity = (typeof ENTITIES)[number];
/** `review`: a curator reviewed a claim that awaited review (retracted evidence). */
export const ACTIONS = ['create', 'update', 'retract', 'delete', 'purge', 'review'] as const;
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
  const sqlite = tx.sqlite;
  const result = prepared(
    sqlite,
    `INSERT INTO revisions (entity, entity_key, action, actor, reason, changes, snapshot)
     VALUES (@entity, @key, @action, @actor, @reason, @changes, @snapshot)`,
  ).run({
    entity: input.entity,
    key: input.key,
    action: input.action,
    actor: input.actor,
    reason: input.reason,
    changes: JSON.stringify(diff(input.before, input.after)),
    snapshot: input.after === null ? null : JSON.stringify(input.after),
  });
  return Number(result.lastInsertRowid);
}

interface RevisionRow {
  id: number;
  entity: Entity;
  entity_key: string;
  action: Action;
  actor: string;
  reason: string | null;
  changes: string;
  created_at: string;
}

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

/** A resource's revisions, newest first. */
export async function listRevisions(h: Reader, entity: Entity, key: string, limit: number, cursor: string | undefined) {
  const sqlite = h.sqlite;
  const scope = `revisions:${entity}:${key}`;
  const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(decodeCursor(cursor, scope, 1)[0]);
  const rows = prepared(
    sqlite,
    `SELECT id, entity, entity_key, action, actor, reason, changes, created_at FROM revisions
     WHERE entity = ? AND entity_key = ? AND id < ? ORDER BY id DESC LIMIT ?`,
  ).all(entity, key, before, limit + 1) as RevisionRow[];
  const page = paginate(rows, limit, scope, (r) => [r.id]);
  return { items: page.items.map(toRevision), next_cursor: page.next_cursor };
}

/**
 * Changes in commit order after a cursor. Revision ids are assigned inside each write's transaction, and SQLite has
 * one writer at a time, so id order is commit order and a cursor never skips a change that commits later.
 */
export async function listChanges(h: Reader, since: string | undefined, limit: number) {
  const sqlite = h.sqlite;
  const after = since === undefined ? 0 : Number(decodeCursor(since, 'changes', 1)[0]);
  const rows = prepared(
    sqlite,
    `SELECT id, entity, entity_key, action, actor, reason, changes, created_at FROM revisions
     WHERE id > ? ORDER BY id LIMIT ?`,
  ).all(after, limit + 1) as RevisionRow[];
  const items = rows.slice(0, limit);
  const last = items.length > 0 ? (items[items.length - 1] as RevisionRow).id : after;
  return {
    items: items.map(toRevision),
    next_cursor: encodeCursor('changes', [last]),
    has_more: rows.length > limit,
  };
}

/** The resource as it was at a moment: the snapshot of its last revision at or before `asOf`. */
export async function snapshotAt(h: Reader, entity: Entity, key: string, asOf: string) {
  const sqlite = h.sqlite;
  const row = prepared(
    sqlite,
    `SELECT action, snapshot, created_at FROM revisions WHERE entity = ? AND entity_key = ? AND created_at <= ?
     ORDER BY id DESC LIMIT 1`,
  ).get(entity, key, asOf) as { action: Action; snapshot: string | null; created_at: string } | undefined;
  if (!row) return { found: false as const };
  if (row.snapshot === null) return { found: false as const, deletedAt: row.created_at };
  return { found: true as const, snapshot: JSON.parse(row.snapshot) as Record<string, unknown>, at: row.created_at };
}
