// Configuration: one zod schema over process.env, checked at start with a message that names the bad variable.
import { isIP } from 'node:net';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_PATH: z.string().min(1).default('./data/evidence.db'),
  /**
   * PostgreSQL instead of the SQLite file at DATABASE_PATH: `postgres://user:password@host:5432/database` (or
   * `postgresql://`; libpq's query parameters such as `?sslmode=require` are honoured by node-postgres). Unset: SQLite.
   * Its password never appears in messages or logs.
   */
  DATABASE_URL: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      const why = postgresUrlProblem(value);
      if (why) ctx.addIssue({ code: 'custom', message: why });
    }),
  /**
   * PostgreSQL streaming standbys of DATABASE_URL's server, comma-separated `postgres://` URLs: the API's reads go to
   * them, writes (and every read of a write request) to DATABASE_URL. Only with DATABASE_URL. Passwords never appear
   * in messages or logs. See docs/scaling.md, "Read replicas".
   */
  DATABASE_REPLICA_URLS: z
    .string()
    .optional()
    .transform((value, ctx): string[] => {
      if (value === undefined) return [];
      const urls = value
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      if (urls.length === 0) ctx.addIssue({ code: 'custom', message: 'give at least one postgres:// URL' });
      urls.forEach((url, index) => {
        const why = postgresUrlProblem(url);
        if (why) ctx.addIssue({ code: 'custom', message: `URL ${index + 1} of ${urls.length}: ${why}` });
      });
      return urls;
    }),
  /**
   * A replica whose replay is further behind than this (ms; 0 when it has replayed all it received, else the age of
   * its last replayed commit) serves no reads until it catches up: the primary does.
   */
  DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** PostgreSQL: how long `npm start` waits for an unreachable server (retrying with backoff) before exiting 69. */
  DATABASE_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** PostgreSQL: connections each process opens at most (reads share them; a write holds one while it runs). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(1000).default(10),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** HMAC secret for API key hashes; unset → a random one kept in the database's meta table (see auth/keys.ts). */
  API_KEY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  READS_REQUIRE_KEY: z
    .enum(['true', 'false'], 'must be true or false')
    .default('false')
    .transform((v) => v === 'true'),
  /** `*` (any origin, the default) or a comma-separated list of exact origins such as `https://app.example.org`. */
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((value, ctx) => {
      const origins = value
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean);
      if (origins.length === 1 && origins[0] === '*') return '*' as const;
      for (const origin of origins)
        if (!isOrigin(origin))
          ctx.addIssue({ code: 'custom', message: `not an origin (scheme://host[:port]): ${origin}` });
      if (origins.length === 0) ctx.addIssue({ code: 'custom', message: 'give * or at least one origin' });
      return origins;
    }),
  /**
   * Where clients reach the API when that is not where it listens (a proxy, a path prefix): the OpenAPI document's
   * server and the links of `GET /` use it. Unset: both are relative, so the docs page works on any host and port.
   */
  PUBLIC_BASE_URL: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const base = value.replace(/\/+$/, '');
      if (!isBaseUrl(base))
        ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL without query or fragment' });
      return base;
    }),
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  AUTH_FAILURE_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  /**
   * Server time (handler and serialisation, in ms) each client address may use per CLIENT_TIME_WINDOW_MS, and in one
   * burst, before it gets 429 with Retry-After: a fair share of the event loop (10% of it by default), so that a few
   * clients looping on expensive requests cannot starve the others. Loopback addresses are exempt. 0 turns it off.
   */
  CLIENT_TIME_BUDGET_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
  CLIENT_TIME_WINDOW_MS: z.coerce.number().int().min(1000).max(3_600_000).default(10_000),
  /** 0 turns load shedding off. */
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /**
   * Longest a write waits for the database's write lock (held by another write of this process, another server or
   * an import on the same file) before it gives up: 503 with Retry-After for the API, "nothing changed" for a CLI.
   */
  WRITE_LOCK_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /**
   * Which proxies in front of the server to believe about the client's address (X-Forwarded-For), so that rate
   * limits and authentication failures count per client rather than per proxy: a number of hops (`1` for one
   * reverse proxy), or a comma-separated list of proxy addresses and CIDR ranges (`10.0.0.0/8, 127.0.0.1`, or
   * proxy-addr's names `loopback`, `linklocal`, `uniquelocal`). Unset: the socket's address, and X-Forwarded-For is
   * ignored (a client could otherwise name any address it likes).
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx): number | string[] | false => {
      if (value === undefined) return false;
      if (/^\d+$/.test(value.trim())) {
        const hops = Number(value.trim());
        if (hops < 1 || hops > 10) ctx.addIssue({ code: 'custom', message: 'a number of hops must be 1 to 10' });
        return hops;
      }
      const entries = value
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
      for (const entry of entries)
        if (!isProxyEntry(entry))
          ctx.addIssue({
            code: 'custom',
            message: `not an address, CIDR range or loopback/linklocal/uniquelocal: ${entry}`,
          });
      if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'give a number of hops or addresses' });
      return entries;
    }),
  /**
   * Database files up to this size get SQLite's quick_check at start (every page; 1.6 s for 527 MB here, off the
   * request thread) before /ready answers 200; larger ones only a full read of the search index. 0: never quick_check.
   */
  INTEGRITY_CHECK_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(4 * 1024 ** 3),
  /**
   * Bulk releases: `npm run export` writes each release into a folder of its own here, and the server serves the
   * complete ones from it (GET /v1/releases...). Relative paths are relative to the working directory.
   */
  RELEASES_DIR: z.string().min(1).default('./data/releases'),
  /** How many complete releases `npm run export` keeps in RELEASES_DIR; older ones are deleted after a new one. */
  RELEASES_KEEP: z.coerce.number().int().min(1).max(100).default(7),
  /**
   * Memory for the response cache (src/plugins/response-cache.ts), in MiB: /v1 answers kept as sent (compressed
   * variants too) until the next write; 0 turns it off.
   */
  RESPONSE_CACHE_MB: z.coerce.number().int().min(0).max(16_384).default(32),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
});

