// POST/PATCH/DELETE /v1/claims: curated claims with their study links, evidence rules, retraction and admin purge,
// and the review of a claim resting on retracted evidence.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { commit } from '../../curation/commit.js';
import { checkClaimRules, checkRetractedSupport } from '../../evidence/rules.js';
import { CLAIM_STATUSES } from '../../evidence/vocabulary.js';
import { ClaimId, notFoundProblem, StudyKey } from '../../http/api-schemas.js';
import { requireIfMatch, resourceEtag } from '../../http/concurrency.js';
import { ApiProblem, notFound, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import {
  actorOf,
  conflict,
  IfMatchHeaders,
  patchOf,
  ReasonQuery,
  RequiredReasonQuery,
  unprocessableViolation,
  writeProblems,
} from '../../http/writes.js';
import type { Reader } from '../../store/client.js';
import { dataTagOf, rowTag } from '../../store/data-version.queries.js';
import { requireDraftEditor, statusBeforeRetraction, statusChangeProblem } from './claims.access.js';
import { type ClaimRecord, claimRecordFromInput, claimRecordOf, getClaim } from './claims.queries.js';
import { ClaimInput, ClaimSchema, EffectEstimatesInput } from './claims.schemas.js';

/** The API body: link rules (at least one study, PMIDs that exist) answer 422 with the rule, not 400. */
export const ClaimCreateBody = ClaimInput.extend({
  studies: z
    .array(
      z
        .object({
          pmid: z.string().min(1).max(20).optional().describe('PubMed id of the study (or give `key`).'),
          key: StudyKey.optional().describe('Key of the study: its PMID, or e.g. `asco:160900` (or give `pmid`).'),
          relation: z.enum(['supports', 'contradicts', 'context']),
          finding: z.string().max(5000).nullable().default(null),
          // The upper bound keeps sums of sizes exact (a size near 2^53 made every list citing it a 500).
          subgroup_sample_size: z.number().int().max(1_000_000_000).nullable().default(null),
          effect_estimates: EffectEstimatesInput,
        })
        .strict()
        .refine((l) => (l.pmid === undefined) !== (l.key === undefined), 'give the study as `pmid` or `key`, not both'),
    )
    .max(500)
    .describe(
      'Linked studies in display order; at least one (422 `claim.needs_study`), each an existing study (PMID or key), each once (422 `claim.studies_unique`); a published claim needs one linked as `supports` (422 `claim.needs_supporting_study`).',
    ),
  status: z
    .enum(['published', 'draft'])
    .default('published')
    .describe(
      '`published` (the default) or `draft`: a draft is seen only by API keys and changed only by its creator or an admin key until `POST /v1/claims/{id}/publish`.',
    ),
}).meta({ id: 'ClaimCreate' });

const ClaimPatchBody = patchOf(
  ClaimCreateBody.extend({
    status: z
      .enum(CLAIM_STATUSES)
      .describe(
        'Only its current value (a client may send back what it read): any other is a 422 (`claim.status_by_operation`) naming the operation that changes it with a reason: publish, retract (DELETE) or restore.',
      ),
  }),
  ['id'],
  'ClaimPatch',
);

/** A status change's reason: required, kept in the revision history. */
const statusReason = (why: string, example: string) =>
  z.object({ reason: z.string().min(1).max(1000).describe(why).meta({ example }) }).strict();

export const claimsWrites: RoutePlugin = async (app, { db }) => {
  const params = z.object({ id: ClaimId });
  /** The claim as stored, with its row tag; 404 when none. Called inside the write's transaction. */
  const load = async (h: Reader, id: string) => {
    const record = await claimRecordOf(h, id);
    const tag = await rowTag(h, 'claims', id);
    if (!record || !tag) throw notFound(PROBLEM_CODES.claimNotFound, `No claim has id '${id}'.`);
    return { record, tag };
  };
  /** The committed claim with its ETag (the tag read first, so it is never newer than the body). */
  const respond = async (reply: FastifyReply, id: string, status = 200) => {
    const tag = await rowTag(db, 'claims', id);
    if (tag) reply.header('etag', resourceEtag(await dataTagOf(db), 'claims', tag));
    return reply.code(status).send(await getClaim(db, id));
  };

  app.post('/v1/claims', {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: 'createClaim',
      tags: ['claims'],
      summary: 'Create a claim',
      description:
        'Creates a curated claim with its studies (write scope). Evidence rules (422 with `rule`, and `errors` naming each path): at least one linked study, and for a published claim one linked as `supports`; every study (PMID or key), condition and intervention must exist; effect estimates must be consistent (a CI containing its estimate, ratios above 0, p-values in 0-1, a side that matches the link); with `grade.domains` the GRADE level must be what the start and the domains give (`grade_arithmetic` shows the steps) unless `grade.override_reason` says why, which the response then flags; without domains, moderate and high need a supporting RCT or review, or a reason in words; and the bottom line of every topic listing the claim must stay within its overall certainty.',
      querystring: ReasonQuery,
      body: ClaimCreateBody,
      response: { 201: ClaimSchema, ...writeProblems },
    },
    handler: async (request, reply) => {
      const record = claimRecordFromInput(request.body as ClaimInput);
      await commit(db, { actor: actorOf(request), reason: request.query.reason }, async (changes) => {
        if (await claimRecordOf(changes.read, record.id))
          throw conflict('claim.exists', `A claim '${record.id}' already exists.`);
        await checkClaimRules(changes.read, record, { publishing: record.status !== 'retracted' });
        await changes.upsertClaim(record);
      });
      reply.header('location', `/v1/claims/${record.id}`);
      return respond(reply, record.id, 201);
    },
  });

  app.patch('/v1/claims/:id', {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: 'updateClaim',
      tags: ['claims'],
      summary: 'Update a claim',
      description:
        'Changes the fields given (write scope); `grade`, `caveats`, `studies` and `interventions` given replace the old ones whole. Requires If-Match (428 without, 412 when stale). Evidence rules as for create. `status` is not changed here: its current value is accepted, any other is a 422 (`claim.status_by_operation`) naming the operation to use (publish, retract, restore). A draft is changed only by the key that created it or an admin key (403 for another write key).',
      params,
      headers: IfMatchHeaders,
      querystring: ReasonQuery,
      body: ClaimPatchBody,
      response: { 200: ClaimSchema, 404: notFoundProblem('claims'), ...writeProblems },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      await commit(db, { actor: actorOf(request), reason: request.query.reason }, async (changes) => {
        const { record, tag } = await load(changes.read, id);
        await requireIfMatch(request, reply, changes.read, 'claims', tag);
        await requireDraftEditor(request, changes.read, id, record.status);
        const { version: _version, ...existing } = record;
        const { studies, status, ...patch } = request.body as Partial<ClaimInput>;
        const statusChange = statusChangeProblem(id, record.status, status);
        if (statusChange) throw statusChange;
        const merged: ClaimRecord = {
          ...existing,
          ...patch,
          grade: patch.grade ? { ...patch.grade, rating: existing.grade.rating } : existing.grade,
          studies: studies
            ? studies.map(({ pmid, key, ...link }) => ({ ...link, key: (key ?? pmid) as string }))
            : existing.studies,
          // A summary the curator writes replaces a generated one; one they leave alone keeps its source.
          plain_summary_source:
            patch.plain_summary !== undefined && patch.plain_summary !== existing.plain_summary
              ? 'curated'
              : existing.plain_summary_source,
        } as ClaimRecord;
        // Publishing (a draft or withdrawn claim made published) is checked as a new claim would be.
        await checkClaimRules(changes.read, merged, {
          publishing: merged.status === 'published' && existing.status !== 'published',
        });
        await changes.upsertClaim(merged);
      });
      return respond(reply, id);
    },
  });

  app.post('/v1/claims/:id/review', {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: 'reviewClaim',
      tags: ['claims'],
      summary: 'Review a claim that awaits review',
      description:
        "Records a curator's review of a claim whose `review.needed` is true (write scope): a linked study was retracted, or a retracted study was linked. First make the claim right (PATCH its grade, caveat notes or studies, or retract it); then review it with `reason` saying what was decided. The review request clears, `review` keeps when, who and the note, and the claim counts again in `min_grade` filters. The caveat `retracted_evidence` stays while a retracted study is linked. Requires If-Match; 409 `claim.review_not_needed` when no review is pending. The change feed records it as action `review`.",
      security: [{ bearerAuth: [] }],
      params,
      headers: IfMatchHeaders,
      querystring: z
        .object({
          reason: z
            .string()
            .min(1)
            .max(1000)
            .describe('What the review decided; required, kept as `review.note` and in the revision history.')
            .meta({ example: 'Retracted trial unlinked; grade lowered to very_low on the remaining cohort.' }),
        })
        .strict(),
      response: { 200: ClaimSchema, ...writeProblems },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const { reason } = request.query;
      await commit(db, { actor: actorOf(request), reason }, async (changes) => {
        const { record, tag } = await load(changes.read, id);
        await requireIfMatch(request, reply, changes.read, 'claims', tag);
        await requireDraftEditor(request, changes.read, id, record.status);
        // A review clears the request, not the evidence: a claim resting on retracted studies alone stays flagged.
        const unsupported = record.status === 'retracted' ? null : await checkRetractedSupport(changes.read, record);
        if (unsupported) throw unprocessableViolation(unsupported, '');
        if (!(await changes.reviewClaim(id, reason)))
          throw conflict('claim.review_not_needed', `Claim '${id}' is not awaiting review.`);
      });
      return respond(reply, id);
    },
  });

  app.delete('/v1/claims/:id', {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: 'retractClaim',
      tags: ['claims'],
      summary: 'Retract (or purge) a claim',
      description:
        'Retracts the claim (write scope): its status becomes `retracted`, it leaves default listings and answer cards, and stays readable by id and in its history; `POST /v1/claims/{id}/restore` takes it back. `reason` is required. A draft is retracted only by its creator or an admin key. With `purge=true` (admin scope) the claim is deleted for good; the purge itself stays in the change feed. Requires If-Match.',
      params,
      headers: IfMatchHeaders,
      querystring: RequiredReasonQuery,
      response: {
        200: ClaimSchema,
        204: z.null().describe('Purged.'),
        404: notFoundProblem('claims'),
        ...writeProblems,
      },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const { reason, purge } = request.query;
      if (purge && request.apiKey?.scope !== 'admin') {
        // 404, 428 and 412 come before 403, as for every write; nothing is written, so no transaction is needed.
        const { tag } = await load(db, id);
        await requireIfMatch(request, reply, db, 'claims', tag);
        throw new ApiProblem(
          403,
          'auth.forbidden',
          'Forbidden',
          'Purging a claim needs an admin key; retract it instead.',
        );
      }
      await commit(db, { actor: actorOf(request), reason }, async (changes) => {
        const { record, tag } = await load(changes.read, id);
        await requireIfMatch(request, reply, changes.read, 'claims', tag);
        if (purge) {
          await changes.purgeClaim(id);
          return;
        }
        await requireDraftEditor(request, changes.read, id, record.status);
        if (record.status === 'retracted')
          throw conflict('claim.already_retracted', `Claim '${id}' is already retracted.`);
        await changes.setClaimStatus(id, 'retracted', 'retract');
      });
      if (purge) return reply.code(204).send(null);
      return respond(reply, id);
    },
  });

  app.post('/v1/claims/:id/publish', {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: 'publishClaim',
      tags: ['claims'],
      summary: 'Publish a draft',
      description:
        'Makes a draft `published` (write scope): it then shows in lists, topics, search and releases, to everyone. Only the key that created the draft or an admin key may (403 otherwise); `reason` is required. The claim must pass the rules of a published claim (422: a study linked as `supports`, the bottom lines of topics listing it). Requires If-Match; 409 `claim.not_draft` for a claim that is not a draft. The change feed records it as action `publish`.',
      params,
      headers: IfMatchHeaders,
      querystring: statusReason(
        'Why the draft is ready; required, kept in the revision history.',
        'Second curator checked the grade and the studies.',
      ),
      response: { 200: ClaimSchema, 404: notFoundProblem('claims'), ...writeProblems },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      await commit(db, { actor: actorOf(request), reason: request.query.reason }, async (changes) => {
        const { record, tag } = await load(changes.read, id);
        await requireIfMatch(request, reply, changes.read, 'claims', tag);
        await requireDraftEditor(request, changes.read, id, record.status);
        if (record.status !== 'draft')
          throw conflict('claim.not_draft', `Claim '${id}' is ${record.status}; only a draft is published.`);
        await checkClaimRules(changes.read, { ...record, status: 'published' }, { publishing: true });
        await changes.setClaimStatus(id, 'published', 'publish');
      });
      return respond(reply, id);
    },
  });

  app.post('/v1/claims/:id/restore', {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: 'restoreClaim',
      tags: ['claims'],
      summary: 'Restore a retracted claim',
      description:
        'Takes back a retraction (write scope): the claim returns to the status it had before it was retracted (`published`, or `draft` for a retracted draft, which only its creator or an admin key may restore), read from its revisions; `published` when no retraction is recorded. `reason` is required. A restored published claim must pass the rules of a published claim (422). The review state is left as it is: a review the claim awaits (retracted evidence) still awaits `POST /v1/claims/{id}/review`, and the caveat `retracted_evidence` stays while a retracted study is linked. Requires If-Match; 409 `claim.not_retracted` for a claim that is not retracted. The change feed records it as action `restore`.',
      params,
      headers: IfMatchHeaders,
      querystring: statusReason(
        'Why the retraction is taken back; required, kept in the revision history.',
        'Retracted by mistake: the retraction notice concerns another trial.',
      ),
      response: { 200: ClaimSchema, 404: notFoundProblem('claims'), ...writeProblems },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      await commit(db, { actor: actorOf(request), reason: request.query.reason }, async (changes) => {
        const { record, tag } = await load(changes.read, id);
        await requireIfMatch(request, reply, changes.read, 'claims', tag);
        if (record.status !== 'retracted')
          throw conflict(
            'claim.not_retracted',
            `Claim '${id}' is ${record.status}; only a retracted claim is restored.`,
          );
        const status = await statusBeforeRetraction(changes.read, id);
        await requireDraftEditor(request, changes.read, id, status);
        if (status === 'published') await checkClaimRules(changes.read, { ...record, status }, { publishing: true });
        await changes.setClaimStatus(id, status, 'restore');
      });
      return respond(reply, id);
    },
  });
};
