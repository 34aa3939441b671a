// GET /v1/claims and /v1/claims/{id}: graded claims with their studies, filters that compose, keyset pages.
import { z } from 'zod';
import { parseMinGrade } from '../../evidence/grades.js';
import { ClaimId, notFoundProblem } from '../../http/api-schemas.js';
import { resourceEtag } from '../../http/concurrency.js';
import { badRequest, notFound, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { requireMatchQuery } from '../../http/text-queries.js';
import { rowTag } from '../../store/data-version.queries.js';
import { resolveLookup } from '../../store/lookup.queries.js';
import { requireCondition } from '../conditions/conditions.resolve.js';
import { snapshotAt } from '../history/history.queries.js';
import { draftNotFound, draftsNeedKey, seesDrafts } from './claims.access.js';
import { getClaim, listClaims } from './claims.queries.js';
import { ClaimListQuery, ClaimListSchema, ClaimSchema } from './claims.schemas.js';
import { servedClaimSnapshot } from './claims.snapshots.js';

export const claimsRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/claims', {
    schema: {
      operationId: 'listClaims',
      tags: ['claims'],
      summary: 'List claims',
      description:
        'Claims with their grade, caveats and linked studies (design, sample size), strongest evidence first; within one certainty level by CIViC rating, then strongest design, then sample size (of the supporting studies), then recency. Filters compose (AND); PICO filters (`age_group`, `sex`, `setting`, `outcome_code`) match only what a claim\'s PICO states. `condition` includes every descendant through the condition hierarchy (curated and ontology links) unless `include_descendants=false`. Pages never repeat or skip a claim; pass `next_cursor` back as `cursor` with the same filters and sort. An unknown `condition` or `intervention` is a 400 naming the parameter, so a typo never reads as "no evidence"; an ambiguous `condition` is a 400 listing the candidates. A claim resting on a retracted study carries the caveat `retracted_evidence`, names the study in `retracted_evidence`, and is left out of `min_grade` above very_low until a curator reviews it; `has_retracted_evidence=true` lists them.',
      querystring: ClaimListQuery,
      response: { 200: ClaimListSchema },
    },
    handler: async (request, reply) => {
      const q = request.query;
      if (q.status === 'draft' && !seesDrafts(request)) throw draftsNeedKey(reply);
      const conditionId =
        q.condition === undefined ? undefined : await requireCondition(db, q.condition, 'query.condition');
      // Repeated, every intervention must be one the claim involves (a combination asked for as such).
      const interventionIds: number[] = [];
      for (const [i, text] of (q.intervention ?? []).entries()) {
        const id = await resolveLookup(db, 'intervention', text);
        if (id === undefined)
          throw badRequest(
            (q.intervention?.length ?? 0) > 1 ? `query.intervention[${i}]` : 'query.intervention',
            `no intervention is known by '${text}' (slug, name or synonym)`,
          );
        interventionIds.push(id);
      }
      const [interventionId, ...alsoInterventions] = [...new Set(interventionIds)];
      const minGrade = q.min_grade === undefined ? undefined : parseMinGrade(q.min_grade);
      if (q.min_grade !== undefined && minGrade === undefined)
        throw badRequest(
          'query.min_grade',
          'must be 0-4, a GRADE level (high, moderate, low, very_low) or a CIViC level (A-E)',
        );
      // A level filters its own scheme only (GRADE low is not CIViC C); a number filters every scheme.
      const minGradeScheme = minGrade?.scheme ?? undefined;
      if (minGradeScheme !== undefined && q.grade_scheme !== undefined && q.grade_scheme !== minGradeScheme)
        throw badRequest(
          'query.min_grade',
          `'${q.min_grade}' is a ${minGradeScheme === 'GRADE' ? 'GRADE level' : 'CIViC level'} and cannot filter grade_scheme=${q.grade_scheme}; give a number 0-4 to compare schemes`,
        );
      const gradeLevel = q.grade === undefined ? undefined : normaliseGradeLevel(q.grade);
      if (q.grade !== undefined && gradeLevel === undefined)
        throw badRequest('query.grade', 'must be a GRADE level (high, moderate, low, very_low) or a CIViC level (A-E)');
      return await listClaims(
        db,
        {
          ...(q.include_descendants ? { condition_tree: conditionId } : { condition_id: conditionId }),
          intervention_id: interventionId,
          intervention_id_2: alsoInterventions[0],
          intervention_id_3: alsoInterventions[1],
          intervention_id_4: alsoInterventions[2],
          intervention_id_5: alsoInterventions[3],
          min_certainty: minGrade?.certainty,
          grade_level: gradeLevel,
          grade_scheme: q.grade_scheme ?? minGradeScheme,
          design: q.design,
          min_sample_size: q.min_sample_size,
          direction: q.direction,
          evidence_type: q.evidence_type,
          pmid: q.pmid,
          biomarker: q.biomarker,
          source: q.source,
          match: q.q === undefined ? undefined : requireMatchQuery('query.q', q.q),
          status: q.status,
          age_group: q.age_group,
          sex: q.sex,
          setting: q.setting,
          outcome_code: q.outcome_code,
          has_retracted_evidence: q.has_retracted_evidence === undefined ? undefined : q.has_retracted_evidence ? 1 : 0,
        },
        q.sort,
        q.limit,
        q.cursor,
      );
    },
  });

  app.get('/v1/claims/:id', {
    schema: {
      operationId: 'getClaim',
      tags: ['claims'],
      summary: 'Get a claim',
      description:
        'One claim with its grade, caveats, condition, interventions, every linked study (PMID, design, sample size, year, journal, title, relation) and an evidence summary.',
      params: z.object({ id: ClaimId }),
      querystring: z
        .object({
          as_of: z.iso
            .datetime({ offset: true })
            .optional()
            .describe(
              'Read the claim as it was at this moment (ISO 8601, e.g. `2026-11-26T12:00:00Z`), from its revision history.',
            ),
        })
        .strict(),
      response: { 200: ClaimSchema, 404: notFoundProblem('claims') },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      if (request.query.as_of !== undefined) {
        const asOf = new Date(request.query.as_of).toISOString();
        const past = await snapshotAt(db, 'claim', id, asOf);
        // A draft's past is no more public than the draft: as of a moment it was one, anonymous callers get a 404.
        if (past.found && past.snapshot.status === 'draft' && !seesDrafts(request)) throw draftNotFound(id);
        if (!past.found)
          throw notFound(
            PROBLEM_CODES.claimNotFound,
            past.deletedAt
              ? `Claim '${id}' had been purged by ${asOf} (at ${past.deletedAt}).`
              : `Claim '${id}' has no recorded state at or before ${asOf}.`,
          );
        // A keyed read may hold a draft: no shared cache may keep it.
        reply.header('cache-control', `${seesDrafts(request) ? 'private' : 'public'}, max-age=86400`);
        return servedClaimSnapshot(past.snapshot) as z.infer<typeof ClaimSchema>;
      }
      // The tag is read before the body: a write in between makes the tag older than the body, never newer.
      const tag = await rowTag(db, 'claims', id);
      const claim = await getClaim(db, id);
      if (!claim || !tag) throw notFound(PROBLEM_CODES.claimNotFound, `No claim has id '${id}'.`);
      reply.header('etag', resourceEtag(request.dataTag, 'claims', tag));
      return claim;
    },
  });
};

function normaliseGradeLevel(value: string): string | undefined {
  const lower = value.toLowerCase().replace(/[\s-]/g, '_');
  if (['high', 'moderate', 'low', 'very_low'].includes(lower)) return lower;
  if (/^[A-Ea-e]$/.test(value)) return value.toUpperCase();
  return undefined;
}
