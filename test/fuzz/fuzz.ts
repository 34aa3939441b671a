// The fuzz harness: hostile and boundary requests for every operation of openapi/openapi.json, seeded, through the
// real app; reports 5xx, error answers that are not problem+json, and statuses the document does not declare.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.js';
import { createApiKey, resolveKeySecret } from '../../src/auth/keys.js';
import { applySeed, readSeedFiles } from '../../src/curation/seed.js';
import { type Database, openScratchDatabase } from '../../src/store/client.js';
import { migrateDatabase } from '../../src/store/migrate.js';

const OPENAPI = new URL('../../openapi/openapi.json', import.meta.url);
const PROBLEM_JSON = /^application\/problem\+json\b/;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, any>;

/** mulberry32: small, fast and good enough to pick cases; the same seed gives the same requests. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

// ------------------------------------------------------------------------------------------------ hostile values

const HOSTILE_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '99999999999999999999999',
  '-0',
  '0x10',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  "' OR '1'='1' --",
  '"; DROP TABLE claims; --',
  '1; SELECT * FROM api_keys',
  '*',
  '"',
  'NEAR(a b)',
  'a OR b NOT c',
  '../../etc/passwd',
  '..%2F..%2F',
  '<script>alert(1)</script>',
  // Template injection, as a client would type it (not a template here).
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the test input
  '${7*7}{{7*7}}',
  '%00',
  '\u0000',
  '\u202e\u200b\ufeff',
  '🙂🧬🦠',
  'Ω≈ç√∫˜µ≤≥÷',
  'é'.normalize('NFD'),
  '\ud800',
  'a'.repeat(201),
  'x'.repeat(5000),
  'ek_not-a-real-key',
  'DOID:1909',
  'MeSH:D008545',
  '2026-13-45T99:99:99Z',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
];

/** Raw path segments that are not valid percent-encoding, or decode to something awkward. */
const RAW_PATH_SEGMENTS = ['%', '%zz', '%E0%A4%A', '%2e%2e', '%2F', '..', '.', '%00', '%FF%FE', 'a%20b', '🙂'];

/** Bodies that are not what any JSON operation expects, with the content type they are sent as. */
function hostileBody(rng: Rng): { payload: string | Buffer; contentType?: string } {
  const depth = rng.pick([100, 1000, 20_000]);
  return rng.pick([
    () => ({ payload: '{', contentType: 'application/json' }),
    () => ({ payload: '{"a":1,}', contentType: 'application/json' }),
    () => ({ payload: 'null', contentType: 'application/json' }),
    () => ({ payload: '[]', contentType: 'application/json' }),
    () => ({ payload: '"just a string"', contentType: 'application/json' }),
    () => ({ payload: '12345678901234567890', contentType: 'application/json' }),
    () => ({ payload: '', contentType: 'application/json' }),
    () => ({
      payload: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
      contentType: 'application/json',
    }),
    () => ({ payload: `${'['.repeat(depth)}${']'.repeat(depth)}`, contentType: 'application/json' }),
    () => ({ payload: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, contentType: 'application/json' }),
    () => ({ payload: '{"id":"x"}', contentType: 'text/plain' }),
    () => ({ payload: '<PubmedArticleSet/>', contentType: 'application/xml' }),
    () => ({
      payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;&b;</x>',
      contentType: 'application/xml',
    }),
    () => ({ payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' }),
    () => ({
      payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
      contentType: 'multipart/form-data; boundary=x',
    }),
    () => ({ payload: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]), contentType: 'application/json' }),
    () => ({ payload: '{"a":"\\ud800"}', contentType: 'application/json; charset=latin1' }),
    () => ({ payload: '{}', contentType: 'application/json; charset=utf-16' }),
    () => ({ payload: '{}', contentType: 'application/vnd.api+json' }),
    () => ({ payload: '{}', contentType: 'invalid/type/x' }),
    () => ({ payload: '{}' }),
    () => ({ payload: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }), contentType: 'application/json' }),
  ])();
}

// ------------------------------------------------------------------------------------------------ from the schemas

