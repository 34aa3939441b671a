// What a revision remembers of each kind of resource: claims as the API shows them (for reads as of a time), the
// others in the shape a curator writes them.

import { getClaim } from '../resources/claims/claims.queries.js';
import { conditionInputOf } from '../resources/conditions/conditions.queries.js';
import { type Action, type Entity, recordRevision } from '../resources/history/history.queries.js';
import { interventionInputOf } from '../resources/interventions/interventions.queries.js';
import { studyInputOf } from '../resources/studies/studies.queries.js';
import { topicInputOf } from '../resources/topics/topics.queries.js';
import type { Sqlite } from '../store/client.js';
import { prepared } from '../store/statements.js';

const withoutVersion = <T extends { version: number }>(value: T | undefined) => {
  if (!value) return null;
  const { version: _version, ...rest } = value;
  return rest as Record<string, unknown>;
};

export function snapshotOf(sqlite: Sqlite, entity: Entity, key: string): Record<string, unknown> | null {
  switch (entity) {
    case 'claim':
      return (getClaim(sqlite, key) as Record<string, unknown> | undefined) ?? null;
    case 'study':
      return withoutVersion(studyInputOf(sqlite, key));
    case 'condition':
      return withoutVersion(conditionInputOf(sqlite, key));
    case 'intervention':
      return withoutVersion(interventionInputOf(sqlite, key));
    case 'topic':
      return withoutVersion(topicInputOf(sqlite, key));
  }
}

function lastSnapshot(sqlite: Sqlite, entity: Entity, key: string): Record<string, unknown> | null {
  const row = prepared(
    sqlite,
    'SELECT snapshot FROM revisions WHERE entity = ? AND entity_key = ? ORDER BY id DESC LIMIT 1',
  ).get(entity, key) as { snapshot: string | null } | undefined;
  return row?.snapshot ? (JSON.parse(row.snapshot) as Record<string, unknown>) : null;
}

/**
 * Records a change that has just been written, in the same transaction. `before` defaults to the last recorded
 * snapshot, so importers need not read every row twice.
 */
export function recordChange(
  sqlite: Sqlite,
  change: { entity: Entity; key: string; action: Action; actor: string; reason?: string | null },
  before?: Record<string, unknown> | null,
): number {
  const after =
    change.action === 'delete' || change.action === 'purge' ? null : snapshotOf(sqlite, change.entity, change.key);
  return recordRevision(sqlite, {
    entity: change.entity,
    key: change.key,
    action: change.action,
    actor: change.actor,
    reason: change.reason ?? null,
    before: before === undefined ? lastSnapshot(sqlite, change.entity, change.key) : before,
    after,
  });
}
