// GET /: a small index for people and crawlers who start at the root: what this is and where to go next.
import type { FastifyPluginAsync, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { APP_VERSION } from '../../version.js';

const IndexSchema = z
  .object({
    name: z.literal('Evidence API'),
    version: z.string().describe('The API build (package version); part of every ETag.'),
    data_version: z
      .string()
      .describe('`<database id>.<data version>`: changes with every write, so a client can tell when data moved.'),
    links: z
      .object({
        docs: z.string().describe('The interactive documentation (Swagger UI).'),
        openapi: z.string().describe('The OpenAPI 3.1 document.'),
        claims: z.string(),
        conditions: z.string(),
        interventions: z.string(),
        studies: z.string(),
        topics: z.string(),
        search: z.string().describe('An RFC 6570 URI template: `/v1/search{?q}` → `/v1/search?q=melanoma`.'),
        changes: z.string().describe('The change feed.'),
        releases: z
          .string()
          .describe('Bulk releases: the whole dataset as gzip NDJSON and SQLite files (`/v1/releases/latest`).'),
        health: z.string(),
        ready: z.string(),
      })
      .describe('Where to go next: root-relative paths, or absolute URLs under PUBLIC_BASE_URL when it is set.'),
  })
  .meta({ id: 'ApiIndex' });

const LINKS = {
  docs: '/docs',
  openapi: '/openapi.json',
  claims: '/v1/claims',
  conditions: '/v1/conditions',
  interventions: '/v1/interventions',
  studies: '/v1/studies',
  topics: '/v1/topics',
  search: '/v1/search{?q}',
  changes: '/v1/changes',
  releases: '/v1/releases',
  health: '/health',
  ready: '/ready',
};

export const rootRoutes: FastifyPluginAsync<
  { publicBaseUrl: string | undefined },
  RawServerDefault,
  ZodTypeProvider
> = async (app, { publicBaseUrl = '' }) => {
  const links = Object.fromEntries(Object.entries(LINKS).map(([name, path]) => [name, `${publicBaseUrl}${path}`]));
  app.get('/', {
    schema: {
      operationId: 'getIndex',
      tags: ['operations'],
      summary: 'Index',
      description:
        'What this service is, its version and data version, and links to the documentation, the OpenAPI document and the collections.',
      response: { 200: IndexSchema },
    },
    handler: async (request, reply) => {
      reply.header('cache-control', 'no-cache');
      return {
        name: 'Evidence API' as const,
        version: APP_VERSION,
        // The caching plugin has read the data tag, `<build>.<database id>.<data version>`, for this request.
        data_version: request.dataTag.slice(APP_VERSION.length + 1),
        links: links as z.infer<typeof IndexSchema>['links'],
      };
    },
  });
};
