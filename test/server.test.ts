// The service as a client meets it: a real socket, the real process (config, boot, seed, shutdown), error masking.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { freshDatabase } from './helpers.js';

const ROOT = new URL('..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const tmp = mkdtempSync(join(tmpdir(), 'evidence-api-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function startServer(env: Record<string, string>) {
  const child = spawn(TSX, ['src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, listening, exited, output: () => output };
}

async function stop(child: ChildProcess, exited: Promise<number | null>) {
  child.kill('SIGTERM');
  return exited;
}

describe('npm start (src/server.ts)', () => {
  it('creates, migrates and seeds a new database, serves it, and exits 0 on SIGTERM', async () => {
    const dbPath = join(tmp, 'nested', 'dir', 'evidence.db');
    const server = startServer({ DATABASE_PATH: dbPath });
    const base = await server.listening;
    const res = await fetch(`${base}/v1/claims?condition=melanoma`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.items[0].studies[0]).toMatchObject({ pmid: '29097493', design: 'cohort', sample_size: 112 });
    const ready = await fetch(`${base}/ready`);
    const shipped = JSON.parse(readFileSync(join(ROOT, 'migrations/sqlite/meta/_journal.json'), 'utf8')).entries.length;
    expect(await ready.json()).toEqual({
      status: 'ready',
      migrations: { applied: shipped, expected: shipped },
      integrity: { status: 'ok', checked: ['quick_check', 'search_index'], ms: expect.any(Number) },
    });
    expect(await stop(server.child, server.exited)).toBe(0);
    // JSON logs with request ids.
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('"reqId"') && l.includes('/v1/claims'));
    expect(line && JSON.parse(line).reqId).toBeTruthy();

    // A restart on the same file neither re-seeds nor loses anything.
    const again = startServer({ DATABASE_PATH: dbPath });
    const base2 = await again.listening;
    const claims = (await (await fetch(`${base2}/v1/claims?limit=100`)).json()) as any;
    // The seed's 10 published claims (its other 2 are drafts: they rest on context studies only).
    expect(claims.items).toHaveLength(body.items.length === 1 ? 10 : -1);
    expect(again.output()).toContain('"seeded":false');
    expect(await stop(again.child, again.exited)).toBe(0);
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL, naming it but never its password', async () => {
    const server = startServer({ DATABASE_URL: 'mysql://admin:s3cret-pw@db.internal/evidence' });
    await expect(server.listening).rejects.toThrow(
      'DATABASE_URL="mysql://admin:***@db.internal/evidence": the scheme must be postgres:// or postgresql:// (got mysql://)',
    );
    expect(await server.exited).toBe(78);
    expect(server.output()).not.toContain('s3cret-pw');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://admin:s3cret-pw@db.internal' })).toThrow(
      'DATABASE_URL="postgres://admin:***@db.internal": names no database (the path after the host)',
    );
    expect(() => loadConfig({ DATABASE_URL: 'admin:s3cret-pw@db.internal/evidence' })).toThrow(
      'DATABASE_URL="(not a URL with a host, not shown)": the scheme must be postgres:// or postgresql://',
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://admin:s3cret pw@[db/evidence' })).toThrow(
      'DATABASE_URL="(unparseable, not shown)": not a URL',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/evidence?sslmode=require' }).DATABASE_URL).toBe(
      'postgresql://u:p@127.0.0.1:5432/evidence?sslmode=require',
    );
  });

  it('exits 69 when PostgreSQL cannot be reached within DATABASE_WAIT_MS, without printing the password', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const server = startServer({
      DATABASE_URL: 'postgres://admin:s3cret-pw@127.0.0.1:1/evidence',
      DATABASE_WAIT_MS: '500',
    });
    await expect(server.listening).rejects.toThrow(
      'the database at postgres://admin:***@127.0.0.1:1/evidence cannot be reached',
    );
    expect(await server.exited).toBe(69);
    expect(server.output()).not.toContain('s3cret-pw');
  });

  it('refuses to start on a bad setting and names it', async () => {
    const server = startServer({ PORT: 'eighty', DATABASE_PATH: join(tmp, 'never.db') });
    await expect(server.listening).rejects.toThrow(/PORT="eighty"/);
    expect(await server.exited).toBe(78);
  });
});

