// POST/PATCH/DELETE /v1/interventions: curated writes with history.

import { checkInterventionRules } from '../../evidence/rules.js';
import { PROBLEM_CODES } from '../../http/problem.js';
import { registerResourceWrites } from '../../http/resource-writes.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { patchOf } from '../../http/writes.js';
import { resolveLookup } from '../../store/lookup.queries.js';
import { getIntervention, interventionInputOf } from './interventions.queries.js';
import { InterventionDetailSchema, InterventionInput } from './interventions.schemas.js';

// Built once at load: schema ids registered per app build would reorder the OpenAPI components.
const InterventionPatchBody = patchOf(InterventionInput, ['slug'], 'InterventionPatch');

export const interventionsWrites: RoutePlugin = async (app, { db }) => {
  registerResourceWrites<InterventionInput>(app, db, {
    entity: 'intervention',
    table: 'interventions',
    path: '/v1/interventions',
    param: 'slug',
    keyField: 'slug',
    noun: 'intervention',
    tag: 'interventions',
    notFoundCode: PROBLEM_CODES.interventionNotFound,
    createBody: InterventionInput,
    patchBody: InterventionPatchBody,
    response: InterventionDetailSchema,
    load: interventionInputOf,
    rules: checkInterventionRules,
    upsert: (changes, input) => changes.upsertIntervention(input),
    remove: async (changes, slug) => {
      const result = await changes.deleteIntervention(slug);
      return result.deleted ? null : `${result.claims} claim(s) use it`;
    },
    detail: async (h, slug) => getIntervention(h, (await resolveLookup(h, 'intervention', slug)) ?? -1),
  });
};
