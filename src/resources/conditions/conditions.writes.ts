// POST/PATCH/DELETE /v1/conditions: curated writes with history.
import { checkConditionRules } from '../../evidence/rules.js';
import { PROBLEM_CODES } from '../../http/problem.js';
import { registerResourceWrites } from '../../http/resource-writes.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { patchOf } from '../../http/writes.js';
import { getConditionDetail } from './conditions.detail.js';
import { conditionInputOf } from './conditions.queries.js';
import { resolveCondition } from './conditions.resolve.js';
import { ConditionDetailSchema, ConditionInput } from './conditions.schemas.js';

// Built once at load: schema ids registered per app build would reorder the OpenAPI components.
const ConditionPatchBody = patchOf(ConditionInput, ['slug'], 'ConditionPatch');

export const conditionsWrites: RoutePlugin = async (app, { db }) => {
  registerResourceWrites<ConditionInput>(app, db, {
    entity: 'condition',
    table: 'conditions',
    path: '/v1/conditions',
    param: 'slug',
    keyField: 'slug',
    noun: 'condition',
    tag: 'conditions',
    notFoundCode: PROBLEM_CODES.conditionNotFound,
    createBody: ConditionInput,
    patchBody: ConditionPatchBody,
    response: ConditionDetailSchema,
    load: conditionInputOf,
    rules: checkConditionRules,
    upsert: (changes, input) => changes.upsertCondition(input),
    remove: async (changes, slug) => {
      const result = await changes.deleteCondition(slug);
      return result.deleted ? null : `${result.claims} claim(s) and ${result.children} sub-condition(s) refer to it`;
    },
    detail: async (h, slug) => {
      const match = await resolveCondition(h, slug);
      return getConditionDetail(h, ('ambiguous' in match ? undefined : match.id) ?? -1);
    },
  });
};
