// What /mcp checks in a JSON-RPC message before the SDK sees it: request params the SDK would answer with -32603.
import {
  CallToolRequestSchema,
  ErrorCode,
  InitializeRequestSchema,
  type JSONRPCMessage,
  ListToolsRequestSchema,
  PingRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

/**
 * The request schemas of the methods this server answers. The SDK parses a request against its schema inside the
 * handler and answers a mismatch as -32603 Internal error carrying zod's dump; JSON-RPC 2.0 (section 5.1) says
 * invalid method parameters are -32602 Invalid params, so they are checked here first.
 */
const REQUEST_SCHEMAS = {
  initialize: InitializeRequestSchema,
  ping: PingRequestSchema,
  'tools/list': ListToolsRequestSchema,
  'tools/call': CallToolRequestSchema,
} as const;

/** One JSON-RPC error response (JSON-RPC 2.0 section 5). */
export interface JsonRpcErrorResponse {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

type Message = Record<string, unknown>;

/**
 * Splits messages into those the SDK may handle and error responses for requests whose params do not fit their
 * method: `-32602 Invalid params: tools/call params.arguments: expected an object, got a string`. Notifications and
 * responses pass unchecked (nothing answers them).
 */
export function screenRequests(messages: readonly Message[]): { passed: Message[]; refused: JsonRpcErrorResponse[] } {
  const passed: Message[] = [];
  const refused: JsonRpcErrorResponse[] = [];
  for (const message of messages) {
    const { id, method } = message;
    const schema =
      typeof method === 'string' && Object.hasOwn(REQUEST_SCHEMAS, method)
        ? REQUEST_SCHEMAS[method as keyof typeof REQUEST_SCHEMAS]
        : undefined;
    const isRequest = typeof id === 'string' || typeof id === 'number';
    const parsed = schema && isRequest ? schema.safeParse({ method, params: message.params }) : undefined;
    if (parsed === undefined || parsed.success) {
      passed.push(message);
      continue;
    }
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'params';
    refused.push({
      jsonrpc: '2.0',
      id: id as string | number,
      error: {
        code: ErrorCode.InvalidParams,
        message: `Invalid params: ${method} ${where}: ${describeIssue(issue, at(message, issue?.path ?? []))}`,
      },
    });
  }
  return { passed, refused };
}

const at = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Message)[key as string] : undefined), {
    params: (value as Message).params,
  });

const kind = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : value === undefined ? 'nothing' : `a ${typeof value}`;

function describeIssue(issue: { code: string; expected?: unknown; message: string } | undefined, got: unknown): string {
  if (issue?.code === 'invalid_type') {
    const expected = issue.expected === 'record' ? 'an object' : `${issue.expected}`;
    return `expected ${expected}, got ${kind(got)}`;
  }
  return issue?.message ?? 'does not fit the method';
}

export type { JSONRPCMessage };