function resolve(doc: Schema, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++)
    s = doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] ?? {};
  return s;
}

/** A value that fits `schema` as far as a simple reading of it goes (examples first), or a boundary value. */
function valid(doc: Schema, raw: Schema | undefined, rng: Rng, depth = 0): Json {
  const schema = resolve(doc, raw);
  if (depth > 6) return null;
  if ('example' in schema && rng.chance(0.6)) return schema.example as Json;
  if (Array.isArray(schema.examples) && schema.examples.length > 0 && rng.chance(0.6)) return rng.pick(schema.examples);
  if ('const' in schema) return schema.const as Json;
  if (Array.isArray(schema.enum)) return rng.pick(schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) return valid(doc, rng.pick(variants), rng, depth + 1);
  if (Array.isArray(schema.allOf)) return valid(doc, schema.allOf[0], rng, depth + 1);
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['string'];
  const type = rng.pick(types);
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return rng.chance(0.5);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? 0;
      const max = schema.maximum ?? schema.exclusiveMaximum ?? min + 1000;
      const n = rng.pick([min, max, rng.int(Math.ceil(min), Math.floor(Math.min(max, min + 1000)))]);
      return type === 'integer' ? Math.round(n) : n;
    }
    case 'array': {
      const n = rng.int(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3));
      return Array.from({ length: n }, () => valid(doc, schema.items, rng, depth + 1));
    }
    case 'object': {
      const out: Record<string, Json> = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [name, property] of Object.entries<Schema>(schema.properties ?? {}))
        if (required.has(name) || rng.chance(0.5)) out[name] = valid(doc, property, rng, depth + 1);
      return out;
    }
    default: {
      const min = schema.minLength ?? 1;
      const max = Math.min(schema.maxLength ?? 24, 24);
      if (schema.format === 'date-time') return new Date(Date.UTC(2020, 0, rng.int(1, 1000))).toISOString();
      return `fuzz-${rng.int(0, 1e6)}`.padEnd(min, 'x').slice(0, Math.max(min, max));
    }
  }
}

/** A valid value, then perhaps broken: wrong type, null, huge, unicode, boundaries past the limits. */
function mutate(doc: Schema, raw: Schema | undefined, rng: Rng, depth = 0): Json {
  const schema = resolve(doc, raw);
  if (rng.chance(0.35)) {
    const max = schema.maxLength ?? schema.maxItems;
    return rng.pick<() => Json>([
      () => null,
      () => rng.pick(HOSTILE_STRINGS),
      () => rng.int(-1e9, 1e9),
      () => 1e308,
      () => -0.5,
      () => true,
      () => [],
      () => ({}),
      () => [rng.pick(HOSTILE_STRINGS), null, 1],
      () => ({ nested: { deeper: [{ deepest: rng.pick(HOSTILE_STRINGS) }] } }),
      () => 'x'.repeat((typeof max === 'number' ? max : 200) + 1),
      () => (typeof schema.maximum === 'number' ? schema.maximum + 1 : -1),
      () => (typeof schema.minimum === 'number' ? schema.minimum - 1 : 0),
    ])();
  }
  const value = valid(doc, schema, rng, depth);
  if (value && typeof value === 'object' && !Array.isArray(value) && depth < 4) {
    const out: Record<string, Json> = {};
    for (const [name, v] of Object.entries(value))
      out[name] = rng.chance(0.3) ? mutate(doc, schema.properties?.[name], rng, depth + 1) : v;
    if (rng.chance(0.2))
      out[rng.pick(['unknown_field', '__proto__', 'constructor', 'id', ''])] = rng.pick(HOSTILE_STRINGS);
    if (rng.chance(0.2)) delete out[rng.pick(Object.keys(out).length ? Object.keys(out) : ['x'])];
    return out;
  }
  return value;
}

// ------------------------------------------------------------------------------------------------ requests

export interface Operation {
  method: string;
  path: string;
  id: string;
  declared: Set<string>;
  op: Schema;
}

