// Hardening with Fastify's own plugins: security headers, CORS, a global rate limit, load shedding, safe log lines.
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { Config } from '../config.js';
import { isInternalRequest } from '../http/internal-request.js';
import { ApiProblem, PROBLEM_CODES } from '../http/problem.js';
import { redactKeys, redactUrl } from './auth.js';
import { sendProblem } from './problem-details.js';

type HardeningConfig = Pick<
  Config,
  'CORS_ORIGINS' | 'RATE_LIMIT_MAX' | 'RATE_LIMIT_WINDOW_MS' | 'MAX_EVENT_LOOP_DELAY_MS' | 'PUBLIC_BASE_URL'
>;

/** Probes must answer while the service is busy: they are never rate-limited, and liveness is never shed. */
const UNLIMITED_ROUTES = new Set(['/health', '/ready']);
const NEVER_SHED_ROUTES = new Set(['/health']);

/** Whether requests to the route `url` count against the rate limit (and carry X-RateLimit-* headers). */
export const isRateLimited = (url: string) => !UNLIMITED_ROUTES.has(url);
/** Whether the route `url` may answer 503 when the event loop is saturated. */
export const isSheddable = (url: string) => !NEVER_SHED_ROUTES.has(url);
/** Seconds a client is asked to wait when the event loop is saturated. */
const OVERLOAD_RETRY_AFTER_SECONDS = 5;
/** How often under-pressure samples the event-loop delay (its mean over the last interval). */
const PRESSURE_SAMPLE_MS = 500;
/**
 * Booting (migrations, seed, compiling every route schema) blocks the loop for longer than any sane limit, and the
 * sample covering it lasts up to two intervals after ready: no shedding until then, or a fresh server would answer
 * its first requests with 503.
 */
export const SHED_GRACE_MS = 2 * PRESSURE_SAMPLE_MS;

const READ_METHODS = ['GET', 'HEAD'];
const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * CORS. It must be registered before the problem-details plugin: @fastify/cors adds a catch-all `OPTIONS *` route
 * (preflights are answered in its onRequest hook), and the problem-details route mirror would otherwise take that
 * route for a method of every path, turning every 404 into a 405. Preflights are answered before any other hook.
 *
 * `*` (the default) lets any origin read; browsers never send credentials (no `Access-Control-Allow-Credentials`),
 * and keys travel in the Authorization header, which a page cannot add for another origin without a preflight. Writes
 * from a browser are allowed only for the origins listed in CORS_ORIGINS.
 */
export const corsPlugin = fp<Pick<Config, 'CORS_ORIGINS'>>(
  async (app, { CORS_ORIGINS }) => {
    const anyOrigin = CORS_ORIGINS === '*';
    await app.register(cors, {
      origin: CORS_ORIGINS,
      credentials: false,
      methods: anyOrigin ? READ_METHODS : [...READ_METHODS, ...WRITE_METHODS],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'If-Match',
        'If-None-Match',
        'X-Request-Id',
        // Read-your-writes on PostgreSQL read replicas (plugins/read-replicas.ts).
        'Evidence-Read-After',
      ],
      // Every response header the OpenAPI document lists, so a browser client can read what a server client can.
      exposedHeaders: [
        'ETag',
        'Location',
        'Retry-After',
        'Content-Disposition',
        'X-Request-Id',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
        'WWW-Authenticate',
        // Bulk release downloads (resources/releases).
        'Content-Location',
        'Content-Range',
        'Accept-Ranges',
        'Repr-Digest',
        'Evidence-Read-After',
      ],
      maxAge: 600,
      // A bare OPTIONS gets the same 204 as a preflight rather than a text/plain 400.
      strictPreflight: false,
    });
    if (!anyOrigin)
      // Responses differ by Origin; later hooks (caching) set Vary themselves, so make sure Origin stays in it.
      app.addHook('onSend', async (_request, reply, payload) => {
        const vary = String(reply.getHeader('vary') ?? '');
        if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) reply.header('vary', vary ? `${vary}, Origin` : 'Origin');
        return payload;
      });
  },
  { name: 'cors-settings' },
);

