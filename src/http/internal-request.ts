// Requests the app makes to its own routes (FHIR export, MCP tools): one GET through app.inject, as the caller.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiProblem, PROBLEM_CODES, type ProblemFieldError } from './problem.js';

/**
 * Marks an inject as made by the app itself, so the rate limiter counts the client's request once, not once per
 * inject. The value is a per-process random secret that never leaves the process: a client cannot forge it.
 */
export const INTERNAL_REQUEST_HEADER = 'x-evidence-internal-request';
const TOKEN = randomBytes(32).toString('base64url');
const TOKEN_BYTES = Buffer.from(TOKEN);

export function isInternalRequest(request: Pick<FastifyRequest, 'headers'>): boolean {
  const value = request.headers[INTERNAL_REQUEST_HEADER];
  if (typeof value !== 'string' || value.length !== TOKEN.length) return false;
  return timingSafeEqual(Buffer.from(value), TOKEN_BYTES);
}

/** Who an internal request acts for: the caller's Authorization header, and its request id for the logs. */
export interface Caller {
  authorization?: string | undefined;
  requestId?: string | undefined;
}

export const callerOf = (request: FastifyRequest): Caller => ({
  authorization: request.headers.authorization,
  requestId: String(request.id),
});

/**
 * GETs `path` (with its query string) from the app as `caller` and returns the parsed JSON body, or the text body
 * when `as: 'text'`. Errors: a 4xx/5xx answer is rethrown as the same ApiProblem (status, code, detail, errors),
 * so a caller sees exactly the problem the route gave.
 */
export async function internalGet(
  app: FastifyInstance,
  caller: Caller,
  path: string,
  options: { as?: 'json' | 'text'; accept?: string } = {},
): Promise<unknown> {
  const headers: Record<string, string> = {
    [INTERNAL_REQUEST_HEADER]: TOKEN,
    accept: options.accept ?? 'application/json',
  };
  if (caller.authorization !== undefined) headers.authorization = caller.authorization;
  if (caller.requestId !== undefined) headers['x-request-id'] = caller.requestId;
  const response = await app.inject({ method: 'GET', url: path, headers });
  if (response.statusCode >= 400) throw problemFrom(response.statusCode, response.body);
  return options.as === 'text' ? response.body : JSON.parse(response.body);
}

function problemFrom(status: number, body: string): ApiProblem {
  let problem: Record<string, unknown> = {};
  try {
    problem = JSON.parse(body);
  } catch {
    // Not a problem document: fall back to the status alone.
  }
  return new ApiProblem(
    status,
    typeof problem.code === 'string' ? problem.code : PROBLEM_CODES.internal,
    typeof problem.title === 'string' ? problem.title : 'Error',
    typeof problem.detail === 'string' ? problem.detail : `The request failed with status ${status}.`,
    Array.isArray(problem.errors) ? (problem.errors as ProblemFieldError[]) : undefined,
    extensionsOf(problem),
  );
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'request_id', 'errors']);

/** Members a problem type adds (e.g. `missing` PMIDs), kept so the outer answer carries them too. */
function extensionsOf(problem: Record<string, unknown>): Record<string, unknown> | undefined {
  const extra = Object.entries(problem).filter(([key]) => !STANDARD_MEMBERS.has(key));
  return extra.length > 0 ? Object.fromEntries(extra) : undefined;
}
