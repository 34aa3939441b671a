// Multi-row INSERTs (src/store/batch.ts): chunks within each engine's bind-parameter limit, in a bounded set of
// statement shapes, and lookup keys written in batches exactly as one row at a time wrote them.
import { describe, expect, it } from 'vitest';
import { chunkSizes, insertRows, MAX_BIND_PARAMETERS } from '../src/store/batch.js';
import { writeLookupKeys } from '../src/store/lookup.queries.js';
import { freshDatabase } from './helpers.js';

describe('chunkSizes', () => {
  it('splits rows into powers of two, largest first, at most 512 rows a statement', () => {
    expect(chunkSizes(0, 4, 'sqlite')).toEqual([]);
    expect(chunkSizes(1, 4, 'sqlite')).toEqual([1]);
    expect(chunkSizes(31, 4, 'postgres')).toEqual([16, 8, 4, 2, 1]);
    expect(chunkSizes(1200, 4, 'postgres')).toEqual([512, 512, 128, 32, 16]);
  });

  it('keeps every statement within the engine’s bind-parameter limit (SQLite 32,766, PostgreSQL 65,535)', () => {
    // 300 columns: 64 rows (19,200 parameters) fit SQLite, 128 rows (38,400) fit PostgreSQL only.
    expect(chunkSizes(200, 300, 'sqlite')).toEqual([64, 64, 64, 8]);
    expect(chunkSizes(200, 300, 'postgres')).toEqual([128, 64, 8]);
    for (const engine of ['sqlite', 'postgres'] as const)
      for (const columns of [1, 4, 5, 100, 1000])
        for (const size of chunkSizes(5000, columns, engine))
          expect(size * columns).toBeLessThanOrEqual(MAX_BIND_PARAMETERS[engine]);
  });
});

describe('insertRows and writeLookupKeys', () => {
  it('writes more rows than one statement takes, in order, and counts them', async () => {
    const db = await freshDatabase({ seed: false });
    const rows = Array.from({ length: 1300 }, (_, i) => [
      'intervention',
      `key ${String(i).padStart(4, '0')}`,
      1,
      i % 4,
    ]);
    const inserted = await db.transaction((tx) =>
      insertRows(tx, 'lookup_keys', ['entity', 'key', 'entity_id', 'exact'], rows),
    );
    expect(inserted).toBe(1300);
    const stored = await db.all<{ key: string; exact: number }>(
      "SELECT key, exact FROM lookup_keys WHERE entity = 'intervention' ORDER BY key",
    );
    expect(stored).toHaveLength(1300);
    expect(stored[1299]).toEqual({ key: 'key 1299', exact: 3 });
    await db.close();
  });

  it('keeps the best rank of a key spelled more than once, and every later word for prefix search', async () => {
    const db = await freshDatabase({ seed: false });
    await db.transaction((tx) =>
      writeLookupKeys(tx, 'condition', 7, [
        'Non-small cell lung carcinoma',
        { text: 'NSCLC', rank: 2 },
        { text: 'nsclc', rank: 3 },
        { text: 'Lung carcinoma', rank: 1 },
        '',
      ]),
    );
    expect(
      await db.all("SELECT key, exact FROM lookup_keys WHERE entity = 'condition' AND entity_id = 7 ORDER BY key"),
    ).toEqual([
      { key: 'carcinoma', exact: 0 },
      { key: 'cell lung carcinoma', exact: 0 },
      { key: 'lung carcinoma', exact: 1 },
      { key: 'non small cell lung carcinoma', exact: 1 },
      { key: 'nsclc', exact: 3 },
      { key: 'small cell lung carcinoma', exact: 0 },
    ]);
    await db.close();
  });
});
