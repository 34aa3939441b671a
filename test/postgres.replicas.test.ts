// Read replicas (DATABASE_REPLICA_URLS) against a real PostgreSQL streaming standby (.ci/postgres-replica): reads go to
// the replica, a client that echoes a write's Evidence-Read-After sees it even while replay is paused, a replica that
// is down or lagging is skipped without a 5xx, and ETags follow the server that answered. The settings' checks and
// SQLite's indifference to the header run everywhere; the rest needs TEST_DATABASE_URL and TEST_REPLICA_URL.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/store/client.js';
import { formatLsn, parseLsn, type ReplicaChange, ReplicaSet } from '../src/store/postgres/replicas.js';
import { type App, testApp } from './helpers.js';
import { createTestDatabase, databaseName, TEST_DATABASE_URL, withDatabase } from './postgres.harness.js';

const TEST_REPLICA_URL = process.env.TEST_REPLICA_URL || undefined;
const CLAIM = '/v1/claims/gut-dysbiosis-acne-association';

describe('DATABASE_REPLICA_URLS and DATABASE_REPLICA_MAX_LAG_MS', () => {
  it('takes comma-separated PostgreSQL URLs beside DATABASE_URL, and a lag bound of 5000 ms by default', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@primary:5432/evidence',
      DATABASE_REPLICA_URLS: 'postgres://u:p@replica-1:5432/evidence, postgres://u:p@replica-2:5432/evidence',
    });
    expect(config.DATABASE_REPLICA_URLS).toEqual([
      'postgres://u:p@replica-1:5432/evidence',
      'postgres://u:p@replica-2:5432/evidence',
    ]);
    expect(config.DATABASE_REPLICA_MAX_LAG_MS).toBe(5000);
    expect(loadConfig({}).DATABASE_REPLICA_URLS).toEqual([]);
  });

  it('refuses a malformed replica URL, naming the variable and which URL, never a password', () => {
    const load = () =>
      loadConfig({
        DATABASE_URL: 'postgres://u:p@primary:5432/evidence',
        DATABASE_REPLICA_URLS: 'postgres://u:s3cret-pw@replica-1:5432/evidence,mysql://u:s3cret-pw@replica-2/evidence',
      });
    expect(load).toThrow(
      'DATABASE_REPLICA_URLS="postgres://u:***@replica-1:5432/evidence,mysql://u:***@replica-2/evidence": URL 2 of 2: the scheme must be postgres:// or postgresql:// (got mysql://)',
    );
    expect(() => load()).not.toThrow(/s3cret-pw/);
  });

  it('refuses an sslmode libpq does not have, in either variable, instead of a replica silently down', () => {
    expect(() =>
      loadConfig({
        DATABASE_URL: 'postgres://u:p@primary:5432/evidence',
        DATABASE_REPLICA_URLS: 'postgres://u:p@replica-1:5432/evidence?sslmode=bogus',
      }),
    ).toThrow(
      'URL 1 of 1: sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full, no-verify (got "bogus")',
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p@primary:5432/evidence?sslmode=requir' })).toThrow(
      'sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full, no-verify (got "requir")',
    );
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@primary:5432/evidence?sslmode=verify-full' }).DATABASE_URL).toBe(
      'postgres://u:p@primary:5432/evidence?sslmode=verify-full',
    );
  });

  it('refuses replicas without DATABASE_URL: a SQLite file has none', () => {
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgres://u:s3cret-pw@replica-1:5432/evidence' })).toThrow(
      'DATABASE_REPLICA_URLS="postgres://u:***@replica-1:5432/evidence": needs DATABASE_URL (read replicas are of a PostgreSQL primary)',
    );
  });
});

describe('WAL positions (pg_lsn)', () => {
  it('reads and prints the X/Y hexadecimal form PostgreSQL uses, ordered as numbers', () => {
    expect(parseLsn('0/3000148')).toBe(0x3000148n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn((0x16n << 32n) | 0xb374d848n)).toBe('16/B374D848');
    expect((parseLsn('1/0') as bigint) > (parseLsn('0/FFFFFFFF') as bigint)).toBe(true);
    for (const bad of ['', '0', '0/', '/1', '0/3000148,0/1', '123456789/0', 'g/1', '0x1/2'])
      expect(parseLsn(bad)).toBe(undefined);
  });
});

