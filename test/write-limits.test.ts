// Write bodies are bounded in every part (issue 10, "bounded work"): every string has a maximum length, every list a
// maximum count, in the OpenAPI document and in what the server accepts, so stored resources and the pages that serve
// them stay bounded in bytes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, curatorApp, PROBLEM_TYPE } from './helpers.js';

type Schema = Record<string, unknown>;
const document = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { requestBody?: Schema }>>;
  components: { schemas: Record<string, Schema> };
};

/**
 * Bodies that are one whole document rather than fields: an efetch XML file to import and an MCP JSON-RPC message.
 * Both are bounded by BODY_LIMIT_BYTES (README "Limits and readiness") and parsed by code of their own.
 */
const WHOLE_DOCUMENT_BODIES = new Set(['post /v1/import/pubmed', 'post /mcp']);

/** A pattern anchored at both ends with no unbounded repetition (`+`, `*`, `{n,}`) bounds the length by itself. */
const boundedPattern = (pattern: unknown) =>
  typeof pattern === 'string' && /^\^.*\$$/.test(pattern) && !/(?<!\\)[+*]|\{\d+,\}/.test(pattern);

/** Every place under `node` (following $refs) where a string has no maxLength, a list no maxItems, a map no maxProperties. */
function unbounded(node: unknown, path: string, seen = new Set<string>()): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => unbounded(item, `${path}/${i}`, seen));
  if (!node || typeof node !== 'object') return [];
  const schema = node as Schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').at(-1) as string;
    if (seen.has(name)) return [];
    seen.add(name);
    return unbounded(document.components.schemas[name], `#${name}`, seen);
  }
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const found: string[] = [];
  if (
    types.includes('string') &&
    schema.maxLength === undefined &&
    schema.enum === undefined &&
    !('const' in schema) &&
    !boundedPattern(schema.pattern)
  )
    found.push(`${path}: string without maxLength`);
  if (types.includes('array') && schema.maxItems === undefined) found.push(`${path}: array without maxItems`);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && !schema.maxProperties)
    found.push(`${path}: map without maxProperties`);
  for (const [key, value] of Object.entries(schema)) found.push(...unbounded(value, `${path}/${key}`, seen));
  return found;
}

describe('every part of a write body has a bound in the OpenAPI document', () => {
  it('gives each string a maxLength, each list a maxItems and each map a maxProperties', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation.requestBody)
        .map(([method, operation]) => ({ name: `${method} ${path}`, body: operation.requestBody })),
    );
    // POST and PATCH of claims, conditions, interventions, studies and topics, the import and MCP.
    expect(operations.length).toBe(12);
    const found = operations
      .filter((op) => !WHOLE_DOCUMENT_BODIES.has(op.name))
      .flatMap((op) => unbounded(op.body, op.name));
    expect(found).toEqual([]);
  });
});

describe('the server holds a write to the bounds it documents', () => {
  let app: App;
  let key: string;
  beforeAll(async () => {
    ({ app, key } = await curatorApp());
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a statement one character over its 5,000 with 400 naming body.statement, and stores nothing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/claims',
      headers: { authorization: `Bearer ${key}` },
      payload: {
        id: 'too-long-statement',
        statement: 'x'.repeat(5001),
        plain_summary: 'Short.',
        condition: 'rosacea',
        interventions: ['oral-probiotics'],
        outcome: null,
        direction: 'benefit',
        grade: { scheme: 'GRADE', level: 'very_low', rationale: null },
        caveats: { codes: [], notes: null },
        studies: [{ pmid: '29097493', relation: 'supports' }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.statement']);
    expect((await app.inject('/v1/claims/too-long-statement')).statusCode).toBe(404);
  });

  it('refuses a DOI over 300 characters on a study', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/studies',
      headers: { authorization: `Bearer ${key}` },
      payload: { pmid: '31000002', doi: `10.1000/${'a'.repeat(300)}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.doi']);
  });
});
