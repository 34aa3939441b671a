// SQL for the CIViC import: studies known only by a citing source (PMID or meeting abstract) and its citation string,
// and withdrawing items a release dropped.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Reader, Transaction } from '../../store/client.js';
import { dialectOf } from '../../store/dialect.js';
import type { Row, RowOf } from '../../store/rows.js';

/**
 * A study as a citing source names it: by PMID, or (a source without one) by its key (`asco:<web id>`, `ash:<DOI>`,
 * `other:<type>:<id>`), with its citation string: the columns of studies ensureCitedStudy writes.
 */
export type CitedStudy = RowOf<
  'studies',
  'key' | 'pmid' | 'source_type' | 'source_id' | 'abstract_number' | 'source_url'
> & {
  /** studies.citation_text: the citation string as the source wrote it ("Levine et al., 2005, Blood"). */
  citation: Row<'studies'>['citation_text'];
  /** studies.citation_text_source: who wrote it, served with the string as its label ("CIViC"). */
  citation_source: NonNullable<Row<'studies'>['citation_text_source']>;
};

/**
 * Adds a study for a cited source unless one with its key exists; fills a missing citation string of a study with no
 * bibliographic record yet. Never changes a study's bibliography.
 */
export async function ensureCitedStudy(
  tx: Transaction,
  study: CitedStudy,
): Promise<'inserted' | 'updated' | 'unchanged'> {
  const inserted = (
    await tx.run(
      `INSERT INTO studies (key, pmid, source_type, source_id, abstract_number, source_url, citation_text, citation_text_source)
     VALUES (@key, @pmid, @source_type, @source_id, @abstract_number, @source_url, @citation, @citation_source)
     ON CONFLICT (key) DO NOTHING`,
      { ...study },
    )
  ).changes;
  if (inserted > 0) return 'inserted';
  if (study.citation === null) return 'unchanged';
  const filled = (
    await tx.run(
      `UPDATE studies SET citation_text = @citation, citation_text_source = @citation_source
     WHERE key = @key AND citation_text IS NULL AND title IS NULL`,
      { ...study },
    )
  ).changes;
  return filled > 0 ? 'updated' : 'unchanged';
}

/** CIViC claims still counted as current whose evidence id is not in this release (to be withdrawn). */
export async function civicClaimsAbsentFrom(h: Reader, presentIds: readonly string[]): Promise<string[]> {
  return (
    await h.all<RowOf<'claims', 'id'>>(
      `SELECT id FROM claims WHERE source = 'civic' AND status IN ('published', 'draft')
         AND source_id NOT IN (SELECT value FROM ${dialectOf(h).jsonValues('?')}) ORDER BY id`,
      [JSON.stringify(presentIds)],
    )
  ).map((r) => r.id);
}

export async function slugTaken(h: Reader, table: 'conditions' | 'interventions', slug: string): Promise<boolean> {
  return (await h.get(`SELECT 1 FROM ${table} WHERE slug = ?`, [slug])) !== undefined;
}

/** An intervention's name and synonyms, by id. */
export async function interventionById(
  h: Reader,
  id: number,
): Promise<{ slug: string; name: string; kind: string; description: string | null; synonyms: string[] }> {
  const row = await h.get<
    RowOf<'interventions', 'slug' | 'name' | 'kind' | 'description'> & {
      /** JSON text: the synonyms in order. */
      synonyms: string;
    }
  >(
    `SELECT slug, name, kind, description, ${dialectOf(h).jsonArray('synonym', 'intervention_synonyms WHERE intervention_id = i.id', 'position')} AS synonyms
     FROM interventions i WHERE id = ?`,
    [id],
  );
  if (!row) throw new Error(`intervention ${id} does not exist`);
  return { ...row, synonyms: JSON.parse(row.synonyms) as string[] };
}

export async function slugById(h: Reader, table: 'conditions' | 'interventions', id: number): Promise<string> {
  const row = await h.get<RowOf<typeof table, 'slug'>>(`SELECT slug FROM ${table} WHERE id = ?`, [id]);
  if (!row) throw new Error(`${table}: ${id} does not exist`);
  return row.slug;
}

/**
 * SQL true when study `alias` has no bibliographic record of its own yet (no title, journal or year: what
 * `metadata_status` calls `unknown`). One definition for isBareStudy and liftUnverifiedSources.
 */
const BARE = (alias: string) =>
  `${alias}.title IS NULL AND ${alias}.journal IS NULL AND ${alias}.journal_iso IS NULL AND ${alias}.year IS NULL`;

/**
 * True when the study has no bibliographic record of its own yet (see BARE), or there is no such study, so a claim
 * resting on it rests on a PMID nobody here has checked.
 */
export async function isBareStudy(h: Reader, key: string): Promise<boolean> {
  const recorded = await h.get<RowOf<'studies', 'key'>>(
    `SELECT s.key FROM studies s WHERE s.key = ? AND NOT (${BARE('s')})`,
    [key],
  );
  return recorded === undefined;
}

/** How many CIViC claims count as current (published or draft): what a release's withdrawals are a share of. */
export async function civicCurrentCount(h: Reader): Promise<number> {
  const { claims } = h.tables;
  const [row] = await h.orm
    .select({ n: sql<number>`count(*)` })
    .from(claims)
    .where(and(eq(claims.source, 'civic'), inArray(claims.status, ['published', 'draft'])));
  return Number(row?.n ?? 0);
}

/** The caveat a CIViC claim carries while a PMID it cites has no bibliographic record here (see civic.import.ts). */
const UNVERIFIED = 'unverified_sources';

/**
 * Lifts the caveat `unverified_sources` from the CIViC claims citing study `key` once none of the PubMed articles they
 * cite is bare any longer (each has a title, journal or year: its PubMed record was imported, or a curator gave one).
 * The CIViC import sets the caveat and recomputes it on every import; this keeps it true between imports, when the
 * PubMed record arrives later. Curated claims are never touched: their caveats are a curator's. Only lifts, never
 * adds: a record never becomes bare again. Returns the ids of the claims whose row changed (the caller records them).
 */
export async function liftUnverifiedSources(tx: Transaction, key: string): Promise<string[]> {
  // One statement: the CIViC claims citing `key` none of whose PubMed articles is still bare (`key` included).
  const citing = await tx.all<RowOf<'claims', 'id' | 'caveat_codes'>>(
    `SELECT c.id, c.caveat_codes FROM claims c
       JOIN claim_studies cs ON cs.claim_id = c.id JOIN studies s ON s.id = cs.study_id
     WHERE s.key = ? AND c.source = 'civic' AND NOT EXISTS (
       SELECT 1 FROM claim_studies o JOIN studies b ON b.id = o.study_id
       WHERE o.claim_id = c.id AND b.pmid IS NOT NULL AND ${BARE('b')})`,
    [key],
  );
  const { claims } = tx.tables;
  const lifted: string[] = [];
  for (const claim of citing) {
    const codes = JSON.parse(claim.caveat_codes) as string[];
    if (!codes.includes(UNVERIFIED)) continue;
    await tx.orm
      .update(claims)
      .set({
        caveat_codes: codes.filter((code) => code !== UNVERIFIED),
        updated_at: sql.raw(`(${dialectOf(tx).now})`),
      })
      .where(eq(claims.id, claim.id));
    lifted.push(claim.id);
  }
  return lifted;
}
