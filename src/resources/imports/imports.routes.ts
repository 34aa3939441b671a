// POST /v1/import/pubmed: curators push efetch XML; the same importer as the command line, curated values win.
import { z } from 'zod';
import { booleanQuery } from '../../http/api-schemas.js';
import { ApiProblem } from '../../http/problem.js';
import type { RoutePlugin } from '../../http/route-types.js';
import { actorOf } from '../../http/writes.js';
import {
  PubmedImportError,
  parsePubmedSourceOffThread,
  writePubmedImport,
} from '../../importers/pubmed/pubmed.import.js';

const ImportSummarySchema = z
  .object({
    files: z.number().int(),
    records: z.number().int().describe('Distinct PMIDs in the body.'),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    skipped: z
      .array(
        z.object({ file: z.string(), position: z.number().int(), pmid: z.string().nullable(), reason: z.string() }),
      )
      .describe('Records that could not be read, with their position in the body.'),
    deleted: z
      .array(
        z.object({
          file: z.string(),
          pmid: z.string(),
          outcome: z
            .enum(['marked', 'already_marked', 'not_in_database'])
            .describe(
              '`marked`: the study is now marked `deleted_by_pubmed`; `already_marked`: it was already; `not_in_database`: no such study here.',
            ),
        }),
      )
      .describe('PMIDs in `<DeleteCitation>`, applied after the records: the study is marked, never deleted.'),
    duplicates: z
      .array(
        z.object({
          pmid: z.string(),
          records: z.number().int().min(2).describe('How many records in the body carried this PMID.'),
        }),
      )
      .describe(
        "PMIDs given by more than one record, in order of first occurrence. The last record supplies the study's fields (PubMed's newer version); the notices and retraction of every record are kept, so a retraction in any of them retracts the study.",
      ),
  })
  .meta({ id: 'PubmedImportSummary' });

/** What POST /v1/import/pubmed reads: efetch XML (`application/xml`, `text/xml`) or MEDLINE text (`text/plain`). */
const IMPORT_MEDIA_TYPES = ['application/xml', 'text/xml', 'text/plain'] as const;

export const importsRoutes: RoutePlugin = async (app, { db }) => {
  // XML and MEDLINE bodies arrive as text; the importer tells them apart and refuses a malformed file itself. This
  // plugin's scope is the only one that reads text/plain (plugins/hardening.ts removes it everywhere else).
  app.addContentTypeParser([...IMPORT_MEDIA_TYPES], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post('/v1/import/pubmed', {
    onRequest: app.requireScope('write'),
    schema: {
      operationId: 'importPubmed',
      tags: ['studies'],
      summary: 'Import PubMed records',
      description:
        'Upserts the studies in an efetch XML body (`PubmedArticleSet`, Content-Type `application/xml`): bibliographic fields refresh from PubMed, a curated design is never overwritten unless `overwrite=true`, sample sizes never are. Malformed XML is a 400 and changes nothing; a malformed record is skipped and listed. A retraction (publication type or RetractionIn) retracts the study and flags the claims resting on it in the same commit; a `<DeleteCitation>` marks the study `deleted_by_pubmed` and is listed in `deleted`. Each changed study and claim gets a revision; the whole body commits at once or not at all. A body of 64 KiB or more is parsed in a worker thread, so the server keeps answering other requests meanwhile; MEDLINE text (`text/plain`) is read too.',
      querystring: z
        .object({
          overwrite: booleanQuery(false).describe("Let PubMed's design replace a curated one."),
        })
        .strict(),
      consumes: [...IMPORT_MEDIA_TYPES],
      body: z
        .string()
        .min(1)
        .describe(
          'PubMed efetch XML (`PubmedArticleSet`, as `application/xml` or `text/xml`) or MEDLINE text (.nbib, as `text/plain`).',
        ),
      response: { 200: ImportSummarySchema },
    },
    handler: async (request) => {
      let parsed: Awaited<ReturnType<typeof parsePubmedSourceOffThread>>;
      try {
        // A large body is parsed in a worker thread: /health and reads are answered meanwhile.
        parsed = await parsePubmedSourceOffThread({ name: 'request body', text: request.body });
      } catch (error) {
        if (error instanceof PubmedImportError)
          throw new ApiProblem(400, 'import.malformed_file', 'Malformed PubMed XML', error.message);
        throw error;
      }
      return await writePubmedImport(db, [parsed], { overwrite: request.query.overwrite, actor: actorOf(request) });
    },
  });
};
