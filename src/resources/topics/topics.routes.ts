// GET /v1/topics and /v1/topics/{slug}: consumer questions answered from graded claims.
import { z } from 'zod';
import { notFoundProblem, Slug } from '../../http/api-schemas.js';
import { resourceEtag } from '../../http/concurrency.js';
import { notFound, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { rowTag } from '../../store/data-version.queries.js';
import { requireCondition } from '../conditions/conditions.resolve.js';
import { getTopic, listTopics } from './topics.queries.js';
import { TopicDetailSchema, TopicListQuery, TopicListSchema } from './topics.schemas.js';

export const topicsRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/topics', {
    schema: {
      operationId: 'listTopics',
      tags: ['topics'],
      summary: 'List topics',
      description:
        'Consumer questions with their bottom lines and overall certainty, in slug order. `condition` finds the answer cards with a published claim about that condition, including every descendant through the condition hierarchy unless `include_descendants=false` (as for claims); an unknown condition is a 400 naming the parameter, an ambiguous one a 400 listing the candidates.',
      querystring: TopicListQuery,
      response: { 200: TopicListSchema },
    },
    handler: async (request) => {
      const q = request.query;
      // Resolved as for claims: any spelling, code or curated abbreviation; an ambiguous one is a 400 with candidates.
      const conditionId =
        q.condition === undefined ? undefined : await requireCondition(db, q.condition, 'query.condition');
      return await listTopics(
        db,
        q.include_descendants ? { condition_tree: conditionId } : { condition_id: conditionId },
        q.limit,
        q.cursor,
      );
    },
  });

  app.get('/v1/topics/:slug', {
    schema: {
      operationId: 'getTopic',
      tags: ['topics'],
      summary: 'Get a topic answer card',
      description:
        "The question, the bottom line, the topic's overall certainty (the lowest among its critical claims, GRADE's rule), the evidence summary and the published claims with their grades, caveats and studies, in the curated order: what a health app needs for an answer card.",
      params: z.object({ slug: Slug.describe('Topic slug.').meta({ example: 'gut-microbiome-and-skin' }) }),
      response: { 200: TopicDetailSchema, 404: notFoundProblem('topics') },
    },
    handler: async (request, reply) => {
      // The tag is read before the body: a write in between makes the tag older than the body, never newer.
      const tag = await rowTag(db, 'topics', request.params.slug);
      const topic = await getTopic(db, request.params.slug);
      if (!topic || !tag) throw notFound(PROBLEM_CODES.topicNotFound, `No topic has slug '${request.params.slug}'.`);
      reply.header('etag', resourceEtag(request.dataTag, 'topics', tag));
      return topic;
    },
  });
};
