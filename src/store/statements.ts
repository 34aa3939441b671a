// Prepares each distinct SQL text once per connection: list queries are assembled from a fixed set of filter
// fragments, so the number of shapes is bounded and every one is a cached prepared statement.
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from './client.js';

const caches = new WeakMap<Sqlite, Map<string, Statement>>();

export function prepared(sqlite: Sqlite, sqlText: string): Statement {
  let cache = caches.get(sqlite);
  if (!cache) {
    cache = new Map();
    caches.set(sqlite, cache);
  }
  let stmt = cache.get(sqlText);
  if (!stmt) {
    stmt = sqlite.prepare(sqlText);
    cache.set(sqlText, stmt);
  }
  return stmt;
}
