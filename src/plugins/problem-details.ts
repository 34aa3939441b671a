// One error handler for the whole app: every 4xx/5xx leaves as RFC 9457 application/problem+json, 5xx masked.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { ApiProblem, PROBLEM_CODES, PROBLEM_TYPE_BASE, type ProblemFieldError } from '../http/problem.js';
import { isStorageFull, StoreBusyError, StoreUnavailableError } from '../store/client.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ApiProblem) {
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({
      type: `${PROBLEM_TYPE_BASE}${problem.code}`,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance: request.url,
      code: problem.code,
      request_id: String(request.id),
      ...(problem.errors
        ? {
            errors: problem.errors.map((e) => {
              const pointer = bodyPointer(e.path);
              return pointer === null ? e : { ...e, pointer };
            }),
          }
        : {}),
      ...problem.extensions,
    });
}

const CLIENT_ERRORS: Record<string, { status: number; reason: string; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: PROBLEM_CODES.headersTooLarge,
    detail: 'The request line and headers are larger than the server accepts (16 KB in all).',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    code: 'request.timeout',
    detail: 'The request was not received in full in time.',
  },
};

/**
 * Node's HTTP parser rejects some requests before Fastify sees them (a malformed request line, headers over 16 KB, a
 * request that takes too long to arrive): they get a problem+json answer too, written straight to the socket, then
 * the connection is closed. There is no request URL to name, so `instance` names the occurrence by its id.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    reason: 'Bad Request',
    code: PROBLEM_CODES.malformedRequest,
    detail: 'The request is not valid HTTP/1.1 (malformed request line, header or body framing).',
  };
  const id = randomUUID();
  const body = JSON.stringify({
    type: `${PROBLEM_TYPE_BASE}${known.code}`,
    title: 'Invalid request',
    status: known.status,
    detail: known.detail,
    instance: `urn:uuid:${id}`,
    code: known.code,
    request_id: id,
  });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${known.status} ${known.reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy();
}

interface ZodIssueLike {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: { keys?: string[] };
}

/** Zod issues → `{ path: "query.limit", message }`; unknown keys become one entry per key. */
function fieldErrors(context: string, issues: ZodIssueLike[]): ProblemFieldError[] {
  return issues.flatMap((issue) => {
    const base = [context, ...issue.instancePath.split('/').filter(Boolean)].join('.');
    if (issue.keyword === 'unrecognized_keys' && issue.params?.keys?.length)
      return issue.params.keys.map((key) => ({ path: `${base}.${key}`, message: 'unknown parameter' }));
    // zod says "Invalid input: expected string, received undefined" of a parameter that is missing.
    if (/received undefined$/.test(issue.message ?? '')) return [{ path: base, message: 'is required' }];
    return [{ path: base, message: issue.message ?? 'is invalid' }];
  });
}

/**
 * The RFC 6901 JSON Pointer into the request body for a `body.`-rooted path (`body.studies[1].effect_estimates[0]`
 * → `/studies/1/effect_estimates/0`, `body` → ``), as RFC 9457 §3 suggests for problems with a body member; null for
 * query, header and path parameters.
 */
