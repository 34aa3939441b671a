// The CSL-JSON family of the citation operations: one media type and one schema each, so generated clients parse it.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CITATION_MEDIA_TYPES, formatBibliography } from '../../citations/citations.format.js';
import type { StudyBibliography } from '../../evidence/study-record.js';
import { ClaimId, notFoundProblem, Pmid, Slug } from '../../http/api-schemas.js';
import { ApiProblem, badRequest, notFound, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import type { Sqlite } from '../../store/client.js';
import { claimStudies, studiesByPmids, topicStudies } from './citations.queries.js';
import { MAX_CITATION_PMIDS } from './citations.routes.js';
import { cslResponse, unknownPmids } from './citations.schemas.js';

const NO_QUERY = z.object({}).strict();

function sendCsl(reply: FastifyReply, studies: StudyBibliography[]) {
  return reply.type(`${CITATION_MEDIA_TYPES['csl-json']}; charset=utf-8`).send(formatBibliography(studies, 'csl-json'));
}

/**
 * The studies of a comma-separated PMID list, in the order given, duplicates dropped. All or nothing: 400 for a
 * malformed id or more than MAX_CITATION_PMIDS, 404 `citations.unknown_pmids` with `missing` when any is unknown.
 */
function studiesOfPmidList(sqlite: Sqlite, list: string): StudyBibliography[] {
  const pmids = [...new Set(list.split(',').map((p) => p.trim()))];
  const bad = pmids.filter((p) => !Pmid.safeParse(p).success);
  if (bad.length > 0) throw badRequest('query.pmids', `not PubMed ids: ${bad.slice(0, 10).join(', ')}`);
  if (pmids.length > MAX_CITATION_PMIDS)
    throw badRequest('query.pmids', `at most ${MAX_CITATION_PMIDS} PMIDs per request (got ${pmids.length})`);
  const { studies, missing } = studiesByPmids(sqlite, pmids);
  if (missing.length > 0)
    throw new ApiProblem(
      404,
      'citations.unknown_pmids',
      'Not found',
      `${missing.length} of ${pmids.length} PMIDs are not in the database: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', ...' : ''}.`,
      undefined,
      { missing },
    );
  return studies;
}

export const cslJsonCitationsRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/studies/:pmid/citation/csl-json', {
    schema: {
      operationId: 'getStudyCitationCslJson',
      tags: ['citations'],
      summary: 'Cite a study as CSL-JSON',
      description:
        'The study as an array of one CSL-JSON item, for citation processors (citeproc) and reference managers. Fields PubMed has not given us are left out, never invented.',
      params: z.object({ pmid: Pmid }),
      querystring: NO_QUERY,
      response: { 200: cslResponse('The citation'), 404: notFoundProblem('studies') },
    },
    handler: async (request, reply) => {
      const { studies } = studiesByPmids(db.sqlite, [request.params.pmid]);
      if (studies.length === 0)
        throw notFound(PROBLEM_CODES.studyNotFound, `No study has PMID ${request.params.pmid}.`);
      return sendCsl(reply, studies);
    },
  });

  app.get('/v1/claims/:id/citations/csl-json', {
    schema: {
      operationId: 'getClaimCitationsCslJson',
      tags: ['citations'],
      summary: "Cite a claim's studies as CSL-JSON",
      description: "Every study behind a claim as CSL-JSON items, in the claim's own order.",
      params: z.object({ id: ClaimId }),
      querystring: NO_QUERY,
      response: { 200: cslResponse('The bibliography'), 404: notFoundProblem('claims') },
    },
    handler: async (request, reply) => {
      const studies = claimStudies(db.sqlite, request.params.id);
      if (!studies) throw notFound(PROBLEM_CODES.claimNotFound, `No claim has id '${request.params.id}'.`);
      return sendCsl(reply, studies);
    },
  });

  app.get('/v1/topics/:slug/citations/csl-json', {
    schema: {
      operationId: 'getTopicCitationsCslJson',
      tags: ['citations'],
      summary: "Cite a topic's studies as CSL-JSON",
      description:
        "The distinct studies behind a topic's published claims as CSL-JSON items, in order of first citation.",
      params: z.object({ slug: Slug.describe('Topic slug.').meta({ example: 'gut-microbiome-and-skin' }) }),
      querystring: NO_QUERY,
      response: { 200: cslResponse('The bibliography'), 404: notFoundProblem('topics') },
    },
    handler: async (request, reply) => {
      const studies = topicStudies(db.sqlite, request.params.slug);
      if (!studies) throw notFound(PROBLEM_CODES.topicNotFound, `No topic has slug '${request.params.slug}'.`);
      return sendCsl(reply, studies);
    },
  });

  app.get('/v1/citations/csl-json', {
    schema: {
      operationId: 'getCitationsCslJson',
      tags: ['citations'],
      summary: 'Cite a list of PMIDs as CSL-JSON',
      description: `Up to ${MAX_CITATION_PMIDS} PMIDs as CSL-JSON items, in the order given (duplicates dropped). All or nothing, as for the text bibliography.`,
      querystring: z
        .object({
          pmids: z
            .string()
            .min(1)
            .max(MAX_CITATION_PMIDS * 11)
            .describe(`Comma-separated PubMed ids, at most ${MAX_CITATION_PMIDS}.`)
            .meta({ example: '29097493,22699609' }),
        })
        .strict(),
      response: {
        200: cslResponse('The bibliography'),
        404: unknownPmids,
      },
    },
    handler: async (request, reply) => sendCsl(reply, studiesOfPmidList(db.sqlite, request.query.pmids)),
  });
};