describe('a replica going down, in the log', () => {
  it("is reported once, with the driver's reason and the URL without its password", async () => {
    const port = await closedPort();
    const set = new ReplicaSet([`postgres://evidence:s3cret-pw@127.0.0.1:${port}/evidence_test`], {
      poolSize: 1,
      maxLagMs: 5000,
    });
    const changes: ReplicaChange[] = [];
    set.onStatusChange((change) => changes.push(change));
    try {
      const [replica] = set.replicas;
      await set.check(replica as (typeof set.replicas)[number]);
      await set.check(replica as (typeof set.replicas)[number]);
      expect(changes).toEqual([
        {
          url: `postgres://evidence:***@127.0.0.1:${port}/evidence_test`,
          status: 'down',
          reason: expect.stringContaining('ECONNREFUSED'),
        },
      ]);
      expect(JSON.stringify(changes)).not.toContain('s3cret-pw');
    } finally {
      await set.end();
    }
  });
});

describe('Evidence-Read-After in browsers (CORS)', () => {
  it('lets a page read it from a write response and send it on a read', async () => {
    const { app } = await testApp({ config: { CORS_ORIGINS: ['https://app.example.org'] } });
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: CLAIM,
      headers: {
        origin: 'https://app.example.org',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'evidence-read-after',
      },
    });
    expect(String(preflight.headers['access-control-allow-headers']).split(/,\s*/)).toContain('Evidence-Read-After');
    const read = await app.inject({ url: CLAIM, headers: { origin: 'https://app.example.org' } });
    expect(String(read.headers['access-control-expose-headers']).split(/,\s*/)).toContain('Evidence-Read-After');
    await app.close();
  });
});

