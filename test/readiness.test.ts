// Honest readiness and errors: a damaged file, a full disk and requests Node's HTTP parser refuses.
// The damage and full-disk cases are SQLite's file (skipped with TEST_DATABASE_URL); PostgreSQL's are in test/postgres.test.ts.
import { copyFileSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { openDatabase } from '../src/store/client.js';
import { startIntegrityCheck } from '../src/store/integrity.js';
import { freshDatabase, onPostgres, PROBLEM_TYPE } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'evidence-ready-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type App = Awaited<ReturnType<typeof buildApp>>;
const apps: App[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

/**
 * A seeded database file, checkpointed into the main file and closed, whose last `pages` pages are overwritten; with
 * `table`, the last `pages` pages of that table instead (the file's page order depends on the order of the seed's
 * writes, so a test about one table names it).
 */
async function damagedCopy(pages: number, table?: string): Promise<string> {
  const db = await freshDatabase();
  // Every page in the main file, none left in the WAL: the damage below is what a reader sees.
  await db.transaction(async () => {});
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const owned =
    table === undefined
      ? []
      : (db.sqlite.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno').all(table) as {
          pageno: number;
        }[]);
  const path = join(tmp, `damaged-${pages}${table ? `-${table}` : ''}.db`);
  copyFileSync(db.path, path);
  await db.close();
  const size = statSync(path).size;
  const noise = Buffer.alloc(4096, 0);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) & 255;
  const fd = openSync(path, 'r+');
  const targets =
    table === undefined
      ? Array.from({ length: pages }, (_, i) => size / 4096 - pages + i + 1)
      : owned.slice(-pages).map((p) => p.pageno);
  for (const page of targets) writeSync(fd, noise, 0, noise.length, (page - 1) * 4096);
  return path;
}

describe.skipIf(onPostgres)('GET /ready', () => {
  it('answers 200 with what the start-up integrity check covered', async () => {
    const app = await buildApp({ db: await freshDatabase() });
    apps.push(app);
    const res = await app.inject('/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ready',
      integrity: { status: 'ok', checked: ['quick_check', 'search_index'] },
    });
  });

  it('finds damage in the last pages of the file before saying ready: 503 database_damaged', async () => {
    const path = await damagedCopy(2);
    const app = await buildApp({ db: openDatabase(path) });
    apps.push(app);
    const res = await app.inject('/ready');
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    const body = res.json();
    expect(body.code).toBe('server.database_damaged');
    expect(body.detail).toMatch(/^The database file is damaged: .+\. Restore it from a backup \(see the README\)\.$/);
    // Liveness is not readiness: the process still answers.
    expect((await app.inject('/health')).statusCode).toBe(200);
  });

  it('does not wait for the background check of a file over the in-process size: 200 running, then 503 once it finds damage', async () => {
    const path = await damagedCopy(2);
    const app = await buildApp({ db: openDatabase(path), integrityInProcessMaxBytes: 0 });
    apps.push(app);
    const running = await app.inject('/ready');
    expect(running.statusCode).toBe(200);
    expect(running.json()).toMatchObject({ status: 'ready', integrity: { status: 'running', checked: [] } });
    for (let i = 0; i < 200 && (await app.inject('/ready')).statusCode === 200; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const damaged = await app.inject('/ready');
    expect(damaged.statusCode).toBe(503);
    expect(damaged.json().code).toBe('server.database_damaged');
  });

  it('reports the background check of an undamaged file as ok with what it covered once it finished', async () => {
    const app = await buildApp({ db: await freshDatabase(), integrityInProcessMaxBytes: 0 });
    apps.push(app);
    let body = (await app.inject('/ready')).json();
    for (let i = 0; i < 200 && body.integrity.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      body = (await app.inject('/ready')).json();
    }
    expect(body).toMatchObject({
      status: 'ready',
      integrity: { status: 'ok', checked: ['quick_check', 'search_index'] },
    });
  });

  it('checks a file over the in-process size in a child process, with the same findings, and can stop it', async () => {
    const path = await damagedCopy(2);
    const damaged = await startIntegrityCheck(path, { inProcessMaxBytes: 0 }).done;
    expect(damaged.status).toBe('damaged');
    expect(damaged.checked).toEqual(['quick_check']);
    expect(damaged.findings.length).toBeGreaterThan(0);
    const clean = await freshDatabase();
    const running = startIntegrityCheck(clean.path, { inProcessMaxBytes: 0 });
    expect(running.report).toBeUndefined();
    expect(await running.done).toMatchObject({ status: 'ok', checked: ['quick_check', 'search_index'], findings: [] });
    const stopped = startIntegrityCheck(clean.path, { inProcessMaxBytes: 0 });
    await stopped.stop();
    expect((await stopped.done).findings).toEqual(['the check stopped (SIGKILL)']);
    await clean.close();
  });

  it('reads every page of the search index even when quick_check is skipped for a large file', async () => {
    // The last pages of the seeded file hold search_index_data leaves that the fts5vocab walk alone never visited.
    for (const pages of [1, 2]) {
      const path = await damagedCopy(pages, 'search_index_data');
      const report = await startIntegrityCheck(path, { fullCheckMaxBytes: 0 }).done;
      expect(report.checked).toEqual(['search_index']);
      expect(report.status).toBe('damaged');
      expect(report.findings[0]).toMatch(/^SQLITE_CORRUPT/);
    }
    const clean = await freshDatabase();
    const ok = await startIntegrityCheck(clean.path, { fullCheckMaxBytes: 0 }).done;
    expect(ok).toMatchObject({ status: 'ok', checked: ['search_index'], findings: [] });
    await clean.close();
  });
});

