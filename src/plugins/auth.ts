// Authentication by API key: `request.apiKey`, `app.requireScope(scope)`, keys never in URLs, a brute-force limiter.
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ApiKeyIdentity, type KeyScope, resolveKeySecret, scopeAllows, verifyApiKey } from '../auth/keys.js';
import type { Config } from '../config.js';
import { ApiProblem } from '../http/problem.js';
import type { Database } from '../store/client.js';

export const AUTH_CODES = {
  unauthenticated: 'auth.unauthenticated',
  forbidden: 'auth.forbidden',
  keyInUrl: 'auth.key_in_url',
  tooManyFailures: 'auth.too_many_failures',
} as const;

export const WWW_AUTHENTICATE = 'Bearer realm="evidence-api"';

/** Query parameters that look like a credential; case-insensitive. */
const KEY_PARAMETERS = new Set([
  'key',
  'api_key',
  'apikey',
  'access_token',
  'token',
  'auth',
  'authorization',
  'bearer',
]);
/**
 * What an API key looks like wherever it turns up (a path, a query value, a request id, an error message): `ek_` and
 * at least 16 characters of its base64url body, enough to find a pasted key and too few to collide with words.
 */
const KEY_LIKE = /ek_[A-Za-z0-9_-]{16,}/g;
const REDACTED = '[redacted]';
/** Routes that answer without a key even when READS_REQUIRE_KEY is set: everything outside /v1. */
const READ_PATHS = /^\/v1(\/|$|\?)/;
const MAX_TRACKED_ADDRESSES = 10_000;

/** Whether READS_REQUIRE_KEY applies to a read of `url`: everything under /v1. */
export const isKeyedRead = (method: string, url: string) =>
  (method === 'GET' || method === 'HEAD') && READ_PATHS.test(url);

export interface AuthPluginOptions {
  db: Database;
  config: Pick<Config, 'API_KEY_SECRET' | 'READS_REQUIRE_KEY' | 'AUTH_FAILURE_LIMIT' | 'AUTH_FAILURE_WINDOW_MS'>;
}

/**
 * Failed authentications per client address in fixed windows. In memory: a restart forgets, which costs an attacker
 * a restart per window. Bounded: when full, expired entries go first, then the oldest.
 */
export class FailureLimiter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxEntries = MAX_TRACKED_ADDRESSES,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `address` may try again; 0 when it is not blocked. */
  blockedFor(address: string): number {
    const entry = this.entries.get(address);
    if (!entry) return 0;
    const left = entry.resetAt - this.now();
    if (left <= 0) {
      this.entries.delete(address);
      return 0;
    }
    return entry.count >= this.limit ? left : 0;
  }

  recordFailure(address: string): void {
    const now = this.now();
    const entry = this.entries.get(address);
    if (entry && entry.resetAt > now) {
      entry.count++;
      return;
    }
    this.entries.delete(address);
    if (this.entries.size >= this.maxEntries) this.evict(now);
    this.entries.set(address, { count: 1, resetAt: now + this.windowMs });
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(now: number): void {
    for (const [address, entry] of this.entries) if (entry.resetAt <= now) this.entries.delete(address);
    // Map iteration is insertion order: the first entries are the oldest windows.
    for (const address of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(address);
    }
  }
}

/** Whether decoded text holds something shaped like an API key. */
export function containsKey(text: string): boolean {
  KEY_LIKE.lastIndex = 0;
  return KEY_LIKE.test(text);
}

/** `text` with every key-shaped run replaced by `ek_[redacted]`: for any string that may reach a log line. */
export function redactKeys(text: string): string {
  return text.replace(KEY_LIKE, `ek_${REDACTED}`);
}

const decoded = (part: string): string => {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
};

