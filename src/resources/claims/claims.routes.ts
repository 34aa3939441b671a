// GET /v1/claims and /v1/claims/{id}: graded claims with their studies, filters that compose, keyset pages.
import { z } from 'zod';
import { ClaimId, problemResponses } from '../../shared/api-schemas.js';
import { parseMinGrade } from '../../shared/grades.js';
import { resolveLookup } from '../../shared/lookup.queries.js';
import { badRequest, notFound, PROBLEM_CODES } from '../../shared/problem.js';
import type { RoutePlugin } from '../../shared/route-types.js';
import { requireMatchQuery } from '../../shared/search.js';
import { getClaim, listClaims } from './claims.queries.js';
import { ClaimListQuery, ClaimListSchema, ClaimSchema } from './claims.schemas.js';

export const claimsRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/claims', {
    schema: {
      operationId: 'listClaims',
      tags: ['claims'],
      summary: 'List claims',
      description:
        'Claims with their grade, caveats and linked studies (design, sample size), strongest evidence first. Filters compose (AND). `condition` includes sub-conditions unless `include_descendants=false`. Pages never repeat or skip a claim; pass `next_cursor` back as `cursor` with the same filters and sort. An unknown `condition` or `intervention` is a 400 naming the parameter, so a typo never reads as "no evidence".',
      querystring: ClaimListQuery,
      response: { 200: ClaimListSchema, ...problemResponses },
    },
    handler: async (request) => {
      const q = request.query;
      const conditionId = q.condition === undefined ? undefined : resolveLookup(db.sqlite, 'condition', q.condition);
      if (q.condition !== undefined && conditionId === undefined)
        throw badRequest('query.condition', `no condition is known by '${q.condition}' (slug, name, synonym or code)`);
      const interventionId =
        q.intervention === undefined ? undefined : resolveLookup(db.sqlite, 'intervention', q.intervention);
      if (q.intervention !== undefined && interventionId === undefined)
        throw badRequest(
          'query.intervention',
          `no intervention is known by '${q.intervention}' (slug, name or synonym)`,
        );
      const minCertainty = q.min_grade === undefined ? undefined : parseMinGrade(q.min_grade);
      if (q.min_grade !== undefined && minCertainty === undefined)
        throw badRequest(
          'query.min_grade',
          'must be 0-4, a GRADE level (high, moderate, low, very_low) or a CIViC level (A-E)',
        );
      const gradeLevel = q.grade === undefined ? undefined : normaliseGradeLevel(q.grade);
      if (q.grade !== undefined && gradeLevel === undefined)
        throw badRequest('query.grade', 'must be a GRADE level (high, moderate, low, very_low) or a CIViC level (A-E)');
      return listClaims(
        db.sqlite,
        {
          conditionId,
          includeDescendants: q.include_descendants,
          interventionId,
          minCertainty,
          gradeLevel,
          gradeScheme: q.grade_scheme,
          design: q.design,
          minSampleSize: q.min_sample_size,
          direction: q.direction,
          pmid: q.pmid,
          biomarker: q.biomarker,
          source: q.source,
          match: q.q === undefined ? undefined : requireMatchQuery('query.q', q.q),
          status: q.status,
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
      response: { 200: ClaimSchema, ...problemResponses },
    },
    handler: async (request) => {
      const claim = getClaim(db.sqlite, request.params.id);
      if (!claim) throw notFound(PROBLEM_CODES.claimNotFound, `No claim has id '${request.params.id}'.`);
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