/** Why a DATABASE_URL cannot be used, or undefined when it can. Never quotes the URL (it may hold a password). */
function postgresUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL: give postgres://user:password@host:port/database (percent-encode special characters)';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    // Without a host, what looks like a scheme may be a user name (`admin:password@host`): not repeated.
    return `the scheme must be postgres:// or postgresql://${url.host ? ` (got ${url.protocol}//)` : ''}`;
  if (!url.hostname && !url.searchParams.has('host')) return 'names no host';
  if (url.pathname.replace(/^\//, '') === '') return 'names no database (the path after the host)';
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !SSL_MODES.includes(sslmode))
    return `sslmode must be one of ${SSL_MODES.join(', ')} (got ${JSON.stringify(sslmode.slice(0, 20))})`;
  return undefined;
}

/** libpq's sslmode values (PostgreSQL documentation, "SSL Support"), plus node-postgres's `no-verify`. */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/** A PostgreSQL URL as messages and logs may show it: the password replaced by `***`, or nothing if unparseable. */
export function redactDatabaseUrl(value: string): string {
  try {
    const url = new URL(value);
    // Without `//host`, the parser may have taken a user name for a scheme and the password for a path.
    if (!url.host) return '(not a URL with a host, not shown)';
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable, not shown)';
  }
}

/** Where the data lives: the PostgreSQL URL when DATABASE_URL is set, else the SQLite file. */
export const databaseLocation = (config: Pick<Config, 'DATABASE_URL' | 'DATABASE_PATH'>): string =>
  config.DATABASE_URL ?? config.DATABASE_PATH;

/** The location as logs show it (no password). */
export const shownDatabaseLocation = (config: Pick<Config, 'DATABASE_URL' | 'DATABASE_PATH'>): string =>
  config.DATABASE_URL === undefined ? config.DATABASE_PATH : redactDatabaseUrl(config.DATABASE_URL);

const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyEntry(entry: string): boolean {
  if (PROXY_PRESETS.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

function isBaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.search && !url.hash && !value.includes('#');
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof ConfigSchema>;

/** Every setting at its default: what `buildApp` uses for anything its caller does not pass. */
export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

export class ConfigError extends Error {}

/** Settings whose values never appear in messages or logs. */
const SECRET_SETTINGS = new Set(['API_KEY_SECRET']);

function shown(name: string, value: string | undefined): string {
  if (SECRET_SETTINGS.has(name)) return `(hidden, ${value?.length ?? 0} characters)`;
  if (name === 'DATABASE_URL' && value !== undefined) return JSON.stringify(redactDatabaseUrl(value));
  if (name === 'DATABASE_REPLICA_URLS' && value !== undefined)
    return JSON.stringify(
      value
        .split(',')
        .map((url) => (url.trim() === '' ? url : redactDatabaseUrl(url.trim())))
        .join(','),
    );
  return JSON.stringify(value);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty variables count as unset, as they do in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `  ${i.path.join('.')}=${shown(String(i.path[0]), env[String(i.path[0])])}: ${i.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  // Replicas of a SQLite file do not exist: a setting that cannot take effect is refused rather than ignored.
  if (result.data.DATABASE_REPLICA_URLS.length > 0 && result.data.DATABASE_URL === undefined)
    throw new ConfigError(
      `Invalid configuration:\n  DATABASE_REPLICA_URLS=${shown('DATABASE_REPLICA_URLS', env.DATABASE_REPLICA_URLS)}: needs DATABASE_URL (read replicas are of a PostgreSQL primary)`,
    );
  return result.data;
}
