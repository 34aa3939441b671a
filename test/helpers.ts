// Test helpers: the real app on a fresh, migrated (and by default seeded) database in a temporary file.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { createApiKey, resolveKeySecret } from '../src/auth/keys.js';
import type { Config } from '../src/config.js';
import { applySeed, parseSeed, readSeedFiles } from '../src/curation/seed.js';
import { type Database, type OpenOptions, openDatabase } from '../src/store/client.js';
import { migrateDatabase } from '../src/store/migrate.js';
import { createTestDatabase, onPostgres } from './postgres.harness.js';

export { onPostgres };

// One folder per test process; each database in it is deleted when closed, and the folder when the process ends.
let scratch: string | undefined;
let counter = 0;

/** A new file path for a test database (a reader and a writer cannot share an in-memory database). */
export function scratchPath(name = 'test'): string {
  if (scratch === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-test-'));
    scratch = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(scratch, `${name}-${process.pid}-${++counter}.db`);
}

/**
 * A migrated (and by default seeded) database in a temporary file, deleted on close. With TEST_DATABASE_URL: a new
 * PostgreSQL database copied from the run's template (see postgres.setup.ts), with an identity of its own, dropped
 * on close.
 */
export async function freshDatabase({
  seed = true,
  ...options
}: { seed?: boolean } & OpenOptions = {}): Promise<Database> {
  if (onPostgres) {
    const { url, drop } = await createTestDatabase(seed);
    const db = openDatabase(url, { poolSize: 4, ...options, onClose: drop });
    // A copy of a template would share the template's identity, and ETags name it.
    await db.transaction((tx) => tx.run(`UPDATE meta SET value = ? WHERE key = 'database_id'`, [randomUUID()]));
    return db;
  }
  // synchronous=OFF: these files are thrown away, so surviving power loss buys nothing.
  const db = openDatabase(scratchPath(), { temporary: true, synchronous: 'OFF', ...options });
  await migrateDatabase(db);
  if (seed) for (const file of readSeedFiles()) await applySeed(db, file.seed);
  return db;
}

export async function testApp(options: { seed?: boolean; db?: Database; config?: Partial<Config> } = {}) {
  const db = options.db ?? (await freshDatabase(options));
  const app = await buildApp({ db, ...(options.config ? { config: options.config } : {}) });
  await app.ready();
  return { app, db };
}

/**
 * The app with a `write` key named `curator` (revisions name it by id, `key:1` on a fresh database). Imports in the test's own process
 * can hold the event loop on a busy machine, so these apps shed no load.
 */
export async function curatorApp(options: { seed?: boolean; db?: Database } = {}) {
  const ctx = await testApp({ ...options, config: { MAX_EVENT_LOOP_DELAY_MS: 0 } });
  const key = (await createApiKey(ctx.db, { name: 'curator', scope: 'write', secret: await resolveKeySecret(ctx.db) }))
    .key;
  return { ...ctx, key };
}

/** GET a JSON resource through inject and return status, headers and the parsed body. */
export async function getJson<T = any>(app: Awaited<ReturnType<typeof testApp>>['app'], url: string, headers = {}) {
  const res = await app.inject({ method: 'GET', url, headers });
  return {
    status: res.statusCode,
    headers: res.headers,
    body: res.body ? (JSON.parse(res.body) as T) : (undefined as T),
  };
}

/** Walks a list endpoint to its end with the given page size; returns every item in order and the page count. */
export async function walkPages<T = any>(app: Awaited<ReturnType<typeof testApp>>['app'], url: string) {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res: { status: number; body: { items: T[]; next_cursor: string | null } } = await getJson(
      app,
      cursor === null ? url : `${url}${sep}cursor=${encodeURIComponent(cursor)}`,
    );
    if (res.status !== 200) throw new Error(`page ${pages + 1} of ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.next_cursor;
    pages++;
    if (pages > 10_000) throw new Error('pagination does not end');
  } while (cursor !== null);
  return { items, pages };
}

export type App = Awaited<ReturnType<typeof testApp>>['app'];

/** What getJson gives back, with the body shape a test relies on. */
export interface Response<Body> {
  status: number;
  headers: Record<string, unknown>;
  body: Body;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  request_id: string;
  errors?: { path: string; message: string }[];
}

export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** What a fresh test database holds: tests derive expectations from it, so they follow the curated data. */
export const seed = parseSeed(
  readFileSync(new URL('../seeds/gut-skin-axis.json', import.meta.url), 'utf8'),
  'gut-skin-axis.json',
);
