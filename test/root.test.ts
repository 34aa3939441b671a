// GET / and the docs page's reach: the index of links, PUBLIC_BASE_URL, and the policy that lets "Try it out" call us.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { APP_VERSION } from '../src/version.js';
import { testApp } from './helpers.js';

describe('GET /', () => {
  it('answers a small JSON index with the version, the data version and links to go on', async () => {
    const { app } = await testApp();
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = res.json();
    expect(body).toMatchObject({
      name: 'Evidence API',
      version: APP_VERSION,
      links: { docs: '/docs', openapi: '/openapi.json', claims: '/v1/claims', health: '/health' },
    });
    const etag = String((await app.inject('/v1/claims')).headers.etag);
    expect(etag).toBe(`W/"${APP_VERSION}.${body.data_version}"`);
    expect(body.links.search).toBe('/v1/search{?q}');
    for (const link of Object.values(body.links) as string[]) {
      const url = link.replace('{?q}', '?q=melanoma');
      expect((await app.inject(url)).statusCode, url).toBeLessThan(400);
    }
    await app.close();
  });

  it('gives absolute links under PUBLIC_BASE_URL', async () => {
    const { app } = await testApp({ seed: false, config: { PUBLIC_BASE_URL: 'https://evidence.example.org/api' } });
    expect((await app.inject('/')).json().links.docs).toBe('https://evidence.example.org/api/docs');
    await app.close();
  });
});

describe('GET /docs', () => {
  it("lets the page call its own origin, and PUBLIC_BASE_URL's origin when set", async () => {
    const plain = await testApp({ seed: false });
    const csp = String((await plain.app.inject('/docs/')).headers['content-security-policy']);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    await plain.app.close();
    const proxied = await testApp({ seed: false, config: { PUBLIC_BASE_URL: 'https://evidence.example.org/api' } });
    const csp2 = String((await proxied.app.inject('/docs/')).headers['content-security-policy']);
    expect(csp2.split(';')).toContain("connect-src 'self' https://evidence.example.org");
    await proxied.app.close();
  });
});

describe('PUBLIC_BASE_URL', () => {
  it('is an absolute http(s) URL, kept without its trailing slash', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://evidence.example.org/api/' }).PUBLIC_BASE_URL).toBe(
      'https://evidence.example.org/api',
    );
    expect(loadConfig({}).PUBLIC_BASE_URL).toBeUndefined();
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'evidence.example.org' })).toThrow(
      /PUBLIC_BASE_URL="evidence.example.org": must be an absolute http\(s\) URL without query or fragment/,
    );
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'https://x.org/?a=1' })).toThrow(/PUBLIC_BASE_URL/);
  });
});
