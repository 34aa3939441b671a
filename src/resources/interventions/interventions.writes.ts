// POST/PATCH/DELETE /v1/interventions: curated writes with history.
import { resolveLookup } from '../../shared/lookup.queries.js';
import { PROBLEM_CODES } from '../../shared/problem.js';
import type { RoutePlugin } from '../../shared/route-types.js';
import { patchOf } from '../../shared/writes.js';
import { registerResourceWrites } from '../history/resource-writes.js';
import {
  deleteIntervention,
  getIntervention,
  interventionInputOf,
  upsertIntervention,
} from './interventions.queries.js';
import { InterventionDetailSchema, InterventionInput } from './interventions.schemas.js';

// Built once at load: schema ids registered per app build would reorder the OpenAPI components.
const InterventionPatchBody = patchOf(InterventionInput, ['slug'], 'InterventionPatch');

export const interventionsWrites: RoutePlugin = async (app, { db }) => {
  registerResourceWrites<InterventionInput>(app, db, {
    entity: 'intervention',
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
    rules: () => {},
    upsert: upsertIntervention,
    remove: (sqlite, slug) => {
      const result = deleteIntervention(sqlite, slug);
      return result.deleted ? null : `${result.claims} claim(s) use it`;
    },
    detail: (sqlite, slug) => getIntervention(sqlite, resolveLookup(sqlite, 'intervention', slug) ?? -1),
  });
};
