// Drafts are seen only by callers with a key: every read of one claim (the claim, its citations, CSL-JSON, FHIR export,
// revisions) answers an anonymous caller 404 for a draft, word for word as for an id that does not exist.
import fp from 'fastify-plugin';
import { claimStatusOf, draftNotFound, seesDrafts } from '../resources/claims/claims.access.js';
import type { Database } from '../store/client.js';

/** Routes that read one claim by its id, whatever follows it (`/citations`, `/fhir`, `/revisions`, ...). */
const CLAIM_READ = /^\/v1\/claims\/:id(\/|$)/;

/**
 * One hook rather than a check in each route, so a read added under `/v1/claims/:id` cannot forget it. It runs after
 * authentication (request.apiKey is known) and costs one indexed read, for anonymous reads of one claim only. 404
 * rather than 403: a draft's existence (its id names its subject) is itself not public.
 */
export const draftsPlugin = fp<{ db: Database }>(
  async (app, { db }) => {
    app.addHook('onRequest', async (request) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || seesDrafts(request)) return;
      if (!CLAIM_READ.test(request.routeOptions.url ?? '')) return;
      const id = (request.params as { id?: unknown }).id;
      if (typeof id === 'string' && (await claimStatusOf(db, id)) === 'draft') throw draftNotFound(id);
    });
  },
  { name: 'drafts', dependencies: ['auth'] },
);
