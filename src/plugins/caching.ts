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

/**
 * The weak validator of a list (and of any read without a resource version) for this caller: the data tag, plus
 * `.keyed` when the request carries an API key, because a key's lists may hold drafts and curators' names that an
 * anonymous caller's do not (claims/claims.access.ts): one data version, two representations, two validators.
 */
const listTag = (dataTag: string, keyed: boolean) => (keyed ? `${dataTag}${KEYED}` : dataTag);
const KEYED = '.keyed';

/**
 * Whether an If-None-Match tag still describes the data for this caller: a list tag equals the caller's own list tag;
 * a resource tag (`<data tag>.<resource>.v<n>`, the same representation for every caller) extends the data tag.
 */
function stillFresh(tag: string, dataTag: string, keyed: boolean): boolean {
  const opaque = tag.replace(/^W\//, '').replace(/^"|"$/g, '');
  if (tag === '*' || opaque === listTag(dataTag, keyed)) return true;
  return opaque.startsWith(`${dataTag}.`) && opaque !== `${dataTag}${KEYED}`;
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
      const keyed = Boolean(request.apiKey);
      const weak = `W/"${listTag(request.dataTag, keyed)}"`;
      reply.header('etag', weak).header('cache-control', 'no-cache').header('vary', 'Accept, Authorization');
      const fresh = request.headers['if-none-match']
        ?.split(',')
        .map((tag) => tag.trim())
        .find((tag) => stillFresh(tag, request.dataTag, keyed));
      // A 304 repeats the validator the client holds (a resource's strong tag, or the list's weak one).
      if (fresh !== undefined)
        return reply
          .code(304)
          .header('etag', fresh === '*' ? weak : fresh)
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