export function operationsOf(doc: Schema): Operation[] {
  return Object.entries<Schema>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Schema>(item).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      id: op.operationId as string,
      declared: new Set(Object.keys(op.responses ?? {})),
      op,
    })),
  );
}

/** Real keys of the seeded database, so that some requests reach real resources and get past 404. */
export interface Pools {
  claims: string[];
  conditions: string[];
  interventions: string[];
  studies: string[];
  topics: string[];
}

function poolFor(path: string, name: string, pools: Pools): string[] {
  if (name === 'pmid') return pools.studies;
  if (name === 'id') return pools.claims;
  if (path.startsWith('/v1/conditions')) return pools.conditions;
  if (path.startsWith('/v1/interventions')) return pools.interventions;
  if (path.startsWith('/v1/topics')) return pools.topics;
  return [];
}

export interface FuzzCase {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** Percent-encoding that survives lone surrogates: they go out as the (invalid) UTF-8 bytes of a surrogate. */
function enc(text: string): string {
  return text
    .split(/([\ud800-\udfff])/)
    .map((part, i) =>
      i % 2 === 1
        ? `%ED%${(0xa0 + ((part.charCodeAt(0) >> 6) & 0x1f)).toString(16).toUpperCase()}%80`
        : encodeURIComponent(part),
    )
    .join('');
}

function textOf(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function makeCase(doc: Schema, operation: Operation, rng: Rng, pools: Pools, keys: Keys): FuzzCase {
  const { op, path, method } = operation;
  const parameters: Schema[] = op.parameters ?? [];
  const hostile = rng.chance(0.7);
  let url = path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const pool = poolFor(path, name, pools);
    if (!hostile || rng.chance(0.4)) return enc(pool.length ? rng.pick(pool) : 'unknown');
    if (rng.chance(0.3)) return rng.pick(RAW_PATH_SEGMENTS);
    const schema = parameters.find((p) => p.in === 'path' && p.name === name)?.schema;
    return enc(textOf(mutate(doc, schema, rng)));
  });

  const query: string[] = [];
  for (const parameter of parameters.filter((p) => p.in === 'query')) {
    if (!parameter.required && rng.chance(0.6)) continue;
    const value = hostile && rng.chance(0.5) ? mutate(doc, parameter.schema, rng) : valid(doc, parameter.schema, rng);
    const values = rng.chance(0.1) ? [value, rng.pick(HOSTILE_STRINGS)] : [value]; // duplicate parameters
    for (const v of values) query.push(`${enc(parameter.name)}=${enc(textOf(v))}`);
  }
  if (hostile && rng.chance(0.15))
    query.push(`${rng.pick(['unknown', 'limit[]', 'a[b]', '__proto__', ''])}=${rng.pick(['1', '', '%zz'])}`);
  if (hostile && rng.chance(0.05)) query.push(rng.pick(['%', '=', '&&&', 'x=%E0%A4%A']));
  if (query.length) url += `?${query.join('&')}`;

  const headers: Record<string, string> = {};
  // What the operation's description asks every client to send (MCP's Streamable HTTP transport).
  if (operation.id === 'mcp' && rng.chance(0.8)) headers.accept = 'application/json, text/event-stream';
  const secured = Array.isArray(op.security) && op.security.length > 0;
  if (secured ? rng.chance(0.85) : rng.chance(0.1))
    headers.authorization = `Bearer ${rng.chance(0.8) ? keys.write : keys.admin}`;
  if (hostile && rng.chance(0.1))
    headers.authorization = rng.pick([
      'Bearer',
      'Bearer ',
      'Basic YTpi',
      `Bearer ek_${'A'.repeat(43)}`,
      'Bearer x y',
      'bearer  ',
    ]);
  for (const parameter of parameters.filter((p) => p.in === 'header'))
    if (rng.chance(0.5))
      headers[parameter.name] = rng.pick([
        '"x"',
        '*',
        '',
        'W/"1"',
        '"1.2.3.claims.v1"',
        rng.pick(HOSTILE_STRINGS).slice(0, 100),
      ]);
  if (hostile && rng.chance(0.15)) headers['if-none-match'] = rng.pick(['*', '"x"', 'W/"a", "b"', '']);
  if (hostile && rng.chance(0.15))
    headers.accept = rng.pick([
      'application/x-nothing',
      'text/html',
      '*/*;q=0',
      'application/json;q=0',
      'application/x-bibtex',
      'text/plain, application/fhir+json',
      ',,,',
    ]);
  if (hostile && rng.chance(0.05)) headers['x-request-id'] = rng.pick(['', 'x'.repeat(65), 'a b', '🙂']);

