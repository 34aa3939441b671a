// POST /mcp: the MCP server over Streamable HTTP (stateless, JSON responses), behind the API's auth and rate limit.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import { problem } from '../http/api-schemas.js';
import { callerOf } from '../http/internal-request.js';
import { ApiProblem, PROBLEM_CODES } from '../http/problem.js';
import { AUTH_CODES, WWW_AUTHENTICATE } from '../plugins/auth.js';
import { baseUrlOf } from '../resources/fhir/fhir.routes.js';

/**
 * The SDK (with its HTTP stack) loads on the first MCP request, not at boot: a server that never sees one keeps its
 * start-up time and heap, which the load-shedding grace after start is tuned to.
 */
const loadSdk = async () => {
  const [{ WebStandardStreamableHTTPServerTransport }, { createMcpServer }, { screenRequests }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    import('./mcp.server.js'),
    import('./mcp.messages.js'),
  ]);
  return { WebStandardStreamableHTTPServerTransport, createMcpServer, screenRequests };
};

/**
 * The most messages one POST /mcp may batch. Each message is a tool call that may read a page of 100 claims (about
 * 140 KB of JSON), and one POST counts once against the rate limit: 100 calls were 14 MB for one request. Ten keep a
 * batch within about 1.4 MB. (The SDK's own bound is 100; MCP 2025-06-18 dropped batching altogether.)
 */
export const MCP_MAX_BATCH = 10;

/** A refusal of the whole body as both a problem (the API's errors) and a JSON-RPC error response (JSON-RPC 2.0 section 5). */
function invalidRequest(detail: string): ApiProblem {
  return new ApiProblem(400, 'mcp.invalid_request', 'Invalid request', detail, undefined, {
    jsonrpc: '2.0',
    id: null,
    error: { code: -32600, message: `Invalid Request: ${detail}` },
  });
}

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
      description: `MCP over Streamable HTTP (protocol 2025-06-18 and earlier), stateless, answering with application/json. Read-only tools mirror the read API: find_claims, get_claim, get_study, list_topics, get_topic, search, cite_studies. Send \`Accept: application/json, text/event-stream\`. The API key, READS_REQUIRE_KEY and the rate limit apply as on /v1 (one MCP request counts once, whatever the tools read, so a batch holds at most ${MCP_MAX_BATCH} messages). Tool failures are tool results with \`isError\`, carrying the API problem. A request whose params do not fit its method (e.g. \`arguments\` not an object) is answered with JSON-RPC error -32602 Invalid params.`,
      body: JsonRpcMessage.or(z.array(JsonRpcMessage)).describe(
        `One JSON-RPC message or a batch of 1 to ${MCP_MAX_BATCH}: an empty batch or a longer one is a 400 whose body is also a JSON-RPC error response (-32600 Invalid Request).`,
      ),
      response: {
        200: {
          description: 'The JSON-RPC response(s).',
          content: { 'application/json': { schema: JsonRpcMessage.or(z.array(JsonRpcMessage)) } },
        },
        202: z.null().describe('A notification or response was accepted; no body.'),
        400: problem(
          `Not a JSON-RPC message, or an empty batch, or a batch of more than ${MCP_MAX_BATCH} messages. The body is also a JSON-RPC error response: \`jsonrpc\`, \`id\` (null) and \`error\` (\`code\` -32600 or -32700, \`message\`).`,
        ),
        401: problem('A key is required (READS_REQUIRE_KEY) or the key is not valid.'),
        406: problem('The Accept header does not list both application/json and text/event-stream.'),
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
      const batch = Array.isArray(request.body);
      const messages = (batch ? request.body : [request.body]) as Record<string, unknown>[];
      // JSON-RPC 2.0 section 6: an empty array is an Invalid Request (the SDK took it for notifications: 202).
      if (messages.length === 0) throw invalidRequest('an empty batch; send at least one message.');
      if (messages.length > MCP_MAX_BATCH)
        throw invalidRequest(`a batch of ${messages.length} messages; at most ${MCP_MAX_BATCH} per request.`);
      const { WebStandardStreamableHTTPServerTransport, createMcpServer, screenRequests } = await loadSdk();
      const { passed, refused } = screenRequests(messages);
      if (passed.length === 0) {
        reply.code(200).type('application/json');
        return reply.send(JSON.stringify(batch ? refused : refused[0]) as never);
      }
      const server = createMcpServer(app, callerOf(request), baseUrlOf(request));
      // The web-standard transport answers with a Response rather than writing to the socket: its refusals (406,
      // 415, 400 for a message that is not JSON-RPC, ...) become problem+json like every other error of the API,
      // and the reply goes through the app's hooks (security headers, rate limit, request id).
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      try {
        await server.connect(transport);
        const headers = new Headers();
        for (const name of TRANSPORT_HEADERS) {
          const value = request.headers[name];
          // Header values are Latin-1 on the wire; anything else cannot be a valid value of these headers.
          if (typeof value === 'string' && /^[\x20-\x7e\t]*$/.test(value)) headers.set(name, value);
        }
        const response = await transport.handleRequest(
          new Request(`http://mcp.internal${request.url}`, {
            method: 'POST',
            headers,
            body: JSON.stringify(batch ? passed : passed[0]),
          }),
          { parsedBody: batch ? passed : passed[0] },
        );
        const text = await response.text();
        if (response.status >= 400) throw transportProblem(response.status, text);
        response.headers.forEach((value, name) => {
          if (!HOP_HEADERS.has(name)) reply.header(name, value);
        });
        if (refused.length > 0) {
          // The SDK answers a batch holding one request with a bare object: a batch is answered with an array.
          const answered = text === '' ? [] : ([] as unknown[]).concat(JSON.parse(text));
          reply.code(200).type('application/json');
          return reply.send(JSON.stringify([...answered, ...refused]) as never);
        }
        reply.code(response.status as 200 | 202);
        // Already JSON text: sent as it is (a string skips the response serializer).
        return reply.send((text === '' ? null : text) as never);
      } finally {
        await transport.close();
        await server.close();
      }
    },
  });
};

/** The request headers the transport reads (content negotiation and MCP's own); nothing else is passed on. */
const TRANSPORT_HEADERS = ['accept', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id'];
/** Headers that describe one hop's framing, not the message: never copied from the transport's answer. */
const HOP_HEADERS = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/** A transport refusal (a JSON-RPC error in an HTTP error) as the API's problem, with the transport's message. */
function transportProblem(status: number, body: string): ApiProblem {
  let message = `The MCP transport refused the request (HTTP ${status}).`;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    // not JSON: keep the generic message
  }
  const code = status === 406 ? PROBLEM_CODES.notAcceptable : status === 400 ? 'mcp.invalid_message' : 'mcp.refused';
  return new ApiProblem(status, code, status >= 500 ? 'Internal Server Error' : 'Invalid request', message, undefined, {
    ...jsonRpcError(body),
  });
}

/** The transport's JSON-RPC error response (jsonrpc, id, error), kept as extension members; nothing else of it. */
function jsonRpcError(body: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(body) as {
      jsonrpc?: unknown;
      id?: unknown;
      error?: { code?: unknown; message?: unknown };
    };
    if (parsed.jsonrpc !== '2.0' || typeof parsed.error?.code !== 'number') return {};
    return {
      jsonrpc: '2.0',
      id: parsed.id ?? null,
      error: { code: parsed.error.code, message: String(parsed.error.message ?? '') },
    };
  } catch {
    return {};
  }
}
