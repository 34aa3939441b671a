// buildApp: the whole Fastify wiring in one place. It receives config and database and never listens.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Config, DEFAULT_CONFIG } from './config.js';
import { ApiProblem } from './http/problem.js';
import { mcpRoutes } from './mcp/mcp.routes.js';
import { authPlugin, containsKey } from './plugins/auth.js';
import { cachingPlugin } from './plugins/caching.js';
import { compressionPlugin } from './plugins/compression.js';
import { controlCharactersPlugin } from './plugins/control-characters.js';
import { draftsPlugin } from './plugins/drafts.js';
import { fairSharePlugin } from './plugins/fair-share.js';
import { corsPlugin, hardeningPlugin } from './plugins/hardening.js';
import { openapiPlugin } from './plugins/openapi.js';
import { clientErrorHandler, problemDetailsPlugin, sendProblem } from './plugins/problem-details.js';
import { readReplicasPlugin } from './plugins/read-replicas.js';
import { responseCachePlugin } from './plugins/response-cache.js';
import { serializerCompiler } from './plugins/serializer.js';
import { cslJsonCitationsRoutes } from './resources/citations/citations.csl-json.routes.js';
import { citationsRoutes } from './resources/citations/citations.routes.js';
import { claimsRoutes } from './resources/claims/claims.routes.js';
import { claimsWrites } from './resources/claims/claims.writes.js';
import { conditionsRoutes } from './resources/conditions/conditions.routes.js';
import { conditionsWrites } from './resources/conditions/conditions.writes.js';
import { fhirRoutes } from './resources/fhir/fhir.routes.js';
import { healthRoutes } from './resources/health/health.routes.js';
import { historyRoutes } from './resources/history/history.routes.js';
import { importsRoutes } from './resources/imports/imports.routes.js';
import { interventionsRoutes } from './resources/interventions/interventions.routes.js';
import { interventionsWrites } from './resources/interventions/interventions.writes.js';
import { releasesRoutes } from './resources/releases/releases.routes.js';
import { rootRoutes } from './resources/root/root.routes.js';
import { searchRoutes } from './resources/search/search.routes.js';
import { studiesRoutes } from './resources/studies/studies.routes.js';
import { studiesWrites } from './resources/studies/studies.writes.js';
import { topicsRoutes } from './resources/topics/topics.routes.js';
import { topicsWrites } from './resources/topics/topics.writes.js';
import type { Database } from './store/client.js';
import { startDatabaseCheck } from './store/integrity.js';
import { replicasOf } from './store/postgres/replicas.js';
import { APP_VERSION } from './version.js';

