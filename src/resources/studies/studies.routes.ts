// GET /v1/studies and /v1/studies/{pmid}: the studies behind the claims, with design and sample size.
import { z } from 'zod';
import { notFoundProblem, StudyKey } from '../../http/api-schemas.js';
import { resourceEtag } from '../../http/concurrency.js';
import { badRequest, notFound, PROBLEM_CODES } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { rowTag } from '../../store/data-version.queries.js';
import { seesDrafts } from '../claims/claims.access.js';
import { getStudy, listStudies } from './studies.queries.js';
import { StudyDetailSchema, StudyListQuery, StudyListSchema } from './studies.schemas.js';

export const studiesRoutes: RoutePlugin = async (app, { db }) => {
  app.get('/v1/studies', {
    schema: {
      operationId: 'listStudies',
      tags: ['studies'],
      summary: 'List studies',
      description:
        'Studies in PMID order, then sources without a PMID (meeting abstracts) in the order they were added. Filters compose (AND). A study whose sample size or year is unknown never matches a filter on it. `retracted=true` lists the retracted studies (by PubMed publication type, a RetractionIn notice, or a curator).',
      querystring: StudyListQuery,
      response: { 200: StudyListSchema },
    },
    handler: async (request) => {
      const { design, min_sample_size, year_from, year_to, retracted, limit, cursor } = request.query;
      if (year_from !== undefined && year_to !== undefined && year_from > year_to)
        throw badRequest('query.year_to', `must not be before year_from (${year_from})`);
      return await listStudies(
        db,
        {
          design,
          min_sample_size,
          year_from,
          year_to,
          retracted: retracted === undefined ? undefined : retracted ? 1 : 0,
        },
        limit,
        cursor,
      );
    },
  });

  app.get('/v1/studies/:pmid', {
    schema: {
      operationId: 'getStudy',
      tags: ['studies'],
      summary: 'Get a study by PMID or key',
      description:
        "The study with its bibliographic record (null where unknown): what it is (`publication_kind`, `publication_status`), its dates and identifiers, book fields, notices (retraction, erratum, expression of concern, comment) and `linked_from` (studies here whose notices name it), its retraction and PubMed deletion, design, sample size and the claims it bears on. The path takes a PMID, or the key of a source without one (`asco:160900`); a missing record is cited by the citing source's own string (`source_citation`), labelled.",
      params: z.object({ pmid: StudyKey.describe('A PMID, or a source key such as `asco:160900`.') }),
      response: { 200: StudyDetailSchema, 404: notFoundProblem('studies') },
    },
    handler: async (request, reply) => {
      // The tag is read before the body: a write in between makes the tag older than the body, never newer.
      const tag = await rowTag(db, 'studies', request.params.pmid);
      const study = await getStudy(db, request.params.pmid);
      if (!study || !tag)
        throw notFound(
          PROBLEM_CODES.studyNotFound,
          /^\d+$/.test(request.params.pmid)
            ? `No study has PMID ${request.params.pmid}.`
            : `No study is '${request.params.pmid}'.`,
        );
      reply.header('etag', resourceEtag(request.dataTag, 'studies', tag));
      // Drafts are seen only with a key (resources/claims/claims.access.ts).
      return seesDrafts(request) ? study : { ...study, claims: study.claims.filter((c) => c.status !== 'draft') };
    },
  });
};