/** Every process below `pid`, from the kernel's process table (what is left running is what `ps` shows). */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of table)
      if (ppid === parent) {
        found.push(child);
        visit(child);
      }
  };
  visit(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  // npm start compiles src/ to dist/ first (prestart); built once here, each start below only checks it is current.
  beforeAll(() => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
  }, 180_000);

  it('parses a large PubMed body in a worker thread from the compiled build too', async () => {
    // dist/ holds .js only: the worker's entry must be the compiled one, not the .ts source a loader would read.
    const compiled = join(ROOT, 'dist/importers/pubmed/pubmed.off-thread.js');
    const { parsePubmedFileOffThread } = (await import(
      compiled
    )) as typeof import('../src/importers/pubmed/pubmed.off-thread.js');
    const record = readFileSync(new URL('./fixtures/pubmed/rct-29768149.xml', import.meta.url), 'utf8');
    const result = await parsePubmedFileOffThread(record);
    expect(result.records.map((r) => r.pmid)).toEqual(['29768149']);
    expect(result.records[0]?.title).toMatch(/^[A-Z]/);
  }, 60_000);

  // Each npm start checks the build first (an incremental tsc run: seconds on a busy machine), hence the timeout.
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops the server and every process it started on %s',
    async (signal) => {
      const child = spawn('npm', ['start'], {
        cwd: ROOT,
        env: {
          ...process.env,
          HOST: '127.0.0.1',
          PORT: '0',
          LOG_LEVEL: 'info',
          DATABASE_PATH: join(tmp, `${signal}.db`),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const listening = new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const base = await listening;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const tree = descendants(child.pid as number);
      expect(tree.length).toBeGreaterThan(0);
      // The compiled JavaScript, not the TypeScript sources under a loader.
      const commands = tree.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim());
      expect(commands).toContainEqual(expect.stringMatching(/^(\S*\/)?node dist\/server\.js$/));

      try {
        child.kill(signal);
        expect(
          await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 8000))]),
        ).toBe(0);
        expect(output).toContain(`"signal":"${signal}"`);
        // npm waits for its script's process, and the server is that process (`exec`), so nothing outlives npm.
        expect(tree.filter(alive)).toEqual([]);
        await expect(fetch(`${base}/health`)).rejects.toThrow();
      } finally {
        for (const pid of [child.pid as number, ...tree].filter(alive)) process.kill(pid, 'SIGKILL');
      }
    },
    60_000,
  );
});

describe('loadConfig', () => {
  it('applies defaults and treats empty variables as unset', async () => {
    expect(loadConfig({ PORT: '' })).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATABASE_PATH: './data/evidence.db',
      LOG_LEVEL: 'info',
    });
  });

  it.each([
    [{ PORT: '70000' }, /PORT="70000"/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL="loud"/],
    [{ REQUEST_TIMEOUT_MS: '5' }, /REQUEST_TIMEOUT_MS="5"/],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('over a real socket', () => {
  it('serves JSON with request ids, keeps a sane caller id, and answers 304 on revalidation', async () => {
    const app = await buildApp({ db: await freshDatabase() });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`${base}/v1/topics/gut-microbiome-and-skin`, {
        headers: { 'x-request-id': 'trace-123' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('trace-123');
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const etag = res.headers.get('etag');
      // fetch asks for gzip (and br on newer Node): the compressed variant has its own strong tag.
      expect(res.headers.get('content-encoding')).toMatch(/^(gzip|br)$/);
      expect(etag).toMatch(/^".+\.v1-(gzip|br)"$/);
      const topic = (await res.json()) as any;
      expect(topic.question).toBe('Does a healthy gut microbiome lead to better skin?');
      const again = await fetch(`${base}/v1/topics/gut-microbiome-and-skin`, {
        headers: { 'if-none-match': etag ?? '' },
      });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      const evil = await fetch(`${base}/health`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
      expect(evil.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await app.close();
    }
  });
});

describe('errors', () => {
  it('masks unexpected errors: 500 problem without stack or message', async () => {
    const app = await buildApp({ db: await freshDatabase({ seed: false }) });
    app.get('/boom', async () => {
      throw new Error('SQLITE_CORRUPT at /secret/path.db');
    });
    const res = await app.inject('/boom');
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('at ');
    expect(res.json()).toMatchObject({ status: 500, code: 'server.internal_error', title: 'Internal Server Error' });
    await app.close();
  });

  it('answers 405 with Allow for a wrong method on a real path, 404 for an unknown path', async () => {
    const app = await buildApp({ db: await freshDatabase({ seed: false }) });
    const del = await app.inject({ method: 'PUT', url: '/v1/claims/some-id' });
    expect(del.statusCode).toBe(405);
    expect(del.headers.allow).toBe('GET, HEAD, PATCH, DELETE');
    expect(del.json()).toMatchObject({ code: 'route.method_not_allowed', status: 405 });
    const missing = await app.inject('/v2/claims');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'route.not_found', detail: 'No route matches GET /v2/claims.' });
    await app.close();
  });

  it('survives hostile input: huge, binary and injection-shaped parameters', async () => {
    const app = await buildApp({ db: await freshDatabase() });
    for (const url of [
      `/v1/claims?condition=${'a'.repeat(5000)}`,
      '/v1/claims?condition=%27%20OR%201%3D1--',
      '/v1/claims?condition=%00%FF',
      '/v1/claims?limit=1e309',
      '/v1/claims?limit=1&limit=2',
      `/v1/conditions/${'x'.repeat(300)}`,
      '/v1/studies/99999999999999999999',
      '/v1/conditions?q=%E2%80%AE&x=1',
      '/v1/claims/%E0%A4%A',
    ]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers['content-type'], url).toBe('application/problem+json; charset=utf-8');
    }
    const ok = await app.inject('/v1/claims?condition=melanoma');
    expect(ok.json().items).toHaveLength(1);
    await app.close();
  });
});
