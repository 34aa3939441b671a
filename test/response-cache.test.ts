// The response cache and the data-tag watch: exact answers (bytes, ETags, as_of), every write seen by the next read.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { normaliseUrl, ResponseCache } from '../src/plugins/response-cache.js';
import { openDatabase } from '../src/store/client.js';
import { watchDataTag } from '../src/store/data-version.queries.js';
import { type App, freshDatabase, onPostgres } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLAIM = '/v1/claims/gut-dysbiosis-rosacea-association';
const LIST = '/v1/claims?condition=rosacea&limit=5';
const BR = { 'accept-encoding': 'br' };

const apps: App[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function cachedApp(config: Record<string, unknown> = {}) {
  const db = await freshDatabase();
  const key = (await createApiKey(db, { name: 'curator', scope: 'write', secret: await resolveKeySecret(db) })).key;
  const app = await buildApp({ db, config: { MAX_EVENT_LOOP_DELAY_MS: 0, ...config } });
  apps.push(app);
  return { app, db, key };
}

const counters = (app: App) => ({ hits: app.responseCache?.hits ?? 0, misses: app.responseCache?.misses ?? 0 });

describe('response cache: what a hit sends', () => {
  it('answers a repeated read with the same status, body, ETag and representation headers, from the cache', async () => {
    const { app } = await cachedApp();
    const first = await app.inject(CLAIM);
    const second = await app.inject(CLAIM);
    expect(counters(app)).toEqual({ hits: 1, misses: 1 });
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers.etag).toMatch(/^"[^"]+\.v\d+"$/);
    for (const name of ['content-type', 'cache-control', 'vary', 'content-security-policy', 'x-content-type-options'])
      expect(second.headers[name]).toBe(first.headers[name]);
    // Per request, never cached: each answer gets its own id.
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it('keeps brotli and gzip variants apart, each sent again as the same compressed bytes', async () => {
    const { app } = await cachedApp();
    const plain = await app.inject(LIST);
    const br = await app.inject({ url: LIST, headers: BR });
    const brAgain = await app.inject({ url: LIST, headers: BR });
    const gzip = await app.inject({ url: LIST, headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const gzipAgain = await app.inject({ url: LIST, headers: { 'accept-encoding': 'gzip' } });
    expect(counters(app)).toEqual({ hits: 2, misses: 3 });
    expect(brAgain.headers['content-encoding']).toBe('br');
    expect(brAgain.rawPayload.equals(br.rawPayload)).toBe(true);
    expect(brotliDecompressSync(brAgain.rawPayload).toString()).toBe(plain.body);
    expect(gzipAgain.headers['content-encoding']).toBe('gzip');
    expect(gzipAgain.rawPayload.equals(gzip.rawPayload)).toBe(true);
    expect(gunzipSync(gzipAgain.rawPayload).toString()).toBe(plain.body);
    expect(brAgain.headers.vary).toBe('Accept, Authorization, accept-encoding');
  });

  it('gives a single resource’s compressed variant its encoding-suffixed strong ETag on a hit too', async () => {
    const { app } = await cachedApp();
    const plain = await app.inject(CLAIM);
    await app.inject({ url: CLAIM, headers: BR });
    const hit = await app.inject({ url: CLAIM, headers: BR });
    expect(hit.headers['content-encoding']).toBe('br');
    expect(hit.headers.etag).toBe(`${(plain.headers.etag as string).slice(0, -1)}-br"`);
  });

  it('treats the same query parameters in another order as one entry', async () => {
    const { app } = await cachedApp();
    const a = await app.inject('/v1/claims?limit=3&condition=rosacea');
    const b = await app.inject('/v1/claims?condition=rosacea&limit=3');
    expect(b.body).toBe(a.body);
    expect(counters(app)).toEqual({ hits: 1, misses: 1 });
    expect(normaliseUrl('/v1/claims?sort=-updated&b=2&a=1&b=1')).toBe('/v1/claims?a=1&b=2&b=1&sort=-updated');
  });

  it('answers If-None-Match with 304 before the cache, and keeps errors out of it', async () => {
    const { app } = await cachedApp();
    const first = await app.inject(CLAIM);
    const revalidated = await app.inject({ url: CLAIM, headers: { 'if-none-match': first.headers.etag as string } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
    const missing = await app.inject('/v1/claims/no-such-claim');
    const missingAgain = await app.inject('/v1/claims/no-such-claim');
    expect(missingAgain.statusCode).toBe(404);
    expect(missingAgain.json().code).toBe(missing.json().code);
    expect(counters(app)).toEqual({ hits: 0, misses: 3 });
  });

  it('keeps a keyed request’s entries apart from anonymous ones', async () => {
    const { app, key } = await cachedApp();
    await app.inject(CLAIM);
    await app.inject({ url: CLAIM, headers: { authorization: `Bearer ${key}` } });
    expect(counters(app)).toEqual({ hits: 0, misses: 2 });
  });

  it('still runs the rate limit and authentication before a hit', async () => {
    const { app } = await cachedApp({ RATE_LIMIT_MAX: 3, RATE_LIMIT_WINDOW_MS: 60_000 });
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await app.inject({ url: CLAIM, remoteAddress: '192.0.2.9' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(counters(app)).toEqual({ hits: 2, misses: 1 });
    const locked = await cachedApp({ READS_REQUIRE_KEY: true });
    const keyed = { authorization: `Bearer ${locked.key}` };
    await locked.app.inject({ url: CLAIM, headers: keyed });
    expect((await locked.app.inject({ url: CLAIM, headers: keyed })).statusCode).toBe(200);
    expect((await locked.app.inject(CLAIM)).statusCode).toBe(401);
    expect(counters(locked.app)).toEqual({ hits: 1, misses: 1 });
  });

  it('is off with RESPONSE_CACHE_MB=0', async () => {
    const { app } = await cachedApp({ RESPONSE_CACHE_MB: 0 });
    expect(app.responseCache).toBeUndefined();
    expect((await app.inject(CLAIM)).body).toBe((await app.inject(CLAIM)).body);
  });
});

describe('response cache: invalidation by data version', () => {
  it('shows a write to the very next read, with a new ETag, while the old tag no longer revalidates', async () => {
    const { app, key } = await cachedApp();
    const before = await app.inject(CLAIM);
    const listBefore = await app.inject(LIST);
    await app.inject(CLAIM);
    const patched = await app.inject({
      method: 'PATCH',
      url: CLAIM,
      headers: { authorization: `Bearer ${key}`, 'if-match': before.headers.etag as string },
      payload: { statement: 'Edited through the write path.' },
    });
    expect(patched.statusCode).toBe(200);
    const after = await app.inject(CLAIM);
    expect(after.json().statement).toBe('Edited through the write path.');
    expect(after.headers.etag).toBe(patched.headers.etag);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const listAfter = await app.inject(LIST);
    expect(listAfter.headers.etag).not.toBe(listBefore.headers.etag);
    expect(listAfter.json().items.find((c: { id: string }) => `/v1/claims/${c.id}` === CLAIM)?.statement).toBe(
      'Edited through the write path.',
    );
    const stale = await app.inject({ url: CLAIM, headers: { 'if-none-match': before.headers.etag as string } });
    expect(stale.statusCode).toBe(200);
  });

  it('keeps as_of reads exact: the past stays the past after a write, and its entry is its own', async () => {
    const { app, key } = await cachedApp();
    const read = await app.inject(CLAIM);
    await new Promise((r) => setTimeout(r, 15));
    const moment = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 15));
    await app.inject({
      method: 'PATCH',
      url: CLAIM,
      headers: { authorization: `Bearer ${key}`, 'if-match': read.headers.etag as string },
      payload: { statement: 'Later statement.' },
    });
    const past = await app.inject(`${CLAIM}?as_of=${moment}`);
    const pastAgain = await app.inject(`${CLAIM}?as_of=${moment}`);
    expect(past.json().statement).toBe(read.json().statement);
    expect(pastAgain.body).toBe(past.body);
    expect((await app.inject(CLAIM)).json().statement).toBe('Later statement.');
  });

  // SQLite's file: another connection's commit is seen through PRAGMA data_version. On PostgreSQL the data tag is
  // read per request; instances sharing one database are covered by test/postgres.test.ts (read-after-write).
  it.skipIf(onPostgres)(
    'sees a commit made through another connection to the file (a second server) on the next read',
    async () => {
      const { app, db } = await cachedApp();
      const other = openDatabase(db.path);
      const otherKey = (
        await createApiKey(other, { name: 'other', scope: 'write', secret: await resolveKeySecret(other) })
      ).key;
      const second = await buildApp({ db: other, config: { MAX_EVENT_LOOP_DELAY_MS: 0 } });
      apps.push(second);
      const before = await app.inject(CLAIM);
      await app.inject(CLAIM);
      const patched = await second.inject({
        method: 'PATCH',
        url: CLAIM,
        headers: { authorization: `Bearer ${otherKey}`, 'if-match': before.headers.etag as string },
        payload: { statement: 'Written by the other server.' },
      });
      expect(patched.statusCode).toBe(200);
      const after = await app.inject(CLAIM);
      expect(after.json().statement).toBe('Written by the other server.');
      expect(after.headers.etag).toBe(patched.headers.etag);
    },
  );

  it.skipIf(onPostgres)('sees an import run by another process on the next read', async () => {
    const { app, db } = await cachedApp();
    const url = '/v1/studies?limit=100';
    const before = await app.inject(url);
    await app.inject(url);
    expect(before.json().items.map((s: { pmid: string | null }) => s.pmid)).not.toContain('29768149');
    const imported = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/import.ts', 'pubmed', join(ROOT, 'test/fixtures/pubmed/rct-29768149.xml')],
        { cwd: ROOT, env: { ...process.env, DATABASE_PATH: db.path }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(imported).toEqual({ code: 0, stderr: '' });
    const after = await app.inject(url);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.json().items.map((s: { pmid: string | null }) => s.pmid)).toContain('29768149');
  });
});

describe('data tag watch', () => {
  it('reads the same tag until a commit by any connection, then the new one', async () => {
    const db = await freshDatabase();
    try {
      const watch = watchDataTag(db);
      const first = await watch.current();
      expect(first).toMatch(/^[^.]+(\.[^.]+)*\.\d+$/);
      expect(await watch.current()).toBe(first);
      const version = Number(first.split('.').at(-1));
      await db.transaction(async (tx) => {
        await tx.run("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'");
      });
      expect(await watch.current()).toBe(`${first.split('.').slice(0, -1).join('.')}.${version + 1}`);
    } finally {
      await db.close();
    }
  });
});

describe('ResponseCache', () => {
  const body = (n: number) => Buffer.alloc(n, 120);

  it('evicts the least recently used entries to stay within its byte budget', () => {
    const cache = new ResponseCache(3 * (1000 + 512 + 1), 64 * 1024);
    // A lookup under a tag makes it the cache's current one (answers are kept for the current tag only).
    cache.get('t1', 'z');
    cache.set('t1', 'a', body(1000), []);
    cache.set('t1', 'b', body(1000), []);
    cache.set('t1', 'c', body(1000), []);
    expect(cache.get('t1', 'a')).toBeDefined();
    cache.set('t1', 'd', body(1000), []);
    expect(cache.size).toBe(3);
    expect(cache.usedBytes).toBe(3 * (1000 + 512 + 1));
    expect(cache.get('t1', 'b')).toBeUndefined();
    expect(cache.get('t1', 'a')?.body.length).toBe(1000);
  });

  it('empties on a newer data tag and refuses an answer computed under an older one', () => {
    const cache = new ResponseCache(1024 * 1024);
    cache.get('t1', 'a');
    expect(cache.set('t1', 'a', body(10), [])).toBe(true);
    expect(cache.get('t2', 'a')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.set('t1', 'a', body(10), [])).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('does not keep a body larger than its per-entry bound', () => {
    const cache = new ResponseCache(1024 * 1024, 64 * 1024);
    cache.get('t1', 'x');
    expect(cache.set('t1', 'x', body(70 * 1024), [])).toBe(false);
    expect(cache.size).toBe(0);
  });
});