/** The Content-Security-Policy for the JSON API: it loads nothing and may not be framed. */
export const API_CSP = {
  useDefaults: false,
  directives: {
    'default-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  },
};

/**
 * Swagger UI at /docs loads its own scripts, styles and images from 'self'; helmet's defaults allow that. Only
 * `upgrade-insecure-requests` is dropped: it would break the page when the service is reached over plain HTTP on
 * another host than localhost. "Try it out" calls the document's server: 'self' when it is relative (the default),
 * so the page works on any host and port; the origin of PUBLIC_BASE_URL as well when that is set.
 */
function docsCsp(publicBaseUrl: string | undefined) {
  const connect = publicBaseUrl === undefined ? ["'self'"] : ["'self'", new URL(publicBaseUrl).origin];
  return { useDefaults: true, directives: { 'upgrade-insecure-requests': null, 'connect-src': connect } };
}

/**
 * The headers helmet sets for `options`, computed once. helmet's middleware only calls `setHeader`/`removeHeader`
 * on the response, with values that depend on the options alone (no nonces, no per-request directives), so its
 * answer for one response is its answer for every response. @fastify/helmet ran helmet(options) on every request:
 * about a dozen headers rebuilt, the CSP string included, each time.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  helmet(options)({} as never, response as never, (error?: unknown) => {
    if (error) throw error;
    done = true;
  });
  // helmet 8 runs its middlewares synchronously; anything else would leave headers half-made.
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}

const isDocsRoute = (url: string | undefined) => url !== undefined && (url === '/docs' || url.startsWith('/docs/'));

export const hardeningPlugin = fp<HardeningConfig>(
  async (app, config) => {
    // Fastify reads text/plain bodies by default, and a JSON operation then answered a text body with a 400 about
    // its shape. No operation reads plain text (the PubMed import reads XML), so such a body is a 415 like any other
    // type the operation does not read.
    app.removeContentTypeParser('text/plain');
    // A public read API: CORS decides who may read, so resources may be embedded cross-origin.
    const common = { crossOriginResourcePolicy: { policy: 'cross-origin' } } as const;
    const apiHeaders = securityHeaders({ ...common, contentSecurityPolicy: API_CSP });
    // Swagger UI at /docs (and its assets) gets the relaxed policy; everything else, unknown URLs too, the API's.
    const docsHeaders = securityHeaders({ ...common, contentSecurityPolicy: docsCsp(config.PUBLIC_BASE_URL) });
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(isDocsRoute(request.routeOptions.url) ? docsHeaders : apiHeaders);
      done();
    });

    if (config.MAX_EVENT_LOOP_DELAY_MS > 0) {
      let shedFrom = Number.POSITIVE_INFINITY;
      app.addHook('onReady', async () => {
        shedFrom = Date.now() + SHED_GRACE_MS;
      });
      await app.register(underPressure, {
        maxEventLoopDelay: config.MAX_EVENT_LOOP_DELAY_MS,
        sampleInterval: PRESSURE_SAMPLE_MS,
        retryAfter: OVERLOAD_RETRY_AFTER_SECONDS,
        pressureHandler: async (request, reply) => {
          if (Date.now() >= shedFrom) await overloadedHandler(request, reply);
        },
      });
    }

    await app.register(rateLimit, {
      global: true,
      max: config.RATE_LIMIT_MAX,
      timeWindow: config.RATE_LIMIT_WINDOW_MS,
      // The app's own injects (FHIR export, MCP tools) were counted once, as the client's request that made them.
      allowList: (request) => !isRateLimited(request.routeOptions.url ?? '') || isInternalRequest(request),
      // The thrown problem reaches the problem-details error handler; the plugin has set Retry-After already.
      errorResponseBuilder: (_request, context) =>
        new ApiProblem(
          429,
          'request.rate_limited',
          'Too many requests',
          `More than ${context.max} requests in ${formatWindow(config.RATE_LIMIT_WINDOW_MS)} from this address; retry in ${context.after}.`,
        ),
    });
  },
  { name: 'hardening', dependencies: ['problem-details'] },
);

/** Sheds load with a 503 problem when the event loop is saturated; liveness still answers. */
export async function overloadedHandler(request: FastifyRequest, reply: Parameters<typeof sendProblem>[1]) {
  if (!isSheddable(request.routeOptions.url ?? '')) return;
  reply.header('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS));
  // Awaiting the reply waits until it is written, so under-pressure does not run the route after it.
  await sendProblem(
    request,
    reply,
    new ApiProblem(
      503,
      PROBLEM_CODES.unavailable,
      'Service unavailable',
      `The server is overloaded; retry in ${OVERLOAD_RETRY_AFTER_SECONDS} seconds.`,
    ),
  );
}

function formatWindow(ms: number): string {
  if (ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  return ms % 1000 === 0 ? `${ms / 1000} seconds` : `${ms} ms`;
}

/** Strings anywhere in a log call's own plain objects, with key-shaped runs masked; other objects are left whole. */
function scrubKeys(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactKeys(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubKeys(v, depth + 1));
  // Requests, replies and errors go through their serializers below; only plain data is copied here.
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubKeys(v, depth + 1)]));
}

/**
 * Logger options for the server. An API key never reaches a log line, wherever a client puts it: the request
 * serializer logs no headers and masks key-like query parameters and any key-shaped path segment or value (a key
 * sent in a URL is refused, but the request line is logged before that); errors and every string a log call is
 * given are scrubbed of key-shaped text; the Authorization header is redacted as well, should a future log line
 * include headers. (Request ids shaped like a key are refused in src/app.ts.)
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => scrubKeys(arg)) as Parameters<typeof method>);
      },
    },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
      err: (error: Error & { code?: unknown; statusCode?: unknown }) => ({
        type: error?.name,
        message: redactKeys(String(error?.message ?? error)),
        stack: redactKeys(String(error?.stack ?? '')),
        ...(error?.code === undefined ? {} : { code: error.code }),
        ...(error?.statusCode === undefined ? {} : { statusCode: error.statusCode }),
      }),
    },
  };
}
