// Compression: brotli or gzip above 1 KiB, Vary on everything, ETags per encoded variant, pass-through for caches.
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createApiKey } from '../src/auth/keys.js';
import { type App, freshDatabase, testApp } from './helpers.js';

/** What `curl --compressed` (7.88, built with brotli and zstd) sends. */
const CURL_COMPRESSED = 'deflate, gzip, br, zstd';
const SECRET = 'c'.repeat(40);
const CLAIM = '/v1/claims/melanoma-microbiome-immunotherapy-response';

let app: App;
let key: string;
beforeAll(async () => {
  const db = await freshDatabase();
  key = (await createApiKey(db, { name: 'compression', scope: 'write', secret: SECRET })).key;
  app = await buildApp({ db, config: { API_KEY_SECRET: SECRET } });
  // A response cache's hit: bytes compressed once, sent again with their Content-Encoding.
  app.get('/cached', async (_request, reply) =>
    reply
      .type('application/json')
      .header('content-encoding', 'br')
      .send(brotliCompressSync('{"cached":true}'.repeat(200))),
  );
});
afterAll(async () => {
  await app.close();
});

describe('compression', () => {
  it('answers curl --compressed with brotli: 100 claims in far fewer bytes, the same JSON', async () => {
    const plain = await app.inject('/v1/claims?limit=100');
    const res = await app.inject({ url: '/v1/claims?limit=100', headers: { 'accept-encoding': CURL_COMPRESSED } });
    expect(res.headers['content-encoding']).toBe('br');
    // Authorization: a key sees drafts an anonymous caller does not (issue 10).
    expect(res.headers.vary).toBe('Accept, Authorization, accept-encoding');
    expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(plain.body);
  });

  it('uses gzip for a client that offers only gzip, and sends identity without Accept-Encoding', async () => {
    const gzip = await app.inject({ url: '/openapi.json', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject('/openapi.json');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    expect(gzip.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
  });

  it('leaves bodies under 1 KiB alone but still says they vary by Accept-Encoding', async () => {
    const res = await app.inject({ url: '/health', headers: { 'accept-encoding': CURL_COMPRESSED } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toBe('{"status":"ok"}');
    expect(res.headers.vary).toBe('accept-encoding');
  });

  it('never compresses a body that already carries a Content-Encoding (what a response cache sends on a hit)', async () => {
    const stored = brotliCompressSync('{"cached":true}'.repeat(200));
    const res = await app.inject({ url: '/cached', headers: { 'accept-encoding': CURL_COMPRESSED } });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.rawPayload.equals(stored)).toBe(true);
  });
});

describe('ETags of compressed representations', () => {
  it('gives a compressed single resource its own strong ETag, and keeps the weak list tag shared', async () => {
    const plain = await app.inject(CLAIM);
    const br = await app.inject({ url: CLAIM, headers: { 'accept-encoding': 'br' } });
    const gzip = await app.inject({ url: CLAIM, headers: { 'accept-encoding': 'gzip' } });
    expect(String(plain.headers.etag)).toMatch(/^"[^"]+\.v\d+"$/);
    expect(br.headers.etag).toBe(`${String(plain.headers.etag).slice(0, -1)}-br"`);
    expect(gzip.headers.etag).toBe(`${String(plain.headers.etag).slice(0, -1)}-gzip"`);
    const list = await app.inject('/v1/claims');
    const listBr = await app.inject({ url: '/v1/claims', headers: { 'accept-encoding': 'br' } });
    expect(listBr.headers['content-encoding']).toBe('br');
    expect(listBr.headers.etag).toBe(list.headers.etag);
    expect(String(list.headers.etag)).toMatch(/^W\//);
  });

  it('revalidates with a compressed tag (304, echoing it) and accepts it in If-Match', async () => {
    const br = await app.inject({ url: CLAIM, headers: { 'accept-encoding': 'br' } });
    const tag = String(br.headers.etag);
    const again = await app.inject({ url: CLAIM, headers: { 'accept-encoding': 'br', 'if-none-match': tag } });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(tag);
    expect(again.rawPayload.length).toBe(0);
    const patched = await app.inject({
      method: 'PATCH',
      url: `${CLAIM}?reason=compression%20test`,
      headers: { authorization: `Bearer ${key}`, 'if-match': tag, 'accept-encoding': 'br' },
      payload: { outcome: 'response to anti-PD-1 therapy' },
    });
    expect(patched.statusCode).toBe(200);
    expect(String(patched.headers.etag)).toMatch(/\.v3-br"$/);
    const stale = await app.inject({
      method: 'PATCH',
      url: CLAIM,
      headers: { authorization: `Bearer ${key}`, 'if-match': tag },
      payload: { outcome: 'x' },
    });
    expect(stale.statusCode).toBe(412);
  });
});

describe('over a real socket', () => {
  it('serves brotli to what curl --compressed asks for', async () => {
    const { app: served } = await testApp();
    const base = await served.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { request } = await import('node:http');
      const encoding = await new Promise<string | undefined>((resolve, reject) => {
        request(`${base}/v1/claims?limit=100`, { headers: { 'accept-encoding': CURL_COMPRESSED } }, (res) => {
          res.resume();
          resolve(res.headers['content-encoding']);
        })
          .on('error', reject)
          .end();
      });
      expect(encoding).toBe('br');
    } finally {
      await served.close();
    }
  });
});