  let payload: string | Buffer | undefined;
  const body = op.requestBody?.content;
  if (body || (hostile && rng.chance(0.1))) {
    if (hostile && rng.chance(0.4)) {
      const bad = hostileBody(rng);
      payload = bad.payload;
      if (bad.contentType) headers['content-type'] = bad.contentType;
    } else {
      const [type, media] = Object.entries<Schema>(body ?? { 'application/json': {} })[0] as [string, Schema];
      const value = hostile ? mutate(doc, media.schema, rng) : valid(doc, media.schema, rng);
      payload = typeof value === 'string' && type !== 'application/json' ? value : JSON.stringify(value);
      headers['content-type'] = operation.id === 'importPubmed' && rng.chance(0.5) ? 'application/xml' : type;
    }
  }
  return { method, url, headers, ...(payload === undefined ? {} : { payload }) };
}

// ------------------------------------------------------------------------------------------------ the run

interface Keys {
  write: string;
  admin: string;
}

export interface Finding {
  case: number;
  operation: string;
  request: string;
  status: number;
  contentType: string;
  body: string;
  /** The server's logged error for a 5xx. */
  error?: string;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  operations: number;
  statuses: Record<string, number>;
  serverErrors: Finding[];
  notProblemJson: Finding[];
  /** Statuses an operation answered that the OpenAPI document does not list for it: `operationId status` → count. */
  undeclared: Record<string, number>;
  harnessErrors: string[];
}

export function describeCase(c: FuzzCase): string {
  const body =
    c.payload === undefined
      ? ''
      : ` body(${c.headers['content-type'] ?? 'no content-type'}, ${c.payload.length} bytes)=${String(c.payload).slice(0, 120)}`;
  return `${c.method} ${c.url.slice(0, 300)} headers=${JSON.stringify(c.headers).slice(0, 300)}${body}`;
}

async function seededDatabase(): Promise<Database> {
  const db = openScratchDatabase('fuzz');
  await migrateDatabase(db);
  for (const file of readSeedFiles()) await applySeed(db, file.seed);
  return db;
}

function poolsOf(db: Database): Pools {
  const column = (sql: string) => (db.sqlite.prepare(sql).all() as { k: string }[]).map((r) => r.k);
  return {
    claims: column('SELECT id AS k FROM claims'),
    conditions: column('SELECT slug AS k FROM conditions'),
    interventions: column('SELECT slug AS k FROM interventions'),
    studies: column('SELECT pmid AS k FROM studies'),
    topics: column('SELECT slug AS k FROM topics'),
  };
}

/**
 * Sends `perOperation` seeded cases to every operation of the OpenAPI document (interleaved, so writes land between
 * reads), on a fresh seeded database with a write and an admin key, with rate limits out of the way. Never throws
 * for what the server answers: every finding is in the report.
 */