describe.skipIf(onPostgres)('a full disk', () => {
  it('is a 507 problem+json that changes nothing, /ready says so, and both recover once space is freed', async () => {
    const db = await freshDatabase();
    const app = await buildApp({ db });
    apps.push(app);
    const key = (await createApiKey(db, { name: 'alice', scope: 'write', secret: await resolveKeySecret(db) })).key;
    // SQLite's page limit stands in for a full disk: the same SQLITE_FULL, on this connection only.
    const pages = await db.transaction(async (tx) => tx.sqlite.pragma('page_count', { simple: true }) as number);
    await db.transaction(async (tx) => {
      tx.sqlite.pragma(`max_page_count = ${pages}`);
    });
    const topic = (n: number) => ({
      slug: `full-disk-${n}`,
      question: `Does question ${n} fit on a full disk?`,
      bottom_line: 'x '.repeat(2400),
      evidence_summary: 'y '.repeat(2400),
      claims: [],
    });
    let full: Awaited<ReturnType<typeof app.inject>> | undefined;
    let n = 0;
    for (; n < 50 && full === undefined; n++) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/topics',
        headers: { authorization: `Bearer ${key}` },
        payload: topic(n),
      });
      if (res.statusCode !== 201) full = res;
    }
    expect(full?.statusCode).toBe(507);
    expect(full?.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(full?.json()).toMatchObject({
      status: 507,
      code: 'server.storage_full',
      title: 'Insufficient storage',
      detail: 'The disk holding the database is full; nothing was changed. Retry once space has been freed.',
    });
    expect((await app.inject(`/v1/topics/full-disk-${n - 1}`)).statusCode).toBe(404);

    const notReady = await app.inject('/ready');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({
      code: 'server.storage_full',
      detail: 'The disk holding the database is full: writes fail with 507 until space is freed.',
    });
    expect((await app.inject('/v1/claims?limit=1')).statusCode).toBe(200);

    await db.transaction(async (tx) => {
      tx.sqlite.pragma('max_page_count = 4294967294');
    });
    expect((await app.inject('/ready')).statusCode).toBe(200);
  });
});

/** Sends raw bytes to a listening app and resolves with the whole answer once the server closes the connection. */
async function rawExchange(app: App, bytes: string): Promise<{ status: number; headers: string; body: string }> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body });
    });
  });
}

describe("requests Node's HTTP parser refuses, over a real socket", () => {
  it('answers a malformed request line with a 400 problem+json', async () => {
    const app = await buildApp({ db: await freshDatabase() });
    apps.push(app);
    const res = await rawExchange(app, 'THIS IS NOT HTTP\r\n\r\n');
    expect(res.status).toBe(400);
    expect(res.headers).toContain('Content-Type: application/problem+json; charset=utf-8');
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({
      type: 'urn:evidence-api:problem:request.malformed',
      title: 'Invalid request',
      status: 400,
      code: 'request.malformed',
      detail: 'The request is not valid HTTP/1.1 (malformed request line, header or body framing).',
    });
    expect(body.instance).toBe(`urn:uuid:${body.request_id}`);
  });

  it('answers 20 KB of headers with a 431 problem+json', async () => {
    const app = await buildApp({ db: await freshDatabase() });
    apps.push(app);
    const res = await rawExchange(
      app,
      `GET /v1/claims HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(res.headers).toContain('Content-Type: application/problem+json; charset=utf-8');
    expect(JSON.parse(res.body)).toMatchObject({
      status: 431,
      code: 'request.headers_too_large',
      detail: 'The request line and headers are larger than the server accepts (16 KB in all).',
    });
  });
});
