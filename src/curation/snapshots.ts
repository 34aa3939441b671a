// What a revision remembers of each kind of resource: claims as the API shows them (for reads as of a time), the
// others in the shape a curator writes them.

import { getClaim } from '../resources/claims/claims.queries.js';
import { conditionSnapshotOf } from '../resources/conditions/conditions.queries.js';
import type { Entity } from '../resources/history/history.queries.js';
import { interventionInputOf } from '../resources/interventions/interventions.queries.js';
import { studySnapshotOf } from '../resources/studies/studies.queries.js';
import { topicInputOf } from '../resources/topics/topics.queries.js';
import type { Reader } from '../store/client.js';

const withoutVersion = <T extends { version: number }>(value: T | undefined) => {
  if (!value) return null;
  const { version: _version, ...rest } = value;
  return rest as Record<string, unknown>;
};

/** The resource as a revision stores it, or null when it does not exist. */
export async function snapshotOf(h: Reader, entity: Entity, key: string): Promise<Record<string, unknown> | null> {
  switch (entity) {
    case 'claim':
      return ((await getClaim(h, key)) as Record<string, unknown> | undefined) ?? null;
    case 'study':
      return (await studySnapshotOf(h, key)) ?? null;
    case 'condition':
      return withoutVersion(await conditionSnapshotOf(h, key));
    case 'intervention':
      return withoutVersion(await interventionInputOf(h, key));
    case 'topic':
      return withoutVersion(await topicInputOf(h, key));
  }
}
