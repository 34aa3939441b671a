// Test helpers: the real app on a fresh, migrated (and by default seeded) in-memory database.

import { readFileSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import type { Config } from '../src/config.js';
import { applySeed, parseSeed, readSeedFiles } from '../src/curation/seed.js';
import { type AppDatabase, openDatabase } from '../src/store/client.js';
import { migrateDatabase } from '../src/store/migrate.js';

export function freshDatabase({ seed = true }: { seed?: boolean } = {}): AppDatabase {
  const db = openDatabase(':memory:');
  migrateDatabase(db);
  if (seed) for (const file of readSeedFiles()) applySeed(db, file.seed);
  return db;
}

export async function testApp(options: { seed?: boolean; db?: AppDatabase; config?: Partial<Config> } = {}) {
  const db = options.db ?? freshDatabase(options);
  const app = await buildApp({ db, config: options.config });
  await app.ready();
  return { app, db };
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
