// buildApp: the whole Fastify wiring in one place. It receives config and database and never listens.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDatabase } from './db/client.js';
import { cachingPlugin } from './plugins/caching.js';
import { openapiPlugin } from './plugins/openapi.js';
import { problemDetailsPlugin, sendProblem } from './plugins/problem-details.js';
import { serializerCompiler } from './plugins/serializer.js';
import { citationsRoutes } from './resources/citations/citations.routes.js';
import { claimsRoutes } from './resources/claims/claims.routes.js';
import { conditionsRoutes } from './resources/conditions/conditions.routes.js';
import { healthRoutes } from './resources/health/health.routes.js';
import { interventionsRoutes } from './resources/interventions/interventions.routes.js';
import { searchRoutes } from './resources/search/search.routes.js';
import { studiesRoutes } from './resources/studies/studies.routes.js';
import { topicsRoutes } from './resources/topics/topics.routes.js';
import { ApiProblem } from './shared/problem.js';
import { APP_VERSION } from './version.js';

export interface BuildAppOptions {
  db: AppDatabase;
  logger?: FastifyServerOptions['logger'];
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_PARAM_LENGTH = 200;

export async function buildApp({
  db,
  logger = false,
  requestTimeoutMs = 30_000,
  connectionTimeoutMs = 10_000,
}: BuildAppOptions) {
  const app = Fastify({
    logger,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: connectionTimeoutMs,
    // Keep a caller's id (for tracing across services) when it is sane; otherwise mint one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // Errors the router raises before any route runs still leave as problem+json.
    frameworkErrors: (error, request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      return sendProblem(
        request,
        reply,
        new ApiProblem(
          tooLong ? 414 : 400,
          tooLong ? 'request.path_parameter_too_long' : 'request.bad_url',
          'Invalid request',
          tooLong
            ? `A path parameter is longer than ${MAX_PARAM_LENGTH} characters.`
            : 'The URL is not valid: check its percent-encoding.',
        ),
      );
    },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(problemDetailsPlugin);
  await app.register(openapiPlugin, { version: APP_VERSION });
  await app.register(cachingPlugin, { db, buildId: APP_VERSION });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });

  const routeOptions = { db };
  await app.register(healthRoutes, routeOptions);
  await app.register(claimsRoutes, routeOptions);
  await app.register(conditionsRoutes, routeOptions);
  await app.register(interventionsRoutes, routeOptions);
  await app.register(studiesRoutes, routeOptions);
  await app.register(topicsRoutes, routeOptions);
  await app.register(citationsRoutes, routeOptions);
  await app.register(searchRoutes, routeOptions);

  app.addHook('onClose', async () => db.close());
  return app;
}
