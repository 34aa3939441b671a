// The MCP server: the SDK's own client lists and calls every tool over Streamable HTTP and over stdio.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createApiKey } from '../src/auth/keys.js';
import type { Config } from '../src/config.js';
import { TOOLS } from '../src/mcp/mcp.tools.js';
import { type Database, openDatabase } from '../src/store/client.js';
import { freshDatabase } from './helpers.js';

const ROOT = new URL('..', import.meta.url).pathname;
const MELANOMA = 'melanoma-microbiome-immunotherapy-response';
const TOOL_NAMES = ['find_claims', 'get_claim', 'get_study', 'list_topics', 'get_topic', 'search', 'cite_studies'];
const VANCOUVER =
  'Gopalakrishnan V, Spencer CN, Nezi L, Reuben A, Andrews MC, Karpinets TV, et al. Gut microbiome modulates response to anti–PD-1 immunotherapy in melanoma patients. Science. 2018;359(6371):97-103. doi: 10.1126/science.aan4236. PMID: 29097493; PMCID: PMC5827966.';

type ToolResult = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: any };

/** The real app on a real socket (port 0, loopback), so the SDK client speaks HTTP to it. */
async function listening(config: Partial<Config> = {}, given?: Database) {
  const db = given ?? (await freshDatabase());
  const app = await buildApp({ db, config });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, db, address };
}

async function httpClient(address: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: 'evidence-api-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${address}/mcp`), { requestInit: { headers } }));
  return client;
}

const call = (client: Client, name: string, args: Record<string, unknown> = {}) =>
  client.callTool({ name, arguments: args }) as Promise<ToolResult>;

/** The calls every transport must answer, with what a user of each tool would check. */
async function callEveryTool(client: Client, base: string) {
  const found = await call(client, 'find_claims', { condition: 'melanoma' });
  expect(found.isError).toBeFalsy();
  const claim = found.structuredContent.items.find((c: any) => c.id === MELANOMA);
  expect(claim).toMatchObject({
    grade: { scheme: 'GRADE', level: 'very_low', assessment: { start: { level: 'low', design: 'cohort' } } },
    sample_size: 112,
  });
  expect(claim.studies[0]).toMatchObject({ pmid: '29097493', design: 'cohort', sample_size: 112 });
  expect(claim.url).toBe(`${base}/v1/claims/${MELANOMA}`);
  expect(JSON.parse(found.content[0]!.text)).toEqual(found.structuredContent);

  const byGradeAndDesign = await call(client, 'find_claims', { grade: 'very_low', design: 'cohort' });
  expect(byGradeAndDesign.structuredContent.items.map((c: any) => c.id)).toContain(MELANOMA);

  const got = await call(client, 'get_claim', { id: MELANOMA });
  expect(got.structuredContent).toMatchObject({
    id: MELANOMA,
    grade: { level: 'very_low' },
    studies: [{ pmid: '29097493', design: 'cohort', sample_size: 112 }],
    url: `${base}/v1/claims/${MELANOMA}`,
  });

  const study = await call(client, 'get_study', { pmid: '29097493' });
  expect(study.structuredContent).toMatchObject({ pmid: '29097493', doi: '10.1126/science.aan4236', sample_size: 112 });
  expect(study.structuredContent.url).toBe(`${base}/v1/studies/29097493`);
  expect(study.structuredContent.claims.map((c: any) => c.url)).toContain(`${base}/v1/claims/${MELANOMA}`);

  const topics = await call(client, 'list_topics', { condition: 'melanoma' });
  expect(topics.structuredContent.items[0]).toMatchObject({
    slug: 'gut-microbiome-and-skin',
    overall_certainty: { level: 'very_low' },
    url: `${base}/v1/topics/gut-microbiome-and-skin`,
  });

  const topic = await call(client, 'get_topic', { slug: 'gut-microbiome-and-skin' });
  expect(topic.structuredContent.question).toBe('Does a healthy gut microbiome lead to better skin?');
  expect(topic.structuredContent.claims.find((c: any) => c.id === MELANOMA).url).toBe(`${base}/v1/claims/${MELANOMA}`);

  const hits = await call(client, 'search', { q: 'melanoma immunotherapy', type: 'claim' });
  expect(hits.structuredContent.items[0]).toMatchObject({
    type: 'claim',
    id: MELANOMA,
    url: `${base}/v1/claims/${MELANOMA}`,
  });

  const cited = await call(client, 'cite_studies', { pmids: ['29097493'] });
  // A bibliography is numbered, as GET /v1/citations numbers it.
  expect(cited.content).toEqual([{ type: 'text', text: `1. ${VANCOUVER}` }]);
  const ris = await call(client, 'cite_studies', { pmids: ['29097493'], format: 'ris' });
  expect(ris.content[0]!.text).toContain('AN  - 29097493\r\n');
}

