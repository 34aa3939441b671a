// What every write route shares: the actor, the reason, 409/422 problems, patch schemas, the problems a write answers.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { joinPath, type RuleViolation } from '../evidence/violations.js';
import { booleanQuery, problem } from './api-schemas.js';
import { ApiProblem } from './problem.js';

/**
 * Who made the change, as history records it: `key:<id>` for an API key. The id, not the name: a key's name often
 * names its holder, and revisions are public; callers with a key see the name beside it (resources/history).
 */
export function actorOf(request: FastifyRequest): string {
  const key = (request as FastifyRequest & { apiKey?: { id: number } | null }).apiKey;
  return key ? `key:${key.id}` : 'anonymous';
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
    purge: booleanQuery(false).describe('Admin only: delete the claim for good instead of retracting it.'),
  })
  .strict();

export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    .describe('The ETag of the version being changed (required; 428 without, 412 when stale).'),
});

/** A broken evidence rule about one place in the request body (`path`, e.g. `studies[0].pmid`; '' for the whole body). */
export function unprocessable(rule: string, detail: string, path: string): ApiProblem {
  return new ApiProblem(
    422,
    'evidence.rule_violated',
    'Evidence rule violated',
    detail,
    [{ path: joinPath('body', path), message: detail }],
    { rule },
  );
}

/**
 * A broken evidence rule with the paths it names (`errors`) and the data a client can show (e.g. `grade_arithmetic`),
 * as a 422 problem. Paths are relative to the request body and are given here prefixed with `body.` (or `prefix`:
 * '' for a rule about the stored resource, as a review's).
 */
export function unprocessableViolation(violation: RuleViolation, prefix = 'body'): ApiProblem {
  // Every 422 names a place: a rule that gave none names the whole body (or resource).
  const errors = (violation.errors?.length ? violation.errors : [{ path: '', message: violation.detail }]).map((e) => ({
    path: joinPath(prefix, e.path) || 'body',
    message: e.message,
  }));
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

/**
 * The problems write handlers raise themselves. What every write answers besides (400, 401, 403, 404 and 412/428 on
 * an existing resource, 413, 414, 415, 429, 500, 503) is documented by kind in plugins/openapi-operations.ts.
 */
export const writeProblems = {
  409: problem('Conflicts with existing data (already exists, or still referenced).', { name: 'Conflict' }),
  422: problem('Well-formed, but breaks an evidence rule; `rule` names it.', { name: 'EvidenceRuleViolated' }),
} as const;