/**
 * The URL for log lines: values of key-like query parameters masked, and any path segment or query value that holds
 * something shaped like a key (percent-encoded or not) masked whole, so `?token=ek_...` or `/v1/claims/ek_...`
 * never reaches a log in clear.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q))
    .split('/')
    .map((segment) => (containsKey(decoded(segment)) ? REDACTED : segment))
    .join('/');
  if (q === -1) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      if (isKeyParameter(name) || containsKey(decoded(pair)))
        return `${containsKey(decoded(name)) ? REDACTED : name}=${REDACTED}`;
      return pair;
    })
    .join('&');
  return `${path}?${query}`;
}

function isKeyParameter(name: string): boolean {
  return KEY_PARAMETERS.has(decoded(name).trim().toLowerCase());
}

function unauthenticated(detail: string, reply: FastifyReply, invalidToken: boolean): ApiProblem {
  reply.header('www-authenticate', invalidToken ? `${WWW_AUTHENTICATE}, error="invalid_token"` : WWW_AUTHENTICATE);
  return new ApiProblem(401, AUTH_CODES.unauthenticated, 'Unauthenticated', detail);
}

/** The token of `Authorization: Bearer <token>`, or null when the header has another shape. */
function bearerToken(header: string): string | null {
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  return match?.[1] ?? null;
}

export const authPlugin = fp<AuthPluginOptions>(
  async (app, { db, config }) => {
    // Resolved once: with no API_KEY_SECRET this creates the database's own secret on first start.
    const secret = await resolveKeySecret(db, config.API_KEY_SECRET);
    const failures = new FailureLimiter(config.AUTH_FAILURE_LIMIT, config.AUTH_FAILURE_WINDOW_MS);

    app.decorateRequest('apiKey', null);

    app.addHook('onRequest', async (request, reply) => {
      // Before validation, so the answer is the same on every route, and before any key in the URL could be used.
      const query = request.query as Record<string, unknown> | undefined;
      if (
        (query && Object.keys(query).some(isKeyParameter)) ||
        containsKey(decoded(request.url.split('?')[0] ?? '')) ||
        (query && Object.values(query).some((value) => containsKey(String(value))))
      )
        throw new ApiProblem(
          400,
          AUTH_CODES.keyInUrl,
          'Invalid request',
          'API keys never travel in URLs (they end up in logs and browser history): send `Authorization: Bearer <key>` instead. Treat a key that was sent in a URL as exposed and revoke it.',
        );

      const header = request.headers.authorization;
      if (header !== undefined) {
        const address = request.ip;
        const token = bearerToken(header);
        // The key is checked first, so that nobody else's failures can refuse a valid key: keys are 256 random bits,
        // so guessing is not what this limit guards against; it slows down and flags a client that keeps sending
        // bad credentials (a leaked-and-revoked key in a loop, a misconfigured client), and costs it a 429.
        const identity = token === null ? null : await verifyApiKey(db, token, secret);
        if (identity === null) {
          const waitMs = failures.blockedFor(address);
          if (waitMs > 0) {
            reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
            throw new ApiProblem(
              429,
              AUTH_CODES.tooManyFailures,
              'Too many failed authentications',
              `More than ${config.AUTH_FAILURE_LIMIT} failed authentications from this address; retry in ${Math.ceil(waitMs / 1000)} seconds. A valid key is still accepted.`,
            );
          }
          failures.recordFailure(address);
          request.log.warn({ ip: address }, 'authentication failed');
          throw unauthenticated(
            token === null
              ? 'The Authorization header must be `Bearer <key>`.'
              : 'The API key is not valid: it is unknown, malformed or revoked.',
            reply,
            token !== null,
          );
        }
        request.apiKey = identity;
      }

      if (config.READS_REQUIRE_KEY && request.apiKey === null && isKeyedRead(request.method, request.url))
        throw unauthenticated('Reads require an API key: send `Authorization: Bearer <key>`.', reply, false);
    });

    app.decorate('requireScope', (scope: KeyScope) => {
      return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
        const key = request.apiKey;
        if (key === null)
          throw unauthenticated(
            `This operation needs an API key with scope "${scope}": send \`Authorization: Bearer <key>\`.`,
            reply,
            false,
          );
        if (!scopeAllows(key.scope, scope))
          throw new ApiProblem(
            403,
            AUTH_CODES.forbidden,
            'Forbidden',
            `This operation needs a key with scope "${scope}"; this key has scope "${key.scope}".`,
          );
      };
    });
  },
  { name: 'auth', dependencies: ['problem-details'] },
);

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified API key of this request, or null when it carries none. */
    apiKey: ApiKeyIdentity | null;
  }
  interface FastifyInstance {
    /** A preHandler: 401 without a valid key, 403 when the key's scope does not include `scope` (admin ⊇ write). */
    requireScope(scope: KeyScope): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}