export interface BuildAppOptions {
  db: Database;
  logger?: FastifyServerOptions['logger'];
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** Settings (see src/config.ts); each one not given takes its default. */
  config?: Partial<Config>;
  /**
   * Files up to this many bytes get the start-up integrity check before readiness, larger ones in the background
   * (store/integrity.ts DEFAULT_IN_PROCESS_MAX_BYTES by default; tests lower it to see the background path).
   */
  integrityInProcessMaxBytes?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_PARAM_LENGTH = 200;

/** TRUST_PROXY as Fastify takes it: hops become proxy-addr's "trust the first n hops" function. */
function trustProxyOption(setting: Config['TRUST_PROXY']): FastifyServerOptions['trustProxy'] {
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return setting;
}

export async function buildApp({
  db,
  logger = false,
  requestTimeoutMs = 30_000,
  connectionTimeoutMs = 10_000,
  config: overrides = {},
  integrityInProcessMaxBytes,
}: BuildAppOptions) {
  const settings: Config = { ...DEFAULT_CONFIG, ...overrides };
  const app = Fastify({
    logger,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: connectionTimeoutMs,
    // Keep a caller's id (for tracing across services) when it is sane; otherwise mint one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      // An id shaped like an API key would be logged with every line of the request: mint one instead.
      return typeof given === 'string' && REQUEST_ID.test(given) && !containsKey(given) ? given : randomUUID();
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
    bodyLimit: settings.BODY_LIMIT_BYTES,
    // Requests Node's HTTP parser refuses (malformed, headers over 16 KB) are answered as problem+json too.
    clientErrorHandler,
    // request.ip (rate limits, authentication failures, logs) is the client's, not the proxy's, only when told.
    trustProxy: trustProxyOption(settings.TRUST_PROXY),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // CORS goes first: its catch-all OPTIONS route must stay out of the 405 route mirror (see plugins/hardening.ts).
  await app.register(corsPlugin, settings);
  await app.register(problemDetailsPlugin);
  await app.register(hardeningPlugin, settings);
  await app.register(fairSharePlugin, settings);
  // Before any hook that reads the database (auth, the data tag): it decides which server a request reads.
  await app.register(readReplicasPlugin, { db });
  await app.register(authPlugin, { db, config: settings });
  await app.register(controlCharactersPlugin);
  await app.register(draftsPlugin, { db });
  // Before the document and every route: compression is the last onSend of each route (see plugins/compression.ts).
  await app.register(compressionPlugin);
  await app.register(openapiPlugin, {
    version: APP_VERSION,
    publicBaseUrl: settings.PUBLIC_BASE_URL,
    readsRequireKey: settings.READS_REQUIRE_KEY,
  });
  await app.register(cachingPlugin, { db });
  // After caching (the data tag, 304s) and compression (it keeps the bytes as compressed): see the plugin.
  await app.register(responseCachePlugin, { bytes: settings.RESPONSE_CACHE_MB * 1024 * 1024 });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });

  const routeOptions = { db };
  await app.register(rootRoutes, { publicBaseUrl: settings.PUBLIC_BASE_URL });
  // Started before any route, so that /ready can report it; it takes no lock (see store/integrity.ts).
  const integrity = startDatabaseCheck(db, {
    fullCheckMaxBytes: settings.INTEGRITY_CHECK_MAX_BYTES,
    inProcessMaxBytes: integrityInProcessMaxBytes,
  });
  integrity.done.then(
    (report) => {
      if (report.status === 'ok') app.log.info({ integrity: report }, 'database integrity check passed');
      else app.log.error({ integrity: report }, 'database integrity check found damage: /ready answers 503');
    },
    () => {},
  );
  app.addHook('onClose', async () => {
    await integrity.stop();
  });
  await app.register(healthRoutes, { db, integrity });
  await app.register(claimsRoutes, routeOptions);
  await app.register(conditionsRoutes, routeOptions);
  await app.register(interventionsRoutes, routeOptions);
  await app.register(studiesRoutes, routeOptions);
  await app.register(topicsRoutes, routeOptions);
  await app.register(citationsRoutes, routeOptions);
  await app.register(cslJsonCitationsRoutes, routeOptions);
  await app.register(searchRoutes, routeOptions);
  await app.register(historyRoutes, routeOptions);
  await app.register(releasesRoutes, { dir: settings.RELEASES_DIR, publicBaseUrl: settings.PUBLIC_BASE_URL });
  await app.register(fhirRoutes);
  await app.register(mcpRoutes, { config: settings });
  await app.register(claimsWrites, routeOptions);
  await app.register(conditionsWrites, routeOptions);
  await app.register(interventionsWrites, routeOptions);
  await app.register(studiesWrites, routeOptions);
  await app.register(topicsWrites, routeOptions);
  await app.register(importsRoutes, routeOptions);

  // /ready lists replicas on demand; the log says when one goes down or comes back, as it happens.
  replicasOf(db)?.onStatusChange((change) => {
    if (change.status === 'down')
      app.log.warn({ replica: change.url, reason: change.reason }, 'read replica down: its reads go to the primary');
    else app.log.info({ replica: change.url }, 'read replica answers again');
  });
  app.addHook('onClose', async () => {
    await db.close();
  });
  return app;
}
