// Writers side by side: If-Match compares the whole ETag, a held write lock answers 503 with Retry-After (never 500),
// The lock and multi-process cases are SQLite's file (skipped with TEST_DATABASE_URL); PostgreSQL's are in test/postgres.test.ts.
// two server processes on one file let exactly one of many PATCHes with one ETag win, and an import run beside a
// server commits whole with a summary that says what it committed. Real child processes, loopback only.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { seedIfEmpty } from '../src/curation/seed.js';
import { openDatabase } from '../src/store/client.js';
import { migrateDatabase } from '../src/store/migrate.js';
import { freshDatabase, onPostgres, PROBLEM_TYPE, scratchPath, testApp } from './helpers.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CIVIC = join(ROOT, 'test/fixtures/civic/sample-ClinicalEvidenceSummaries.tsv');
const PUBMED = join(ROOT, 'test/fixtures/pubmed/observational-inline-markup.xml');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function keyedApp(options: { busyWaitMs?: number } = {}) {
  const db = await freshDatabase(options);
  const ctx = await testApp({ db });
  const key = (await createApiKey(db, { name: 'curator', scope: 'write', secret: await resolveKeySecret(db) })).key;
  const patch = (url: string, ifMatch: string, payload: object) =>
    ctx.app.inject({
      method: 'PATCH',
      url,
      headers: { authorization: `Bearer ${key}`, 'if-match': ifMatch },
      payload,
    });
  return { ...ctx, key, patch };
}

