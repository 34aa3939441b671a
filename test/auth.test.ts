// API keys and authentication: key storage, the keys CLI, 401/403/429 problems, keys never in URLs or logs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import {
  createApiKey,
  hashApiKey,
  listApiKeys,
  resolveKeySecret,
  revokeApiKey,
  verifyApiKey,
} from '../src/auth/keys.js';
import { runKeysCli } from '../src/cli/keys.js';
import { type Config, loadConfig } from '../src/config.js';
import { FailureLimiter, redactUrl } from '../src/plugins/auth.js';
import { loggerOptions } from '../src/plugins/hardening.js';
import { type Database, openDatabase } from '../src/store/client.js';
import { migrateDatabase } from '../src/store/migrate.js';
import { freshDatabase } from './helpers.js';

const ROOT = new URL('..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const tmp = mkdtempSync(join(tmpdir(), 'evidence-auth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SECRET = 'test-secret-test-secret-test-secret-0123';
const PROBLEM = 'application/problem+json; charset=utf-8';

type App = Awaited<ReturnType<typeof buildApp>>;
const apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

/** The real app with two test-only routes guarded by requireScope, plus keys of each scope. */
async function authApp(config: Partial<Config> = {}, given?: Database) {
  const db = given ?? (await freshDatabase());
  const app = await buildApp({ db, config: { API_KEY_SECRET: SECRET, ...config } });
  app.post('/test-write', { preHandler: app.requireScope('write') }, async (request) => ({ key: request.apiKey }));
  app.post('/test-admin', { preHandler: app.requireScope('admin') }, async (request) => ({ key: request.apiKey }));
  app.get('/test-ip', async (request) => ({ ip: request.ip }));
  await app.ready();
  apps.push(app);
  const write = await createApiKey(db, { name: 'curator', scope: 'write', secret: SECRET });
  const admin = await createApiKey(db, { name: 'root', scope: 'admin', secret: SECRET });
  return { app, db, write, admin };
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('API keys (src/auth/keys.ts)', () => {
  it('mints ek_ + 32 random bytes, keeps only the HMAC and a 10-character prefix, and verifies it', async () => {
    const db = await freshDatabase({ seed: false });
    const { id, key, prefix } = await createApiKey(db, { name: 'curator', scope: 'write', secret: SECRET });
    expect(key).toMatch(/^ek_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(3), 'base64url')).toHaveLength(32);
    expect(prefix).toBe(key.slice(0, 10));
    const row = (await db.get('SELECT * FROM api_keys WHERE id = ?', [id])) as Record<string, unknown>;
    expect(row).toMatchObject({ name: 'curator', scope: 'write', prefix, key_hash: hashApiKey(key, SECRET) });
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key.slice(10));
    expect(await verifyApiKey(db, key, SECRET)).toEqual({ id, name: 'curator', scope: 'write' });
    expect((await createApiKey(db, { name: 'curator', scope: 'write', secret: SECRET })).key).not.toBe(key);
  });

  it('lists keys without hashes and revokes once', async () => {
    const db = await freshDatabase({ seed: false });
    const a = await createApiKey(db, { name: 'a', scope: 'write', secret: SECRET });
    const b = await createApiKey(db, { name: 'b', scope: 'admin', secret: SECRET });
    const listed = await listApiKeys(db);
    expect(listed.map((k) => [k.id, k.name, k.scope, k.prefix, k.revoked_at])).toEqual([
      [a.id, 'a', 'write', a.prefix, null],
      [b.id, 'b', 'admin', b.prefix, null],
    ]);
    expect(listed.every((k) => !('key_hash' in k))).toBe(true);
    expect(await revokeApiKey(db, a.id)).toBe(true);
    expect(await revokeApiKey(db, a.id)).toBe(false);
    expect(await revokeApiKey(db, 999)).toBe(false);
    expect(await verifyApiKey(db, a.key, SECRET)).toBeNull();
    expect(await verifyApiKey(db, b.key, SECRET)).toMatchObject({ id: b.id, scope: 'admin' });
    expect((await listApiKeys(db))[0]?.revoked_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('rejects malformed keys, unknown keys and keys hashed with another secret', async () => {
    const db = await freshDatabase({ seed: false });
    const { key } = await createApiKey(db, { name: 'a', scope: 'write', secret: SECRET });
    for (const presented of ['', 'ek_', key.slice(0, -1), `${key}x`, key.replace('ek_', 'xk_'), `ek_${'A'.repeat(43)}`])
      expect(await verifyApiKey(db, presented, SECRET), presented).toBeNull();
    expect(await verifyApiKey(db, key, `${SECRET}-other`)).toBeNull();
    await expect(createApiKey(db, { name: ' ', scope: 'write', secret: SECRET })).rejects.toThrow(/name/);
    await expect(createApiKey(db, { name: 'x', scope: 'read' as 'write', secret: SECRET })).rejects.toThrow(/scope/);
  });

  it('stamps last use at most once a minute', async () => {
    const db = await freshDatabase({ seed: false });
    const { id, key } = await createApiKey(db, { name: 'a', scope: 'write', secret: SECRET });
    const lastUsed = async () => (await listApiKeys(db)).find((k) => k.id === id)?.last_used_at;
    expect(await lastUsed()).toBeNull();
    await verifyApiKey(db, key, SECRET);
    const first = await lastUsed();
    expect(first).toMatch(/Z$/);
    let writes = 0;
    // Writes go through the writer connection: the counting trigger goes there. (SQLite only: on PostgreSQL the
    // unchanged last_used_at below is the evidence.)
    const sqlite = db.engine === 'sqlite';
    if (sqlite)
      await db.transaction(async (tx) => {
        tx.sqlite.function('count_write', () => ++writes);
        tx.sqlite.exec('CREATE TEMP TRIGGER count_key_writes AFTER UPDATE ON api_keys BEGIN SELECT count_write(); END');
      });
    for (let i = 0; i < 20; i++) await verifyApiKey(db, key, SECRET);
    expect(writes).toBe(0);
    expect(await lastUsed()).toBe(first);
    await db.run("UPDATE api_keys SET last_used_at = '2000-01-01T00:00:00.000Z' WHERE id = ?", [id]);
    writes = 0;
    await verifyApiKey(db, key, SECRET);
    expect(writes).toBe(sqlite ? 1 : 0);
    expect(await lastUsed()).not.toBe('2000-01-01T00:00:00.000Z');
  });

  it('uses API_KEY_SECRET when set, else one random secret kept in meta', async () => {
    const db = await freshDatabase({ seed: false });
    expect(await resolveKeySecret(db, SECRET)).toBe(SECRET);
    expect(await db.get("SELECT 1 FROM meta WHERE key = 'api_key_secret'")).toBeUndefined();
    const generated = await resolveKeySecret(db);
    expect(generated.length).toBeGreaterThanOrEqual(43);
    expect(await resolveKeySecret(db)).toBe(generated);
    expect(await resolveKeySecret(await freshDatabase({ seed: false }))).not.toBe(generated);
  });

  it('never writes the plain key to the database file', async () => {
    const dir = mkdtempSync(join(tmp, 'file-'));
    const db = openDatabase(join(dir, 'evidence.db'));
    await migrateDatabase(db);
    const secret = await resolveKeySecret(db);
    const { key } = await createApiKey(db, { name: 'a', scope: 'admin', secret });
    await verifyApiKey(db, key, secret);
    const rows = JSON.stringify(db.sqlite.prepare('SELECT * FROM api_keys').all());
    // Bytes of the database and its WAL while open, and of the checkpointed file after close.
    const bytes = () =>
      Buffer.concat(
        readdirSync(dir)
          .filter((f) => f.startsWith('evidence.db'))
          .map((f) => readFileSync(join(dir, f))),
      );
    const secretPart = key.slice(10);
    expect(rows).not.toContain(secretPart);
    expect(bytes().includes(secretPart)).toBe(false);
    await db.close();
    expect(bytes().includes(secretPart)).toBe(false);
    expect(bytes().includes(Buffer.from(key.slice(3), 'base64url'))).toBe(false);
  });
});

describe('npm run keys (src/cli/keys.ts)', () => {
  const runCli = (args: string[], env: Record<string, string>) => {
    const res = spawnSync(TSX, ['src/cli/keys.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
  };

  it('creates (printing the key once), lists and revokes keys in DATABASE_PATH, and the server accepts them', async () => {
    const env = { DATABASE_PATH: join(tmp, 'cli', 'keys.db'), API_KEY_SECRET: '' };
    const created = runCli(['create', '--name', 'ci bot', '--scope', 'write'], env);
    expect(created.code, created.stderr).toBe(0);
    const key = /\b(ek_[A-Za-z0-9_-]{43})\b/.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    expect(created.stdout).toContain('shown this once');

    const listed = runCli(['list', '--json'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(key);
    const keys = JSON.parse(listed.stdout);
    expect(keys).toEqual([
      expect.objectContaining({ id: 1, name: 'ci bot', scope: 'write', prefix: key?.slice(0, 10), revoked_at: null }),
    ]);
    expect(keys[0]).not.toHaveProperty('key_hash');

    // The server opened on the same file, with the same (unset) API_KEY_SECRET, accepts the key.
    const db = openDatabase(env.DATABASE_PATH);
    await migrateDatabase(db);
    const app = await buildApp({ db });
    app.post('/test-write', { preHandler: app.requireScope('write') }, async (request) => ({ key: request.apiKey }));
    await app.ready();
    apps.push(app);
    const ok = await app.inject({ method: 'POST', url: '/test-write', headers: bearer(key ?? '') });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ key: { id: 1, name: 'ci bot', scope: 'write' } });

    const revoked = runCli(['revoke', '1'], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await app.inject({ method: 'POST', url: '/test-write', headers: bearer(key ?? '') });
    expect(after.statusCode).toBe(401);
    let stderr = '';
    const again = await runKeysCli(['revoke', '1'], {
      env,
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
    });
    expect(again).toBe(1);
    expect(stderr).toContain('No active API key with id 1');
  });

  it('answers bad usage with exit code 2 and the usage text', async () => {
    const io = () => {
      const out = { stdout: '', stderr: '' };
      return {
        out,
        io: {
          env: { DATABASE_PATH: join(tmp, 'never-opened.db') },
          stdout: { write: (t: string) => (out.stdout += t) },
          stderr: { write: (t: string) => (out.stderr += t) },
        },
      };
    };
    for (const args of [
      [],
      ['rotate'],
      ['create', '--scope', 'write'],
      ['create', '--name', 'x', '--scope', 'read'],
      ['create', '--name', 'x', '--scope', 'write', '--colour', 'red'],
      ['revoke'],
      ['revoke', 'abc'],
      ['list', 'extra'],
    ]) {
      const { out, io: cliIo } = io();
      expect(await runKeysCli(args, cliIo), args.join(' ')).toBe(2);
      expect(out.stderr).toContain('Usage:');
    }
    const help = io();
    expect(await runKeysCli(['--help'], help.io)).toBe(0);
    expect(help.out.stdout).toContain('npm run keys -- create');
    expect(readdirSync(tmp)).not.toContain('never-opened.db');
  });
});

describe('authentication on routes', () => {
  it('answers 401 problem+json with WWW-Authenticate when a write has no key', async () => {
    const { app } = await authApp();
    const res = await app.inject({ method: 'POST', url: '/test-write' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="evidence-api"');
    expect(res.json()).toMatchObject({ status: 401, code: 'auth.unauthenticated', title: 'Unauthenticated' });
  });

  it('answers 401 for an unknown, malformed or revoked key, and says the token is invalid', async () => {
    const { app, db, write } = await authApp();
    await revokeApiKey(db, write.id);
    for (const authorization of [
      `Bearer ${write.key}`,
      `Bearer ek_${'x'.repeat(43)}`,
      'Bearer nonsense',
      `Basic ${Buffer.from('user:pass').toString('base64')}`,
      'Bearer',
    ]) {
      const res = await app.inject({ method: 'POST', url: '/test-write', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="evidence-api"/);
      expect(res.json().code).toBe('auth.unauthenticated');
    }
  });

  it('answers 403 when the key lacks the scope; admin includes write', async () => {
    const { app, write, admin } = await authApp();
    const forbidden = await app.inject({ method: 'POST', url: '/test-admin', headers: bearer(write.key) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['content-type']).toBe(PROBLEM);
    expect(forbidden.json()).toMatchObject({ status: 403, code: 'auth.forbidden' });
    expect(forbidden.json().detail).toContain('"admin"');
    const asWrite = await app.inject({ method: 'POST', url: '/test-write', headers: bearer(write.key) });
    expect(asWrite.json()).toEqual({ key: { id: write.id, name: 'curator', scope: 'write' } });
    for (const url of ['/test-write', '/test-admin']) {
      const res = await app.inject({ method: 'POST', url, headers: bearer(admin.key) });
      expect(res.statusCode, url).toBe(200);
    }
  });

  it('refuses keys in URLs with a 400 on every route, before validation', async () => {
    const { app, write } = await authApp();
    for (const url of [
      `/v1/claims?api_key=${write.key}`,
      `/v1/claims?limit=1&access_token=${write.key}`,
      `/health?key=${write.key}`,
      `/v1/no-such-route?API_KEY=${write.key}`,
      `/test-write?key=${write.key}`,
    ]) {
      const res = await app.inject({ method: url.startsWith('/test') ? 'POST' : 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toBe(PROBLEM);
      expect(res.json()).toMatchObject({ code: 'auth.key_in_url' });
      expect(res.json().detail).toMatch(/never travel in URLs/);
    }
  });

  it('rate-limits failed authentications per address: 429 with Retry-After, other addresses unaffected', async () => {
    const { app, write } = await authApp({ AUTH_FAILURE_LIMIT: 3, AUTH_FAILURE_WINDOW_MS: 60_000 });
    const attacker = '203.0.113.7';
    const from = (remoteAddress: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url: '/test-write', remoteAddress, headers });
    for (let i = 0; i < 3; i++)
      expect((await from(attacker, bearer(`ek_${String(i).repeat(43)}`))).statusCode).toBe(401);
    const blocked = await from(attacker, bearer(`ek_${'9'.repeat(43)}`));
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['content-type']).toBe(PROBLEM);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(blocked.json()).toMatchObject({ status: 429, code: 'auth.too_many_failures' });
    // The same key from elsewhere works.
    expect((await from('198.51.100.2', bearer(write.key))).statusCode).toBe(200);
    // Requests without credentials are not what is being limited.
    const read = await app.inject({ method: 'GET', url: '/v1/claims?limit=1', remoteAddress: attacker });
    expect(read.statusCode).toBe(200);
  });

  it('never locks out a valid key: a curator behind the same address as an attacker still writes', async () => {
    const { app, write, admin } = await authApp({ AUTH_FAILURE_LIMIT: 3 });
    const shared = '203.0.113.50';
    const from = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/test-write', remoteAddress: shared, headers });
    for (let i = 0; i < 20; i++) await from(bearer(`ek_${String(i % 10).repeat(43)}`));
    const refused = await from(bearer(`ek_${'x'.repeat(43)}`));
    expect(refused.statusCode).toBe(429);
    expect(refused.json().detail).toBe(
      'More than 3 failed authentications from this address; retry in 60 seconds. A valid key is still accepted.',
    );
    const valid = await from(bearer(write.key));
    expect(valid.statusCode).toBe(200);
    expect(valid.json()).toEqual({ key: { id: write.id, name: 'curator', scope: 'write' } });
    expect((await from(bearer(admin.key))).statusCode).toBe(200);
  });

  it('with TRUST_PROXY, counts failures per client behind the proxy, never per proxy', async () => {
    const { app, write } = await authApp({ AUTH_FAILURE_LIMIT: 2, TRUST_PROXY: ['127.0.0.1'] });
    const viaProxy = (client: string, key: string) =>
      app.inject({
        method: 'POST',
        url: '/test-write',
        remoteAddress: '127.0.0.1',
        headers: { ...bearer(key), 'x-forwarded-for': client },
      });
    for (let i = 0; i < 3; i++) await viaProxy('198.51.100.66', `ek_${'b'.repeat(43)}`);
    expect((await viaProxy('198.51.100.66', `ek_${'c'.repeat(43)}`)).statusCode).toBe(429);
    // Another client behind the same proxy is not the attacker.
    expect((await viaProxy('198.51.100.77', `ek_${'d'.repeat(43)}`)).statusCode).toBe(401);
    expect((await viaProxy('198.51.100.77', write.key)).statusCode).toBe(200);
    // A client that talks to the server directly cannot pick its address with the header.
    const direct = { AUTH_FAILURE_LIMIT: 2 };
    const plain = await authApp(direct);
    const spoof = (client: string) =>
      plain.app.inject({
        method: 'POST',
        url: '/test-write',
        remoteAddress: '203.0.113.9',
        headers: { ...bearer(`ek_${'e'.repeat(43)}`), 'x-forwarded-for': client },
      });
    for (const client of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) await spoof(client);
    expect((await spoof('10.0.0.4')).statusCode).toBe(429);
  });

  it('reads TRUST_PROXY as a number of hops or a list of addresses and ranges, and refuses anything else', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1 ,::1,fd00::/8,loopback' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
      'TRUST_PROXY="true": not an address, CIDR range or loopback/linklocal/uniquelocal: true',
    );
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow('not an address, CIDR range');
    expect(() => loadConfig({ TRUST_PROXY: '0' })).toThrow('a number of hops must be 1 to 10');
  });

  it('takes the client address from X-Forwarded-For only as far as TRUST_PROXY says', async () => {
    const ipOf = async (app: App) =>
      (
        await app.inject({
          url: '/test-ip',
          remoteAddress: '10.1.1.1',
          headers: { 'x-forwarded-for': '198.51.100.1, 192.0.2.9' },
        })
      ).json().ip;
    expect(await ipOf((await authApp()).app)).toBe('10.1.1.1');
    expect(await ipOf((await authApp({ TRUST_PROXY: 1 })).app)).toBe('192.0.2.9');
    expect(await ipOf((await authApp({ TRUST_PROXY: 2 })).app)).toBe('198.51.100.1');
    expect(await ipOf((await authApp({ TRUST_PROXY: ['10.0.0.0/8'] })).app)).toBe('192.0.2.9');
    expect(await ipOf((await authApp({ TRUST_PROXY: ['10.0.0.0/8', '192.0.2.0/24'] })).app)).toBe('198.51.100.1');
  });

  it('forgets failures after the window and stays bounded in memory', async () => {
    let now = 0;
    const limiter = new FailureLimiter(2, 1000, 3, () => now);
    limiter.recordFailure('a');
    limiter.recordFailure('a');
    expect(limiter.blockedFor('a')).toBe(1000);
    now = 999;
    expect(limiter.blockedFor('a')).toBe(1);
    now = 1000;
    expect(limiter.blockedFor('a')).toBe(0);
    for (const address of ['b', 'c', 'd', 'e', 'f']) limiter.recordFailure(address);
    expect(limiter.size).toBe(3);
  });

  it('leaves reads open by default, and with READS_REQUIRE_KEY wants a key for /v1 reads only', async () => {
    const open = await authApp();
    expect((await open.app.inject('/v1/claims?limit=1')).statusCode).toBe(200);

    const { app, write } = await authApp({ READS_REQUIRE_KEY: true });
    const etag = (await app.inject({ url: '/v1/claims?limit=1', headers: bearer(write.key) })).headers.etag;
    for (const request of [
      { url: '/v1/claims?limit=1' },
      { url: '/v1/topics/gut-microbiome-and-skin', method: 'HEAD' as const },
      // A revalidation is not a way around it.
      { url: '/v1/claims?limit=1', headers: { 'if-none-match': String(etag) } },
    ]) {
      const res = await app.inject(request);
      expect(res.statusCode, request.url).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="evidence-api"');
    }
    expect((await app.inject({ url: '/v1/claims?limit=1', headers: bearer(write.key) })).statusCode).toBe(200);
    for (const url of ['/health', '/ready', '/openapi.json', '/docs'])
      expect((await app.inject(url)).statusCode, url).toBe(200);
  });

  it('documents bearerAuth in the OpenAPI document', async () => {
    const { app } = await authApp();
    const doc = (await app.inject('/openapi.json')).json();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('never logs a key, wherever a client puts it: header, ?token=, path, request id, any query value', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const db = await freshDatabase();
    const app = await buildApp({
      db,
      logger: { ...(loggerOptions('trace') as object), stream },
      config: { API_KEY_SECRET: SECRET, AUTH_FAILURE_LIMIT: 1 },
    });
    app.post('/test-write', { preHandler: app.requireScope('write') }, async () => ({ ok: true }));
    app.get('/test-throw', async () => {
      throw new Error(`something went wrong near ${key}`);
    });
    await app.ready();
    apps.push(app);
    const { key } = await createApiKey(db, { name: 'a', scope: 'write', secret: SECRET });
    await app.inject({ method: 'POST', url: '/test-write', headers: bearer(key) });
    await app.inject({ method: 'POST', url: '/test-write', headers: bearer(`ek_${'z'.repeat(43)}`) });
    await app.inject({ method: 'POST', url: '/test-write', headers: bearer(`ek_${'y'.repeat(43)}`) }); // 429 now
    const inUrl = [
      `/v1/claims?limit=1&api_key=${key}`,
      `/v1/claims?limit=1&token=${key}`,
      `/v1/claims?q=${key}`,
      `/v1/claims?q=${encodeURIComponent(key).replace('_', '%5F')}`,
      `/v1/claims/${key}`,
      `/v1/${key}/claims?x=1`,
    ];
    for (const url of inUrl) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code, url).toBe('auth.key_in_url');
    }
    const byId = await app.inject({ url: '/health', headers: { 'x-request-id': key } });
    expect(byId.headers['x-request-id']).not.toBe(key);
    expect((await app.inject({ url: '/test-throw' })).statusCode).toBe(500);
    const log = lines.join('');
    expect(log).toContain('api_key=[redacted]');
    expect(log).toContain('token=[redacted]');
    expect(log).toContain('/v1/claims/[redacted]');
    expect(log).toContain('something went wrong near ek_[redacted]');
    expect(log).toContain('"statusCode":429');
    expect(log).not.toContain(key.slice(3, 20));
    expect(log).not.toContain('z'.repeat(43));
    expect(log).not.toMatch(/Bearer ek_/);
    expect(redactUrl('/v1/claims?limit=1&Access_Token=abc&q=key')).toBe(
      '/v1/claims?limit=1&Access_Token=[redacted]&q=key',
    );
    expect(redactUrl(`/v1/claims/${key}?q=gut&token=x&other=${key}`)).toBe(
      '/v1/claims/[redacted]?q=gut&token=[redacted]&other=[redacted]',
    );
  });
});
