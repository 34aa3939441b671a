// The OpenAPI 3.1 document, generated from the zod route schemas, served at /openapi.json and rendered at /docs.
import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describeOperations } from './openapi-operations.js';

export const API_DESCRIPTION = `Structured, graded health-evidence claims: each claim with its evidence grade, the design and
sample size of every study behind it, caveats, and a plain-language summary.

- Lists return \`{ "items": [...], "next_cursor": string|null }\`; pass \`next_cursor\` back as \`cursor\` with the same
  filters. Pages never repeat or skip an item.
- Every error is \`application/problem+json\` (RFC 9457) naming the parameter and the reason; unknown query
  parameters are rejected.
- Reads carry an \`ETag\` derived from the data version (weak on lists, strong on single resources); send it back
  in \`If-None-Match\` for a 304. Writes need an API key (\`Authorization: Bearer <key>\`) and, on existing
  resources, \`If-Match\`.
- Responses above 1 KiB are compressed (brotli, gzip or deflate) when \`Accept-Encoding\` allows it.
- A method a path does not list is a 405 problem with \`Allow\`; every response carries \`x-request-id\`.
- Unknown bibliographic facts are \`null\`, never guessed; \`metadata_status\` says how complete a study record is.
- \`grade.certainty\` (0-4) puts claims graded with different schemes on one scale.`;

export interface OpenApiOptions {
  version: string;
  /** PUBLIC_BASE_URL: the document's server; unset, the server is `/`, relative to wherever the API is reached. */
  publicBaseUrl: string | undefined;
  readsRequireKey: boolean;
}

export const openapiPlugin = fp<OpenApiOptions>(
  async (app, { version, publicBaseUrl, readsRequireKey }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Evidence API',
          version,
          description: API_DESCRIPTION,
          license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
        },
        // Relative by default: the docs page then calls the host and port it was loaded from (its CSP allows only
        // 'self'), wherever the service runs; generated clients take their base URL as an option anyway.
        servers: [
          publicBaseUrl === undefined
            ? { url: '/', description: 'This server: the origin the document was fetched from.' }
            : { url: publicBaseUrl, description: 'The public address of this server (PUBLIC_BASE_URL).' },
        ],
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              description:
                'An API key (`ek_...`, from `npm run keys -- create`) as `Authorization: Bearer <key>`. Writes need scope `write` or `admin`; reads need any key only when the server sets READS_REQUIRE_KEY. Never put a key in a URL.',
            },
          },
        },
        tags: [
          { name: 'claims', description: 'Graded evidence claims.' },
          { name: 'conditions', description: 'Conditions claims are about, with synonyms, codes and hierarchy.' },
          { name: 'interventions', description: 'Treatments and exposures.' },
          { name: 'studies', description: 'Studies (PubMed records) behind the claims.' },
          { name: 'topics', description: 'Consumer questions answered from claims.' },
          { name: 'search', description: 'Full-text search across every kind of resource.' },
          {
            name: 'citations',
            description:
              'Citations in two families: text (Vancouver, AMA, APA, RIS, BibTeX: strings) and CSL-JSON (items), one operation each.',
          },
          { name: 'operations', description: 'Health, readiness and this document.' },
        ],
      },
      transform: withResponseHeaders,
      transformObject: (document) => {
        const complete = withExamples(pruneComponents(jsonSchemaTransformObject(document)));
        describeOperations(complete as Record<string, unknown>, { readsRequireKey });
        return complete;
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });

    app.get('/openapi.json', {
      schema: {
        operationId: 'getOpenApiDocument',
        tags: ['operations'],
        summary: 'This OpenAPI document',
        description: 'The OpenAPI 3.1 document for this API, generated from the route schemas.',
        response: { 200: z.looseObject({ openapi: z.string() }).describe('OpenAPI 3.1 document.') },
      },
      handler: async (_request, reply) =>
        reply.type('application/json; charset=utf-8').send(JSON.stringify(app.swagger())),
    });
  },
  { name: 'openapi' },
);

type OpenApiDocument = ReturnType<typeof jsonSchemaTransformObject>;
type RouteTransform = Parameters<typeof jsonSchemaTransform>[0];

/**
 * The zod transform keeps only `description` and `content` of a response given by media type; a route may also
 * declare `headers` there (JSON Schema per header, e.g. Content-Disposition), which @fastify/swagger then documents.
 */
function withResponseHeaders(route: RouteTransform) {
  const result = jsonSchemaTransform(route);
  const declared = (route.schema as { response?: Record<string, { headers?: unknown }> } | undefined)?.response;
  const transformed = (result.schema as { response?: Record<string, Record<string, unknown>> } | undefined)?.response;
  for (const [status, response] of Object.entries(declared ?? {}))
    if (response && typeof response === 'object' && response.headers && transformed?.[status])
      transformed[status].headers = response.headers;
  return result;
}

/**
 * The zod provider emits an input and an output variant of every registered schema; keep only the components the
 * document actually references, so generated clients do not grow dozens of unused types.
 */
function pruneComponents(document: OpenApiDocument): OpenApiDocument {
  const doc = document as { paths?: unknown; components?: { schemas?: Record<string, unknown> } };
  const schemas = doc.components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
          const name = value.slice('#/components/schemas/'.length);
          if (!used.has(name)) {
            used.add(name);
            visit(schemas[name]);
          }
        } else visit(value);
      }
    }
  };
  visit(doc.paths);
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...document, components: { ...doc.components, schemas: kept } } as OpenApiDocument;
}

// Real responses of the seeded app, captured by `npm run openapi:examples`; a test keeps them equal to what the
// code returns, so an example can never drift from the schema it illustrates.
const EXAMPLES = JSON.parse(readFileSync(new URL('../../openapi/examples.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

function withExamples(document: OpenApiDocument): OpenApiDocument {
  const schemas = (document as { components?: { schemas?: Record<string, Record<string, unknown>> } }).components
    ?.schemas;
  for (const [name, example] of Object.entries(EXAMPLES)) {
    const schema = schemas?.[name];
    if (schema) schema.examples = [example];
  }
  return document;
}
