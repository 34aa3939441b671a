// The read-only MCP server: every tool answers through the app's own routes, as the calling client.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance } from 'fastify';
import { type Caller, internalGet } from '../http/internal-request.js';
import { ApiProblem } from '../http/problem.js';
import { APP_VERSION } from '../version.js';
import { TOOLS, type ToolDefinition } from './mcp.tools.js';

export const MCP_SERVER_NAME = 'evidence-api';

const INSTRUCTIONS =
  'Graded health-evidence claims with the design and sample size of every study behind them. Quote a claim with its GRADE level and caveats, link its `url`, and cite its studies with cite_studies; never present a low or very low certainty claim as established. Unknown facts are null: do not fill them in.';

/**
 * A fresh MCP server whose tools GET the app's routes with `caller`'s Authorization header, so auth, validation and
 * errors are the REST API's. `baseUrl` (no trailing slash) makes the `url`s in results absolute. A route's problem
 * becomes a tool error (`isError`) carrying its title and detail; nothing a tool is sent can throw out of it.
 */
export function createMcpServer(app: FastifyInstance, caller: Caller, baseUrl: string): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version: APP_VERSION }, { instructions: INSTRUCTIONS });
  for (const tool of TOOLS)
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      async (args: Record<string, unknown>) => callTool(app, caller, baseUrl, tool, args),
    );
  return server;
}

async function callTool(
  app: FastifyInstance,
  caller: Caller,
  baseUrl: string,
  tool: ToolDefinition,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  try {
    const body = await internalGet(app, caller, tool.path(args), tool.as === 'text' ? { as: 'text' } : {});
    if (typeof body === 'string') return { content: [{ type: 'text', text: body }] };
    const linked = tool.link ? tool.link(body as Record<string, unknown>, baseUrl) : (body as Record<string, unknown>);
    return { content: [{ type: 'text', text: JSON.stringify(linked, null, 2) }], structuredContent: linked };
  } catch (error) {
    const problem =
      error instanceof ApiProblem
        ? error
        : new ApiProblem(500, 'server.internal_error', 'Internal Server Error', 'The tool could not complete.');
    if (!(error instanceof ApiProblem)) app.log.error({ err: error, tool: tool.name }, 'MCP tool failed');
    return {
      isError: true,
      content: [{ type: 'text', text: `${problem.title} (${problem.code}): ${problem.detail}` }],
      structuredContent: {
        status: problem.status,
        code: problem.code,
        detail: problem.detail,
        ...(problem.errors ? { errors: problem.errors } : {}),
        ...problem.extensions,
      },
    };
  }
}
