// POST /mcp against hostile JSON-RPC: bounded batches, an empty batch, params that do not fit their method.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_MAX_BATCH } from '../src/mcp/mcp.routes.js';
import { type App, testApp } from './helpers.js';

const MELANOMA = 'melanoma-microbiome-immunotherapy-response';
const findClaims = (id: number, args: unknown = { limit: 100 }) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'find_claims', arguments: args },
});

let app: App;
beforeAll(async () => {
  ({ app } = await testApp({ config: { MAX_EVENT_LOOP_DELAY_MS: 0 } }));
});
afterAll(async () => {
  await app.close();
});

async function post(body: unknown) {
  const res = await app.inject({
    method: 'POST',
    url: '/mcp',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, type: res.headers['content-type'], body: res.body ? res.json() : null };
}

describe('POST /mcp batches', () => {
  it(`refuses a batch of more than ${MCP_MAX_BATCH} messages with 400, a problem that is also a JSON-RPC -32600 error`, async () => {
    expect(MCP_MAX_BATCH).toBe(10);
    const res = await post(Array.from({ length: 11 }, (_, i) => findClaims(i + 1)));
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({
      status: 400,
      code: 'mcp.invalid_request',
      detail: 'a batch of 11 messages; at most 10 per request.',
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: 'Invalid Request: a batch of 11 messages; at most 10 per request.' },
    });
  });

  it('answers a batch of 10 calls with 10 results', async () => {
    const res = await post(Array.from({ length: 10 }, (_, i) => findClaims(i + 1, { limit: 1 })));
    expect(res.status).toBe(200);
    expect(res.body.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('refuses an empty batch with 400 and JSON-RPC -32600 Invalid Request, not 202', async () => {
    const res = await post([]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'mcp.invalid_request',
      error: { code: -32600, message: 'Invalid Request: an empty batch; send at least one message.' },
      id: null,
    });
  });
});

describe('POST /mcp params that do not fit their method', () => {
  it('answers tools/call with arguments "x" with -32602 Invalid params naming the field, not -32603', async () => {
    const res = await post(findClaims(7, 'x'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: { code: -32602, message: 'Invalid params: tools/call params.arguments: expected an object, got a string' },
    });
  });

  it('answers the good calls of a batch and refuses only the bad one', async () => {
    const res = await post([
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_claim', arguments: { id: MELANOMA } } },
      findClaims(2, [1]),
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    expect(res.body[0].id).toBe(1);
    expect(res.body[0].result.structuredContent).toMatchObject({ id: MELANOMA, sample_size: 112 });
    expect(res.body[1]).toEqual({
      jsonrpc: '2.0',
      id: 2,
      error: { code: -32602, message: 'Invalid params: tools/call params.arguments: expected an object, got an array' },
    });
  });
});
