// GET /v1/topics and /v1/topics/{slug}: consumer questions answered from graded claims.
import { z } from 'zod';
import { notFoundProblem, Slug } from '../../http/api-schemas.js';
import { resourceEtag } from '../../http/concurrency.js';
import { notFound, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { rowTag } from '../../store/data-version.queries.js';
import { getTopic, listTopics } from './topics.queries.js';
import { TopicDetailSchema, TopicListQuery, TopicListSchema } from './topics.schemas.js';

export const topicsRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/topics', {
    schema: {
      operationId: 'listTopics',
      tags: ['topics'],
      summary: 'List topics',
      description: 'Consumer questions with their bottom lines, in slug order.',
      querystring: TopicListQuery,
      response: { 200: TopicListSchema },
    },
    handler: async (request) => await listTopics(db, request.query.limit, request.query.cursor),
  });

  app.get('/v1/topics/:slug', {
    schema: {
      operationId: 'getTopic',
      tags: ['topics'],
      summary: 'Get a topic answer card',
      description:
        'The question, the bottom line, the evidence summary and the published claims with their grades, caveats and studies, in the curated order: what a health app needs for an answer card.',
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
