// POST/PATCH/DELETE /v1/claims: curated claims with their study links, evidence rules, retraction and admin purge.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordChange, snapshotOf } from '../../curation/snapshots.js';
import { checkClaimRules } from '../../evidence/rules.js';
import { ClaimId, notFoundProblem } from '../../http/api-schemas.js';
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
  writeProblems,
  writeTransaction,
} from '../../http/writes.js';
import { dataTagOf } from '../../store/data-version.queries.js';
import {
  type ClaimRecord,
  claimRecordFromInput,
  claimRecordOf,
  getClaim,
  purgeClaim,
  upsertClaim,
} from './claims.queries.js';
import { ClaimInput, ClaimSchema } from './claims.schemas.js';

/** The API body: link rules (at least one study, PMIDs that exist) answer 422 with the rule, not 400. */
export const ClaimCreateBody = ClaimInput.extend({
  studies: z
    .array(
      z
        .object({
          pmid: z.string().min(1).max(20),
          relation: z.enum(['supports', 'contradicts', 'context']),
          finding: z.string().max(5000).nullable().default(null),
          subgroup_sample_size: z.number().int().nullable().default(null),
        })
        .strict(),
    )
    .max(500)
    .describe('Linked studies in display order; at least one (422 `claim.needs_study`), each an existing PMID.'),
}).meta({ id: 'ClaimCreate' });

const ClaimPatchBody = patchOf(ClaimCreateBody, ['id'], 'ClaimPatch');

export const claimsWrites: RoutePlugin = async (app, { db }) => {
  const sqlite = db.sqlite;
  const params = z.object({ id: ClaimId });
  const load = (id: string) => {
    const record = claimRecordOf(sqlite, id);
    if (!record) throw notFound(PROBLEM_CODES.claimNotFound, `No claim has id '${id}'.`);
    return record;
  };
  const etagOf = (id: string) => resourceEtag(dataTagOf(sqlite), claimRecordOf(sqlite, id)?.version ?? 0);
  const respond = (reply: FastifyReply, id: string, status = 200) =>
    reply.code(status).header('etag', etagOf(id)).send(getClaim(sqlite, id));
  const checkIfMatch = (request: FastifyRequest, reply: FastifyReply, version: number, id: string) =>
    requireIfMatch(request, reply, version, etagOf(id));

  app.post('/v1/claims', {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: 'createClaim',
      tags: ['claims'],
      summary: 'Create a claim',
      description:
        'Creates a curated claim with its studies (write scope). Evidence rules (422 with `rule`): at least one linked study, every PMID, condition and intervention must exist, and GRADE `high` needs a linked RCT, systematic review or meta-analysis, or an explicit `grade.upgrade_rationale`.',
      querystring: ReasonQuery,
      body: ClaimCreateBody,
      response: { 201: ClaimSchema, ...writeProblems },
    },
    handler: async (request, reply) => {
      const record = claimRecordFromInput(request.body as ClaimInput);
      if (claimRecordOf(sqlite, record.id)) throw conflict('claim.exists', `A claim '${record.id}' already exists.`);
      checkClaimRules(sqlite, record);
      writeTransaction(db, () => {
        upsertClaim(sqlite, record);
        recordChange(
          sqlite,
          { entity: 'claim', key: record.id, action: 'create', actor: actorOf(request), reason: request.query.reason },
          null,
        );
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
        'Changes the fields given (write scope); `grade`, `caveats`, `studies` and `interventions` given replace the old ones whole. Requires If-Match (428 without, 412 when stale). Evidence rules as for create.',
      params,
      headers: IfMatchHeaders,
      querystring: ReasonQuery,
      body: ClaimPatchBody,
      response: { 200: ClaimSchema, 404: notFoundProblem('claims'), ...writeProblems },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const { version, ...existing } = load(id);
      checkIfMatch(request, reply, version, id);
      const patch = request.body as Partial<ClaimInput>;
      const merged: ClaimRecord = {
        ...existing,
        ...patch,
        grade: patch.grade ? { ...patch.grade, rating: existing.grade.rating } : existing.grade,
      } as ClaimRecord;
      checkClaimRules(sqlite, merged);
      const before = snapshotOf(sqlite, 'claim', id);
      writeTransaction(db, () => {
        if (upsertClaim(sqlite, merged) !== 'unchanged')
          recordChange(
            sqlite,
            { entity: 'claim', key: id, action: 'update', actor: actorOf(request), reason: request.query.reason },
            before,
          );
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
        'Retracts the claim (write scope): its status becomes `retracted`, it leaves default listings and answer cards, and stays readable by id and in its history. `reason` is required. With `purge=true` (admin scope) the claim is deleted for good; the purge itself stays in the change feed. Requires If-Match.',
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
      const { version, ...existing } = load(id);
      checkIfMatch(request, reply, version, id);
      const { reason, purge } = request.query;
      const before = snapshotOf(sqlite, 'claim', id);
      if (purge) {
        if (request.apiKey?.scope !== 'admin')
          throw new ApiProblem(
            403,
            'auth.forbidden',
            'Forbidden',
            'Purging a claim needs an admin key; retract it instead.',
          );
        writeTransaction(db, () => {
          purgeClaim(sqlite, id);
          recordChange(sqlite, { entity: 'claim', key: id, action: 'purge', actor: actorOf(request), reason }, before);
        });
        return reply.code(204).send(null);
      }
      if (existing.status === 'retracted')
        throw conflict('claim.already_retracted', `Claim '${id}' is already retracted.`);
      writeTransaction(db, () => {
        upsertClaim(sqlite, { ...existing, status: 'retracted' });
        recordChange(sqlite, { entity: 'claim', key: id, action: 'retract', actor: actorOf(request), reason }, before);
      });
      return respond(reply, id);
    },
  });
};
