// Conditional GETs: ETag from the database's data version (no body hashing), 304 before any handler work.
import fp from 'fastify-plugin';
import type { Database } from '../store/client.js';
import { watchDataTag } from '../store/data-version.queries.js';

const CACHEABLE = /^\/v1\//;
/**
 * Bulk releases are files, not rows: they do not change with the data version (a new release appears without any
 * write), so their routes set validators of their own (a file's SHA-256) and answer If-None-Match themselves.
 */
const OWN_VALIDATORS = /^\/v1\/releases(\/|\?|$)/;

/** Whether a request to `url` gets an ETag and may be answered 304 (what the OpenAPI document says of it too). */
export function isConditionalRead(method: string, url: string): boolean {
  return (method === 'GET' || method === 'HEAD') && CACHEABLE.test(url);
}

/** Whether a request to `url` is a read whose validators come from the data tag (every /v1 read but releases). */
export function hasDataValidators(method: string, url: string): boolean {
  return isConditionalRead(method, url) && !OWN_VALIDATORS.test(url);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** `<build>.<database id>.<data version>` as of this request: the base of every ETag it gets. */
    dataTag: string;
  }
}

/** Whether an If-None-Match tag still describes the data: list tags equal it, resource tags extend it. */
function stillFresh(tag: string, dataTag: string): boolean {
  const opaque = tag.replace(/^W\//, '').replace(/^"|"$/g, '');
  return tag === '*' || opaque === dataTag || opaque.startsWith(`${dataTag}.`);
}

export const cachingPlugin = fp<{ db: Database }>(
  async (app, { db }) => {
    app.decorateRequest('dataTag', '');
    // One `meta` read per commit rather than per request (store/data-version.queries.ts says how a commit is seen).
    const dataTag = watchDataTag(db);
    app.addHook('onRequest', async (request, reply) => {
      request.dataTag = await dataTag.current();
      if (!hasDataValidators(request.method, request.url)) return;
      // Authorization: a key sees drafts and key names that an anonymous caller does not (claims/claims.access.ts).
      reply
        .header('etag', `W/"${request.dataTag}"`)
        .header('cache-control', 'no-cache')
        .header('vary', 'Accept, Authorization');
      const fresh = request.headers['if-none-match']
        ?.split(',')
        .map((tag) => tag.trim())
        .find((tag) => stillFresh(tag, request.dataTag));
      // A 304 repeats the validator the client holds (a resource's strong tag, or the list's weak one).
      if (fresh !== undefined)
        return reply
          .code(304)
          .header('etag', fresh === '*' ? `W/"${request.dataTag}"` : fresh)
          .send();
    });
    // Errors are not representations of the resource: no validator on them (a 412 sets the current one itself).
    app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode >= 400 && reply.statusCode !== 412) reply.removeHeader('etag');
      return payload;
    });
  },
  { name: 'caching' },
);