describe.skipIf(TEST_DATABASE_URL !== undefined)('Evidence-Read-After on SQLite', () => {
  it('is ignored: one file, no replicas, so any value reads the same data', async () => {
    const { app } = await testApp();
    const res = await app.inject({ url: CLAIM, headers: { 'evidence-read-after': 'not a position' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe('gut-dysbiosis-acne-association');
    await app.close();
  });
});

const onReplica = TEST_DATABASE_URL !== undefined && TEST_REPLICA_URL !== undefined;

describe.skipIf(!onReplica)('PostgreSQL read replicas (a streaming standby made by .ci/postgres-replica)', () => {
  const replicaBase = TEST_REPLICA_URL as string;
  const closers: (() => Promise<unknown>)[] = [];
  // One session each, polled: a new connection per poll would cost a SCRAM handshake every 20 ms.
  const standby = new pg.Pool({ connectionString: replicaBase, max: 1 });
  const primaryBase = new pg.Pool({ connectionString: TEST_DATABASE_URL as string, max: 1 });
  // Replay pausing is the whole standby's: a run killed while paused must not leave the next one waiting.
  const resumeReplay = () => standby.query('SELECT pg_wal_replay_resume()');
  const pauseReplay = () => standby.query('SELECT pg_wal_replay_pause()');
  beforeAll(resumeReplay);
  afterAll(async () => {
    await resumeReplay();
    for (const close of closers.reverse()) await close();
    await Promise.all([standby.end(), primaryBase.end()]);
  });

  /** The primary's WAL insert position now. */
  const primaryPosition = async () =>
    parseLsn(
      (await primaryBase.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]
        ?.lsn as string,
    ) as bigint;

  /** Waits until the standby has replayed (or, with `received`, received) the primary's WAL up to `position`. */
  async function replicaReaches(position: bigint, what: 'replay' | 'receive' = 'replay') {
    for (let i = 0; i < 3000; i++) {
      const [row] = (await standby.query<{ lsn: string | null }>(`SELECT pg_last_wal_${what}_lsn()::text AS lsn`)).rows;
      if (row?.lsn && (parseLsn(row.lsn) as bigint) >= position) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`the standby did not ${what} up to ${formatLsn(position)}`);
  }

  /**
   * A seeded database on the primary, replayed on the standby, an API on it with the given replicas (default: the
   * standby's copy of it), and a write key.
   */
  async function setUp({ replicas, maxLagMs = 3_600_000 }: { replicas?: string[]; maxLagMs?: number } = {}) {
    const { url, drop } = await createTestDatabase(true);
    const primary = openDatabase(url, { poolSize: 2 });
    await primary.transaction((tx) => tx.run(`UPDATE meta SET value = ? WHERE key = 'database_id'`, [randomUUID()]));
    const key = (
      await createApiKey(primary, { name: 'curator', scope: 'write', secret: await resolveKeySecret(primary) })
    ).key;
    await primary.close();
    const replicaUrl = withDatabase(replicaBase, databaseName(url));
    const db = openDatabase(url, {
      poolSize: 4,
      replicaUrls: replicas ?? [replicaUrl],
      replicaMaxLagMs: maxLagMs,
      onClose: drop,
    });
    const app = await buildApp({ db, config: { MAX_EVENT_LOOP_DELAY_MS: 0, RATE_LIMIT_MAX: 1_000_000 } });
    await app.ready();
    closers.push(() => app.close());
    await replicaReaches(await primaryPosition());
    return { app, db, key, replicaUrl };
  }

  const patchOutcome = (app: App, key: string, etag: string, outcome: string) =>
    app.inject({
      method: 'PATCH',
      url: CLAIM,
      headers: { authorization: `Bearer ${key}`, 'if-match': etag },
      payload: { outcome },
    });

  it("shows a write to the client that echoes its Evidence-Read-After while the paused replica still serves others the old state, each with that state's ETag", async () => {
    const { app, key } = await setUp();
    const before = await app.inject(CLAIM);
    expect(before.statusCode).toBe(200);
    const oldOutcome = before.json().outcome as string;
    const oldEtag = before.headers.etag as string;

    await pauseReplay();
    try {
      const written = await patchOutcome(app, key, oldEtag, 'Acne severity (IGA), written while the replica is paused');
      expect(written.statusCode).toBe(200);
      const token = written.headers['evidence-read-after'] as string;
      expect(token).toMatch(/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/);
      expect(parseLsn(token) as bigint).toBeGreaterThan(0n);
      // The standby has the write's WAL but does not apply it: without the token the read is the replica's.
      await replicaReaches(parseLsn(token) as bigint, 'receive');
      const stale = await app.inject(CLAIM);
      expect(stale.json().outcome).toBe(oldOutcome);
      expect(stale.headers.etag).toBe(oldEtag);
      expect((await app.inject({ url: CLAIM, headers: { 'if-none-match': oldEtag } })).statusCode).toBe(304);

      // With the token the replica is not far enough: the primary answers, with the write's own ETag.
      const mine = await app.inject({ url: CLAIM, headers: { 'evidence-read-after': token } });
      expect(mine.statusCode).toBe(200);
      expect(mine.json().outcome).toBe('Acne severity (IGA), written while the replica is paused');
      expect(mine.headers.etag).toBe(written.headers.etag);
      const list = await app.inject({ url: '/v1/claims?limit=100', headers: { 'evidence-read-after': token } });
      expect(
        (list.json().items as { id: string; outcome: string }[]).find((c) => c.id === 'gut-dysbiosis-acne-association')
          ?.outcome,
      ).toBe('Acne severity (IGA), written while the replica is paused');
      const notModified = await app.inject({
        url: CLAIM,
        headers: { 'evidence-read-after': token, 'if-none-match': written.headers.etag as string },
      });
      expect(notModified.statusCode).toBe(304);
    } finally {
      await resumeReplay();
    }
    // Once replayed, the replica serves the write to everyone.
    await replicaReaches(await primaryPosition());
    await new Promise((resolve) => setTimeout(resolve, 60)); // past the 50 ms the replay position is trusted
    const after = await app.inject(CLAIM);
    expect(after.json().outcome).toBe('Acne severity (IGA), written while the replica is paused');
  });

  it('answers a token the replica has replayed from the replica, and one it has not from the primary', async () => {
    const { app, key } = await setUp();
    const before = await app.inject(CLAIM);
    const first = await patchOutcome(app, key, before.headers.etag as string, 'First outcome, replayed');
    await replicaReaches(parseLsn(first.headers['evidence-read-after'] as string) as bigint);
    await pauseReplay();
    try {
      const second = await patchOutcome(app, key, first.headers.etag as string, 'Second outcome, not replayed');
      expect(second.statusCode).toBe(200);
      await replicaReaches(parseLsn(second.headers['evidence-read-after'] as string) as bigint, 'receive');
      await new Promise((resolve) => setTimeout(resolve, 60));
      const withFirst = await app.inject({
        url: CLAIM,
        headers: { 'evidence-read-after': first.headers['evidence-read-after'] as string },
      });
      expect(withFirst.json().outcome).toBe('First outcome, replayed');
      const withSecond = await app.inject({
        url: CLAIM,
        headers: { 'evidence-read-after': second.headers['evidence-read-after'] as string },
      });
      expect(withSecond.json().outcome).toBe('Second outcome, not replayed');
    } finally {
      await resumeReplay();
    }
  });

  it('skips a replica further behind than DATABASE_REPLICA_MAX_LAG_MS and reports it lagging on /ready', async () => {
    const { app, key } = await setUp({ maxLagMs: 0 });
    const before = await app.inject(CLAIM);
    await pauseReplay();
    try {
      const written = await patchOutcome(app, key, before.headers.etag as string, 'Written while the replica lags');
      await replicaReaches(parseLsn(written.headers['evidence-read-after'] as string) as bigint, 'receive');
      await new Promise((resolve) => setTimeout(resolve, 60));
      const read = await app.inject(CLAIM);
      expect(read.json().outcome).toBe('Written while the replica lags');
      const ready = await app.inject('/ready');
      expect(ready.statusCode).toBe(200);
      expect(ready.json().replicas).toEqual([
        expect.objectContaining({ status: 'lagging', url: expect.stringContaining(':***@') }),
      ]);
    } finally {
      await resumeReplay();
    }
  });

  it('reads from the primary, never a 5xx, when a replica refuses connections, and reports it down on /ready', async () => {
    const port = await closedPort();
    const { app, key } = await setUp({ replicas: [`postgres://evidence:s3cret-pw@127.0.0.1:${port}/evidence_test`] });
    const before = await app.inject(CLAIM);
    expect(before.statusCode).toBe(200);
    const written = await patchOutcome(app, key, before.headers.etag as string, 'Written with the replica down');
    expect(written.statusCode).toBe(200);
    for (const headers of [{}, { 'evidence-read-after': written.headers['evidence-read-after'] as string }]) {
      const read = await app.inject({ url: CLAIM, headers });
      expect(read.statusCode).toBe(200);
      expect(read.json().outcome).toBe('Written with the replica down');
      expect(read.headers.etag).toBe(written.headers.etag);
    }
    expect((await app.inject('/v1/claims?limit=100')).statusCode).toBe(200);
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().replicas).toEqual([
      {
        url: `postgres://evidence:***@127.0.0.1:${port}/evidence_test`,
        status: 'down',
        replay_lsn: null,
        lag_ms: null,
      },
    ]);
  });

  it('reports a streaming replica on /ready with its replay position', async () => {
    const { app, replicaUrl } = await setUp();
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    const [replica] = ready.json().replicas;
    expect(replica).toEqual({
      url: replicaUrl.replace(/:[^:@/]*@/, ':***@'),
      status: 'streaming',
      replay_lsn: expect.stringMatching(/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/),
      // 0 when all it received is replayed; the age of its last replayed commit while WAL is in flight.
      lag_ms: expect.any(Number),
    });
  });

  it('answers 400 naming Evidence-Read-After when it is not a WAL position', async () => {
    const { app } = await setUp();
    const res = await app.inject({ url: CLAIM, headers: { 'evidence-read-after': '0/3000148; drop' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.json().errors).toEqual([
      {
        path: 'headers.evidence-read-after',
        message: "must be one WAL position as a write response's Evidence-Read-After gives it, such as 0/3000148",
      },
    ]);
  });
});

/** A loopback port nothing listens on (taken, then released): connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
