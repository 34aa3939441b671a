// POST/PATCH/DELETE /v1/conditions: curated writes with history.
import { checkConditionRules } from '../../shared/evidence-rules.js';
import { resolveLookup } from '../../shared/lookup.queries.js';
import { PROBLEM_CODES } from '../../shared/problem.js';
import type { RoutePlugin } from '../../shared/route-types.js';
import { patchOf } from '../../shared/writes.js';
import { registerResourceWrites } from '../history/resource-writes.js';
import { conditionInputOf, deleteCondition, getCondition, upsertCondition } from './conditions.queries.js';
import { ConditionDetailSchema, ConditionInput } from './conditions.schemas.js';

// Built once at load: schema ids registered per app build would reorder the OpenAPI components.
const ConditionPatchBody = patchOf(ConditionInput, ['slug'], 'ConditionPatch');

export const conditionsWrites: RoutePlugin = async (app, { db }) => {
  registerResourceWrites<ConditionInput>(app, db, {
    entity: 'condition',
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
    upsert: upsertCondition,
    remove: (sqlite, slug) => {
      const result = deleteCondition(sqlite, slug);
      return result.deleted ? null : `${result.claims} claim(s) and ${result.children} sub-condition(s) refer to it`;
    },
    detail: (sqlite, slug) => getCondition(sqlite, resolveLookup(sqlite, 'condition', slug) ?? -1),
  });
};