describe('If-Match compares the whole ETag', () => {
  it('refuses another resource’s ETag at the same row version, and a tag of the same shape made up', async () => {
    const { app, patch } = await keyedApp();
    const target = await app.inject('/v1/claims/gut-dysbiosis-acne-association');
    const other = await app.inject('/v1/claims/gut-dysbiosis-rosacea-association');
    const version = (etag: unknown) => /\.v(\d+)"$/.exec(String(etag))?.[1];
    expect(version(other.headers.etag)).toBe(version(target.headers.etag));
    const wrong = await patch('/v1/claims/gut-dysbiosis-acne-association', other.headers.etag as string, {
      outcome: 'x',
    });
    expect(wrong.statusCode).toBe(412);
    expect(wrong.json().code).toBe('request.precondition_failed');
    expect(wrong.headers.etag).toBe(target.headers.etag);
    const madeUp = await patch(
      '/v1/claims/gut-dysbiosis-acne-association',
      `"anything.v${version(target.headers.etag)}"`,
      {
        outcome: 'x',
      },
    );
    expect(madeUp.statusCode).toBe(412);
    const study = await app.inject('/v1/studies/29097493');
    const crossKind = await patch('/v1/conditions/acne', study.headers.etag as string, { description: 'x' });
    expect(crossKind.statusCode).toBe(412);
    expect((await app.inject('/v1/claims/gut-dysbiosis-acne-association')).json().outcome).toBe(target.json().outcome);
    await app.close();
  });

  it('refuses the same resource’s ETag from another database', async () => {
    const a = await keyedApp();
    const b = await keyedApp();
    const fromB = await b.app.inject('/v1/claims/gut-dysbiosis-acne-association');
    const res = await a.patch('/v1/claims/gut-dysbiosis-acne-association', fromB.headers.etag as string, {
      outcome: 'x',
    });
    expect(res.statusCode).toBe(412);
    await a.app.close();
    await b.app.close();
  });

  it('accepts a tag issued before unrelated writes moved the data version: only this resource’s version counts', async () => {
    const { app, patch } = await keyedApp();
    const read = await app.inject('/v1/claims/gut-dysbiosis-acne-association');
    const elsewhere = await app.inject('/v1/topics/gut-microbiome-and-skin');
    const unrelated = await patch('/v1/topics/gut-microbiome-and-skin', elsewhere.headers.etag as string, {
      bottom_line: 'Edited elsewhere.',
    });
    expect(unrelated.statusCode).toBe(200);
    const res = await patch('/v1/claims/gut-dysbiosis-acne-association', read.headers.etag as string, {
      outcome: 'acne severity',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().outcome).toBe('acne severity');
    await app.close();
  });
});

describe.skipIf(onPostgres)('a write lock held longer than the bound', () => {
  it('answers 503 problem+json with Retry-After and changes nothing; the same write succeeds once the lock is gone', async () => {
    const { app, db, patch } = await keyedApp({ busyWaitMs: 300 });
    const read = await app.inject('/v1/claims/gut-dysbiosis-acne-association');
    // Another connection (as another process would) takes the write lock and keeps it.
    const other = new BetterSqlite3(db.path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const res = await patch('/v1/claims/gut-dysbiosis-acne-association', read.headers.etag as string, {
        outcome: 'blocked',
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toMatchObject({ status: 503, code: 'server.database_busy', title: 'Service unavailable' });
      // Reads go on: the reader sees the last commit.
      expect((await app.inject('/v1/claims/gut-dysbiosis-acne-association')).statusCode).toBe(200);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const retried = await patch('/v1/claims/gut-dysbiosis-acne-association', read.headers.etag as string, {
      outcome: 'after the lock',
    });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().outcome).toBe('after the lock');
    await app.close();
  });
});

/** A server process on `path`, listening on a free loopback port. */
function startServer(path: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_PATH: path,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      RATE_LIMIT_MAX: '100000',
      // Load shedding answers 503 when a shared machine starves the event loop; these tests are about the database.
      MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/i.exec(output);
      if (match?.[1]) resolve({ child, base: match[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The import command line as a process of its own. */
function runImport(path: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/import.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_PATH: path },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** A seeded database file with a write key, set up before any server starts. */
async function preparedFile(name: string) {
  const path = scratchPath(name);
  const db = openDatabase(path);
  await migrateDatabase(db);
  await seedIfEmpty(db);
  const { key, id: keyId } = await createApiKey(db, {
    name: 'racer',
    scope: 'write',
    secret: await resolveKeySecret(db),
  });
  await db.close();
  return { path, key, keyId };
}

describe.skipIf(onPostgres)('two server processes on one database file', () => {
  it('let exactly one of many concurrent PATCHes with one ETag win, every round', async () => {
    const { path, key, keyId } = await preparedFile('two-servers');
    const [a, b] = await Promise.all([startServer(path), startServer(path)]);
    try {
      const url = '/v1/claims/gut-dysbiosis-rosacea-association';
      for (let round = 0; round < 5; round++) {
        const etag = (await fetch(`${a.base}${url}`)).headers.get('etag') as string;
        const statuses = await Promise.all(
          Array.from({ length: 16 }, async (_, i) => {
            const res = await fetch(`${(i % 2 === 0 ? a : b).base}${url}`, {
              method: 'PATCH',
              headers: { authorization: `Bearer ${key}`, 'if-match': etag, 'content-type': 'application/json' },
              body: JSON.stringify({ outcome: `round ${round} writer ${i}` }),
            });
            await res.arrayBuffer();
            return res.status;
          }),
        );
        expect(
          statuses.filter((s) => s === 200),
          `round ${round}: ${statuses.join(' ')}`,
        ).toHaveLength(1);
        expect(
          statuses.filter((s) => s !== 200).every((s) => s === 412),
          statuses.join(' '),
        ).toBe(true);
      }
    } finally {
      await Promise.all([stop(a.child), stop(b.child)]);
    }
    const check = new BetterSqlite3(path, { readonly: true });
    const revisions = check
      .prepare(
        "SELECT count(*) AS n FROM revisions WHERE entity = 'claim' AND entity_key = 'gut-dysbiosis-rosacea-association' AND actor = ?",
      )
      .get(`key:${keyId}`) as { n: number };
    check.close();
    expect(revisions.n).toBe(5);
  }, 60_000);
});

describe.skipIf(onPostgres)('the import command line beside a server taking writes', () => {
  it('never makes the server answer 500, and commits each import whole with the summary it prints', async () => {
    const { path, key } = await preparedFile('import-beside');
    const server = await startServer(path);
    const statuses: number[] = [];
    const missingRetryAfter: number[] = [];
    let writing = true;
    const writes = (async () => {
      // Bounded: at most 400 writes, and only while the imports run.
      for (let i = 0; i < 400 && writing; i++) {
        const res = await fetch(`${server.base}/v1/interventions?reason=beside-import`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ slug: `beside-${i}`, name: `Beside ${i}`, kind: 'other' }),
        });
        await res.arrayBuffer();
        statuses.push(res.status);
        if (res.status === 503 && !res.headers.get('retry-after')) missingRetryAfter.push(i);
      }
    })();
    try {
      const [civic, pubmed] = await Promise.all([
        runImport(path, ['civic', '--json', CIVIC]),
        runImport(path, ['pubmed', '--json', PUBMED]),
      ]);
      writing = false;
      await writes;
      expect(civic.code, civic.stderr).toBe(0);
      expect(pubmed.code, pubmed.stderr).toBe(0);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((s) => ![201, 503].includes(s))).toEqual([]);
      expect(missingRetryAfter).toEqual([]);

      const civicSummary = JSON.parse(civic.stdout);
      const pubmedSummary = JSON.parse(pubmed.stdout);
      const db = new BetterSqlite3(path, { readonly: true });
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      try {
        expect(count("SELECT count(*) AS n FROM claims WHERE source = 'civic'")).toBe(civicSummary.inserted);
        const created = (entity: string) =>
          count(
            `SELECT count(*) AS n FROM revisions WHERE actor = 'import:civic' AND action = 'create' AND entity = '${entity}'`,
          );
        expect({
          claims: created('claim'),
          conditions: created('condition'),
          interventions: created('intervention'),
          studies: created('study'),
        }).toEqual({
          claims: civicSummary.inserted,
          conditions: civicSummary.created.conditions,
          interventions: civicSummary.created.interventions,
          studies: civicSummary.created.studies,
        });
        expect(civicSummary.created.conditions).toBeGreaterThan(0);
        expect(count("SELECT count(*) AS n FROM revisions WHERE actor = 'import:pubmed'")).toBe(
          pubmedSummary.inserted + pubmedSummary.updated,
        );
        expect(pubmedSummary.records).toBeGreaterThan(0);
        expect(count("SELECT count(*) AS n FROM interventions WHERE slug LIKE 'beside-%'")).toBe(
          statuses.filter((s) => s === 201).length,
        );
      } finally {
        db.close();
      }
    } finally {
      writing = false;
      await writes;
      await stop(server.child);
    }
  }, 60_000);
});
