// POST/PATCH/DELETE /v1/topics: curated answer cards with history.
import { checkTopicRules } from '../../evidence/rules.js';
import { PROBLEM_CODES } from '../../http/problem.js';
import { registerResourceWrites } from '../../http/resource-writes.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { patchOf } from '../../http/writes.js';
import { getTopic, topicInputOf } from './topics.queries.js';
import { TopicDetailSchema, TopicInput } from './topics.schemas.js';

// Built once at load: schema ids registered per app build would reorder the OpenAPI components.
const TopicPatchBody = patchOf(TopicInput, ['slug'], 'TopicPatch');

export const topicsWrites: RoutePlugin = async (app, { db }) => {
  registerResourceWrites<TopicInput>(app, db, {
    entity: 'topic',
    table: 'topics',
    path: '/v1/topics',
    param: 'slug',
    keyField: 'slug',
    noun: 'topic',
    tag: 'topics',
    notFoundCode: PROBLEM_CODES.topicNotFound,
    createBody: TopicInput,
    patchBody: TopicPatchBody,
    response: TopicDetailSchema,
    load: topicInputOf,
    // A new list of claims without new importances keeps the importances of the claims still listed.
    merge: (existing, patch) => {
      const merged = { ...existing, ...patch };
      if (patch.claims === undefined || patch.claim_importance !== undefined) return merged;
      const kept = Object.entries(existing.claim_importance).filter(([id]) => patch.claims?.includes(id));
      return { ...merged, claim_importance: Object.fromEntries(kept) };
    },
    rules: checkTopicRules,
    upsert: (changes, input) => changes.upsertTopic(input),
    remove: async (changes, slug) => ((await changes.deleteTopic(slug)) ? null : 'it could not be deleted'),
    detail: getTopic,
  });
};
