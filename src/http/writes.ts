// What every write route shares: the actor, the reason, 409/422 problems, patch schemas, the problems a write answers.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { joinPath, type RuleViolation } from '../evidence/violations.js';
import { problem } from './api-schemas.js';
import { ApiProblem } from './problem.js';

/** The key name that made the change, as recorded in history. */
export function actorOf(request: FastifyRequest): string {
  const key = (request as FastifyRequest & { apiKey?: { name: string } | null }).apiKey;
  return key ? `key:${key.name}` : 'anonymous';
}

export const ReasonQuery = z
  .object({
    reason: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe('Why the change was made; kept in the revision history.')
      .meta({ example: 'New RCT published' }),
  })
  .strict();

export const RequiredReasonQuery = z
  .object({
    reason: z.string().min(1).max(1000).describe('Why the claim is retracted; required, kept in the revision history.'),
    purge: z
      .enum(['true', 'false'])
      .default('false')
      .describe('Admin only: delete the claim for good instead of retracting it.'),
  })
  .strict();

export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    .describe('The ETag of the version being changed (required; 428 without, 412 when stale).'),
});

export function unprocessable(rule: string, detail: string): ApiProblem {
  return new ApiProblem(422, 'evidence.rule_violated', 'Evidence rule violated', detail, undefined, { rule });
}

/**
 * A broken evidence rule with the paths it names (`errors`) and the data a client can show (e.g. `grade_arithmetic`),
 * as a 422 problem. Paths are relative to the request body and are given here prefixed with `body.`.
 */
export function unprocessableViolation(violation: RuleViolation): ApiProblem {
  const errors = violation.errors?.map((e) => ({ path: joinPath('body', e.path), message: e.message }));
  return new ApiProblem(422, 'evidence.rule_violated', 'Evidence rule violated', violation.detail, errors, {
    rule: violation.rule,
    ...violation.extensions,
  });
}

export function conflict(code: string, detail: string): ApiProblem {
  return new ApiProblem(409, code, 'Conflict', detail);
}

/** A PATCH body: every field optional and without defaults (a default would overwrite), unknown fields rejected. */
export function patchOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>, omit: readonly string[], id: string) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape)
      .filter(([key]) => !omit.includes(key))
      .map(([key, field]) => {
        const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
        const optional = inner.optional();
        const description = (field as z.ZodType).description ?? inner.description;
        return [key, description ? optional.describe(description) : optional];
      }),
  );
  return z.object(shape).strict().meta({ id });
}

export const writeProblems = {
  400: problem('Invalid body or parameter: unknown fields are rejected; `errors` names each one.'),
  401: problem('No valid API key in `Authorization: Bearer ...`.'),
  403: problem('The API key lacks the scope this write needs.'),
  404: problem('No such resource.'),
  409: problem('Conflicts with existing data (already exists, or still referenced).'),
  412: problem('If-Match names a version that is no longer current; GET the resource again.'),
  413: problem('Body too large.'),
  422: problem('Well-formed, but breaks an evidence rule; `rule` names it.'),
  428: problem('If-Match is required.'),
  429: problem('Too many requests or failed authentications; see Retry-After.'),
  500: problem('Unexpected server error; the body never contains internals.'),
  503: problem(
    'Another write held the database longer than the server waits; nothing was changed. Retry after `Retry-After` seconds.',
  ),
} as const;
