// Bounded work per request: history pages bounded in bytes as well as rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/http/pagination.js';
import { PAGE_BYTE_BUDGET } from '../src/resources/history/history.queries.js';
import { getJson, testApp } from './helpers.js';

type Ctx = Awaited<ReturnType<typeof testApp>>;
let ctx: Ctx;
let firstLarge: number;

/** Revisions of `bytes` of text each for one topic, as a write key storing large texts would leave them. */
function addLargeRevisions(count: number, bytes: number, key = 'gut-microbiome-and-skin'): void {
  const insert = ctx.db.sqlite.prepare(
    `INSERT INTO revisions (entity, entity_key, action, actor, reason, changes, snapshot)
     VALUES ('topic', ?, 'update', 'key:bulk', NULL, ?, NULL)`,
  );
  for (let i = 0; i < count; i++)
    insert.run(key, JSON.stringify({ evidence_summary: { before: null, after: `${i}`.padEnd(bytes, 'x') } }));
}

beforeAll(async () => {
  ctx = await testApp();
  firstLarge = (ctx.db.sqlite.prepare('SELECT max(id) AS id FROM revisions').get() as { id: number }).id + 1;
  addLargeRevisions(5, 400_000);
  addLargeRevisions(1, 3 * PAGE_BYTE_BUDGET);
  addLargeRevisions(3, 100);
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
