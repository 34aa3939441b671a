// The CSL-JSON family of the citation operations: one media type and one schema each, so generated clients parse it.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CITATION_MEDIA_TYPES, formatBibliography } from '../../citations/citations.format.js';
import type { StudyBibliography } from '../../evidence/study-record.js';
import { ClaimId, notFoundProblem, Slug, StudyKey } from '../../http/api-schemas.js';
import { notFound, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { claimStudies, studiesByPmids, topicStudies } from './citations.queries.js';
import { MAX_CITATION_PMIDS, studiesOfPmidList } from './citations.routes.js';
import { cslResponse, unknownPmids } from './citations.schemas.js';

const NO_QUERY = z.object({}).strict();

function sendCsl(reply: FastifyReply, studies: StudyBibliography[]) {
  return reply.type(`${CITATION_MEDIA_TYPES['csl-json']}; charset=utf-8`).send(formatBibliography(studies, 'csl-json'));
}

export const cslJsonCitationsRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/studies/:pmid/citation/csl-json', {
    schema: {
      operationId: 'getStudyCitationCslJson',
      tags: ['citations'],
      summary: 'Cite a study as CSL-JSON',
      description:
        "The study as an array of one CSL-JSON item, for citation processors (citeproc) and reference managers. Fields PubMed has not given us are left out, never invented; a study cited from its source's string (CIViC), or a source without a PMID (`asco:160900`), carries that string, labelled.",
      params: z.object({ pmid: StudyKey.describe('The study key: a PMID, or e.g. `asco:160900`.') }),
      querystring: NO_QUERY,
      response: { 200: cslResponse('The citation'), 404: notFoundProblem('studies') },
    },
    handler: async (request, reply) => {
      const key = request.params.pmid;
      const { studies } = await studiesByPmids(db, [key]);
      if (studies.length === 0)
        throw notFound(
          PROBLEM_CODES.studyNotFound,
          /^\d+$/.test(key) ? `No study has PMID ${key}.` : `No study is '${key}'.`,
        );
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
      const studies = await claimStudies(db, request.params.id);
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
      const studies = await topicStudies(db, request.params.slug);
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
    handler: async (request, reply) => sendCsl(reply, await studiesOfPmidList(db, request.query.pmids)),
  });
};
