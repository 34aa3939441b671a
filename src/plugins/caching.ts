// Conditional GETs: ETag from the database's data version (no body hashing), 304 before any handler work.
import fp from 'fastify-plugin';
import type { AppDatabase } from '../db/client.js';
import { readDataVersion } from '../shared/data-version.queries.js';

const CACHEABLE = /^\/v1\//;

export const cachingPlugin = fp<{ db: AppDatabase; buildId: string }>(
  async (app, { db, buildId }) => {
    app.addHook('onRequest', async (request, reply) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || !CACHEABLE.test(request.url)) return;
      // The build id covers representation changes between releases of this code on the same data.
      const etag = `W/"${buildId}.${readDataVersion(db.sqlite)}"`;
      reply.header('etag', etag).header('cache-control', 'no-cache').header('vary', 'Accept');
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*'))
        return reply.code(304).send();
    });
    // Errors are not representations of the resource: no validator on them.
    app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode >= 400) reply.removeHeader('etag');
      return payload;
    });
  },
  { name: 'caching' },
);