async function expectToolErrors(client: Client) {
  const missing = await call(client, 'get_claim', { id: 'no-such-claim' });
  expect(missing).toMatchObject({
    isError: true,
    content: [{ type: 'text', text: "Not found (claims.not_found): No claim has id 'no-such-claim'." }],
  });
  const unknownCondition = await call(client, 'find_claims', { condition: 'no-such-condition' });
  expect(unknownCondition.isError).toBe(true);
  expect(unknownCondition.structuredContent).toMatchObject({
    status: 400,
    errors: [
      {
        path: 'query.condition',
        message: "no condition is known by 'no-such-condition' (slug, name, synonym or code)",
      },
    ],
  });
  const unknownPmid = await call(client, 'cite_studies', { pmids: ['29097493', '1'] });
  expect(unknownPmid.structuredContent).toMatchObject({ code: 'citations.unknown_pmids', missing: ['1'] });
  const invalid = await call(client, 'get_study', { pmid: 'abc' });
  expect(invalid.isError).toBe(true);
  expect(invalid.content[0]!.text).toContain('must be a PubMed id');
}

describe('MCP over Streamable HTTP (POST /mcp)', () => {
  let server: Awaited<ReturnType<typeof listening>>;
  let client: Client;
  beforeAll(async () => {
    server = await listening();
    client = await httpClient(server.address);
  });
  afterAll(async () => {
    await client.close();
    await server.app.close();
  });

  it('lists every read tool, read-only, with the input schema of its route', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES);
    for (const tool of tools) expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: true });
    const find = tools.find((t) => t.name === 'find_claims')!;
    expect(find.inputSchema.additionalProperties).toBe(false);
    expect(Object.keys(find.inputSchema.properties ?? {})).toEqual(Object.keys(TOOLS[0]!.inputSchema.shape));
    expect((find.inputSchema.properties as any).design.enum).toContain('cohort');
    expect((find.inputSchema.properties as any).condition.description).toContain('Condition slug, name, synonym');
    const get = tools.find((t) => t.name === 'get_claim')!;
    expect(get.inputSchema.required).toEqual(['id']);
  });

  it('calls every tool; the melanoma claim comes back with grade very low (from a low start), cohort, n=112 and its URL', async () => {
    await callEveryTool(client, server.address);
  });

  it('turns every API problem into a tool error with the problem’s detail, never a crash', async () => {
    await expectToolErrors(client);
  });

  it('answers GET /mcp with 405 and Allow: POST (stateless: no event stream)', async () => {
    const res = await fetch(`${server.address}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('MCP access control', () => {
  const SECRET = 'mcp-test-secret-mcp-test-secret-012345';
  const toolsCall = (id: number) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'get_claim', arguments: { id: MELANOMA } },
  });
  const post = (address: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${address}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify(body),
    });

  it('needs a key when READS_REQUIRE_KEY is set, and reads with the caller’s key', async () => {
    const db = await freshDatabase();
    const server = await listening({ READS_REQUIRE_KEY: true, API_KEY_SECRET: SECRET }, db);
    const { key } = await createApiKey(db, { name: 'assistant', scope: 'write', secret: SECRET });
    try {
      const anonymous = await post(server.address, toolsCall(1));
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="evidence-api"');
      expect(((await anonymous.json()) as any).code).toBe('auth.unauthenticated');
      const client = await httpClient(server.address, { authorization: `Bearer ${key}` });
      const got = await call(client, 'get_claim', { id: MELANOMA });
      expect(got.structuredContent).toMatchObject({ id: MELANOMA, sample_size: 112 });
      await client.close();
    } finally {
      await server.app.close();
    }
  });

  it('counts one MCP request once against the rate limit, not once per read it makes', async () => {
    // Load shedding off: the SDK's first load can lag the event loop on a busy machine; this test is about the limit.
    const server = await listening({ RATE_LIMIT_MAX: 5, MAX_EVENT_LOOP_DELAY_MS: 0 });
    try {
      const first = await post(server.address, toolsCall(1));
      // The body is read before any assertion, so a failure reports itself instead of holding the socket open.
      const body = (await first.json()) as any;
      expect(first.status, JSON.stringify(body)).toBe(200);
      expect(first.headers.get('x-ratelimit-remaining')).toBe('4');
      expect(JSON.parse(body.result.content[0].text)).toMatchObject({ id: MELANOMA, grade: { level: 'very_low' } });
      const second = await post(server.address, toolsCall(2));
      await second.arrayBuffer();
      expect(second.headers.get('x-ratelimit-remaining')).toBe('3');
    } finally {
      await server.app.close();
    }
  });
});

describe('MCP over stdio (npm run mcp)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'evidence-mcp-'));
  const database = join(tmp, 'evidence.db');
  let client: Client;
  beforeAll(async () => {
    client = new Client({ name: 'evidence-api-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', join(ROOT, 'src/cli/mcp.ts')],
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', DATABASE_PATH: database, PUBLIC_URL: 'https://evidence.example.org/' },
        stderr: 'pipe',
      }),
    );
  });
  afterAll(async () => {
    await client.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('lists the same tools as the HTTP endpoint', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES);
  });

  it('calls every tool on the seeded local database, with URLs on PUBLIC_URL', async () => {
    await callEveryTool(client, 'https://evidence.example.org');
    const db = openDatabase(database);
    expect((db.sqlite.prepare('SELECT count(*) AS n FROM claims').get() as { n: number }).n).toBeGreaterThan(0);
    await db.close();
  });

  it('turns problems into tool errors over stdio too', async () => {
    await expectToolErrors(client);
  });
});
