// Three real API processes (src/server.ts, as `npm start` runs it) on one PostgreSQL database, met over loopback
// sockets: a write through one is read through the others with one ETag, one ETag lets exactly one of 50 racing
// PATCHes win, and a change-feed reader paging while writers commit through all three sees every revision once, in
// commit order. Runs only with TEST_DATABASE_URL (npm run test:postgres).
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { openDatabase } from '../src/store/client.js';
import { createTestDatabase, onPostgres } from './postgres.harness.js';

const ROOT = new URL('..', import.meta.url).pathname;

interface Instance {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
}

/** One server process on `url`, listening on a free loopback port (read from its log). */
function startServer(url: string): Promise<Instance> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: '4',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_MAX: '100000',
    // Load shedding answers 503 when a shared machine starves the event loop; these tests are about the database.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    // Writes from three processes queue on one commit lock: let a write wait as long as the race needs.
    WRITE_LOCK_WAIT_MS: '30000',
  };
  delete env.DATABASE_PATH;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/i.exec(output);
      if (match?.[1]) resolve({ child, base: match[1], exited });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${output}`)));
  });
}

let instances: Instance[] = [];
let key = '';
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  if (!onPostgres) return;
  const database = await createTestDatabase(true);
  drop = database.drop;
  // The key exists before any process starts: every process finds it in the one database.
  const setup = openDatabase(database.url, { poolSize: 1 });
  try {
    key = (await createApiKey(setup, { name: 'curator', scope: 'write', secret: await resolveKeySecret(setup) })).key;
  } finally {
    await setup.close();
  }
  instances = await Promise.all([0, 1, 2].map(() => startServer(database.url)));
}, 60_000);

afterAll(async () => {
  await Promise.all(
    instances.map(async ({ child, exited }) => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }),
  );
  await drop();
}, 30_000);

const base = (i: number) => (instances[i % 3] as Instance).base;

async function get(i: number, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base(i)}${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } });
  return {
    status: res.status,
    etag: res.headers.get('etag'),
    body: (res.status === 304 ? null : await res.json()) as any,
  };
}

async function patch(i: number, path: string, ifMatch: string, payload: object) {
  const res = await fetch(`${base(i)}${path}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${key}`, 'if-match': ifMatch, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as any };
}

/** Every revision id of the change feed after `since`, paging until `has_more` is false; and the last cursor. */
async function readFeed(i: number, since?: string): Promise<{ ids: number[]; cursor: string | undefined }> {
  const ids: number[] = [];
  let cursor = since;
  for (;;) {
    const page = await get(i, `/v1/changes?limit=7${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    ids.push(...(page.body.items as { revision: number }[]).map((r) => r.revision));
    cursor = page.body.next_cursor;
    if (!page.body.has_more) return { ids, cursor };
  }
}

describe.skipIf(!onPostgres)('three API processes on one PostgreSQL database', () => {
  it('serves a write through process A to reads through B and C with one ETag, and A’s old ETag no longer matches', async () => {
    const url = '/v1/claims/gut-dysbiosis-acne-association';
    const [onA, onB, onC] = await Promise.all([0, 1, 2].map((i) => get(i, url)));
    expect(onA?.status).toBe(200);
    // One database, one identity and data version: every process names the same representation with one tag.
    expect(onB?.etag).toBe(onA?.etag);
    expect(onC?.etag).toBe(onA?.etag);
    const old = onA?.etag as string;

    const written = await patch(0, url, old, { outcome: 'Acne severity (IGA), written through process A' });
    expect(written.status).toBe(200);
    expect(written.etag).not.toBe(old);
    for (const i of [1, 2]) {
      const read = await get(i, url);
      expect(read.body.outcome).toBe('Acne severity (IGA), written through process A');
      expect(read.etag).toBe(written.etag);
    }
    // The tag A handed out before the write is stale everywhere: a revalidation gets the new body, a write a 412.
    const revalidated = await get(1, url, { 'if-none-match': old });
    expect(revalidated.status).toBe(200);
    expect(revalidated.etag).toBe(written.etag);
    expect((await get(2, url, { 'if-none-match': written.etag as string })).status).toBe(304);
    const stale = await patch(1, url, old, { outcome: 'written with a stale tag' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('request.precondition_failed');
    expect((await get(2, url)).body.outcome).toBe('Acne severity (IGA), written through process A');
  });

  it('lets exactly one of 50 concurrent PATCHes with one ETag, spread over the three processes, win', async () => {
    const url = '/v1/claims/gut-dysbiosis-rosacea-association';
    const { etag } = await get(0, url);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => patch(i, url, etag as string, { outcome: `racer ${i}` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    const winner = results.findIndex((r) => r.status === 200);
    // Every process now serves the winner's write, under the winner's tag.
    for (const i of [0, 1, 2]) {
      const read = await get(i, url);
      expect(read.body.outcome).toBe(`racer ${winner}`);
      expect(read.etag).toBe(results[winner]?.etag);
    }
    const history = await get(2, `${url}/revisions?limit=100`);
    // The seed's revision, then the winner's: the 49 others wrote nothing.
    expect((history.body.items as { actor: string }[]).filter((r) => r.actor.startsWith('key:'))).toHaveLength(1);
  });

  it('gives a feed reader paging while writers commit through all three every revision exactly once, in commit order', async () => {
    const start = await readFeed(0);
    const claims = (await get(0, '/v1/claims?limit=6')).body.items.map((c: { id: string }) => c.id) as string[];
    expect(claims).toHaveLength(6);
    let writing = true;
    const seen: number[] = [];
    // The reader moves between processes as a client behind a balancer would, carrying its cursor.
    const reader = (async () => {
      let cursor = start.cursor;
      for (let turn = 0; writing; turn++) {
        const page = await readFeed(turn, cursor);
        seen.push(...page.ids);
        cursor = page.cursor;
      }
      seen.push(...(await readFeed(0, cursor)).ids);
    })();
    // Six writers, two through each process, each changing its own claim eight times with its last ETag.
    const writers = claims.map(async (id, w) => {
      const url = `/v1/claims/${id}`;
      let { etag } = await get(w, url);
      for (let step = 0; step < 8; step++) {
        const res = await patch(w, url, etag as string, { outcome: `writer ${w} step ${step}` });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        etag = res.etag;
      }
    });
    try {
      await Promise.all(writers);
    } finally {
      writing = false;
      await reader;
    }
    const all = (await readFeed(2, start.cursor)).ids;
    expect(all.length).toBeGreaterThanOrEqual(48);
    expect([...all].sort((a, b) => a - b)).toEqual(all);
    expect(seen).toEqual(all);
  });
});
