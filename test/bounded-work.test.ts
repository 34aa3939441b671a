// Bounded work per request: history pages bounded in bytes as well as rows, a fair share of server time per client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { encodeCursor } from '../src/http/pagination.js';
import { TimeLedger } from '../src/plugins/fair-share.js';
import { PAGE_BYTE_BUDGET } from '../src/resources/history/history.queries.js';
import { freshDatabase, getJson, PROBLEM_TYPE, testApp } from './helpers.js';

type Ctx = Awaited<ReturnType<typeof testApp>>;
let ctx: Ctx;
let firstLarge: number;

/** Revisions of `bytes` of text each for one topic, as a write key storing large texts would leave them. */
async function addLargeRevisions(count: number, bytes: number, key = 'gut-microbiome-and-skin'): Promise<void> {
  for (let i = 0; i < count; i++)
    await ctx.db.run(
      `INSERT INTO revisions (entity, entity_key, action, actor, reason, changes, snapshot)
       VALUES ('topic', ?, 'update', 'key:bulk', NULL, ?, NULL)`,
      [key, JSON.stringify({ evidence_summary: { before: null, after: `${i}`.padEnd(bytes, 'x') } })],
    );
}

beforeAll(async () => {
  ctx = await testApp();
  firstLarge = ((await ctx.db.get('SELECT max(id) AS id FROM revisions')) as { id: number }).id + 1;
  await addLargeRevisions(5, 400_000);
  await addLargeRevisions(1, 3 * PAGE_BYTE_BUDGET);
  await addLargeRevisions(3, 100);
});
afterAll(async () => {
  await ctx.app.close();
});

describe('GET /v1/changes byte budget', () => {
  it('ends a page at about 1 MB even with limit=1000, and says more is waiting', async () => {
    const since = await sinceBefore(firstLarge);
    const res = await ctx.app.inject(`/v1/changes?limit=1000&since=${encodeURIComponent(since)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((i: any) => i.revision)).toEqual([firstLarge, firstLarge + 1]);
    expect(body.has_more).toBe(true);
    expect(res.body.length).toBeLessThan(PAGE_BYTE_BUDGET);
  });

  it('serves a revision larger than the budget alone, so the feed always moves on, and loses nothing', async () => {
    let since = await sinceBefore(firstLarge);
    const pages: number[][] = [];
    for (let i = 0; i < 10; i++) {
      const res = await getJson(ctx.app, `/v1/changes?limit=1000&since=${encodeURIComponent(since)}`);
      if (res.body.items.length === 0) break;
      pages.push(res.body.items.map((c: any) => c.revision - firstLarge));
      since = res.body.next_cursor;
      if (!res.body.has_more) break;
    }
    expect(pages).toEqual([[0, 1], [2, 3], [4], [5], [6, 7, 8]]);
  });

  it('keeps `limit` when the rows are small', async () => {
    const res = await getJson(ctx.app, '/v1/changes?limit=3');
    expect(res.body.items).toHaveLength(3);
    expect(res.body.has_more).toBe(true);
  });
});

describe('GET /v1/topics/{slug}/revisions byte budget', () => {
  it('pages newest first within the budget and walks every revision once', async () => {
    const seen: number[][] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/topics/gut-microbiome-and-skin/revisions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await ctx.app.inject(url);
      expect(res.statusCode).toBe(200);
      expect(res.body.length).toBeLessThan(3.1 * PAGE_BYTE_BUDGET);
      const body = res.json();
      seen.push(body.items.map((r: any) => r.revision - firstLarge).filter((n: number) => n >= 0));
      cursor = body.next_cursor;
    } while (cursor !== null && seen.length < 20);
    expect(seen.slice(0, 5)).toEqual([[8, 7, 6], [5], [4, 3], [2, 1], [0]]);
  });
});

/** The feed cursor that starts just before revision `id` (the cursor a client holding revision id-1 has). */
async function sinceBefore(id: number): Promise<string> {
  return encodeCursor('changes', [id - 1]);
}

describe('a fair share of server time per client', () => {
  it('answers 429 with Retry-After to an address over its share, never to others or loopback', async () => {
    const db = await freshDatabase();
    const app = await buildApp({ db, config: { CLIENT_TIME_BUDGET_MS: 500, CLIENT_TIME_WINDOW_MS: 10_000 } });
    // 200 ms of synchronous work per call, as an expensive query would block the loop.
    app.get('/test-expensive', async () => {
      const until = performance.now() + 200;
      while (performance.now() < until);
      return { ok: true };
    });
    await app.ready();
    const from = (remoteAddress: string, url = '/test-expensive') => app.inject({ url, remoteAddress });
    try {
      const heavy = '203.0.113.1';
      expect((await from(heavy)).statusCode).toBe(200);
      expect((await from(heavy)).statusCode).toBe(200);
      expect((await from(heavy)).statusCode).toBe(200);
      const refused = await from(heavy);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toBe(PROBLEM_TYPE);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(10);
      expect(refused.json()).toMatchObject({
        code: 'request.server_time_exceeded',
        title: 'Too many expensive requests',
      });
      expect(refused.json().detail).toMatch(
        /^Requests from this address used more than their share of server time \(500 ms per 10 s\); retry in \d+ second\(s\)\./,
      );
      // Its cheap requests wait too; another address and the probes do not.
      expect((await from(heavy, '/v1/claims?limit=1')).statusCode).toBe(429);
      expect((await from(heavy, '/health')).statusCode).toBe(200);
      expect((await from('198.51.100.1', '/v1/claims?limit=1')).statusCode).toBe(200);
      for (let i = 0; i < 4; i++) expect((await from('127.0.0.1')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('drains at the budget per window: a client over its share is back after the time it owes', () => {
    let now = 0;
    const ledger = new TimeLedger(1000, 10_000, () => now);
    ledger.charge('a', 1500);
    expect(ledger.blockedFor('a')).toBe(5000);
    now = 4000;
    expect(ledger.blockedFor('a')).toBe(1000);
    now = 5000;
    expect(ledger.blockedFor('a')).toBe(0);
    expect(ledger.blockedFor('b')).toBe(0);
    const small = new TimeLedger(1000, 10_000, () => now, 3);
    for (const address of ['a', 'b', 'c', 'd', 'e']) small.charge(address, 10);
    expect(small.size).toBe(3);
  });
});
