// GET /v1/conditions and /v1/conditions/{slug}: the condition vocabulary, findable by anything people type.
import { z } from 'zod';
import { notFoundProblem } from '../../http/api-schemas.js';
import { resourceEtag } from '../../http/concurrency.js';
import { notFound, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { rowTagById } from '../../store/data-version.queries.js';
import { getConditionDetail } from './conditions.detail.js';
import { listConditions } from './conditions.queries.js';
import { requireCondition, resolveCondition } from './conditions.resolve.js';
import { ConditionDetailSchema, ConditionListQuery, ConditionListSchema } from './conditions.schemas.js';

export const conditionsRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/conditions', {
    schema: {
      operationId: 'listConditions',
      tags: ['conditions'],
      summary: 'List conditions',
      description: 'Conditions in slug order; `q` matches the start of any word of a name or synonym, or a code.',
      querystring: ConditionListQuery,
      response: { 200: ConditionListSchema },
    },
    handler: async (request) => await listConditions(db, request.query.q, request.query.limit, request.query.cursor),
  });

  app.get('/v1/conditions/:slug', {
    schema: {
      operationId: 'getCondition',
      tags: ['conditions'],
      summary: 'Get a condition',
      description:
        "A condition with its synonyms (curated, and from the ontology with their scope), codes (DOID, MeSH, the ontology term's cross-references and older ids), parents and children (curated and ontology links: the hierarchy is a graph), published claim counts by grade over all its descendants, and the answer cards (topics) about it or any descendant. The path accepts the slug, or any name, synonym, code (`DOID:1909`, `NCI:C3224`) or curated abbreviation (`AML`), case- and accent-insensitive; one that names several conditions is a 400 `conditions.ambiguous` listing the `candidates`.",
      params: z.object({
        slug: z.string().min(1).max(200).describe('Slug, name, synonym or code.').meta({ example: 'eczema' }),
      }),
      response: { 200: ConditionDetailSchema, 404: notFoundProblem('conditions') },
    },
    handler: async (request, reply) => {
      const match = await resolveCondition(db, request.params.slug);
      if ('ambiguous' in match) await requireCondition(db, request.params.slug, 'params.slug');
      const id = 'ambiguous' in match ? undefined : match.id;
      // The tag is read before the body: a write in between makes the tag older than the body, never newer.
      const tag = id === undefined ? undefined : await rowTagById(db, 'conditions', id);
      const condition = id === undefined ? undefined : await getConditionDetail(db, id);
      if (!condition || !tag)
        throw notFound(PROBLEM_CODES.conditionNotFound, `No condition is known by '${request.params.slug}'.`);
      reply.header('etag', resourceEtag(request.dataTag, 'conditions', tag));
      return condition;
    },
  });
};
