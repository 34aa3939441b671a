// Hardening: security headers, CORS, the global rate limit, body size limit and load shedding, all as problem+json.
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { API_CSP, SHED_GRACE_MS, securityHeaders } from '../src/plugins/hardening.js';
import { freshDatabase } from './helpers.js';

const PROBLEM = 'application/problem+json; charset=utf-8';

type App = Awaited<ReturnType<typeof buildApp>>;
const apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function hardenedApp(config: Partial<Config> = {}) {
  const app = await buildApp({ db: await freshDatabase(), config });
  app.post('/test-echo', async (request) => ({ received: request.body }));
  await app.ready();
  apps.push(app);
  return app;
}

describe('security headers (helmet)', () => {
  it('sends a locked-down policy on API responses, errors included', async () => {
    const app = await hardenedApp();
    for (const url of ['/v1/claims?limit=1', '/v1/no-such-thing', '/health']) {
      const res = await app.inject(url);
      expect(res.headers['content-security-policy'], url).toContain("default-src 'none'");
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security'], url).toMatch(/^max-age=\d+/);
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('sends exactly helmet’s headers for the API policy, computed once and the same on every response', async () => {
    const app = await hardenedApp();
    const expected = {
      'content-security-policy': "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'cross-origin',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'SAMEORIGIN',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    };
    expect(
      securityHeaders({ crossOriginResourcePolicy: { policy: 'cross-origin' }, contentSecurityPolicy: API_CSP }),
    ).toEqual(expected);
    for (const url of ['/v1/claims?limit=1', '/v1/claims?limit=1', '/v1/no-such-thing', '/']) {
      const res = await app.inject(url);
      for (const [name, value] of Object.entries(expected)) expect(res.headers[name], `${url} ${name}`).toBe(value);
    }
  });

  it('relaxes the policy for the Swagger UI at /docs only, enough for its own scripts and styles', async () => {
    const app = await hardenedApp();
    const page = await app.inject('/docs');
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const assets = [...page.body.matchAll(/(?:src|href)="(\/docs\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? '');
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) expect((await app.inject(asset)).statusCode, asset).toBe(200);
    expect((await app.inject('/docs/json')).statusCode).toBe(200);
  });
});

describe('CORS', () => {
  it('lets any origin read by default, never with credentials', async () => {
    const app = await hardenedApp();
    const res = await app.inject({ url: '/v1/claims?limit=1', headers: { origin: 'https://anywhere.example' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(res.headers['access-control-expose-headers'])).toContain('ETag');

    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/claims',
      headers: {
        origin: 'https://anywhere.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('Authorization');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('with CORS_ORIGINS, answers listed origins only (writes included) and varies on Origin', async () => {
    const app = await hardenedApp(loadConfig({ CORS_ORIGINS: 'https://curate.example, http://localhost:5173' }));
    const listed = await app.inject({ url: '/v1/claims?limit=1', headers: { origin: 'http://localhost:5173' } });
    expect(listed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(String(listed.headers.vary)).toMatch(/\bOrigin\b/);
    expect(String(listed.headers.vary)).toMatch(/\bAccept\b/);
    expect(listed.headers['access-control-allow-credentials']).toBeUndefined();

    const other = await app.inject({ url: '/v1/claims?limit=1', headers: { origin: 'https://evil.example' } });
    expect(other.statusCode).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/claims/some-claim',
      headers: { origin: 'https://curate.example', 'access-control-request-method': 'PATCH' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://curate.example');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('PATCH');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('keeps 404 for unknown paths and 405 with Allow for wrong methods despite the preflight route', async () => {
    const app = await hardenedApp();
    const missing = await app.inject('/v2/claims');
    expect(missing.statusCode).toBe(404);
    const wrong = await app.inject({ method: 'PUT', url: '/health' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('GET, HEAD');
  });
});

describe('global rate limit', () => {
  it('answers 429 problem+json with Retry-After past RATE_LIMIT_MAX, per address, never on /health', async () => {
    const app = await hardenedApp({ RATE_LIMIT_MAX: 3, RATE_LIMIT_WINDOW_MS: 60_000 });
    const get = (url: string, remoteAddress = '192.0.2.1') => app.inject({ url, remoteAddress });
    for (let i = 0; i < 3; i++) expect((await get('/v1/conditions?limit=1')).statusCode).toBe(200);
    const limited = await get('/v1/conditions?limit=1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe(PROBLEM);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ status: 429, code: 'request.rate_limited', title: 'Too many requests' });
    expect(limited.json().detail).toContain('More than 3 requests in 1 minute');
    for (let i = 0; i < 5; i++) expect((await get('/health')).statusCode).toBe(200);
    expect((await get('/v1/conditions?limit=1', '192.0.2.2')).statusCode).toBe(200);
  });
});

describe('body size limit', () => {
  it('answers 413 problem+json for a body over BODY_LIMIT_BYTES', async () => {
    const app = await hardenedApp({ BODY_LIMIT_BYTES: 1024 });
    const small = await app.inject({ method: 'POST', url: '/test-echo', payload: { text: 'x'.repeat(900) } });
    expect(small.statusCode).toBe(200);
    const large = await app.inject({ method: 'POST', url: '/test-echo', payload: { text: 'x'.repeat(2000) } });
    expect(large.statusCode).toBe(413);
    expect(large.headers['content-type']).toBe(PROBLEM);
    expect(large.json()).toMatchObject({ status: 413 });
  });
});

describe('load shedding (under-pressure)', () => {
  it('answers 503 problem+json with Retry-After while the event loop lags, and keeps /health up', async () => {
    const app = await hardenedApp({ MAX_EVENT_LOOP_DELAY_MS: 1 });
    // Right after start the boot itself counts as lag, so nothing is shed during a grace period.
    expect((await app.inject('/v1/claims?limit=1')).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, SHED_GRACE_MS));
    // Block the event loop, as a runaway synchronous task would: three times, because a sample that lands right
    // before a block makes the histogram drop that block's measurement.
    for (let i = 0; i < 3; i++) {
      const until = Date.now() + 200;
      while (Date.now() < until) {
        // busy
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    // Wait for the sample that saw a block (twice a second), then ask at once: it holds until the next sample.
    const deadline = Date.now() + 3000;
    while (!app.isUnderPressure() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(app.memoryUsage().eventLoopDelay).toBeGreaterThan(1);
    const shed = await app.inject('/v1/claims?limit=1');
    const health = await app.inject('/health');
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['content-type']).toBe(PROBLEM);
    expect(shed.headers['retry-after']).toBe('5');
    expect(shed.json()).toMatchObject({ status: 503, code: 'server.unavailable', title: 'Service unavailable' });
    expect(health.statusCode).toBe(200);
  });
});

describe('settings', () => {
  it('has defaults for every hardening setting', async () => {
    expect(loadConfig({})).toMatchObject({
      READS_REQUIRE_KEY: false,
      CORS_ORIGINS: '*',
      RATE_LIMIT_MAX: 1000,
      RATE_LIMIT_WINDOW_MS: 60_000,
      AUTH_FAILURE_LIMIT: 10,
      AUTH_FAILURE_WINDOW_MS: 60_000,
      MAX_EVENT_LOOP_DELAY_MS: 1000,
      BODY_LIMIT_BYTES: 1024 * 1024,
    });
    expect(loadConfig({}).API_KEY_SECRET).toBeUndefined();
    expect(loadConfig({ READS_REQUIRE_KEY: 'true' }).READS_REQUIRE_KEY).toBe(true);
  });

  it.each([
    [{ READS_REQUIRE_KEY: 'yes' }, /READS_REQUIRE_KEY="yes"/],
    [{ CORS_ORIGINS: 'https://a.example/path' }, /CORS_ORIGINS=.*not an origin/],
    [{ RATE_LIMIT_MAX: '0' }, /RATE_LIMIT_MAX="0"/],
    [{ BODY_LIMIT_BYTES: '10' }, /BODY_LIMIT_BYTES="10"/],
    [{ AUTH_FAILURE_WINDOW_MS: 'soon' }, /AUTH_FAILURE_WINDOW_MS="soon"/],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes API_KEY_SECRET in its error', async () => {
    expect(() => loadConfig({ API_KEY_SECRET: 'hunter2-too-short' })).toThrow(
      /API_KEY_SECRET=\(hidden, 17 characters\)/,
    );
    expect(() => loadConfig({ API_KEY_SECRET: 'hunter2-too-short' })).not.toThrow(/hunter2/);
  });
});
