// Who may see and change a claim (issue 10, "access rules"): drafts are seen only by callers with a key and changed
// only by their creator or an admin; a claim's status changes only through its own operation, each with a reason.
import { and, desc, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLAIM_STATUSES, type ClaimStatus } from '../../evidence/vocabulary.js';
import { ApiProblem, notFound, PROBLEM_CODES } from '../../http/problem.js';
import { unprocessableViolation } from '../../http/writes.js';
import { AUTH_CODES, WWW_AUTHENTICATE } from '../../plugins/auth.js';
import type { Reader } from '../../store/client.js';
import type { claims } from '../../store/schema.js';

/** Whether this request may see drafts: any API key (write or admin) may; anonymous callers never do. */
export const seesDrafts = (request: FastifyRequest): boolean => Boolean(request.apiKey);

/**
 * A claim's status, or undefined when there is no such claim. One indexed read. Hand-written SQL (prepared once per
 * connection) rather than the builder: every anonymous read of one claim runs it, 304s and cached answers included,
 * and building and preparing the builder's query each time was 15% of a revalidation's CPU (docs/benchmarks.md).
 */
export async function claimStatusOf(h: Reader, id: string): Promise<ClaimStatus | undefined> {
  const row = await h.get<Pick<typeof claims.$inferSelect, 'status'>>('SELECT status FROM claims WHERE id = ?', [id]);
  return row?.status as ClaimStatus | undefined;
}

/** The 404 an anonymous caller gets for a draft: word for word the answer for an id that does not exist. */
export const draftNotFound = (id: string) => notFound(PROBLEM_CODES.claimNotFound, `No claim has id '${id}'.`);

/**
 * `GET /v1/claims?status=draft` without a key: a 401 saying why, rather than an empty list that would read as "no
 * drafts" (what a key would list is not the same as what the caller sees).
 */
export function draftsNeedKey(reply: FastifyReply): ApiProblem {
  reply.header('www-authenticate', WWW_AUTHENTICATE);
  return new ApiProblem(
    401,
    AUTH_CODES.unauthenticated,
    'Unauthenticated',
    'Drafts are listed only to API keys: send `Authorization: Bearer <key>` with `status=draft`.',
  );
}

/**
 * Who created the claim, as revisions name actors (`key:7`, `seed`, `import:civic`): the actor of its latest
 * `create` revision (a purged id created again belongs to its new creator); null when none is recorded.
 */
export async function claimCreator(h: Reader, id: string): Promise<string | null> {
  const { revisions } = h.tables;
  const [row] = await h.orm
    .select({ actor: revisions.actor })
    .from(revisions)
    .where(and(eq(revisions.entity, 'claim'), eq(revisions.entity_key, id), eq(revisions.action, 'create')))
    .orderBy(desc(revisions.id))
    .limit(1);
  return row?.actor ?? null;
}

/**
 * A draft is changed (edited, reviewed, retracted, published) only by the key that created it or an admin key: 403
 * `auth.forbidden` naming the creator otherwise. Published, retracted and withdrawn claims are open to every write
 * key. Call inside the write's transaction, after the 404 and If-Match checks (as every write orders them).
 */
export async function requireDraftEditor(
  request: FastifyRequest,
  h: Reader,
  id: string,
  status: string,
): Promise<void> {
  const key = request.apiKey;
  if (status !== 'draft' || key?.scope === 'admin') return;
  const creator = await claimCreator(h, id);
  if (key !== null && creator === `key:${key.id}`) return;
  throw new ApiProblem(
    403,
    AUTH_CODES.forbidden,
    'Forbidden',
    `Claim '${id}' is a draft of ${creator ?? 'an unrecorded creator'}: only its creator or an admin key may change it.`,
  );
}

/** The operation that moves a claim from one status to another, by operationId and how to call it. */
const STATUS_OPERATIONS: Record<string, { operation: string; call: (id: string) => string }> = {
  'draft>published': { operation: 'publishClaim', call: (id) => `POST /v1/claims/${id}/publish?reason=...` },
  'published>retracted': { operation: 'retractClaim', call: (id) => `DELETE /v1/claims/${id}?reason=...` },
  'draft>retracted': { operation: 'retractClaim', call: (id) => `DELETE /v1/claims/${id}?reason=...` },
  'retracted>published': { operation: 'restoreClaim', call: (id) => `POST /v1/claims/${id}/restore?reason=...` },
};

/**
 * A PATCH that gives `status`: its current value is accepted (a client may send back what it read), any other is a
 * 422 (rule `claim.status_by_operation`) naming the operation to use, so a retraction never happens without its
 * reason, nor an un-retraction behind a plain edit. Null when the status does not change.
 */
export function statusChangeProblem(id: string, from: string, to: string | undefined): ApiProblem | null {
  if (to === undefined || to === from) return null;
  const route = STATUS_OPERATIONS[`${from}>${to}`];
  const how = route
    ? `use ${route.call(id)} (operation ${route.operation}), which records why.`
    : `no operation moves a claim from ${from} to ${to}${to === 'withdrawn' ? ' (only an import withdraws a claim)' : ''}.`;
  const message = `status changes only through its own operation: ${how}`;
  return unprocessableViolation({
    rule: 'claim.status_by_operation',
    detail: `Claim '${id}' is ${from}; a PATCH cannot make it ${to}: ${how}`,
    errors: [{ path: 'status', message }],
  });
}

/**
 * The status a retracted claim returns to on restore: the one it had before its last retraction (its `retract`
 * revision's `status.before`), `published` when no retraction is recorded (a claim seeded or imported retracted).
 */
export async function statusBeforeRetraction(h: Reader, id: string): Promise<ClaimStatus> {
  const { revisions } = h.tables;
  const [row] = await h.orm
    .select({ changes: revisions.changes })
    .from(revisions)
    .where(and(eq(revisions.entity, 'claim'), eq(revisions.entity_key, id), eq(revisions.action, 'retract')))
    .orderBy(desc(revisions.id))
    .limit(1);
  const before = row ? (JSON.parse(row.changes) as { status?: { before?: unknown } }).status?.before : undefined;
  return (CLAIM_STATUSES as readonly unknown[]).includes(before) && before !== 'retracted'
    ? (before as ClaimStatus)
    : 'published';
}
