// What every operation answers besides its own responses, by kind of operation: statuses, headers, security.
import { SHARED_PROBLEMS, type SharedProblem } from '../http/api-schemas.js';
import { isKeyedRead } from './auth.js';
import { isConditionalRead } from './caching.js';
import { isRateLimited, isSheddable } from './hardening.js';

/**
 * Routes declare what their handler does (the 200, a 404 for an unknown id, a 409 on create). What the plugins and
 * the shared helpers do to every request of a kind (auth: 401/403; caching: ETag, 304; rate limit: 429 and
 * X-RateLimit-*; load shedding: 503; the router: 414; the body parser: 413/415; If-Match on changes to an existing
 * resource: 412/428; every reply: x-request-id) is written into the document here, from the same predicates the
 * plugins use, so a route cannot forget a status and the document cannot drift from them.
 */

type Json = Record<string, unknown>;
type Operation = {
  parameters?: Json[];
  requestBody?: unknown;
  responses: Record<string, Json>;
  security?: Record<string, string[]>[];
};

const ref = (kind: 'headers' | 'responses', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Response headers, by the names the API sends them with. */
export const RESPONSE_HEADERS = {
  'X-Request-Id': {
    description:
      "The request id: the caller's `x-request-id` when it is 1-64 of `A-Za-z0-9._-`, otherwise a minted UUID. Also in the logs and in every problem's `request_id`.",
    required: true,
    schema: { type: 'string' },
  },
  'X-RateLimit-Limit': {
    description:
      'Requests allowed per window from this address (RATE_LIMIT_MAX). Sent by every route but /health and /ready.',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the current window.',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the current window ends and the count starts again.',
    schema: { type: 'integer' },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    required: true,
    schema: { type: 'integer' },
  },
  ETag: {
    description:
      'Validator of this representation. Lists (and `as_of` reads): weak, `W/"<build>.<database id>.<data version>"`, changing with any write, with `.keyed` before the closing quote for a request with an API key (the lists a key sees may hold drafts and the names of curators, so each audience revalidates only its own). Single resources: strong, `"<build>.<database id>.<data version>.v<row version>"`, with `-br`, `-gzip` or `-deflate` appended when the body is compressed (the same version for `If-Match`). Send it in `If-None-Match` for a 304, or in `If-Match` to change the resource. Bulk releases: strong, a hash of the manifest response, or the file\'s SHA-256 for a release file (also for `If-Range`); they do not change with the data version.',
    schema: { type: 'string' },
  },
  'Cache-Control': {
    description:
      '`no-cache`: store, but revalidate with `If-None-Match` before reuse (a 304 costs no query). `public, max-age=86400` on `as_of` reads, which never change; `public, max-age=31536000, immutable` on bulk release files, which never change either.',
    schema: { type: 'string' },
  },
  Location: {
    description: 'The path of the resource just created (201), or of the operation to call instead (303).',
    required: true,
    schema: { type: 'string' },
  },
  'WWW-Authenticate': {
    description: '`Bearer realm="evidence-api"`, with `error="invalid_token"` when a key was sent but is not valid.',
    required: true,
    schema: { type: 'string' },
  },
  'Content-Disposition': {
    description:
      '`attachment; filename="<name>.ris"` or `.bib` for RIS and BibTeX, `"<release id>-<file name>"` for bulk release files, so a browser saves the file.',
    schema: { type: 'string' },
  },
  'Evidence-Read-After': {
    description:
      "PostgreSQL: the primary's WAL position just after this write committed (pg_lsn text, e.g. `0/3000148`). Send it back in the `Evidence-Read-After` request header of later reads to see this write even when reads are served by read replicas. Absent on SQLite, which has no replicas.",
    schema: { type: 'string', pattern: '^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$' },
  },
} as const;

type HeaderName = keyof typeof RESPONSE_HEADERS;
const headerRefs = (names: HeaderName[]) =>
  Object.fromEntries(names.map((name) => [name, ref('headers', name.replace(/[^A-Za-z0-9]/g, ''))]));
const RATE_LIMIT_HEADERS: HeaderName[] = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

interface ProblemExample {
  title: string;
  code: string;
  detail: string;
  extra?: Json;
}

/**
 * One example per status, with the title and code the API really sends for it (a test provokes each and compares),
 * so a 404 is never illustrated with a 400 body.
 */
export const PROBLEM_EXAMPLES: Record<number, ProblemExample> = {
  400: {
    title: 'Invalid request',
    code: 'request.unknown_parameter',
    detail: 'query.conditon: unknown parameter',
    extra: { errors: [{ path: 'query.conditon', message: 'unknown parameter' }] },
  },
  401: {
    title: 'Unauthenticated',
    code: 'auth.unauthenticated',
    detail: 'This operation needs an API key with scope "write": send `Authorization: Bearer <key>`.',
  },
  403: {
    title: 'Forbidden',
    code: 'auth.forbidden',
    detail: 'This operation needs a key with scope "admin"; this key has scope "write".',
  },
  404: { title: 'Not found', code: 'route.not_found', detail: 'No route matches GET /v1/claim.' },
  405: {
    title: 'Method not allowed',
    code: 'route.method_not_allowed',
    detail: 'DELETE is not supported on /v1/claims/x/restore; allowed: POST.',
  },
  409: { title: 'Conflict', code: 'claim.exists', detail: "A claim 'x' already exists." },
  412: {
    title: 'Precondition failed',
    code: 'request.precondition_failed',
    detail:
      'The resource has changed since that ETag was issued (now version 3); GET it again and reapply your change.',
  },
  413: { title: 'Invalid request', code: 'request.body_too_large', detail: 'Request body is too large' },
  414: {
    title: 'Invalid request',
    code: 'request.path_parameter_too_long',
    detail: 'A path parameter is longer than 200 characters.',
  },
  415: {
    title: 'Invalid request',
    code: 'request.unsupported_media_type',
    detail: 'Unsupported Media Type',
  },
  422: {
    title: 'Evidence rule violated',
    code: 'evidence.rule_violated',
    detail: 'A claim needs at least one linked study.',
    extra: { rule: 'claim.needs_study' },
  },
  428: {
    title: 'Precondition required',
    code: 'request.precondition_required',
    detail: 'Send If-Match with the ETag from a GET of this resource, so a concurrent edit cannot be overwritten.',
  },
  429: {
    title: 'Too many requests',
    code: 'request.rate_limited',
    detail: 'More than 1000 requests in 1 minute from this address; retry in 42 seconds.',
  },
  500: {
    title: 'Internal Server Error',
    code: 'server.internal_error',
    detail: 'The server could not complete the request. Quote the request_id when reporting it.',
  },
  503: {
    title: 'Service unavailable',
    code: 'server.unavailable',
    detail: 'The server is overloaded; retry in 5 seconds.',
  },
};

function problemExample(status: number, special?: SharedProblem['example']): Json {
  const base = (PROBLEM_EXAMPLES[status] ?? PROBLEM_EXAMPLES[500]) as ProblemExample;
  const { code = base.code, detail = base.detail, ...extra } = special ?? {};
  return {
    type: `urn:evidence-api:problem:${code}`,
    title: base.title,
    status,
    detail,
    instance: '/v1/claims/x',
    code,
    request_id: 'b7c0d7e4-5f1c-4c4f-9f5e-0d7d2b0f3a11',
    ...(special ? extra : base.extra),
  };
}

const problemResponse = (
  status: number,
  description: string,
  headers: HeaderName[] = [],
  special?: SharedProblem['example'],
) => ({
  description,
  headers: headerRefs(['X-Request-Id', ...headers, ...RATE_LIMIT_HEADERS]),
  content: {
    'application/problem+json': {
      schema: { $ref: '#/components/schemas/Problem' },
      example: problemExample(status, special),
    },
  },
});

/** Shared responses for the statuses the plugins produce; referenced by every operation they apply to. */
function sharedResponses(): Record<string, Json> {
  return {
    NotModified: {
      description:
        'Not modified: the `If-None-Match` tag still describes the data. No body; reuse the representation you hold.',
      headers: headerRefs(['X-Request-Id', 'ETag', 'Cache-Control', ...RATE_LIMIT_HEADERS]),
    },
    BadRequest: problemResponse(
      400,
      'Invalid request: a parameter or body field (unknown ones are rejected; `errors` names each and says why), the URL encoding, or an API key sent in the URL.',
    ),
    Unauthenticated: problemResponse(
      401,
      'No valid API key. Writes always need one; reads only when the server sets READS_REQUIRE_KEY. A key that is sent must be valid, on any route.',
      ['WWW-Authenticate'],
    ),
    Forbidden: problemResponse(403, "The key's scope does not allow this operation (`admin` includes `write`)."),
    NotFound: problemResponse(
      404,
      'No resource, or no route: a path parameter holding `/` (encoded or not) can name a path this API does not have.',
    ),
    MethodNotAllowed: problemResponse(
      405,
      'A path parameter holding `/` named another path of this API, which does not take this method; `Allow` lists those it takes.',
    ),
    PreconditionFailed: problemResponse(
      412,
      '`If-Match` names a version that is no longer current; the response carries the current `ETag`: GET the resource again and reapply the change.',
      ['ETag'],
    ),
    PreconditionRequired: problemResponse(
      428,
      '`If-Match` is required, with the ETag of a GET of this resource, so a concurrent edit cannot be overwritten.',
    ),
    PayloadTooLarge: problemResponse(413, 'The body is larger than BODY_LIMIT_BYTES (1 MiB by default).'),
    UriTooLong: problemResponse(414, 'A path parameter is longer than 200 characters.'),
    UnsupportedMediaType: problemResponse(415, 'The Content-Type of the body is not one this operation reads.'),
    TooManyRequests: problemResponse(
      429,
      'Too many requests from this address in the window (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS), or too many failed authentications; wait `Retry-After` seconds.',
      ['Retry-After'],
    ),
    InternalError: problemResponse(500, 'Unexpected server error; the body never contains internals.'),
    Unavailable: problemResponse(
      503,
      "The server is overloaded (event-loop delay above MAX_EVENT_LOOP_DELAY_MS, code `server.unavailable`), or another process (a second server, an import) held the database's write lock longer than WRITE_LOCK_WAIT_MS (code `server.database_busy`; nothing was changed), or the PostgreSQL server cannot be reached (code `server.database_unavailable`). Retry after `Retry-After` seconds.",
      ['Retry-After'],
    ),
  };
}

export interface OperationOptions {
  /** READS_REQUIRE_KEY: reads need a key (the served document says so; the committed one shows the default). */
  readsRequireKey: boolean;
}

/**
 * Completes every operation of `document` (an OpenAPI 3.1 object, changed in place): the shared responses and
 * headers of its kind, `If-None-Match` on conditional reads, a problem example per status, and `security`.
 */
export function describeOperations(document: Json, { readsRequireKey }: OperationOptions): void {
  document.components ??= {};
  const components = document.components as Record<string, Json>;
  components.headers = Object.fromEntries(
    Object.entries(RESPONSE_HEADERS).map(([name, header]) => [name.replace(/[^A-Za-z0-9]/g, ''), header]),
  );
  const shared = sharedResponses();
  components.responses = shared;

  const paths = document.paths as Record<string, Record<string, Operation>>;
  for (const [path, item] of Object.entries(paths))
    for (const [method, operation] of Object.entries(item)) describeOperation(path, method.toUpperCase(), operation);
  components.responses = Object.fromEntries(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b)));

  function describeOperation(path: string, method: string, op: Operation) {
    const write = method !== 'GET' && method !== 'HEAD';
    const conditional = isConditionalRead(method, path);
    const itemPath = path.includes('{');
    const limited = isRateLimited(path);
    const responses = op.responses;
    const add = (status: number, name: string) => {
      responses[status] ??= ref('responses', name);
    };

    for (const [status, response] of Object.entries(responses)) {
      if ('$ref' in response) continue;
      const code = Number(status);
      const content = response.content as Record<string, Json> | undefined;
      const problem = content?.['application/problem+json'];
      // A problem several routes declare alike is documented once (see `problem(description, shared)`).
      const declared = problem ? SHARED_PROBLEMS.get(String(response.description)) : undefined;
      if (declared) {
        shared[declared.name] ??= problemResponse(code, String(response.description), [], declared.example);
        responses[status] = ref('responses', declared.name);
        continue;
      }
      const names: HeaderName[] = ['X-Request-Id'];
      if (limited) names.push(...RATE_LIMIT_HEADERS);
      if (code >= 200 && code < 300 && conditional) names.push('ETag', 'Cache-Control');
      if (code === 201) names.push('Location', 'ETag');
      if (code === 303) names.push('Location');
      if (write && itemPath && code === 200) names.push('ETag');
      if (write && code >= 200 && code < 300) names.push('Evidence-Read-After');
      if (code === 503) names.push('Retry-After');
      // A header a route declares itself (Content-Disposition) points at the shared definition when there is one.
      const declaredHeaders = Object.keys((response.headers ?? {}) as Json);
      const known = declaredHeaders.filter((name): name is HeaderName => name in RESPONSE_HEADERS);
      response.headers = {
        ...(response.headers as Json | undefined),
        ...headerRefs([...new Set([...names, ...known])]),
      };
      if (problem && problem.example === undefined) problem.example = problemExample(code);
    }

    if (conditional) {
      add(304, 'NotModified');
      op.parameters ??= [];
      if (!op.parameters.some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'if-none-match'))
        op.parameters.push({
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description:
            'ETags from earlier responses (comma-separated): a 304 without a body when the data has not changed since.',
          schema: { type: 'string' },
        });
      if (!op.parameters.some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'evidence-read-after'))
        op.parameters.push({
          name: 'Evidence-Read-After',
          in: 'header',
          required: false,
          description:
            'The `Evidence-Read-After` of an earlier write response: on PostgreSQL with read replicas, the answer comes from a server that has that write (a replica that has replayed it, else the primary). Ignored on SQLite (one file, no replicas); on PostgreSQL a value that is not a WAL position such as `0/3000148` is a 400.',
          schema: { type: 'string', pattern: '^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$' },
          example: '0/3000148',
        });
    }
    add(400, 'BadRequest');
    // A key that is sent is checked on every route, /health and this document included: an invalid one is a 401.
    add(401, 'Unauthenticated');
    if (write) add(403, 'Forbidden');
    // The router: a path parameter's value may hold `/` and so name another path, or none.
    if (itemPath) {
      add(404, 'NotFound');
      add(405, 'MethodNotAllowed');
    }
    // Every change to an existing resource goes through requireIfMatch (http/concurrency.ts).
    if (write && itemPath) {
      add(412, 'PreconditionFailed');
      add(428, 'PreconditionRequired');
    }
    // The body parser runs on every write, whether or not the operation reads a body.
    if (op.requestBody || write) {
      add(413, 'PayloadTooLarge');
      add(415, 'UnsupportedMediaType');
    }
    if (itemPath) add(414, 'UriTooLong');
    if (limited) add(429, 'TooManyRequests');
    add(500, 'InternalError');
    if (isSheddable(path)) add(503, 'Unavailable');
    op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));

    // Reads are open (a key that is sent is still checked); with READS_REQUIRE_KEY the /v1 reads need one.
    const bearer = { bearerAuth: [] };
    op.security = write ? [bearer] : isKeyedRead(method, path) ? (readsRequireKey ? [bearer] : [{}, bearer]) : [];
  }
}
