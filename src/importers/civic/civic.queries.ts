// SQL for the CIViC import: studies known only by PMID and citation string, and withdrawing items a release dropped.
import type { Reader, Transaction } from '../../store/client.js';
import { prepared } from '../../store/statements.js';

/** Adds a bare study for a PMID (with CIViC's citation string) unless it exists; fills a missing citation string. */
export async function ensureCitedStudy(
  tx: Transaction,
  pmid: string,
  citation: string | null,
): Promise<'inserted' | 'updated' | 'unchanged'> {
  const sqlite = tx.sqlite;
  const inserted = prepared(
    sqlite,
    'INSERT INTO studies (pmid, citation_text) VALUES (?, ?) ON CONFLICT (pmid) DO NOTHING',
  ).run(pmid, citation).changes;
  if (inserted > 0) return 'inserted';
  if (citation === null) return 'unchanged';
  const filled = prepared(
    sqlite,
    'UPDATE studies SET citation_text = ? WHERE pmid = ? AND citation_text IS NULL AND title IS NULL',
  ).run(citation, pmid).changes;
  return filled > 0 ? 'updated' : 'unchanged';
}

/** CIViC claims still counted as current whose evidence id is not in this release (to be withdrawn). */
export async function civicClaimsAbsentFrom(h: Reader, presentIds: readonly string[]): Promise<string[]> {
  return (
    prepared(
      h.sqlite,
      `SELECT id FROM claims WHERE source = 'civic' AND status <> 'withdrawn'
         AND source_id NOT IN (SELECT value FROM json_each(?)) ORDER BY id`,
    ).all(JSON.stringify(presentIds)) as { id: string }[]
  ).map((r) => r.id);
}

export async function slugTaken(h: Reader, table: 'conditions' | 'interventions', slug: string): Promise<boolean> {
  const sqlite = h.sqlite;
  return prepared(sqlite, `SELECT 1 FROM ${table} WHERE slug = ?`).get(slug) !== undefined;
}

export async function slugById(h: Reader, table: 'conditions' | 'interventions', id: number): Promise<string> {
  const sqlite = h.sqlite;
  return (prepared(sqlite, `SELECT slug FROM ${table} WHERE id = ?`).get(id) as { slug: string }).slug;
}
