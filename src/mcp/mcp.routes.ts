// POST /mcp: the MCP server over Streamable HTTP (stateless, JSON responses), behind the API's auth and rate limit.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import { problem } from '../http/api-schemas.js';
import { callerOf } from '../http/internal-request.js';
import { ApiProblem } from '../http/problem.js';
import { AUTH_CODES, WWW_AUTHENTICATE } from '../plugins/auth.js';
import { baseUrlOf } from '../resources/fhir/fhir.routes.js';

/**
 * The SDK (with its HTTP stack) loads on the first MCP request, not at boot: a server that never sees one keeps its
 * start-up time and heap, which the load-shedding grace after start is tuned to.
 */
const loadSdk = async () => {
  const [{ StreamableHTTPServerTransport }, { createMcpServer }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('./mcp.server.js'),
  ]);
  return { StreamableHTTPServerTransport, createMcpServer };
};

const JsonRpcMessage = z
  .looseObject({ jsonrpc: z.literal('2.0') })
  .describe('A JSON-RPC 2.0 message of the Model Context Protocol (initialize, tools/list, tools/call, …).');

/**
 * Stateless: each POST gets a fresh server and transport (no session id, no server-sent stream), which is all a
 * read-only tool server needs and keeps no state between requests. GET and DELETE (the stream and session end of
 * stateful servers) answer 405 with `Allow: POST` through the app's route mirror.
 */
export const mcpRoutes: FastifyPluginAsync<{ config: Pick<Config, 'READS_REQUIRE_KEY'> }> = async (
  root,
  { config },
) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post('/mcp', {
    schema: {
      operationId: 'mcp',
      tags: ['mcp'],
      summary: 'Model Context Protocol endpoint',
      description:
        'MCP over Streamable HTTP (protocol 2025-06-18 and earlier), stateless, answering with application/json. Read-only tools mirror the read API: find_claims, get_claim, get_study, list_topics, get_topic, search, cite_studies. Send `Accept: application/json, text/event-stream`. The API key, READS_REQUIRE_KEY and the rate limit apply as on /v1 (one MCP request counts once, whatever the tools read). Tool failures are tool results with `isError`, carrying the API problem.',
      body: JsonRpcMessage.or(z.array(JsonRpcMessage)),
      response: {
        200: {
          description: 'The JSON-RPC response(s).',
          content: { 'application/json': { schema: JsonRpcMessage.or(z.array(JsonRpcMessage)) } },
        },
        202: z.null().describe('A notification or response was accepted; no body.'),
        400: problem('Not a JSON-RPC message.'),
        401: problem('A key is required (READS_REQUIRE_KEY) or the key is not valid.'),
        429: problem('Too many requests from this address.'),
      },
    },
    preHandler: async (request, reply) => {
      if (config.READS_REQUIRE_KEY && request.apiKey === null) {
        reply.header('www-authenticate', WWW_AUTHENTICATE);
        throw new ApiProblem(
          401,
          AUTH_CODES.unauthenticated,
          'Unauthenticated',
          'Reads require an API key: send `Authorization: Bearer <key>`.',
        );
      }
    },
    handler: async (request, reply) => {
      const { StreamableHTTPServerTransport, createMcpServer } = await loadSdk();
      const server = createMcpServer(app, callerOf(request), baseUrlOf(request));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      // The transport writes to the raw response: carry over the headers hooks have set (security, rate limit).
      reply.hijack();
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined) reply.raw.setHeader(name, value as string | number | string[]);
      reply.raw.setHeader('x-request-id', String(request.id));
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(request.raw, reply.raw, request.body);
      } catch (error) {
        request.log.error({ err: error }, 'MCP request failed');
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { 'content-type': 'application/json' });
          reply.raw.end(
            JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }),
          );
        }
      }
    },
  });
};
