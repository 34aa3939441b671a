// A response cache for /v1 reads: the bytes a request was answered with (compressed variants included), bounded in
// bytes, keyed by the data tag and everything else the answer depends on, so a repeated read costs one lookup.
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasDataValidators } from './caching.js';

/**
 * The response headers that belong to the representation, kept with its bytes. Everything else is per request and
 * set again on a hit by the hooks that always run (request id, rate limit, CORS, security headers, Date).
 */
const REPRESENTATION_HEADERS = [
  'content-type',
  'content-encoding',
  'content-disposition',
  'content-language',
  'etag',
  'cache-control',
  'vary',
  'link',
] as const;

interface Entry {
  body: Buffer;
  headers: [string, string][];
  bytes: number;
}

/** What an entry costs beyond its body: the key, the headers, the Map's slot. A rough, fixed count. */
const ENTRY_OVERHEAD_BYTES = 512;

/**
 * Least-recently-used entries within a byte budget, for one data tag at a time: a request that sees a newer tag
 * empties it (every entry describes the data as it was), and an answer computed under an older tag is not kept.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private tag = '';
  hits = 0;
  misses = 0;

  constructor(
    private readonly budgetBytes: number,
    /** Larger bodies are sent but not kept: one of them would push out many small ones. */
    private readonly maxEntryBytes = Math.max(64 * 1024, Math.floor(budgetBytes / 16)),
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  /** The entry for `key` under `dataTag`, most recently used from now on; undefined on a miss. */
  get(dataTag: string, key: string): Entry | undefined {
    if (dataTag !== this.tag) {
      this.clear();
      this.tag = dataTag;
    }
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(dataTag: string, key: string, body: Buffer, headers: [string, string][]): boolean {
    if (dataTag !== this.tag) return false;
    const bytes = body.length + key.length + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxEntryBytes) return false;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { body, headers, bytes });
    this.bytes += bytes;
    // Map iteration is insertion order, and a hit re-inserts: the first entries are the least recently used.
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/**
 * The URL with its query parameters in a stable order (by name; repeated names keep their order), so that the same
 * parameters in another order are one entry. The path and every value stay exactly as sent.
 */
export function normaliseUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const pairs = url
    .slice(q + 1)
    .split('&')
    .filter((pair) => pair !== '');
  const name = (pair: string) => {
    const eq = pair.indexOf('=');
    return eq === -1 ? pair : pair.slice(0, eq);
  };
  // Array.prototype.sort is stable: repeated names keep their order.
  pairs.sort((a, b) => {
    const x = name(a);
    const y = name(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return `${url.slice(0, q)}?${pairs.join('&')}`;
}

/**
 * Everything a /v1 answer depends on besides the data: the normalised URL; the host and protocol (FHIR bundles link
 * to themselves); Accept (FHIR and citation formats are negotiated); the Accept-Encoding header as sent and
 * X-No-Compression (the compressor decides the encoding from them alone); and the API key. A keyed request has
 * entries of its own, never an anonymous one's: keys will see drafts, and a key's view may then differ from
 * another's, so every key is its own scope (a key's entries are built from its own requests).
 */
export function cacheKey(request: FastifyRequest): string {
  const h = request.headers;
  return [
    request.apiKey === null ? '-' : `key:${request.apiKey.id}`,
    `${request.protocol}://${request.host}`,
    h.accept ?? '',
    h['accept-encoding'] ?? '',
    h['x-no-compression'] === undefined ? '' : 'no-compression',
    normaliseUrl(request.url),
  ].join('\n');
}

const KEY = Symbol('responseCacheKey');
type Keyed = FastifyRequest & { [KEY]?: string };

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const isStream = (payload: unknown): payload is Readable =>
  typeof payload === 'object' && payload !== null && typeof (payload as Readable).pipe === 'function';

/**
 * Keeps the bytes of a cacheable answer as they leave: the last onSend of its route, after compression and the
 * encoding's ETag suffix (plugins/compression.ts), so a compressed variant is kept compressed. A stream (the
 * compressor's, for bodies over its synchronous threshold) is read to its end and sent as the bytes it made.
 */
async function keep(cache: ResponseCache, request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const key = (request as Keyed)[KEY];
  if (key === undefined || reply.statusCode !== 200 || payload === null || payload === undefined) return payload;
  if (/no-store|private/.test(String(reply.getHeader('cache-control') ?? ''))) return payload;
  let body: Buffer;
  if (typeof payload === 'string') body = Buffer.from(payload);
  else if (Buffer.isBuffer(payload)) body = payload;
  else if (isStream(payload) && reply.getHeader('content-encoding') !== undefined) body = await collect(payload);
  else return payload;
  const headers: [string, string][] = [];
  for (const name of REPRESENTATION_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers.push([name, String(value)]);
  }
  cache.set(request.dataTag, key, body, headers);
  return body;
}

export interface ResponseCacheOptions {
  /** Budget for bodies and keys; 0 turns the cache off. */
  bytes: number;
}

/**
 * Registered after the caching plugin (the data tag and 304s come first) and after compression (see `keep`).
 * Only GETs of /v1 reads that carry the data tag as their validator are cached (not bulk releases, whose files
 * change without a write), and only their 200s. Every onRequest hook still runs on a hit (CORS, security headers,
 * load shedding, fair share, authentication, the 304, the rate limit); validation, handlers and serialisation do not.
 */
export const responseCachePlugin = fp<ResponseCacheOptions>(
  async (app, { bytes }) => {
    if (bytes <= 0) return;
    const cache = new ResponseCache(bytes);
    app.decorate('responseCache', cache);
    // A route-level hook, last of the route's onRequest list: @fastify/rate-limit adds its check to each route's own
    // list, and route-level hooks run after every app-level one, so an app-level lookup would answer before it.
    const lookup = async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.method !== 'GET' || !hasDataValidators(request.method, request.url) || reply.sent) return;
      const key = cacheKey(request);
      const entry = cache.get(request.dataTag, key);
      if (entry === undefined) {
        (request as Keyed)[KEY] = key;
        return;
      }
      for (const [name, value] of entry.headers) reply.header(name, value);
      return reply.send(entry.body);
    };
    const store = (request: FastifyRequest, reply: FastifyReply, payload: unknown) =>
      keep(cache, request, reply, payload);
    // Registered after compression's and the rate limit's own onRoute hooks, so these come after theirs.
    app.addHook('onRoute', (route) => {
      if (!(route.method === 'GET' || (Array.isArray(route.method) && route.method.includes('GET')))) return;
      route.onRequest = [...(route.onRequest ? [route.onRequest].flat() : []), lookup];
      route.onSend = [...(route.onSend ? [route.onSend].flat() : []), store];
    });
  },
  { name: 'response-cache', dependencies: ['caching', 'compression', 'auth'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** The response cache, when RESPONSE_CACHE_MB is above 0 (for its counters). */
    responseCache?: ResponseCache;
  }
}
