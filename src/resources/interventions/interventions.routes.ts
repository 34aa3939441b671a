// GET /v1/interventions and /v1/interventions/{slug}: treatments and exposures that claims are about.
import { z } from 'zod';
import { notFoundProblem } from '../../http/api-schemas.js';
import { resourceEtag } from '../../http/concurrency.js';
import { notFound, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { rowTagById } from '../../store/data-version.queries.js';
import { resolveLookup } from '../../store/lookup.queries.js';
import { getIntervention, listInterventions } from './interventions.queries.js';
import { InterventionDetailSchema, InterventionListQuery, InterventionListSchema } from './interventions.schemas.js';

export const interventionsRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/interventions', {
    schema: {
      operationId: 'listInterventions',
      tags: ['interventions'],
      summary: 'List interventions',
      description:
        'Interventions (treatments and exposures) in slug order; `q` matches the start of any word of a name or synonym.',
      querystring: InterventionListQuery,
      response: { 200: InterventionListSchema },
    },
    handler: async (request) => {
      const { q, kind, limit, cursor } = request.query;
      return await listInterventions(db, { q, kind }, limit, cursor);
    },
  });

  app.get('/v1/interventions/:slug', {
    schema: {
      operationId: 'getIntervention',
      tags: ['interventions'],
      summary: 'Get an intervention',
      description:
        'An intervention with its synonyms and published claim counts by grade. The path accepts the slug, name or a synonym.',
      params: z.object({
        slug: z.string().min(1).max(200).describe('Slug, name or synonym.').meta({ example: 'oral-probiotics' }),
      }),
      response: { 200: InterventionDetailSchema, 404: notFoundProblem('interventions') },
    },
    handler: async (request, reply) => {
      const id = await resolveLookup(db, 'intervention', request.params.slug);
      // The tag is read before the body: a write in between makes the tag older than the body, never newer.
      const tag = id === undefined ? undefined : await rowTagById(db, 'interventions', id);
      const intervention = id === undefined ? undefined : await getIntervention(db, id);
      if (!intervention || !tag)
        throw notFound(PROBLEM_CODES.interventionNotFound, `No intervention is known by '${request.params.slug}'.`);
      reply.header('etag', resourceEtag(request.dataTag, 'interventions', tag));
      return intervention;
    },
  });
};