export async function runFuzz({
  seed,
  perOperation,
  onProgress,
  onServerError,
}: {
  seed: number;
  perOperation: number;
  onProgress?: (done: number, total: number) => void;
  /** Called at each 5xx with the database as it is then, to look at what led to it. */
  onServerError?: (finding: Finding, db: Database) => Promise<void> | void;
}): Promise<FuzzReport> {
  const doc = JSON.parse(readFileSync(OPENAPI, 'utf8')) as Schema;
  const operations = operationsOf(doc);
  const db = await seededDatabase();
  // Server-side errors by request id, so a 5xx finding carries the error behind it.
  const errors = new Map<string, string>();
  const stream = new Writable({
    write(chunk, _encoding, done) {
      try {
        const line = JSON.parse(String(chunk)) as { reqId?: string; err?: { message?: string; stack?: string } };
        if (line.reqId && line.err) errors.set(line.reqId, (line.err.stack ?? line.err.message ?? '').slice(0, 1500));
      } catch {
        // not a JSON line
      }
      done();
    },
  });
  const app = await buildApp({
    db,
    logger: { level: 'error', stream },
    config: { RATE_LIMIT_MAX: 1_000_000, AUTH_FAILURE_LIMIT: 10_000, MAX_EVENT_LOOP_DELAY_MS: 0 },
  });
  await app.ready();
  const secret = await resolveKeySecret(db);
  const keys = {
    write: (await createApiKey(db, { name: 'fuzz-writer', scope: 'write', secret })).key,
    admin: (await createApiKey(db, { name: 'fuzz-admin', scope: 'admin', secret })).key,
  };
  const pools = poolsOf(db);
  const rng = prng(seed);
  const report: FuzzReport = {
    seed,
    requests: 0,
    operations: operations.length,
    statuses: {},
    serverErrors: [],
    notProblemJson: [],
    undeclared: {},
    harnessErrors: [],
  };
  const total = perOperation * operations.length;
  try {
    for (let round = 0; round < perOperation; round++) {
      for (const operation of operations) {
        const index = report.requests++;
        const c = makeCase(doc, operation, rng, pools, keys);
        let res: Awaited<ReturnType<typeof app.inject>>;
        try {
          res = await app.inject({
            method: c.method as 'GET',
            url: c.url,
            headers: c.headers,
            ...(c.payload === undefined ? {} : { payload: c.payload }),
          });
        } catch (error) {
          report.harnessErrors.push(`#${index} ${describeCase(c)}: ${(error as Error).message}`);
          continue;
        }
        const status = res.statusCode;
        report.statuses[status] = (report.statuses[status] ?? 0) + 1;
        const contentType = String(res.headers['content-type'] ?? '');
        const finding = (): Finding => ({
          case: index,
          operation: operation.id,
          request: describeCase(c),
          status,
          contentType,
          body: res.body.slice(0, 300),
          ...(errors.has(String(res.headers['x-request-id']))
            ? { error: errors.get(String(res.headers['x-request-id'])) }
            : {}),
        });
        if (status >= 500) {
          report.serverErrors.push(finding());
          await onServerError?.(finding(), db);
        }
        if (status >= 400 && !PROBLEM_JSON.test(contentType)) report.notProblemJson.push(finding());
        if (!operation.declared.has(String(status)) && !operation.declared.has('default')) {
          const key = `${operation.id} ${status}`;
          report.undeclared[key] = (report.undeclared[key] ?? 0) + 1;
        }
        if (index % 200 === 0) onProgress?.(index, total);
      }
    }
  } finally {
    await app.close();
  }
  return report;
}

/** A short human summary: counts, then each finding with the seed and case needed to reproduce it. */
export function summarize(report: FuzzReport): string {
  const lines = [
    `fuzz seed ${report.seed}: ${report.requests} requests over ${report.operations} operations`,
    `statuses: ${Object.entries(report.statuses)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
    `5xx: ${report.serverErrors.length}; errors not problem+json: ${report.notProblemJson.length}; harness errors: ${report.harnessErrors.length}`,
    `statuses the OpenAPI document does not declare: ${Object.keys(report.undeclared).length === 0 ? 'none' : ''}`,
    ...Object.entries(report.undeclared).map(([key, n]) => `  ${key} (×${n})`),
    ...report.serverErrors.map(
      (f) => `5xx #${f.case} ${f.operation} → ${f.status}\n    ${f.request}\n    ${f.error ?? f.body}`,
    ),
    ...report.notProblemJson.map(
      (f) => `not problem+json #${f.case} ${f.operation} → ${f.status} ${f.contentType}\n    ${f.request}`,
    ),
    ...report.harnessErrors.map((e) => `harness: ${e}`),
  ];
  return `${lines.join('\n')}\n`;
}