export function bodyPointer(path: string): string | null {
  if (path !== 'body' && !path.startsWith('body.') && !path.startsWith('body[')) return null;
  const segments = path
    .slice(4)
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== '');
  return segments.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * The engines' own "try again" errors are a 503 too, never a 500: SQLite's busy (a reader waiting out another
 * process's WAL recovery); PostgreSQL's lock_not_available (55P03, a lock_timeout), serialization_failure (40001) and
 * deadlock_detected (40P01), whose transaction was rolled back whole (SQLSTATEs: PostgreSQL manual, appendix A).
 */
const isBusy = (error: unknown) =>
  /^(SQLITE_(BUSY|LOCKED)|55P03$|40001$|40P01$)/.test(String((error as { code?: unknown }).code ?? ''));

/**
 * A query parameter given more than once reaches a one-value schema as an array (`limit=1&limit=2` → ["1", "2"]),
 * which zod reports as "expected number, received NaN": the error says what happened instead.
 */
function repeatedParameters(errors: ProblemFieldError[], query: unknown): ProblemFieldError[] {
  if (query === null || typeof query !== 'object') return errors;
  return errors.map((e) => {
    const name = /^query\.([^.[]+)$/.exec(e.path)?.[1];
    const given = name === undefined ? undefined : (query as Record<string, unknown>)[name];
    // Only where the schema wanted one value: a parameter that takes several fails on other grounds (too many).
    return Array.isArray(given) && /received (NaN|array)$/.test(e.message)
      ? { path: e.path, message: `is given ${given.length} times; this parameter takes one value` }
      : e;
  });
}

/** Fastify's client-error codes (FST_ERR_*) and the code a problem gives each instead; any other is `request.invalid`. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request.body_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request.empty_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'request.invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request.invalid_content_length',
  FST_ERR_CTP_EMPTY_TYPE: 'request.missing_content_type',
  FST_ERR_CTP_INVALID_TYPE: 'request.unsupported_media_type',
};

function toProblem(error: FastifyError, query: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof StoreBusyError || isBusy(error))
    return new ApiProblem(
      503,
      PROBLEM_CODES.databaseBusy,
      'Service unavailable',
      `The database is busy with another write; nothing was changed. Retry after ${error instanceof StoreBusyError ? error.retryAfterSeconds : 1} second(s).`,
    );
  if (error instanceof StoreUnavailableError)
    return new ApiProblem(
      503,
      PROBLEM_CODES.databaseUnavailable,
      'Service unavailable',
      `The database cannot be reached just now; nothing was changed. Retry after ${error.retryAfterSeconds} second(s).`,
    );
  if (isStorageFull(error))
    // RFC 4918's 507 Insufficient Storage: the server, not the request, is at fault, and retrying later may work.
    return new ApiProblem(
      507,
      PROBLEM_CODES.storageFull,
      'Insufficient storage',
      'The disk holding the database is full; nothing was changed. Retry once space has been freed.',
    );
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'request');
    const errors = repeatedParameters(fieldErrors(context, error.validation as unknown as ZodIssueLike[]), query);
    const unknownOnly = errors.every((e) => e.message === 'unknown parameter');
    return new ApiProblem(
      400,
      unknownOnly ? PROBLEM_CODES.unknownParameter : PROBLEM_CODES.validation,
      'Invalid request',
      errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    // Fastify's own client errors (bad JSON, body too large, unsupported media type) carry safe messages; their codes
    // are Fastify's internals, so the problem gets one of ours.
    return new ApiProblem(
      status,
      FASTIFY_CODES[error.code ?? ''] ?? (status === 413 ? 'request.body_too_large' : 'request.invalid'),
      'Invalid request',
      error.message,
    );
  return new ApiProblem(
    status >= 500 && status < 600 ? status : 500,
    PROBLEM_CODES.internal,
    'Internal Server Error',
    'The server could not complete the request. Quote the request_id when reporting it.',
  );
}

export const problemDetailsPlugin = fp(
  async (app) => {
    // Mirrors every route so that a wrong method on a real path is a 405 with Allow, not a 404.
    const router = FindMyWay();
    const noop = () => {};
    const routes: { method: string; url: string; hidden: boolean }[] = [];
    app.decorate('registeredRoutes', routes);
    app.addHook('onRoute', (route) => {
      const hidden = Boolean((route.schema as { hide?: boolean } | undefined)?.hide);
      for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url, hidden });
      const methods = (Array.isArray(route.method) ? route.method : [route.method]) as HTTPMethod[];
      for (const method of methods) if (!router.hasRoute(method, route.url)) router.on(method, route.url, noop);
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const problem = toProblem(error, request.query);
      if (error instanceof StoreBusyError || error instanceof StoreUnavailableError || isBusy(error))
        reply.header(
          'retry-after',
          String(
            error instanceof StoreBusyError || error instanceof StoreUnavailableError ? error.retryAfterSeconds : 1,
          ),
        );
      if (problem.status === 507) request.log.error({ err: error }, 'database storage full');
      else if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: problem.code, detail: problem.detail }, 'client error');
      return sendProblem(request, reply, problem);
    });

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      const allowed = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter(
        (m) => m !== request.method && router.find(m as HTTPMethod, path) !== null,
      );
      if (allowed.length > 0) {
        reply.header('allow', allowed.join(', '));
        return sendProblem(
          request,
          reply,
          new ApiProblem(
            405,
            PROBLEM_CODES.methodNotAllowed,
            'Method not allowed',
            `${request.method} is not supported on ${path}; allowed: ${allowed.join(', ')}.`,
          ),
        );
      }
      return sendProblem(
        request,
        reply,
        new ApiProblem(404, PROBLEM_CODES.notFound, 'Not found', `No route matches ${request.method} ${path}.`),
      );
    });
  },
  { name: 'problem-details' },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered, for the OpenAPI completeness test. */
    registeredRoutes: { method: string; url: string; hidden: boolean }[];
  }
}
