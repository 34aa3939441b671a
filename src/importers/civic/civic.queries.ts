// SQL for the CIViC import: studies known only by PMID and citation string, and withdrawing items a release dropped.
import type { Sqlite } from '../../store/client.js';
import { prepared } from '../../store/statements.js';

/** Adds a bare study for a PMID (with CIViC's citation string) unless it exists; fills a missing citation string. */
export function ensureCitedStudy(sqlite: Sqlite, pmid: string, citation: string | null): 'inserted' | 'existing' {
  const inserted = prepared(
    sqlite,
    'INSERT INTO studies (pmid, citation_text) VALUES (?, ?) ON CONFLICT (pmid) DO NOTHING',
  ).run(pmid, citation).changes;
  if (inserted > 0) return 'inserted';
  if (citation !== null)
    prepared(
      sqlite,
      'UPDATE studies SET citation_text = ? WHERE pmid = ? AND citation_text IS NULL AND title IS NULL',
    ).run(citation, pmid);
  return 'existing';
}

/** CIViC claims whose evidence id is not in this release become `withdrawn` (kept, with their history). */
export function withdrawMissingCivicClaims(sqlite: Sqlite, presentIds: readonly string[]): string[] {
  return (
    prepared(
      sqlite,
      `UPDATE claims SET status = 'withdrawn', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE source = 'civic' AND status <> 'withdrawn'
         AND source_id NOT IN (SELECT value FROM json_each(?))
       RETURNING id`,
    ).all(JSON.stringify(presentIds)) as { id: string }[]
  ).map((r) => r.id);
}

export function slugTaken(sqlite: Sqlite, table: 'conditions' | 'interventions', slug: string): boolean {
  return prepared(sqlite, `SELECT 1 FROM ${table} WHERE slug = ?`).get(slug) !== undefined;
}

export function slugById(sqlite: Sqlite, table: 'conditions' | 'interventions', id: number): string {
  return (prepared(sqlite, `SELECT slug FROM ${table} WHERE id = ?`).get(id) as { slug: string }).slug;
}
