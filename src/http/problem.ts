// The one error type routes throw; the problem-details plugin turns it into an RFC 9457 application/problem+json body.

export interface ProblemFieldError {
  /** Where the problem is, e.g. "query.condition" or "params.pmid". */
  path: string;
  message: string;
}

/** Stable machine-readable codes, `<area>.<reason>`, built once here so every route spells them alike. */
export const PROBLEM_CODES = {
  validation: 'request.validation_failed',
  unknownParameter: 'request.unknown_parameter',
  badCursor: 'request.invalid_cursor',
  notFound: 'route.not_found',
  methodNotAllowed: 'route.method_not_allowed',
  // The MCP transport's refusal of an Accept without JSON and event streams (mcp/mcp.routes.ts).
  notAcceptable: 'request.not_acceptable',
  conditionNotFound: 'conditions.not_found',
  interventionNotFound: 'interventions.not_found',
  claimNotFound: 'claims.not_found',
  studyNotFound: 'studies.not_found',
  topicNotFound: 'topics.not_found',
  internal: 'server.internal_error',
  unavailable: 'server.unavailable',
  databaseBusy: 'server.database_busy',
  databaseUnavailable: 'server.database_unavailable',
  storageFull: 'server.storage_full',
  databaseDamaged: 'server.database_damaged',
  malformedRequest: 'request.malformed',
  headersTooLarge: 'request.headers_too_large',
} as const;
export type ProblemCode = (typeof PROBLEM_CODES)[keyof typeof PROBLEM_CODES];

export const PROBLEM_TYPE_BASE = 'urn:evidence-api:problem:';

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: ProblemFieldError[] | undefined;
  /** Extension members specific to a problem type, e.g. `missing` PMIDs. */
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    status: number,
    code: string,
    title: string,
    detail: string,
    errors?: ProblemFieldError[],
    extensions?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
    this.extensions = extensions;
  }
}

export function badRequest(path: string, message: string, code: string = PROBLEM_CODES.validation): ApiProblem {
  return new ApiProblem(400, code, 'Invalid request', `${path}: ${message}`, [{ path, message }]);
}

export function notFound(code: string, detail: string): ApiProblem {
  return new ApiProblem(404, code, 'Not found', detail);
}
