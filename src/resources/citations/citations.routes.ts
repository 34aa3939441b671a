// Citations for clinicians' tools: one study, a claim's or a topic's bibliography, or a PMID list, in six formats.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  CITATION_FILE_EXTENSIONS,
  CITATION_MEDIA_TYPES,
  type CitationFormat,
  formatBibliography,
  formatCitation,
  type TextCitationFormat,
} from '../../citations/citations.format.js';
import type { StudyBibliography } from '../../evidence/study-record.js';
import { ClaimId, notFoundProblem, Pmid, Slug, StudyKey } from '../../http/api-schemas.js';
import { ApiProblem, badRequest, notFound, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import type { Reader } from '../../store/client.js';
import { claimStudies, studiesByPmids, topicStudies } from './citations.queries.js';
import {
  CitationQuery,
  citationResponse,
  FormatParam,
  negotiateFormat,
  seeCslJson,
  unknownPmids,
} from './citations.schemas.js';

export const MAX_CITATION_PMIDS = 200;

/**
 * The studies of a comma-separated PMID list, in the order given, duplicates dropped. All or nothing: 400 for a
 * malformed id or more than MAX_CITATION_PMIDS, 404 `citations.unknown_pmids` with `missing` when any is unknown.
 */
export async function studiesOfPmidList(h: Reader, list: string): Promise<StudyBibliography[]> {
  const pmids = [...new Set(list.split(',').map((p) => p.trim()))];
  const bad = pmids.filter((p) => !Pmid.safeParse(p).success);
  if (bad.length > 0) throw badRequest('query.pmids', `not PubMed ids: ${bad.slice(0, 10).join(', ')}`);
  if (pmids.length > MAX_CITATION_PMIDS)
    throw badRequest('query.pmids', `at most ${MAX_CITATION_PMIDS} PMIDs per request (got ${pmids.length})`);
  const { studies, missing } = await studiesByPmids(h, pmids);
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

declare module 'fastify' {
  interface FastifyRequest {
    /** The text format a citation route serves, settled by `negotiateCitation` before the handler runs. */
    citationFormat?: TextCitationFormat;
  }
}

/**
 * A preHandler for the text family: `format` or else `Accept` picks the format; CSL-JSON lives in its own operation,
 * so a request for it (by `Accept`, or the retired `format=csl-json`) is sent there with a 303.
 */
async function negotiateCitation(request: FastifyRequest, reply: FastifyReply) {
  const { format } = request.query as { format?: CitationFormat };
  const chosen = format ?? negotiateFormat(request.headers.accept);
  if (chosen !== 'csl-json') {
    request.citationFormat = chosen;
    return;
  }
  const [path = '', query = ''] = request.url.split('?');
  const rest = new URLSearchParams(query);
  rest.delete('format');
  const search = rest.toString();
  return reply.redirect(`${path}/csl-json${search ? `?${search}` : ''}`, 303);
}

/** The text format `negotiateCitation` settled on. */
function chooseFormat(request: FastifyRequest): TextCitationFormat {
  return request.citationFormat ?? 'vancouver';
}

/**
 * Sends text citations: `text/plain` when `format` chose them, so every client reads them as text; the RIS or BibTeX
 * media type when `Accept` asked for it. RIS and BibTeX come as a download (Content-Disposition).
 */
function send(reply: FastifyReply, format: CitationFormat, fileBase: string, body: string) {
  const byParameter = (reply.request.query as { format?: string }).format !== undefined;
  const media = byParameter ? 'text/plain' : CITATION_MEDIA_TYPES[format];
  reply.type(media.includes('charset') ? media : `${media}; charset=utf-8`);
  const extension = CITATION_FILE_EXTENSIONS[format];
  if (extension) reply.header('content-disposition', `attachment; filename="${fileBase}${extension}"`);
  return reply.send(body);
}

const bibliography = (studies: StudyBibliography[], format: CitationFormat) =>
  format === 'csl-json' || studies.length !== 1 || format === 'ris' || format === 'bibtex'
    ? formatBibliography(studies, format)
    : formatCitation(studies[0] as StudyBibliography, format);

export const citationsRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/studies/:pmid/citation', {
    preHandler: negotiateCitation,
    schema: {
      operationId: 'getStudyCitation',
      tags: ['citations'],
      summary: 'Cite a study',
      description:
        "The citation of one study as text: Vancouver, AMA, APA, RIS or BibTeX. Fields PubMed has not given us are left out, never invented; a study known only by its PMID still yields a valid entry. A study whose record is missing but that a source cited (CIViC) is cited by that source's own string, labelled `[citation as given by CIViC]`; so is a source without a PMID (`asco:160900`). CSL-JSON: `getStudyCitationCslJson`.",
      params: z.object({ pmid: StudyKey.describe('The study key: a PMID, or e.g. `asco:160900`.') }),
      querystring: CitationQuery,
      response: { 200: citationResponse('The citation'), 303: seeCslJson, 404: notFoundProblem('studies') },
    },
    handler: async (request, reply) => {
      const format = chooseFormat(request);
      const { studies } = await studiesByPmids(db, [request.params.pmid]);
      const key = request.params.pmid;
      if (studies.length === 0)
        throw notFound(
          PROBLEM_CODES.studyNotFound,
          /^\d+$/.test(key) ? `No study has PMID ${key}.` : `No study is '${key}'.`,
        );
      const fileBase = /^\d+$/.test(key) ? `pmid-${key}` : key.replace(/[^A-Za-z0-9]+/g, '-');
      return send(reply, format, fileBase, bibliography(studies, format));
    },
  });

  app.get('/v1/claims/:id/citations', {
    preHandler: negotiateCitation,
    schema: {
      operationId: 'getClaimCitations',
      tags: ['citations'],
      summary: "Cite a claim's studies",
      description:
        "Every study behind a claim as text, in the claim's own order (the order of `studies` in the claim). CSL-JSON: `getClaimCitationsCslJson`.",
      params: z.object({ id: ClaimId }),
      querystring: CitationQuery,
      response: { 200: citationResponse('The bibliography'), 303: seeCslJson, 404: notFoundProblem('claims') },
    },
    handler: async (request, reply) => {
      const format = chooseFormat(request);
      const studies = await claimStudies(db, request.params.id);
      if (!studies) throw notFound(PROBLEM_CODES.claimNotFound, `No claim has id '${request.params.id}'.`);
      return send(reply, format, `claim-${request.params.id}`, formatBibliography(studies, format));
    },
  });

  app.get('/v1/topics/:slug/citations', {
    preHandler: negotiateCitation,
    schema: {
      operationId: 'getTopicCitations',
      tags: ['citations'],
      summary: "Cite a topic's studies",
      description:
        "The distinct studies behind a topic's published claims as text, in order of first citation (claims in the topic's order, studies in each claim's order). CSL-JSON: `getTopicCitationsCslJson`.",
      params: z.object({ slug: Slug.describe('Topic slug.').meta({ example: 'gut-microbiome-and-skin' }) }),
      querystring: CitationQuery,
      response: { 200: citationResponse('The bibliography'), 303: seeCslJson, 404: notFoundProblem('topics') },
    },
    handler: async (request, reply) => {
      const format = chooseFormat(request);
      const studies = await topicStudies(db, request.params.slug);
      if (!studies) throw notFound(PROBLEM_CODES.topicNotFound, `No topic has slug '${request.params.slug}'.`);
      return send(reply, format, `topic-${request.params.slug}`, formatBibliography(studies, format));
    },
  });

  app.get('/v1/citations', {
    preHandler: negotiateCitation,
    schema: {
      operationId: 'getCitations',
      tags: ['citations'],
      summary: 'Cite a list of PMIDs',
      description: `A bibliography of up to ${MAX_CITATION_PMIDS} PMIDs as text, in the order given (duplicates dropped). All or nothing: if any PMID is not in the database the answer is a 404 problem whose \`missing\` member lists them, so a reference list is never silently short. CSL-JSON: \`getCitationsCslJson\`.`,
      querystring: z
        .object({
          pmids: z
            .string()
            .min(1)
            .max(MAX_CITATION_PMIDS * 11)
            .describe(`Comma-separated PubMed ids, at most ${MAX_CITATION_PMIDS}.`)
            .meta({ example: '29097493,22699609' }),
          format: FormatParam,
        })
        .strict(),
      response: {
        200: citationResponse('The bibliography'),
        303: seeCslJson,
        404: unknownPmids,
      },
    },
    handler: async (request, reply) => {
      const format = chooseFormat(request);
      const studies = await studiesOfPmidList(db, request.query.pmids);
      return send(reply, format, 'citations', formatBibliography(studies, format));
    },
  });
};
